/**
 * User OAuth: Zoom rotates the refresh token on every refresh. The rotated one must reach the
 * node's credentials and survive a restart before the next deploy (the token file).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account, type AccountSettings } from '../src/lib/account';
import { accountNode, allNodes, helper, nextMessage, type TestNode } from './support/red';
import { startFakeZoom, type FakeZoom } from './support/fake-zoom';

let zoom: FakeZoom;
let userDir: string;
beforeAll(async () => {
  zoom = await startFakeZoom();
  userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'zoom-nr-userdir-'));
  zoom.answer('GET /v2/chat/users/me/contacts', { body: { contacts: [], next_page_token: '' } });
});
afterAll(async () => {
  await zoom.close();
  await fs.rm(userDir, { recursive: true, force: true });
});
afterEach(() => {
  zoom.requests.length = 0;
});

function settings(id: string): AccountSettings {
  return { id, authKind: 'user', plan: 'pro', ...zoom.baseUrls, userId: '', botJid: '' };
}

async function callOnce(account: Account): Promise<string | undefined> {
  const client = await account.client();
  await client.call('getUserContacts', {});
  const token = zoom.requests.find((r) => r.path === '/oauth/token');
  return token?.form?.refresh_token;
}

describe('user OAuth refresh-token rotation', () => {
  it('persists the rotated token to credentials and a file, and a restart continues from it', async () => {
    const persisted: Array<Record<string, unknown>> = [];
    const creds = { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'deployed-0' };
    const first = new Account(
      settings('user1'),
      { ...creds },
      { userDir, persistCredentials: (c) => void persisted.push({ ...c }) },
    );
    expect(await callOnce(first)).toBe('deployed-0');
    const firstAuth = zoom.apiRequests()[0]?.headers.authorization;
    const rotated = persisted.at(-1)?.refreshToken;
    expect(rotated).toMatch(/^refresh-\d+$/);
    first.close();

    const file = await fs.readFile(path.join(userDir, '.zoom-team-chat', 'user1.json'), 'utf8');
    expect(file).not.toContain(String(rotated));
    expect(file).not.toContain('csecret');

    zoom.requests.length = 0;
    // Restart with the credentials as deployed (the rotated token never reached flows_cred.json).
    const second = new Account(settings('user1'), { ...creds }, { userDir });
    const client = await second.client();
    await client.call('getUserContacts', {});
    // The access token saved with the file is still valid: no refresh needed, and never the dead token.
    expect(zoom.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(0);
    expect(zoom.apiRequests()[0]?.headers.authorization).toBe(firstAuth);
    second.close();
  });

  it('ignores the file when the user deploys a new refresh token, or the client secret changed', async () => {
    const creds = { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'deployed-A' };
    const first = new Account(settings('user2'), { ...creds }, { userDir });
    await callOnce(first);
    first.close();
    zoom.requests.length = 0;
    const fresh = new Account(settings('user2'), { ...creds, refreshToken: 'pasted-B' }, { userDir });
    expect(await callOnce(fresh)).toBe('pasted-B');
    fresh.close();
    zoom.requests.length = 0;
    const otherApp = new Account(settings('user2'), { ...creds, clientSecret: 'other' }, { userDir });
    expect(await callOnce(otherApp)).toBe('deployed-A');
    otherApp.close();
  });

  it('updates the config node credentials in Node-RED (addCredentials)', async () => {
    helper.settings({ userDir });
    await helper.load(
      allNodes,
      [
        accountNode({ id: 'acc1', authKind: 'user', ...zoom.baseUrls }),
        { id: 'n1', type: 'zoom-team-chat-list', account: 'acc1', resource: 'contacts', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ],
      { acc1: { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'deployed-NR' } },
    );
    const n1 = helper.getNode('n1') as TestNode;
    const got = nextMessage(helper.getNode('out') as TestNode);
    n1.receive({});
    await got;
    const stored = (helper as unknown as { credentials: { get(id: string): Record<string, string> } }).credentials.get(
      'acc1',
    );
    expect(stored.refreshToken).toMatch(/^refresh-\d+$/);
    expect(stored.clientSecret).toBe('csecret');
    await helper.unload();
  });
});
