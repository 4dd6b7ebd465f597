/**
 * A minimal Slack Web API fake for the Slack ack benchmark (slack-ack.bench.ts). The benchmark forks it, so that its
 * work does not share an event loop with the latency measurements. It answers every Web API method with `ok: true`
 * plus the fields Tally reads (`ts`, `upload_url`, `file_id`, …), takes file bodies on `POST /upload/<id>` and
 * `response_url` posts on `POST /response/<id>`, and counts what it received.
 *
 * IPC: sends `{ type: 'ready', origin }` once listening on 127.0.0.1 (the Web API base is `${origin}/api/`), and
 * answers `{ type: 'stats' }` with a {@link FakeStats}.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake received so far. */
export interface FakeStats {
  type: 'stats';
  /** Requests per Web API method; `upload` and `response` for the two non-API paths. */
  calls: Record<string, number>;
  /** chat.postMessage calls per channel. */
  posts: Record<string, number>;
  /** Posts per `response_url` id (`POST /response/<id>`: Bolt's `respond()`). */
  responses: Record<string, number>;
  /** Of those, the ones telling the person Tally is busy (the answer queue was full), per id. */
  busy: Record<string, number>;
  /** `Date.now()` of the last request, 0 before the first. */
  lastCallAt: number;
}

const stats: FakeStats = { type: 'stats', calls: {}, posts: {}, responses: {}, busy: {}, lastCallAt: 0 };
/** How Tally's "busy" notice begins (src/conversation/apology.ts). */
const BUSY = 'Tally is busy';
const count = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};
let seq = 0;
let origin = '';

async function readForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function reply(method: string, body: Record<string, unknown>): Record<string, unknown> {
  seq += 1;
  const ts = `1700000000.${String(seq).padStart(6, '0')}`;
  switch (method) {
    case 'auth.test':
      return { ok: true, team: 'Tally Bench', user: 'tally', team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' };
    case 'chat.postMessage':
    case 'chat.update':
      return { ok: true, channel: body.channel, ts: body.ts ?? ts, message: { text: body.text ?? '', ts } };
    case 'files.getUploadURLExternal':
      return { ok: true, upload_url: `${origin}/upload/F${seq}`, file_id: `F${seq}` };
    case 'files.completeUploadExternal':
      return { ok: true, files: [] };
    default:
      return { ok: true, ts };
  }
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = path.startsWith('/api/') ? path.slice('/api/'.length) : (path.split('/')[1] ?? '');
  readForm(req).then(
    (body) => {
      count(stats.calls, method);
      stats.lastCallAt = Date.now();
      if (method === 'chat.postMessage') count(stats.posts, String(body.channel ?? ''));
      if (method === 'response') {
        const id = decodeURIComponent(path.split('/')[2] ?? '');
        count(stats.responses, id);
        if (String(body.text ?? '').startsWith(BUSY) || JSON.stringify(body.blocks ?? '').includes(BUSY))
          count(stats.busy, id);
      }
      if (!path.startsWith('/api/')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(reply(method, body)));
    },
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
});

server.listen(0, '127.0.0.1', () => {
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.send?.({ type: 'ready', origin });
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.(stats);
});
// Exit with the parent: on SIGTERM, or when the IPC channel closes.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
