// A raw HTTP client for attacks a fetch() would not make: a body cut short on purpose, a body
// trickled byte by byte, an answer sent while the request is still being written (413).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * POSTs `body` (string or Buffer) to `url`. `chunked: true` sends no Content-Length.
 * Resolves { status, text, ms, error } — status 0 when the connection ended without an answer.
 * Write errors after the answer (the server closed early, as on a 413) are not failures.
 */
/**
 * @param {string} url
 * @param {{ headers?: Record<string, string>, body?: string | Buffer, chunked?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, text: string, ms: number, error?: string, headers?: import('node:http').IncomingHttpHeaders }>}
 */
export function post(url, { headers = {}, body = '', chunked = false, timeoutMs = 30_000 } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const u = new URL(url);
    const allHeaders = { ...headers };
    if (!chunked) allHeaders['content-length'] = String(buf.length);
    else allHeaders['transfer-encoding'] = 'chunked';
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, ...result });
    };
    const req = http.request({
      hostname: u.hostname,
      port: u.port,
      path: `${u.pathname}${u.search}`,
      method: 'POST',
      headers: allHeaders,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, text: '', error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
      res.on('error', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (err) => {
      // An answer may still be on its way (the server replied and closed while we were writing).
      setTimeout(() => done({ status: 0, text: '', error: err.code ?? err.message }), 200);
    });
    // Large bodies go in 64 KB pieces so an early answer can arrive while we write.
    const piece = 64 * 1024;
    let offset = 0;
    const writeMore = () => {
      while (offset < buf.length) {
        const chunk = buf.subarray(offset, offset + piece);
        offset += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

/**
 * Slow-loris: headers announce `declared` bytes, then one byte every `everyMs` until the server
 * answers or closes, or `giveUpMs` passes (then the socket is destroyed).
 * Resolves { status, ms, bytesSent, outcome: 'answered' | 'closed' | 'still open' }.
 */
/**
 * @param {string} url
 * @param {{ headers?: Record<string, string>, declared?: number, everyMs?: number, giveUpMs?: number }} [options]
 * @returns {Promise<{ status: number, ms: number, bytesSent: number, outcome: 'answered' | 'closed' | 'still open', error?: string }>}
 */
export function slowLoris(url, { headers = {}, declared = 4096, everyMs = 500, giveUpMs = 15_000 } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const u = new URL(url);
    let bytesSent = 0;
    let settled = false;
    const req = http.request({
      hostname: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...headers, 'content-length': String(declared) },
    });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      clearTimeout(stop);
      resolve({ ms: Date.now() - started, bytesSent, ...result });
    };
    req.on('response', (res) => {
      res.resume();
      finish({ status: res.statusCode ?? 0, outcome: 'answered' });
    });
    req.on('error', (err) => finish({ status: 0, outcome: 'closed', error: err.code ?? err.message }));
    req.on('close', () => finish({ status: 0, outcome: 'closed' }));
    req.flushHeaders();
    const drip = setInterval(() => {
      if (bytesSent >= declared - 1) return; // never complete the body
      req.write(bytesSent === 0 ? '{' : ' ');
      bytesSent++;
    }, everyMs);
    const stop = setTimeout(() => {
      finish({ status: 0, outcome: 'still open' });
      req.destroy();
    }, giveUpMs);
  });
}

let counter = 0;
/** A Zoom-shaped channel-message event as the exact bytes Zoom would send; unique per call. */
export function eventBody({ event = 'team_chat.channel_message_posted', text = 'reliability check', pad } = {}) {
  const n = ++counter;
  const body = {
    event,
    event_ts: Date.now() * 1000 + (n % 1000),
    payload: {
      account_id: 'reliability-account',
      operator: 'poster@example.com',
      operator_id: 'poster-user-id',
      object: {
        message_id: randomUUID(),
        channel_id: 'reliability-channel',
        channel_name: 'reliability',
        message: text,
        date_time: new Date().toISOString(),
        timestamp: Date.now(),
        ...(pad ? { pad } : {}),
      },
    },
  };
  return JSON.stringify(body);
}

/** Zoom's headers for `body` under `secret` (timestamp in epoch seconds, default now). */
export function zoomHeaders(secret, body, { timestamp, requestId = randomUUID() } = {}) {
  const { signWebhook } = require('@zoom-team-chat/core');
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-zm-request-id': requestId,
    ...signWebhook({ secret, rawBody: body, ...(timestamp !== undefined ? { timestamp } : {}) }),
  };
}
