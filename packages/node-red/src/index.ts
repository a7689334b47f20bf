/**
 * The package's single runtime bundle. Node-RED loads one small file per node type
 * (dist/nodes/<type>.js), each requiring this bundle, so all node types share one module
 * instance: one client registry, one raw-body capture, one core copy.
 */
import { registerAdminEndpoints } from './lib/admin';
import type { NodeAPI } from './lib/red';
import account from './nodes/zoom-team-chat-account/zoom-team-chat-account';
import api from './nodes/zoom-team-chat-api/zoom-team-chat-api';
import ask from './nodes/zoom-team-chat-ask/zoom-team-chat-ask';
import list from './nodes/zoom-team-chat-list/zoom-team-chat-list';
import message from './nodes/zoom-team-chat-message/zoom-team-chat-message';
import send from './nodes/zoom-team-chat-send/zoom-team-chat-send';
import trigger from './nodes/zoom-team-chat-trigger/zoom-team-chat-trigger';
import upload from './nodes/zoom-team-chat-upload/zoom-team-chat-upload';

type Register = (RED: NodeAPI) => void;

function withAdmin(register: Register): Register {
  return (RED) => {
    registerAdminEndpoints(RED);
    register(RED);
  };
}

export const nodes: Record<string, Register> = {
  'zoom-team-chat-account': withAdmin(account),
  'zoom-team-chat-trigger': withAdmin(trigger),
  'zoom-team-chat-send': withAdmin(send),
  'zoom-team-chat-list': withAdmin(list),
  'zoom-team-chat-upload': withAdmin(upload),
  'zoom-team-chat-api': withAdmin(api),
  'zoom-team-chat-ask': withAdmin(ask),
  'zoom-team-chat-message': withAdmin(message),
};
