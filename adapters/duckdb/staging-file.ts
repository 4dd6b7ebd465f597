import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { CostRecord, DailyRollup, Tag } from '../../src/costs/cost-record.types.js';
import { STORED_COLUMNS } from './cost-table.schema.js';

/** How staging files write SQL NULL (numbers and dates only; FOCUS null text is ''). */
const STAGING_NULL = '\\N';

/**
 * Text written to the file once this many characters are buffered, and at the end of every call that adds rows. The
 * lines must die young in V8's heap: a buffer kept across calls (an export's batches spread over a month's days, so a
 * day's buffer filled over many batches) outlived the young generation and was promoted with every line of the
 * import, 100 MB of garbage in a 1 GB import (docs/cost-data.md, "Sizing").
 */
const FLUSH_CHARS = 64 << 10;

/**
 * A CSV file of rows in `STORED_COLUMNS` order, written by an import and read back by DuckDB's `read_csv` with
 * declared types. Writing text and letting DuckDB parse it in bulk is several times faster than appending values
 * one by one through the client API, and keeps every digit of an amount as written in the export.
 */
export class StagingFile {
  private readonly out: WriteStream;
  private buffer = '';
  private readonly tagJson = new WeakMap<readonly Tag[], string>();
  rows = 0;
  /** The first and last day written. */
  from: string | null = null;
  to: string | null = null;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.buffer = `${STORED_COLUMNS.map((c) => c.name).join(',')}\n`;
  }

  /** Records with their UTC days (`days[i]` is the day of `records[i]`), written before it returns. */
  async addRecords(records: readonly CostRecord[], days: readonly string[]): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const day = days[i]!;
      this.seen(day);
      this.buffer += this.line(day, r, r.resourceId, r.billedCost, r.effectiveCost, r.listCost, r.contractedCost, 1);
      this.rows++;
      if (this.buffer.length > FLUSH_CHARS) await this.flush();
    }
    await this.flush();
  }

  async addRollups(rollups: readonly DailyRollup[]): Promise<void> {
    for (const r of rollups) {
      this.seen(r.day);
      this.buffer += this.line(r.day, r, r.resourceId ?? '', r.billed, r.effective, r.list, r.contracted, r.rows);
      this.rows++;
      if (this.buffer.length > FLUSH_CHARS) await this.flush();
    }
    await this.flush();
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private seen(day: string): void {
    if (this.from === null || day < this.from) this.from = day;
    if (this.to === null || day > this.to) this.to = day;
  }

  private async flush(): Promise<void> {
    if (!this.buffer) return;
    const ok = this.out.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.out, 'drain');
  }

  private line(
    day: string,
    r: Omit<DailyRollup, 'source' | 'day' | 'billed' | 'effective' | 'list' | 'rows'>,
    resourceId: string,
    billed: number | string,
    effective: number | string,
    list: number | string,
    contracted: number | string | undefined,
    rows: number,
  ): string {
    return `${day},${text(r.provider)},${text(r.serviceProvider ?? r.provider)},${text(r.hostProvider)},${text(r.billingAccountId)},${text(r.billingAccountName)},${text(r.subAccountId)},${text(r.subAccountName)},${text(r.serviceName)},${text(r.serviceCategory)},${text(r.serviceSubcategory)},${text(r.region)},${text(r.chargeCategory)},${text(r.chargeClass)},${text(resourceId)},${text(r.resourceName)},${text(r.resourceType)},${text(r.skuId)},${text(r.pricingUnit)},${amount(r.pricingQuantity)},${text(r.commitmentDiscountId)},${text(r.commitmentDiscountType)},${text(r.invoiceId)},${r.billingPeriodStart ?? STAGING_NULL},${text(r.currency)},${text(this.tags(r.tags))},${amount(billed)},${amount(effective)},${amount(list)},${amount(contracted)},${rows}\n`;
  }

  /** Tags as canonical JSON (keys in the record's sorted order), built once per shared tag list. */
  private tags(tags: readonly Tag[]): string {
    let json = this.tagJson.get(tags);
    if (json === undefined) {
      json = `{${tags.map((t) => `${JSON.stringify(t.key)}:${JSON.stringify(t.value)}`).join(',')}}`;
      this.tagJson.set(tags, json);
    }
    return json;
  }
}

const NEEDS_QUOTES = /[",\n\r\\]/;

/** A text field: quoted when it holds a quote, comma, line break or backslash (so `\N` is never read as null). */
function text(value: string | undefined): string {
  if (value === undefined || value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** An amount as a decimal literal DuckDB casts exactly; absent → SQL NULL. */
function amount(value: number | string | undefined): string {
  if (value === undefined) return STAGING_NULL;
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return STAGING_NULL;
  return String(value);
}
