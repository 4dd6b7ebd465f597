/**
 * Teams benchmark: how fast Tally answers message activities on `POST /api/messages`, alone and 200 at once.
 *
 * Two processes besides this one: a minimal Bot Connector fake (teams-connector-fake.ts, the activities'
 * `serviceUrl`, where Tally posts its typing indicator and answer card) and Tally (`node bin/tally.js start` from
 * dist/, anonymous Teams mode, no Slack, Redis from TALLY_TEST_REDIS_URL with a queue prefix unique to the run, the
 * May 2026 fixture export in the in-process store, today pinned to 2026-06-10). Every activity is
 * `cost last month by service` (a card with a chart) in its own personal chat, from its own user.
 *
 * Per activity it measures (a) the HTTP response of `/api/messages`, from send to the end of the response: the
 * adapter answers within the request, once the turn (and so the reply) is done; and (b) the time until the answer
 * card reached the connector fake (`Date.now()` in both processes, so 1 ms resolution). Phases: a warm-up of 20
 * activities at once (not measured), 20 one after another (the baseline), 200 at once (one connection each), and 20
 * one after another with `deliveryMode: 'expectReplies'` (the replies come back in the HTTP body, none go to the
 * connector). At the end it checks that every activity was answered HTTP 200 with exactly one card, and removes the
 * run's Redis keys.
 *
 *   npm run build && bash scripts/test-services.sh exec node dist/bench/teams.bench.js
 *
 * Knobs: BENCH_TEAMS_CONCURRENCY (200), BENCH_TEAMS_WARMUP (20), BENCH_TEAMS_SEQUENTIAL (20),
 * BENCH_TEAMS_EXPECT_REPLIES (20), BENCH_TEAMS_TALLY_NODE_ARGS (node flags for Tally only, e.g. `--cpu-prof`).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { envInt, ms, percentile, table } from './bench-stats.js';
import { type AckResult, benchAgent, type ServerProcess, startServer, timedPost } from './slack-ack-support.js';
import type { ConnectorStats } from './teams-connector-fake.js';
import {
  type ConnectorProcess,
  dropKeys,
  jsonRequest,
  messageActivity,
  redisVersion,
  startConnector,
} from './teams-support.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONCURRENCY = envInt('BENCH_TEAMS_CONCURRENCY', 200);
const WARMUP = envInt('BENCH_TEAMS_WARMUP', 20);
const SEQUENTIAL = envInt('BENCH_TEAMS_SEQUENTIAL', 20);
const EXPECT_REPLIES = envInt('BENCH_TEAMS_EXPECT_REPLIES', 20);
const TALLY_NODE_ARGS = (process.env.BENCH_TEAMS_TALLY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const TEXT = 'cost last month by service';
const CARD = 'application/vnd.microsoft.card.adaptive';

/** Unique per run: in the queue prefix, the conversation ids and so in every Redis key the run leaves. */
const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
const PREFIX = `tally_bench_teams_${runId}`;
const CONVERSATIONS = `a:1bench-${runId}-`;

interface Sent extends AckResult {
  phase: string;
  id: string;
  /** `Date.now()` just before the request was sent. */
  sentAt: number;
  expectReplies: boolean;
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** Sends one activity per index of `phase`, all at once or one after another, and times each HTTP response. */
async function send(
  url: string,
  connector: ConnectorProcess,
  phase: string,
  n: number,
  opts: { concurrent: boolean; expectReplies?: boolean },
): Promise<Sent[]> {
  const agent = benchAgent();
  const one = async (i: number): Promise<Sent> => {
    const id = `${runId}-${phase}-${i}`;
    const activity = messageActivity({
      id,
      text: TEXT,
      conversationId: `${CONVERSATIONS}${phase}-${i}`,
      user: i,
      serviceUrl: connector.serviceUrl,
      ...(opts.expectReplies ? { deliveryMode: 'expectReplies' as const } : {}),
    });
    const sentAt = Date.now();
    const result = await timedPost(agent, `${url}/api/messages`, jsonRequest(activity));
    return { ...result, phase, id, sentAt, expectReplies: opts.expectReplies === true };
  };
  const indexes = Array.from({ length: n }, (_, i) => i);
  const results: Sent[] = [];
  if (opts.concurrent) results.push(...(await Promise.all(indexes.map(one))));
  else for (const i of indexes) results.push(await one(i));
  agent.destroy();
  return results;
}

/** Waits until every (normal) activity of `sent` has its answer at the connector and it has been idle for 300 ms. */
async function settle(connector: ConnectorProcess, sent: Sent[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await connector.stats();
    const waiting = sent.filter((s) => !s.expectReplies && stats.replies[s.id]?.messageAt === undefined);
    if (waiting.length === 0 && Date.now() - stats.lastCallAt >= 300) return;
    if (Date.now() > deadline) {
      log(`  warning: after ${timeoutMs} ms, ${waiting.length} activities still had no answer at the connector`);
      return;
    }
    await sleep(100);
  }
}

/** min/p50/p95/p99/max of `values` as table cells (`-` when there are none). */
function cells(values: number[]): string[] {
  const s = sorted(values);
  const [min, max] = [s[0] ?? Number.NaN, s.at(-1) ?? Number.NaN];
  return [min, percentile(s, 50), percentile(s, 95), percentile(s, 99), max].map(ms);
}

/** Milliseconds from sending each activity to its first message (the card) at the connector. */
function replyMs(sent: Sent[], stats: ConnectorStats): number[] {
  return sent.flatMap((s) => {
    const at = stats.replies[s.id]?.messageAt;
    return at === undefined ? [] : [at - s.sentAt];
  });
}

/** Messages in an `expectReplies` response body (`{ activities: [...] }`) and how many carry a card. */
function expectedReplies(body: string): { messages: number; cards: number } {
  try {
    const parsed = JSON.parse(body) as { activities?: { type?: string; attachments?: { contentType?: string }[] }[] };
    const messages = (parsed.activities ?? []).filter((a) => a.type === 'message');
    return {
      messages: messages.length,
      cards: messages.filter((a) => (a.attachments ?? []).some((x) => x.contentType === CARD)).length,
    };
  } catch {
    return { messages: 0, cards: 0 };
  }
}

/** Every activity answered HTTP 200 with exactly one card (at the connector, or in the body for expectReplies). */
function verify(all: Sent[], stats: ConnectorStats): boolean {
  const failed = all.filter((s) => s.status !== 200);
  const wrong = all.filter((s) => {
    const at = stats.replies[s.id];
    if (!s.expectReplies) return at?.messages !== 1 || at.cards !== 1;
    const inBody = expectedReplies(s.body);
    return at !== undefined || inBody.messages !== 1 || inBody.cards !== 1;
  });
  const typing = all.filter((s) => !s.expectReplies && stats.replies[s.id]?.typingAt !== undefined).length;
  const normal = all.filter((s) => !s.expectReplies).length;
  log(`\n[check] ${all.length - failed.length}/${all.length} activities answered HTTP 200 (warm-up included)`);
  for (const s of failed.slice(0, 5)) log(`  HTTP ${s.status} for ${s.id}: ${s.body.slice(0, 200)}`);
  log(`[check] ${wrong.length} of ${all.length} activities not answered with exactly one card`);
  for (const s of wrong.slice(0, 5))
    log(`  ${s.id}: connector ${JSON.stringify(stats.replies[s.id] ?? null)}, body ${s.body.slice(0, 200)}`);
  log(`[check] typing indicators: ${typing} of ${normal} normal-delivery activities`);
  log(`[check] connector calls: ${JSON.stringify(stats.calls)}`);
  return failed.length === 0 && wrong.length === 0;
}

/** The lines of Tally's output that are warnings or errors (it logs at `warn`). */
function problems(server: ServerProcess): string[] {
  return server
    .output()
    .split('\n')
    .filter((line) => /"level":(40|50|60)/.test(line));
}

async function main(): Promise<void> {
  const redisUrl = process.env.TALLY_TEST_REDIS_URL?.trim();
  if (!redisUrl) {
    log('teams bench skipped: TALLY_TEST_REDIS_URL is not set (run it through scripts/test-services.sh exec)');
    return;
  }
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  log(
    `Teams benchmark — machine: ${platform()} ${release()}, ${cpu}, ${availableParallelism()} CPUs, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}; Redis ${await redisVersion(redisUrl)}`,
  );
  log(`${JSON.stringify(TEXT)} in personal chats, anonymous mode; queue prefix ${PREFIX}`);
  const stops: Array<() => Promise<void>> = [];
  let tally: ServerProcess | undefined;
  let ok = false;
  try {
    const connector = await startConnector();
    stops.push(connector.stop);
    tally = await startServer('tally', [...TALLY_NODE_ARGS, `${ROOT}bin/tally.js`, 'start'], {
      TALLY_TEAMS_ANONYMOUS: 'true',
      REDIS_URL: redisUrl,
      TALLY_QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'warn',
      TALLY_TODAY: '2026-06-10',
      TALLY_FOCUS_FILE: `${ROOT}tests/fixtures/focus/export-2026-05.csv`,
    });
    stops.unshift(tally.stop);
    log(`tally at ${tally.url}, Bot Connector fake at ${connector.serviceUrl}\n`);

    const warm = await send(tally.url, connector, 'warm', WARMUP, { concurrent: true });
    await settle(connector, warm);
    const seq = await send(tally.url, connector, 'seq', SEQUENTIAL, { concurrent: false });
    await settle(connector, seq);
    const b0 = performance.now();
    const burst = await send(tally.url, connector, 'burst', CONCURRENCY, { concurrent: true });
    const burstMs = performance.now() - b0;
    await settle(connector, burst);
    const expect = await send(tally.url, connector, 'expect', EXPECT_REPLIES, {
      concurrent: false,
      expectReplies: true,
    });
    await settle(connector, expect);
    const stats = await connector.stats();

    const httpMs = (sent: Sent[]) => sent.map((s) => s.ms);
    const header = ['phase', 'n', 'measure', 'min ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
    log(
      table(header, [
        ['sequential', String(seq.length), 'HTTP response', ...cells(httpMs(seq))],
        ['sequential', String(seq.length), 'card at connector', ...cells(replyMs(seq, stats))],
        [`${CONCURRENCY} at once`, String(burst.length), 'HTTP response', ...cells(httpMs(burst))],
        [`${CONCURRENCY} at once`, String(burst.length), 'card at connector', ...cells(replyMs(burst, stats))],
        ['expectReplies, sequential', String(expect.length), 'HTTP response (card in body)', ...cells(httpMs(expect))],
      ]),
    );
    log(
      `\n${CONCURRENCY} at once: all answered in ${(burstMs / 1000).toFixed(2)} s ` +
        `(${((CONCURRENCY / burstMs) * 1000).toFixed(1)} activities/s)`,
    );
    ok = verify([...warm, ...seq, ...burst, ...expect], stats);
    const logged = problems(tally);
    if (logged.length > 0) {
      log(`\n${logged.length} warnings/errors logged by tally; first: ${logged[0]?.slice(0, 300)}`);
      ok = false;
    }
  } catch (error) {
    if (tally) log(`\n--- tally output ---\n${tally.output().slice(-4000)}`);
    throw error;
  } finally {
    for (const stop of stops) await stop();
    const keys = await dropKeys(redisUrl, [`${PREFIX}:*`, `tally:dedupe:teams:activity:${CONVERSATIONS}*`]);
    log(`\ncleaned up: ${keys} Redis keys (${PREFIX}:* and the run's dedupe keys); tally and the fake stopped`);
  }
  if (!ok) process.exitCode = 1;
}

await main();
