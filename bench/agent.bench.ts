/**
 * Agent benchmark: Tally's own per-turn overhead on the free-text path, without model time. The model is a fake that
 * answers instantly in process (agent-fake-model.ts): each turn is one tool round (`query_costs` with the structured
 * query `{ periodPhrase: 'last month', groupBy: 'service' }`) and a final answer, through the whole path: TurnHandler →
 * AgentService (prompt, LangGraph graph, tool node, the query resolved and run as its command over the in-process
 * sample store, number check) and the checkpointer's writes. For comparison, the same question as a direct command
 * (`cost last month by service`) through the same turn handler. Then each cost tool with structured arguments (days,
 * filters on several dimensions and a tag, an exclusion, top N; a comparison; the forecast) against the command it
 * runs as. Aim (issue 14): the agent's overhead ≤ 50 ms p95.
 *
 * Steps: warm-up, then turns on distinct threads (first turns) and follow-up turns on the same threads; memory per
 * 1,000 stored conversations (2 turns each) in `MemorySaver`, as heap used after gc (needs `--expose-gc`); with
 * TALLY_TEST_MONGODB_URL set, the MongoDB (FerretDB) checkpointer's per-turn times on a fresh database, dropped at the end.
 *
 *   npm run bench                      # the query and slack-ack benches, then this one
 *   BENCH_ONLY=agent npm run bench     # this one only
 *
 * Knobs: BENCH_AGENT_WARMUP (20), BENCH_AGENT_TURNS (300), BENCH_AGENT_TOOL_TURNS (100 per tool call),
 * BENCH_AGENT_CONVERSATIONS (1000), BENCH_AGENT_MONGO_TURNS (50).
 */

import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { MemorySaver } from '@langchain/langgraph';
import { MongoClient } from 'mongodb';
import { createMongoCheckpointer } from '../adapters/mongo/mongo-checkpointer.js';
import { AgentService } from '../src/agent/agent.service.js';
import { type ToolArgs, toolQuery } from '../src/agent/tool-query.js';
import { commandText } from '../src/agent/understand/command-text.js';
import { createDeps } from '../src/bootstrap/deps.js';
import { loadConfig } from '../src/config/env.js';
import { TurnHandler } from '../src/conversation/handle-turn.service.js';
import { CommandService } from '../src/conversation/run-command.js';
import type { Turn } from '../src/conversation/turn.types.js';
import { ForecastService } from '../src/costs/forecast.service.js';
import { fixedClock } from '../src/shared/clock.js';
import type { Logger } from '../src/shared/logger.port.js';
import type { Reply } from '../src/shared/reply.types.js';
import { InstantToolModel } from './agent-fake-model.js';
import { envInt, int, memoryAfterGc, ms, percentile, table } from './bench-stats.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const WARMUP = envInt('BENCH_AGENT_WARMUP', 20);
const TURNS = Math.max(1, envInt('BENCH_AGENT_TURNS', 300));
const CONVERSATIONS = Math.max(1, envInt('BENCH_AGENT_CONVERSATIONS', 1000));
const MONGO_TURNS = Math.max(1, envInt('BENCH_AGENT_MONGO_TURNS', 50));
const QUESTION = 'what did we spend on each service last month?';
const FOLLOW_UP = 'and which one grew the most?';
const COMMAND = 'cost last month by service';
const TOOL_ARGS = { periodPhrase: 'last month', groupBy: 'service' };
const KIND_OF = { query_costs: 'cost', compare_periods: 'compare', forecast: 'forecast' } as const;
const TOOL_TURNS = Math.max(1, envInt('BENCH_AGENT_TOOL_TURNS', 100));
/** The cost tools with structured arguments, each timed against the command it runs as. */
const TOOL_CALLS: {
  name: string;
  tool: 'query_costs' | 'compare_periods' | 'forecast';
  args: Record<string, unknown>;
}[] = [
  { name: 'query_costs, period phrase, by service', tool: 'query_costs', args: TOOL_ARGS },
  {
    name: 'query_costs, days, 2 providers + tag, excl. tax, top 5',
    tool: 'query_costs',
    args: {
      period: { from: '2026-05-01', to: '2026-05-31' },
      where: { provider: ['AWS', 'Microsoft'], tags: { env: ['prod', 'staging'] } },
      exclude: { charge: ['Tax'] },
      groupBy: 'service',
      top: 5,
    },
  },
  {
    name: 'compare_periods, phrases, by account',
    tool: 'compare_periods',
    args: { periodPhrase: 'last month', previousPhrase: 'April 2026', groupBy: 'account' },
  },
  { name: 'forecast, AWS, by service', tool: 'forecast', args: { where: { provider: ['AWS'] }, groupBy: 'service' } },
];
const clock = fixedClock(new Date('2026-06-10T12:00:00Z'));
const runId = Date.now().toString(36);

/** Silent, but counts warnings and errors: an agent failure falls back to the fast path and must not go unseen. */
const problems: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (_o, msg) => problems.push(`warn: ${msg ?? ''}`),
  error: (_o, msg) => problems.push(`error: ${msg ?? ''}`),
};

const deps = await createDeps(loadConfig({ TALLY_TODAY: '2026-06-10' }), { clock, logger });
/** The command service, keeping the time spent running commands: a turn's time less that is the agent's overhead. */
class TimedCommandService extends CommandService {
  spent = 0;
  override async run(...args: Parameters<CommandService['run']>): Promise<Reply> {
    const t0 = performance.now();
    try {
      return await super.run(...args);
    } finally {
      this.spent += performance.now() - t0;
    }
  }
}
// As createDeps wires it (it does not expose its CommandService).
const commands = new TimedCommandService({
  costs: deps.costs,
  forecast: new ForecastService(deps.costs),
  clock,
  status: async () => ({
    store: deps.stores.description,
    dataRange: await deps.stores.costs.dataRange(),
    imports: [],
    notes: [],
  }),
});

interface Rig {
  turns: TurnHandler;
  model: InstantToolModel;
}

function rig(
  checkpointer: BaseCheckpointSaver,
  call: { tool: string; args: Record<string, unknown> } = { tool: 'query_costs', args: TOOL_ARGS },
): Rig {
  const model = new InstantToolModel(call.args, call.tool);
  const agent = new AgentService({
    model,
    checkpointer,
    dataRange: () => deps.stores.costs.dataRange(),
    clock,
    logger,
    fallback: async () => ({ kind: 'notice', title: 'fallback', visibility: 'channel' }),
  });
  return { turns: new TurnHandler(commands, logger, agent.handle), model };
}

const turn = (thread: string, text: string): Turn => ({
  user: { id: 'U-BENCH' },
  location: { platform: 'slack', workspace: 'T-BENCH', channel: 'C-BENCH', thread },
  text,
});

/** An agent answer must carry the tool's table and the model's prose (the number check passed, no fallback). */
function checkAgentReply(reply: Reply): void {
  const results = (reply.data as { results?: unknown[] } | undefined)?.results;
  if (reply.kind !== 'answer' || !reply.tables?.length || results?.length !== 1 || !reply.text?.startsWith('Compute'))
    throw new Error(`unexpected agent reply: ${JSON.stringify(reply).slice(0, 300)}`);
}
function checkCommandReply(reply: Reply): void {
  if (reply.kind !== 'answer' || !reply.tables?.length)
    throw new Error(`unexpected command reply: ${JSON.stringify(reply).slice(0, 300)}`);
}

/** Runs the turns one after another; returns each turn's wall time in ms, ascending. */
async function timed(
  r: Rig,
  threads: string[],
  text: string,
  check: (reply: Reply) => void,
): Promise<{ sorted: number[]; overhead: number[]; total: number }> {
  const times: number[] = [];
  const overhead: number[] = [];
  const t0 = performance.now();
  for (const thread of threads) {
    const [t1, c1] = [performance.now(), commands.spent];
    const reply = await r.turns.handle(turn(thread, text));
    times.push(performance.now() - t1);
    overhead.push(performance.now() - t1 - (commands.spent - c1));
    check(reply);
  }
  return {
    sorted: times.sort((a, b) => a - b),
    overhead: overhead.sort((a, b) => a - b),
    total: performance.now() - t0,
  };
}

const threadsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${runId}-${i}`);
const p = (sorted: number[], q: number) => ms(percentile(sorted, q));
const row = (name: string, t: { sorted: number[] }, modelCalls: number | string) => [
  name,
  String(t.sorted.length),
  p(t.sorted, 50),
  p(t.sorted, 95),
  p(t.sorted, 99),
  String(modelCalls),
];
const HEADER = ['turns (ms)', 'n', 'p50', 'p95', 'p99', 'model calls/turn'];

log(
  `Agent bench: fake model answering instantly, one query_costs round + final answer per turn; ${deps.stores.description}`,
);
log(
  `warm-up ${WARMUP}, ${TURNS} first turns on distinct threads + ${TURNS} follow-ups on the same threads, node ${process.version}`,
);
log();

// Per-turn overhead, MemorySaver.
const mem = rig(new MemorySaver());
await timed(mem, threadsOf('warm', WARMUP), QUESTION, checkAgentReply);
await timed(mem, threadsOf('warm', WARMUP), FOLLOW_UP, checkAgentReply);
await timed(mem, threadsOf('warm-cmd', WARMUP), COMMAND, checkCommandReply);
const threads = threadsOf('t', TURNS);
let calls0 = mem.model.calls;
const first = await timed(mem, threads, QUESTION, checkAgentReply);
const firstCalls = (mem.model.calls - calls0) / TURNS;
calls0 = mem.model.calls;
const follow = await timed(mem, threads, FOLLOW_UP, checkAgentReply);
const followCalls = (mem.model.calls - calls0) / TURNS;
const direct = await timed(mem, threadsOf('cmd', TURNS), COMMAND, checkCommandReply);
const rows = [
  row('agent, first turn (new thread)', first, firstCalls),
  row('agent, follow-up (same thread)', follow, followCalls),
  row(`direct command "${COMMAND}"`, direct, 0),
];
log('MemorySaver checkpointer');
log(table(HEADER, rows));
const overhead = (t: { sorted: number[] }, q: number) => ms(percentile(t.sorted, q) - percentile(direct.sorted, q));
log(
  `agent overhead over the direct command: first turn +${overhead(first, 50)} ms p50 / +${overhead(first, 95)} ms p95; ` +
    `follow-up +${overhead(follow, 50)} ms p50 / +${overhead(follow, 95)} ms p95`,
);
log(
  `agent overhead per turn, measured (turn time less its command run): first turn ${p(first.overhead, 50)} ms p50 / ` +
    `${p(first.overhead, 95)} ms p95; follow-up ${p(follow.overhead, 50)} ms p50 / ${p(follow.overhead, 95)} ms p95 ` +
    `(aim: ≤ 50 ms p95)`,
);
log();

// Each cost tool with structured arguments, against the command its query runs as (first turns, MemorySaver).
{
  const toolRows: string[][] = [];
  for (const call of TOOL_CALLS) {
    const q = toolQuery({ kind: KIND_OF[call.tool], args: call.args } as ToolArgs, '2026-06-10');
    if (!q.ok) throw new Error(`${call.name}: ${q.error}`);
    const line = commandText(q.command);
    const r = rig(new MemorySaver(), call);
    await timed(r, threadsOf(`warm-${call.tool}`, WARMUP), QUESTION, checkAgentReply);
    await timed(r, threadsOf(`warm-${call.tool}-cmd`, WARMUP), line, checkCommandReply);
    const agentTurns = await timed(r, threadsOf(`tool-${call.tool}`, TOOL_TURNS), QUESTION, checkAgentReply);
    const commandTurns = await timed(r, threadsOf(`tool-${call.tool}-cmd`, TOOL_TURNS), line, checkCommandReply);
    toolRows.push([
      call.name,
      String(TOOL_TURNS),
      p(agentTurns.sorted, 50),
      p(agentTurns.sorted, 95),
      p(commandTurns.sorted, 50),
      p(commandTurns.sorted, 95),
      p(agentTurns.overhead, 50),
      p(agentTurns.overhead, 95),
    ]);
  }
  log(
    'Cost tools with structured arguments (first turns, MemorySaver), against the command each query runs as; ' +
      'overhead = turn time less its command run',
  );
  log(
    table(
      ['tool call (ms)', 'n', 'agent p50', 'agent p95', 'command p50', 'command p95', 'overhead p50', 'overhead p95'],
      toolRows,
    ),
  );
  log();
}

// Memory per 1,000 stored conversations (2 turns each) in a fresh MemorySaver.
{
  const saver = new MemorySaver();
  const r = rig(saver);
  await timed(r, threadsOf('mem-warm', 5), QUESTION, checkAgentReply);
  const before = memoryAfterGc();
  const memThreads = threadsOf('mem', CONVERSATIONS);
  await timed(r, memThreads, QUESTION, checkAgentReply);
  await timed(r, memThreads, FOLLOW_UP, checkAgentReply);
  const after = memoryAfterGc();
  const check = await saver.getTuple({ configurable: { thread_id: `slack:T-BENCH:C-BENCH:${memThreads[0]}` } });
  const messages = (check?.checkpoint.channel_values as { messages?: unknown[] } | undefined)?.messages?.length ?? 0;
  if (messages !== 8) throw new Error(`expected 8 stored messages per conversation, found ${messages}`);
  const per1000 = ((after.heapUsed - before.heapUsed) / CONVERSATIONS) * 1000;
  const storage = Object.keys((saver as unknown as { storage: Record<string, unknown> }).storage).length;
  log(
    `Memory: ${int(CONVERSATIONS)} conversations × 2 turns (${messages} messages each, ${int(storage)} threads in MemorySaver)` +
      `${after.gc ? '' : ' — WARNING: no --expose-gc, figures include garbage'}`,
  );
  log(
    `  heap used after gc ${(before.heapUsed / 2 ** 20).toFixed(1)} → ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB: ` +
      `${(per1000 / 2 ** 20).toFixed(2)} MiB per 1,000 conversations (${(per1000 / 1000 / 1024).toFixed(1)} KiB each); ` +
      `rss +${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MiB`,
  );
  log();
}

// The MongoDB (FerretDB) checkpointer, on a fresh database.
const mongoUrl = process.env.TALLY_TEST_MONGODB_URL;
if (mongoUrl) {
  const dbName = `tally_bench_agent_${runId}`;
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(mongoUrl);
  if (!m) throw new Error('TALLY_TEST_MONGODB_URL is not a mongodb:// URL');
  const uri = `${m[1]}/${dbName}${m[2] ?? ''}`;
  const mongo = await createMongoCheckpointer(uri);
  const admin = new MongoClient(uri);
  try {
    const r = rig(mongo.saver);
    await timed(r, threadsOf('mongo-warm', Math.min(WARMUP, 10)), QUESTION, checkAgentReply);
    const mThreads = threadsOf('mongo', MONGO_TURNS);
    const c0 = r.model.calls;
    const mFirst = await timed(r, mThreads, QUESTION, checkAgentReply);
    const c1 = r.model.calls;
    const mFollow = await timed(r, mThreads, FOLLOW_UP, checkAgentReply);
    log(`MongoDB checkpointer (${m[1]?.replace(/\/\/[^@/]*@/, '//***@')}, fresh database ${dbName}, dropped after)`);
    log(
      table(HEADER, [
        row('agent, first turn (new thread)', mFirst, (c1 - c0) / MONGO_TURNS),
        row('agent, follow-up (same thread)', mFollow, (r.model.calls - c1) / MONGO_TURNS),
      ]),
    );
    log(
      `checkpointer cost over MemorySaver: first turn +${ms(percentile(mFirst.sorted, 50) - percentile(first.sorted, 50))} ms p50, ` +
        `follow-up +${ms(percentile(mFollow.sorted, 50) - percentile(follow.sorted, 50))} ms p50`,
    );
  } finally {
    await admin.db(dbName).dropDatabase();
    await admin.close();
    await mongo.close();
  }
} else {
  log('MongoDB checkpointer: skipped (TALLY_TEST_MONGODB_URL not set)');
}

await deps.close();
if (problems.length > 0) {
  log(`\n${problems.length} warnings/errors logged during the bench: ${[...new Set(problems)].join('; ')}`);
  process.exitCode = 1;
}
