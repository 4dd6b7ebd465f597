import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import type { Anomaly } from '../../../src/anomalies/anomaly.types.js';
import type { Approval } from '../../../src/approvals/approval.types.js';
import { SavingsService } from '../../../src/approvals/savings.service.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import type { DailyRollup } from '../../../src/costs/cost-record.types.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { DigestService } from '../../../src/reports/digest.service.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { type Day, eachDay } from '../../../src/shared/day.js';
import { testApproval } from '../../support/approvals.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

// Today is Wednesday 2026-06-10: the last complete week is Monday 2026-06-01 to Sunday 2026-06-07, the week before
// 2026-05-25 to 2026-05-31, last month is May. Data runs from 2026-05-01 to yesterday, 2026-06-09.
const TODAY = '2026-06-10';
const WEEK = eachDay('2026-06-01', '2026-06-07');
const WEEK_BEFORE = eachDay('2026-05-25', '2026-05-31');
const DATA_DAYS = eachDay('2026-05-01', '2026-06-09');
const EC2 = 'Amazon Elastic Compute Cloud';
const ACCOUNT = '123456789012';

interface Line {
  service: string;
  account: string;
  currency: string;
  /** The cost of the line on a day (0 = no rollup that day). */
  amount: (day: Day) => number;
}

const inWeekOrLater = (day: Day) => day >= '2026-06-01';
const weekend = (day: Day) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** The fixture: every line's daily cost as a formula, so the test can sum it without Tally's code. */
const LINES: Line[] = [
  {
    service: 'EC2',
    account: '111',
    currency: 'USD',
    amount: (d) => (inWeekOrLater(d) ? 130 : 100) * (weekend(d) ? 0.5 : 1),
  },
  { service: 'S3', account: '111', currency: 'USD', amount: (d) => (inWeekOrLater(d) ? 18.35 : 20.1) },
  { service: 'RDS', account: '111', currency: 'USD', amount: () => 50 },
  { service: 'Lambda', account: '111', currency: 'USD', amount: (d) => (inWeekOrLater(d) ? 9.25 : 5) },
  { service: 'CloudFront', account: '111', currency: 'USD', amount: (d) => (inWeekOrLater(d) ? 3.5 : 3) },
  { service: 'Glue', account: '111', currency: 'USD', amount: (d) => (inWeekOrLater(d) ? 12 : 0) },
  { service: 'Athena', account: '111', currency: 'USD', amount: (d) => (inWeekOrLater(d) ? 0 : 7) },
  // The action's slice (see `savings`): 10 a day until it ran on 2026-06-03, 4 a day after.
  {
    service: EC2,
    account: ACCOUNT,
    currency: 'USD',
    amount: (d) => (d < '2026-06-03' ? 10 : d === '2026-06-03' ? 7 : 4),
  },
  { service: 'Virtual Machines', account: 'eu-1', currency: 'EUR', amount: (d) => (inWeekOrLater(d) ? 55.55 : 40) },
  { service: 'Storage', account: 'eu-1', currency: 'EUR', amount: () => 10 },
];

function rollups(): DailyRollup[] {
  return DATA_DAYS.flatMap((day) =>
    LINES.filter((l) => l.amount(day) !== 0).map((l) =>
      testRollup(day, l.service, l.amount(day), {
        source: 'fixture',
        subAccountId: l.account,
        subAccountName: l.account,
        currency: l.currency,
      }),
    ),
  );
}

/** Σ of the fixture over days, per currency, optionally per service or for one account. */
function sum(days: Day[], currency: string, pick: (l: Line) => boolean = () => true): number {
  let total = 0;
  for (const l of LINES) if (l.currency === currency && pick(l)) for (const d of days) total += l.amount(d);
  return total;
}

function anomaly(id: string, day: Day, impact: number, o: Partial<Anomaly> = {}): Anomaly {
  return {
    id,
    day,
    dimension: 'service',
    key: 'EC2',
    label: 'EC2',
    provider: 'AWS',
    currency: 'USD',
    actual: 100 + impact,
    expected: 100,
    impact,
    relative: impact / 100,
    direction: impact > 0 ? 'spike' : 'drop',
    severity: 'high',
    contributors: [{ dimension: 'region', key: 'us-east-1', label: 'us-east-1', impact }],
    ...o,
  };
}

const ANOMALIES: Anomaly[] = [
  anomaly('a1', '2026-06-02', 40),
  anomaly('a2', '2026-06-03', -90),
  anomaly('a3', '2026-06-04', 15),
  anomaly('a4', '2026-06-05', 300, { dimension: 'account', key: ACCOUNT, label: `prod (${ACCOUNT})` }),
  anomaly('a5', '2026-06-06', 60, { currency: 'EUR', provider: 'Microsoft', key: 'Virtual Machines' }),
  anomaly('a6', '2026-06-07', -5),
  anomaly('a7', '2026-06-01', 75, { dimension: 'account', key: '999', label: 'other (999)' }),
  // Outside the week: never shown, even if the source returns them.
  anomaly('old', '2026-05-31', 5000),
];

function approval(id: string, savings: number, o: Partial<Approval> = {}, accountId = ACCOUNT): Approval {
  const a = testApproval({ id, createdAt: '2026-06-05T10:00:00.000Z', ...o });
  return { ...a, action: { ...a.action, monthlySavings: savings, target: { ...a.action.target, accountId } } };
}

async function setup() {
  const repo = await testCostRepository();
  await repo.replaceRollups('fixture', { from: DATA_DAYS[0]!, to: DATA_DAYS.at(-1)! }, rollups());
  const approvals = new MemoryApprovalRepository();
  for (const a of [
    approval('apr_p1', 20),
    approval('apr_p2', 75.5),
    approval('apr_p3', 12.25, {}, '999'),
    approval('apr_p4', 40),
    approval('apr_r1', 500, { state: 'REJECTED' }),
    approval('apr_done', 300, {
      state: 'SUCCEEDED',
      execution: {
        startedAt: '2026-06-03T10:00:00.000Z',
        finishedAt: '2026-06-03T10:01:00.000Z',
        outcome: 'SUCCEEDED',
        steps: ['stopped'],
        attempts: 1,
      },
    }),
  ])
    await approvals.create(a);
  const clock = fixedClock(new Date(`${TODAY}T07:00:00Z`));
  const costs = new CostQueryService(repo);
  const asked: { from: Day; to: Day }[] = [];
  const service = new DigestService({
    costs,
    forecast: new ForecastService(costs),
    approvals,
    savings: new SavingsService({ approvals, costs: repo, clock }),
    anomalies: async (range) => {
      asked.push(range);
      return ANOMALIES;
    },
    clock,
  });
  return { service, asked, approvals };
}

interface CurrencyData {
  currency: string;
  total: number;
  previous: number;
  change: number;
  ratio: number | null;
  movers: { key: string; current: number; previous: number; change: number; status: string }[];
}

describe('DigestService.build (weekly)', () => {
  it('totals the last complete week per currency and compares it with the week before', async () => {
    const { service } = await setup();
    const reply = await service.build();
    const data = reply.data as { period: { from: string; to: string }; currencies: CurrencyData[] };
    expect(data.period).toMatchObject({ from: '2026-06-01', to: '2026-06-07' });
    expect(data.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    for (const c of data.currencies) {
      const total = sum(WEEK, c.currency);
      const previous = sum(WEEK_BEFORE, c.currency);
      expect(c.total).toBeCloseTo(total, 2);
      expect(c.previous).toBeCloseTo(previous, 2);
      expect(c.change).toBeCloseTo(total - previous, 2);
      expect(c.ratio).toBeCloseTo((total - previous) / previous, 10);
    }
    expect(reply.kind).toBe('answer');
    expect(reply.visibility).toBe('channel');
    expect(reply.fields?.map((f) => f.label)).toEqual(expect.arrayContaining(['Total (EUR)', 'Total (USD)']));
  });

  it('shows the top 5 movers by service, largest change first, new and gone included', async () => {
    const { service } = await setup();
    const usd = ((await service.build()).data as { currencies: CurrencyData[] }).currencies.find(
      (c) => c.currency === 'USD',
    )!;
    const names = [...new Set(LINES.filter((l) => l.currency === 'USD').map((l) => l.service))];
    const expected = names
      .map((key) => {
        const current = sum(WEEK, 'USD', (l) => l.service === key);
        const previous = sum(WEEK_BEFORE, 'USD', (l) => l.service === key);
        return { key, current, previous, change: current - previous };
      })
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
      .slice(0, 5);
    expect(usd.movers.map((m) => m.key)).toEqual(expected.map((e) => e.key));
    usd.movers.forEach((m, i) => {
      expect(m.current).toBeCloseTo(expected[i]!.current, 2);
      expect(m.previous).toBeCloseTo(expected[i]!.previous, 2);
      expect(m.change).toBeCloseTo(expected[i]!.change, 2);
    });
    expect(usd.movers.find((m) => m.key === 'Glue')?.status).toBe('new');
    expect(usd.movers.find((m) => m.key === 'Athena')?.status).toBe('gone');
  });

  it('forecasts the month end and compares it with last month', async () => {
    const { service } = await setup();
    const f = ((await service.build()).data as { forecast: Record<string, unknown> }).forecast as {
      month: { from: string; to: string };
      currencies: { currency: string; actual: number; forecast: number; lastMonth: number; ratio: number }[];
    };
    expect(f.month).toMatchObject({ from: '2026-06-01', to: '2026-06-30' });
    // Actual June 1–9, then each remaining day at the mean of its weekday over the four weeks before today.
    const basis = eachDay('2026-05-13', '2026-06-09');
    for (const c of f.currencies) {
      const actual = sum(eachDay('2026-06-01', '2026-06-09'), c.currency);
      let projected = actual;
      for (const d of eachDay(TODAY, '2026-06-30')) {
        const same = basis.filter(
          (b) => new Date(`${b}T00:00:00Z`).getUTCDay() === new Date(`${d}T00:00:00Z`).getUTCDay(),
        );
        expect(same).toHaveLength(4);
        projected += same.reduce((s, b) => s + sum([b], c.currency), 0) / 4;
      }
      const lastMonth = sum(eachDay('2026-05-01', '2026-05-31'), c.currency);
      expect(c.actual).toBeCloseTo(actual, 2);
      expect(c.forecast).toBeCloseTo(projected, 2);
      expect(c.lastMonth).toBeCloseTo(lastMonth, 2);
      expect(c.ratio).toBeCloseTo((projected - lastMonth) / lastMonth, 6);
    }
  });

  it("lists the week's 5 largest anomalies by |impact|, asking for the week only", async () => {
    const { service, asked } = await setup();
    const reply = await service.build();
    const a = (reply.data as { anomalies: { total: number; shown: { id: string; impact: number }[] } }).anomalies;
    expect(asked).toEqual([{ from: '2026-06-01', to: '2026-06-07' }]);
    expect(a.total).toBe(7);
    expect(a.shown.map((x) => x.id)).toEqual(['a4', 'a2', 'a7', 'a5', 'a1']);
    expect(reply.items?.filter((i) => i.title.startsWith('Anomaly')).length).toBe(5);
  });

  it('counts pending approvals and shows the 3 that save most, with a Details button', async () => {
    const { service } = await setup();
    const reply = await service.build();
    const p = (reply.data as { approvals: { pending: number; estimatedMonthly: number; shown: { id: string }[] } })
      .approvals;
    expect(p.pending).toBe(4);
    expect(p.estimatedMonthly).toBeCloseTo(20 + 75.5 + 12.25 + 40, 2);
    expect(p.shown.map((x) => x.id)).toEqual(['apr_p2', 'apr_p4', 'apr_p1']);
    const buttons = reply.items?.flatMap((i) => (i.button ? [i.button] : []));
    expect(buttons).toEqual(
      ['apr_p2', 'apr_p4', 'apr_p1'].map((value) => expect.objectContaining({ actionId: ACTIONS.DETAILS, value })),
    );
  });

  it('reports realised savings from the ledger', async () => {
    const { service } = await setup();
    const s = ((await service.build()).data as { savings: Record<string, number> }).savings;
    // Executed 2026-06-03; data through 2026-06-09: 6 days × (10 − 4), under the cap 300 × 6 / (730 / 24).
    expect(s).toMatchObject({ executed: 1, executedInPeriod: 1, waiting: 0, realised: 36, estimatedMonthly: 300 });
  });

  it('draws the daily trend of the week by service, in the largest currency', async () => {
    const { service } = await setup();
    const chart = (await service.build()).chart!;
    expect(chart).toMatchObject({ kind: 'trend', currency: 'USD', labels: WEEK });
    expect(chart.series.length).toBeLessThanOrEqual(6);
    WEEK.forEach((day, i) => {
      const drawn = chart.series.reduce((s, series) => s + (series.values[i] ?? 0), 0);
      expect(drawn).toBeCloseTo(sum([day], 'USD'), 6);
    });
  });

  it('in a scoped channel counts only what the channel may see', async () => {
    const { service } = await setup();
    const reply = await service.build({ scope: { subAccountIds: [ACCOUNT] } });
    const data = reply.data as {
      currencies: CurrencyData[];
      anomalies: { total: number; shown: { id: string }[] };
      approvals: { pending: number; shown: { id: string }[] };
      savings: { executed: number };
    };
    expect(data.currencies.map((c) => c.currency)).toEqual(['USD']);
    expect(data.currencies[0]!.total).toBeCloseTo(
      sum(WEEK, 'USD', (l) => l.account === ACCOUNT),
      2,
    );
    // Only the anomaly of the account itself: service and total anomalies sum accounts the channel may not see.
    expect(data.anomalies.shown.map((a) => a.id)).toEqual(['a4']);
    expect(data.approvals.pending).toBe(3);
    expect(data.approvals.shown.map((a) => a.id)).not.toContain('apr_p3');
    expect(data.savings.executed).toBe(1);
    expect(reply.context?.at(-1)).toMatch(ACCOUNT);
  });

  it('says so when there is no cost data for the week', async () => {
    const { service } = await setup();
    const reply = await service.build({ today: '2027-03-10' });
    expect((reply.data as { currencies: unknown[] }).currencies).toEqual([]);
    expect(reply.tables).toEqual([]);
    expect(reply.chart).toBeUndefined();
  });
});

describe('DigestService.build (daily)', () => {
  it('compares yesterday with the same weekday a week before and charts the last 7 days', async () => {
    const { service, asked } = await setup();
    const reply = await service.build({ cadence: 'daily' });
    const data = reply.data as {
      period: { from: string; to: string };
      previous: { from: string };
      currencies: CurrencyData[];
    };
    expect(data.period).toMatchObject({ from: '2026-06-09', to: '2026-06-09' });
    expect(data.previous).toMatchObject({ from: '2026-06-02' });
    expect(asked).toEqual([{ from: '2026-06-09', to: '2026-06-09' }]);
    for (const c of data.currencies) {
      expect(c.total).toBeCloseTo(sum(['2026-06-09'], c.currency), 2);
      expect(c.previous).toBeCloseTo(sum(['2026-06-02'], c.currency), 2);
    }
    expect(reply.chart?.labels).toEqual(eachDay('2026-06-03', '2026-06-09'));
    expect(reply.title).toMatch(/^Daily/);
  });
});
