/**
 * A minimal Bot Connector fake for the Teams benchmark (teams.bench.ts): the `serviceUrl` of the benchmark's
 * activities, where Tally posts its typing indicators and answer cards. The benchmark forks it, so that its work does
 * not share an event loop with the latency measurements. It answers `POST /v3/conversations/{id}/activities` and
 * `POST …/activities/{replyToId}` with `{ "id": "<n>" }` and notes, per activity replied to, when (`Date.now()`, the
 * clock every process shares) its first typing indicator and its first message arrived. Self-contained, because
 * bench/ is compiled without tests/ (tests/support/bot-connector-fake.ts is the fuller fake the tests use).
 *
 * IPC: sends `{ origin }` once listening on 127.0.0.1, and answers `{ type: 'stats' }` with a {@link ConnectorStats}.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What arrived for one incoming activity (keyed by the `replyToId` of Tally's posts). */
export interface ReplyArrivals {
  /** `Date.now()` when the first `typing` activity arrived. */
  typingAt?: number;
  /** `Date.now()` when the first `message` activity arrived. */
  messageAt?: number;
  /** Message activities received. */
  messages: number;
  /** Of those, messages carrying an Adaptive Card (an answer; an apology is plain text). */
  cards: number;
  /** The text of the first message without a card (an apology or help), cut to 200 characters. */
  text?: string;
}

/** What the fake received so far. */
export interface ConnectorStats {
  type: 'stats';
  /** Arrivals per replied-to activity id; `''` for posts that named none. */
  replies: Record<string, ReplyArrivals>;
  /** Requests per kind: `post` (activities), `other` (anything the fake does not know; answered 404). */
  calls: Record<string, number>;
  /** `Date.now()` of the last request, 0 before the first. */
  lastCallAt: number;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const stats: ConnectorStats = { type: 'stats', replies: {}, calls: {}, lastCallAt: 0 };
let seq = 0;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Notes one posted activity under the id it replies to. */
function note(replyTo: string, activity: Record<string, unknown>, at: number): void {
  const entry = stats.replies[replyTo] ?? { messages: 0, cards: 0 };
  stats.replies[replyTo] = entry;
  if (activity.type === 'typing') entry.typingAt ??= at;
  if (activity.type !== 'message') return;
  entry.messageAt ??= at;
  entry.messages += 1;
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as { contentType?: unknown }[]) : [];
  if (attachments.some((a) => a.contentType === CARD)) entry.cards += 1;
  else if (entry.text === undefined) entry.text = String(activity.text ?? '').slice(0, 200);
}

const server = createServer((req, res) => {
  void (async () => {
    const at = Date.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = ACTIVITIES.exec(path);
    const body = await readJson(req);
    stats.lastCallAt = Date.now();
    if (req.method !== 'POST' || !match) {
      stats.calls.other = (stats.calls.other ?? 0) + 1;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: `${req.method} ${path}` } }));
      return;
    }
    stats.calls.post = (stats.calls.post ?? 0) + 1;
    const replyTo = match[2] === undefined ? String(body.replyToId ?? '') : decodeURIComponent(match[2]);
    note(replyTo, body, at);
    seq += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: String(seq) }));
  })();
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ origin: `http://127.0.0.1:${port}` });
});

process.on('message', (m: { type?: string }) => {
  if (m.type === 'stats') process.send?.(stats);
});
// Orphaned (the benchmark died): stop listening too.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
