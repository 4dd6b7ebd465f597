import type { DuckDBConnection } from '@duckdb/node-api';
import type { BulkLoad } from '../../src/costs/cost-repository.port.js';
import { FOCUS_COLUMNS, type FocusField } from '../../src/costs/focus-columns.js';
import { DECIMAL_PATTERN, MAX_ABS_AMOUNT } from '../../src/costs/focus-values.js';
import { AMOUNT_TYPE, ident, literal, STORED_COLUMNS } from './cost-table.schema.js';

/** Rows per row group of a bulk load's staging files (see `bulkLoadParquet`). */
const STAGING_ROW_GROUP_ROWS = 4096;

/**
 * Rows of the source file loaded by one statement. A `COPY … PARTITION_BY` keeps the footer of every staging file it
 * writes in memory until it ends, and those grew with the rows: 12.8 million rows in one statement peaked 55 MB higher
 * than in statements of a million, in the same time (docs/cost-data.md, "Sizing"). DuckDB skips the row groups outside
 * a statement's range, so the source is still read once.
 */
const BULK_CHUNK_ROWS = 1_000_000;

/** Rejections returned per file (all are counted). */
const KEPT_REJECTIONS = 100;

interface Column {
  name: string;
  type: string;
}

/**
 * Loads one FOCUS Parquet file into a staging Parquet file in bulk, in SQL, with the rules of the row mapper
 * (`src/costs/focus-row.mapper.ts`; docs/cost-data.md): per-row aliases (the first non-null of a field's columns),
 * `NULL` and '' as null, exact decimals within `MAX_ABS_AMOUNT`, timestamps read as UTC, impossible dates refused;
 * written split by day. Rejected rows are counted
 * and the first ones returned with their 1-based row number and column. Typed Parquet (TIMESTAMP, DECIMAL, DOUBLE,
 * MAP) is read as typed; text columns are parsed. Tests compare its results with the CSV path on the same data.
 */
export async function bulkLoadParquet(
  c: DuckDBConnection,
  file: string,
  columns: Column[],
  stagingDir: string,
  chunkRows = BULK_CHUNK_ROWS,
): Promise<BulkLoad & { range: { from: string; to: string } | null; dayRows: Record<string, number> }> {
  // Zone-less timestamps are UTC (FOCUS requires UTC), whatever the machine's zone.
  await c.run(`SET TimeZone = 'UTC'`);
  const e = expressions(columns);
  /** The file's rows (0-based row numbers `where`, or all), normalized, with their first problem. */
  const normalized = (where = '') =>
    `SELECT line, ${e.select.join(', ')}, ${e.problemColumn} AS problem_column, ${e.problemReason} AS problem_reason FROM (SELECT file_row_number + 1 AS line, ${e.inner.join(', ')} FROM read_parquet(${literal(file)}, file_row_number = true)${where})`;
  await c.run(`CREATE OR REPLACE TEMP VIEW bulk_rows AS ${normalized()}`);
  // The row count comes from the Parquet footer, without reading the rows again.
  const total = (
    await c.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${literal(file)})`)
  ).getRowObjectsJS()[0];
  const read = Number(total?.n ?? 0);
  const stored = STORED_COLUMNS.map((col) => ident(col.name)).join(', ');
  // Written split by day (`d=YYYY-MM-DD` folders), so that the commit sums one day at a time, as it does rows staged
  // from CSV (partition-writer.ts). Every day's file holds a row group in memory until it is full: small ones, or
  // a month of days held 400 MB. One statement per `chunkRows` rows, each adding files to the days' folders.
  let good = 0;
  for (let from = 0; from < read; from += chunkRows) {
    const rows = normalized(` WHERE file_row_number >= ${from} AND file_row_number < ${from + chunkRows}`);
    const copied = await c.runAndReadAll(
      `COPY (SELECT ${stored}, strftime("day", '%Y-%m-%d') AS d FROM (${rows}) WHERE problem_column IS NULL) TO ${literal(stagingDir)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (d), WRITE_PARTITION_COLUMNS false, APPEND, ROW_GROUP_SIZE ${STAGING_ROW_GROUP_ROWS})`,
    );
    good += Number(copied.getRowObjectsJS()[0]?.Count ?? 0);
  }
  // The rows staged per day, from the files' footers (the commit groups small days: partition-writer.ts).
  const perDay = good
    ? (
        await c.runAndReadAll(
          `SELECT CAST(d AS VARCHAR) AS d, count(*) AS n FROM read_parquet(${literal(`${stagingDir}/*/*.parquet`)}, hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
        )
      ).getRowObjectsJS()
    : [];
  const dayRows = Object.fromEntries(perDay.map((r) => [String(r.d), Number(r.n)]));
  const days = Object.keys(dayRows);
  const range = days.length ? { from: days[0]!, to: days[days.length - 1]! } : null;
  const rejected = read - good;
  const firstRejected: BulkLoad['firstRejected'] = [];
  const rejectedByMonth: Record<string, number> = {};
  if (rejected > 0) {
    const first = await c.runAndReadAll(
      `SELECT line, problem_column, problem_reason FROM bulk_rows WHERE problem_column IS NOT NULL ORDER BY line LIMIT ${KEPT_REJECTIONS}`,
    );
    for (const r of first.getRowObjectsJS())
      firstRejected.push({
        file,
        line: Number(r.line),
        column: String(r.problem_column),
        reason: String(r.problem_reason),
      });
    const months = await c.runAndReadAll(
      `SELECT strftime("day", '%Y-%m') AS m, count(*) AS n FROM bulk_rows WHERE problem_column IS NOT NULL AND "day" IS NOT NULL GROUP BY 1`,
    );
    for (const r of months.getRowObjectsJS()) rejectedByMonth[String(r.m)] = Number(r.n);
  }
  await c.run('DROP VIEW IF EXISTS bulk_rows');
  return { read, rejected, firstRejected, rejectedByMonth, range, dayRows };
}

/** The SQL of every stored column and of the first problem of a row, from the file's columns. */
function expressions(columns: Column[]) {
  const byName = new Map(columns.map((col) => [col.name.trim().replace(/^\uFEFF/, ''), col]));
  const present = (f: FocusField) => FOCUS_COLUMNS[f].map((n) => byName.get(n)).filter((x): x is Column => !!x);
  const isText = (col: Column) => /^(VARCHAR|JSON)/i.test(col.type);
  /** A column as text, FOCUS nulls (`NULL`, '') as SQL NULL. */
  const tok = (col: Column) =>
    isText(col)
      ? `NULLIF(NULLIF(trim(CAST(${ident(col.name)} AS VARCHAR)), ''), 'NULL')`
      : /^(MAP|STRUCT|LIST)|\[\]$/i.test(col.type)
        ? `CAST(to_json(${ident(col.name)}) AS VARCHAR)`
        : `CAST(${ident(col.name)} AS VARCHAR)`;
  const text = (f: FocusField) => {
    const cols = present(f);
    return cols.length ? `COALESCE(${cols.map(tok).join(', ')})` : 'CAST(NULL AS VARCHAR)';
  };
  const firstName = (f: FocusField) => present(f)[0]?.name ?? FOCUS_COLUMNS[f][0];
  const typed = (f: FocusField, asType: string, isNative: (col: Column) => boolean) => {
    const cols = present(f);
    if (!cols.length) return `CAST(NULL AS ${asType})`;
    const parts = cols.map((col) =>
      isNative(col) ? `TRY_CAST(${ident(col.name)} AS ${asType})` : `TRY_CAST(${tok(col)} AS ${asType})`,
    );
    return `COALESCE(${parts.join(', ')})`;
  };
  const time = (f: FocusField) => typed(f, 'TIMESTAMPTZ', (col) => /^(TIMESTAMP|DATE)/i.test(col.type));
  const amount = (f: FocusField) => typed(f, AMOUNT_TYPE, (col) => !isText(col));
  const tagsCol = present('tags')[0];
  const dropNullValues = (map: string) =>
    `map_from_entries(list_filter(map_entries(${map}), x -> x.value IS NOT NULL))`;
  const tags = !tagsCol
    ? 'MAP {}'
    : /^MAP/i.test(tagsCol.type)
      ? `CASE WHEN ${ident(tagsCol.name)} IS NULL THEN MAP {} ELSE ${dropNullValues(`CAST(${ident(tagsCol.name)} AS MAP(VARCHAR, VARCHAR))`)} END`
      : `CASE WHEN ${tok(tagsCol)} IS NULL OR ${tok(tagsCol)} IN ('{}', 'null') THEN MAP {} ELSE ${dropNullValues(`TRY_CAST(TRY_CAST(${tok(tagsCol)} AS JSON) AS MAP(VARCHAR, VARCHAR))`)} END`;
  // Each value is computed once in an inner query (t_* text, ts_* timestamps, a_* amounts); the outer query builds
  // the stored columns and the first problem of the row from them.
  const TEXT_FIELDS: FocusField[] = [
    'provider',
    'serviceProvider',
    'hostProvider',
    'billingAccountId',
    'billingAccountName',
    'subAccountId',
    'subAccountName',
    'serviceName',
    'serviceCategory',
    'serviceSubcategory',
    'region',
    'chargeClass',
    'resourceId',
    'resourceName',
    'resourceType',
    'skuId',
    'pricingUnit',
    'commitmentDiscountId',
    'commitmentDiscountType',
    'invoiceId',
    'chargePeriodStart',
    'chargePeriodEnd',
    'billingPeriodStart',
    'chargeCategory',
    'currency',
    'billedCost',
    'effectiveCost',
    'listCost',
    'contractedCost',
    'pricingQuantity',
  ];
  const inner = [
    ...TEXT_FIELDS.map((f) => `${text(f)} AS ${ident(`t_${f}`)}`),
    `${time('chargePeriodStart')} AS ts_start`,
    `${time('chargePeriodEnd')} AS ts_end`,
    `${time('billingPeriodStart')} AS ts_period`,
    ...(['billedCost', 'effectiveCost', 'listCost', 'contractedCost', 'pricingQuantity'] as const).map(
      (f) => `${amount(f)} AS ${ident(`a_${f}`)}`,
    ),
    `${tags} AS tg`,
  ];
  const t = (f: FocusField) => ident(`t_${f}`);
  const a = (f: FocusField) => ident(`a_${f}`);
  const category = `CASE lower(${t('chargeCategory')}) WHEN 'usage' THEN 'Usage' WHEN 'purchase' THEN 'Purchase' WHEN 'tax' THEN 'Tax' WHEN 'credit' THEN 'Credit' WHEN 'adjustment' THEN 'Adjustment' END`;
  const currency = `CASE WHEN regexp_full_match(upper(${t('currency')}), '[A-Z]{3}') THEN upper(${t('currency')}) END`;
  const empty = (f: FocusField) => `COALESCE(${t(f)}, '')`;
  const select = [
    `CAST(ts_start AS DATE) AS "day"`,
    `${t('provider')} AS provider`,
    `${empty('serviceProvider')} AS service_provider`,
    `${empty('hostProvider')} AS host_provider`,
    `${empty('billingAccountId')} AS billing_account_id`,
    `${empty('billingAccountName')} AS billing_account_name`,
    `${empty('subAccountId')} AS sub_account_id`,
    `COALESCE(${t('subAccountName')}, ${t('subAccountId')}, '') AS sub_account_name`,
    `COALESCE(${t('serviceName')}, '(none)') AS service_name`,
    `COALESCE(${t('serviceCategory')}, 'Other') AS service_category`,
    `${empty('serviceSubcategory')} AS service_subcategory`,
    `COALESCE(${t('region')}, 'global') AS region`,
    `${category} AS charge_category`,
    `${empty('chargeClass')} AS charge_class`,
    `${empty('resourceId')} AS resource_id`,
    `${empty('resourceName')} AS resource_name`,
    `${empty('resourceType')} AS resource_type`,
    `${empty('skuId')} AS sku_id`,
    `${empty('pricingUnit')} AS pricing_unit`,
    `${a('pricingQuantity')} AS pricing_quantity`,
    `${empty('commitmentDiscountId')} AS commitment_discount_id`,
    `${empty('commitmentDiscountType')} AS commitment_discount_type`,
    `${empty('invoiceId')} AS invoice_id`,
    `CAST(ts_period AS DATE) AS billing_period_start`,
    `${currency} AS currency`,
    `tg AS tags`,
    `${a('billedCost')} AS billed`,
    `${a('effectiveCost')} AS effective`,
    `COALESCE(${a('listCost')}, CAST(0 AS ${AMOUNT_TYPE})) AS "list"`,
    `${a('contractedCost')} AS contracted`,
    `CAST(1 AS BIGINT) AS "rows"`,
  ];
  // A number as the row mapper reads it (focus-values.ts) whose value is not below MAX_ABS_AMOUNT, or too large for
  // a double at all (`1e999`): the mapper's "out of range".
  const outOfRange = (f: FocusField) =>
    `(${t(f)} IS NOT NULL AND regexp_full_match(${t(f)}, ${literal(DECIMAL_PATTERN)}) AND COALESCE(abs(TRY_CAST(${t(f)} AS DOUBLE)) >= ${MAX_ABS_AMOUNT}, true))`;
  // The checks of the row mapper, in its order: [condition, column, reason].
  const shown = (f: FocusField) => `' ("' || left(${t(f)}, 40) || '")'`;
  const checks: [string, string, string][] = [
    [`${t('chargePeriodStart')} IS NULL`, firstName('chargePeriodStart'), `'empty'`],
    [`ts_start IS NULL`, firstName('chargePeriodStart'), `'not a date-time' || ${shown('chargePeriodStart')}`],
    [
      `${t('chargePeriodEnd')} IS NOT NULL AND ts_end IS NULL`,
      firstName('chargePeriodEnd'),
      `'not a date-time' || ${shown('chargePeriodEnd')}`,
    ],
    [`${category} IS NULL`, firstName('chargeCategory'), `'not one of Usage, Purchase, Tax, Credit, Adjustment'`],
    ...(['billedCost', 'effectiveCost'] as const).flatMap((f): [string, string, string][] => [
      [`${t(f)} IS NULL`, firstName(f), `'empty'`],
      [outOfRange(f), firstName(f), `'out of range' || ${shown(f)}`],
      [`${a(f)} IS NULL`, firstName(f), `'not a number' || ${shown(f)}`],
    ]),
    ...(['listCost', 'contractedCost', 'pricingQuantity'] as const).flatMap((f): [string, string, string][] => [
      [outOfRange(f), firstName(f), `'out of range' || ${shown(f)}`],
      [`${t(f)} IS NOT NULL AND ${a(f)} IS NULL`, firstName(f), `'not a number' || ${shown(f)}`],
    ]),
    [`${currency} IS NULL`, firstName('currency'), `'not a 3-letter currency code'`],
    [`tg IS NULL`, firstName('tags'), `'not a JSON object'`],
    [`${t('provider')} IS NULL`, firstName('provider'), `'empty'`],
    [
      `${t('billingPeriodStart')} IS NOT NULL AND ts_period IS NULL`,
      firstName('billingPeriodStart'),
      `'not a date-time' || ${shown('billingPeriodStart')}`,
    ],
  ];
  const problemColumn = `CASE ${checks.map(([when, col]) => `WHEN ${when} THEN ${literal(col)}`).join(' ')} END`;
  const problemReason = `CASE ${checks.map(([when, , reason]) => `WHEN ${when} THEN ${reason}`).join(' ')} END`;
  return { inner, select, problemColumn, problemReason };
}
