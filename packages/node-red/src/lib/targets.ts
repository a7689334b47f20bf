/**
 * Where a message or file goes. Priority, highest first: the node's settings, `msg.channel` /
 * `msg.contact`, fields of a full body in `msg.payload`, then the conversation of the event that
 * started the flow (`msg.zoom.replyTarget`, set by the trigger).
 */
import type { ReplyTarget } from '@zoom-team-chat/core';
import type { NodeMessage } from './red';
import { isPlainObject, pick, str } from './values';

export interface Target {
  channel?: string;
  contact?: string;
  replyTo?: string;
}

export function replyTargetOf(msg: NodeMessage): ReplyTarget | undefined {
  const zoom = msg.zoom;
  if (!isPlainObject(zoom)) return undefined;
  const target = zoom.replyTarget;
  return isPlainObject(target) ? (target as ReplyTarget) : undefined;
}

function level(channel: string | undefined, contact: string | undefined, where: string): Target | undefined {
  if (channel !== undefined && contact !== undefined) {
    throw new Error(`Both a channel and a contact are set (${where}): a message goes to one of them.`);
  }
  if (channel !== undefined) return { channel };
  if (contact !== undefined) return { contact };
  return undefined;
}

export function resolveTarget(
  config: {
    readonly [key: string]: unknown;
    channel?: unknown;
    contact?: unknown;
    replyTo?: unknown;
    replyInThread?: unknown;
  },
  msg: NodeMessage,
  body: Record<string, unknown> = {},
): Target {
  const reply = replyTargetOf(msg);
  const fromReply =
    reply !== undefined ? level(str(reply.channel), str(reply.contact), 'msg.zoom.replyTarget') : undefined;
  const target =
    level(str(config.channel), str(config.contact), 'node settings') ??
    level(str(msg.channel), str(msg.contact), 'msg.channel and msg.contact') ??
    level(str(body.to_channel), str(body.to_contact), 'msg.payload.to_channel and to_contact') ??
    fromReply;
  if (target === undefined) {
    throw new Error(
      'No destination: set Channel or Contact in the node, or send msg.channel (a channel ID) or msg.contact (an email or user ID).',
    );
  }
  let replyTo = pick(config.replyTo, msg.replyTo) ?? str(body.reply_main_message_id);
  // Thread the reply under the triggering message only when answering in that same conversation.
  const sameConversation =
    fromReply !== undefined && fromReply.channel === target.channel && fromReply.contact === target.contact;
  if (replyTo === undefined && config.replyInThread !== false && sameConversation) {
    replyTo = str(reply?.messageId);
  }
  return replyTo !== undefined ? { ...target, replyTo } : target;
}
