/**
 * `zoom-team-chat-account`: a config node holding the Zoom app's credentials (only in Node-RED's
 * encrypted credentials, never in exported flows) and the one client every other node shares.
 */
import {
  Account,
  registerAccount,
  unregisterAccount,
  type AccountCredentials,
  type AuthKind,
  type Plan,
} from '../../lib/account';
import type { Node, NodeAPI, NodeDef } from '../../lib/red';
import { str } from '../../lib/values';

export const ACCOUNT_CREDENTIALS = {
  clientId: { type: 'text' },
  clientSecret: { type: 'password' },
  accountId: { type: 'text' },
  webhookSecretToken: { type: 'password' },
  refreshToken: { type: 'password' },
} as const;

const AUTH_KINDS: readonly AuthKind[] = ['account', 'chatbot', 'user'];
const PLANS: readonly Plan[] = ['free', 'pro', 'business'];

export default function register(RED: NodeAPI): void {
  function ZoomTeamChatAccountNode(this: Node<AccountCredentials>, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const authKind = AUTH_KINDS.includes(def.authKind as AuthKind) ? (def.authKind as AuthKind) : 'account';
    const plan = PLANS.includes(def.plan as Plan) ? (def.plan as Plan) : 'pro';
    const node = this;
    const userDir = typeof RED.settings.userDir === 'string' ? RED.settings.userDir : undefined;
    const account = new Account(
      {
        id: this.id,
        authKind,
        plan,
        apiUrl: str(def.apiUrl) ?? '',
        fileUrl: str(def.fileUrl) ?? '',
        oauthUrl: str(def.oauthUrl) ?? '',
        userId: str(def.userId) ?? '',
        botJid: str(def.botJid) ?? '',
      },
      // A copy: the client may rotate the refresh token, which is then persisted below.
      { ...(this.credentials ?? {}) },
      {
        ...(userDir !== undefined ? { userDir } : {}),
        persistCredentials: (creds) => RED.nodes.addCredentials(node.id, { ...creds }),
        log: { debug: () => undefined, warn: (m) => node.warn(m) },
      },
    );
    registerAccount(account);
    this.on('close', (_removed, done) => {
      unregisterAccount(account);
      done();
    });
  }
  RED.nodes.registerType('zoom-team-chat-account', ZoomTeamChatAccountNode as (this: Node, def: NodeDef) => void, {
    credentials: ACCOUNT_CREDENTIALS,
  });
}
