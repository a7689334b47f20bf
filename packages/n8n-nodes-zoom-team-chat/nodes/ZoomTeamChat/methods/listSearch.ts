import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isApiAuthentication, zoomClientFor } from '../../shared/client';
import { toNodeError } from '../../shared/errors';

const PAGE = 50;

async function clientFor(context: ILoadOptionsFunctions) {
	const authentication = context.getNodeParameter('authentication', 'serverToServerOAuth') as string;
	if (!isApiAuthentication(authentication) || authentication === 'chatbot') return undefined;
	const { client } = await zoomClientFor(context, authentication);
	const actAs =
		authentication === 'serverToServerOAuth'
			? String(context.getNodeParameter('actAsUser', 'me') ?? 'me').trim()
			: 'me';
	return { client, userId: actAs || 'me' };
}

function matches(filter: string | undefined, ...values: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
}

/** The user's channels, one page per call, filtered by name. */
export async function searchChannels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const found = await clientFor(this);
	if (!found) return { results: [] };
	try {
		const page = (await found.client.channels.page({
			userId: found.userId,
			query: { page_size: PAGE, ...(paginationToken ? { next_page_token: paginationToken } : {}) },
		})) as IDataObject;
		const channels = (Array.isArray(page?.channels) ? page.channels : []) as IDataObject[];
		const results = channels
			.filter((c) => matches(filter, c.name, c.id))
			.map((c) => ({
				name: String(c.name ?? c.id),
				value: String(c.id),
				...(typeof c.channel_url === 'string' ? { url: c.channel_url } : {}),
			}));
		const next = typeof page?.next_page_token === 'string' && page.next_page_token ? page.next_page_token : undefined;
		return { results, ...(next ? { paginationToken: next } : {}) };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** Company contacts: the directory search when text is typed, else the user's contact list. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const found = await clientFor(this);
	if (!found) return { results: [] };
	try {
		const token = paginationToken ? { next_page_token: paginationToken } : {};
		const page = (await (filter
			? found.client.contacts.searchPage({ search_key: filter, page_size: 25, ...token })
			: found.client.contacts.page({ type: 'company', page_size: PAGE, ...token }))) as IDataObject;
		const contacts = (Array.isArray(page?.contacts) ? page.contacts : []) as IDataObject[];
		const results = contacts.map((c) => {
			const name = [c.first_name, c.last_name].filter((p) => typeof p === 'string' && p).join(' ');
			const email = typeof c.email === 'string' ? c.email : '';
			return {
				name: name ? `${name}${email ? ` (${email})` : ''}` : email || String(c.id),
				value: email || String(c.member_id ?? c.id),
			};
		});
		const next = typeof page?.next_page_token === 'string' && page.next_page_token ? page.next_page_token : undefined;
		return { results, ...(next ? { paginationToken: next } : {}) };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
