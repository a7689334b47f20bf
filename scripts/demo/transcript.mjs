// The demo's readable transcript, printed as things happen: what the simulated people do, each
// API call the host makes to the (simulated) Zoom cloud, each webhook Zoom delivers to the host,
// each message that appears in a channel, and the checks. Times are seconds since the start.
// Lines come from several sources (the simulator's request and delivery hooks, its chat state,
// the scenario), so they are held for a moment and printed in the order they happened.

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const c = {
  dim: paint('2'),
  bold: paint('1'),
  green: paint('32'),
  red: paint('31'),
  yellow: paint('33'),
  cyan: paint('36'),
};

/** How long lines wait to be put in order, and how often the chat is looked at. */
const HOLD_MS = 120;
const TICK_MS = 40;
/** Deliveries of one burst (an event to every subscription) are gathered into one line. */
const DELIVERY_GATHER_MS = 15;

export function createTranscript({ start = Date.now() } = {}) {
  let sim;
  let names = new Map();
  let channelNames = new Map();
  let showPeople = false;
  let host = 'host';
  const seenMessages = new Set();
  const seenBotMessages = new Set();
  let queue = [];
  let seq = 0;
  let pendingDeliveries = [];
  let deliveryTimer;

  const stamp = (at) => c.dim(`${((at - start) / 1000).toFixed(1).padStart(6)}s`);
  /** A line (or block) that happened at `at`; raw: printed as is, without the time stamp. */
  const add = (at, text, raw = false) => queue.push({ at, seq: seq++, text: raw ? text : `${stamp(at)}  ${text}` });

  function print(all) {
    poll();
    const limit = all ? Infinity : Date.now() - HOLD_MS;
    const ready = queue.filter((e) => e.at <= limit).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (ready.length === 0) return;
    queue = queue.filter((e) => e.at > limit);
    process.stdout.write(`${ready.map((e) => e.text).join('\n')}\n`);
  }
  const ticker = setInterval(() => print(false), TICK_MS);
  ticker.unref();

  function channelLabel(m) {
    if (m.channelId) return `#${channelNames.get(m.channelId) ?? m.channelId}`;
    return `DM ${names.get(m.senderId) ?? m.senderId} → ${names.get(m.toUserId) ?? m.toUserId}`;
  }

  function addMessage(m) {
    const who = names.get(m.senderId) ?? m.senderId;
    const where = c.cyan(channelLabel(m).padEnd(13));
    const thread = m.replyTo ? `${c.dim('↳ in thread')} ` : '';
    if (m.fileIds.length > 0) {
      const files = m.fileIds.map((id) => {
        const f = sim.state.files.get(id);
        return f ? `${f.name} (${f.size} bytes)` : id;
      });
      add(m.timestamp, `${where} ${thread}${c.bold(who)} shared ${files.join(', ')}`);
      return;
    }
    const [first, ...more] = String(m.text).split('\n');
    const indent = ' '.repeat(8 + 2 + 14 + (m.replyTo ? 12 : 0) + who.length + 2);
    add(m.timestamp, [`${where} ${thread}${c.bold(who)}: ${first}`, ...more.map((l) => `${indent}${l}`)].join('\n'));
  }

  function addBotMessage(b) {
    const where = c.cyan(`#${channelNames.get(String(b.toJid).split('@')[0]) ?? b.toJid}`.padEnd(13));
    const bot = [...sim.state.bots.values()].find((x) => x.jid === b.robotJid)?.name ?? 'bot';
    const content = b.content ?? {};
    if (content.head) {
      const parts = [];
      for (const block of content.body ?? []) {
        if (block.type === 'message') parts.push(block.text);
        if (block.type === 'fields') parts.push((block.items ?? []).map((i) => `${i.key}: ${i.value}`).join(' · '));
        if (block.type === 'section') parts.push(...(block.sections ?? []).map((s) => s.text).filter(Boolean));
      }
      const sub = content.head.sub_head ? ` (${content.head.sub_head.text})` : '';
      add(
        b.sentAt,
        `${where} ${c.bold(bot)} card “${content.head.text}”${sub}${parts.length ? ` — ${parts.join(' | ')}` : ''}`,
      );
    } else {
      add(
        b.sentAt,
        `${where} ${c.bold(bot)}: ${(content.body ?? [])
          .map((x) => x.text)
          .filter(Boolean)
          .join(' ')}`,
      );
    }
  }

  /** Queues the messages that appeared since the last look (in-process: reads the simulator's store). */
  function poll() {
    if (!sim) return;
    const owner = sim.state.account?.ownerId;
    for (const m of sim.state.messages.values()) {
      if (seenMessages.has(m.id)) continue;
      seenMessages.add(m.id);
      // During the script, what people post is announced by the scenario itself.
      if (showPeople || m.senderId === owner) addMessage(m);
    }
    for (const b of sim.state.botMessages.values()) {
      if (seenBotMessages.has(b.id)) continue;
      seenBotMessages.add(b.id);
      addBotMessage(b);
    }
  }

  function gatherDeliveries() {
    deliveryTimer = undefined;
    const groups = new Map();
    for (const r of pendingDeliveries) groups.set(r.event, [...(groups.get(r.event) ?? []), r]);
    pendingDeliveries = [];
    for (const [event, records] of groups) {
      // Per path: how many deliveries, and their answers.
      const byPath = new Map();
      for (const r of records) {
        const p = new URL(r.url).pathname;
        const e = byPath.get(p) ?? { n: 0, answers: new Set(), failed: undefined };
        e.n++;
        e.answers.add(r.status !== undefined ? String(r.status) : (r.error ?? r.outcome));
        if (r.outcome !== 'delivered') e.failed = r.outcome;
        byPath.set(p, e);
      }
      const count = Math.max(...[...byPath.values()].map((e) => e.n));
      const targets = [...byPath].map(([p, e]) => {
        const text = `${p} ${[...e.answers].join('/')}`;
        return e.failed ? c.red(`${text} (${e.failed})`) : text;
      });
      // Placed when the host answered (a slow answer would otherwise print out of order).
      const at = Math.min(...records.map((r) => r.at + r.durationMs));
      add(at, c.dim(`  ⇢ Zoom → ${host}: ${count > 1 ? `${count}× ` : ''}${event} → ${targets.join(' · ')}`));
    }
  }

  return {
    /** Prints everything held now (before printing something directly). */
    flush: () => print(true),
    section(title) {
      add(Date.now(), `\n${c.bold(`── ${title} ${'─'.repeat(Math.max(3, 78 - title.length))}`)}`, true);
    },
    info: (text) => add(Date.now(), text),
    say: (text) => add(Date.now(), `${c.yellow('▶')} ${text}`),
    pass(name, detail) {
      add(
        Date.now(),
        `${c.green('✓')} ${name}${detail ? c.dim(` — ${detail.length > 140 ? `${detail.slice(0, 139)}…` : detail}`) : ''}`,
      );
    },
    fail(name, err) {
      add(Date.now(), `${c.red('✗')} ${name}: ${c.red(err instanceof Error ? err.message : String(err))}`);
    },
    /** For startSimulator({ onRequest }): each finished API call, placed at its start. */
    onRequest(entry) {
      if (entry.server === 'admin') return;
      const server =
        { api: 'API', file: 'file host', fileTarget: 'file host (after redirect)', oauth: 'OAuth', ws: 'WebSocket' }[
          entry.server
        ] ?? entry.server;
      add(
        Date.now() - entry.ms,
        c.dim(`  ⇠ ${host} → Zoom ${server}: ${entry.method} ${entry.path} ${entry.status} (${entry.ms} ms)`),
      );
    },
    /** For startSimulator({ webhooks: { onRecord } }): each delivery attempt. */
    onDelivery(record) {
      pendingDeliveries.push(record);
      deliveryTimer ??= setTimeout(gatherDeliveries, DELIVERY_GATHER_MS);
    },
    /** Starts following the simulator's chat (messages already there are not printed). */
    attach(simulator, { hostName, users, channels }) {
      sim = simulator;
      host = hostName;
      names = new Map(users.map((u) => [u.id, u.display_name]));
      channelNames = new Map(Object.values(channels).map((ch) => [ch.id, ch.name]));
      for (const ch of sim.state.channels.values()) channelNames.set(ch.id, ch.name);
      for (const m of sim.state.messages.values()) seenMessages.add(m.id);
      for (const b of sim.state.botMessages.values()) seenBotMessages.add(b.id);
    },
    /** After the script: print everyone's messages too (the user is playing). */
    showEveryone() {
      print(true);
      showPeople = true;
    },
    /** Host log lines: once running, warnings and errors are shown (start-up notices stay in the log file). */
    hostLog(lineText) {
      if (sim && /\[(warn|error)\]/.test(lineText))
        add(Date.now(), c.yellow(`  ${host} log: ${lineText.replace(/^\d+ \w+ [\d:]+ - /, '')}`));
    },
    stop() {
      clearInterval(ticker);
      if (deliveryTimer) clearTimeout(deliveryTimer);
      print(true);
    },
  };
}
