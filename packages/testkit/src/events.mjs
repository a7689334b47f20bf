// Realistic signed Zoom events for the webhook benchmarks (the size and shape of a
// team_chat.channel_message_posted delivery: about 700 bytes).
import { createHmac, randomUUID } from 'node:crypto';

/**
 * @param {number} i sequence number (makes each delivery distinct)
 * @param {{ channelId?: string }} [o]
 */
export function channelMessageEvent(i, o = {}) {
  const now = Date.now();
  return {
    event: 'team_chat.channel_message_posted',
    event_ts: now,
    payload: {
      account_id: 'Abc123dEFgHiJKLmnoPQrs',
      operator: 'blake.chen@example.com',
      operator_id: 'u1b2l3a4k5e6c7h8e9n0xx',
      operator_member_id: 'm0e1m2b3e4r5i6d7b8l9ak',
      by_external_user: false,
      object: {
        message_id: randomUUID(),
        message: `Build #${i} finished: all 1,284 tests passed in 7 min 42 s. Deploying to staging now.`,
        channel_id: o.channelId ?? 'cd9068084d06f5853aec31427b9787a5',
        channel_name: 'engineering',
        date_time: new Date(now).toISOString(),
        timestamp: now,
        type: 'to_channel',
        message_type: 'text',
        rich_text: [],
        at_items: [],
        files: [],
        reply_main_message_id: '',
      },
    },
  };
}

/** Body and headers of a delivery signed like Zoom signs it. */
export function signedDelivery(secret, i, o = {}) {
  const body = JSON.stringify(channelMessageEvent(i, o));
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-zm-signature': sig,
      'x-zm-request-timestamp': ts,
      'x-zm-request-id': randomUUID(),
      'user-agent': 'Zoom Marketplace/1.0a',
    },
  };
}
