import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AnomalyScanService } from '../src/anomalies/anomaly-scan.service.js';
import type { Command } from '../src/commands/command.types.js';
import { EMPTY_POLICY } from '../src/config/policy.js';
import type { CostFilter, Dimension } from '../src/costs/cost-query.types.js';
import { NO_RESOURCE, UNTAGGED } from '../src/costs/cost-query.types.js';
import type { Metric } from '../src/costs/cost-record.types.js';
import type { CostRepository } from '../src/costs/cost-repository.port.js';
import type { Period } from '../src/costs/period.js';
import { previousPeriod, resolvePeriod } from '../src/costs/period.js';
import { addDays, type Day } from '../src/shared/day.js';
import { roundCents } from '../src/shared/money.js';
import { type Amounts, parseQuestion } from './tally-questions.js';

/**
 * The reference: each question answered by hand-written DuckDB SQL over the Parquet files Tally stored
 * (`TALLY_DATA_DIR/costs/v1/<source>/<month>.parquet`, read with one glob), as an analyst would query the same
 * files: one statement per question, the rows read into JS by columns. Same semantics as Tally (docs/cost-data.md):
 * the stored `day`, the metric summed per currency and group key, `(untagged)` and `(no resource)` keys, totals over
 * every group, top N by amount.
 *
 * For an anomaly scan there is no SQL for the detector: the reference is the scan's input, the daily series per
 * sub-account × service over the period and the detector's history, summed by SQL and read into JS.
 */

export interface ReferenceDb {
  connection: DuckDBConnection;
  threads: string;
  version: string;
  memoryLimit: string;
  close(): void;
}

/** An in-memory DuckDB with the memory limit Tally's engine gets (`TALLY_DUCKDB_MEMORY`, default 512MB). */
export async function openReference(tempDir: string): Promise<ReferenceDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: process.env.TALLY_DUCKDB_MEMORY ?? '512MB',
    temp_directory: tempDir,
  });
  const connection = await instance.connect();
  const info = await connection.runAndReadAll(
    "SELECT current_setting('threads') AS threads, version() AS version, current_setting('memory_limit') AS m",
  );
  const row = info.getRowObjectsJS()[0] ?? {};
  return {
    connection,
    threads: String(row.threads),
    version: String(row.version),
    memoryLimit: String(row.m),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The glob of every stored partition of a data directory. */
export const partitionGlob = (dataDir: string) => join(dataDir, 'costs', 'v1', '*', '*.parquet');

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The group key as Tally's aggregate reads it from the stored columns (adapters/duckdb/aggregate-sql.ts). */
function keyExpression(d: Dimension | undefined): string {
  if (!d) return "'Total'";
  switch (d.kind) {
    case 'provider':
      return 'provider';
    case 'account':
      return 'sub_account_id';
    case 'service':
      return 'service_name';
    case 'category':
      return 'service_category';
    case 'subcategory':
      return 'service_subcategory';
    case 'day':
    case 'week':
    case 'month':
      return 'day';
    case 'region':
      return 'region';
    case 'charge':
      return 'charge_category';
    case 'resource':
      return `coalesce(nullif(resource_id, ''), ${quote(NO_RESOURCE)})`;
    case 'tag':
      return `coalesce(tags[${quote(d.key)}], ${quote(UNTAGGED)})`;
  }
}

const between = (p: { from: Day; to: Day }) => `day BETWEEN DATE ${quote(p.from)} AND DATE ${quote(p.to)}`;

function noFilter(filter: CostFilter | undefined, question: string): void {
  if (filter && Object.values(filter).some((v) => Array.isArray(v) && v.length > 0))
    throw new Error(`reference SQL: "${question}" has a filter, which the reference does not write`);
}

export interface ReferenceQuestion {
  question: string;
  kind: 'cost' | 'compare' | 'series';
  sql: string;
}

/** The hand-written SQL of a question, its periods resolved against `today`. */
export function referenceQuestion(question: string, glob: string, today: Day): ReferenceQuestion {
  const command: Command = parseQuestion(question);
  const from = `read_parquet(${quote(glob)})`;
  if (command.kind === 'cost') {
    noFilter(command.filter, question);
    const period = resolvePeriod(command.period, today);
    const m = metricColumn(command.metric);
    const top = command.top
      ? `QUALIFY row_number() OVER (PARTITION BY currency ORDER BY amount DESC, key) <= ${command.top}`
      : '';
    const sql = `SELECT currency, key, CAST(amount AS VARCHAR) AS amount,
        CAST(sum(amount) OVER (PARTITION BY currency) AS VARCHAR) AS total
      FROM (
        SELECT currency, ${keyExpression(command.groupBy)} AS key, sum(${m}) AS amount
        FROM ${from} WHERE ${between(period)} GROUP BY ALL
      ) ${top}`;
    return { question, kind: 'cost', sql };
  }
  if (command.kind === 'compare') {
    noFilter(command.filter, question);
    const current = resolvePeriod(command.current, today);
    const previous: Period =
      command.previous.kind === 'previous'
        ? previousPeriod(command.current, current)
        : resolvePeriod(command.previous, today);
    const m = metricColumn(command.metric);
    const sql = `SELECT currency, key, CAST(cur AS VARCHAR) AS cur, CAST(prev AS VARCHAR) AS prev,
        CAST(sum(cur) OVER w AS VARCHAR) AS cur_total, CAST(sum(prev) OVER w AS VARCHAR) AS prev_total
      FROM (
        SELECT currency, ${keyExpression(command.groupBy)} AS key,
          coalesce(sum(${m}) FILTER (WHERE ${between(current)}), 0) AS cur,
          coalesce(sum(${m}) FILTER (WHERE ${between(previous)}), 0) AS prev
        FROM ${from} WHERE ${between(current)} OR ${between(previous)} GROUP BY ALL
      ) WINDOW w AS (PARTITION BY currency)`;
    return { question, kind: 'compare', sql };
  }
  if (command.kind === 'anomalies') {
    noFilter(command.filter, question);
    const period = resolvePeriod(command.period, today);
    const start = addDays(period.from, -anomalyHistoryDays());
    const sql = `SELECT sub_account_id, service_name, CAST(day AS VARCHAR) AS day, currency,
        CAST(sum(effective) AS VARCHAR) AS effective
      FROM ${from} WHERE ${between({ from: start, to: period.to })} GROUP BY ALL`;
    return { question, kind: 'series', sql };
  }
  throw new Error(`reference SQL: no SQL for a ${command.kind} command ("${question}")`);
}

/** Days of history an anomaly scan reads before its period, with the detector Tally uses. */
export function anomalyHistoryDays(): number {
  return new AnomalyScanService({} as CostRepository, { detector: EMPTY_POLICY.notifications.anomalies }).historyDays;
}

function metricColumn(metric: Metric): string {
  return metric === 'billed' ? 'billed' : metric === 'list' ? '"list"' : 'effective';
}

/**
 * Runs the question's SQL once and reads the result into JS by columns. Returns its amounts keyed like
 * `replyAmounts` (cost and compare), and the number of result rows (for a series, its only output: the rows are
 * turned into numbers, as a detector would need them).
 */
export async function runReference(db: ReferenceDb, q: ReferenceQuestion): Promise<{ amounts: Amounts; rows: number }> {
  const reader = await db.connection.runAndReadAll(q.sql);
  const cols = reader.getColumnsObjectJS();
  const n = reader.currentRowCount;
  const out: Amounts = new Map();
  const text = (name: string) => (cols[name] ?? []) as (string | null)[];
  if (q.kind === 'series') {
    const values = new Float64Array(n);
    const effective = text('effective');
    for (let i = 0; i < n; i++) values[i] = Number(effective[i]);
    return { amounts: out, rows: n };
  }
  const currency = text('currency');
  const key = text('key');
  for (let i = 0; i < n; i++) {
    const cur = String(currency[i]);
    if (q.kind === 'cost') {
      out.set(`${cur} total`, roundCents(Number(text('total')[i])));
      out.set(`${cur} row ${String(key[i])}`, roundCents(Number(text('amount')[i])));
    } else {
      out.set(`${cur} current`, roundCents(Number(text('cur_total')[i])));
      out.set(`${cur} previous`, roundCents(Number(text('prev_total')[i])));
      out.set(`${cur} row ${String(key[i])} current`, roundCents(Number(text('cur')[i])));
      out.set(`${cur} row ${String(key[i])} previous`, roundCents(Number(text('prev')[i])));
    }
  }
  return { amounts: out, rows: n };
}
