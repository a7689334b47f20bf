/**
 * Zoom-looking identifiers from a seeded generator, so the same seed and the same requests
 * give the same IDs (tests and recorded demos stay stable).
 */
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

function hashSeed(seed: string | number): number {
  const text = String(seed);
  let h = 2166136261 >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

export class IdFactory {
  private state: number;

  constructor(seed: string | number) {
    this.state = hashSeed(seed) || 1;
  }

  /** mulberry32: tiny, fast and good enough for IDs. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** `v4iyWT1LTfy8QvPG4GTvdg`: users, accounts, files. */
  id22(): string {
    return this.chars(B64URL, 22);
  }

  /** Account IDs avoid a leading `-`/`_` some tools trip over. */
  accountId(): string {
    return this.chars(ALNUM, 1) + this.chars(B64URL, 21);
  }

  /** `R4VM29Oj0fVM2hhEmSKVM2hhezJTezJTKVM2hezJT2hezJTSK`-style member IDs. */
  memberId(): string {
    return this.chars(ALNUM, 46);
  }

  /** `825c9e31f1064c73b394c5e4557d3447`: channels. */
  hex32(): string {
    return this.chars(HEX, 32);
  }

  /** `8cfaf567-bf5a-4acc-b4f2-88b3d371aca5`: messages. */
  uuid(): string {
    const h = this.chars(HEX, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(this.next() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** `kdjh3nfo_rq7l6ua0-ax8w@xmpp.zoom.us`: user JIDs. */
  userJid(): string {
    return `${this.chars(LOWER, 22)}@xmpp.zoom.us`;
  }

  /** `v1pky3tyBBB5pl8q@xmpp.zoom.us`: bot JIDs. */
  botJid(): string {
    return `v1${this.chars(ALNUM, 14)}@xmpp.zoom.us`;
  }

  /** Marketplace client IDs and secrets. */
  clientId(): string {
    return this.chars(ALNUM, 22);
  }

  secret(): string {
    return this.chars(ALNUM, 32);
  }
}
