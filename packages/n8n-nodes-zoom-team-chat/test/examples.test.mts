/**
 * The repository's n8n examples (examples/n8n/*.json) as files: what can be checked without a
 * running n8n. Each one is imported and driven in a real n8n by test/acceptance/examples.mjs.
 * Here: well-formed workflows, the package's node types as users see them (community package
 * prefix), credentials referenced by name only and no secrets, every Zoom node parameter one the
 * node shows for the chosen resource/operation (a misplaced or misspelled parameter is silently
 * ignored by n8n), valid trigger events, distinct webhook paths, set-up notes.
 * An .mts file: n8n's lint rules for shipped code (no fs) cover every .ts file of the package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { ZoomTeamChat } from '../nodes/ZoomTeamChat/ZoomTeamChat.node.js';
import { ZoomTeamChatTrigger } from '../nodes/ZoomTeamChatTrigger/ZoomTeamChatTrigger.node.js';
import { isKnownEvent } from '../nodes/ZoomTeamChatTrigger/events.js';

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: unknown; name: string }>;
	webhookId?: string;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8')) as { name: string };
const examplesDir = path.join(here, '..', '..', '..', 'examples', 'n8n');
const files = readdirSync(examplesDir)
	.filter((f) => f.endsWith('.json'))
	.sort();
const examples = files.map(
	(file) => [file, JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as Example] as const,
);

const PREFIX = `${packageJson.name}.`;
const descriptions: Record<string, INodeProperties[]> = {
	[`${PREFIX}zoomTeamChat`]: new ZoomTeamChat().description.properties,
	// The examples are version 1 workflows (checked below), as saved before version 2 existed.
	[`${PREFIX}zoomTeamChatTrigger`]: new ZoomTeamChatTrigger().nodeVersions[1]!.description.properties,
};
/** The names the examples use, which the acceptance test creates and the READMEs tell users to create. */
const CREDENTIAL_NAMES: Record<string, string> = {
	zoomTeamChatServerToServerOAuthApi: 'Zoom Team Chat account',
	zoomChatbotApi: 'Zoom Chatbot account',
};
const SECRET_KEYS = /^(clientSecret|webhookSecretToken|accessToken|secretToken|password|apiKey|token)$/i;

/** Whether a property is shown for these parameter values (n8n's `displayOptions.show`). */
function shown(property: INodeProperties, values: Record<string, unknown>, all: INodeProperties[]): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([key, allowed]) => {
		if (key.startsWith('@')) return true;
		const value = key in values ? values[key] : all.find((p) => p.name === key)?.default;
		return (allowed as unknown[]).includes(value);
	});
}

function optionValues(property: INodeProperties): unknown[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((o) => o.value);
}

/** Problems with a package node's parameters: unknown or hidden names, bad option values. */
function parameterProblems(node: ExampleNode): string[] {
	const all = descriptions[node.type];
	if (!all) return [`unknown package node type ${node.type}`];
	const problems: string[] = [];
	for (const [name, value] of Object.entries(node.parameters)) {
		const property = all.find((p) => p.name === name && shown(p, node.parameters, all));
		if (!property) {
			problems.push(`"${name}" is not a parameter shown for these settings`);
			continue;
		}
		const isExpression = typeof value === 'string' && value.startsWith('=');
		if (property.type === 'options' && !isExpression && !optionValues(property).includes(value)) {
			problems.push(`"${name}": ${JSON.stringify(value)} is not one of ${JSON.stringify(optionValues(property))}`);
		}
		if (property.type === 'collection' && value && typeof value === 'object') {
			const known = ((property.options ?? []) as INodeProperties[]).map((o) => o.name);
			for (const key of Object.keys(value))
				if (!known.includes(key)) problems.push(`"${name}.${key}" is not an option`);
		}
		if (property.type === 'fixedCollection' && value && typeof value === 'object') {
			const known = ((property.options ?? []) as INodePropertyCollection[]).map((o) => o.name);
			for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`"${name}.${key}" is not a group`);
		}
	}
	return problems;
}

function walk(value: unknown, visit: (key: string, v: unknown) => void): void {
	if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			visit(k, v);
			walk(v, visit);
		}
	}
}

describe('examples/n8n', () => {
	it('has the six use cases of the Chat API overview, and the deployment approval (send and wait)', () => {
		expect(files).toEqual([
			'channel-relay.json',
			'chatbot-commands-with-cards.json',
			'collaborative-tasks.json',
			'deployment-approval.json',
			'notifications-and-alerts.json',
			'share-files.json',
			'third-party-webhook.json',
		]);
	});

	it('uses distinct webhook paths and IDs across the examples (they can be active together)', () => {
		const seen = new Map<string, string>();
		for (const [file, example] of examples) {
			for (const node of example.nodes) {
				const keys = [
					node.webhookId && `id:${node.webhookId}`,
					typeof node.parameters.path === 'string' && `path:${node.parameters.path}`,
				];
				for (const key of keys.filter((k): k is string => Boolean(k))) {
					expect(seen.get(key), `${file} "${node.name}" reuses ${key}`).toBeUndefined();
					seen.set(key, `${file} "${node.name}"`);
				}
			}
		}
	});

	describe.each(examples)('%s', (file, example) => {
		const packageNodes = example.nodes.filter((n) => n.type.startsWith(PREFIX));

		it('is a workflow whose connections join existing nodes', () => {
			expect(example.name).toMatch(/^Zoom Team Chat: /);
			const names = example.nodes.map((n) => n.name);
			expect(new Set(names).size).toBe(names.length);
			expect(new Set(example.nodes.map((n) => n.id)).size).toBe(names.length);
			for (const [from, { main }] of Object.entries(example.connections)) {
				expect(names, `connection from "${from}"`).toContain(from);
				for (const link of main.flat()) expect(names, `connection ${from} → ${link.node}`).toContain(link.node);
			}
			// Every node except triggers and sticky notes has an input.
			const targets = new Set(Object.values(example.connections).flatMap(({ main }) => main.flat().map((l) => l.node)));
			for (const node of example.nodes) {
				if (/Trigger$|\.webhook$|stickyNote$/.test(node.type)) continue;
				expect(targets.has(node.name), `"${node.name}" has no input`).toBe(true);
			}
		});

		it("uses the package's node types as a community package install names them", () => {
			expect(packageNodes.length).toBeGreaterThan(0);
			for (const node of example.nodes) {
				expect(node.type, node.name).not.toMatch(/^CUSTOM\./);
				if (node.type.startsWith(PREFIX)) expect(node.typeVersion).toBe(1);
			}
		});

		it('refers to credentials by name only and holds no secrets', () => {
			for (const node of example.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					expect(ref, `${node.name} → ${type}`).toEqual({ id: null, name: CREDENTIAL_NAMES[type] });
				}
			}
			walk(example, (key, value) => {
				if (SECRET_KEYS.test(key)) expect.fail(`a "${key}" field (${JSON.stringify(value).slice(0, 20)}…)`);
			});
		});

		it('sets only parameters the Zoom nodes show for the chosen operation, with valid values', () => {
			for (const node of packageNodes) expect(parameterProblems(node), node.name).toEqual([]);
		});

		it('triggers on events the trigger offers', () => {
			for (const node of packageNodes.filter((n) => n.type.endsWith('Trigger'))) {
				const events = node.parameters.events as string[];
				expect(events.length).toBeGreaterThan(0);
				for (const event of events) expect(isKnownEvent(event), event).toBe(true);
			}
		});

		it('explains its set-up in a sticky note (package, credential, what to replace)', () => {
			const notes = example.nodes
				.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
				.map((n) => String(n.parameters.content));
			const text = notes.join('\n');
			expect(text).toContain(packageJson.name);
			for (const name of new Set(packageNodes.flatMap((n) => Object.values(n.credentials ?? {}).map((c) => c.name)))) {
				expect(text).toContain(`Credential "${name}"`);
			}
			const placeholders = new Set(
				JSON.stringify(example.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')).match(
					/\b[A-Z][A-Z_]+_(?:CHANNEL_ID|EMAIL)\b/g,
				),
			);
			for (const placeholder of placeholders)
				expect(text, `the notes do not mention ${placeholder}`).toContain(placeholder);
		});
	});
});
