/**
 * The stored cost table (docs/cost-data.md): one row per source × UTC day × every kept dimension and detail, with
 * exact decimal amounts. Each Parquet partition holds these columns; staging files written by an import hold the
 * same columns as text, in this order.
 */

/** Amounts: 38 digits, 16 of them after the point (22 before it), exact in SQL from file to answer. */
export const AMOUNT_TYPE = 'DECIMAL(38,16)';

export interface StoredColumn {
  name: string;
  /** The column type in Parquet and in the staging read. */
  type: string;
  /** True when the staging file may carry SQL NULL (written as `\N`); text columns use '' for FOCUS null. */
  nullable?: boolean;
}

export const STORED_COLUMNS: readonly StoredColumn[] = [
  { name: 'day', type: 'DATE' },
  { name: 'provider', type: 'VARCHAR' },
  { name: 'service_provider', type: 'VARCHAR' },
  { name: 'host_provider', type: 'VARCHAR' },
  { name: 'billing_account_id', type: 'VARCHAR' },
  { name: 'billing_account_name', type: 'VARCHAR' },
  { name: 'sub_account_id', type: 'VARCHAR' },
  { name: 'sub_account_name', type: 'VARCHAR' },
  { name: 'service_name', type: 'VARCHAR' },
  { name: 'service_category', type: 'VARCHAR' },
  { name: 'service_subcategory', type: 'VARCHAR' },
  { name: 'region', type: 'VARCHAR' },
  { name: 'charge_category', type: 'VARCHAR' },
  { name: 'charge_class', type: 'VARCHAR' },
  { name: 'resource_id', type: 'VARCHAR' },
  { name: 'resource_name', type: 'VARCHAR' },
  { name: 'resource_type', type: 'VARCHAR' },
  { name: 'sku_id', type: 'VARCHAR' },
  { name: 'pricing_unit', type: 'VARCHAR' },
  { name: 'pricing_quantity', type: AMOUNT_TYPE, nullable: true },
  { name: 'commitment_discount_id', type: 'VARCHAR' },
  { name: 'commitment_discount_type', type: 'VARCHAR' },
  { name: 'invoice_id', type: 'VARCHAR' },
  { name: 'billing_period_start', type: 'DATE', nullable: true },
  { name: 'currency', type: 'VARCHAR' },
  { name: 'tags', type: 'VARCHAR' },
  { name: 'billed', type: AMOUNT_TYPE },
  { name: 'effective', type: AMOUNT_TYPE },
  { name: 'list', type: AMOUNT_TYPE },
  { name: 'contracted', type: AMOUNT_TYPE, nullable: true },
  { name: 'rows', type: 'BIGINT' },
];

/** The columns rows are grouped by when they are summed into daily rows (every text column and the day). */
const GROUP_COLUMNS = STORED_COLUMNS.filter((c) => c.type === 'VARCHAR' || c.type === 'DATE').map((c) => c.name);

/** The summed columns. */
const SUM_COLUMNS = ['pricing_quantity', 'billed', 'effective', 'list', 'contracted', 'rows'] as const;

/** `"name"`: an identifier quoted for SQL. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A SQL string literal (for values Tally itself produces: file paths, column names; user input is bound). */
export const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The `columns={…}` argument of `read_csv` for staging files. */
export function stagingColumnsArg(): string {
  return `{${STORED_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.name === 'tags' ? 'VARCHAR' : c.type)}`).join(', ')}}`;
}

/** The SELECT that sums rows with the stored columns (tags as a map) into daily rows. */
export function dailyRowsSelect(from: string): string {
  const type = (c: string) => STORED_COLUMNS.find((x) => x.name === c)?.type ?? 'BIGINT';
  const sums = SUM_COLUMNS.map((c) => `CAST(SUM(${ident(c)}) AS ${type(c)}) AS ${ident(c)}`);
  return `SELECT ${[...GROUP_COLUMNS.map(ident), ...sums].join(', ')} FROM ${from} GROUP BY ALL`;
}

/** `CREATE OR REPLACE TEMP TABLE name (…)` with the stored columns (tags as a map). */
export function createTableSql(name: string): string {
  const cols = STORED_COLUMNS.map(
    (c) => `${ident(c.name)} ${c.name === 'tags' ? 'MAP(VARCHAR, VARCHAR)' : c.name === 'rows' ? 'BIGINT' : c.type}`,
  );
  return `CREATE OR REPLACE TEMP TABLE ${ident(name)} (${cols.join(', ')})`;
}
