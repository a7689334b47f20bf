import { UrlValidationError } from './errors';
import { encryptedTokenFor, newPlainToken, newRequestId, zoomHeaders } from './signing';
import { postOnce, type Sender } from './transport';

export interface UrlValidationInput {
  send: Sender;
  url: string;
  secretToken: string;
  nowMs: number;
  userAgent: string;
  timeoutMs: number;
  cancel?: AbortSignal;
}

/**
 * Zoom's challenge-response check: a signed POST of
 * `{"payload":{"plainToken":…},"event_ts":…,"event":"endpoint.url_validation"}` (Zoom's key order)
 * that must be answered within the time limit with 200 (or 204, as the docs allow) and
 * `{plainToken, encryptedToken = hex HMAC-SHA256(secretToken, plainToken)}`. Resolves when the
 * endpoint passes; rejects with a `UrlValidationError` whose `reason` says why not.
 */
export async function validateEndpoint(input: UrlValidationInput): Promise<void> {
  const plainToken = newPlainToken();
  const body = Buffer.from(
    JSON.stringify({ payload: { plainToken }, event_ts: input.nowMs, event: 'endpoint.url_validation' }),
  );
  const headers = zoomHeaders({
    secretToken: input.secretToken,
    body,
    nowMs: input.nowMs,
    requestId: newRequestId(),
    userAgent: input.userAgent,
  });
  const outcome = await postOnce(input.send, input.url, headers, body, input.timeoutMs, input.cancel);
  const fail = (reason: ConstructorParameters<typeof UrlValidationError>[0], message: string, status?: number) =>
    new UrlValidationError(reason, input.url, message, status);

  if (outcome.kind === 'aborted') throw fail('aborted', 'cancelled because the webhook hub was closed');
  if (outcome.kind === 'error') {
    if (outcome.code === -1) {
      throw fail('timeout', `no complete answer within ${input.timeoutMs} ms (Zoom allows 3 seconds)`);
    }
    throw fail('connection', `the endpoint could not be reached: ${outcome.error}`);
  }
  const { status } = outcome;
  if (status !== 200 && status !== 204) {
    throw fail(
      'status',
      `the endpoint answered HTTP ${status}; Zoom expects 200 with {"plainToken","encryptedToken"}`,
      status,
    );
  }
  let answer: unknown;
  try {
    answer = JSON.parse(outcome.body);
  } catch {
    answer = undefined;
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    throw fail(
      'not_json',
      `the answer (HTTP ${status}) is not a JSON object; Zoom expects {"plainToken","encryptedToken"}`,
      status,
    );
  }
  const { plainToken: echoed, encryptedToken } = answer as { plainToken?: unknown; encryptedToken?: unknown };
  if (echoed !== plainToken) {
    throw fail('wrong_plain_token', 'plainToken in the answer is not the one Zoom sent in payload.plainToken', status);
  }
  if (encryptedToken !== encryptedTokenFor(input.secretToken, plainToken)) {
    throw fail(
      'wrong_encrypted_token',
      "encryptedToken is not the hex HMAC-SHA256 of plainToken keyed with this subscription's secret token " +
        '(check that the endpoint uses the same secret token)',
      status,
    );
  }
}
