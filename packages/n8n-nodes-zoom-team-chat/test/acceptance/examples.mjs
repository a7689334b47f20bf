// The repository's n8n examples (examples/n8n/*.json) in a real n8n against the simulator.
// The package is installed from its `npm pack` tarball as a community package, so the node types
// are the ones in the files (n8n-nodes-zoom-team-chat.*). Each file is imported through the REST
// API the editor uses, with only its placeholders filled in (channel IDs, the app user's email):
// the credentials must resolve by name. Then every workflow is activated and driven the way it
// is used: simulated users post and run slash commands, other systems POST to n8n's webhooks,
// the schedule trigger is run from the editor's "Execute workflow"; the simulator must show
// the expected messages, cards, files and thread replies.
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { repoRoot, targets } from '@zoom-team-chat/testkit/n8n-install';
import { logPath, ownerSession, startN8n } from '@zoom-team-chat/testkit/n8n-host';
import { failedWorkflowRun } from '@zoom-team-chat/testkit/third-party';
import { assert, executionError, executionsOf, installCommunityPackage, packageJson, waitFor } from './harness.mjs';

export const examplesDir = join(repoRoot, 'examples', 'n8n');

/** The use cases of Zoom's Chat API overview, one file each; all are driven below. */
export const EXPECTED_EXAMPLES = [
	'notifications-and-alerts.json',
	'chatbot-commands-with-cards.json',
	'share-files.json',
	'collaborative-tasks.json',
	'channel-relay.json',
	'third-party-webhook.json',
	'deployment-approval.json',
];

/** Credential names the examples refer to (by name only, as a user's own credentials). */
const S2S_CREDENTIAL = { name: 'Zoom Team Chat account', type: 'zoomTeamChatServerToServerOAuthApi' };
const BOT_CREDENTIAL = { name: 'Zoom Chatbot account', type: 'zoomChatbotApi' };

/** What a user fills in after importing: placeholder → simulator channel name (or the user). */
const CHANNEL_PLACEHOLDERS = {
	ALERTS_CHANNEL_ID: 'alerts',
	FILES_CHANNEL_ID: 'files',
	TASKS_CHANNEL_ID: 'tasks',
	CHANNEL_A_ID: 'relay-a',
	CHANNEL_B_ID: 'relay-b',
	DEVOPS_CHANNEL_ID: 'devops',
	DEPLOYS_CHANNEL_ID: 'deploys',
};
const USER_PLACEHOLDER = 'YOUR_ZOOM_EMAIL';
const PLACEHOLDER_PATTERN = /\b(?:[A-Z_]+_CHANNEL_ID|YOUR_ZOOM_EMAIL)\b/g;

const BLAKE = 'blake.chen@example.com';
const CASEY = 'casey.diaz@example.com';

export function loadExample(file) {
	return JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
}

/** A local "third-party" file host for the share-files example. */
async function startFileHost(files) {
	const server = createServer((req, res) => {
		const file = files[req.url ?? ''];
		if (!file) {
			res.writeHead(404).end('not found');
			return;
		}
		res.writeHead(200, { 'content-type': file.type, 'content-length': Buffer.byteLength(file.body) }).end(file.body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function postJson(url, body, headers = {}) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	let data;
	try {
		data = JSON.parse(text);
	} catch {
		data = text;
	}
	return { status: res.status, data };
}

export async function runExamples({ suite, target, tarball, runDir, startSimulator }) {
	const { check } = suite;
	const version = targets[target].version;
	const label = (what) => `n8n ${version} examples: ${what}`;

	const files = existsSync(examplesDir)
		? readdirSync(examplesDir)
				.filter((f) => f.endsWith('.json'))
				.sort()
		: [];
	await check(label(`examples/n8n holds one workflow per use case (${EXPECTED_EXAMPLES.length})`), async () => {
		const missing = EXPECTED_EXAMPLES.filter((f) => !files.includes(f));
		assert(missing.length === 0, `missing ${missing.join(', ')}`);
		const untested = files.filter((f) => !EXPECTED_EXAMPLES.includes(f));
		assert(untested.length === 0, `${untested.join(', ')} would not be driven by this test: add a scenario`);
	});

	const sim = await startSimulator({ plan: 'pro', fileStorage: 'memory' });
	const report = 'week,orders,revenue\n47,1204,58210.50\n';
	const fileHost = await startFileHost({
		'/exports/weekly-report.csv': { type: 'text/csv', body: report },
		'/exports/weekly-report.csv?download=1': { type: 'text/csv', body: report },
	});
	const userFolder = join(runDir, `${target}-examples`);
	rmSync(userFolder, { recursive: true, force: true });
	installCommunityPackage(tarball, userFolder);
	const log = logPath(runDir, `${target}-examples`);
	let n8n;
	try {
		const started = await check(label('n8n starts with the community package'), async () => {
			n8n = await startN8n({ target, userFolder, log });
			return `port ${n8n.port}, log ${log}`;
		});
		if (!started) return;
		const { call, getJson } = await ownerSession(n8n.base);
		const ctx = { suite, label, sim, n8n, call, fileHost, report };
		await setUp(ctx, getJson, files);
		if (!ctx.imported) return;
		await alertsScenario(ctx);
		await chatbotScenario(ctx);
		await shareFilesScenario(ctx);
		await tasksScenario(ctx);
		await relayScenario(ctx);
		await ciScenario(ctx);
		await deploymentApprovalScenario(ctx);
		await check(label('the task tracker ignored the other channels (still 5 executions)'), async () => {
			await sim.admin.settleWebhooks();
			await delay(1000);
			const list = await executionsOf(call, ctx.workflows['collaborative-tasks.json'].id);
			assert(list.length === 5, `${list.length} executions`);
		});
		await check(label('no example execution failed'), async () => {
			const failed = [];
			for (const [file, wf] of Object.entries(ctx.workflows)) {
				for (const execution of await executionsOf(call, wf.id)) {
					if (execution.status !== 'success') {
						failed.push(`${file} #${execution.id}: ${execution.status}: ${await executionError(call, execution.id)}`);
					}
				}
			}
			assert(failed.length === 0, failed.join('; '));
		});
	} finally {
		await n8n?.stop();
		await fileHost.close();
		await sim.close();
	}
}

async function setUp(ctx, getJson, files) {
	const { suite, label, sim, call } = ctx;
	const users = await sim.admin.users();
	const owner = users.find((u) => u.role === 'owner');
	ctx.owner = owner;
	ctx.channels = {};
	for (const name of new Set(Object.values(CHANNEL_PLACEHOLDERS))) {
		ctx.channels[name] = await sim.admin.createChannel({ as: owner.email, name, members: [BLAKE, CASEY] });
	}
	const cloud = { cloud: 'custom', apiBaseUrl: sim.urls.api, fileBaseUrl: sim.urls.file, oauthBaseUrl: sim.urls.oauth };
	const s2s = await call('POST', '/credentials', {
		...S2S_CREDENTIAL,
		data: {
			accountId: sim.credentials.accountId,
			clientId: sim.credentials.clientId,
			clientSecret: sim.credentials.clientSecret,
			webhookSecretToken: sim.credentials.webhookSecretToken,
			...cloud,
		},
	});
	const bot = await call('POST', '/credentials', {
		...BOT_CREDENTIAL,
		data: {
			clientId: sim.credentials.chatbot.clientId,
			clientSecret: sim.credentials.chatbot.clientSecret,
			botJid: sim.credentials.chatbot.botJid,
			accountId: sim.credentials.chatbot.accountId,
			webhookSecretToken: sim.credentials.webhookSecretToken,
			...cloud,
		},
	});
	const credentialIds = { [S2S_CREDENTIAL.type]: s2s.id, [BOT_CREDENTIAL.type]: bot.id };

	const types = await getJson('/types/nodes.json');
	const versionsOf = new Map();
	for (const t of types) {
		const list = versionsOf.get(t.name) ?? [];
		versionsOf.set(t.name, list.concat(Array.isArray(t.version) ? t.version : [t.version]));
	}

	// The editor saves an imported workflow into a project; n8n then matches credentials by name there.
	const project = await call('GET', '/projects/personal');
	ctx.workflows = {};
	let ok = true;
	for (const file of files) {
		ok =
			(await suite.check(label(`${file} imports; node types exist; credentials resolve by name`), async () => {
				const example = loadExample(file);
				const raw = JSON.stringify(example);
				assert(
					!/"id":"[^"]+","name":"Zoom (Team Chat|Chatbot) account"/.test(raw),
					'a credential reference carries an ID',
				);
				for (const node of example.nodes) {
					const known = versionsOf.get(node.type);
					assert(known, `node "${node.name}": type ${node.type} is not installed`);
					assert(
						known.includes(node.typeVersion),
						`node "${node.name}": ${node.type} has no version ${node.typeVersion} (${known.join(', ')})`,
					);
				}
				let filled = raw.replaceAll(USER_PLACEHOLDER, ctx.owner.email);
				for (const [placeholder, channel] of Object.entries(CHANNEL_PLACEHOLDERS)) {
					filled = filled.replaceAll(placeholder, ctx.channels[channel].id);
				}
				const left = filled.match(PLACEHOLDER_PATTERN);
				assert(!left, `placeholders this test does not know: ${left?.join(', ')}`);
				const created = await call('POST', '/workflows', {
					...JSON.parse(filled),
					active: false,
					projectId: project.id,
				});
				for (const node of created.nodes) {
					for (const [type, ref] of Object.entries(node.credentials ?? {})) {
						assert(
							ref.id === credentialIds[type],
							`node "${node.name}": credential ${type} resolved to ${JSON.stringify(ref)}`,
						);
					}
				}
				ctx.workflows[file] = created;
			})) && ok;
	}
	for (const [file, wf] of Object.entries(ctx.workflows)) {
		ok =
			(await suite.check(label(`${file} activates`), async () => {
				const activated = await call('POST', `/workflows/${wf.id}/activate`, { versionId: wf.versionId });
				ctx.workflows[file] = { ...wf, ...activated };
			})) && ok;
	}
	// Triggers that registered themselves: wait for Zoom's (the simulator's) URL validation.
	if (ok) {
		ok = await suite.check(label('the channel triggers registered their event subscriptions'), async () => {
			const urls = ['collaborative-tasks.json', 'channel-relay.json'].map((file) => triggerUrl(ctx, file));
			await waitFor(
				'both subscriptions',
				async () => {
					const subs = await sim.admin.webhooks();
					return urls.every((url) => subs.some((s) => s.url === url));
				},
				15_000,
			);
		});
	}
	// n8n 2.x finishes registering webhooks shortly after answering.
	await delay(1000);
	ctx.imported = ok;
}

/** The production URL of the Zoom Team Chat Trigger of an imported example. */
function triggerUrl(ctx, file) {
	const trigger = ctx.workflows[file].nodes.find((n) => n.type === `${packageJson.name}.zoomTeamChatTrigger`);
	return `${ctx.n8n.base}/webhook/${trigger.webhookId}/webhook`;
}

async function waitForMessage(sim, channelId, predicate, what) {
	return await waitFor(what, async () => (await sim.admin.channelMessages(channelId)).find(predicate), 30_000);
}

async function alertsScenario(ctx) {
	const { suite, label, sim, n8n, call, owner } = ctx;
	const file = 'notifications-and-alerts.json';
	const alerts = ctx.channels.alerts.id;
	const url = `${n8n.base}/webhook/zoom-alert`;
	await suite.check(
		label('alerts: a POSTed alert is posted into the channel and answered with its message ID'),
		async () => {
			const { status, data } = await postJson(url, {
				title: 'Database CPU at 95%',
				severity: 'critical',
				// Markdown characters in what the sender wrote show as written (the example escapes them).
				details: 'db_1 has been above 90% for *10* minutes',
				source: 'Grafana',
				url: 'https://grafana.example.com/d/db',
			});
			assert(
				status === 200 && data.ok === true && typeof data.message_id === 'string',
				`answer ${status} ${JSON.stringify(data)}`,
			);
			const message = await sim.admin.message(data.message_id);
			assert(message.channelId === alerts, `posted in ${message.channelId}`);
			assert(message.sender === owner.email, `posted by ${message.sender}`);
			const expected =
				'🔴 CRITICAL: Database CPU at 95%\ndb_1 has been above 90% for *10* minutes\nSource: Grafana\nOpen dashboard';
			assert(message.text === expected, `text ${JSON.stringify(message.text)}`);
			// Markdown: the headline in bold, the URL as a link (positions inclusive, as Zoom reads them).
			const formats = (message.richText ?? []).map(
				(r) => `${r.format_type}:${message.text.slice(r.start_position, r.end_position + 1)}:${r.format_attr ?? ''}`,
			);
			assert(
				JSON.stringify(formats) ===
					JSON.stringify([
						'Bold:CRITICAL: Database CPU at 95%:',
						'AddLink:Open dashboard:https://grafana.example.com/d/db',
					]),
				`rich text ${JSON.stringify(formats)}`,
			);
		},
	);
	await suite.check(label('alerts: bad alerts get 400 naming the field, and nothing is posted'), async () => {
		const before = (await sim.admin.channelMessages(alerts)).length;
		const noTitle = await postJson(url, { severity: 'warning' });
		assert(
			noTitle.status === 400 && noTitle.data.ok === false && /"title"/.test(noTitle.data.error),
			`answer ${noTitle.status} ${JSON.stringify(noTitle.data)}`,
		);
		const badSeverity = await postJson(url, { title: 'Disk full', severity: 'urgent' });
		assert(
			badSeverity.status === 400 && /"severity"/.test(badSeverity.data.error),
			`answer ${badSeverity.status} ${JSON.stringify(badSeverity.data)}`,
		);
		assert((await sim.admin.channelMessages(alerts)).length === before, 'a message was posted');
	});
	await suite.check(label('alerts: running the schedule trigger posts the stand-up reminder'), async () => {
		const wf = await call('GET', `/workflows/${ctx.workflows[file].id}`);
		// What the editor's "Execute workflow" on the schedule trigger sends (1.x reads workflowData, 2.x the stored workflow).
		await call('POST', `/workflows/${wf.id}/run`, {
			workflowData: wf,
			triggerToStartFrom: { name: 'Every weekday at 9:00' },
		});
		const reminder = await waitForMessage(sim, alerts, (m) => m.text.startsWith('☀️ Good morning!'), 'the reminder');
		assert(reminder.sender === owner.email, `posted by ${reminder.sender}`);
		const bold = (reminder.richText ?? []).find((r) => r.format_type === 'Bold');
		assert(
			bold && reminder.text.slice(bold.start_position, bold.end_position + 1) === 'Good morning!',
			`rich text ${JSON.stringify(reminder.richText)}`,
		);
		const weekday = new Date().toLocaleDateString('en-US', { weekday: 'long' });
		const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-US', { weekday: 'long' });
		// n8n formats the date in its own time zone; either side of midnight UTC is fine.
		assert(
			reminder.text.includes(weekday) || reminder.text.includes(yesterday),
			`no weekday in ${JSON.stringify(reminder.text)}`,
		);
	});
}

async function chatbotScenario(ctx) {
	const { suite, label, sim } = ctx;
	const file = 'chatbot-commands-with-cards.json';
	const general = (await sim.admin.channels()).find((c) => c.name === 'general');
	const blake = (await sim.admin.users()).find((u) => u.email === BLAKE);
	const subscribed = await suite.check(
		label("chatbot: the trigger's URL passes Zoom's validation as the bot endpoint"),
		async () => {
			// What the user does in the Marketplace (Bot endpoint URL); the simulator validates the URL.
			await sim.admin.subscribe({
				url: triggerUrl(ctx, file),
				events: ['bot_notification'],
				secretToken: sim.credentials.webhookSecretToken,
			});
		},
	);
	if (!subscribed) return;
	const cardFor = async (command) => {
		const before = (await sim.admin.botMessages()).length;
		await sim.admin.slashCommand({ as: BLAKE, command: `/simbot ${command}`, channel: general.id });
		const sent = await waitFor(
			`the bot's answer to "${command}"`,
			async () => (await sim.admin.botMessages()).slice(before)[0],
			30_000,
		);
		return sent;
	};
	const sentTo = (m) => JSON.stringify(m);
	await suite.check(label('chatbot: "/simbot status" is answered with a status card in the same channel'), async () => {
		const sent = await cardFor('status');
		const text = sentTo(sent);
		assert(text.includes(general.jid) || text.includes(general.id), `not sent to the channel: ${text.slice(0, 300)}`);
		assert(text.includes(blake.jid), `not on behalf of the user: ${text.slice(0, 300)}`);
		assert(
			text.includes('"Service status"') && text.includes('"fields"') && text.includes('Requested by Blake Chen'),
			`card ${text.slice(0, 600)}`,
		);
	});
	await suite.check(label('chatbot: "/simbot poll Lunch at noon?" is answered with a card with buttons'), async () => {
		const text = sentTo(await cardFor('poll Lunch at noon?'));
		assert(
			text.includes('📊 Lunch at noon?') && text.includes('"actions"') && text.includes('"Primary"'),
			`card ${text.slice(0, 600)}`,
		);
	});
	await suite.check(label('chatbot: an unknown command gets the help card'), async () => {
		const text = sentTo(await cardFor('dance'));
		assert(text.includes('What I can do') && text.includes('I don\'t know \\"dance\\"'), `card ${text.slice(0, 600)}`);
	});
}

async function shareFilesScenario(ctx) {
	const { suite, label, sim, n8n, owner, fileHost, report } = ctx;
	const channel = ctx.channels.files.id;
	const url = `${n8n.base}/webhook/zoom-share-file`;
	const fileUrl = `${fileHost.base}/exports/weekly-report.csv`;
	/** The file message an answer names, its file, and the comment in its thread. */
	const shared = async ({ status, data }, fileName) => {
		assert(
			status === 200 && data.ok === true && data.file_name === fileName,
			`answer ${status} ${JSON.stringify(data)}`,
		);
		const message = await sim.admin.message(data.message_id);
		assert(message.channelId === channel && message.fileIds.length === 1, `message ${JSON.stringify(message)}`);
		assert(message.sender === owner.email, `sent by ${message.sender}`);
		const file = await sim.admin.file(message.fileIds[0]);
		assert(file.name === fileName, `file named ${file.name}`);
		const content = (await sim.admin.fileContent(file.id)).toString('utf8');
		assert(content === report, `content ${JSON.stringify(content)}`);
		return await waitForMessage(sim, channel, (m) => m.replyTo === message.id, 'the comment in the thread');
	};
	await suite.check(
		label('share files: a POSTed file address ends up as a named file in the channel, commented in its thread'),
		async () => {
			const answer = await postJson(url, {
				url: fileUrl,
				fileName: 'sales-week-47.csv',
				comment: 'Weekly sales report',
			});
			const comment = await shared(answer, 'sales-week-47.csv');
			assert(comment.text === 'Weekly sales report', `comment ${JSON.stringify(comment.text)}`);
		},
	);
	await suite.check(label("share files: without fileName and comment, the URL's file name is used"), async () => {
		const comment = await shared(await postJson(url, { url: `${fileUrl}?download=1` }), 'weekly-report.csv');
		assert(comment.text === '📎 weekly-report.csv', `comment ${JSON.stringify(comment.text)}`);
	});
	await suite.check(
		label(
			'share files: GET /zoom-file gives a shared file back (File → Download), byte for byte, with its name and type',
		),
		async () => {
			const { data } = await postJson(url, { url: fileUrl, fileName: 'back-again.csv' });
			assert(data.ok === true, `share answer ${JSON.stringify(data)}`);
			const res = await fetch(`${n8n.base}/webhook/zoom-file?message_id=${encodeURIComponent(data.message_id)}`);
			const body = Buffer.from(await res.arrayBuffer());
			assert(res.status === 200, `status ${res.status}: ${body.toString('utf8').slice(0, 300)}`);
			assert(body.toString('utf8') === report, `content ${JSON.stringify(body.toString('utf8'))}`);
			assert(
				/^text\/csv/.test(res.headers.get('content-type') ?? ''),
				`content-type ${res.headers.get('content-type')}`,
			);
			assert(
				/filename="back-again\.csv"/.test(res.headers.get('content-disposition') ?? ''),
				`content-disposition ${res.headers.get('content-disposition')}`,
			);
		},
	);
	await suite.check(
		label('share files: GET /zoom-file answers 404 for a message without files and 400 without message_id'),
		async () => {
			const text = await sim.admin.postMessage({ as: BLAKE, channel, text: 'no file in this one' });
			const none = await fetch(`${n8n.base}/webhook/zoom-file?message_id=${encodeURIComponent(text.id)}`);
			const noneBody = await none.json();
			assert(
				none.status === 404 && noneBody.ok === false && /has no files/.test(noneBody.error),
				`answer ${none.status} ${JSON.stringify(noneBody)}`,
			);
			const missing = await fetch(`${n8n.base}/webhook/zoom-file`);
			const missingBody = await missing.json();
			assert(
				missing.status === 400 && /"message_id"/.test(missingBody.error),
				`answer ${missing.status} ${JSON.stringify(missingBody)}`,
			);
		},
	);
	await suite.check(label('share files: a request without a usable URL gets 400 naming "url"'), async () => {
		const before = (await sim.admin.channelMessages(channel)).length;
		for (const body of [{ url: 'ftp://example.com/report.csv' }, { comment: 'no url' }]) {
			const { status, data } = await postJson(url, body);
			assert(
				status === 400 && data.ok === false && /"url"/.test(data.error),
				`answer to ${JSON.stringify(body)}: ${status} ${JSON.stringify(data)}`,
			);
		}
		assert((await sim.admin.channelMessages(channel)).length === before, 'something was posted');
	});
}

async function tasksScenario(ctx) {
	const { suite, label, sim, call, owner } = ctx;
	const channel = ctx.channels.tasks.id;
	const replyTo = async (posted, what) => {
		const root = posted.replyTo ?? posted.id;
		return await waitForMessage(
			sim,
			channel,
			(m) => m.replyTo === root && m.sender === owner.email && m.timestamp >= posted.timestamp && m.id !== posted.id,
			what,
		);
	};
	// The list lives in the workflow's static data, which n8n saves when a run ends, after its reply
	// is out: a person reads the reply before typing the next command, so the suite waits for the
	// run to end too (posting at once, the next run read the list before the save, 1 in ~20 runs).
	const runsEnded = () =>
		waitFor(
			'the runs to end',
			async () =>
				(await executionsOf(call, ctx.workflows['collaborative-tasks.json'].id)).every(
					(e) => !['new', 'running', 'waiting'].includes(e.status),
				),
			15_000,
		);
	let first;
	await suite.check(label('tasks: "TODO: …" becomes task #1, confirmed in its thread'), async () => {
		first = await sim.admin.postMessage({ as: BLAKE, channel, text: 'TODO: book the venue' });
		const reply = await replyTo(first, 'the confirmation');
		assert(reply.text.startsWith('📝 Task #1 tracked: book the venue'), `reply ${JSON.stringify(reply.text)}`);
	});
	await suite.check(label('tasks: the next TODO from someone else is task #2 (the list persists)'), async () => {
		await runsEnded();
		const second = await sim.admin.postMessage({ as: CASEY, channel, text: 'todo order pizza' });
		const reply = await replyTo(second, 'the confirmation');
		assert(reply.text.startsWith('📝 Task #2 tracked: order pizza'), `reply ${JSON.stringify(reply.text)}`);
	});
	await suite.check(label('tasks: ordinary messages get no reply'), async () => {
		const chat = await sim.admin.postMessage({ as: BLAKE, channel, text: 'Nice weather today' });
		await sim.admin.settleWebhooks();
		await waitFor(
			'the run for the chat message',
			async () => (await executionsOf(call, ctx.workflows['collaborative-tasks.json'].id)).length >= 3,
			15_000,
		);
		await delay(500);
		const replies = (await sim.admin.channelMessages(channel)).filter((m) => m.replyTo === chat.id);
		assert(replies.length === 0, `replies: ${replies.map((m) => m.text).join(' | ')}`);
	});
	await suite.check(label('tasks: "DONE 1" in the thread closes task #1 and lists what is open'), async () => {
		await runsEnded();
		const done = await sim.admin.postMessage({ as: CASEY, channel, text: 'DONE 1', replyTo: first.id });
		const reply = await replyTo(done, 'the confirmation');
		assert(reply.replyTo === first.id, 'not in the thread of task #1');
		assert(
			reply.text === '✅ Task #1 done: book the venue\nStill open (1):\n#2 order pizza',
			`reply ${JSON.stringify(reply.text)}`,
		);
	});
	await suite.check(label('tasks: "TASKS" lists the open tasks; own replies started no run'), async () => {
		await runsEnded();
		const list = await sim.admin.postMessage({ as: BLAKE, channel, text: 'TASKS' });
		const reply = await replyTo(list, 'the list');
		assert(reply.text === 'Open tasks (1):\n#2 order pizza', `reply ${JSON.stringify(reply.text)}`);
		await sim.admin.settleWebhooks();
		await delay(1000);
		const runs = await executionsOf(call, ctx.workflows['collaborative-tasks.json'].id);
		assert(runs.length === 5, `${runs.length} executions for 5 user messages`);
	});
}

async function relayScenario(ctx) {
	const { suite, label, sim, call, owner } = ctx;
	const a = ctx.channels['relay-a'].id;
	const b = ctx.channels['relay-b'].id;
	await suite.check(label('relay: a message in A appears in B, posted by the app user'), async () => {
		await sim.admin.postMessage({ as: BLAKE, channel: a, text: 'Deploy at 3pm' });
		const copy = await waitForMessage(sim, b, (m) => m.text.includes('Deploy at 3pm'), 'the copy in B');
		assert(copy.text === `💬 ${BLAKE} in #relay-a: Deploy at 3pm`, `copy ${JSON.stringify(copy.text)}`);
		assert(copy.sender === owner.email, `posted by ${copy.sender}`);
	});
	await suite.check(label('relay: a message in B appears in A'), async () => {
		await sim.admin.postMessage({ as: CASEY, channel: b, text: 'Noted, thanks' });
		const copy = await waitForMessage(sim, a, (m) => m.text.includes('Noted, thanks'), 'the copy in A');
		assert(copy.text === `💬 ${CASEY} in #relay-b: Noted, thanks`, `copy ${JSON.stringify(copy.text)}`);
	});
	await suite.check(
		label('relay: the copies are not relayed back (no loop: 2 runs, 2 messages per channel)'),
		async () => {
			await sim.admin.settleWebhooks();
			await delay(1500);
			const runs = await executionsOf(call, ctx.workflows['channel-relay.json'].id);
			assert(runs.length === 2, `${runs.length} executions`);
			const inA = await sim.admin.channelMessages(a);
			const inB = await sim.admin.channelMessages(b);
			assert(inA.length === 2 && inB.length === 2, `A has ${inA.length} messages, B ${inB.length}`);
		},
	);
}

async function ciScenario(ctx) {
	const { suite, label, sim, n8n, owner } = ctx;
	const channel = ctx.channels.devops.id;
	const url = `${n8n.base}/webhook/ci-events`;
	const repository = { full_name: 'octo-org/app' };
	const github = (event, body) =>
		postJson(url, body, { 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
	const posted = async (answer) => {
		assert(
			answer.status === 200 && answer.data.ok === true && typeof answer.data.message_id === 'string',
			`answer ${answer.status} ${JSON.stringify(answer.data)}`,
		);
		const message = await sim.admin.message(answer.data.message_id);
		assert(message.channelId === channel && message.sender === owner.email, `message ${JSON.stringify(message)}`);
		return message.text;
	};
	await suite.check(label('third-party: a failed GitHub Actions run is posted'), async () => {
		const text = await posted(
			await github(
				'workflow_run',
				failedWorkflowRun({
					repo: repository.full_name,
					workflow: 'build',
					branch: 'main',
					url: 'https://github.com/octo-org/app/actions/runs/1',
					commit: 'Bump dependencies\n\nlong body',
					actor: 'octocat',
				}),
			),
		);
		assert(
			text ===
				'❌ build failure on octo-org/app:main\nBump dependencies (octocat)\nhttps://github.com/octo-org/app/actions/runs/1',
			`text ${JSON.stringify(text)}`,
		);
	});
	await suite.check(label('third-party: a merged pull request and a push are posted'), async () => {
		const pr = await posted(
			await github('pull_request', {
				action: 'closed',
				repository,
				pull_request: {
					number: 42,
					title: 'Add dark mode',
					merged: true,
					html_url: 'https://github.com/octo-org/app/pull/42',
					user: { login: 'hubot' },
				},
			}),
		);
		assert(
			pr === '🟣 PR #42 merged in octo-org/app: Add dark mode\nby hubot\nhttps://github.com/octo-org/app/pull/42',
			`text ${JSON.stringify(pr)}`,
		);
		const push = await posted(
			await github('push', {
				ref: 'refs/heads/main',
				repository,
				pusher: { name: 'octocat' },
				compare: 'https://github.com/octo-org/app/compare/a...b',
				commits: [
					{ id: '0123456789abcdef', message: 'Fix login\n\ndetails' },
					{ id: 'fedcba9876543210', message: 'Update README' },
				],
			}),
		);
		assert(
			push ===
				'📦 octocat pushed 2 commits to octo-org/app:main\n• 0123456 Fix login\n• fedcba9 Update README\nhttps://github.com/octo-org/app/compare/a...b',
			`text ${JSON.stringify(push)}`,
		);
	});
	await suite.check(
		label('third-party: a published release is posted; an opened-then-edited PR only once'),
		async () => {
			const release = await posted(
				await github('release', {
					action: 'published',
					repository,
					release: {
						tag_name: 'v2.3.0',
						name: 'Spring release',
						html_url: 'https://github.com/octo-org/app/releases/tag/v2.3.0',
					},
				}),
			);
			assert(
				release ===
					'🚀 octo-org/app v2.3.0 released: Spring release\nhttps://github.com/octo-org/app/releases/tag/v2.3.0',
				`text ${JSON.stringify(release)}`,
			);
			const pr = {
				number: 43,
				title: 'Faster search',
				merged: false,
				html_url: 'https://github.com/octo-org/app/pull/43',
				user: { login: 'hubot' },
			};
			const opened = await posted(await github('pull_request', { action: 'opened', repository, pull_request: pr }));
			assert(
				opened === '🔀 PR #43 opened in octo-org/app: Faster search\nby hubot\nhttps://github.com/octo-org/app/pull/43',
				`text ${JSON.stringify(opened)}`,
			);
			const edited = await github('pull_request', { action: 'edited', repository, pull_request: pr });
			assert(
				edited.status === 200 && edited.data.ignored === 'pull_request edited',
				`answer ${edited.status} ${JSON.stringify(edited.data)}`,
			);
		},
	);
	await suite.check(
		label("third-party: another tool's {title, text} is posted; GitHub's ping is ignored"),
		async () => {
			const generic = await posted(
				await postJson(url, { title: 'Nightly backup finished', text: '42 GB in 3 minutes' }),
			);
			assert(generic === '🔔 Nightly backup finished\n42 GB in 3 minutes', `text ${JSON.stringify(generic)}`);
			const before = (await sim.admin.channelMessages(channel)).length;
			const ping = await github('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
			assert(
				ping.status === 200 && ping.data.ok === true && /ping/.test(ping.data.ignored),
				`answer ${ping.status} ${JSON.stringify(ping.data)}`,
			);
			assert((await sim.admin.channelMessages(channel)).length === before, 'the ping was posted');
		},
	);
}

/** What a browser sends for the answer page's form (multipart, as the form asks). */
async function postForm(url, fields) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	const res = await fetch(url, { method: 'POST', body: form });
	return { status: res.status, text: await res.text() };
}

async function deploymentApprovalScenario(ctx) {
	const { suite, label, sim, n8n, call, owner } = ctx;
	const file = 'deployment-approval.json';
	const channel = ctx.channels.deploys.id;
	const workflowId = ctx.workflows[file].id;
	const question = {};
	await suite.check(
		label('deployment approval: a POSTed request is asked in the channel with a link; the run waits'),
		async () => {
			const { status } = await postJson(`${n8n.base}/webhook/deploy-requests`, {
				service: 'checkout',
				version: '2.4.1',
				requestedBy: 'Blake',
			});
			assert(status === 200, `the webhook answered ${status}`);
			question.message = await waitForMessage(
				sim,
				channel,
				(m) => m.text.includes('/webhook-waiting/'),
				'the question with its link',
			);
			assert(
				question.message.text.startsWith('🚢 Deploy checkout 2.4.1 to production?\nRequested by Blake'),
				`question ${JSON.stringify(question.message.text)}`,
			);
			assert(question.message.sender === owner.email, `posted by ${question.message.sender}`);
			question.url = /(https?:\/\/\S+)/.exec(question.message.text)?.[1];
			assert(question.url?.startsWith(`${n8n.base}/webhook-waiting/`), `link ${question.url}`);
			question.run = await waitFor(
				'the waiting execution',
				async () => (await executionsOf(call, workflowId)).find((e) => e.status === 'waiting'),
				15_000,
			);
		},
	);
	if (!question.run) return;
	await suite.check(
		label('deployment approval: opening the link (GET) shows Approve/Decline and resumes nothing'),
		async () => {
			const res = await fetch(question.url);
			const html = await res.text();
			assert(
				res.status === 200 &&
					html.includes('Deploy checkout 2.4.1 to production?') &&
					html.includes('name="decision" value="decline"'),
				`GET answered ${res.status}: ${html.slice(0, 300)}`,
			);
			await delay(1500);
			const run = (await executionsOf(call, workflowId)).find((e) => e.id === question.run.id);
			assert(run?.status === 'waiting', `the execution is ${run?.status}`);
			assert((await sim.admin.message(question.message.id)).text === question.message.text, 'the question changed');
		},
	);
	await suite.check(
		label(
			'deployment approval: Approve (the form POST) resumes the run: "🚀 Deploying …" follows, the question shows the outcome',
		),
		async () => {
			const res = await postForm(question.url, { decision: 'approve' });
			assert(
				res.status === 200 && res.text.includes('✅ Approved at'),
				`POST answered ${res.status}: ${res.text.slice(0, 300)}`,
			);
			const deploying = await waitForMessage(
				sim,
				channel,
				(m) => m.text.startsWith('🚀 Deploying'),
				'the deployment message',
			);
			assert(
				deploying.text === '🚀 Deploying checkout 2.4.1 (requested by Blake)',
				`text ${JSON.stringify(deploying.text)}`,
			);
			assert(deploying.sender === owner.email, `posted by ${deploying.sender}`);
			const edited = await sim.admin.message(question.message.id);
			assert(
				/^🚢 Deploy checkout 2\.4\.1 to production\?\nRequested by Blake[\s\S]*✅ Approved at \d\d:\d\d UTC/.test(
					edited.text,
				) && !edited.text.includes('/webhook-waiting/'),
				`question ${JSON.stringify(edited.text)}`,
			);
			await waitFor(
				'the run to end',
				async () => (await executionsOf(call, workflowId)).find((e) => e.id === question.run.id)?.status === 'success',
				30_000,
			);
			const declined = (await sim.admin.channelMessages(channel)).filter((m) => m.text.startsWith('❌'));
			assert(declined.length === 0, 'a decline was posted too');
		},
	);
}
