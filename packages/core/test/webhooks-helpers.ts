import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 per RFC 2104, built on the plain hash so the tests do not check the
 * library's createHmac calls against themselves.
 */
export function independentHmacHex(key: string | Buffer, message: string | Buffer): string {
  let k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length > 64) k = createHash('sha256').update(k).digest();
  const block = Buffer.alloc(64);
  k.copy(block);
  const ipad = Buffer.alloc(64);
  const opad = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = block[i]! ^ 0x36;
    opad[i] = block[i]! ^ 0x5c;
  }
  const msg = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const inner = createHash('sha256').update(ipad).update(msg).digest();
  return createHash('sha256').update(opad).update(inner).digest('hex');
}

/** Zoom's header pair for `body` at `timestamp`, computed independently. */
export function zoomHeaders(secret: string, body: string | Buffer, timestamp: number): Record<string, string> {
  const msg = Buffer.concat([Buffer.from(`v0:${timestamp}:`), typeof body === 'string' ? Buffer.from(body) : body]);
  return {
    'x-zm-signature': `v0=${independentHmacHex(secret, msg)}`,
    'x-zm-request-timestamp': String(timestamp),
  };
}
