// What a scripted scenario against the Zoom simulator works with, on any host: the workspace it
// acts in (channels and people) and the run (`createRun`: checks, posts, replies, watching a
// channel). Shared by the Node-RED use-case scenarios (nr-use-cases.mjs) and the repository's demo
// (scripts/demo.mjs and its tour, which runs on Node-RED and on n8n).
import { randomBytes } from 'node:crypto';

import { waitFor } from './wait-for.mjs';

const PEOPLE = ['blake.chen@example.com', 'casey.diaz@example.com', 'devon.patel@example.com'];
/** Channels the scenarios act in; the simulator's seed has general and engineering already. */
const CHANNELS = ['general', 'engineering', 'alerts', 'projects', 'support', 'builds', 'reports', 'ops', 'deploys'];

/** Creates the channels the scenarios use (owned by the account owner, with three colleagues). */
export async function prepareWorkspace(sim) {
  const users = await sim.admin.users();
  const owner = users.find((u) => u.role === 'owner');
  if (!owner) throw new Error('the simulator has no account owner');
  const person = (email) => {
    const u = users.find((x) => x.email === email);
    if (!u) throw new Error(`the simulator has no user ${email}`);
    return u;
  };
  const [blake, casey, devon] = PEOPLE.map(person);
  const existing = await sim.admin.channels();
  const channels = {};
  for (const name of CHANNELS) {
    channels[name] =
      existing.find((c) => c.name === name) ??
      (await sim.admin.createChannel({ as: owner.email, name, type: 1, members: PEOPLE }));
  }
  const env = {
    DEMO_CHANNEL: channels.general.id,
    ALERT_CHANNEL: channels.alerts.id,
    // The person on call, @mentioned in alerts.
    ON_CALL: devon.email,
    FILES_CHANNEL: channels.reports.id,
    TASKS_CHANNEL: channels.projects.id,
    RELAY_FROM: channels.support.id,
    RELAY_TO: channels.engineering.id,
    CI_CHANNEL: channels.builds.id,
    WS_CHANNEL: channels.ops.id,
    APPROVAL_CHANNEL: channels.deploys.id,
  };
  // The WebSocket example's event subscription (method WebSocket), as the Marketplace would show it.
  const wsSubscription = await sim.admin.createWebSocketSubscription({
    events: ['team_chat.channel_message_posted'],
    name: 'events over WebSocket',
  });
  env.ZOOM_WS_SUBSCRIPTION = wsSubscription.endpointUrl;
  // Tab variables of type "cred" (deployed as credentials, never exported).
  const secrets = { WEBHOOK_TOKEN: randomBytes(12).toString('hex') };
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  return { owner, blake, casey, devon, users, names, channels, env, secrets, wsSubscription };
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * What a scenario works with. `report` prints: say(text) for what happens, pass(name, detail)
 * and fail(name, error) for checks.
 */
export function createRun({ sim, base, ws, report }) {
  const results = [];
  const run = {
    sim,
    base,
    ws,
    results,
    say: (text) => report.say(text),
    async check(name, fn) {
      try {
        const detail = await fn();
        results.push({ name, ok: true });
        report.pass(name, typeof detail === 'string' ? detail : undefined);
      } catch (err) {
        results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
        report.fail(name, err);
      }
    },
    http: (p, init) => fetch(`${base}${p}`, init),
    async inject(id) {
      const r = await fetch(`${base}/inject/${id}`, { method: 'POST' });
      if (!r.ok) throw new Error(`POST /inject/${id} answered ${r.status}`);
    },
    /** The channel's messages from now on: next(pred) waits for a new one matching pred. */
    async watch(channel) {
      const seen = new Set((await sim.admin.channelMessages(channel.id)).map((m) => m.id));
      return {
        next: (what, pred, ms) =>
          waitFor(
            what,
            async () => (await sim.admin.channelMessages(channel.id)).find((m) => !seen.has(m.id) && pred(m)),
            ms,
          ),
        fresh: async () => (await sim.admin.channelMessages(channel.id)).filter((m) => !seen.has(m.id)),
      };
    },
    async post(who, channel, text) {
      run.say(`${who.display_name} in #${channel.name}: ${quote(text)}`);
      return sim.admin.postMessage({ as: who.email, channel: channel.id, text });
    },
    /** A reply in the thread of `main` (a message of `channel`). */
    async reply(who, channel, main, text) {
      run.say(`${who.display_name} in #${channel.name}, in the thread: ${quote(text)}`);
      return sim.admin.reply({ as: who.email, channel: channel.id, replyTo: main.id, text });
    },
    name: (userId) => ws.names.get(userId) ?? userId,
  };
  return run;
}

export function quote(text) {
  const lines = String(text).split('\n');
  return lines.length === 1
    ? `“${lines[0]}”`
    : `“${lines[0]}” (+${lines.length - 1} more line${lines.length > 2 ? 's' : ''})`;
}
