import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toFocusRow, writeFocusCsv } from '../../../adapters/focus-file/focus-csv.writer.js';
import { FOCUS_MANDATORY_COLUMNS, FOCUS_WRITE_COLUMNS } from '../../../adapters/focus-file/focus-write-columns.js';
import { generateSample, type InjectedAnomaly, type SampleRecord } from '../../../src/costs/sample/sample-data.js';
import { addDays, type Day, dayOf, daysBetween, eachDay, weekdayIndex } from '../../../src/shared/day.js';
import { TallyError } from '../../../src/shared/errors.js';

const END: Day = '2026-11-21';
const sample = generateSample({ endDay: END });
const usage = sample.records.filter((r) => r.chargeCategory === 'Usage');

function distinct<T>(values: Iterable<T>): Set<T> {
  return new Set(values);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** EffectiveCost of Usage rows per `subAccountId|serviceName`, then per day. */
function dailySeries(records: SampleRecord[]): Map<string, Map<Day, number>> {
  const out = new Map<string, Map<Day, number>>();
  for (const r of records) {
    if (r.chargeCategory !== 'Usage') continue;
    const key = `${r.subAccountId}|${r.serviceName}`;
    const days = out.get(key) ?? new Map<Day, number>();
    const day = dayOf(r.chargePeriodStart);
    days.set(day, (days.get(day) ?? 0) + r.effectiveCost);
    out.set(key, days);
  }
  return out;
}

function decimalsOf(n: number): number {
  return (String(n).split('.')[1] ?? '').length;
}

describe('generateSample', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    const again = generateSample({ endDay: END });
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
    const other = generateSample({ endDay: END, seed: 7 });
    expect(other.records.length).toBe(sample.records.length);
    expect(other.records.map((r) => r.effectiveCost)).not.toEqual(sample.records.map((r) => r.effectiveCost));
    expect(other.anomalies).not.toEqual(sample.anomalies);
  });

  it('covers 13 months ending on endDay, every day', () => {
    expect(sample.to).toBe(END);
    expect(sample.from).toBe('2025-10-22');
    const days = distinct(usage.map((r) => dayOf(r.chargePeriodStart)));
    expect(days).toEqual(distinct(eachDay(sample.from, END)));
    const allDays = sample.records.map((r) => dayOf(r.chargePeriodStart)).sort();
    expect(allDays[0]).toBe(sample.from);
    expect(allDays.at(-1)).toBe(END);
    expect(sample.records.length).toBeGreaterThanOrEqual(60_000);
    expect(sample.records.length).toBeLessThanOrEqual(150_000);
  });

  it('honours the months option', () => {
    const short = generateSample({ endDay: END, months: 2 });
    expect(short.from).toBe('2026-09-22');
    expect(short.records.every((r) => dayOf(r.chargePeriodStart) >= '2026-09-22')).toBe(true);
  });

  it('rejects bad options with a USAGE error', () => {
    for (const options of [{ endDay: '2026-02-30' }, { endDay: END, months: 0 }, { endDay: END, seed: 1.5 }]) {
      let caught: unknown;
      try {
        generateSample(options);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TallyError);
      expect((caught as TallyError).code).toBe('USAGE');
    }
  });

  it('spans three providers, ≥ 8 sub-accounts, ≥ 30 services and ≥ 5 regions', () => {
    expect(distinct(usage.map((r) => r.provider))).toEqual(distinct(['AWS', 'Microsoft', 'Google Cloud']));
    expect(distinct(usage.map((r) => r.subAccountId)).size).toBeGreaterThanOrEqual(8);
    expect(distinct(usage.map((r) => r.serviceName)).size).toBeGreaterThanOrEqual(30);
    const regions = distinct(usage.map((r) => r.region).filter((r) => r !== '' && r !== 'global'));
    expect(regions.size).toBeGreaterThanOrEqual(5);
    const categories = distinct(usage.map((r) => r.serviceCategory));
    for (const c of ['Compute', 'Storage', 'Databases', 'Networking', 'Analytics', 'AI and Machine Learning']) {
      expect(categories).toContain(c);
    }
  });

  it('tags usage with team, env and cost-center, and some keys contain "." or "/"', () => {
    const untagged = usage.filter((r) => !['team', 'env', 'cost-center'].every((k) => r.tags.some((t) => t.key === k)));
    expect(untagged).toEqual([]);
    expect(distinct(usage.flatMap((r) => r.tags.filter((t) => t.key === 'env').map((t) => t.value)))).toEqual(
      distinct(['prod', 'staging', 'dev']),
    );
    expect(usage.some((r) => r.tags.some((t) => t.key === 'kubernetes.io/cluster'))).toBe(true);
    const keys = distinct(usage.flatMap((r) => r.tags.map((t) => t.key)));
    expect([...keys].some((k) => k.includes('.'))).toBe(true);
    expect([...keys].some((k) => k.includes('/'))).toBe(true);
  });

  it('has lower compute cost on weekends than on weekdays', () => {
    const weekday: number[] = [];
    const weekend: number[] = [];
    const byDay = new Map<Day, number>();
    for (const r of usage.filter((u) => u.serviceCategory === 'Compute')) {
      const day = dayOf(r.chargePeriodStart);
      byDay.set(day, (byDay.get(day) ?? 0) + r.effectiveCost);
    }
    for (const [day, cost] of byDay) (weekdayIndex(day) >= 5 ? weekend : weekday).push(cost);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weekend)).toBeLessThan(mean(weekday) * 0.85);
  });

  it('grows some services and declines one', () => {
    const series = dailySeries(sample.records);
    const monthMean = (key: string, month: string) => {
      const values = [...(series.get(key) ?? [])].filter(([d]) => d.startsWith(month)).map(([, v]) => v);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(monthMean('309817446251|Amazon SageMaker', '2026-10')).toBeGreaterThan(
      1.5 * monthMean('309817446251|Amazon SageMaker', '2025-11'),
    );
    expect(monthMean('309817446251|Amazon ElastiCache', '2026-10')).toBeLessThan(
      0.7 * monthMean('309817446251|Amazon ElastiCache', '2025-11'),
    );
  });

  it('prices usage like a real export: list ≥ effective, billed = effective unless covered by a commitment', () => {
    expect(usage.filter((r) => !(r.listCost >= r.effectiveCost && r.effectiveCost > 0))).toEqual([]);
    expect(usage.filter((r) => r.billedCost !== r.effectiveCost && r.billedCost !== 0)).toEqual([]);
    expect(usage.some((r) => r.billedCost === 0)).toBe(true);
    expect(usage.some((r) => decimalsOf(r.effectiveCost) >= 8)).toBe(true);
  });

  it('has commitment purchases billed with zero effective cost', () => {
    const purchases = sample.records.filter((r) => r.chargeCategory === 'Purchase');
    expect(distinct(purchases.map((r) => r.provider))).toEqual(distinct(['AWS', 'Microsoft']));
    for (const r of purchases) {
      expect(r.effectiveCost).toBe(0);
      expect(r.billedCost).toBeGreaterThan(0);
    }
  });

  it('has negative credits, monthly taxes per billing account, and EUR rows', () => {
    const credits = sample.records.filter((r) => r.chargeCategory === 'Credit');
    expect(credits.length).toBeGreaterThanOrEqual(12);
    for (const r of credits) {
      expect(r.billedCost).toBeLessThan(0);
      expect(r.effectiveCost).toBeLessThan(0);
    }
    const taxes = sample.records.filter((r) => r.chargeCategory === 'Tax');
    expect(distinct(taxes.map((r) => r.billingAccountId)).size).toBe(3);
    for (const r of taxes) expect(r.billedCost).toBeGreaterThan(0);
    expect(taxes.filter((r) => r.provider === 'AWS')).toHaveLength(13);
    const currencies = distinct(sample.records.map((r) => r.currency));
    expect(currencies).toEqual(distinct(['USD', 'EUR']));
  });

  it('emits hourly rows for some series and daily rows for the rest', () => {
    const hours = (r: SampleRecord) => (r.chargePeriodEnd.getTime() - r.chargePeriodStart.getTime()) / 3_600_000;
    const hourly = usage.filter((r) => hours(r) === 1);
    expect(hourly.length).toBeGreaterThan(0);
    const oneDay = hourly.filter((r) => dayOf(r.chargePeriodStart) === END && r.region === 'us-central1');
    expect(oneDay).toHaveLength(24);
    const odd = usage.filter((r) => hours(r) !== 1 && (hours(r) !== 24 || r.chargePeriodStart.getUTCHours() !== 0));
    expect(odd).toEqual([]);
  });

  it('gives resource ids in provider formats', () => {
    const ids = usage.map((r) => r.resourceId);
    expect(ids.some((id) => /^i-0[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(ids.some((id) => /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/.+\/virtualMachines\//.test(id))).toBe(
      true,
    );
    expect(
      ids.some((id) => /^\/\/compute\.googleapis\.com\/projects\/[a-z0-9-]+\/zones\/.+\/instances\//.test(id)),
    ).toBe(true);
  });
});

describe('injected anomalies', () => {
  const series = dailySeries(sample.records);
  const { anomalies } = sample;

  it('lists ≥ 12 anomalies on distinct days over the last ~6 months, of every kind', () => {
    expect(anomalies.length).toBeGreaterThanOrEqual(12);
    expect(distinct(anomalies.map((a) => a.day)).size).toBe(anomalies.length);
    for (const a of anomalies) {
      expect(daysBetween(a.day, END)).toBeLessThanOrEqual(190);
      expect(daysBetween(a.day, END)).toBeGreaterThan(0);
      if (a.kind !== 'level-shift') expect(weekdayIndex(a.day)).toBeLessThan(5);
    }
    const kinds = (kind: InjectedAnomaly['kind']) => anomalies.filter((a) => a.kind === kind).length;
    expect(kinds('spike')).toBeGreaterThanOrEqual(5);
    expect(kinds('drop')).toBeGreaterThanOrEqual(2);
    expect(kinds('level-shift')).toBeGreaterThanOrEqual(5);
    expect(anomalies.some((a) => a.dimension === 'account' && a.key === a.subAccountId)).toBe(true);
  });

  it('states an impact matching the series against the median of the same weekday over 4 prior weeks', () => {
    for (const a of anomalies) {
      const days = series.get(`${a.subAccountId}|${a.serviceName}`);
      expect(days, `${a.subAccountId}|${a.serviceName}`).toBeDefined();
      const actual = days?.get(a.day) ?? 0;
      const baseline = median([7, 14, 21, 28].map((n) => days?.get(addDays(a.day, -n)) ?? 0));
      const observed = actual - baseline;
      expect(Math.abs(observed - a.expectedImpact), `${a.day} ${a.description}`).toBeLessThanOrEqual(
        0.35 * Math.abs(a.expectedImpact),
      );
      if (a.kind === 'drop') expect(actual).toBeLessThan(0.06 * baseline);
      if (a.kind === 'spike') expect(actual).toBeGreaterThan(2.5 * baseline);
      expect(a.key).toBe(a.dimension === 'service' ? a.serviceName : a.subAccountId);
      expect(a.expectedImpact).toBe(Math.round(a.expectedImpact * 100) / 100);
    }
  });

  it('never targets purchase, credit or tax rows', () => {
    for (const a of anomalies) {
      const rows = sample.records.filter(
        (r) =>
          r.subAccountId === a.subAccountId && r.serviceName === a.serviceName && dayOf(r.chargePeriodStart) === a.day,
      );
      expect(rows.every((r) => r.chargeCategory === 'Usage')).toBe(true);
    }
  });
});

/** FOCUS 1.2 ServiceCategory → its allowed ServiceSubcategory values (FOCUS 1.2, column ServiceSubcategory). */
const SUBCATEGORIES: Record<string, string[]> = {
  'AI and Machine Learning': [
    'AI Platforms',
    'Bots',
    'Generative AI',
    'Machine Learning',
    'Natural Language Processing',
  ],
  Analytics: ['Analytics Platforms', 'Business Intelligence', 'Data Processing', 'Search', 'Streaming Analytics'],
  'Business Applications': ['Productivity and Collaboration'],
  Compute: ['Containers', 'End User Computing', 'Quantum Compute', 'Serverless Compute', 'Virtual Machines'],
  Databases: [
    'Caching',
    'Data Warehouses',
    'Ledger Databases',
    'NoSQL Databases',
    'Relational Databases',
    'Time Series Databases',
  ],
  'Developer Tools': [
    'Developer Platforms',
    'Continuous Integration and Deployment',
    'Development Environments',
    'Source Code Management',
    'Quality Assurance',
  ],
  Identity: ['Identity and Access Management'],
  Integration: ['API Management', 'Messaging', 'Workflow Orchestration'],
  'Internet of Things': ['IoT Analytics', 'IoT Platforms'],
  'Management and Governance': [
    'Architecture',
    'Compliance',
    'Cost Management',
    'Data Governance',
    'Disaster Recovery',
    'Endpoint Management',
    'Observability',
    'Support',
  ],
  Media: ['Content Creation', 'Gaming', 'Media Streaming', 'Mixed Reality'],
  Migration: ['Data Migration', 'Resource Migration'],
  Mobile: [],
  Multicloud: ['Multicloud Integration'],
  Networking: [
    'Application Networking',
    'Content Delivery',
    'Network Connectivity',
    'Network Infrastructure',
    'Network Routing',
    'Network Security',
  ],
  Security: ['Secret Management', 'Security Posture Management', 'Threat Detection and Response'],
  Storage: ['Backup Storage', 'Block Storage', 'File Storage', 'Object Storage', 'Storage Platforms'],
  Web: ['Application Platforms'],
  Other: [],
};

const describeRecord = (r: SampleRecord) =>
  `${r.chargeCategory} ${r.provider} ${r.subAccountName || '-'} ${r.serviceName} ${r.region} ${r.resourceId} ${r.chargePeriodStart.toISOString()}`;

/** A FOCUS column of a record that CostRecord has no field for, as the writer gets it. */
const extra = (r: SampleRecord, column: string) => r.focus.row?.[column] ?? r.focus.fixed[column];

describe('FOCUS detail of the sample records', () => {
  const priced = sample.records.filter((r) => r.chargeCategory === 'Usage' || r.chargeCategory === 'Purchase');

  it('fills the detail fields on every record, and no ChargeClass (no row corrects an earlier billing period)', () => {
    const bad = sample.records.filter((r) => {
      const month = `${dayOf(r.chargePeriodStart).slice(0, 7)}-01`;
      const common =
        r.serviceProvider === r.provider &&
        r.hostProvider === r.provider &&
        !!r.billingAccountName &&
        !!r.serviceSubcategory &&
        !!r.invoiceId &&
        r.billingPeriodStart === month &&
        typeof r.contractedCost === 'number' &&
        r.chargeClass === undefined;
      if (r.chargeCategory === 'Usage' || r.chargeCategory === 'Purchase')
        return !(common && !!r.skuId && !!r.pricingUnit && (r.pricingQuantity ?? 0) > 0);
      // Tax and credits are billing-account level charges: no resource, SKU or pricing quantity.
      const unpriced =
        r.resourceId === '' && !r.resourceName && !r.skuId && !r.pricingUnit && r.pricingQuantity === undefined;
      const accountLevel = r.chargeCategory !== 'Tax' || (r.subAccountId === '' && r.tags.length === 0);
      return !(common && unpriced && accountLevel);
    });
    expect(bad.map(describeRecord)).toEqual([]);
  });

  it('costs a priced row its quantity times its unit prices, and on-demand usage its contracted cost', () => {
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    const bad = priced.filter((r) => {
      const q = r.pricingQuantity ?? Number.NaN;
      const list = Number(extra(r, 'ListUnitPrice'));
      const contracted = Number(extra(r, 'ContractedUnitPrice'));
      const onDemand = r.chargeCategory === 'Usage' && !r.commitmentDiscountId;
      return !(
        close(list * q, r.listCost) &&
        close(contracted * q, r.contractedCost) &&
        contracted <= list &&
        (!onDemand || r.effectiveCost === r.contractedCost)
      );
    });
    expect(bad.map(describeRecord)).toEqual([]);
  });

  it('gives each ServiceName one ServiceCategory and one allowed ServiceSubcategory, each SkuPriceId one SkuId', () => {
    const categories = new Map<string, Set<string>>();
    const skus = new Map<string, Set<string>>();
    for (const r of sample.records) {
      const key = r.serviceName;
      categories.set(key, (categories.get(key) ?? new Set()).add(`${r.serviceCategory} / ${r.serviceSubcategory}`));
      const priceId = extra(r, 'SkuPriceId');
      if (priceId !== undefined) skus.set(String(priceId), (skus.get(String(priceId)) ?? new Set()).add(r.skuId ?? ''));
    }
    const ambiguous = [...categories].filter(([, pairs]) => pairs.size !== 1).map(([name]) => name);
    expect(ambiguous).toEqual([]);
    const invalid = [...categories].flatMap(([name, pairs]) =>
      [...pairs]
        .filter((pair) => {
          const [category = '', sub = ''] = pair.split(' / ');
          return !((SUBCATEGORIES[category] ?? []).includes(sub) || sub === `Other (${category})`);
        })
        .map((pair) => `${name}: ${pair}`),
    );
    expect(invalid).toEqual([]);
    expect([...skus].filter(([, ids]) => ids.size !== 1)).toEqual([]);
  });

  it('bills resources by provider-format id, each with a ResourceName, a ResourceType and a unique name tag', () => {
    const nameTag: Record<string, string> = { AWS: 'Name', Microsoft: 'name', 'Google Cloud': 'name' };
    const names = new Map<string, Set<string>>();
    const ids = new Map<string, Set<string>>();
    const bad: string[] = [];
    for (const r of usage) {
      const tag = r.tags.find((t) => t.key === nameTag[r.provider]);
      if (r.resourceId === '') {
        if (r.resourceName || r.resourceType || tag) bad.push(describeRecord(r));
        continue;
      }
      if (!r.resourceName || !r.resourceType || tag?.value !== r.resourceName || r.resourceName === r.resourceId)
        bad.push(describeRecord(r));
      names.set(r.resourceId, (names.get(r.resourceId) ?? new Set()).add(r.resourceName ?? ''));
      ids.set(r.resourceName ?? '', (ids.get(r.resourceName ?? '') ?? new Set()).add(r.resourceId));
    }
    expect(bad).toEqual([]);
    expect([...names].filter(([, n]) => n.size !== 1)).toEqual([]);
    expect([...ids].filter(([, n]) => n.size !== 1)).toEqual([]);
    expect(names.size).toBeGreaterThanOrEqual(100);
    const idList = [...names.keys()];
    expect(idList.filter((id) => /^i-0[0-9a-f]{16}$/.test(id)).length).toBeGreaterThanOrEqual(6);
    expect(idList.some((id) => /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:/.test(id))).toBe(true);
    expect(
      idList.some((id) => /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\./.test(id)),
    ).toBe(true);
    expect(idList.some((id) => id.startsWith('//storage.googleapis.com/projects/_/buckets/'))).toBe(true);
    // Some services run several resources in one sub-account and region.
    const perLine = new Map<string, Set<string>>();
    for (const r of usage) {
      const key = `${r.subAccountId}|${r.serviceName}|${r.region}`;
      if (r.resourceId) perLine.set(key, (perLine.get(key) ?? new Set()).add(r.resourceId));
    }
    expect([...perLine.values()].filter((s) => s.size > 1).length).toBeGreaterThanOrEqual(3);
  });

  it('ties commitment-covered usage to its purchase, and amortises the Savings Plan fee exactly', () => {
    const covered = usage.filter((r) => r.commitmentDiscountId);
    expect(covered.length).toBeGreaterThan(0);
    const purchases = sample.records.filter((r) => r.chargeCategory === 'Purchase');
    const bad = covered.filter(
      (r) =>
        r.billedCost !== 0 ||
        extra(r, 'PricingCategory') !== 'Committed' ||
        extra(r, 'CommitmentDiscountStatus') !== 'Used' ||
        !purchases.some((p) => p.commitmentDiscountId === r.commitmentDiscountId),
    );
    expect(bad.map(describeRecord)).toEqual([]);
    for (const p of purchases) {
      expect(p.resourceId).toBe(p.commitmentDiscountId);
      expect(extra(p, 'PricingCategory')).toBe('Standard');
    }
    const fees = purchases.filter((p) => extra(p, 'CommitmentDiscountCategory') === 'Spend');
    expect(fees.length).toBeGreaterThanOrEqual(12);
    for (const fee of fees) {
      const month = dayOf(fee.chargePeriodStart).slice(0, 7);
      const used = covered.filter((r) => r.commitmentDiscountId === fee.commitmentDiscountId);
      const amortised = used.filter((r) => dayOf(r.chargePeriodStart).startsWith(month));
      // Only complete months: the fee is the whole month's commitment, the dataset may end before the month does.
      const days = distinct(amortised.map((r) => dayOf(r.chargePeriodStart))).size;
      if (days < daysBetween(dayOf(fee.chargePeriodStart), dayOf(fee.chargePeriodEnd))) continue;
      expect(Math.round(amortised.reduce((a, r) => a + r.effectiveCost, 0) * 100) / 100).toBe(fee.billedCost);
    }
  });
});

/** A written FOCUS row as column → value, null for a null cell (empty or `NULL`). */
type Row = Record<string, string | null>;

/**
 * FOCUS 1.2 nullability and value rules a row must satisfy (FOCUS 1.2 column definitions), as predicates. Checked
 * here on every written row, besides the FinOps Foundation's validator in tests/e2e, whose rules for a few of these
 * columns are known to be wrong (see tests/e2e/focus-validator.test.ts).
 */
const ROW_RULES: [string, (r: Row) => boolean][] = [
  // Mandatory columns are never null, but for ChargeClass, PricingQuantity and PricingUnit (null on Tax rows).
  ...FOCUS_MANDATORY_COLUMNS.filter((c) => !['ChargeClass', 'PricingQuantity', 'PricingUnit'].includes(c)).map(
    (c): [string, (r: Row) => boolean] => [`${c} is not null`, (r) => r[c] !== null],
  ),
  ...['ChargeFrequency', 'ServiceSubcategory', 'PricingCurrency', 'PricingCurrencyEffectiveCost', 'InvoiceId'].map(
    (c): [string, (r: Row) => boolean] => [`${c} is not null`, (r) => r[c] !== null],
  ),
  ['ChargeClass is null (no correction rows)', (r) => r.ChargeClass === null],
  ...(
    [
      ['SubAccountName', 'SubAccountId'],
      ['SubAccountType', 'SubAccountId'],
      ['ResourceName', 'ResourceId'],
      ['ResourceType', 'ResourceId'],
      ['RegionName', 'RegionId'],
      ['BillingAccountType', 'BillingAccountId'],
      ['CommitmentDiscountName', 'CommitmentDiscountId'],
      ['CommitmentDiscountType', 'CommitmentDiscountId'],
      ['CommitmentDiscountCategory', 'CommitmentDiscountId'],
      ['CommitmentDiscountUnit', 'CommitmentDiscountQuantity'],
      ['PricingUnit', 'PricingQuantity'],
      ['ConsumedUnit', 'ConsumedQuantity'],
      ['SkuMeter', 'SkuId'],
      ['CapacityReservationStatus', 'CapacityReservationId'],
    ] as const
  ).map(([a, b]): [string, (r: Row) => boolean] => [
    `${a} is null exactly when ${b} is`,
    (r) => (r[a] === null) === (r[b] === null),
  ]),
  ...[
    'ListUnitPrice',
    'ContractedUnitPrice',
    'PricingQuantity',
    'PricingUnit',
    'SkuId',
    'SkuPriceId',
    'PricingCategory',
    'PricingCurrencyListUnitPrice',
    'PricingCurrencyContractedUnitPrice',
  ].map((c): [string, (r: Row) => boolean] => [
    `${c} is set on Usage and Purchase rows, null on Tax rows`,
    (r) =>
      r.ChargeCategory === 'Usage' || r.ChargeCategory === 'Purchase'
        ? r[c] !== null
        : r.ChargeCategory !== 'Tax' || r[c] === null,
  ]),
  [
    'ConsumedQuantity is set exactly on Usage rows',
    (r) => (r.ConsumedQuantity !== null) === (r.ChargeCategory === 'Usage'),
  ],
  [
    'CommitmentDiscountStatus is Used or Unused exactly on Usage rows of a commitment',
    (r) =>
      r.CommitmentDiscountId !== null && r.ChargeCategory === 'Usage'
        ? r.CommitmentDiscountStatus === 'Used' || r.CommitmentDiscountStatus === 'Unused'
        : r.CommitmentDiscountStatus === null,
  ],
  [
    'CommitmentDiscountQuantity is set exactly on Usage and Purchase rows of a commitment',
    (r) =>
      (r.CommitmentDiscountQuantity !== null) ===
      (r.CommitmentDiscountId !== null && (r.ChargeCategory === 'Usage' || r.ChargeCategory === 'Purchase')),
  ],
  ['SkuPriceDetails is null when SkuPriceId is', (r) => r.SkuPriceId !== null || r.SkuPriceDetails === null],
  [
    'a Purchase has EffectiveCost 0 and is not Usage-Based',
    (r) => r.ChargeCategory !== 'Purchase' || (Number(r.EffectiveCost) === 0 && r.ChargeFrequency !== 'Usage-Based'),
  ],
  [
    'ProviderName is InvoiceIssuerName and PublisherName',
    (r) => r.ProviderName === r.InvoiceIssuerName && r.ProviderName === r.PublisherName,
  ],
  [
    'date-times are YYYY-MM-DDTHH:mm:ssZ',
    (r) =>
      ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'].every((c) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r[c] ?? ''),
      ),
  ],
  ['strings are ASCII', (r) => Object.values(r).every((v) => v === null || /^[\x20-\x7e]*$/.test(v))],
  [
    'Tags and SkuPriceDetails are JSON objects of strings and numbers',
    (r) => ['Tags', 'SkuPriceDetails'].every((c) => r[c] == null || isFlatObject(r[c])),
  ],
];

function isFlatObject(text: string): boolean {
  const value = JSON.parse(text) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');
}

describe('tally sample as a FOCUS 1.2 file', () => {
  const short = generateSample({ endDay: END, months: 2 });
  const cells = short.records.map(toFocusRow);
  const rows: Row[] = cells.map((values) =>
    Object.fromEntries(
      FOCUS_WRITE_COLUMNS.map((c, i) => [c, values[i] === '' || values[i] === 'NULL' ? null : (values[i] ?? null)]),
    ),
  );

  it('has every column of FOCUS 1.2 once', () => {
    expect(FOCUS_WRITE_COLUMNS).toHaveLength(57);
    expect(new Set(FOCUS_WRITE_COLUMNS).size).toBe(57);
    for (const c of FOCUS_MANDATORY_COLUMNS) expect(FOCUS_WRITE_COLUMNS).toContain(c);
  });

  it('keeps to the FOCUS 1.2 nullability and value rules on every row', () => {
    const broken = ROW_RULES.flatMap(([rule, holds]) => {
      const failing = rows.filter((r) => !holds(r));
      return failing.length ? [`${rule}: ${failing.length} rows, e.g. ${JSON.stringify(failing[0])}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('writes a null cell as NULL in the Microsoft rows and as an empty cell in the others', () => {
    const ms = cells.filter((_, i) => rows[i]?.ProviderName === 'Microsoft');
    const others = cells.filter((_, i) => rows[i]?.ProviderName !== 'Microsoft');
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.every((values) => !values.includes(''))).toBe(true);
    expect(ms.every((values) => values.includes('NULL'))).toBe(true);
    expect(others.every((values) => !values.includes('NULL'))).toBe(true);
    const tags = FOCUS_WRITE_COLUMNS.indexOf('Tags');
    expect(ms.some((values) => values[tags] === 'NULL')).toBe(true);
    expect(others.some((values) => values[tags] === '')).toBe(true);
  });

  it('writes the same bytes for the same seed and end day, and the CSV reads back to the records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-focus-'));
    const write = async (name: string, seed?: number) => {
      const path = join(dir, name);
      await writeFocusCsv(
        path,
        generateSample({ endDay: END, months: 2, ...(seed === undefined ? {} : { seed }) }).records,
      );
      return readFileSync(path, 'utf8');
    };
    const [a, b, c] = await Promise.all([write('a.csv'), write('b.csv'), write('c.csv', 7)]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const parsed = parse(a, { columns: true }) as Record<string, string>[];
    expect(Object.keys(parsed[0] ?? {})).toEqual([...FOCUS_WRITE_COLUMNS]);
    expect(parsed).toHaveLength(short.records.length);
    parsed.forEach((row, i) => {
      const r = short.records[i]!;
      expect(Number(row.EffectiveCost)).toBe(r.effectiveCost);
      expect(Number(row.ListCost)).toBe(r.listCost);
      expect(
        row.PricingQuantity === '' || row.PricingQuantity === 'NULL' ? undefined : Number(row.PricingQuantity),
      ).toBe(r.pricingQuantity);
    });
  });
});
