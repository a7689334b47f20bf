export interface ChannelMessagePosted {
  event: 'team_chat.channel_message_posted';
  event_ts: number;
  payload: Record<string, unknown> & { object: Record<string, unknown> };
}

export function channelMessagePosted(o?: {
  object?: Record<string, unknown>;
  payload?: Record<string, unknown>;
}): ChannelMessagePosted;
