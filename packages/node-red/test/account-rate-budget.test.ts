/**
 * Zoom's rate limits are per account: two account nodes naming the same Zoom account (in any flow)
 * share one budget in this Node-RED, and an account node for another Zoom account has its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, type AccountSettings } from '../src/lib/account';
import { startFakeZoom, type FakeZoom } from './support/fake-zoom';

let zoom: FakeZoom;
beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.answer('POST /v2/chat/users/me/messages', { status: 201, body: { id: 'm' } });
});
afterAll(async () => {
  await zoom.close();
});

const settings = (id: string): AccountSettings => ({
  id,
  authKind: 'account',
  plan: 'pro',
  ...zoom.baseUrls,
  userId: 'me',
  botJid: '',
});
const account = (id: string, accountId: string) =>
  new Account(settings(id), { clientId: `cid-${id}`, clientSecret: 'secret', accountId });

/** Most requests that arrived within any `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, from = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[from] as number) >= windowMs) from++;
    most = Math.max(most, i - from + 1);
  }
  return most;
}

/** 20 sends through each account node at once; the arrival times of those sends. */
async function burst(accounts: Account[], tag: string): Promise<number[]> {
  const clients = await Promise.all(accounts.map((a) => a.client()));
  await Promise.all(clients.map((c) => c.tokens.getToken()));
  const before = zoom.requests.length;
  await Promise.all(
    clients.flatMap((client, n) =>
      Array.from({ length: 20 }, (_, i) =>
        client.call('sendaChatMessage', {
          path: { userId: 'me' },
          body: { message: `${tag} ${n}.${i}`, to_contact: `u${i}@example.com` },
        }),
      ),
    ),
  );
  return zoom.requests
    .slice(before)
    .filter((r) => r.path === '/v2/chat/users/me/messages')
    .map((r) => r.at);
}

describe('one rate budget per Zoom account across account nodes', () => {
  it('two account nodes with the same Zoom account stay within one account allowance (MEDIUM, Pro: 20/s) together', async () => {
    const a = account('node-a', 'same-zoom-account');
    const b = account('node-b', 'same-zoom-account');
    const times = await burst([a, b], 'same');
    expect(times).toHaveLength(40);
    // 950 ms: a little under the second Zoom counts, for how the requests travel over loopback.
    expect(busiest(times, 950)).toBeLessThanOrEqual(20);
    a.close();
    b.close();
  }, 20_000);

  it('account nodes of different Zoom accounts each have their own allowance', async () => {
    const a = account('node-c', 'zoom-account-1');
    const b = account('node-d', 'zoom-account-2');
    const times = await burst([a, b], 'different');
    expect(times).toHaveLength(40);
    expect(busiest(times, 950)).toBeGreaterThan(25);
    a.close();
    b.close();
  }, 20_000);
});
