// Child-process entry: one webhook receiver on 127.0.0.1, port 0; prints `READY {"url": ...}`.
//   bare  — node:http, hand-written check (createHmac + timingSafeEqual, 5-minute window), JSON.parse, 200
//   core  — node:http, the core's handleWebhookRequest (verify, parse, url_validation), 200
//   rivet — @zoom/rivet 0.4.0's own HttpReceiver with an event listener registered
// Every receiver reads the whole body, verifies it, parses it and acknowledges with 200.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { loadRivetTeamChat } from './rivet.mjs';

const require = createRequire(import.meta.url);
const [kind = 'bare', secret = ''] = process.argv.slice(2);
let received = 0;

/** @param {import('node:http').IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? /** @type {Buffer} */ (chunks[0]) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function bareVerify(raw, headers) {
  const sig = headers['x-zm-signature'];
  const ts = headers['x-zm-request-timestamp'];
  if (typeof sig !== 'string' || typeof ts !== 'string' || sig.length !== 67 || !sig.startsWith('v0=')) return false;
  const received = Buffer.from(sig.slice(3), 'hex');
  const digest = createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest();
  if (received.length !== 32 || !timingSafeEqual(digest, received)) return false;
  return Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
}

async function main() {
  if (kind === 'rivet') {
    const { HttpReceiver, TeamChatS2SAuthClient } = loadRivetTeamChat();
    const receiver = new HttpReceiver({
      webhooksSecretToken: secret,
      endpoints: '/zoom/events',
      port: 0,
      logLevel: 'error',
    });
    // Rivet's receiver listens on every interface and has no host option; keep it on 127.0.0.1
    // by wrapping listen() of the server it creates (its request handling is untouched).
    const create = receiver.getServerCreator().bind(receiver);
    receiver.getServerCreator = () => (/** @type {any} */ opts, /** @type {any} */ handler) => {
      const server = create(opts, handler);
      const listen = server.listen.bind(server);
      server.listen = (/** @type {number} */ port, /** @type {() => void} */ cb) => listen(port, '127.0.0.1', cb);
      return server;
    };
    // As an app uses it: a Team Chat client with that receiver, and a listener for the event.
    const client = new TeamChatS2SAuthClient({
      clientId: 'unused',
      clientSecret: 'unused',
      accountId: 'unused',
      receiver,
    });
    client.webEventConsumer.event('team_chat.channel_message_posted', () => {
      received++;
    });
    const server = await client.start();
    return `http://127.0.0.1:${server.address().port}/zoom/events`;
  }
  const { handleWebhookRequest, WebhookVerificationError } = require('@zoom-team-chat/core');
  const server = createServer((req, res) => {
    readBody(req).then(
      (raw) => {
        if (kind === 'core') {
          try {
            const result = handleWebhookRequest({ rawBody: raw, headers: req.headers, secrets: secret });
            if (result.kind === 'url_validation') {
              res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.response));
              return;
            }
            res.writeHead(200).end();
            received++;
          } catch (err) {
            if (err instanceof WebhookVerificationError) res.writeHead(err.status).end();
            else res.writeHead(500).end();
          }
          return;
        }
        if (!bareVerify(raw, req.headers)) {
          res.writeHead(401).end();
          return;
        }
        JSON.parse(raw.toString('utf8'));
        res.writeHead(200).end();
        received++;
      },
      () => res.destroy(),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return `http://127.0.0.1:${address.port}/zoom/events`;
}

const url = await main();
process.stdout.write(`READY ${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => {
  process.stderr.write(`${kind}: ${received} events received\n`);
  process.exit(0);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
