/**
 * One Zoom client per `zoom-team-chat-account` config node, shared by every node that points at it.
 * Kept in a registry keyed by the config node's id so the trigger and action nodes (loaded from
 * separate files by Node-RED, but bundled into one module) reach the same client and token cache.
 */
import {
  accountRateLimitKey,
  createZoomClient,
  ZoomConfigError,
  type ZoomClient,
  type ZoomEvent,
} from '@zoom-team-chat/core';
import { setMaxListeners } from 'node:events';
import { TokenFile } from './token-file';

export type AuthKind = 'account' | 'chatbot' | 'user';
export type Plan = 'free' | 'pro' | 'business';

export interface AccountSettings {
  id: string;
  authKind: AuthKind;
  plan: Plan;
  apiUrl: string;
  fileUrl: string;
  oauthUrl: string;
  /** Who the user-level API acts as (`me` for user OAuth; a user ID or email for Server-to-Server). */
  userId: string;
  /** The chatbot's JID (robot_jid), needed to send chatbot messages and to ignore the bot's own. */
  botJid: string;
}

export interface AccountCredentials {
  clientId?: string;
  clientSecret?: string;
  accountId?: string;
  webhookSecretToken?: string;
  refreshToken?: string;
}

export interface RateLimitNotice {
  label: string;
  waitMs: number;
  operationId: string;
}

/** How a verified event reached this Node-RED (what the trigger knows about the delivery). */
export interface AccountEventMeta {
  /** The key the trigger de-duplicates this delivery by. */
  deliveryKey: string;
  /** More keys naming the same delivery (a webhook's signature). */
  alsoKeys?: readonly string[];
  delivery: 'webhook' | 'websocket';
  receivedAt: string;
  /** The trigger node that received it. */
  triggerId: string;
}

export type AccountEventListener = (event: ZoomEvent, meta: AccountEventMeta) => void | Promise<void>;

export interface AccountHooks {
  /** Where a rotated user-OAuth refresh token is persisted (Node-RED credentials). */
  persistCredentials?(creds: AccountCredentials): void | Promise<void>;
  /** Node-RED's user directory, for the token file. */
  userDir?: string;
  log?: { debug(message: string): void; warn(message: string): void };
}

/** Delivery keys remembered by the event bus: far more than Zoom's retries of one event span. */
const PUBLISHED_KEYS_MAX = 2_000;

export class Account {
  private clientPromise: Promise<ZoomClient> | undefined;
  private readonly abort = withManyListeners(new AbortController());
  private readonly rateListeners = new Set<(notice: RateLimitNotice) => void>();
  private readonly eventListeners = new Set<AccountEventListener>();
  /** Keys of deliveries already published, oldest first. */
  private readonly publishedKeys = new Set<string>();

  constructor(
    readonly settings: AccountSettings,
    private readonly creds: AccountCredentials,
    private readonly hooks: AccountHooks = {},
  ) {}

  get id(): string {
    return this.settings.id;
  }

  get accountId(): string | undefined {
    return this.creds.accountId || undefined;
  }

  /** Aborted when the config node closes: in-flight calls stop instead of outliving the deploy. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  webhookSecrets(): string[] {
    const secret = this.creds.webhookSecretToken;
    return secret ? [secret] : [];
  }

  /** The shared client, created on first use so a trigger-only account needs no API credentials. */
  client(): Promise<ZoomClient> {
    if (this.closed) return Promise.reject(new ZoomConfigError('The Zoom account node was closed (redeployed)'));
    if (this.clientPromise === undefined) {
      this.clientPromise = this.createClient();
      // A failed creation (missing field) must not stick: the next message retries and reports again.
      this.clientPromise.catch(() => {
        this.clientPromise = undefined;
      });
    }
    return this.clientPromise;
  }

  onRateLimited(listener: (notice: RateLimitNotice) => void): () => void {
    this.rateListeners.add(listener);
    return () => this.rateListeners.delete(listener);
  }

  /**
   * Every verified event a trigger on this account receives, before the trigger's own filters:
   * nodes that wait for an answer (zoom ask) listen here, so they work whatever the trigger's
   * Events and Channels filters say. Listeners must not throw; a rejection is logged.
   */
  onEvent(listener: AccountEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Called by triggers once an event is verified. A delivery published already (Zoom retrying one
   * whose acknowledgement it missed) is not published again; remembered in memory only, since
   * the listeners keep their own record of what they have answered.
   */
  publishEvent(event: ZoomEvent, meta: AccountEventMeta): void {
    if (this.closed || this.eventListeners.size === 0) return;
    const keys = [meta.deliveryKey, ...(meta.alsoKeys ?? [])].filter((k) => typeof k === 'string' && k !== '');
    const seen = keys.some((k) => this.publishedKeys.has(k));
    for (const k of keys) {
      this.publishedKeys.delete(k);
      this.publishedKeys.add(k);
    }
    while (this.publishedKeys.size > PUBLISHED_KEYS_MAX) {
      const oldest = this.publishedKeys.values().next();
      if (oldest.done === true) break;
      this.publishedKeys.delete(oldest.value);
    }
    if (seen) return;
    for (const listener of [...this.eventListeners]) {
      try {
        const result = listener(event, meta);
        if (result !== undefined)
          result.catch((err: unknown) => this.hooks.log?.warn(`A listener of ${event.event} failed: ${String(err)}`));
      } catch (err) {
        this.hooks.log?.warn(`A listener of ${event.event} failed: ${String(err)}`);
      }
    }
  }

  close(): void {
    this.abort.abort(new Error('The Zoom account node was closed (redeployed)'));
    this.rateListeners.clear();
    this.eventListeners.clear();
  }

  private require(field: keyof AccountCredentials, label: string): string {
    const value = this.creds[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ZoomConfigError(
        `The Zoom account node "${this.settings.id}" has no ${label}: open it and fill in ${label} (${field}).`,
      );
    }
    return value.trim();
  }

  private async createClient(): Promise<ZoomClient> {
    const { settings } = this;
    const clientId = this.require('clientId', 'Client ID');
    const clientSecret = this.require('clientSecret', 'Client secret');
    let auth: Parameters<typeof createZoomClient>[0]['auth'];
    if (settings.authKind === 'account') {
      auth = { kind: 'account', accountId: this.require('accountId', 'Account ID'), clientId, clientSecret };
    } else if (settings.authKind === 'chatbot') {
      auth = { kind: 'chatbot', clientId, clientSecret };
    } else if (settings.authKind === 'user') {
      auth = await this.userAuth(clientId, clientSecret);
    } else {
      throw new ZoomConfigError(
        `Unknown authentication type "${String(settings.authKind)}" (account, chatbot or user)`,
      );
    }
    const baseUrls: { api?: string; file?: string; oauth?: string } = {};
    if (settings.apiUrl) baseUrls.api = settings.apiUrl;
    if (settings.fileUrl) baseUrls.file = settings.fileUrl;
    if (settings.oauthUrl) baseUrls.oauth = settings.oauthUrl;
    const log = this.hooks.log;
    return createZoomClient({
      auth,
      baseUrls,
      plan: settings.plan,
      // Zoom's limits are per account: every account node of this Node-RED naming the same Zoom
      // account (in any flow) waits in the same lines.
      rateLimitKey: accountRateLimitKey({ apiBaseUrl: baseUrls.api, accountId: this.creds.accountId, clientId }),
      ...(log
        ? {
            // The core redacts secrets before logging.
            logger: {
              debug: (m: string) => log.debug(m),
              info: (m: string) => log.debug(m),
              warn: (m: string) => log.warn(m),
              error: (m: string) => log.warn(m),
            },
          }
        : {}),
      onRateLimited: (info: RateLimitNotice) => {
        for (const listener of this.rateListeners) listener(info);
      },
    });
  }

  private async userAuth(
    clientId: string,
    clientSecret: string,
  ): Promise<Parameters<typeof createZoomClient>[0]['auth']> {
    const deployed = this.creds.refreshToken?.trim() || undefined;
    const file = this.hooks.userDir
      ? new TokenFile(this.hooks.userDir, this.settings.id, clientSecret, deployed)
      : undefined;
    const saved = await file?.load();
    const refreshToken = saved?.refreshToken ?? deployed;
    if (refreshToken === undefined) {
      throw new ZoomConfigError(
        `The Zoom account node "${this.settings.id}" uses user OAuth but has no Refresh token: authorize the app once and paste the refresh token.`,
      );
    }
    return {
      kind: 'user',
      clientId,
      clientSecret,
      refreshToken,
      ...(saved?.accessToken ? { accessToken: saved.accessToken } : {}),
      ...(saved?.expiresAt ? { expiresAt: saved.expiresAt } : {}),
      onTokens: async (t) => {
        if (!t.refreshToken) return;
        this.creds.refreshToken = t.refreshToken;
        // Both: the credentials reach flows_cred.json at the next deploy, the file covers a restart before it.
        await this.hooks.persistCredentials?.({ ...this.creds });
        await file?.save({ refreshToken: t.refreshToken, accessToken: t.accessToken, expiresAt: t.expiresAt });
      },
    };
  }
}

const registry = new Map<string, Account>();

export function registerAccount(account: Account): void {
  registry.get(account.id)?.close();
  registry.set(account.id, account);
}

export function unregisterAccount(account: Account): void {
  if (registry.get(account.id) === account) registry.delete(account.id);
  account.close();
}

export function getAccount(id: unknown): Account | undefined {
  return typeof id === 'string' ? registry.get(id) : undefined;
}

/**
 * Every call waiting for its turn (a burst of 300 flow runs queued behind the account's rate limit)
 * listens on the account's signal, so Node's default of 10 listeners would warn of a leak that is not one.
 */
function withManyListeners(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
