/** Admin routes that act as a simulated human (or bot user): the changes emit webhook events. */
import { randomBytes } from 'node:crypto';
import { botTarget, cardButtons, type CardButton } from '../handlers/chatbot';
import { registerFile } from '../handlers/files';
import {
  AdminError,
  channelOf,
  channelRef,
  channelView,
  draftView,
  fileView,
  messageOf,
  messageView,
  route,
  s,
  targetOfMessage,
  to,
  userOf,
} from './registry';

route('POST', '/act/message', 'Post a message ({as?, channel | to, text, replyTo?, fileIds?}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const text = typeof b['text'] === 'string' ? b['text'] : '';
  const t = to(b);
  if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
  const m = sim.chat.sendMessage(actor, {
    ...t,
    text,
    replyTo: s(b['replyTo']),
    fileIds: b['fileIds'] as string[] | undefined,
  });
  return messageView(sim, m);
});
route('POST', '/act/edit', 'Edit a message ({as?, messageId, text}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as'] ?? m.senderId);
  sim.chat.editMessage(actor, targetOfMessage(sim, actor, m), m, { text: String(b['text'] ?? '') });
  return messageView(sim, m);
});
route('POST', '/act/delete', 'Delete a message ({as?, messageId}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as'] ?? m.senderId);
  sim.chat.deleteMessage(actor, targetOfMessage(sim, actor, m), m);
  return messageView(sim, m);
});
route('POST', '/act/reaction', 'React ({as?, messageId, emoji, action?: add|remove}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const m = messageOf(sim, b['messageId']);
  const actor = userOf(sim, b['as']);
  const emoji = s(b['emoji']);
  if (!emoji) throw new AdminError(400, 'emoji is required (e.g. U+1F44D)');
  const action = b['action'] === 'remove' ? 'remove' : 'add';
  sim.chat.react(actor, targetOfMessage(sim, actor, m), m, emoji, action);
  return messageView(sim, m);
});
route(
  'POST',
  '/act/file',
  'Share a file ({as?, channel | to, fileName, text | base64, replyTo?}).',
  async (ctx, _p, b) => {
    const sim = ctx.sim();
    const actor = userOf(sim, b['as']);
    const fileName = s(b['fileName']);
    if (!fileName) throw new AdminError(400, 'fileName is required');
    const data =
      typeof b['base64'] === 'string'
        ? Buffer.from(b['base64'], 'base64')
        : Buffer.from(String(b['text'] ?? ''), 'utf8');
    const t = to(b);
    if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
    sim.chat.resolveTarget(actor, t.toChannel, t.toContact);
    const stored = await sim.files.storeBuffer(data);
    const file = await registerFile({ sim }, actor, {
      ...stored,
      fileName,
      contentType: s(b['contentType']) ?? 'application/octet-stream',
    });
    sim.chat.fileUploaded(actor, file);
    const m = sim.chat.sendMessage(actor, {
      ...t,
      text: typeof b['message'] === 'string' ? b['message'] : '',
      replyTo: s(b['replyTo']),
      fileIds: [file.id],
    });
    return { file: fileView(file), message: messageView(sim, m) };
  },
);
route('POST', '/act/join', 'Join a public channel ({as?, channel}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.join(userOf(sim, b['as']), c);
  return channelView(sim, c);
});
route('POST', '/act/leave', 'Leave a channel ({as?, channel}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.leave(userOf(sim, b['as']), c);
  return channelView(sim, c);
});
route('POST', '/act/invite', 'Invite users to a channel ({as?, channel, users: [email|id]}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  const users = b['users'];
  if (!Array.isArray(users) || users.length === 0)
    throw new AdminError(400, 'users must be a non-empty array of emails or IDs');
  sim.chat.invite(userOf(sim, b['as']), c, users.map(String));
  return channelView(sim, c);
});
route('POST', '/act/create-channel', 'Create a channel ({as?, name, type?, members?}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = sim.chat.createChannel(userOf(sim, b['as']), {
    name: s(b['name']),
    type: typeof b['type'] === 'number' ? b['type'] : 1,
    memberRefs: (b['members'] as string[] | undefined) ?? [],
  });
  return channelView(sim, c);
});
route('POST', '/act/archive', 'Archive or unarchive a channel ({as?, channel, archived?: true}).', (ctx, _p, b) => {
  const sim = ctx.sim();
  const c = channelOf(sim, channelRef(sim, String(b['channel'] ?? '')));
  sim.chat.setArchived(userOf(sim, b['as']), c, b['archived'] !== false);
  return channelView(sim, c);
});
route(
  'POST',
  '/act/slash-command',
  'Send a slash command to a bot ({as?, command, bot?, channel?}) → bot_notification.',
  (ctx, _p, b) => {
    const sim = ctx.sim();
    const actor = userOf(sim, b['as']);
    const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
    if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
    const command =
      typeof b['command'] === 'string' ? b['command'].replace(new RegExp(`^${bot.slashCommand}\\s*`), '') : '';
    if (!command) throw new AdminError(400, 'command is required (the text after the slash command)');
    const channel = s(b['channel']) ? channelOf(sim, channelRef(sim, String(b['channel']))) : undefined;
    if (channel && !channel.members.has(actor.id))
      throw new AdminError(400, `${actor.email} is not a member of ${channel.name}`);
    sim.chat.emit({ type: 'bot.command', bot, actor, command, ...(channel ? { channel } : {}) });
    return { ok: true, bot: bot.jid, command };
  },
);
route('POST', '/act/install-bot', 'A user installs the bot ({as?, bot?}) → bot_installed.', (ctx, _p, b) => {
  const sim = ctx.sim();
  const actor = userOf(sim, b['as']);
  const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
  if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
  sim.chat.emit({ type: 'bot.installed', bot, actor });
  return { ok: true, bot: bot.jid };
});
route(
  'POST',
  '/act/link',
  'Post a message with a link an app unfurls ({as?, channel | to, link, bot?}) → team_chat.link_shared with a trigger ID for unfurlingLink.',
  (ctx, _p, b) => {
    const sim = ctx.sim();
    const actor = userOf(sim, b['as']);
    const link = s(b['link']);
    if (!link) throw new AdminError(400, 'link is required');
    const t = to(b);
    if (t.toChannel) t.toChannel = channelRef(sim, t.toChannel);
    const bot = s(b['bot']) ? sim.store.bots.get(String(b['bot'])) : [...sim.store.bots.values()][0];
    if (!bot) throw new AdminError(404, `bot: no bot ${String(b['bot'])}`);
    const m = sim.chat.sendMessage(actor, { ...t, text: link });
    const triggerId = sim.store.ids.id22();
    sim.store.unfurlTriggers.add(triggerId);
    const responseUrl = `${sim.urls.api}/im/chat/users/${actor.id}/unfurls/${triggerId}`;
    const target = m.channelId
      ? { channel: sim.store.channels.get(m.channelId)! }
      : { recipient: sim.store.users.get(m.toUserId ?? '')! };
    sim.chat.emit({ type: 'link.shared', bot, actor, message: m, link, triggerId, responseUrl, ...target });
    return { triggerId, userId: actor.id, responseUrl, message: messageView(sim, m) };
  },
);

/** Zoom's `callback_url` / `callback_token` answer window. */
const CALLBACK_TTL_MS = 30 * 60_000;

route(
  'POST',
  '/act/click',
  'Click a button of a chatbot message ({as?, messageId, value | text | index}) → interactive_message_actions.',
  (ctx, _p, b) => {
    const sim = ctx.sim();
    const { store } = sim;
    const messageId = s(b['messageId']);
    if (!messageId) throw new AdminError(400, 'messageId is required (the message_id sendChatbot answered)');
    const card = store.botMessages.get(messageId);
    if (!card)
      throw new AdminError(
        404,
        `messageId: no chatbot message ${messageId} (buttons are clicked on messages a bot sent with sendChatbot)`,
      );
    if (card.deleted) throw new AdminError(410, `messageId: chatbot message ${messageId} was deleted`);
    const bot = store.bots.get(card.robotJid);
    if (!bot) throw new AdminError(404, `the bot ${card.robotJid} of message ${messageId} no longer exists`);

    const buttons = cardButtons(card.content);
    const label = (x: CardButton) => JSON.stringify(x.value || x.text);
    let button: CardButton | undefined;
    if (typeof b['index'] === 'number') button = buttons[b['index']];
    else if (typeof b['value'] === 'string') button = buttons.find((x) => x.value === b['value']);
    else if (typeof b['text'] === 'string') button = buttons.find((x) => x.text === b['text']);
    else throw new AdminError(400, 'name the button: value, text or index (0-based, in reading order)');
    if (!button) {
      const which =
        typeof b['index'] === 'number'
          ? `index ${b['index']}`
          : typeof b['value'] === 'string'
            ? `value ${JSON.stringify(b['value'])}`
            : `text ${JSON.stringify(b['text'])}`;
      throw new AdminError(
        404,
        `message ${messageId} has no button with ${which}; its buttons: ${buttons.length ? buttons.map(label).join(', ') : 'none'}`,
      );
    }
    // Zoom draws Disabled buttons grey and unclickable.
    if (button.style === 'Disabled')
      throw new AdminError(409, `button ${label(button)} is Disabled: users cannot click it`);

    const { channel, toUser } = botTarget(store, card.toJid);
    if (!channel && !toUser)
      throw new AdminError(404, `the conversation ${card.toJid} of message ${messageId} no longer exists`);
    // In a 1:1 chat with the bot only its user sees the card; so that is who clicks by default.
    const actor = userOf(sim, b['as'] ?? (channel ? undefined : toUser!.id));
    if (channel && !channel.members.has(actor.id))
      throw new AdminError(403, `${actor.email} is not a member of ${channel.name}, where the card is`);
    if (toUser && toUser.id !== actor.id)
      throw new AdminError(403, `only ${toUser.email} sees this card (it is in their chat with the bot)`);
    const visible = card.visibleToUser?.toLowerCase();
    if (visible && ![actor.id.toLowerCase(), actor.jid.toLowerCase()].includes(visible)) {
      throw new AdminError(403, `only ${card.visibleToUser} sees this card (visible_to_user)`);
    }

    const toJid = channel ? channel.jid : `${actor.jid}/robot_${bot.jid}`;
    const callback = { id: store.ids.id22(), token: randomBytes(32).toString('base64url') };
    store.botCallbacks.set(callback.id, {
      ...callback,
      robotJid: bot.jid,
      toJid,
      userJid: actor.jid,
      expiresAt: store.now() + CALLBACK_TTL_MS,
      used: false,
    });
    const callbackUrl = `${sim.urls.api}/im/chat/callback/${callback.id}`;
    const actionItem = { text: button.text, value: button.value };
    sim.chat.emit({
      type: 'bot.action',
      bot,
      actor,
      card,
      action: actionItem,
      toJid,
      channelName: channel ? channel.name : actor.display_name,
      callback: { url: callbackUrl, token: callback.token },
    });
    return { bot: bot.jid, messageId, actionItem, userId: actor.id, toJid, callbackUrl, callbackToken: callback.token };
  },
);

route(
  'GET',
  '/scheduled',
  'Scheduled messages, earliest first: pending, sent (with messageId) and failed (with error).',
  (ctx) => {
    const sim = ctx.sim();
    return [...sim.store.drafts.values()]
      .sort((a, b) => a.scheduledAt - b.scheduledAt || a.seq - b.seq)
      .map((d) => draftView(sim, d));
  },
);
// Due messages need no call: the timer sends them, and with an injected clock every request first
// sends what has come due. This route is for not waiting: it sends before the time.
route(
  'POST',
  '/scheduled/run',
  'Send a scheduled message now, before its time ({draftId}), or every pending one ({}).',
  (ctx, _p, b) => {
    const sim = ctx.sim();
    const draftId = s(b['draftId']);
    let drafts;
    if (draftId) {
      const d = sim.store.drafts.get(draftId);
      if (!d) throw new AdminError(404, `draftId: no scheduled message ${draftId}`);
      if (d.state !== 'scheduled') throw new AdminError(409, `scheduled message ${draftId} is ${d.state} already`);
      drafts = [d];
    } else drafts = sim.scheduler.pending();
    for (const d of drafts) sim.scheduler.deliver(d);
    sim.scheduler.arm();
    return drafts.map((d) => draftView(sim, d));
  },
);
