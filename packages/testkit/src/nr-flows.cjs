// Node-RED flow nodes that several runs deploy alike: the account node (pointing at the
// simulator, or at nothing for flows that only receive) and the trigger on channel messages.
// CommonJS so that the Node-RED package's TypeScript tests can import it statically as well as
// the ES-module benchmark and reliability suites.
'use strict';

/** Where an account that must never be called points: a closed port, so a stray call fails at once. */
const CLOSED_PORT = { api: 'http://127.0.0.1:9/v2', file: 'http://127.0.0.1:9/v2', oauth: 'http://127.0.0.1:9' };

/**
 * A Server-to-Server account node acting as `me`. `urls`: the simulator's `urls` (api, file,
 * oauth); left out, a closed port. `name` and `plan` are set only when given.
 */
function accountNode(id, o = {}) {
  const urls = o.urls ?? CLOSED_PORT;
  return {
    id,
    type: 'zoom-team-chat-account',
    ...(o.name !== undefined ? { name: o.name } : {}),
    authKind: 'account',
    userId: 'me',
    botJid: '',
    apiUrl: urls.api,
    fileUrl: urls.file,
    oauthUrl: urls.oauth,
    ...(o.plan !== undefined ? { plan: o.plan } : {}),
  };
}

/**
 * The webhook trigger for team_chat.channel_message_posted with the shipped defaults (its own
 * messages ignored, de-duplication on), in the top-left of tab `z`.
 */
function channelMessageTrigger(o) {
  return {
    id: o.id,
    type: 'zoom-team-chat-trigger',
    z: o.z,
    account: o.account,
    path: o.path,
    events: 'team_chat.channel_message_posted',
    channels: '',
    ignoreOwn: true,
    dedupe: true,
    x: 150,
    y: 60,
    wires: o.wires,
  };
}

module.exports = { accountNode, channelMessageTrigger };
