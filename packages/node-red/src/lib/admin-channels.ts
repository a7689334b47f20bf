/**
 * The editor's channel picker: `GET <admin root>/zoom-team-chat/:accountId/channels` lists the
 * channels of a deployed account node through that account's own client, so the lookup shares its
 * token cache and rate budget and needs no credentials from the browser. The answer holds channel
 * IDs and names only: never a credential, a token or Zoom's raw answer.
 */
import { isZoomError, ZoomApiError } from '@zoom-team-chat/core';
import { getAccount } from './account';
import type { Handler, HttpRequest, NodeAPI } from './red';
import { str } from './values';

/** One page at Zoom's largest page size: enough for a picker, and one request of the budget. */
export const CHANNEL_LIST_MAX = 1000;
/** The editor waits on this request: paced or unanswered calls must not leave it hanging. */
export const CHANNEL_LIST_TIMEOUT_MS = 30_000;

export interface ChannelChoice {
  id: string;
  name: string;
}

export interface ChannelListAnswer {
  status: number;
  body: { channels: ChannelChoice[]; truncated: boolean } | { error: string; message: string };
}

function choices(items: unknown[]): ChannelChoice[] {
  const out: ChannelChoice[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    const id = str(record.id);
    if (id === undefined) continue;
    out.push({ id, name: str(record.name) ?? id });
  }
  return out.sort(
    (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id),
  );
}

/** Aborts when the account closes (redeploy), the editor gives up, or the deadline passes. */
function lookupSignal(
  account: AbortSignal,
  gone: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`No answer from Zoom within ${Math.ceil(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  timer.unref?.();
  const sources = [account, gone].filter((s): s is AbortSignal => s !== undefined);
  const follow = (source: AbortSignal) => () => controller.abort(source.reason);
  const listeners = sources.map((source) => {
    const listener = follow(source);
    if (source.aborted) listener();
    else source.addEventListener('abort', listener, { once: true });
    return { source, listener };
  });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      for (const { source, listener } of listeners) source.removeEventListener('abort', listener);
    },
  };
}

export async function listChannelsForEditor(
  accountId: string,
  options: { gone?: AbortSignal; timeoutMs?: number; warn?: (message: string) => void } = {},
): Promise<ChannelListAnswer> {
  const account = getAccount(accountId);
  if (account === undefined) {
    return {
      status: 404,
      body: {
        error: 'not_deployed',
        message:
          'This account node is not deployed yet (or was changed since): deploy it, then look up channels again.',
      },
    };
  }
  const { authKind, userId: actAs } = account.settings;
  if (authKind === 'chatbot') {
    return {
      status: 400,
      body: {
        error: 'not_supported',
        message:
          'Chatbot credentials cannot list channels: type the channel ID, or use a Server-to-Server or OAuth2 (user) account.',
      },
    };
  }
  const userId = actAs || 'me';
  const lookup = lookupSignal(account.signal, options.gone, options.timeoutMs ?? CHANNEL_LIST_TIMEOUT_MS);
  try {
    const client = await account.client();
    const items = await client.channels.list({ userId, limit: CHANNEL_LIST_MAX, signal: lookup.signal });
    return { status: 200, body: { channels: choices(items), truncated: items.length >= CHANNEL_LIST_MAX } };
  } catch (err) {
    if (lookup.signal.aborted) {
      const reason: unknown = lookup.signal.reason;
      return {
        status: 504,
        body: { error: 'cancelled', message: reason instanceof Error ? reason.message : 'The lookup was cancelled' },
      };
    }
    if (isZoomError(err)) {
      // The core's messages never carry a token or a secret; they name scopes and fields to fix.
      // Zoom answers "user does not exist" (1001) when a Server-to-Server app asks for `me`.
      const userUnknown = err instanceof ZoomApiError && (err.status === 404 || err.code === 1001);
      const hint =
        authKind === 'account' && !actAs && userUnknown
          ? ' Server-to-Server apps list the channels of the account node\'s "Act as user": set it to a user\'s email or ID.'
          : '';
      const status = err.kind === 'config' || err.kind === 'validation' ? 400 : 502;
      return { status, body: { error: err.kind, message: `${err.message}${hint}` } };
    }
    // Anything else is unexpected and may say more than the editor should see: the log gets it.
    options.warn?.(
      `Channel lookup for account node ${accountId} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    return {
      status: 500,
      body: { error: 'failed', message: 'Listing channels failed: the Node-RED log has the details.' },
    };
  } finally {
    lookup.done();
  }
}

export function channelListHandler(RED: Pick<NodeAPI, 'log'>): Handler {
  return (req, res) => {
    const params = (req as HttpRequest & { params?: Record<string, string | undefined> }).params ?? {};
    const gone = new AbortController();
    // The editor closed the dialog or navigated away: stop waiting on Zoom for nobody.
    res.on('close', () => {
      if (!res.writableEnded) gone.abort(new Error('The editor closed the request'));
    });
    void listChannelsForEditor(params.accountId ?? '', { gone: gone.signal, warn: (m) => RED.log.warn(m) }).then(
      (answer) => {
        if (res.writableEnded || res.destroyed) return;
        res.set('cache-control', 'no-store');
        res.status(answer.status).json(answer.body);
      },
    );
  };
}
