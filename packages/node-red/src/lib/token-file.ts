/**
 * Keeps a user-OAuth refresh token across restarts.
 *
 * Zoom rotates the refresh token on every refresh and the old one dies. `RED.nodes.addCredentials`
 * only updates Node-RED's in-memory credentials (they reach flows_cred.json at the next deploy),
 * so a restart before a deploy would start from a dead token. This file bridges that gap.
 *
 * The file is encrypted with a key derived from the app's client secret (which Node-RED itself
 * stores encrypted in the credentials file), so it is no weaker than flows_cred.json.
 * `seed` is a hash of the refresh token the user deployed: when the user pastes a new one, the
 * hashes no longer match and the file is ignored.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface PersistedTokens {
  refreshToken: string;
  accessToken?: string;
  expiresAt?: number;
}

interface FileShape {
  v: 1;
  seed: string;
  latest: string;
  iv: string;
  data: string;
  tag: string;
}

const DIR = '.zoom-team-chat';

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function keyFor(clientSecret: string, nodeId: string): Buffer {
  return createHash('sha256').update(`zoom-team-chat-token-file\0${nodeId}\0${clientSecret}`).digest();
}

function fileFor(userDir: string, nodeId: string): string {
  // Node ids are hex in Node-RED; anything else is hashed so it cannot escape the folder.
  const safe = /^[A-Za-z0-9_.-]{1,64}$/.test(nodeId) && !nodeId.startsWith('.') ? nodeId : hash(nodeId);
  return path.join(userDir, DIR, `${safe}.json`);
}

export class TokenFile {
  private readonly file: string;
  private readonly key: Buffer;
  private seed: string;

  constructor(userDir: string, nodeId: string, clientSecret: string, deployedRefreshToken: string | undefined) {
    this.file = fileFor(userDir, nodeId);
    this.key = keyFor(clientSecret, nodeId);
    this.seed = deployedRefreshToken ? hash(deployedRefreshToken) : '';
  }

  /** The newest tokens, if the file continues the refresh token that was deployed. */
  async load(): Promise<PersistedTokens | undefined> {
    let parsed: FileShape;
    try {
      parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as FileShape;
    } catch {
      return undefined;
    }
    if (parsed.v !== 1 || this.seed === '') return undefined;
    if (parsed.seed !== this.seed && parsed.latest !== this.seed) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parsed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(parsed.data, 'base64')), decipher.final()]).toString(
        'utf8',
      );
      const tokens = JSON.parse(text) as PersistedTokens;
      if (typeof tokens.refreshToken !== 'string' || tokens.refreshToken === '') return undefined;
      // A deploy of the rotated token (via addCredentials) makes it the new seed.
      if (parsed.latest === this.seed) this.seed = parsed.seed;
      return tokens;
    } catch {
      // Another client secret (the app was changed): the file is not ours to use.
      return undefined;
    }
  }

  async save(tokens: PersistedTokens): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    const content: FileShape = {
      v: 1,
      seed: this.seed,
      latest: hash(tokens.refreshToken),
      iv: iv.toString('base64'),
      data: data.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Write then rename, so a crash mid-write never leaves half a token behind.
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(content), { mode: 0o600 });
    await fs.rename(tmp, this.file);
  }

  async remove(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}
