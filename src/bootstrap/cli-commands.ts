import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFocusCsv } from '../../adapters/focus-file/focus-csv.writer.js';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { FileObjectSyncLog } from '../../adapters/object-storage/object-sync-file.log.js';
import { pingRedis } from '../../adapters/queue/redis-probe.js';
import { runShell } from '../../adapters/shell/shell-repl.js';
import { EMPTY_POLICY, readPolicyFile } from '../config/policy.js';
import { focusSourceList, type NamedSource, sourceLabels } from '../config/source-policy.schema.js';
import { ChatCore } from '../conversation/chat-core.js';
import { ImportService } from '../costs/import.service.js';
import type { ImportRun } from '../costs/import-run.types.js';
import { groupObjectSources, type ObjectPrefixStatus, sourceTitle } from '../costs/object-source-groups.js';
import type { ObjectSyncReport } from '../costs/object-source-sync.service.js';
import { generateSample } from '../costs/sample/sample-data.js';
import { addDays, dayOf, isDay } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import { formatMoney } from '../shared/money.js';
import type { Reply } from '../shared/reply.types.js';
import { renderText } from '../shared/reply-text.js';
import { type CliContext, clockFor } from './cli-context.js';
import { createDeps, createStores } from './deps.js';
import { focusPaths, importEach } from './focus-sources.js';
import { createObjectSourceSync, isObjectStorageUri } from './object-sources.js';

/** The shell's user: `--as <person>` (a key of the policy's people) votes and proposes as that person. */
const shellTurn = (text: string, as = 'local') => ({
  user: { id: as },
  location: { platform: 'shell' as const },
  text,
});

/** BullMQ's connection when Redis answers; the shell and `ask` work without it (approvals then say so). */
async function optionalQueueConnection(ctx: CliContext) {
  if (!(await pingRedis(ctx.config.redis.url))) return null;
  const { createQueueConnection } = await import('../../adapters/queue/queue-connection.js');
  return createQueueConnection(ctx.config.redis.url);
}

export async function shellCommand(ctx: CliContext, opts: { focus?: string; as?: string }): Promise<void> {
  const queueConnection = await optionalQueueConnection(ctx);
  const { createMessengers } = await import('./messengers.js');
  const deps = await createDeps(ctx.config, {
    focusPath: opts.focus,
    clock: clockFor(ctx.config),
    logger: ctx.logger,
    queueConnection,
    messengers: (await createMessengers(ctx.config, ctx.logger)).factory,
  });
  // With Redis, the shell runs the approval workers itself, so a whole approval can be tried without Slack.
  const workers = queueConnection ? await deps.startWorkers() : null;
  if (deps.initialImport) ctx.err(importSummary(deps.initialImport));
  const range = await deps.costs.dataRange();
  try {
    await runShell({
      input: process.stdin,
      output: process.stdout,
      historyFile: ctx.historyFile,
      core: new ChatCore({
        handleTurn: (turn, hooks) => deps.turns.handle(turn, hooks),
        dedupe: new MemoryDedupeStore(),
        ...(deps.approvals.interactions ? { approvals: deps.approvals.interactions } : {}),
        ...(deps.scheduled ? { alerts: deps.scheduled.alerts } : {}),
        charts: null,
        logger: ctx.logger,
      }),
      user: { id: opts.as ?? 'local' },
      banner:
        `Tally shell — ${deps.stores.description}; cost data ${range ? `${range.from} to ${range.to}` : 'none'}` +
        `${opts.as ? `; acting as ${opts.as}` : ''}.\n` +
        `Type \`help\` for examples, \`exit\` to leave.${queueConnection ? '' : ' Approvals need Redis (REDIS_URL).'}`,
    });
  } finally {
    await workers?.close();
    await deps.close();
    queueConnection?.disconnect();
  }
}

export async function askCommand(
  ctx: CliContext,
  text: string,
  opts: { focus?: string; json?: boolean; as?: string },
): Promise<void> {
  const queueConnection = await optionalQueueConnection(ctx);
  const { createMessengers } = await import('./messengers.js');
  const deps = await createDeps(ctx.config, {
    focusPath: opts.focus,
    clock: clockFor(ctx.config),
    logger: ctx.logger,
    queueConnection,
    messengers: (await createMessengers(ctx.config, ctx.logger)).factory,
  });
  try {
    if (deps.initialImport?.rowsRejected) ctx.err(importSummary(deps.initialImport));
    const reply = await deps.turns.handle({ ...shellTurn(text, opts.as), location: { platform: 'cli' } });
    ctx.out(opts.json ? JSON.stringify(jsonOf(reply), null, 2) : renderText(reply));
    if (reply.kind === 'usage') {
      ctx.err(`tally: ${reply.text?.split('\n')[0] ?? 'not a command'}`);
      process.exitCode = 2;
    } else if (reply.kind === 'error') process.exitCode = 1;
  } finally {
    await deps.close();
    queueConnection?.disconnect();
  }
}

function jsonOf(reply: Reply): Record<string, unknown> {
  return reply.data
    ? { kind: reply.kind, title: reply.title, ...reply.data }
    : { kind: reply.kind, title: reply.title, text: reply.text ?? null };
}

export async function importCommand(ctx: CliContext, args: string[], opts: { source?: string }): Promise<void> {
  const policy = ctx.config.policyFile ? await readPolicyFile(ctx.config.policyFile) : EMPTY_POLICY;
  const paths = importPaths(args, ctx.config.focusFile, policy.sources);
  if (opts.source && (paths.length !== 1 || isObjectStorageUri(paths[0]!)))
    throw new TallyError(
      'USAGE',
      'usage: --source names the source of one local path (tally import PATH --source NAME)',
    );
  const stores = await createStores(ctx.config);
  try {
    const importer = new ImportService({
      reader: new FocusExportReader(stores.engine),
      costs: stores.costs,
      runs: stores.runs,
      clock: clockFor(ctx.config),
    });
    // Each source on its own: one that fails (or a prefix some of whose objects fail) is reported and the others go on;
    // a single local path that fails throws, as it always did.
    const importOne = async (path: string): Promise<boolean> => {
      if (!isObjectStorageUri(path)) {
        ctx.out(importSummary(await importer.importPath(path, opts)));
        return true;
      }
      const report = await (await createObjectSourceSync(ctx.config, importer, stores.costs, stores.dataDir)).sync(
        path,
      );
      ctx.out(objectSyncSummary(report));
      return report.failed.length === 0;
    };
    if (paths.length === 1) {
      if (!(await importOne(paths[0]!))) process.exitCode = 1;
    } else {
      const { done, failed } = await importEach(paths, importOne);
      for (const f of failed) ctx.err(`Failed ${f.path}: ${f.error}`);
      if (failed.length || done.some((d) => !d.result)) process.exitCode = 1;
    }
    ctx.err(`Stored in ${stores.dataDir}.`);
  } finally {
    await stores.close();
  }
}

/**
 * What `tally import` reads: its arguments (a name of the policy file's `sources:` stands for its location; a local
 * path is made absolute), or without arguments every configured source.
 */
function importPaths(
  args: readonly string[],
  focusFile: string | undefined,
  sources: readonly NamedSource[],
): string[] {
  if (args.length === 0) {
    const all = focusSourceList(focusFile, sources);
    if (!all)
      throw new TallyError(
        'USAGE',
        'usage: tally import PATH... (no TALLY_FOCUS_FILE and no sources: in the policy file to import)',
      );
    return focusPaths(all).map(absolute);
  }
  return args.map((a) => sources.find((s) => s.name === a)?.uri ?? a).map(absolute);
}

const absolute = (path: string) => (isObjectStorageUri(path) ? path : resolve(path));

/** Objects listed and read, and per new or changed sub-source its import summary; removed and failed sub-sources. */
function objectSyncSummary(report: ObjectSyncReport): string {
  const lines = [
    `Synced ${report.prefix}: ${report.listed} objects listed, ${report.read} read, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.failed.length} failed.`,
  ];
  for (const run of report.imported) lines.push(importSummary(run));
  for (const name of report.removed) lines.push(`Removed ${name}: its objects are gone.`);
  for (const f of report.failed) lines.push(`Failed ${f.source}: ${f.error}`);
  return lines.join('\n');
}

/** Rows read, imported and rejected (with the first rejected lines), and totals per currency. */
function importSummary(run: ImportRun): string {
  const lines = [
    `Imported ${run.source}: ${run.rowsRead} rows read, ${run.rowsImported} imported, ${run.rowsRejected} rejected.`,
  ];
  if (run.range) lines.push(`Days: ${run.range.from} to ${run.range.to} (UTC)`);
  for (const t of run.totals)
    lines.push(
      `Total ${t.currency}: billed ${formatMoney(t.billed, t.currency)}, effective ${formatMoney(t.effective, t.currency)}`,
    );
  for (const f of run.skipped ?? []) lines.push(`Skipped ${f.file}: ${f.reason}`);
  for (const r of run.rejected.slice(0, 20))
    lines.push(`Rejected ${r.file} line ${r.line}, column ${r.column}: ${r.reason}`);
  if (run.rowsRejected > 20) lines.push(`… and ${run.rowsRejected - 20} more rejected rows.`);
  return lines.join('\n');
}

export async function sampleCommand(ctx: CliContext, opts: { out: string; seed: string; end?: string }): Promise<void> {
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new TallyError('USAGE', `--seed must be an integer (got "${opts.seed}")`);
  if (opts.end && !isDay(opts.end)) throw new TallyError('USAGE', `--end must be a day YYYY-MM-DD (got "${opts.end}")`);
  const endDay = opts.end ?? addDays(dayOf(clockFor(ctx.config).now()), -1);
  const sample = generateSample({ endDay, seed });
  const rows = await writeFocusCsv(opts.out, sample.records);
  const anomaliesPath = opts.out.replace(/(\.csv)?$/i, '.anomalies.json');
  await writeFile(
    anomaliesPath,
    `${JSON.stringify({ seed, from: sample.from, to: sample.to, anomalies: sample.anomalies }, null, 2)}\n`,
  );
  ctx.out(
    `Wrote ${rows} FOCUS 1.2 rows (${sample.from} to ${sample.to}) to ${opts.out} and ${sample.anomalies.length} injected anomalies to ${anomaliesPath}.`,
  );
}

export async function startCommand(ctx: CliContext, opts: { worker: boolean; focus?: string }): Promise<void> {
  const { slack, teams, mcp } = ctx.config;
  // The web server also serves MCP at /mcp (docs/mcp.md): with a token it starts without a chat platform.
  if (!slack.enabled && !teams.enabled && !mcp.token) {
    if (process.stdin.isTTY) return shellCommand(ctx, opts);
    throw new TallyError(
      'USAGE',
      'no chat platform is configured (set SLACK_BOT_TOKEN or MICROSOFT_APP_ID); for a local REPL run `tally shell`',
    );
  }
  const { startPlatforms } = await import('./start.js');
  await startPlatforms(ctx, opts);
}

export async function workerCommand(ctx: CliContext): Promise<void> {
  if (!(await pingRedis(ctx.config.redis.url)))
    throw new TallyError('STORE_UNAVAILABLE', 'Redis does not answer at REDIS_URL; `tally worker` needs it');
  const { startWorker } = await import('./start.js');
  await startWorker(ctx);
}

/** One object storage prefix of `tally sources`: its sub-sources summed, its last listing and last error. */
function prefixLine(p: ObjectPrefixStatus): string {
  const days = p.range ? `${p.range.from} to ${p.range.to}` : 'no days';
  const error = p.lastError ? `, last error ${p.lastError.at}: ${p.lastError.error}` : '';
  return `${sourceTitle(p.prefix, p.name)}\t${p.rows} rows, ${p.rejectedRows} rejected, ${days}, ${p.objects} object(s) in ${p.sources} source(s), last listing ${p.listedAt ?? 'never'} (${p.listed} listed, ${p.read} read)${error}`;
}

/** `tally sources`: every source in the data directory, the sub-sources of an object storage prefix summed per prefix; `tally sources remove NAME` deletes one. */
export async function sourcesCommand(ctx: CliContext, action: string | undefined, name: string | undefined) {
  const stores = await createStores(ctx.config);
  try {
    if (action === 'remove') {
      if (!name) throw new TallyError('USAGE', 'usage: tally sources remove NAME');
      if (!(await stores.costs.removeSource(name)))
        throw new TallyError('USAGE', `no cost source named ${name} in ${stores.dataDir} (see \`tally sources\`)`);
      ctx.out(`Removed ${name} and its cost data.`);
      return;
    }
    if (action !== undefined) throw new TallyError('USAGE', 'usage: tally sources [remove NAME]');
    const sources = await stores.costs.sources();
    const policy = ctx.config.policyFile ? await readPolicyFile(ctx.config.policyFile) : EMPTY_POLICY;
    const labels = sourceLabels(policy.sources);
    const { prefixes, others } = groupObjectSources(
      sources,
      await new FileObjectSyncLog(stores.dataDir).latest(),
      labels,
    );
    if (sources.length === 0 && prefixes.length === 0) {
      ctx.out(`No cost data in ${stores.dataDir}.`);
      return;
    }
    for (const s of others) {
      const days = s.range ? `${s.range.from} to ${s.range.to}` : 'no days';
      ctx.out(
        `${sourceTitle(s.name, labels.get(s.name))}\t${s.rows} rows, ${s.rejectedRows} rejected, ${days}, ${s.files.length} file(s), last import ${s.lastImport}`,
      );
    }
    for (const p of prefixes) ctx.out(prefixLine(p));
  } finally {
    await stores.close();
  }
}
