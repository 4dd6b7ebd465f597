import { AnomalyScanService } from '../src/anomalies/anomaly-scan.service.js';
import { createStores, type Stores } from '../src/bootstrap/deps.js';
import type { Command } from '../src/commands/command.types.js';
import { parseCommand } from '../src/commands/parse-command.js';
import { loadConfig } from '../src/config/env.js';
import { EMPTY_POLICY } from '../src/config/policy.js';
import { CommandService } from '../src/conversation/run-command.js';
import { CostQueryService } from '../src/costs/cost-query.service.js';
import { ForecastService } from '../src/costs/forecast.service.js';
import type { Clock } from '../src/shared/clock.js';
import type { Reply } from '../src/shared/reply.types.js';

/** The five typical questions, in the command language, as people type them in chat. */
export const QUESTIONS = [
  'cost last month by service',
  'cost by account this month',
  'top 5 services last 30 days',
  'compare last week vs the week before by service',
  'cost last 90 days by tag:team',
] as const;

/** Questions over the per-resource detail: by resource, by a tag with a few values, by a tag unique per resource. */
export const DETAIL_QUESTIONS = [
  'top 10 resources last month',
  'cost last month by tag:team',
  'top 10 by tag:Name last month',
] as const;

/** Anomaly scans: each reads about 19 weeks of daily series per account × service (the detector's history). */
export const ANOMALY_QUESTIONS = ['anomalies last 30 days', 'anomalies'] as const;

/**
 * Comparable answer amounts in cents, keyed `<currency> total|current|previous` and `<currency> row <key> [current|
 * previous]`. Built from a reply's machine-readable `data` (what `tally ask --json` prints), or from DuckDB rows.
 */
export type Amounts = Map<string, number>;

export function parseQuestion(question: string): Command {
  const parsed = parseCommand(question);
  if (!parsed.ok) throw new Error(`"${question}" does not parse: ${JSON.stringify(parsed)}`);
  return parsed.command;
}

export interface TallyAnswerer {
  stores: Stores;
  commands: CommandService;
  close(): Promise<void>;
}

/**
 * Opens a data directory as a Tally process does (src/bootstrap/deps.ts createDeps): `createStores` on it (DuckDB over
 * the Parquet partitions, `TALLY_DUCKDB_MEMORY` from the environment), and the real command path: CostQueryService,
 * ForecastService and AnomalyScanService (the default policy's detector) behind CommandService, with `clock`.
 */
export async function openTally(dataDir: string, clock: Clock): Promise<TallyAnswerer> {
  const config = loadConfig({
    TALLY_DATA_DIR: dataDir,
    ...(process.env.TALLY_DUCKDB_MEMORY ? { TALLY_DUCKDB_MEMORY: process.env.TALLY_DUCKDB_MEMORY } : {}),
  });
  const stores = await createStores(config);
  const costs = new CostQueryService(stores.costs);
  const scan = new AnomalyScanService(stores.costs, { detector: EMPTY_POLICY.notifications.anomalies });
  const commands = new CommandService({
    costs,
    forecast: new ForecastService(costs),
    clock,
    anomalies: (request) => scan.scan(request),
    status: async () => ({
      store: stores.description,
      dataRange: await stores.costs.dataRange(),
      imports: [],
      sources: await stores.costs.sources(),
      notes: [],
    }),
  });
  return { stores, commands, close: () => stores.close() };
}

/** Parses and runs one question, as a chat turn does (parse → CommandService.run → Reply). */
export async function ask(service: CommandService, question: string): Promise<Reply> {
  return service.run(parseQuestion(question));
}

type Data = Record<string, unknown>;
const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.filter(isData) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/** The amounts of a breakdown or comparison reply. Throws when the reply is not an answer with data. */
export function replyAmounts(reply: Reply): Amounts {
  const data = reply.data;
  if (reply.kind !== 'answer' || !data) throw new Error(`not an answer: ${reply.kind} "${reply.title}"`);
  const out: Amounts = new Map();
  if (Array.isArray(data.currencies)) {
    for (const c of list(data.currencies)) {
      const cur = str(c.currency);
      out.set(`${cur} current`, num(c.current));
      out.set(`${cur} previous`, num(c.previous));
      for (const row of list(c.rows)) {
        out.set(`${cur} row ${str(row.key)} current`, num(row.current));
        out.set(`${cur} row ${str(row.key)} previous`, num(row.previous));
      }
    }
    return out;
  }
  for (const t of list(data.totals)) out.set(`${str(t.currency)} total`, num(t.total));
  const single = typeof data.currency === 'string' ? data.currency : null;
  for (const row of list(data.rows)) out.set(`${str(row.currency ?? single)} row ${str(row.key)}`, num(row.cost));
  return out;
}

export interface CrossCheck {
  ok: boolean;
  compared: number;
  /** Largest absolute difference in currency units. */
  maxDiff: number;
  problems: string[];
}

/** Equal when both have the same keys and every amount is the same to the cent. */
export function crossCheck(tally: Amounts, reference: Amounts): CrossCheck {
  const problems: string[] = [];
  let maxDiff = 0;
  const keys = new Set([...tally.keys(), ...reference.keys()]);
  for (const key of keys) {
    const a = tally.get(key);
    const b = reference.get(key);
    if (a === undefined || b === undefined) {
      problems.push(`${key}: ${a === undefined ? 'missing in Tally' : 'missing in reference'}`);
      continue;
    }
    const diff = Math.abs(a - b);
    maxDiff = Math.max(maxDiff, diff);
    if (Math.round(a * 100) !== Math.round(b * 100)) problems.push(`${key}: Tally ${a} vs reference ${b}`);
  }
  if (tally.size === 0) problems.push('empty answer');
  return { ok: problems.length === 0, compared: keys.size, maxDiff, problems };
}
