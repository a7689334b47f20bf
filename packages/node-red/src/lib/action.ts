/**
 * The input loop every action node shares: look up the account, show status while working
 * (with a live countdown when the core paces or Zoom answers 429), send the result, and report
 * any failure exactly once through `done(err)` so Catch nodes see it. Nothing thrown here can
 * reach the runtime: bad input becomes an error on the message, never a crash.
 */
import type { ZoomClient } from '@zoom-team-chat/core';
import { inspect } from 'node:util';
import { getAccount, type Account, type RateLimitNotice } from './account';
import type { Node, NodeDef, NodeMessage, SendFn } from './red';

export interface ActionContext {
  msg: NodeMessage;
  client: ZoomClient;
  account: Account;
  signal: AbortSignal;
}

/** What a node's work returns: messages to send (or null for none) and the status text. */
export interface ActionResult {
  out: NodeMessage | NodeMessage[] | Array<NodeMessage | NodeMessage[] | null> | null;
  status: string;
}

export interface ActionOptions {
  busyText: string;
  work(ctx: ActionContext): Promise<ActionResult>;
}

/**
 * Catch nodes read `msg.error.message` and the debug sidebar shows `message` when an error is
 * expanded, so whatever was thrown becomes an Error whose message is its whole text, never
 * "Unknown error". The core's errors pass unchanged: their messages already name the operation,
 * the field, Zoom's code and the scopes to add, and their `code` and `cause` reach the Catch node.
 */
export function toError(err: unknown): Error {
  if (err instanceof Error && err.message !== '') return err;
  if (err instanceof Error) return new Error(err.name || 'Error', { cause: err });
  if (typeof err === 'string' && err.trim() !== '') return new Error(err);
  if (err !== null && typeof err === 'object') {
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') return new Error(message);
  }
  return new Error(`Unexpected failure: ${inspect(err, { depth: 3, breakLength: Infinity })}`);
}

function shortText(text: string): string {
  const first = text.split(/[\n—]/)[0]?.trim() ?? text;
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

export function setupAction(node: Node, def: NodeDef, options: ActionOptions): void {
  const accountId = typeof def.account === 'string' ? def.account : '';
  let inFlight = 0;
  let countdown: NodeJS.Timeout | undefined;
  let closed = false;

  const stopCountdown = () => {
    if (countdown !== undefined) clearInterval(countdown);
    countdown = undefined;
  };

  const onRateLimited = (notice: RateLimitNotice) => {
    if (closed || inFlight === 0) return;
    stopCountdown();
    const until = Date.now() + notice.waitMs;
    const show = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      node.status({ fill: 'yellow', shape: 'ring', text: `rate-limited (${notice.label}): ${left} s` });
      if (left === 0) {
        stopCountdown();
        if (inFlight > 0) node.status({ fill: 'blue', shape: 'dot', text: options.busyText });
      }
    };
    show();
    countdown = setInterval(show, 1000);
    countdown.unref?.();
  };

  const account = getAccount(accountId);
  if (account === undefined) {
    node.status({ fill: 'red', shape: 'ring', text: 'no account' });
  } else {
    node.status({});
  }

  node.on('input', (msg: NodeMessage, send: SendFn, done: (err?: Error) => void) => {
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      done(err);
    };
    const current = getAccount(accountId);
    if (current === undefined) {
      node.status({ fill: 'red', shape: 'ring', text: 'no account' });
      finish(new Error('No Zoom account: select a zoom-team-chat-account config node in this node.'));
      return;
    }
    inFlight++;
    node.status({ fill: 'blue', shape: 'dot', text: options.busyText });
    const unsubscribe = current.onRateLimited(onRateLimited);
    void (async () => {
      try {
        const client = await current.client();
        const result = await options.work({ msg, client, account: current, signal: current.signal });
        if (result.out !== null) send(result.out);
        if (!closed) node.status({ fill: 'green', shape: 'dot', text: result.status });
        finish();
      } catch (err) {
        const error = toError(err);
        if (!closed) node.status({ fill: 'red', shape: 'ring', text: shortText(error.message) });
        finish(error);
      } finally {
        inFlight--;
        unsubscribe();
        if (inFlight === 0) stopCountdown();
      }
    })();
  });

  node.on('close', (_removed: boolean, done: () => void) => {
    closed = true;
    stopCountdown();
    done();
  });
}
