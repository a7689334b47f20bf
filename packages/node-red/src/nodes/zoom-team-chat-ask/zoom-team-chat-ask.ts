/**
 * `zoom-team-chat-ask`: posts a question and leaves by output 1 when someone answers it, or by
 * output 2 when nobody has before the timeout. With a Chatbot account the question is a card with
 * buttons; with a user-level account (Server-to-Server or user OAuth) it is a message answered in
 * its thread. Clicks and replies reach this node through the account's event bus, fed by a zoom
 * trigger on the same account. Open questions live in the node's context, so they survive a
 * redeploy and, with a persistent context store, a restart.
 */
import { causedByAny, sentByThisRuntime, type ZoomClient, type ZoomEvent } from '@zoom-team-chat/core';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { getAccount, type Account } from '../../lib/account';
import { toError } from '../../lib/action';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from '../../lib/red';
import { replyTargetOf, resolveTarget } from '../../lib/targets';
import { isPlainObject, list, need, pick, str } from '../../lib/values';
import {
  answeredSummary,
  chatbotCard,
  clickOf,
  closedCard,
  DEFAULT_OPTIONS,
  markNotified,
  matchOption,
  messageText,
  parseOptions,
  pruneClosed,
  readState,
  storableMsg,
  threadReplyOf,
  timedOutSummary,
  type Answer,
  type AskKind,
  type AskState,
  type Closed,
  type Pending,
  type Where,
} from './questions';

const STATE_KEY = 'zoomAskQuestions';
/** setTimeout's ceiling (about 24.8 days): longer timeouts are re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;
/** How long a reply waits for our own sends in flight (to recognise the echo of our own thread reply). */
const OWN_SEND_WAIT_MS = 5_000;
/** If Node-RED never says the flows started (a test harness), time-outs due at start wait this long. */
const STARTED_FALLBACK_MS = 2_000;
/** Event identities handled (in memory): the same click or reply delivered twice is handled once. */
const SEEN_MAX = 1_000;

const unrefSleep = (ms: number) => delay(ms, undefined, { ref: false });

/**
 * Each node's questions, handed from the node a redeploy stops to the one it starts. Without a
 * contextStorage in settings.js, Node-RED deletes a node's context whenever the node stops, so the
 * context alone would lose them at every deploy; a configured store keeps them (a persistent one
 * across restarts too) and this is then a copy of the same. Exported for the tests, which empty it
 * to stand for a new process.
 */
export const carriedStates = new Map<string, AskState>();

/** Node-RED's context with a store name (the typed slice in lib/red.ts has none). */
interface StoreContext {
  get(key: string, store: string | undefined, callback: (err: Error | null | undefined, value: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
}

interface Live {
  msg: NodeMessage;
  send: SendFn;
  done: DoneFn;
}

function timeoutMinutes(def: NodeDef, msg: NodeMessage): number {
  const raw = str(def.timeout) ?? str(msg.timeout);
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`Timeout must be a number of minutes ≥ 0 (0: wait for ever), got ${JSON.stringify(raw)}.`);
  return n;
}

function questionText(def: NodeDef, msg: NodeMessage): string {
  const payload = msg.payload;
  return need(
    pick(def.question, typeof payload === 'string' || typeof payload === 'number' ? payload : undefined),
    'The question',
    'msg.payload (a string)',
  );
}

/** True when an enabled zoom trigger of `accountId` is among the deployed nodes (or when Node-RED cannot say). */
function triggerDeployed(RED: NodeAPI, accountId: string): boolean {
  const eachNode = (RED.nodes as { eachNode?(cb: (n: NodeDef) => void): void }).eachNode;
  if (typeof eachNode !== 'function') return true;
  let found = false;
  eachNode((n) => {
    if (n.type === 'zoom-team-chat-trigger' && n.account === accountId && n.d !== true) found = true;
  });
  return found;
}

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatAskNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const accountId = typeof def.account === 'string' ? def.account : '';
    const store = str(def.store);
    const context = node.context() as unknown as StoreContext;
    const live = new Map<string, Live>();
    const timers = new Map<string, NodeJS.Timeout>();
    const seen = new Set<string>();
    let state: AskState = readState(undefined);
    let closed = false;
    let lastOutcome: 'answered' | 'timed out' | undefined;
    let warnedEmails = false;
    let warnedTrigger = false;
    let isLoaded = false;
    let saving: Promise<void> = Promise.resolve();

    const loaded = new Promise<void>((resolve) => {
      context.get(STATE_KEY, store, (err, value) => {
        if (err)
          node.warn(
            `Could not read the open questions from the context store${store ? ` "${store}"` : ''}: ${toError(err).message}`,
          );
        const carried = carriedStates.get(node.id);
        carriedStates.delete(node.id);
        state = readState(err ? undefined : value);
        if (carried !== undefined && Object.keys(state.pending).length === 0 && Object.keys(state.closed).length === 0)
          state = carried;
        isLoaded = true;
        resolve();
      });
    });

    const save = (): Promise<void> => {
      const snapshot = JSON.parse(JSON.stringify(state)) as AskState;
      saving = saving.then(
        () =>
          new Promise<void>((resolve) => {
            context.set(STATE_KEY, snapshot, store, (err) => {
              if (err)
                node.warn(
                  `Could not save the open questions in the context store${store ? ` "${store}"` : ''}: ${toError(err).message}`,
                );
              resolve();
            });
          }),
      );
      return saving;
    };

    const showStatus = () => {
      if (closed) return;
      const n = Object.keys(state.pending).length;
      if (n > 0) node.status({ fill: 'blue', shape: 'ring', text: `waiting (${n})` });
      else if (lastOutcome === 'answered') node.status({ fill: 'green', shape: 'dot', text: 'answered' });
      else if (lastOutcome === 'timed out') node.status({ fill: 'yellow', shape: 'ring', text: 'timed out' });
      else node.status({});
    };

    const rememberSeen = (key: string): boolean => {
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > SEEN_MAX) {
        const oldest = seen.values().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      return true;
    };

    const clientOf = async (): Promise<{ client: ZoomClient; account: Account } | undefined> => {
      const account = getAccount(accountId);
      if (account === undefined || account.closed) return undefined;
      return { client: await account.client(), account };
    };

    /** A chatbot message only the clicker sees (visible_to_user), so a channel is not flooded. */
    const tellClicker = async (
      where: Where,
      click: { toJid?: string; userJid?: string; robotJid?: string; accountId?: string },
      text: string,
    ) => {
      const c = await clientOf();
      const robot = click.robotJid ?? where.robotJid;
      const account = click.accountId ?? where.accountId;
      if (
        c === undefined ||
        click.toJid === undefined ||
        click.userJid === undefined ||
        robot === undefined ||
        account === undefined
      )
        return;
      await c.client.chatbot.send(
        {
          robot_jid: robot,
          to_jid: click.toJid,
          user_jid: click.userJid,
          account_id: account,
          visible_to_user: click.userJid,
          content: { body: [{ type: 'message', text }] },
        },
        { signal: c.account.signal },
      );
    };

    /** A reply in the question's thread (user messages). */
    const replyInThread = async (where: Where, text: string) => {
      const c = await clientOf();
      if (c === undefined || where.messageId === undefined) return;
      const body: Record<string, unknown> = { message: text, reply_main_message_id: where.messageId };
      if (where.channel !== undefined) body.to_channel = where.channel;
      else if (where.contact !== undefined) body.to_contact = where.contact;
      else return;
      await c.client.messages.send(body as Parameters<ZoomClient['messages']['send']>[0], {
        userId: where.actAs ?? 'me',
        signal: c.account.signal,
      });
    };

    const quietly = (what: string, work: Promise<unknown>) => {
      work.catch((err: unknown) => {
        if (!closed) node.warn(`${what} failed: ${toError(err).message}`);
      });
    };

    /** Marks the question answered or timed out, so nobody can answer it again. */
    const closeQuestion = async (p: Pending, summary: string) => {
      if (p.messageId === undefined) return;
      if (p.kind === 'chatbot') {
        const c = await clientOf();
        if (c === undefined || p.robotJid === undefined || p.accountId === undefined) return;
        await c.client.chatbot.edit(
          p.messageId,
          {
            robot_jid: p.robotJid,
            account_id: p.accountId,
            ...(p.userJid !== undefined ? { user_jid: p.userJid } : {}),
            content: closedCard(p, summary),
          },
          { signal: c.account.signal },
        );
      } else {
        await replyInThread(p, summary);
      }
    };

    const questionInfo = (p: Pending) => ({
      id: p.id,
      kind: p.kind,
      ...(p.messageId !== undefined ? { messageId: p.messageId } : {}),
      ...(p.channel !== undefined ? { channel: p.channel } : {}),
      ...(p.contact !== undefined ? { contact: p.contact } : {}),
      ...(p.toJid !== undefined ? { toJid: p.toJid } : {}),
      askedAt: new Date(p.askedAt).toISOString(),
      ...(p.expiresAt > 0 ? { expiresAt: new Date(p.expiresAt).toISOString() } : {}),
    });

    /** Closes `p` in the state and sends it on: output 1 with the answer, output 2 on timeout. */
    const finish = (p: Pending, outcome: 'answered' | 'timed out', answer?: Answer, answerKey?: string) => {
      const now = Date.now();
      const summary = answer !== undefined ? answeredSummary(p, answer) : timedOutSummary(p, now);
      delete state.pending[p.id];
      const where: Where = { kind: p.kind };
      for (const k of [
        'messageId',
        'toJid',
        'userJid',
        'robotJid',
        'accountId',
        'channel',
        'contact',
        'actAs',
      ] as const) {
        if (p[k] !== undefined) where[k] = p[k];
      }
      const record: Closed = {
        ...where,
        id: p.id,
        outcome,
        summary,
        closedAt: now,
        notified: [],
        ...(answerKey !== undefined ? { answerKey } : {}),
      };
      state.closed[p.id] = record;
      pruneClosed(state, now);
      void save();
      const timer = timers.get(p.id);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(p.id);
      lastOutcome = outcome;
      showStatus();

      const held = live.get(p.id);
      live.delete(p.id);
      const base: NodeMessage = held?.msg ?? (p.msg as NodeMessage);
      const zoom = { ...(isPlainObject(base.zoom) ? base.zoom : {}), question: questionInfo(p) };
      const out: NodeMessage =
        answer !== undefined
          ? { ...base, payload: answer.value, zoom: { ...zoom, answer } }
          : { ...base, zoom: { ...zoom, timedOut: true } };
      const ports = answer !== undefined ? [out, null] : [null, out];
      if (held !== undefined) {
        held.send(ports);
        held.done();
      } else {
        node.send(ports);
      }
      quietly('Updating the question', closeQuestion(p, summary));
    };

    const arm = (p: Pending) => {
      if (p.expiresAt <= 0 || closed) return;
      const previous = timers.get(p.id);
      if (previous !== undefined) clearTimeout(previous);
      const wait = Math.max(0, Math.min(p.expiresAt - Date.now(), MAX_TIMER_MS));
      timers.set(
        p.id,
        setTimeout(() => {
          timers.delete(p.id);
          const current = state.pending[p.id];
          if (current === undefined || closed) return;
          if (current.expiresAt > Date.now()) arm(current);
          else finish(current, 'timed out');
        }, wait),
      );
    };

    /** A button click. Everything after the lookup is synchronous, so two clicks cannot both answer. */
    const onClick = (event: ZoomEvent) => {
      const click = clickOf(event);
      if (click === undefined) return;
      const p = state.pending[click.id];
      const done = state.closed[click.id];
      const record = p ?? done;
      if (record === undefined || record.kind !== 'chatbot') return;
      // The token names the question; the message ID must agree when both are known.
      if (record.messageId !== undefined && click.messageId !== undefined && record.messageId !== click.messageId)
        return;
      if (!rememberSeen(click.key)) return;
      if (p === undefined) {
        if (done!.answerKey === click.key) return;
        quietly('Telling a late responder', tellClicker(done!, click, `This question is closed. ${done!.summary}`));
        return;
      }
      if (p.allowed.length > 0 && !causedByAny(event, p.allowed)) {
        quietly(
          'Telling a responder who may not answer',
          tellClicker(p, click, 'You are not one of the people who can answer this question.'),
        );
        return;
      }
      const option = p.options.find((o) => o.value === click.value);
      if (option === undefined) return;
      const answer: Answer = {
        value: option.value,
        text: click.label ?? option.label,
        ...(click.userJid !== undefined ? { userJid: click.userJid } : {}),
        ...(click.userId !== undefined ? { userId: click.userId } : {}),
        ...(click.userName !== undefined ? { userName: click.userName } : {}),
        respondedAt: new Date(click.at).toISOString(),
        via: 'button',
      };
      finish(p, 'answered', answer, click.key);
    };

    const onReply = async (event: ZoomEvent) => {
      const reply = threadReplyOf(event);
      if (reply === undefined) return;
      const mine = (r: Where) => r.kind === 'message' && r.messageId === reply.mainId;
      if (!Object.values(state.pending).some(mine) && !Object.values(state.closed).some(mine)) return;
      const key = `reply:${reply.replyId ?? `${reply.mainId}:${reply.userId ?? ''}:${reply.at}`}`;
      if (!rememberSeen(key)) return;
      // Our own thread replies (the outcome, a notice) come back as events too.
      if (reply.replyId !== undefined && (await sentByThisRuntime(reply.replyId, unrefSleep, OWN_SEND_WAIT_MS))) return;
      if (closed) return;
      const p = Object.values(state.pending).find(mine);
      const who = (reply.userEmail ?? reply.userId ?? '').toLowerCase();
      if (p === undefined) {
        const done = Object.values(state.closed).find(mine);
        if (done === undefined || done.answerKey === key) return;
        // Once per person: a thread people go on chatting in must not fill with notices.
        if (markNotified(done.notified, who)) {
          void save();
          quietly('Telling a late responder', replyInThread(done, `This question is closed. ${done.summary}`));
        }
        return;
      }
      if (p.allowed.length > 0 && !causedByAny(event, p.allowed)) {
        if (markNotified(p.notified, `not allowed:${who}`)) {
          void save();
          quietly(
            'Telling a responder who may not answer',
            replyInThread(
              p,
              `${reply.userEmail ?? 'You'}: you are not one of the people who can answer this question.`,
            ),
          );
        }
        return;
      }
      const option = matchOption(reply.text, p.options);
      if (option === undefined && !(p.freeText && reply.text.trim() !== '')) {
        if (p.options.length > 0 && markNotified(p.notified, `hint:${who}`)) {
          void save();
          quietly(
            'Explaining how to answer',
            replyInThread(p, `Not an answer: reply with one of ${p.options.map((o) => o.label).join(' / ')}.`),
          );
        }
        return;
      }
      const answer: Answer = {
        value: option?.value ?? reply.text.trim(),
        text: reply.text,
        ...(reply.userId !== undefined ? { userId: reply.userId } : {}),
        ...(reply.userEmail !== undefined ? { userEmail: reply.userEmail } : {}),
        respondedAt: new Date(reply.at).toISOString(),
        via: 'thread',
      };
      finish(p, 'answered', answer, key);
    };

    const onEvent = async (event: ZoomEvent) => {
      await loaded;
      if (closed) return;
      if (event.event === 'interactive_message_actions') onClick(event);
      else await onReply(event);
    };

    const account = getAccount(accountId);
    const unsubscribe = account?.onEvent((event) =>
      onEvent(event).catch((err: unknown) => node.warn(`A Zoom event could not be handled: ${toError(err).message}`)),
    );
    if (account === undefined) node.status({ fill: 'red', shape: 'ring', text: 'no account' });

    // Questions that came due while Node-RED was down leave once the flows run (so the nodes
    // wired after this one exist); the others wait for the rest of their time.
    let startedUp = false;
    const runtimeEvents = (
      RED as unknown as {
        events?: { once?(name: string, fn: () => void): void; off?(name: string, fn: () => void): void };
      }
    ).events;
    const startUp = () => {
      if (startedUp || closed) return;
      startedUp = true;
      const now = Date.now();
      for (const p of Object.values(state.pending)) {
        if (p.expiresAt > 0 && p.expiresAt <= now) finish(p, 'timed out');
      }
    };
    void loaded.then(() => {
      if (closed) return;
      for (const p of Object.values(state.pending)) if (p.expiresAt > Date.now()) arm(p);
      if (account !== undefined) showStatus();
      runtimeEvents?.once?.('flows:started', startUp);
      setTimeout(startUp, STARTED_FALLBACK_MS).unref?.();
    });

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      let reported = false;
      const fail = (err: unknown) => {
        if (reported) return;
        reported = true;
        const error = toError(err);
        if (!closed)
          node.status({
            fill: 'red',
            shape: 'ring',
            text: error.message.length > 60 ? `${error.message.slice(0, 57)}…` : error.message,
          });
        done(error);
      };
      void (async () => {
        const current = getAccount(accountId);
        if (current === undefined)
          throw new Error('No Zoom account: select a zoom-team-chat-account config node in this node.');
        await loaded;
        const kind: AskKind = current.settings.authKind === 'chatbot' ? 'chatbot' : 'message';
        if (!warnedTrigger && !triggerDeployed(RED, accountId)) {
          warnedTrigger = true;
          node.warn(
            'No zoom trigger uses this account node: answers reach zoom ask through one. Deploy a zoom trigger with the same account (its Events filter does not matter).',
          );
        }
        const configured = parseOptions(def.buttons, 'Buttons');
        let options = configured.length > 0 ? configured : parseOptions(msg.buttons, 'msg.buttons');
        // A node written without the field (not through the editor) asks the editor's default.
        if (options.length === 0 && def.buttons === undefined) options = DEFAULT_OPTIONS.map((o) => ({ ...o }));
        const freeText = kind === 'message' && def.freeText === true;
        if (options.length === 0 && (kind === 'chatbot' || !freeText)) {
          throw new Error(
            kind === 'chatbot'
              ? 'A chatbot question needs at least one button.'
              : 'No buttons: add answers to choose from, or tick "Accept any text".',
          );
        }
        const minutes = timeoutMinutes(def, msg);
        const now = Date.now();
        const allowed = list(def.allowed).length > 0 ? list(def.allowed) : list(msg.allowed);
        if (kind === 'chatbot' && !warnedEmails && allowed.some((a) => a.includes('@') && !/xmpp/i.test(a))) {
          warnedEmails = true;
          node.warn(
            'Allowed responders: a button click names the user by ID and JID only, so emails in the list never match. List user IDs or JIDs for a Chatbot account.',
          );
        }
        const title = pick(def.title, msg.title);
        const p: Pending = {
          id: randomBytes(8).toString('hex'),
          kind,
          ...(title !== undefined ? { title } : {}),
          question: questionText(def, msg),
          options,
          freeText,
          allowed,
          askedAt: now,
          expiresAt: minutes > 0 ? now + Math.round(minutes * 60_000) : 0,
          msg: storableMsg(msg),
          notified: [],
        };
        const client = await current.client();
        let body: Record<string, unknown>;
        if (kind === 'chatbot') {
          const reply = replyTargetOf(msg);
          p.robotJid = need(
            str(current.settings.botJid) ?? str(msg.robotJid) ?? str(reply?.robotJid),
            'The bot JID',
            'msg.robotJid (or set Bot JID in the account node)',
          );
          p.toJid = need(
            pick(def.toJid, msg.toJid) ?? str(reply?.toJid),
            'The channel or user JID (To JID)',
            'msg.toJid',
          );
          p.userJid = need(
            pick(def.userJid, msg.userJid) ?? str(reply?.userJid),
            'The user JID (on behalf of)',
            'msg.userJid',
          );
          p.accountId = need(
            str(current.accountId) ?? str(msg.accountId) ?? str(reply?.accountId),
            'The account ID',
            'msg.accountId (or set Account ID in the account node)',
          );
          body = {
            robot_jid: p.robotJid,
            to_jid: p.toJid,
            user_jid: p.userJid,
            account_id: p.accountId,
            content: chatbotCard(p),
          };
        } else {
          // A question is a thread's main message: answers in its thread name it as their main message.
          const { replyTo: _replyTo, ...noThread } = msg;
          void _replyTo;
          const target = resolveTarget({ channel: def.channel, contact: def.contact, replyInThread: false }, noThread);
          if (target.channel !== undefined) p.channel = target.channel;
          if (target.contact !== undefined) p.contact = target.contact;
          p.actAs = pick(current.settings.userId, msg.userId) ?? 'me';
          body = {
            message: messageText(p),
            ...(p.channel !== undefined ? { to_channel: p.channel } : { to_contact: p.contact }),
          };
        }
        // Open before sending: a click can arrive before Zoom has answered the send.
        state.pending[p.id] = p;
        live.set(p.id, { msg, send, done });
        let result: unknown;
        try {
          result =
            kind === 'chatbot'
              ? await client.chatbot.send(body, { signal: current.signal })
              : await client.messages.send(body as Parameters<ZoomClient['messages']['send']>[0], {
                  userId: p.actAs ?? 'me',
                  signal: current.signal,
                });
        } catch (err) {
          delete state.pending[p.id];
          live.delete(p.id);
          throw err;
        }
        const sent = isPlainObject(result) ? (str(result.message_id) ?? str(result.id)) : undefined;
        if (state.pending[p.id] !== undefined) {
          if (sent !== undefined) p.messageId = sent;
          await save();
          arm(p);
          showStatus();
        } else if (sent !== undefined) {
          // Answered before the send returned: the closed record still needs the message ID, and
          // the question its update.
          p.messageId = sent;
          const record = state.closed[p.id];
          if (record !== undefined) {
            record.messageId = sent;
            void save();
            quietly('Updating the question', closeQuestion(p, record.summary));
          }
        }
      })().catch(fail);
    });

    node.on('close', (removed: boolean, finished: () => void) => {
      closed = true;
      // Before its state was read, a node has nothing of its own to hand on.
      if (removed) carriedStates.delete(node.id);
      else if (isLoaded) carriedStates.set(node.id, JSON.parse(JSON.stringify(state)) as AskState);
      unsubscribe?.();
      runtimeEvents?.off?.('flows:started', startUp);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      // The held messages are dropped: after a redeploy their stored copies leave instead.
      live.clear();
      node.status({});
      saving.then(finished, finished);
    });
  }
  RED.nodes.registerType('zoom-team-chat-ask', ZoomTeamChatAskNode);
}
