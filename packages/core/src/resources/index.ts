import type { ResourceContext } from './types';
import { messages } from './messages';
import { channels } from './channels';
import { files } from './files';
import { chatbot } from './chatbot';
import { contacts } from './contacts';

export type { ResourceContext } from './types';

export function createResources(ctx: ResourceContext) {
  return {
    messages: messages(ctx),
    channels: channels(ctx),
    files: files(ctx),
    chatbot: chatbot(ctx),
    contacts: contacts(ctx),
  };
}
export type Resources = ReturnType<typeof createResources>;
