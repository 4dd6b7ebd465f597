import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { FOCUS_WRITE_COLUMNS } from '../../src/costs/focus-columns.js';

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

function billingPeriod(d: Date): [string, string] {
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return [iso(start), iso(end)];
}

/** One record as a FOCUS 1.0 CSV row in `FOCUS_WRITE_COLUMNS` order. Amounts keep every digit (shortest round-trip). */
export function toFocusRow(r: CostRecord): string[] {
  const [bpStart, bpEnd] = billingPeriod(r.chargePeriodStart);
  const tags = r.tags.length ? JSON.stringify(Object.fromEntries(r.tags.map((t) => [t.key, t.value]))) : '';
  const row: Record<(typeof FOCUS_WRITE_COLUMNS)[number], string> = {
    BillingAccountId: r.billingAccountId,
    BillingAccountName: `${r.provider} billing ${r.billingAccountId}`,
    BillingCurrency: r.currency,
    BillingPeriodStart: bpStart,
    BillingPeriodEnd: bpEnd,
    ChargeCategory: r.chargeCategory,
    ChargeDescription: `${r.serviceName} ${r.chargeCategory.toLowerCase()}`,
    ChargePeriodStart: iso(r.chargePeriodStart),
    ChargePeriodEnd: iso(r.chargePeriodEnd),
    BilledCost: String(r.billedCost),
    EffectiveCost: String(r.effectiveCost),
    ListCost: String(r.listCost),
    ProviderName: r.provider,
    PublisherName: r.provider,
    InvoiceIssuerName: r.provider,
    RegionId: r.region,
    RegionName: r.region,
    ResourceId: r.resourceId,
    ServiceCategory: r.serviceCategory,
    ServiceName: r.serviceName,
    SubAccountId: r.subAccountId,
    SubAccountName: r.subAccountName,
    Tags: tags,
  };
  return FOCUS_WRITE_COLUMNS.map((c) => row[c]);
}

/** Writes records as a FOCUS CSV file (header first) with csv-stringify, streaming. */
export async function writeFocusCsv(path: string, records: Iterable<CostRecord>): Promise<number> {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...FOCUS_WRITE_COLUMNS] });
  csv.pipe(out);
  let n = 0;
  for (const r of records) {
    if (!csv.write(toFocusRow(r))) await once(csv, 'drain');
    n++;
  }
  csv.end();
  await once(out, 'finish');
  return n;
}
