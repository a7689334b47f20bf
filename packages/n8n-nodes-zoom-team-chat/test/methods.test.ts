import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '@zoom-team-chat/simulator';
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { actionNode } from './helpers/run';
import { createHttpHelpers } from './helpers/http';
import { testNode } from './helpers/contexts';
import { credentialsFor, startTestSimulator } from './helpers/simulator';

let sim: Simulator;

beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => {
	await sim.close();
});

function loadOptionsContext(parameters: IDataObject): ILoadOptionsFunctions {
	const credentials = credentialsFor(sim);
	const http = createHttpHelpers(testNode, credentials);
	return {
		getNode: () => testNode,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async (type: string) => credentials[type]?.data,
		helpers: { httpRequestWithAuthentication: http.httpRequestWithAuthentication },
	} as unknown as ILoadOptionsFunctions;
}

describe('resource locator searches and option lists', () => {
	it("lists the user's channels, filtered by name, page by page", async () => {
		const context = loadOptionsContext({ authentication: 'serverToServerOAuth', actAsUser: 'me' });
		const all = await actionNode.methods.listSearch.searchChannels.call(context);
		const owner = (await sim.admin.users()).find((u) => u.role === 'owner');
		const mine = (await sim.admin.channels()).filter((c) => c.members.some((m) => m.userId === owner?.id));
		expect(all.results.map((r) => r.value).sort()).toEqual(mine.map((c) => c.id).sort());

		const first = mine[0];
		if (!first) throw new Error('fixture: no channel');
		const filtered = await actionNode.methods.listSearch.searchChannels.call(
			context,
			first.name.slice(0, 4).toUpperCase(),
		);
		expect(filtered.results.map((r) => r.value)).toContain(first.id);
		expect(filtered.results.every((r) => r.name.toLowerCase().includes(first.name.slice(0, 4).toLowerCase()))).toBe(
			true,
		);
	});

	it('finds company contacts by name and offers their email as the value', async () => {
		const context = loadOptionsContext({ authentication: 'serverToServerOAuth' });
		const colleague = (await sim.admin.users()).find((u) => u.role !== 'owner' && !u.external);
		if (!colleague) throw new Error('fixture: no colleague');
		const found = await actionNode.methods.listSearch.searchContacts.call(context, colleague.first_name);
		expect(found.results).toContainEqual({
			name: `${colleague.first_name} ${colleague.last_name} (${colleague.email})`,
			value: colleague.email,
		});
	});

	it('offers the company contact list when nothing is typed', async () => {
		const context = loadOptionsContext({ authentication: 'serverToServerOAuth' });
		const colleague = (await sim.admin.users()).find((u) => u.role !== 'owner' && !u.external);
		if (!colleague) throw new Error('fixture: no colleague');
		const found = await actionNode.methods.listSearch.searchContacts.call(context);
		expect(found.results.map((r) => r.value)).toContain(colleague.email);
	});

	it('offers nothing to search with a chatbot credential (it cannot list channels)', async () => {
		const context = loadOptionsContext({ authentication: 'chatbot' });
		expect(await actionNode.methods.listSearch.searchChannels.call(context)).toEqual({ results: [] });
	});

	it('lists all 111 operations for API Call, by summary', async () => {
		const options = await actionNode.methods.loadOptions.getOperations.call(loadOptionsContext({}));
		expect(options).toHaveLength(111);
		expect(options.find((o) => o.value === 'sendaChatMessage')?.name).toMatch(
			/POST \/chat\/users\/\{userId\}\/messages/,
		);
	});
});
