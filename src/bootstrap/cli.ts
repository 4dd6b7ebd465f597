import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { loadProcessConfig } from '../config/env.js';
import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import {
  askCommand,
  importCommand,
  sampleCommand,
  shellCommand,
  sourcesCommand,
  startCommand,
  workerCommand,
} from './cli-commands.js';
import type { CliContext } from './cli-context.js';

/** Exit codes of `tally` (README.md#cli-reference). */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** `start` and `worker` are services and log to stderr; the interactive commands log to `~/.tally/tally.log`. */
const SERVICE_COMMANDS = new Set(['start', 'worker']);

/** Runs the `tally` command with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const err = (s: string) => process.stderr.write(`${s}\n`);
  let ctx: CliContext;
  try {
    const config = loadProcessConfig();
    const logFile = SERVICE_COMMANDS.has(argv[0] ?? '') ? undefined : join(homedir(), '.tally', 'tally.log');
    ctx = {
      config,
      logger: createPinoLogger({ level: config.logLevel, ...(logFile ? { file: logFile } : {}) }),
      logTarget: logFile ?? 'stderr',
      out: (s) => process.stdout.write(`${s}\n`),
      err,
      historyFile: join(homedir(), '.tally_history'),
    };
  } catch (e) {
    return reportError(e, err);
  }
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    return reportError(e, err, ctx.logger, ctx.logTarget);
  }
}

/** Known failures get one line and their exit code; anything else is logged with an error id. */
export function reportError(e: unknown, err: (s: string) => void, logger?: Logger, logTarget = 'the log'): number {
  if (e instanceof TallyError) {
    const usage = ['CONFIG_INVALID', 'FOCUS_MISSING_COLUMNS', 'FOCUS_FILE_UNREADABLE', 'USAGE'].includes(e.code);
    err(`tally: ${e.message}`);
    if (!usage) logger?.error({ err: e, code: e.code }, 'command failed');
    return usage ? EXIT.USAGE : EXIT.FAILURE;
  }
  const id = newId('err');
  logger?.error({ err: e, errorId: id }, 'command failed');
  err(`tally: sorry, something went wrong (error id ${id}); details are in ${logTarget}`);
  return EXIT.FAILURE;
}

function buildProgram(ctx: CliContext): Command {
  const program = new Command('tally')
    .description('Chat-ops FinOps: ask what the cloud costs, in Slack, Teams or this shell.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => ctx.err(s.trimEnd()), writeOut: (s) => ctx.out(s.trimEnd()) })
    .showHelpAfterError('(run `tally --help` for usage)');
  const focus = () =>
    new Option('--focus <path>', 'a FOCUS export (CSV, .csv.gz or a folder) instead of the sample data');
  program
    .command('start')
    .description('web server for Slack and Teams plus the job workers; the shell when no chat platform is configured')
    .option('--no-worker', 'do not run the job workers in this process')
    .addOption(focus())
    .action((opts: { worker: boolean; focus?: string }) => startCommand(ctx, opts));
  program
    .command('shell')
    .description('local REPL over the sample data or a FOCUS export')
    .addOption(focus())
    .option('--as <person>', 'act as this person of the policy file (to propose and vote)')
    .action((opts: { focus?: string; as?: string }) => shellCommand(ctx, opts));
  program
    .command('ask')
    .description('answer one command or question and exit')
    .addOption(focus())
    .option('--json', "print the reply's data as JSON")
    .option('--as <person>', 'act as this person of the policy file (to propose and vote)')
    .argument('<text...>', 'the command or question, e.g. "cost last month by service"')
    .action((words: string[], opts: { focus?: string; json?: boolean; as?: string }) =>
      askCommand(ctx, words.join(' '), opts),
    );
  program
    .command('mcp')
    .description('MCP server over stdio for Claude Desktop, Cursor and other MCP clients (read-only cost tools)')
    .addOption(focus())
    .action(async (opts: { focus?: string }) => (await import('./mcp.js')).mcpCommand(ctx, opts));
  program
    .command('import')
    .description(
      "load FOCUS exports into the cost data directory (TALLY_DATA_DIR); without a path, every configured source (TALLY_FOCUS_FILE and the policy file's sources:)",
    )
    .argument(
      '[paths...]',
      "FOCUS CSV, .csv.gz or Parquet files, folders of them, object storage prefixes (s3://, az://, gs://) or names of the policy file's sources",
    )
    .option(
      '--source <name>',
      'source name (one local path only); re-importing a source replaces its data for the days it covers',
    )
    .action((paths: string[], opts: { source?: string }) => importCommand(ctx, paths, opts));
  program
    .command('sources')
    .description('list the cost sources in TALLY_DATA_DIR; `sources remove NAME` deletes one source and its data')
    .argument('[action]', '`remove`')
    .argument('[name]', 'the source to remove')
    .action((action?: string, name?: string) => sourcesCommand(ctx, action, name));
  program
    .command('sample')
    .description('write the built-in sample dataset as a FOCUS CSV (and its injected anomalies as JSON)')
    .option('--out <path>', 'output CSV path', 'tally-sample.csv')
    .option('--seed <n>', 'random seed', '42')
    .option('--end <day>', 'last day (YYYY-MM-DD); default yesterday')
    .action((opts: { out: string; seed: string; end?: string }) => sampleCommand(ctx, opts));
  program
    .command('worker')
    .description('run the job workers only (needs Redis)')
    .action(() => workerCommand(ctx));
  return program;
}
