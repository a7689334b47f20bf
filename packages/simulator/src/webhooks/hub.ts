import { performance } from 'node:perf_hooks';
import { eventCatalog, type EventKind } from './catalog';
import { UrlValidationError, WebhookEmitError, WebhookInputError } from './errors';
import { newId, newRequestId, zoomHeaders } from './signing';
import { fetchSender, NodeSender, postOnce, type PostOutcome, type Sender } from './transport';
import type {
  DeliveryOutcome,
  DeliveryRecord,
  EmitOptions,
  HubStats,
  SubscriptionInfo,
  SubscriptionInput,
  WebhookHub,
  WebhookHubOptions,
} from './types';
import { validateEndpoint } from './url-validation';

export const ZOOM_USER_AGENT = 'Zoom Marketplace/1.0a';
/** Zoom's three retries (docs/webhooks.md): 5 minutes after the first attempt, then 20, then 60. */
export const RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 20 * 60_000, 60 * 60_000];
export const ZOOM_TIMEOUT_MS = 3000;

interface Subscription {
  id: string;
  url: string;
  secretToken: string;
  events: ReadonlySet<string>;
  eventList: string[];
  kind: EventKind;
  botJid?: string;
}

interface Job {
  deliveryId: string;
  sub: Subscription;
  event: string;
  /** Serialised once per event; every attempt signs and sends these exact bytes. */
  body: Buffer;
  requestId: string;
  attempts: number;
  retryTimer?: NodeJS.Timeout;
}

interface Settings {
  now: () => number;
  timeScale: number;
  userAgent: string;
  validate: boolean;
  send: Sender;
  /** Set when the hub owns the connections (no injected fetch). */
  nodeSender?: NodeSender;
  deliveryTimeoutMs: number;
  validationTimeoutMs: number;
  maxInFlight: number;
  maxQueued: number;
  maxRecords: number;
}

/**
 * The body of a webhook POST. WebSocket subscriptions (src/ws) send the same object as
 * `content`, so both paths build it here and cannot drift apart.
 */
export function deliveryEnvelope(
  event: string,
  eventTs: number,
  extra: Record<string, unknown>,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  return { event, event_ts: eventTs, ...extra, payload };
}

const RESERVED_ENVELOPE_KEYS = new Set(['event', 'event_ts', 'payload']);

export class Hub implements WebhookHub {
  private readonly s: Settings;
  private readonly catalog = eventCatalog();
  private readonly subs = new Map<string, Subscription>();
  /** FIFO with a moving head, so dequeuing a large burst stays O(1). */
  private queue: Job[] = [];
  private head = 0;
  private readonly inFlight = new Map<Job, { controller: AbortController; done: Promise<void> }>();
  private readonly retrying = new Set<Job>();
  private readonly validations = new Map<AbortController, Promise<unknown>>();
  private records: DeliveryRecord[] = [];
  private waiters: Array<{ includeRetries: boolean; resolve: () => void }> = [];
  private counts = { delivered: 0, failed: 0, dropped: 0 };
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WebhookHubOptions = {}) {
    this.s = settingsFrom(options);
  }

  async addSubscription(input: SubscriptionInput): Promise<{ id: string; url: string; events: string[] }> {
    this.assertOpen();
    const checked = this.checkSubscription(input);
    const controller = new AbortController();
    const validation = validateEndpoint({
      send: this.s.send,
      url: checked.url,
      secretToken: checked.secretToken,
      nowMs: this.s.now(),
      userAgent: this.s.userAgent,
      timeoutMs: this.s.validationTimeoutMs,
      cancel: controller.signal,
    });
    this.validations.set(
      controller,
      validation.catch(() => undefined),
    );
    try {
      await validation;
    } catch (err) {
      this.log('warn', 'webhook url validation failed', {
        url: checked.url,
        reason: (err as UrlValidationError).reason,
      });
      throw err;
    } finally {
      this.validations.delete(controller);
    }
    if (this.closing !== undefined) {
      throw new UrlValidationError('aborted', checked.url, 'the webhook hub was closed during validation');
    }
    const sub: Subscription = { id: newId(), ...checked };
    this.subs.set(sub.id, sub);
    this.log('info', 'webhook subscription added', { id: sub.id, url: sub.url, kind: sub.kind, events: sub.eventList });
    return { id: sub.id, url: sub.url, events: [...sub.eventList] };
  }

  removeSubscription(id: string): boolean {
    const sub = this.subs.get(id);
    if (sub === undefined) return false;
    this.subs.delete(id);
    const kept: Job[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const job = this.queue[i] as Job;
      if (job.sub !== sub) kept.push(job);
    }
    this.queue = kept;
    this.head = 0;
    for (const job of [...this.retrying]) {
      if (job.sub !== sub) continue;
      clearTimeout(job.retryTimer);
      this.retrying.delete(job);
    }
    this.log('info', 'webhook subscription removed', { id, url: sub.url });
    this.checkIdle();
    return true;
  }

  listSubscriptions(): SubscriptionInfo[] {
    return [...this.subs.values()].map((s) => ({
      id: s.id,
      url: s.url,
      events: [...s.eventList],
      kind: s.kind,
      ...(s.botJid === undefined ? {} : { botJid: s.botJid }),
    }));
  }

  emit(event: string, payload: Record<string, unknown>, opts: EmitOptions = {}): number {
    if (this.closing !== undefined)
      throw new WebhookEmitError(event, `cannot emit ${event}: the webhook hub is closed`);
    const kind = this.catalog.kind(event);
    if (kind === undefined) throw new WebhookEmitError(event, unknownEvent(event, this.catalog.suggest(event)));
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new WebhookEmitError(event, `${event}: payload must be an object`);
    }
    const eventTs = opts.eventTs ?? this.s.now();
    if (!Number.isSafeInteger(eventTs) || eventTs < 0) {
      throw new WebhookEmitError(event, `${event}: eventTs must be whole epoch milliseconds`);
    }
    const extra = opts.extra ?? {};
    for (const key of Object.keys(extra)) {
      if (RESERVED_ENVELOPE_KEYS.has(key)) {
        throw new WebhookEmitError(
          event,
          `${event}: opts.extra.${key} would overwrite the envelope; pass it as an argument`,
        );
      }
    }
    const delivery = deliveryEnvelope(event, eventTs, extra, payload);
    if (this.s.validate) {
      const problem = this.catalog.check(event, delivery);
      if (problem !== undefined) {
        throw new WebhookEmitError(event, `${event} delivery does not match Zoom's schema: ${problem}`);
      }
    }

    const targetBot = kind === 'chatbot' ? (opts.botJid ?? stringField(payload, 'robotJid')) : undefined;
    const targets: Subscription[] = [];
    for (const sub of this.subs.values()) {
      if (!sub.events.has(event)) continue;
      if (kind === 'chatbot' && sub.kind !== 'chatbot') continue;
      if (sub.botJid !== undefined && targetBot !== undefined && sub.botJid !== targetBot) continue;
      targets.push(sub);
    }
    if (targets.length === 0) return 0;

    const body = Buffer.from(JSON.stringify(delivery), 'utf8');
    for (const sub of targets) {
      const job: Job = { deliveryId: newId(), sub, event, body, requestId: newRequestId(), attempts: 0 };
      if (this.queue.length - this.head >= this.s.maxQueued) {
        this.record(job, 'dropped', { error: `queue full (${this.s.maxQueued} deliveries waiting)` }, 0, this.s.now());
        continue;
      }
      this.queue.push(job);
    }
    this.pump();
    return targets.length;
  }

  deliveries(): DeliveryRecord[] {
    const start = Math.max(0, this.records.length - this.s.maxRecords);
    return this.records.slice(start).map((r) => ({ ...r }));
  }

  settle(opts: { includeRetries?: boolean } = {}): Promise<void> {
    const includeRetries = opts.includeRetries === true;
    if (this.isIdle(includeRetries) || this.closing !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ includeRetries, resolve }));
  }

  stats(): HubStats {
    return {
      subscriptions: this.subs.size,
      queued: this.queue.length - this.head,
      inFlight: this.inFlight.size,
      retryPending: this.retrying.size,
      ...this.counts,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const job of this.retrying) clearTimeout(job.retryTimer);
    this.retrying.clear();
    this.queue = [];
    this.head = 0;
    const pending: Promise<unknown>[] = [];
    for (const { controller, done } of this.inFlight.values()) {
      controller.abort();
      pending.push(done);
    }
    for (const [controller, done] of this.validations) {
      controller.abort();
      pending.push(done);
    }
    await Promise.allSettled(pending);
    this.s.nodeSender?.destroy();
    // No timer can appear after this: conclude() schedules retries only while not closing.
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private pump(): void {
    while (this.closing === undefined && this.inFlight.size < this.s.maxInFlight && this.head < this.queue.length) {
      const job = this.queue[this.head] as Job;
      this.queue[this.head] = undefined as unknown as Job;
      this.head++;
      const controller = new AbortController();
      const entry = { controller, done: Promise.resolve() };
      this.inFlight.set(job, entry);
      entry.done = this.attempt(job, controller);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async attempt(job: Job, controller: AbortController): Promise<void> {
    job.attempts++;
    const at = this.s.now();
    const headers = zoomHeaders({
      secretToken: job.sub.secretToken,
      body: job.body,
      nowMs: at,
      requestId: job.requestId,
      userAgent: this.s.userAgent,
    });
    const started = performance.now();
    let outcome: PostOutcome;
    try {
      outcome = await postOnce(
        this.s.send,
        job.sub.url,
        headers,
        job.body,
        this.s.deliveryTimeoutMs,
        controller.signal,
      );
    } catch (err) {
      // postOnce does not throw; an injected fetch might in ways it cannot foresee.
      outcome = { kind: 'error', code: -7, error: String((err as Error)?.message ?? err) };
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.inFlight.delete(job);
    this.conclude(job, outcome, durationMs, at);
    this.pump();
    this.checkIdle();
  }

  private conclude(job: Job, outcome: PostOutcome, durationMs: number, at: number): void {
    if (outcome.kind === 'aborted') {
      this.record(job, 'aborted', { error: 'aborted: the webhook hub was closed' }, durationMs, at);
      return;
    }
    const fields =
      outcome.kind === 'response' ? { status: outcome.status } : { error: outcome.error, errorCode: outcome.code };
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      this.record(job, 'delivered', fields, durationMs, at);
      return;
    }
    // Zoom retries ≥ 500 and no-answer codes, never 3xx/4xx (docs/webhooks.md, "Unsuccessful delivery").
    const retryable = outcome.kind === 'error' || outcome.status >= 500;
    const delay = RETRY_DELAYS_MS[job.attempts - 1];
    if (retryable && delay !== undefined && this.closing === undefined && this.subs.get(job.sub.id) === job.sub) {
      const retryInMs = delay / this.s.timeScale;
      this.record(job, 'retrying', { ...fields, retryInMs }, durationMs, at);
      this.retrying.add(job);
      job.retryTimer = setTimeout(() => {
        this.retrying.delete(job);
        job.retryTimer = undefined;
        if (this.closing !== undefined) return;
        this.queue.push(job);
        this.pump();
        this.checkIdle();
      }, retryInMs);
      // Deliberately ref'd: a pending retry is pending work, like an open server; close() clears it.
      return;
    }
    this.record(job, 'failed', fields, durationMs, at);
  }

  private record(
    job: Job,
    outcome: DeliveryOutcome,
    fields: Partial<Pick<DeliveryRecord, 'status' | 'error' | 'errorCode' | 'retryInMs'>>,
    durationMs: number,
    at: number,
  ): void {
    const rec: DeliveryRecord = {
      id: newId(),
      deliveryId: job.deliveryId,
      subscriptionId: job.sub.id,
      url: job.sub.url,
      event: job.event,
      requestId: job.requestId,
      attempt: job.attempts,
      outcome,
      ...fields,
      durationMs,
      at,
    };
    if (outcome === 'delivered') this.counts.delivered++;
    else if (outcome === 'failed') this.counts.failed++;
    else if (outcome === 'dropped') this.counts.dropped++;
    this.records.push(rec);
    // Trim in batches so a steady stream does not copy the array on every record.
    if (this.records.length >= this.s.maxRecords * 2) this.records = this.records.slice(-this.s.maxRecords);
    const level = outcome === 'delivered' ? 'debug' : outcome === 'retrying' || outcome === 'aborted' ? 'info' : 'warn';
    this.log(level, `webhook ${job.event} ${outcome}`, {
      subscriptionId: rec.subscriptionId,
      url: rec.url,
      requestId: rec.requestId,
      attempt: rec.attempt,
      status: rec.status,
      error: rec.error,
    });
    if (this.options.onRecord !== undefined) {
      try {
        this.options.onRecord({ ...rec });
      } catch (err) {
        this.log('error', 'onRecord threw', { error: String((err as Error)?.message ?? err) });
      }
    }
  }

  private isIdle(includeRetries: boolean): boolean {
    return this.head >= this.queue.length && this.inFlight.size === 0 && (!includeRetries || this.retrying.size === 0);
  }

  private checkIdle(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.isIdle(w.includeRetries)) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new WebhookInputError('hub', 'the webhook hub is closed');
  }

  private checkSubscription(input: SubscriptionInput): Omit<Subscription, 'id'> {
    if (input === null || typeof input !== 'object') {
      throw new WebhookInputError('input', 'addSubscription needs { url, secretToken, events }');
    }
    const url = checkUrl(input.url);
    if (typeof input.secretToken !== 'string' || input.secretToken.trim() === '') {
      throw new WebhookInputError('secretToken', "secretToken must be a non-empty string (the app's Secret Token)");
    }
    if (!Array.isArray(input.events) || input.events.length === 0) {
      throw new WebhookInputError(
        'events',
        'events must be a non-empty array of event names, e.g. ["team_chat.channel_message_posted"]',
      );
    }
    if (input.kind !== undefined && input.kind !== 'team-chat' && input.kind !== 'chatbot') {
      throw new WebhookInputError('kind', `kind must be 'team-chat' or 'chatbot', got ${JSON.stringify(input.kind)}`);
    }
    const eventList: string[] = [];
    let hasChatbotEvent = false;
    input.events.forEach((name, i) => {
      if (typeof name !== 'string' || name === '') {
        throw new WebhookInputError(`events[${i}]`, `events[${i}] must be a non-empty event name`);
      }
      const kind = this.catalog.kind(name);
      if (kind === undefined)
        throw new WebhookInputError(`events[${i}]`, `events[${i}]: ${unknownEvent(name, this.catalog.suggest(name))}`);
      if (kind === 'chatbot') {
        hasChatbotEvent = true;
        if (input.kind === 'team-chat') {
          throw new WebhookInputError(
            `events[${i}]`,
            `events[${i}]: ${name} is a Chatbot event, delivered to Chatbot subscriptions only; use kind 'chatbot'`,
          );
        }
      }
      if (!eventList.includes(name)) eventList.push(name);
    });
    const kind: EventKind = input.kind ?? (hasChatbotEvent ? 'chatbot' : 'team-chat');
    if (input.botJid !== undefined) {
      if (kind !== 'chatbot')
        throw new WebhookInputError('botJid', "botJid only applies to subscriptions of kind 'chatbot'");
      if (typeof input.botJid !== 'string' || input.botJid === '') {
        throw new WebhookInputError('botJid', "botJid must be a non-empty string (the bot's robotJid)");
      }
    }
    return {
      url,
      secretToken: input.secretToken,
      events: new Set(eventList),
      eventList,
      kind,
      ...(input.botJid === undefined ? {} : { botJid: input.botJid }),
    };
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void {
    const fn = this.options.logger?.[level];
    if (fn === undefined) return;
    try {
      fn.call(this.options.logger, message, meta);
    } catch {
      // A broken logger must not break deliveries.
    }
  }
}

function checkUrl(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new WebhookInputError('url', "url must be the endpoint's absolute http(s) URL");
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new WebhookInputError('url', `url is not an absolute URL: ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new WebhookInputError('url', `url must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  return parsed.href;
}

function unknownEvent(name: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  return `unknown event '${name}'${hint} (known: the 54 Team Chat and 8 Chatbot events of Zoom's event specs)`;
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function settingsFrom(o: WebhookHubOptions): Settings {
  const positive = (name: keyof WebhookHubOptions, value: unknown, fallback: number, integer: boolean): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new WebhookInputError(name, `${name} must be a positive ${integer ? 'integer' : 'number'}`);
    }
    return value;
  };
  if (o.now !== undefined && typeof o.now !== 'function')
    throw new WebhookInputError('now', 'now must return epoch ms');
  if (o.fetch !== undefined && typeof o.fetch !== 'function')
    throw new WebhookInputError('fetch', 'fetch must be a fetch function');
  const maxInFlight = positive('maxInFlight', o.maxInFlight, 64, true);
  const nodeSender = o.fetch === undefined ? new NodeSender(maxInFlight) : undefined;
  return {
    now: o.now ?? Date.now,
    timeScale: positive('timeScale', o.timeScale, 1, false),
    userAgent: typeof o.userAgent === 'string' && o.userAgent !== '' ? o.userAgent : ZOOM_USER_AGENT,
    validate: o.validate ?? true,
    send: nodeSender?.send ?? fetchSender(o.fetch as typeof fetch),
    ...(nodeSender === undefined ? {} : { nodeSender }),
    deliveryTimeoutMs: positive('deliveryTimeoutMs', o.deliveryTimeoutMs, ZOOM_TIMEOUT_MS, false),
    validationTimeoutMs: positive('validationTimeoutMs', o.validationTimeoutMs, ZOOM_TIMEOUT_MS, false),
    maxInFlight,
    maxQueued: positive('maxQueued', o.maxQueued, 100_000, true),
    maxRecords: positive('maxRecords', o.maxRecords, 10_000, true),
  };
}
