/** What happens to a verified event: typed reads of its fields, and whether it starts a run. */
export {
  eventChannelId,
  eventChannelIds,
  eventMessageId,
  eventReplyTarget,
  eventSenderIds,
  jidLocalPart,
  publicHeaders,
  type ReplyTarget,
  type ZoomEvent,
} from './fields';
export {
  admitEvent,
  causedByAny,
  eventNameSelected,
  inChannels,
  parseList,
  skipReason,
  type AdmitOptions,
  type EventSelection,
  type SkipReason,
} from './select';
export { isOwnSend, ownSendsSettled, sentByThisRuntime } from './own-sends';
