/**
 * Node-RED test harness: node-red-node-test-helper 0.3.6 on the real Node-RED runtime, plus a
 * root Express app that mounts the admin app and RED.httpNode the way node-red's red.js does
 * (the helper's own request() reaches only the admin app, and its httpNode is mounted nowhere).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import express from 'express';
import type { Express, RequestHandler } from 'express';
import { nodes } from '../../src/index';
import type { NodeAPI, NodeDef } from '../../src/lib/red';

const require = createRequire(__filename);
// Requiring the helper makes it try the npm layout at once and print why it failed (pnpm keeps
// Node-RED's internals elsewhere); init() below points it at the shim, so that first try is moot.
const quiet = console.log;
console.log = () => undefined;
const loaded: unknown = require('node-red-node-test-helper');
console.log = quiet;
export const helper = loaded as {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
  setFlows(flow: unknown[], type: string, credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode | null;
  stopServer(): Promise<void>;
};
helper.init(nodeRedShim());

/**
 * The helper gives a deploy 300 ms to emit `flows:started` and fails otherwise; a loaded CI machine
 * can take longer. Wait for the event ourselves (up to 10 s) instead of failing the test.
 */
const helperSetFlows = helper.setFlows.bind(helper);
helper.setFlows = async (flow, type, credentials) => {
  const events = (helper as unknown as { _events: NodeJS.EventEmitter })._events;
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
    events.once('flows:started', onStarted);
  });
  try {
    await helperSetFlows(flow, type, credentials);
  } catch (err) {
    if (!String(err).includes('timeout waiting event')) throw err;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      started,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('flows did not start within 10 s')), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    events.off('flows:started', onStarted);
  }
};

/**
 * The helper finds Node-RED's internals (@node-red/registry…) next to the node-red package, an
 * npm layout; pnpm keeps each package's dependencies apart. A folder of symlinks gives the
 * helper that layout while Node still loads every module from its real path (one instance).
 */
function nodeRedShim(): string {
  const dirOf = (name: string, from: string) =>
    path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
  const nodeRed = dirOf('node-red', __dirname);
  const runtime = dirOf('@node-red/runtime', nodeRed);
  const links: Record<string, string> = {
    'node-red': nodeRed,
    '@node-red/runtime': runtime,
    '@node-red/editor-api': dirOf('@node-red/editor-api', nodeRed),
    '@node-red/nodes': dirOf('@node-red/nodes', nodeRed),
    '@node-red/util': dirOf('@node-red/util', nodeRed),
    '@node-red/registry': dirOf('@node-red/registry', runtime),
  };
  const shim = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'node-red-shim', 'node_modules');
  for (const [name, target] of Object.entries(links)) {
    const link = path.join(shim, name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
      if (fs.readlinkSync(link) === target) continue;
      fs.unlinkSync(link);
    } catch {
      // not there yet
    }
    fs.symlinkSync(target, link, 'dir');
  }
  return path.join(shim, 'node-red', 'lib', 'red.js');
}

export interface TestNode {
  id: string;
  on(event: string, fn: (...args: any[]) => void): void;
  receive(msg: Record<string, unknown>): void;
  [key: string]: any;
}

/** The RED object our node modules were handed by the last load(). */
export let red: NodeAPI | undefined;

export const allNodes = Object.entries(nodes).map(([, register]) => (RED: NodeAPI) => {
  red = RED;
  register(RED);
});

export const ACCOUNT_ID = 'acc1';

export function accountNode(overrides: Partial<NodeDef> = {}): NodeDef {
  return {
    id: ACCOUNT_ID,
    type: 'zoom-team-chat-account',
    name: 'test',
    authKind: 'account',
    plan: 'pro',
    userId: '',
    ...overrides,
  };
}

export function accountCredentials(extra: Record<string, string> = {}): Record<string, Record<string, string>> {
  return {
    [ACCOUNT_ID]: {
      clientId: 'client-id',
      clientSecret: 'client-secret-value',
      accountId: 'account-123',
      webhookSecretToken: 'webhook-secret-value',
      ...extra,
    },
  };
}

/** Resolves with the next message a helper node receives (or rejects after `ms`). */
export function nextMessage(node: TestNode, ms = 10_000): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
    node.on('input', (msg: Record<string, any>) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** Collects every message a helper node receives. */
export function collect(node: TestNode): Array<Record<string, any>> {
  const got: Array<Record<string, any>> = [];
  node.on('input', (msg: Record<string, any>) => got.push(msg));
  return got;
}

/** Resolves with the error a node reports through done(err) (what a Catch node sees). */
export function nextError(node: TestNode, ms = 10_000): Promise<{ message: string; msg: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error within ${ms} ms`)), ms);
    node.on('call:error', (call: { args: [unknown, Record<string, any>] }) => {
      clearTimeout(timer);
      const [err, msg] = call.args;
      resolve({ message: err instanceof Error ? err.message : String(err), msg });
    });
  });
}

export function statuses(node: TestNode): Array<{ fill?: string; shape?: string; text?: string }> {
  const got: Array<{ fill?: string; shape?: string; text?: string }> = [];
  node.on('call:status', (call: { args: [{ fill?: string; shape?: string; text?: string }] }) =>
    got.push(call.args[0]),
  );
  return got;
}

export function warnings(node: TestNode): string[] {
  const got: string[] = [];
  node.on('call:warn', (call: { args: [unknown] }) => got.push(String(call.args[0])));
  return got;
}

export function basicAuth(user: string, pass: string): RequestHandler {
  const expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  return (req, res, next) => {
    if (req.headers.authorization === expected) return next();
    res.set('WWW-Authenticate', 'Basic realm="node-red"');
    res.status(401).end();
  };
}

/**
 * Mounts like node-red's red.js: the admin app (with its JSON body parser) first, then
 * httpNodeAuth, then RED.httpNode. Must run before the trigger is deployed (it looks for the root app).
 */
export function mountRoot(
  options: { adminRoot?: string | false; nodeRoot?: string; nodeAuth?: RequestHandler; before?: RequestHandler } = {},
): Express {
  if (red?.httpNode === undefined) throw new Error('load() first');
  const root = express();
  if (options.before) root.use(options.before);
  const { adminRoot = '/', nodeRoot = '/' } = options;
  if (adminRoot !== false) {
    const admin = express();
    admin.use(express.json());
    admin.use(express.urlencoded({ extended: true }));
    admin.get('/admin-ping', (_req, res) => {
      res.json({ ok: true });
    });
    root.use(adminRoot, admin);
  }
  if (options.nodeAuth) root.use(nodeRoot, options.nodeAuth);
  root.use(nodeRoot, red.httpNode as unknown as Express);
  return root;
}
