/** Deterministic starting data: an account, its owner (`me`), colleagues, channels and a bot. */
import type { Store } from './store';
import type { Channel, ChannelSettings, Message, User } from './types';

export type Fixtures = 'default' | 'minimal';

export interface SeedUserInput {
  email: string;
  first_name?: string;
  last_name?: string;
  role?: User['role'];
  external?: boolean;
}

export interface SeedChannelInput {
  name: string;
  type?: number;
  /** Emails or user IDs; the first is the owner unless `owner` is set. */
  members?: string[];
  owner?: string;
}

const PEOPLE: Array<[string, string, User['role'], boolean]> = [
  ['Alex', 'Morgan', 'owner', false],
  ['Blake', 'Chen', 'admin', false],
  ['Casey', 'Diaz', 'member', false],
  ['Devon', 'Patel', 'member', false],
  ['Emery', 'Novak', 'member', true],
];

export function defaultSettings(): ChannelSettings {
  return {
    add_member_permissions: 1,
    new_members_can_see_previous_messages_files: true,
    posting_permissions: 1,
    mention_all_permissions: 1,
    allow_to_add_external_users: 0,
  };
}

export function makeUser(store: Store, input: SeedUserInput): User {
  const [local = 'user'] = input.email.split('@');
  const first = input.first_name ?? capitalise(local.split(/[._-]/)[0] ?? local);
  const last = input.last_name ?? capitalise(local.split(/[._-]/)[1] ?? '');
  return store.addUser({
    id: store.ids.id22(),
    seq: store.seq(),
    email: input.email,
    first_name: first,
    last_name: last,
    display_name: `${first} ${last}`.trim(),
    member_id: store.ids.memberId(),
    jid: store.ids.userJid(),
    external: input.external ?? false,
    role: input.role ?? 'member',
    status: 'active',
    presence_status: 'Available',
    job_title: input.role === 'owner' ? 'Account Owner' : 'Engineer',
    dept: input.external ? 'Partner' : 'Engineering',
    location: 'San Jose',
    phone_number: '',
  });
}

export function makeChannel(store: Store, input: SeedChannelInput, fallbackOwner: string): Channel {
  const refs = input.members?.length ? input.members : [fallbackOwner];
  const members = refs.map((r) => {
    const u = store.findUser(r);
    if (!u) throw new Error(`seed channel ${input.name}: unknown member ${r}`);
    return u;
  });
  const owner = input.owner ? store.findUser(input.owner) : members[0];
  if (!owner) throw new Error(`seed channel ${input.name}: unknown owner ${input.owner ?? ''}`);
  const id = store.ids.hex32();
  const now = store.now();
  const channel: Channel = {
    id,
    seq: store.seq(),
    jid: `${id}@conference.xmpp.zoom.us`,
    name: input.name,
    type: input.type ?? 1,
    settings: defaultSettings(),
    ownerId: owner.id,
    members: new Map(),
    createdAt: now,
    archived: false,
    retention: { enable_custom_retention: false, retention_period: '' },
  };
  for (const u of [owner, ...members]) {
    if (channel.members.has(u.id)) continue;
    channel.members.set(u.id, {
      userId: u.id,
      role: u.id === owner.id ? 'owner' : 'member',
      joinedAt: now,
      seq: store.seq(),
    });
  }
  return store.addChannel(channel);
}

export interface SeedResult {
  ownerId: string;
}

export function seedStore(
  store: Store,
  fixtures: Fixtures,
  bot: { clientId: string; jid: string; name: string; slashCommand: string },
): SeedResult {
  const domain = 'example.com';
  const people = fixtures === 'minimal' ? PEOPLE.slice(0, 1) : PEOPLE;
  const users = people.map(([first, last, role, external]) =>
    makeUser(store, {
      email: `${first.toLowerCase()}.${last.toLowerCase()}@${external ? 'partner.example.org' : domain}`,
      first_name: first,
      last_name: last,
      role,
      external,
    }),
  );
  const owner = users[0] as User;
  store.account = {
    id: store.ids.accountId(),
    name: 'Simulated Company',
    ownerId: owner.id,
    externalAccountId: store.ids.accountId(),
  };
  store.bots.set(bot.jid, {
    jid: bot.jid,
    name: bot.name,
    clientId: bot.clientId,
    accountId: store.account.id,
    slashCommand: bot.slashCommand,
    installedBy: owner.id,
  });
  if (fixtures === 'minimal') return { ownerId: owner.id };

  const [alex, blake, casey, devon] = users.map((u) => u.email);
  const general = makeChannel(store, { name: 'general', type: 3, members: [alex!, blake!, casey!, devon!] }, owner.id);
  makeChannel(store, { name: 'engineering', type: 1, members: [alex!, blake!, casey!] }, owner.id);
  makeChannel(store, { name: 'random', type: 3, members: [blake!, devon!] }, owner.id);
  const announcements = makeChannel(
    store,
    { name: 'announcements', type: 3, members: [alex!, blake!, casey!, devon!] },
    owner.id,
  );
  announcements.settings.posting_permissions = 2;

  // A short history so list/thread calls have something to show from the start. A listing
  // without a date shows today (UTC) only, so in the first hour of a UTC day the history is
  // squeezed in after midnight instead of starting an hour ago (it would be yesterday's).
  const now = store.now();
  const day = 24 * 60 * 60 * 1000;
  const start = Math.max(now - 60 * 60 * 1000, Math.floor(now / day) * day);
  const scale = Math.min(1, (now - start) / (11 * 60 * 1000));
  const post = (sender: User, text: string, minutes: number, replyTo?: Message): Message => {
    const m: Message = {
      id: store.ids.uuid(),
      seq: store.seq(),
      conversation: `c:${general.id}`,
      channelId: general.id,
      senderId: sender.id,
      text,
      timestamp: start + Math.round(minutes * 60 * 1000 * scale),
      fileIds: [],
      reactions: [],
      status: 'Normal',
      history: [],
      replyCount: 0,
      ...(replyTo ? { replyTo: replyTo.id } : {}),
    };
    if (replyTo) {
      replyTo.replyCount++;
      replyTo.lastReplyAt = m.timestamp;
    }
    store.addMessage(m);
    return m;
  };
  const welcome = post(owner, 'Welcome to the simulated workspace!', 0);
  post(users[1] as User, 'Thanks, glad to be here.', 5, welcome);
  post(users[2] as User, 'Standup at 10:00 as usual.', 10);
  welcome.reactions.push({ emoji: 'U+1F44D', userIds: [(users[1] as User).id] });
  return { ownerId: owner.id };
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
