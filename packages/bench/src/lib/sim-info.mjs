// What a benchmark needs from a running simulator: a token for the raw contenders, a channel.

/** Mints a Server-to-Server token the way Zoom documents it. */
export async function mintToken(sim) {
  const { clientId, clientSecret, accountId } = sim.credentials;
  const url = `${sim.urls.oauth}/oauth/token?grant_type=account_credentials&account_id=${encodeURIComponent(accountId)}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return /** @type {{ access_token: string }} */ (await res.json()).access_token;
}

/** The seeded `general` channel (the account owner, `me`, is a member). */
export async function generalChannelId(sim) {
  const res = await fetch(`${sim.urls.admin}/channels`);
  const channels = /** @type {Array<{ id: string, name: string }>} */ (await res.json());
  const general = channels.find((c) => c.name === 'general');
  if (!general) throw new Error('the simulator has no "general" channel');
  return general.id;
}

/** Admin API call to the simulator. */
export async function admin(sim, method, path, body) {
  const res = await fetch(`${sim.urls.admin}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}
