/** Test helpers: a simulator with tokens, a small HTTP client, and a streaming multipart sender. */
import * as http from 'node:http';
import { Readable } from 'node:stream';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSpec } from '../src/spec/load';
import { normaliseSchema } from '../src/spec/defects';
import type { SimOperation } from '../src/spec/model';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

export async function token(sim: Simulator, kind: 's2s' | 'chatbot' = 's2s'): Promise<string> {
  const c = sim.credentials;
  const [id, secret, params] =
    kind === 's2s'
      ? [c.clientId, c.clientSecret, `grant_type=account_credentials&account_id=${c.accountId}`]
      : [c.chatbot.clientId, c.chatbot.clientSecret, 'grant_type=client_credentials'];
  const res = await fetch(`${sim.urls.oauth}/oauth/token?${params}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: {
    token?: string;
    query?: Record<string, unknown>;
    body?: unknown;
    headers?: Record<string, string>;
    raw?: string;
  } = {},
): Promise<Reply> {
  const qs = opts.query
    ? '?' +
      new URLSearchParams(
        Object.entries(opts.query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      ).toString()
    : '';
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path + qs, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed, text };
}

export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; content: Buffer | (() => Readable); size?: number };

/**
 * Sends a multipart POST with node:http (streaming file parts), following the file host's
 * redirect once with the Authorization header kept (what Zoom asks clients to do).
 */
export async function multipart(
  url: string,
  parts: Part[],
  opts: { token?: string; follow?: boolean; headers?: Record<string, string> } = {},
): Promise<Reply & { redirectedTo?: string }> {
  const first = await sendMultipart(url, parts, opts);
  if (opts.follow !== false && first.status >= 300 && first.status < 400 && first.headers['location']) {
    const second = await sendMultipart(first.headers['location'], parts, opts);
    return { ...second, redirectedTo: first.headers['location'] };
  }
  return first;
}

function sendMultipart(
  url: string,
  parts: Part[],
  opts: { token?: string; headers?: Record<string, string> },
): Promise<Reply> {
  const boundary = `----simtest${Math.random().toString(16).slice(2)}`;
  async function* body(): AsyncGenerator<Buffer> {
    for (const p of parts) {
      if ('value' in p) {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`);
      } else {
        yield Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        );
        if (Buffer.isBuffer(p.content)) yield p.content;
        else for await (const chunk of p.content()) yield chunk as Buffer;
        yield Buffer.from('\r\n');
      }
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: parsed, text });
      });
    });
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}

/** Generates `size` bytes on the fly, never holding more than one chunk. */
export function generated(size: number, chunk = 64 * 1024): () => Readable {
  return () => {
    let left = size;
    const block = Buffer.alloc(chunk, 0x61);
    return new Readable({
      read() {
        if (left <= 0) return this.push(null);
        const n = Math.min(left, chunk);
        left -= n;
        this.push(n === chunk ? block : block.subarray(0, n));
      },
    });
  };
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const responseCheckers = new Map<string, ValidateFunction>();

/**
 * Validates a response body against the operation's documented success schema, read straight
 * from the spec file (with only the known-defect normalisation applied).
 */
export function checkResponse(op: SimOperation, status: number, body: unknown): string | undefined {
  let check = responseCheckers.get(`${op.operationId}:${status}`);
  if (!check) {
    const raw = loadSpec(op.api).paths[op.path]?.[op.method.toLowerCase()]?.responses[String(status)]?.content?.[
      'application/json'
    ]?.schema;
    if (!raw)
      return body === undefined || body === ''
        ? undefined
        : `no response schema for ${op.operationId} ${status}, got a body`;
    check = ajv.compile(normaliseSchema(raw));
    responseCheckers.set(`${op.operationId}:${status}`, check);
  }
  return check(body) ? undefined : ajv.errorsText(check.errors);
}

export async function startTestSim(opts: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ plan: 'off', fileStorage: 'memory', ...opts });
}
