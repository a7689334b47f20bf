// A stand-in for the simulator when profiling the client alone: fixed answers (a token, a sent
// message, a page of 50 messages), no validation, no state, so that the server's own cost and its
// growth over a run do not blur the client's CPU per request. Run by profile-request.mjs --stub in a
// child process on 127.0.0.1 (ephemeral port); it exits with its parent and after 5 minutes at most.
import http from 'node:http';
const sendAnswer = JSON.stringify({ id: '3C1F4A5B-1234-4321-ABCD-0123456789AB', date_time: '2026-11-25T06:00:00Z' });
const listAnswer = JSON.stringify({
  messages: Array.from({ length: 50 }, (_, i) => ({
    id: `m${i}`,
    message: 'benchmark message number ' + i,
    sender: 'user@example.com',
    date_time: '2026-11-25T06:00:00Z',
    timestamp: 1764050400000 + i,
  })),
  page_size: 50,
  next_page_token: '',
});
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url.startsWith('/oauth/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3600, scope: 'x' }));
    }
    if (req.method === 'POST') {
      res.writeHead(201, { 'content-type': 'application/json' });
      return res.end(sendAnswer);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(listAnswer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(0), 300_000).unref();
