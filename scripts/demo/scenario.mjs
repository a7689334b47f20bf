// The demo's main scenario, the same on every host: a simulated person posts in #general →
// Zoom delivers the signed event to the host's trigger → the flow answers in the thread, posts
// an alert into #alerts, lists #general's history and shares it as a file in the thread. And a
// chatbot slash command gets a card. Every step is checked against the simulator's state.
import { assert, quote } from '@zoom-team-chat/testkit/scenario';
import { waitFor } from '@zoom-team-chat/testkit/wait-for';

const TEXT = 'Hi team, the launch checklist is ready for review';

/** `triggerUrl`: where the host's tour trigger listens (the simulator delivers there). */
export async function tour(t, { triggerUrl }) {
  const { channels, blake, owner } = t.ws;
  const general = await t.watch(channels.general);
  const alerts = await t.watch(channels.alerts);
  const post = await t.post(blake, channels.general, TEXT);

  await t.check('Zoom delivered the signed event to the trigger, which accepted it', async () => {
    const url = new URL(triggerUrl).href; // normalised as the simulator keeps it (no :80)
    const record = await waitFor('the delivery', async () => {
      const all = await t.sim.admin.deliveries();
      return all.find(
        (d) => new URL(d.url).href === url && d.event === 'team_chat.channel_message_posted' && d.at >= post.timestamp,
      );
    });
    assert(record.outcome === 'delivered', `delivery ${record.outcome} (${record.status ?? record.error})`);
    return `${record.event} → ${new URL(triggerUrl).pathname}: ${record.status} in ${record.durationMs} ms`;
  });

  await t.check('the flow answered in the thread', async () => {
    const m = await general.next('the answer in the thread', (x) => x.replyTo === post.id && x.fileIds.length === 0);
    assert(m.senderId === owner.id, 'not sent by the app’s user');
    assert(m.text.includes('Thanks'), `answered ${quote(m.text)}`);
    return quote(m.text);
  });

  await t.check('the flow posted an alert into #alerts', async () => {
    const m = await alerts.next('the alert', (x) => x.text.includes(TEXT));
    assert(m.text.includes('#general'), `alert ${quote(m.text)} does not say where`);
    return quote(m.text);
  });

  await t.check('the flow listed #general’s history and shared it as a file in the thread', async () => {
    const m = await general.next('the file in the thread', (x) => x.replyTo === post.id && x.fileIds.length > 0);
    const file = await t.sim.admin.file(m.fileIds[0]);
    const content = (await t.sim.admin.fileContent(file.id)).toString('utf8');
    const lines = content.trim().split('\n');
    assert(content.includes(TEXT), 'the file does not hold the new message');
    // The seed has three messages in #general: a listing, not just the event, fed the file.
    assert(lines.length >= 4, `only ${lines.length} lines of history`);
    return `${file.name}: ${lines.length} messages, ${file.size} bytes`;
  });

  await t.check('the app’s own messages did not start the flow again (no loop)', async () => {
    await t.sim.admin.settleWebhooks();
    await new Promise((r) => setTimeout(r, 500));
    const replies = (await general.fresh()).filter((m) => m.replyTo === post.id);
    assert(replies.length === 2, `${replies.length} messages in the thread (expected the answer and the file)`);
    const alerted = (await alerts.fresh()).filter((m) => m.text.includes(TEXT));
    assert(alerted.length === 1, `${alerted.length} alerts`);
  });
}

/** A slash command to the simulator's bot gets a card (hosts whose examples do not cover it). */
export async function chatbotCard(t) {
  const { channels, casey } = t.ws;
  t.say(`${casey.display_name} in #general: “/simbot help”`);
  const before = new Set((await t.sim.admin.botMessages()).map((m) => m.id));
  await t.sim.admin.slashCommand({ as: casey.email, command: 'help', channel: channels.general.id });
  await t.check('the chatbot answered the slash command with a card in #general', async () => {
    const m = await waitFor('the card', async () => (await t.sim.admin.botMessages()).find((x) => !before.has(x.id)));
    assert(m.toJid === channels.general.jid, `sent to ${m.toJid}`);
    assert(
      typeof m.content?.head?.text === 'string' && Array.isArray(m.content.body),
      `not a card: ${JSON.stringify(m.content)}`,
    );
    return `card “${m.content.head.text}”`;
  });
}
