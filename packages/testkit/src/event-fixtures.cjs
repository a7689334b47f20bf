// A fixed team_chat.channel_message_posted event (the shape Zoom sends), for the hosts' trigger
// unit tests: the same IDs and times every call, so a test can compare what its flow or workflow
// received with a fresh copy. (events.mjs makes distinct, current ones for load.)
// CommonJS so that the hosts' CommonJS TypeScript tests can import it statically.
'use strict';

/**
 * `object`: fields of payload.object to add or replace (message_id, channel_id, ...);
 * `payload`: fields of the payload to add or replace (operator, ...).
 */
function channelMessagePosted(o = {}) {
  return {
    event: 'team_chat.channel_message_posted',
    event_ts: 1_700_000_000_000,
    payload: {
      account_id: 'acc',
      operator: 'casey@example.com',
      operator_id: 'u-casey',
      operator_member_id: 'm-casey',
      by_external_user: false,
      object: {
        message_id: 'msg-1',
        channel_id: 'chan-1',
        channel_name: 'general',
        message: 'hello',
        timestamp: 1_700_000_000_000,
        date_time: '2023-11-14T22:13:20Z',
        ...o.object,
      },
      ...o.payload,
    },
  };
}

module.exports = { channelMessagePosted };
