/** Contacts: the caller's contact list, one contact, and the company directory search. */
import type { Handler } from '../http/api-server';
import { userNotFound } from '../http/errors';
import type { User } from '../state/types';
import { actorFor, contactJson, pageSize } from './common';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const getUserContacts: Handler = (call) => {
  const actor = actorFor(call, 'me');
  const external = call.query['type'] === 'external';
  const list = [...call.sim.store.users.values()].filter(
    (u) => u.id !== actor.id && u.external === external && u.status === 'active',
  );
  const size = pageSize(call);
  const page = call.sim.store.page(list, `contacts:${actor.id}:${external}`, size, str(call.query['next_page_token']));
  return { body: { contacts: page.items.map(contactJson), page_size: size, next_page_token: page.next_page_token } };
};

function detail(u: User, presence: boolean): Record<string, unknown> {
  return {
    ...contactJson(u),
    phone_number: u.phone_number,
    phone_numbers: [],
    direct_numbers: [],
    extension_number: '',
    ...(presence ? { presence_status: u.presence_status } : {}),
  };
}

const getUserContact: Handler = (call) => {
  actorFor(call, 'me');
  const id = call.path['identifier'] as string;
  const u = call.sim.store.findUser(id);
  if (!u) throw userNotFound(id);
  return { body: detail(u, call.query['query_presence_status'] === true) };
};

const searchCompanyContacts: Handler = (call) => {
  actorFor(call, 'me');
  const q = call.query;
  const key = String(q['search_key'] ?? '').toLowerCase();
  const status = str(q['user_status']);
  const presence = q['query_presence_status'] === true;
  const list = [...call.sim.store.users.values()].filter(
    (u) =>
      !u.external &&
      (!status || u.status === status) &&
      [u.email, u.first_name, u.last_name, u.display_name].some((f) => f.toLowerCase().includes(key)),
  );
  const size = pageSize(call);
  const page = call.sim.store.page(list, `company:${key}:${status ?? ''}`, size, str(q['next_page_token']));
  return {
    body: {
      page_size: size,
      next_page_token: page.next_page_token,
      contacts: page.items.map((u) => ({
        ...contactJson(u),
        display_name: u.display_name,
        contact_type: 1,
        dept: u.dept,
        job_title: u.job_title,
        location: u.location,
        phone_number: u.phone_number,
        phone_numbers: [],
        direct_numbers: [],
        extension_number: '',
        user_status: u.status,
        ...(presence
          ? { presence_status: u.presence_status === 'Do_Not_Disturb' ? 'Do_Not_Disturb' : u.presence_status }
          : {}),
      })),
    },
  };
};

export const contactHandlers: Record<string, Handler> = { getUserContacts, getUserContact, searchCompanyContacts };
