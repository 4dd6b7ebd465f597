import type { Day } from '../shared/day.js';
import { CompensatedSum } from '../shared/money.js';
import type { CostRecord, DailyRollup, Tag } from './cost-record.types.js';

interface Accumulator {
  rollup: DailyRollup;
  billed: CompensatedSum;
  effective: CompensatedSum;
  list: CompensatedSum;
}

/** The UTC day of a record (the day of ChargePeriodStart, DESIGN §3). */
export function recordDay(r: CostRecord): Day {
  return r.chargePeriodStart.toISOString().slice(0, 10);
}

/** Sums cost records into daily rollups for one source, with compensated sums, and keeps per-currency totals. */
export class RollupBuilder {
  private readonly groups = new Map<string, Accumulator>();
  private first: Day | null = null;
  private last: Day | null = null;
  private readonly dayCache = new Map<number, Day>();

  constructor(private readonly source: string) {}

  add(r: CostRecord): void {
    const day = this.dayOf(r.chargePeriodStart);
    if (this.first === null || day < this.first) this.first = day;
    if (this.last === null || day > this.last) this.last = day;
    const id = this.keyOf(day, r);
    let acc = this.groups.get(id);
    if (!acc) {
      acc = {
        rollup: this.newRollup(r, day),
        billed: new CompensatedSum(),
        effective: new CompensatedSum(),
        list: new CompensatedSum(),
      };
      this.groups.set(id, acc);
    }
    acc.billed.add(r.billedCost);
    acc.effective.add(r.effectiveCost);
    acc.list.add(r.listCost);
    acc.rollup.rows += 1;
  }

  /**
   * A short key for (day, every dimension, tag set) built from small integer ids of the values: much cheaper than
   * concatenating the values themselves, and collision-free because each id names one distinct value.
   */
  private keyOf(day: Day, r: CostRecord): string {
    const v = this.valueId;
    return `${v(day)},${v(r.provider)},${v(r.billingAccountId)},${v(r.subAccountId)},${v(r.subAccountName)},${v(r.serviceName)},${v(r.serviceCategory)},${v(r.region)},${v(r.chargeCategory)},${v(r.currency)},${this.tagSetId(r.tags)}`;
  }

  private readonly valueIds = new Map<string, number>();
  private readonly valueId = (value: string): number => {
    let id = this.valueIds.get(value);
    if (id === undefined) {
      id = this.valueIds.size;
      this.valueIds.set(value, id);
    }
    return id;
  };

  private readonly tagSetIds = new WeakMap<readonly Tag[], number>();
  private readonly tagSetByKey = new Map<string, number>();

  /** Tag arrays are shared per distinct FOCUS Tags value by the row mapper; equal sets from elsewhere get one id too. */
  private tagSetId(tags: readonly Tag[]): number {
    let id = this.tagSetIds.get(tags);
    if (id === undefined) {
      const key = tags.map((t) => `${t.key}\u0001${t.value}`).join('\u0002');
      id = this.tagSetByKey.get(key);
      if (id === undefined) {
        id = this.tagSetByKey.size;
        this.tagSetByKey.set(key, id);
      }
      this.tagSetIds.set(tags, id);
    }
    return id;
  }

  /** UTC day of an instant, cached per epoch day: millions of rows share a few hundred days. */
  private dayOf(d: Date): Day {
    const n = Math.floor(d.getTime() / 86_400_000);
    let day = this.dayCache.get(n);
    if (day === undefined) {
      day = d.toISOString().slice(0, 10);
      this.dayCache.set(n, day);
    }
    return day;
  }

  private newRollup(r: CostRecord, day: Day): DailyRollup {
    return {
      source: this.source,
      day,
      provider: r.provider,
      billingAccountId: r.billingAccountId,
      subAccountId: r.subAccountId,
      subAccountName: r.subAccountName,
      serviceName: r.serviceName,
      serviceCategory: r.serviceCategory,
      region: r.region,
      chargeCategory: r.chargeCategory,
      currency: r.currency,
      tags: r.tags,
      billed: 0,
      effective: 0,
      list: 0,
      rows: 0,
    };
  }

  range(): { from: Day; to: Day } | null {
    return this.first && this.last ? { from: this.first, to: this.last } : null;
  }

  rollups(): DailyRollup[] {
    return [...this.groups.values()].map((a) => ({
      ...a.rollup,
      billed: a.billed.value,
      effective: a.effective.value,
      list: a.list.value,
    }));
  }

  /** Billed and effective totals per currency, summed from the rollups' compensated sums. */
  currencyTotals(): { currency: string; billed: number; effective: number }[] {
    const totals = new Map<string, { billed: CompensatedSum; effective: CompensatedSum }>();
    for (const a of this.groups.values()) {
      let t = totals.get(a.rollup.currency);
      if (!t) {
        t = { billed: new CompensatedSum(), effective: new CompensatedSum() };
        totals.set(a.rollup.currency, t);
      }
      t.billed.add(a.billed.value);
      t.effective.add(a.effective.value);
    }
    return [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, billed: t.billed.value, effective: t.effective.value }));
  }
}
