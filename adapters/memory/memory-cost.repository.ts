import type { AggregateQuery, AggregateRow } from '../../src/costs/cost-query.types.js';
import type { DailyRollup } from '../../src/costs/cost-record.types.js';
import type { AccountName, CostRepository } from '../../src/costs/cost-repository.port.js';
import { dimensionValue, matchesFilter } from '../../src/costs/rollup-fields.js';
import type { Day } from '../../src/shared/day.js';
import { CompensatedSum } from '../../src/shared/money.js';

interface Group {
  keys: string[];
  day?: Day;
  currency: string;
  billed: CompensatedSum;
  effective: CompensatedSum;
  list: CompensatedSum;
  rows: number;
}

/** The embedded store used when `MONGODB_URI` is unset: rollups kept per day in memory. */
export class MemoryCostRepository implements CostRepository {
  private readonly byDay = new Map<Day, DailyRollup[]>();
  private sortedDays: Day[] | null = null;

  async replaceRollups(source: string, range: { from: Day; to: Day }, rollups: DailyRollup[]): Promise<void> {
    for (const [day, list] of this.byDay) {
      if (day < range.from || day > range.to) continue;
      const kept = list.filter((r) => r.source !== source);
      if (kept.length === 0) this.byDay.delete(day);
      else this.byDay.set(day, kept);
    }
    for (const r of rollups) {
      if (r.source !== source || r.day < range.from || r.day > range.to) continue;
      const list = this.byDay.get(r.day);
      const copy = { ...r, tags: r.tags.map((t) => ({ ...t })) };
      if (list) list.push(copy);
      else this.byDay.set(r.day, [copy]);
    }
    this.sortedDays = null;
  }

  /** Adds rollups as they are (a bulk load of a stored snapshot, in write order); no replace semantics. */
  load(rollups: Iterable<DailyRollup>): void {
    for (const r of rollups) {
      const list = this.byDay.get(r.day);
      if (list) list.push(r);
      else this.byDay.set(r.day, [r]);
    }
    this.sortedDays = null;
  }

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    const groups = new Map<string, Group>();
    for (const day of this.days()) {
      if (day < query.from || day > query.to) continue;
      for (const r of this.byDay.get(day) ?? []) {
        if (!matchesFilter(r, query.filter)) continue;
        const keys = query.groupBy.map((d) => dimensionValue(r, d));
        const id = `${keys.join('\u0000')}\u0001${query.byDay ? r.day : ''}\u0001${r.currency}`;
        let g = groups.get(id);
        if (!g) {
          g = {
            keys,
            currency: r.currency,
            billed: new CompensatedSum(),
            effective: new CompensatedSum(),
            list: new CompensatedSum(),
            rows: 0,
          };
          if (query.byDay) g.day = r.day;
          groups.set(id, g);
        }
        g.billed.add(r.billed);
        g.effective.add(r.effective);
        g.list.add(r.list);
        g.rows += r.rows;
      }
    }
    return [...groups.values()].map((g) => ({
      keys: g.keys,
      ...(g.day ? { day: g.day } : {}),
      currency: g.currency,
      billed: g.billed.value,
      effective: g.effective.value,
      list: g.list.value,
      rows: g.rows,
    }));
  }

  async dataRange(): Promise<{ from: Day; to: Day } | null> {
    const days = this.days();
    const first = days[0];
    const last = days[days.length - 1];
    return first && last ? { from: first, to: last } : null;
  }

  async accounts(): Promise<AccountName[]> {
    const seen = new Map<string, AccountName>();
    for (const day of this.days()) {
      for (const r of this.byDay.get(day) ?? []) {
        seen.set(r.subAccountId, {
          subAccountId: r.subAccountId,
          subAccountName: r.subAccountName,
          provider: r.provider,
        });
      }
    }
    return [...seen.values()].sort((a, b) => a.subAccountId.localeCompare(b.subAccountId));
  }

  async tagKeys(): Promise<string[]> {
    const keys = new Set<string>();
    for (const list of this.byDay.values()) for (const r of list) for (const t of r.tags) keys.add(t.key);
    return [...keys].sort();
  }

  private days(): Day[] {
    if (!this.sortedDays) this.sortedDays = [...this.byDay.keys()].sort();
    return this.sortedDays;
  }
}
