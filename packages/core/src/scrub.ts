/** Auth errors and logged metadata say `[redacted]`; URLs keep the shorter default (`access_token=***`). */
export const REDACTED = '[redacted]';

/** An `access_token` query parameter, whoever put it there: the token may not be one we know. */
const TOKEN_PARAM = /(access_token=)[^&#\s"'<>]*/gi;
/** Shorter strings match too much ordinary text to be masked safely (and are not real secrets). */
const MIN_SECRET_LENGTH = 4;

/**
 * Masks `access_token=…` and every literal secret in `text`, also where it appears percent- or
 * form-encoded (a token travels in a WebSocket URL; a client secret in a form body Zoom may echo).
 * Longer secrets go first, so a secret that contains another is masked whole.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>, mask = '***'): string {
  let out = String(text).replace(TOKEN_PARAM, (_, name: string) => name + mask);
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(new URLSearchParams({ s }).toString().slice(2));
  }
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(mask);
  return out;
}
