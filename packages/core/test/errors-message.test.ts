import { describe, expect, it } from 'vitest';
import { ZoomApiError } from '../src/errors';

/** The message parts of a 429 the pipeline gave up on (pipeline.ts: hint "Gave up after N…"). */
const gaveUp = {
  status: 429,
  code: 429,
  operationId: 'sendaChatMessage',
  hint: 'Gave up after 7 rate-limited attempts',
};

describe('ZoomApiError message', () => {
  it('closes "Retry after N s." with one full stop before the hint', () => {
    const error = new ZoomApiError({ ...gaveUp, message: 'Too many requests', rateLimit: { retryAfterSeconds: 0 } });
    expect(error.message).toBe(
      'sendaChatMessage: Too many requests (Zoom code 429). Retry after 0 s. Gave up after 7 rate-limited attempts',
    );
  });

  it('after a daily limit and after the scopes advice, the hint follows one full stop too', () => {
    const daily = new ZoomApiError({
      ...gaveUp,
      message: 'Daily cap',
      resetAt: Date.UTC(2026, 0, 2),
      hint: 'Try tomorrow',
    });
    expect(daily.message).toBe(
      'sendaChatMessage: Daily cap (Zoom code 429). Daily limit reached; it resets at 2026-01-02T00:00:00.000Z. Try tomorrow',
    );
    const scopes = new ZoomApiError({
      status: 400,
      message: 'Invalid scope.',
      requiredScopes: ['chat_message:write'],
      hint: 'See the docs',
    });
    expect(scopes.message).toBe(
      'Invalid scope. The app needs one of these scopes: chat_message:write. Add it in the Zoom App Marketplace (Scopes tab) and re-authorize. See the docs',
    );
  });

  it("never doubles a full stop, whatever ends Zoom's message", () => {
    for (const message of ['Injected fault: HTTP 429.', 'Injected fault: HTTP 429', 'Slow down!']) {
      const withCode = new ZoomApiError({ ...gaveUp, message, rateLimit: { retryAfterSeconds: 2 } });
      const withoutCode = new ZoomApiError({ status: 500, message, hint: 'Not retried' });
      for (const text of [withCode.message, withoutCode.message]) {
        expect(text).not.toMatch(/\.\./);
        expect(text).not.toMatch(/[.!?]\. /);
      }
    }
    expect(new ZoomApiError({ status: 500, message: 'Boom', hint: 'Not retried' }).message).toBe('Boom. Not retried');
  });
});
