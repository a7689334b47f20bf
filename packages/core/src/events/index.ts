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
export { createStoredDeduper, dedupeWindowMs, eventSelection, receiveWebhook, type WebhookIntake } from './intake';
export {
  canDownloadFiles,
  downloadEventFiles,
  eventFiles,
  downloadEventFileBytes,
  FILE_EVENTS,
  isDownloadTooLarge,
  type EventFileBytes,
  type EventFile,
  type EventFileOutcome,
} from './files';
