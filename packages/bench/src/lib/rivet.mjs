// Zoom's own library, @zoom/rivet 0.4.0, pointed at the simulator.
//
// - API host: Rivet's documented `baseUrl` option (it then also replaces the file host).
// - OAuth host: hard-coded to https://zoom.us in Rivet (`OAUTH_BASE_URL`, no option, no env).
//   We add an interceptor to the very axios instance Rivet requires (resolved from Rivet's own
//   folder, CommonJS build: the ESM build would get a different axios instance) that rewrites
//   that origin to the simulator's OAuth host. Rivet then mints its S2S token as it would at Zoom.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const RIVET_TEAMCHAT = require.resolve('@zoom/rivet/teamchat');

/** @returns {any} the CommonJS teamchat module of @zoom/rivet */
export function loadRivetTeamChat() {
  return require('@zoom/rivet/teamchat');
}

let redirectedTo = '';
/** Sends Rivet's token requests to `oauthBase` instead of https://zoom.us (once per process). */
export function redirectRivetOAuth(oauthBase) {
  if (redirectedTo === oauthBase) return;
  if (redirectedTo) throw new Error('Rivet OAuth already redirected elsewhere in this process');
  redirectedTo = oauthBase;
  const axios = createRequire(RIVET_TEAMCHAT)('axios');
  axios.interceptors.request.use((/** @type {any} */ config) => {
    if (typeof config.url === 'string' && config.url.startsWith('https://zoom.us/')) {
      config.url = oauthBase.replace(/\/+$/, '') + config.url.slice('https://zoom.us'.length);
    }
    return config;
  });
}

/**
 * A Rivet Team Chat client with Server-to-Server OAuth against the simulator.
 * @param {{ urls: { api: string, oauth: string }, credentials: { clientId: string, clientSecret: string, accountId: string } }} sim
 */
export function createRivetClient(sim) {
  redirectRivetOAuth(sim.urls.oauth);
  const { TeamChatS2SAuthClient } = loadRivetTeamChat();
  return new TeamChatS2SAuthClient({
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    accountId: sim.credentials.accountId,
    baseUrl: sim.urls.api,
    disableReceiver: true,
  });
}
