import { describe, expect, it } from 'vitest';
import { redact, redactingLogger, type Logger } from '../src/index';

describe('redacting logger', () => {
  it('masks secret-looking keys and bearer/basic credentials at any depth', () => {
    const lines: unknown[] = [];
    const inner: Logger = { debug: (m, meta) => lines.push([m, meta]), info() {}, warn() {}, error() {} };
    redactingLogger(inner).debug('sent with Bearer abc.def-123', {
      headers: { authorization: 'Bearer abc.def-123', accept: 'application/json' },
      nested: { client_secret: 's3cr3t', refreshToken: 'r1', list: [{ access_token: 'a1' }] },
      user: 'me',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['abc.def-123', 's3cr3t', 'r1"', 'a1"']) expect(text).not.toContain(secret);
    expect(text).toContain('application/json');
    expect(text).toContain('"user":"me"');
  });

  it('leaves harmless values alone', () => {
    expect(redact({ channel: 'c1', count: 3 })).toEqual({ channel: 'c1', count: 3 });
  });
});
