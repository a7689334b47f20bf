/**
 * One Zoom client per `zoom-team-chat-account` config node, shared by every node that points at it.
 * Kept in a registry keyed by the config node's id so the trigger and action nodes (loaded from
 * separate files by Node-RED, but bundled into one module) reach the same client and token cache.
 */
import { accountRateLimitKey, createZoomClient, ZoomConfigError, type ZoomClient } from '@zoom-team-chat/core';
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

export interface AccountHooks {
  /** Where a rotated user-OAuth refresh token is persisted (Node-RED credentials). */
  persistCredentials?(creds: AccountCredentials): void | Promise<void>;
  /** Node-RED's user directory, for the token file. */
  userDir?: string;
  log?: { debug(message: string): void; warn(message: string): void };
}

const SENT_IDS_MAX = 500;

export class Account {
  private clientPromise: Promise<ZoomClient> | undefined;
  private readonly abort = withManyListeners(new AbortController());
  private readonly rateListeners = new Set<(notice: RateLimitNotice) => void>();
  /** IDs of messages our own nodes sent, so a trigger can skip their echoes. Oldest first. */
  private readonly sentIds = new Set<string>();
  private readonly pendingSends = new Set<Promise<unknown>>();

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

  rememberSent(messageId: unknown): void {
    if (typeof messageId !== 'string' || messageId === '') return;
    this.sentIds.delete(messageId);
    this.sentIds.add(messageId);
    if (this.sentIds.size > SENT_IDS_MAX) {
      const oldest = this.sentIds.values().next();
      if (oldest.done !== true) this.sentIds.delete(oldest.value);
    }
  }

  /**
   * Marks a send in flight. Zoom (and the simulator) may deliver the webhook for a message
   * before the API call that posted it has answered, so the trigger waits for these first.
   */
  trackSend<T>(promise: Promise<T>): Promise<T> {
    this.pendingSends.add(promise);
    const drop = () => this.pendingSends.delete(promise);
    promise.then(drop, drop);
    return promise;
  }

  /** Resolves when the sends in flight now have settled, or after `timeoutMs`. */
  async sendsSettled(timeoutMs: number): Promise<void> {
    if (this.pendingSends.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
    });
    await Promise.race([Promise.allSettled([...this.pendingSends]), timeout]);
    clearTimeout(timer);
  }

  wasSent(messageId: unknown): boolean {
    return typeof messageId === 'string' && this.sentIds.has(messageId);
  }

  close(): void {
    this.abort.abort(new Error('The Zoom account node was closed (redeployed)'));
    this.rateListeners.clear();
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
      throw new ZoomConfigError(`Unknown authentication type "${String(settings.authKind)}" (account, chatbot or user)`);
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

  private async userAuth(clientId: string, clientSecret: string): Promise<Parameters<typeof createZoomClient>[0]['auth']> {
    const deployed = this.creds.refreshToken?.trim() || undefined;
    const file = this.hooks.userDir ? new TokenFile(this.hooks.userDir, this.settings.id, clientSecret, deployed) : undefined;
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
