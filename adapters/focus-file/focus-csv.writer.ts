import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { TallyError } from '../../src/shared/errors.js';
import { FOCUS_WRITE_COLUMNS, type FocusWriteColumn } from './focus-write-columns.js';

type Cell = string | number;

/**
 * FOCUS columns a CostRecord has no field for (ListUnitPrice, SkuPriceId, ChargeFrequency, …), by column name; a
 * column given nowhere is null. `fixed` is typically shared by many rows (a usage line), `row` holds this row's own
 * values; `row` wins over `fixed`, and both over what the writer derives from the record.
 */
interface FocusExtraColumns {
  readonly fixed?: Readonly<Partial<Record<string, Cell>>>;
  readonly row?: Readonly<Partial<Record<string, Cell>>>;
  /** How a null cell is written: empty (the default) or `NULL`, as some exports do. */
  readonly nullToken?: string;
}

/** A record to write: a CostRecord, with the FOCUS columns it has no field for when the source knows them. */
export type FocusWriteRecord = CostRecord & { readonly focus?: FocusExtraColumns };

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** `[BillingPeriodStart, BillingPeriodEnd]` of a record: its billing month, by default the month of its charge. */
function billingPeriod(r: CostRecord): [string, string] {
  const d = r.billingPeriodStart ? new Date(`${r.billingPeriodStart}T00:00:00Z`) : r.chargePeriodStart;
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return [iso(start), iso(end)];
}

type Fixed = Readonly<Partial<Record<string, Cell>>>;
type Getter = (r: FocusWriteRecord, fixed: Fixed) => Cell | undefined;

const tagsJson = (r: CostRecord) =>
  r.tags.length ? JSON.stringify(Object.fromEntries(r.tags.map((t) => [t.key, t.value]))) : undefined;

/** The columns a record itself holds, or that FOCUS defines from them when nothing else is known. */
const FROM_RECORD: Partial<Record<FocusWriteColumn, Getter>> = {
  BilledCost: (r) => r.billedCost,
  BillingAccountId: (r) => r.billingAccountId,
  BillingAccountName: (r) => r.billingAccountName,
  BillingCurrency: (r) => r.currency,
  BillingPeriodEnd: (r) => billingPeriod(r)[1],
  BillingPeriodStart: (r) => billingPeriod(r)[0],
  ChargeCategory: (r) => r.chargeCategory,
  ChargeClass: (r) => r.chargeClass,
  ChargeDescription: (r) => `${r.serviceName} ${r.chargeCategory.toLowerCase()}`,
  ChargePeriodEnd: (r) => iso(r.chargePeriodEnd),
  ChargePeriodStart: (r) => iso(r.chargePeriodStart),
  CommitmentDiscountId: (r) => r.commitmentDiscountId,
  CommitmentDiscountType: (r) => r.commitmentDiscountType,
  // FOCUS: a charge unrelated to other charges has the ContractedCost of its BilledCost.
  ContractedCost: (r) => r.contractedCost ?? r.billedCost,
  EffectiveCost: (r) => r.effectiveCost,
  InvoiceId: (r) => r.invoiceId,
  InvoiceIssuerName: (r) => r.provider,
  ListCost: (r) => r.listCost,
  // Unless told otherwise, prices are in the billing currency.
  PricingCurrency: (r) => r.currency,
  PricingCurrencyContractedUnitPrice: (_, fixed) => fixed.ContractedUnitPrice,
  PricingCurrencyEffectiveCost: (r) => r.effectiveCost,
  PricingCurrencyListUnitPrice: (_, fixed) => fixed.ListUnitPrice,
  PricingQuantity: (r) => r.pricingQuantity,
  PricingUnit: (r) => r.pricingUnit,
  ProviderName: (r) => r.provider,
  PublisherName: (r) => r.provider,
  RegionId: (r) => r.region,
  ResourceId: (r) => r.resourceId,
  ResourceName: (r) => (r.resourceId ? r.resourceName : undefined),
  ResourceType: (r) => (r.resourceId ? r.resourceType : undefined),
  ServiceCategory: (r) => r.serviceCategory,
  ServiceName: (r) => r.serviceName,
  ServiceSubcategory: (r) => r.serviceSubcategory,
  SkuId: (r) => r.skuId,
  SubAccountId: (r) => r.subAccountId,
  SubAccountName: (r) => (r.subAccountId ? r.subAccountName : undefined),
  Tags: tagsJson,
};

const NO_COLUMNS: Fixed = {};

/**
 * One record as a FOCUS 1.2 CSV row in `FOCUS_WRITE_COLUMNS` order. Amounts keep every digit (shortest round-trip,
 * or the decimal text as given); null cells are empty or the record's null token.
 */
export function toFocusRow(r: FocusWriteRecord): string[] {
  const own = r.focus?.row ?? NO_COLUMNS;
  const fixed = r.focus?.fixed ?? NO_COLUMNS;
  const nullToken = r.focus?.nullToken ?? '';
  return FOCUS_WRITE_COLUMNS.map((column) => {
    const value = own[column] ?? fixed[column] ?? FROM_RECORD[column]?.(r, fixed);
    return value === undefined || value === '' ? nullToken : String(value);
  });
}

/** A CSV field as RFC 4180 writes it: quoted, with doubled quotes, when it holds a comma, a quote or a line break. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Bytes gathered before a write to the file. */
const CHUNK = 1 << 20;

/** Writes records as a FOCUS CSV file (header first, RFC 4180, `\n` line ends), streaming. */
export async function writeFocusCsv(path: string, records: Iterable<FocusWriteRecord>): Promise<number> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) =>
    out.once('error', (err) =>
      reject(new TallyError('USAGE', `${path}: cannot be written (${err.message})`, { cause: err })),
    ),
  );
  failed.catch(() => {}); // handled by the races below; an early error (no such folder) must not go unhandled
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  let chunk = `${FOCUS_WRITE_COLUMNS.join(',')}\n`;
  let n = 0;
  for (const r of records) {
    chunk += `${toFocusRow(r).map(field).join(',')}\n`;
    n++;
    if (chunk.length >= CHUNK) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return n;
}
