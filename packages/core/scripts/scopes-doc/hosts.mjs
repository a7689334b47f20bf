// What each host package exposes, and which code reaches Zoom for it. The Zoom operation IDs are
// not typed in here: they are found by running the core helper named in `uses` (see resolve.mjs),
// or read as a quoted operation ID the host passes to `client.call`/`paginate`/`collect`. The
// check in generate-scopes-doc.mjs fails when a host adds or drops an operation, or when a source
// file no longer contains the call named here.

/**
 * Core helpers, each called once with a user ID (what Server-to-Server apps pass: the account-level
 * endpoints) and once without (user OAuth: the token's own user).
 */
export const HELPERS = {
  'messages.send': (c, o) => c.messages.send({ message: 'x', to_channel: 'c1' }, o),
  'messages.get': (c, o) => c.messages.get('m1', { to_channel: 'c1' }, o),
  'messages.iterate': (c, o) => first(c.messages.iterate({ to_channel: 'c1' }, o)),
  'messages.list': (c, o) => c.messages.list({ to_channel: 'c1' }, o),
  'messages.update': (c, o) => c.messages.update('m1', { message: 'x', to_channel: 'c1' }, o),
  'messages.delete': (c, o) => c.messages.delete('m1', { to_channel: 'c1' }, o),
  'messages.react': (c, o) => c.messages.react('m1', { action: 'add', emoji: 'U+1F600', to_channel: 'c1' }, o),
  // compose looks mentioned contacts up (getUserContact) and swallows a refusal, showing the mention
  // as written; the scope is what that look-up needs.
  'messages.compose': (c) => c.contacts.get('a@example.com'),
  'messages.thread': (c, o) => c.messages.thread('m1', { to_channel: 'c1', from: '2024-01-01T00:00:00Z' }, o),
  'channels.create': (c, o) => c.channels.create({ name: 'x', type: 1 }, o),
  'channels.get': (c, o) => c.channels.get('c1', o),
  'channels.iterate': (c, o) => first(c.channels.iterate(o)),
  'channels.list': (c, o) => c.channels.list(o),
  'channels.page': (c, o) => c.channels.page(o),
  'channels.update': (c, o) => c.channels.update('c1', { name: 'y' }, o),
  'channels.delete': (c, o) => c.channels.delete('c1', o),
  'channels.archive': (c) => c.channels.archive('c1'),
  'channels.unarchive': (c) => c.channels.unarchive('c1'),
  'channels.join': (c) => c.channels.join('c1'),
  'channels.leave': (c) => c.channels.leave('c1'),
  'channels.members.iterate': (c, o) => first(c.channels.members.iterate('c1', o)),
  'channels.members.list': (c, o) => c.channels.members.list('c1', o),
  'channels.members.invite': (c, o) => c.channels.members.invite('c1', [{ email: 'a@example.com' }], o),
  'channels.members.remove': (c, o) => c.channels.members.remove('c1', 'a@example.com', o),
  'files.upload': (c, o) =>
    c.files.upload({ fileName: 'a.txt', contentType: 'text/plain', data: new Uint8Array([65]) }, o),
  'files.send': (c, o) =>
    c.files.send({ fileName: 'a.txt', contentType: 'text/plain', data: new Uint8Array([65]) }, { to_channel: 'c1' }, o),
  'files.get': (c) => c.files.get('f1'),
  'files.delete': (c) => c.files.delete('f1'),
  'files.ofMessage': (c, o) => c.files.ofMessage('m1', { to_channel: 'c1' }, o),
  'files.download': (c) => c.files.download('f1', { maxBytes: 1 }),
  'chatbot.send': (c) =>
    c.chatbot.send({
      robot_jid: 'b@xmpp.zoom.us',
      to_jid: 'c@conference.xmpp.zoom.us',
      account_id: 'a',
      user_jid: 'u@xmpp.zoom.us',
      content: { head: { text: 'x' } },
    }),
  'chatbot.edit': (c) =>
    c.chatbot.edit('m1', {
      robot_jid: 'b@xmpp.zoom.us',
      account_id: 'a',
      user_jid: 'u@xmpp.zoom.us',
      content: { head: { text: 'x' } },
    }),
  'chatbot.delete': (c) =>
    c.chatbot.delete('m1', { account_id: 'a', robot_jid: 'b@xmpp.zoom.us', user_jid: 'u@xmpp.zoom.us' }),
  'contacts.get': (c) => c.contacts.get('a@example.com'),
  'contacts.list': (c) => c.contacts.list(),
  'contacts.iterate': (c) => first(c.contacts.iterate({ type: 'company' })),
  'contacts.iterateSearch': (c) => first(c.contacts.iterateSearch({ search_key: 'a' })),
  'contacts.page': (c) => c.contacts.page({ type: 'company' }),
  'contacts.searchPage': (c) => c.contacts.searchPage({ search_key: 'a' }),
};

async function first(iterable) {
  for await (const item of iterable) return item;
  return undefined;
}

/**
 * `uses` entries: `helper:<name>` (a HELPERS key; the source must contain `client.<name>(`) or
 * `op:<operationId>` (the source must contain the ID in quotes).
 */
const n8nOp = (resource, operation, label, uses, file) => ({
  key: `${resource}.${operation}`,
  label,
  uses,
  file: file ?? `nodes/ZoomTeamChat/actions/${resource}/${operation === 'delete' ? 'delete' : operation}.operation.ts`,
});

export const HOSTS = {
  n8n: {
    dir: 'packages/n8n-nodes-zoom-team-chat',
    title: 'Zoom Team Chat node',
    /** Credentials that pass a user ID to the core helpers (Server-to-Server acts as a chosen user). */
    variants: [
      { name: 'Server-to-Server OAuth', options: { userId: 'u1' } },
      { name: 'OAuth2', options: {} },
    ],
    operations: [
      n8nOp('message', 'send', 'Message → Send', ['helper:messages.send', 'helper:messages.compose']),
      n8nOp('message', 'get', 'Message → Get', ['helper:messages.get']),
      n8nOp('message', 'getAll', 'Message → Get Many', ['helper:messages.iterate']),
      n8nOp('message', 'update', 'Message → Update', ['helper:messages.update']),
      n8nOp('message', 'delete', 'Message → Delete', ['helper:messages.delete']),
      n8nOp('message', 'react', 'Message → React', ['helper:messages.react']),
      n8nOp('message', 'getThread', 'Message → Get Thread', ['helper:messages.get', 'helper:messages.thread']),
      n8nOp(
        'message',
        'sendAndWait',
        'Message → Send and Wait for Response',
        ['helper:messages.send', 'helper:messages.update', 'helper:messages.delete'],
        'nodes/ZoomTeamChat/actions/message/sendAndWait.ts',
      ),
      n8nOp('channel', 'create', 'Channel → Create', ['helper:channels.create']),
      n8nOp('channel', 'get', 'Channel → Get', ['helper:channels.get']),
      n8nOp('channel', 'getAll', 'Channel → Get Many', ['helper:channels.iterate']),
      n8nOp('channel', 'update', 'Channel → Update', ['helper:channels.update']),
      n8nOp('channel', 'delete', 'Channel → Delete', ['helper:channels.delete']),
      n8nOp('channel', 'archive', 'Channel → Archive', ['helper:channels.archive']),
      n8nOp('channel', 'unarchive', 'Channel → Unarchive', ['helper:channels.unarchive']),
      n8nOp('channel', 'join', 'Channel → Join', ['helper:channels.join']),
      n8nOp('channel', 'leave', 'Channel → Leave', ['helper:channels.leave']),
      n8nOp('member', 'getAll', 'Channel Member → Get Many', ['helper:channels.members.iterate']),
      n8nOp('member', 'invite', 'Channel Member → Invite', ['helper:channels.members.invite']),
      n8nOp('member', 'remove', 'Channel Member → Remove', ['helper:channels.members.remove']),
      n8nOp('file', 'upload', 'File → Upload', ['helper:files.upload']),
      n8nOp('file', 'send', 'File → Send', ['helper:files.send']),
      n8nOp('file', 'get', 'File → Get', ['helper:files.get']),
      n8nOp('file', 'delete', 'File → Delete', ['helper:files.delete']),
      n8nOp('file', 'download', 'File → Download', ['helper:files.download', 'helper:files.ofMessage']),
      n8nOp('chatbotMessage', 'send', 'Chatbot Message → Send', ['helper:chatbot.send']),
      n8nOp('chatbotMessage', 'edit', 'Chatbot Message → Edit', ['helper:chatbot.edit']),
      n8nOp('chatbotMessage', 'delete', 'Chatbot Message → Delete', ['helper:chatbot.delete']),
      n8nOp(
        'chatbotMessage',
        'sendAndWait',
        'Chatbot Message → Send and Wait for Response',
        ['helper:chatbot.send', 'helper:chatbot.edit', 'helper:chatbot.delete'],
        'nodes/ZoomTeamChat/actions/chatbotMessage/sendAndWait.ts',
      ),
      n8nOp('contact', 'get', 'Contact → Get', ['helper:contacts.get']),
      n8nOp('contact', 'getAll', 'Contact → Get Many', ['helper:contacts.iterate']),
      n8nOp('contact', 'search', 'Contact → Search', ['helper:contacts.iterateSearch']),
      {
        key: 'apiCall.call',
        label: 'API Call → Call',
        any: true,
        file: 'nodes/ZoomTeamChat/actions/apiCall/call.operation.ts',
      },
      {
        key: 'listSearch',
        label: 'Channel and contact pickers (From List)',
        uses: ['helper:channels.page', 'helper:contacts.page', 'helper:contacts.searchPage'],
        file: 'nodes/ZoomTeamChat/methods/listSearch.ts',
        extra: true,
      },
    ],
  },
  'node-red': {
    dir: 'packages/node-red',
    title: 'Node-RED nodes',
    /**
     * The nodes pass the account node's Act-as user (default `me`) as the path user ID; for channel
     * members an OAuth2 (user) account passes none, so the core picks the user-level operation.
     */
    variants: [
      { name: 'Server-to-Server, Chatbot', options: { userId: 'me' } },
      { name: 'OAuth2 (user)', options: {} },
    ],
    operations: [
      {
        key: 'zoom-team-chat-send.message',
        node: 'zoom-team-chat-send',
        label: 'send (Message)',
        uses: ['helper:messages.send', 'helper:messages.compose'],
      },
      {
        key: 'zoom-team-chat-send.chatbot',
        node: 'zoom-team-chat-send',
        label: 'send (Chatbot message)',
        uses: ['helper:chatbot.send'],
      },
      {
        key: 'zoom-team-chat-list.messages',
        node: 'zoom-team-chat-list',
        label: 'list (Messages)',
        uses: ['helper:messages.list'],
      },
      {
        key: 'zoom-team-chat-list.channels',
        node: 'zoom-team-chat-list',
        label: 'list (Channels)',
        uses: ['helper:channels.list'],
      },
      {
        key: 'zoom-team-chat-list.members',
        node: 'zoom-team-chat-list',
        label: 'list (Channel members)',
        uses: ['helper:channels.members.list'],
      },
      {
        key: 'zoom-team-chat-list.contacts',
        node: 'zoom-team-chat-list',
        label: 'list (Contacts)',
        uses: ['helper:contacts.list'],
      },
      {
        key: 'zoom-team-chat-upload.upload',
        node: 'zoom-team-chat-upload',
        label: 'upload (to my files)',
        uses: ['helper:files.upload'],
      },
      {
        key: 'zoom-team-chat-upload.send',
        node: 'zoom-team-chat-upload',
        label: 'upload (send to a channel or contact)',
        uses: ['helper:files.send'],
      },
      { key: 'zoom-team-chat-api', node: 'zoom-team-chat-api', label: 'api', any: true },
      {
        key: 'zoom-team-chat-ask',
        node: 'zoom-team-chat-ask',
        label: 'ask (card or thread question, outcome)',
        uses: ['helper:chatbot.send', 'helper:chatbot.edit', 'helper:messages.send'],
      },
      ...[
        ['get', ['helper:messages.get']],
        ['thread', ['helper:messages.get', 'helper:messages.thread']],
        ['edit', ['helper:messages.update']],
        ['delete', ['helper:messages.delete']],
        ['react', ['helper:messages.react']],
        ['schedule', ['helper:messages.send']],
        ['download', ['helper:files.ofMessage', 'helper:files.download']],
        [
          'msg',
          [
            'helper:messages.get',
            'helper:messages.thread',
            'helper:messages.update',
            'helper:messages.delete',
            'helper:messages.react',
            'helper:messages.send',
            'helper:files.ofMessage',
            'helper:files.download',
          ],
        ],
      ].map(([action, uses]) => ({
        key: `zoom-team-chat-message.${action}`,
        node: 'zoom-team-chat-message',
        label: `message (${action})`,
        uses,
      })),
    ].map((o) => ({ ...o, file: `src/nodes/${o.node}/${o.node}.ts` })),
    /** Node types that call no Zoom API operation themselves. */
    noOperations: ['zoom-team-chat-account', 'zoom-team-chat-trigger'],
  },
};
