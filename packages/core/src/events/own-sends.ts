/**
 * Messages this runtime sent, so a trigger can skip their echoes ("ignore own messages"). Zoom
 * announces a message a workflow or flow posted like anyone else's, and a trigger that answers every
 * message would answer its own answers. Every client of the core in this process records here;
 * message IDs are unique across Zoom, so one list serves every account.
 *
 * Process-wide: in n8n's queue mode the sends run on workers while webhooks arrive elsewhere, so
 * this sees only the echoes of sends made in the same process (identities cover the rest).
 */

/** The operations that post a message, and where their answer carries its ID. */
const MESSAGE_ID_FIELD: Readonly<Record<string, string>> = {
  sendaChatMessage: 'id',
  sendChatFile: 'id',
  sendChatbot: 'message_id',
};
/** IDs kept (oldest dropped first): far more than a trigger's echo arrives behind its send. */
const MAX_IDS = 2_000;

const sent = new Set<string>();
const inFlight = new Set<Promise<unknown>>();

function remember(id: unknown): void {
  if (typeof id !== 'string' || id === '') return;
  sent.delete(id);
  sent.add(id);
  if (sent.size > MAX_IDS) {
    const oldest = sent.values().next();
    if (oldest.done !== true) sent.delete(oldest.value);
  }
}

/** Called by the client for every call: records the message ID of sends once they answer. */
export function trackOwnSend<T>(operationId: string, call: Promise<T>): Promise<T> {
  const field = MESSAGE_ID_FIELD[operationId];
  if (field === undefined) return call;
  inFlight.add(call);
  const done = () => inFlight.delete(call);
  call.then((result) => {
    done();
    if (result !== null && typeof result === 'object') remember((result as Record<string, unknown>)[field]);
  }, done);
  return call;
}

/** True when this runtime posted the message. */
export function isOwnSend(messageId: string): boolean {
  return sent.has(messageId);
}

/**
 * Resolves once the sends in flight now have answered, or after `timeoutMs` (`sleep` is the host's:
 * the portable core has no timers). Zoom may deliver a message's event before the call that posted
 * it has answered, so a trigger waits for these before deciding that a message is not its own.
 */
export async function ownSendsSettled(sleep: (ms: number) => Promise<void>, timeoutMs: number): Promise<void> {
  if (inFlight.size === 0) return;
  await Promise.race([Promise.allSettled([...inFlight]), sleep(timeoutMs)]);
}

/** Checks `messageId` the way a trigger should: after the sends in flight, then the list. */
export async function sentByThisRuntime(
  messageId: string,
  sleep: (ms: number) => Promise<void>,
  timeoutMs = 5_000,
): Promise<boolean> {
  if (isOwnSend(messageId)) return true;
  await ownSendsSettled(sleep, timeoutMs);
  return isOwnSend(messageId);
}
