/**
 * Slack ack benchmark: how fast Tally acks a burst of signed `/cost` slash commands, how many it refuses as busy (its
 * answer queue is bounded: `TALLY_MAX_QUEUED_ANSWERS`) and the peak resident memory of its process, next to a bare Bolt
 * app that only acks, measured in the same run on the same machine. Aim: Tally/bare ratio at most 1.2, Tally's p99
 * under 300 ms and its RSS peak under 500 MB.
 *
 * Three processes besides this one: a minimal Slack Web API fake (slack-ack-fake.ts, where Tally posts its answers),
 * Tally (`node bin/tally.js start`, Redis from TALLY_TEST_REDIS_URL, the May 2026 fixture export, today pinned to
 * 2026-06-10) and the bare Bolt app (slack-ack-bare.ts). Each round sends, per target, a warm-up of 20 requests and then
 * 500 requests at once (one connection each), timing every request from send to the end of its HTTP response (the
 * ack); rounds alternate Tally / bare, 3 times, and the medians of the rounds' p50 and p99 are compared. After each
 * Tally burst it waits until every command has been answered and counts those answered with "Tally is busy" (in the
 * ack's body, or through the `response_url` when the queue filled up after the ack); after each round it reads the process's peak resident set (VmHWM in /proc/<pid>/status, so the
 * peak since start). At the end it checks that each command was answered exactly once: one chat.postMessage per
 * channel answer, and for help and usage errors an ephemeral answer (in the ack or through the `response_url`) and no
 * chat.postMessage; a command refused as busy has the busy notice once (in the ack or through the `response_url`) and
 * nothing else.
 *
 *   npm run bench                         # the query bench, then this one
 *   BENCH_ONLY=slack-ack npm run bench    # this one only
 *
 * Knobs: BENCH_SLACK_CONCURRENCY (500), BENCH_SLACK_WARMUP (20), BENCH_SLACK_ROUNDS (3), BENCH_SLACK_MAX_QUEUED
 * (Tally's TALLY_MAX_QUEUED_ANSWERS; unset: its default, 100; 10000 shows the unbounded queue of earlier versions) and
 * BENCH_SLACK_TALLY_NODE_ARGS (node flags for Tally only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/tally-prof`) and
 * BENCH_SLACK_TALLY_ENV (variables for Tally only, e.g. `TALLY_DUCKDB_THREADS=1 TALLY_DUCKDB_MEMORY=256MB`).
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { envInt, percentile, size } from './bench-stats.js';
import type { FakeStats } from './slack-ack-fake.js';
import {
  type AckResult,
  benchAgent,
  type FakeProcess,
  processRss,
  type ServerProcess,
  signedSlashCommand,
  startFake,
  startServer,
  timedPost,
} from './slack-ack-support.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'slack-ack-bench-signing-secret';
const CONCURRENCY = envInt('BENCH_SLACK_CONCURRENCY', 500);
const WARMUP = envInt('BENCH_SLACK_WARMUP', 20);
const ROUNDS = Math.max(1, envInt('BENCH_SLACK_ROUNDS', 3));
/** Tally's bound on waiting answers; unset: Tally's default. */
const MAX_QUEUED = process.env.BENCH_SLACK_MAX_QUEUED?.trim() ? envInt('BENCH_SLACK_MAX_QUEUED', 100) : undefined;
/** Extra node flags for Tally's process only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/tally-prof` to profile it. */
const TALLY_NODE_ARGS = (process.env.BENCH_SLACK_TALLY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
/** Extra environment for Tally's process only, `NAME=value` pairs separated by spaces. */
const TALLY_ENV = Object.fromEntries(
  (process.env.BENCH_SLACK_TALLY_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
/**
 * The command texts, in turn: channel answers (one chat.postMessage each, with a chart) and answers for the asker only
 * (help, a usage error), which come back ephemerally, in the ack's body or through the `response_url`.
 */
const TEXTS = [
  { text: 'cost last month by service', channel: true },
  { text: 'top 5 services last 30 days', channel: true },
  { text: 'help', channel: false },
  { text: 'cost by flavour', channel: false },
];
const AIM = { ratio: 1.2, p99Ms: 300, rssBytes: 500 * 1024 * 1024 };

interface Sent extends AckResult {
  text: string;
  /** Whether the answer belongs in the channel (else: for the asker only). */
  toChannel: boolean;
  /** Unique per request; also the `<id>` of its `response_url`. */
  channel: string;
}

interface Target {
  name: string;
  server: ServerProcess;
  p50s: number[];
  p99s: number[];
  /** Per round: measured requests answered "Tally is busy". */
  busy: number[];
  /** Per round: the process's peak resident set so far, in bytes. */
  rssPeaks: number[];
  /** The measured requests of all rounds. */
  measured: Sent[];
  /** Every request sent, warm-ups included (for the checks). */
  sent: Sent[];
}

const runId = Date.now().toString(36);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const sortedMs = (results: Sent[]) => results.map((r) => r.ms).sort((a, b) => a - b);
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
/** An ack with a body carries an ephemeral answer; an empty ack leaves the answer for later. */
const ackedEphemeral = (r: AckResult) => r.body.includes('"ephemeral"');
/** How Tally's "busy" notice begins (src/conversation/apology.ts). */
const ackedBusy = (r: AckResult) => r.body.includes('Tally is busy');

/**
 * How each request was answered: chat.postMessage calls, `response_url` posts, ephemeral ack (0 or 1), and of the
 * last two those that said Tally is busy (`busy`).
 */
function answers(r: Sent, stats: FakeStats): { posts: number; responses: number; busy: number; ack: number } {
  return {
    posts: stats.posts[r.channel] ?? 0,
    responses: stats.responses[r.channel] ?? 0,
    busy: (stats.busy[r.channel] ?? 0) + (ackedBusy(r) ? 1 : 0),
    ack: ackedEphemeral(r) ? 1 : 0,
  };
}

/** Sends `n` signed `/cost` commands to `target` at once and returns them with their ack times. */
async function burst(target: Target, fake: FakeProcess, tag: string, n: number): Promise<Sent[]> {
  const agent = benchAgent();
  const requests = Array.from({ length: n }, (_, i) => {
    const { text, channel: toChannel } = TEXTS[i % TEXTS.length] ?? { text: 'help', channel: false };
    const channel = `C${tag}${String(i).padStart(4, '0')}`;
    const fields = {
      text,
      channel_id: channel,
      trigger_id: `${runId}.${tag}.${i}.trigger`,
      response_url: `${fake.origin}/response/${channel}`,
    };
    return { text, toChannel, channel, req: signedSlashCommand(SECRET, fields) };
  });
  const url = `${target.server.url}/slack/events`;
  const results = await Promise.all(
    requests.map(async ({ req, ...what }) => ({ ...(await timedPost(agent, url, req)), ...what })),
  );
  agent.destroy();
  return results;
}

/** Waits until every request in `sent` has been answered somehow and the fake has been idle for 300 ms. */
async function settle(fake: FakeProcess, sent: Sent[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await fake.stats();
    const waiting = sent.filter((r) => {
      const a = answers(r, stats);
      return a.posts + a.responses + a.ack === 0;
    });
    if (waiting.length === 0 && Date.now() - stats.lastCallAt >= 300) return;
    if (Date.now() > deadline) {
      log(`  warning: after ${timeoutMs} ms, ${waiting.length} requests were still not answered`);
      return;
    }
    await sleep(100);
  }
}

async function round(target: Target, fake: FakeProcess, n: number): Promise<void> {
  const tally = target.name === 'tally';
  const tag = `${tally ? 'T' : 'B'}${n}`;
  const warm = await burst(target, fake, `${tag}W`, WARMUP);
  if (tally) await settle(fake, warm);
  const results = await burst(target, fake, `${tag}N`, CONCURRENCY);
  const sorted = sortedMs(results);
  const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
  target.p50s.push(p50);
  target.p99s.push(p99);
  target.measured.push(...results);
  target.sent.push(...warm, ...results);
  const ok = results.filter((r) => r.status === 200).length;
  const ephemeral = results.filter(ackedEphemeral).length;
  if (tally) await settle(fake, results);
  const stats = await fake.stats();
  const busy = tally ? results.filter((r) => answers(r, stats).busy > 0).length : 0;
  const rss = processRss(target.server.child.pid);
  target.busy.push(busy);
  target.rssPeaks.push(rss.peak);
  log(
    `  round ${n} ${target.name.padEnd(9)} ${ok}/${results.length} HTTP 200, p50 ${ms(p50)} p99 ${ms(p99)} ` +
      `max ${ms(sorted.at(-1) ?? Number.NaN)} (acks: ${results.length - ephemeral} empty, ${ephemeral} ephemeral)` +
      `${tally ? `, ${busy} refused as busy` : ''}, RSS peak ${size(rss.peak)} (now ${size(rss.current)})`,
  );
}

/** Tally's measured acks per command text. */
function byText(target: Target): void {
  for (const { text } of TEXTS) {
    const sorted = sortedMs(target.measured.filter((r) => r.text === text));
    log(`    ${JSON.stringify(text).padEnd(30)} p50 ${ms(percentile(sorted, 50))} p99 ${ms(percentile(sorted, 99))}`);
  }
}

/**
 * Every request answered HTTP 200. Tally answered each command exactly once: a channel answer with one
 * chat.postMessage to its channel, an answer for the asker with an ephemeral ack or one `response_url` post and no
 * chat.postMessage, a command refused as busy with the busy notice once (ack or `response_url`) and nothing else.
 */
async function verify(tally: Target, bare: Target, fake: FakeProcess): Promise<boolean> {
  const stats = await fake.stats();
  const all = [...tally.sent, ...bare.sent];
  const failed = all.filter((r) => r.status !== 200);
  const wrong = tally.sent.filter((r) => {
    const a = answers(r, stats);
    if (a.busy > 0) return a.busy !== 1 || a.responses + a.ack !== 1 || a.posts !== 0;
    return r.toChannel ? a.posts !== 1 || a.responses + a.ack !== 0 : a.posts !== 0 || a.responses + a.ack !== 1;
  });
  const refused = tally.sent.filter((r) => answers(r, stats).busy > 0);
  const busyInAck = tally.sent.filter(ackedBusy).length;
  const channelAnswers = tally.sent.filter((r) => r.toChannel && !refused.includes(r)).length;
  const inAck = tally.sent.filter(ackedEphemeral).length - busyInAck;
  const viaResponseUrl = Object.values(stats.responses).reduce((sum, n) => sum + n, 0) - (refused.length - busyInAck);
  const posts = stats.calls['chat.postMessage'] ?? 0;
  const calls = Object.entries(stats.calls)
    .filter(([method]) => method !== 'chat.postMessage' && method !== 'response')
    .map(([method, count]) => `${method} ${count}`)
    .join(', ');
  log(`\n[check] ${all.length - failed.length}/${all.length} requests answered HTTP 200 (warm-ups included)`);
  for (const r of failed.slice(0, 5)) log(`  HTTP ${r.status} for ${JSON.stringify(r.text)}: ${r.body.slice(0, 200)}`);
  log(
    `[check] tally chat.postMessage calls: ${posts} for ${channelAnswers} channel answers; ` +
      `${refused.length} refused as busy (${busyInAck} in the ack); ` +
      `${tally.sent.length - channelAnswers - refused.length} answers for the asker (help, usage): ${inAck} in the ack, ` +
      `${viaResponseUrl} via response_url, none posted to the channel expected`,
  );
  log(`[check] ${wrong.length} of ${tally.sent.length} commands not answered exactly once as expected`);
  for (const r of wrong.slice(0, 5))
    log(`  ${r.channel} ${JSON.stringify(r.text)}: ${JSON.stringify(answers(r, stats))}`);
  log(`[check] other calls to the Slack fake: ${calls || 'none'}`);
  return failed.length === 0 && wrong.length === 0 && posts === channelAnswers;
}

async function main(): Promise<void> {
  const redisUrl = process.env.TALLY_TEST_REDIS_URL;
  if (!redisUrl) {
    log('slack ack bench skipped: TALLY_TEST_REDIS_URL is not set (run it through scripts/test-services.sh exec)');
    return;
  }
  log(
    `Slack ack benchmark — ${CONCURRENCY} concurrent signed /cost requests per round (after ${WARMUP} warm-up), ` +
      `${ROUNDS} rounds alternating Tally / bare Bolt, node ${process.version}, ${availableParallelism()} CPUs, ` +
      `load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}${Object.keys(TALLY_ENV).length ? `, tally env ${JSON.stringify(TALLY_ENV)}` : ''}`,
  );
  const stops: Array<() => Promise<void>> = [];
  let servers: ServerProcess[] = [];
  try {
    const fake = await startFake();
    stops.push(fake.stop);
    const slackEnv = { SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${fake.origin}/api/` };
    const tallyServer = await startServer('tally', [...TALLY_NODE_ARGS, `${ROOT}bin/tally.js`, 'start'], {
      ...slackEnv,
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      TALLY_TODAY: '2026-06-10',
      TALLY_FOCUS_FILE: `${ROOT}tests/fixtures/focus/export-2026-05.csv`,
      ...(MAX_QUEUED === undefined ? {} : { TALLY_MAX_QUEUED_ANSWERS: String(MAX_QUEUED) }),
      ...TALLY_ENV,
    });
    stops.push(tallyServer.stop);
    const bareScript = fileURLToPath(new URL('./slack-ack-bare.js', import.meta.url));
    const bareServer = await startServer('bare bolt', [bareScript], slackEnv);
    stops.push(bareServer.stop);
    servers = [tallyServer, bareServer];
    const target = (name: string, server: ServerProcess): Target => ({
      name,
      server,
      p50s: [],
      p99s: [],
      busy: [],
      rssPeaks: [],
      measured: [],
      sent: [],
    });
    const tally = target('tally', tallyServer);
    const bare = target('bare bolt', bareServer);
    const started = [tally, bare].map((t) => `${t.name} ${size(processRss(t.server.child.pid).current)}`);
    log(`\n[memory] RSS once started (before any request): ${started.join(', ')}`);

    log(`\n[rounds] tally at ${tallyServer.url}, bare bolt at ${bareServer.url}, Slack fake at ${fake.origin}`);
    for (let n = 1; n <= ROUNDS; n++) {
      await round(tally, fake, n);
      await round(bare, fake, n);
    }
    log('\n[tally by command] (all rounds)');
    byText(tally);

    const ok = await verify(tally, bare, fake);
    const [t50, t99, b50, b99] = [median(tally.p50s), median(tally.p99s), median(bare.p50s), median(bare.p99s)];
    const [r50, r99] = [t50 / b50, t99 / b99];
    const [tRss, bRss] = [Math.max(...tally.rssPeaks), Math.max(...bare.rssPeaks)];
    log(
      `\nslack ack (${CONCURRENCY} concurrent /cost, median of ${ROUNDS} rounds): ` +
        `tally p50 ${ms(t50)} p99 ${ms(t99)} | bare bolt p50 ${ms(b50)} p99 ${ms(b99)} | ` +
        `ratio p50 ${r50.toFixed(2)} p99 ${r99.toFixed(2)}`,
    );
    log(
      `refused as busy: median ${median(tally.busy)} of ${CONCURRENCY} per burst (rounds: ${tally.busy.join(', ')}; ` +
        `TALLY_MAX_QUEUED_ANSWERS ${MAX_QUEUED ?? 'default'}) | RSS peak: tally ${size(tRss)}, bare bolt ${size(bRss)}`,
    );
    const met = r50 <= AIM.ratio && r99 <= AIM.ratio && t99 < AIM.p99Ms && tRss < AIM.rssBytes;
    log(
      `aim (ratio <= ${AIM.ratio}, tally p99 < ${AIM.p99Ms} ms, RSS peak < ${size(AIM.rssBytes)}): ` +
        `${met ? 'met' : 'NOT met'}`,
    );
    if (!ok) process.exitCode = 1;
  } catch (error) {
    for (const server of servers) log(`\n--- ${server.name} output ---\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    await Promise.all(stops.map((stop) => stop()));
  }
}

await main();
