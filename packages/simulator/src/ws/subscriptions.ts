/**
 * WebSocket event subscriptions (Zoom's "event subscription method: WebSocket"). They live beside
 * the webhook hub's subscriptions rather than inside it: there is no URL to validate or POST to,
 * the client comes to us.
 */
import { randomBytes } from 'node:crypto';
import { eventCatalog } from '../webhooks';

export interface WebSocketSubscription {
  id: string;
  name: string;
  events: ReadonlySet<string>;
  eventList: string[];
  createdAt: number;
  /** Created through the Marketplace API: only this app's tokens may connect. Admin-created: any app. */
  ownerClientId?: string;
}

export interface WebSocketSubscriptionInput {
  events: string[];
  name?: string;
}

/** Bad input to a subscription or an admin call; `field` names what to fix. */
export class WebSocketInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebSocketInputError';
  }
}

export class WebSocketSubscriptions {
  private readonly subs = new Map<string, WebSocketSubscription>();

  constructor(private readonly now: () => number) {}

  create(input: WebSocketSubscriptionInput, ownerClientId?: string): WebSocketSubscription {
    if (input === null || typeof input !== 'object')
      throw new WebSocketInputError('input', 'a WebSocket subscription needs { events: string[], name? }');
    const { events, name } = input;
    if (!Array.isArray(events) || events.length === 0) {
      throw new WebSocketInputError(
        'events',
        'events must be a non-empty array of event names, e.g. ["team_chat.channel_message_posted"]',
      );
    }
    const catalog = eventCatalog();
    const eventList: string[] = [];
    events.forEach((e, i) => {
      if (typeof e !== 'string' || e === '')
        throw new WebSocketInputError(`events[${i}]`, `events[${i}] must be a non-empty event name`);
      if (!catalog.has(e)) {
        const hint = catalog.suggest(e);
        throw new WebSocketInputError(
          `events[${i}]`,
          `events[${i}]: unknown event '${e}'${hint ? `; did you mean '${hint}'?` : ''}`,
        );
      }
      if (!eventList.includes(e)) eventList.push(e);
    });
    if (name !== undefined && (typeof name !== 'string' || name.length > 128)) {
      throw new WebSocketInputError('name', 'name must be a string of at most 128 characters');
    }
    const sub: WebSocketSubscription = {
      // Same alphabet and length as the hub's webhook subscription IDs: URL-safe, no escaping needed.
      id: randomBytes(16).toString('base64url'),
      name: name ?? '',
      events: new Set(eventList),
      eventList,
      createdAt: this.now(),
      ...(ownerClientId === undefined ? {} : { ownerClientId }),
    };
    this.subs.set(sub.id, sub);
    return sub;
  }

  get(id: string): WebSocketSubscription | undefined {
    return this.subs.get(id);
  }

  remove(id: string): boolean {
    return this.subs.delete(id);
  }

  all(): WebSocketSubscription[] {
    return [...this.subs.values()];
  }

  /** Subscriptions that want this event (in creation order). */
  matching(event: string): WebSocketSubscription[] {
    const out: WebSocketSubscription[] = [];
    for (const s of this.subs.values()) if (s.events.has(event)) out.push(s);
    return out;
  }

  get size(): number {
    return this.subs.size;
  }
}
