/**
 * The slice of Node-RED's runtime API these nodes use. Written here rather than taken from
 * @types/node-red so the types match what Node-RED 3.x–5.x really hand a node module.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface ContextStore {
  get(key: string, callback: (err: Error | null | undefined, value: unknown) => void): void;
  set(key: string, value: unknown, callback: (err?: Error | null) => void): void;
}

export type SendFn = (msg: NodeMessage | NodeMessage[] | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface Node<Creds = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  credentials: Creds;
  status(status: NodeStatus): void;
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown, msg?: NodeMessage): void;
  send(msg: NodeMessage | NodeMessage[] | Array<NodeMessage | NodeMessage[] | null>): void;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void | Promise<void>): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
  context(): ContextStore;
}

/** Express request as seen by route handlers (only what we read). */
export interface HttpRequest extends IncomingMessage {
  body?: unknown;
  _body?: boolean;
  originalUrl?: string;
  path?: string;
  [key: symbol]: unknown;
}

export interface HttpResponse extends ServerResponse {
  status(code: number): HttpResponse;
  json(body: unknown): HttpResponse;
  send(body?: unknown): HttpResponse;
  set(field: string, value: string): HttpResponse;
}

export type Handler = (req: HttpRequest, res: HttpResponse, next: (err?: unknown) => void) => void;

export interface RouterLayer {
  handle?: unknown;
  route?: { path?: string; methods?: Record<string, boolean>; stack?: Array<{ handle?: unknown }> };
}

/** An Express application (4.x keeps its router in `_router`, 5.x in `router`). */
export interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(...args: unknown[]): unknown;
  get(path: string, ...handlers: Handler[]): unknown;
  post(path: string, ...handlers: Handler[]): unknown;
  path(): string;
  parent?: ExpressApp;
  _router?: { stack: RouterLayer[] };
  router?: { stack: RouterLayer[] };
}

export type CredentialTypes = Record<string, { type: 'text' | 'password' }>;

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(
      type: string,
      ctor: (this: Node, def: NodeDef) => void,
      opts?: { credentials?: CredentialTypes },
    ): void;
    getNode(id: string): unknown;
    addCredentials(id: string, creds: Record<string, unknown>): Promise<void> | void;
  };
  httpNode?: ExpressApp;
  httpAdmin?: ExpressApp;
  auth?: { needsPermission(permission: string): Handler };
  settings: Record<string, unknown>;
  log: { warn(message: unknown): void; info(message: unknown): void };
  _?: (key: string, substitutions?: Record<string, unknown>) => string;
}
