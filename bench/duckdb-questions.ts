import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Command } from '../src/commands/command.types.js';
import type { Dimension } from '../src/costs/cost-query.types.js';
import { UNTAGGED } from '../src/costs/cost-query.types.js';
import type { Metric } from '../src/costs/cost-record.types.js';
import type { Period } from '../src/costs/period.js';
import { previousPeriod, resolvePeriod } from '../src/costs/period.js';
import type { Day } from '../src/shared/day.js';
import { roundCents } from '../src/shared/money.js';
import type { Amounts } from './tally-questions.js';

/**
 * The raw-file reference: DuckDB answering each question straight from the FOCUS CSV with `read_csv` on every run,
 * as a FinOps analyst would. Same semantics as Tally: the UTC day of ChargePeriodStart, EffectiveCost summed per
 * currency and group key, tags read from the Tags JSON.
 */

export interface DuckDb {
  connection: DuckDBConnection;
  threads: string;
  version: string;
  close(): void;
}

export async function openDuckDb(): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const info = await connection.runAndReadAll("SELECT current_setting('threads') AS threads, version() AS version");
  const row = info.getRowObjectsJS()[0] ?? {};
  return {
    connection,
    threads: String(row.threads),
    version: String(row.version),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

const METRIC_COLUMNS: Record<Metric, string> = {
  effective: 'EffectiveCost',
  billed: 'BilledCost',
  list: 'ListCost',
};

/** The SQL of a group key, as Tally's FOCUS mapper and `dimensionValue` read it. */
function keyExpression(d: Dimension | undefined): string {
  if (!d) return "'Total'";
  switch (d.kind) {
    case 'provider':
      return 'ProviderName';
    case 'account':
      return 'SubAccountId';
    case 'service':
      return "coalesce(ServiceName, '(none)')";
    case 'category':
      return "coalesce(ServiceCategory, 'Other')";
    case 'region':
      return "coalesce(RegionId, 'global')";
    case 'charge':
      return 'ChargeCategory';
    case 'tag':
      return `coalesce(json_extract_string(Tags, ${quote(`$."${d.key.replaceAll('"', '\\"')}"`)}), ${quote(UNTAGGED)})`;
  }
}

/** Rows of the file with the day, currency, group key and cost. Every column is read as text and cast here. */
function source(path: string, metric: Metric, groupBy: Dimension | undefined): string {
  return `SELECT CAST(CAST(ChargePeriodStart AS TIMESTAMPTZ) AS DATE) AS day,
      BillingCurrency AS currency,
      ${keyExpression(groupBy)} AS key,
      CAST(${METRIC_COLUMNS[metric]} AS DOUBLE) AS cost
    FROM read_csv(${quote(path)}, header = true, all_varchar = true, quote = '"', escape = '"')`;
}

const between = (p: { from: Day; to: Day }) => `day BETWEEN DATE ${quote(p.from)} AND DATE ${quote(p.to)}`;

export interface DuckQuestion {
  sql: string;
  kind: 'cost' | 'compare';
}

/** The SQL for a parsed `cost` or `compare` command, with its periods resolved against `today`. */
export function duckQuestion(command: Command, path: string, today: Day): DuckQuestion {
  if (command.kind === 'cost') {
    const period = resolvePeriod(command.period, today);
    const top = command.top
      ? `QUALIFY is_total = 1 OR row_number() OVER (PARTITION BY currency, is_total ORDER BY amount DESC, key) <= ${command.top}`
      : '';
    const sql = `WITH src AS (${source(path, command.metric, command.groupBy)}),
      g AS (
        SELECT currency, key, sum(cost) AS amount, grouping(key) AS is_total
        FROM src WHERE ${between(period)}
        GROUP BY GROUPING SETS ((currency, key), (currency))
      )
      SELECT currency, key, amount, is_total FROM g ${top}`;
    return { sql, kind: 'cost' };
  }
  if (command.kind === 'compare') {
    const current = resolvePeriod(command.current, today);
    const previous: Period =
      command.previous.kind === 'previous'
        ? previousPeriod(command.current, current)
        : resolvePeriod(command.previous, today);
    const top = command.top
      ? `QUALIFY is_total = 1 OR row_number() OVER (PARTITION BY currency, is_total ORDER BY abs(cur - prev) DESC, key) <= ${command.top}`
      : '';
    const sql = `WITH src AS (${source(path, command.metric, command.groupBy)}),
      g AS (
        SELECT currency, key,
          coalesce(sum(cost) FILTER (WHERE ${between(current)}), 0) AS cur,
          coalesce(sum(cost) FILTER (WHERE ${between(previous)}), 0) AS prev,
          grouping(key) AS is_total
        FROM src WHERE ${between(current)} OR ${between(previous)}
        GROUP BY GROUPING SETS ((currency, key), (currency))
      )
      SELECT currency, key, cur, prev, is_total FROM g ${top}`;
    return { sql, kind: 'compare' };
  }
  throw new Error(`DuckDB reference: no SQL for a ${command.kind} command`);
}

/** Runs the question's SQL once and returns its amounts keyed like {@link replyAmounts}. */
export async function runDuck(db: DuckDb, q: DuckQuestion): Promise<Amounts> {
  const reader = await db.connection.runAndReadAll(q.sql);
  const out: Amounts = new Map();
  for (const row of reader.getRowObjectsJS()) {
    const cur = String(row.currency);
    const total = Number(row.is_total) === 1;
    if (q.kind === 'cost') {
      out.set(total ? `${cur} total` : `${cur} row ${String(row.key)}`, roundCents(Number(row.amount)));
    } else {
      const prefix = total ? cur : `${cur} row ${String(row.key)}`;
      out.set(`${prefix} current`, roundCents(Number(row.cur)));
      out.set(`${prefix} previous`, roundCents(Number(row.prev)));
    }
  }
  return out;
}
