// Issue 16, acceptance 1 and 4: a budget on a tag scope over the sample (the eval's FOCUS file, the built-in sample
// written out), set and read through the turn handler as a Slack user; spent-to-date and forecast equal what this
// test computes from the FOCUS file by the forecast's stated method (docs/budgets.md#status); bad input is refused
// naming the problem, and nothing is saved.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { type AppDeps, createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { EVAL_DAY, EVAL_FIXTURE, evalFixtureRows } from '../eval/eval-fixture.js';
import { testDataDir } from '../support/data-dir.js';
import { expectedFocusSums, type FocusRow, focusUtcDay } from '../support/focus-oracle.js';

const POLICY = `approvals:
  people:
    alice: { slack: U0ALICE }
    bob: { slack: U0BOB }
access:
  admins: [alice]
budgets:
  - { name: ml-fixed, amount: 5000 USD, scope: { tags: { team: ml } }, owners: [bob] }
`;

let deps: AppDeps;
beforeAll(async () => {
  const dir = testDataDir();
  const policyFile = join(dir, 'policy.yml');
  writeFileSync(policyFile, POLICY);
  deps = await createDeps(loadConfig({ TALLY_TODAY: EVAL_DAY, TALLY_DATA_DIR: dir, TALLY_POLICY_FILE: policyFile }), {
    focusPath: EVAL_FIXTURE,
    clock: fixedClock(new Date(`${EVAL_DAY}T12:00:00Z`)),
    logger: createPinoLogger({ level: 'silent' }),
  });
}, 120_000);
afterAll(async () => {
  await deps?.close();
});

/** A line typed by a Slack user in channel C0PAY. */
const say = (text: string, user = 'U0ALICE'): Promise<Reply> =>
  deps.turns.handle({ user: { id: user }, location: { platform: 'slack', channel: 'C0PAY', thread: 't' }, text });

// What the test reads from the FOCUS file itself (csv-parse, not Tally's reader).
const DAY = 86_400_000;
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to); t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
const team = (r: FocusRow) => (JSON.parse(r.Tags ?? '{}') as Record<string, string>).team ?? '';
const MONTHLY = new Set(['Tax', 'Purchase']);

/** Per day: the payments team's USD effective cost, usage-like and per monthly charge category. */
function paymentsDays(): { usage: Map<string, number>; monthly: Map<string, Map<string, number>> } {
  const usage = new Map<string, number>();
  const monthly = new Map<string, Map<string, number>>();
  for (const r of evalFixtureRows()) {
    if (team(r) !== 'payments' || r.BillingCurrency !== 'USD') continue;
    const day = focusUtcDay(r.ChargePeriodStart ?? '');
    const charge = r.ChargeCategory ?? '';
    const into = MONTHLY.has(charge) ? (monthly.get(charge) ?? monthly.set(charge, new Map()).get(charge)!) : usage;
    into.set(day, (into.get(day) ?? 0) + Number(r.EffectiveCost));
  }
  return { usage, monthly };
}
const sum = (m: Map<string, number>, from: string, to: string) =>
  [...m].filter(([d]) => d >= from && d <= to).reduce((s, [, v]) => s + v, 0);

describe('a budget on tag:team=payments over the sample', () => {
  it('is set from chat, then answers spent so far and the forecast the FOCUS file gives by the stated method', async () => {
    const set = await say('budget set payments-team 12000 USD monthly for tag:team=payments owner @alice in #payments');
    expect(set.kind).toBe('answer');
    expect(set.data).toMatchObject({ created: true, budget: { name: 'payments-team', channel: 'payments' } });

    const r = await say('budget payments-team');
    expect(r.kind).toBe('answer');
    const data = r.data as Record<string, number | string | { low: number; high: number }>;
    // The sample ends the day before today; that is the last day of actuals.
    const through = '2026-06-09';
    expect(data.through).toBe(through);
    expect(data.period).toEqual({ key: '2026-06', from: '2026-06-01', to: '2026-06-30' });

    // Spent so far: the exact sum of the rows tagged team=payments, in USD, from the 1st through the 9th.
    const spent = expectedFocusSums(evalFixtureRows(), {
      from: '2026-06-01',
      to: through,
      amount: 'EffectiveCost',
      key: (x) => `${team(x)}`,
    });
    // Amounts rounded to the cent (expectedFocusSums sums the decimals exactly, then rounds).
    const spentNow = spent.get('USD')?.get('payments') ?? 0;
    expect(data.spent).toBe(spentNow);

    // The forecast: June's usage so far, plus each remaining day at its weekday's mean over the four weeks ending on
    // the 9th, plus the monthly charges May had and June has not (tax scaled by June's usage against May's).
    const { usage, monthly } = paymentsDays();
    const basis = days('2026-05-13', through);
    const mean = (d: string) => {
      const same = basis.filter((b) => (dayMs(b) - dayMs(d)) % (7 * DAY) === 0);
      return same.reduce((s, b) => s + (usage.get(b) ?? 0), 0) / same.length;
    };
    const usageForecast =
      sum(usage, '2026-06-01', through) + days('2026-06-10', '2026-06-30').reduce((s, d) => s + mean(d), 0);
    const usageMay = sum(usage, '2026-05-01', '2026-05-31');
    let forecast = usageForecast;
    for (const [charge, byDay] of monthly) {
      const sofar = sum(byDay, '2026-06-01', through);
      const before = sum(byDay, '2026-05-01', '2026-05-31') * (charge === 'Tax' ? usageForecast / usageMay : 1);
      forecast += Math.abs(before) > Math.abs(sofar) ? before : sofar;
    }
    expect(monthly.get('Purchase')?.size ?? 0).toBeGreaterThan(0); // the sample's savings plan fees are monthly
    expect(data.forecast as number).toBeCloseTo(forecast, 2);
    const range = data.range as { low: number; high: number };
    expect(range.low).toBeLessThanOrEqual(data.forecast as number);
    expect(range.high).toBeGreaterThanOrEqual(data.forecast as number);
    expect(r.footnote).toContain('same weekday');

    // The figures derived from them.
    expect(data.usedRatio as number).toBeCloseTo(spentNow / 12000, 6);
    expect(data.forecastRatio as number).toBeCloseTo(forecast / 12000, 4);
    expect(data.daysLeft).toBe(21); // the 10th through the 30th
    expect(data.daysToCome).toBe(21);
    expect(data.neededPerDay as number).toBeCloseTo(Math.max(0, (12000 - spentNow) / 21), 2);
    expect(data.state).toBe(spentNow > 12000 ? 'over' : forecast > 12000 ? 'at-risk' : 'fine');

    // The chart: cumulative spend through the 9th, the budget line, and the forecast to the 30th.
    expect(r.chart?.kind).toBe('lines');
    const [actual, line, projected] = r.chart!.series;
    expect(actual!.values[8]).toBeCloseTo(spentNow, 2);
    expect(Number.isNaN(actual!.values[9])).toBe(true);
    expect(line!.values.every((v) => v === 12000)).toBe(true);
    expect(projected!.values.at(-1)).toBeCloseTo(forecast, 2);
  });

  it('lists it with the policy file budget, and keeps the policy one read-only from chat', async () => {
    const list = await say('budgets');
    const names = (list.data as { budgets: { name: string; origin: string }[] }).budgets.map((b) => [b.name, b.origin]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['payments-team', 'chat'],
        ['ml-fixed', 'policy'],
      ]),
    );
    const change = await say('budget set ml-fixed 9000 USD for tag:team=ml');
    expect(change.data).toMatchObject({ saved: false, reason: 'POLICY_BUDGET' });
    expect((await say('budget ml-fixed')).context).toContain('Defined in the policy file: change it there');
  });
});

describe('bad budget input is refused, naming the problem, and nothing is saved', () => {
  const refused = async (line: string, code: string, named: string) => {
    const before = ((await say('budgets')).data as { budgets: unknown[] }).budgets.length;
    const r = await say(line);
    expect(r.kind).toBe('notice');
    const problems = (r.data as { saved: boolean; problems: { code: string; message: string }[] }).problems;
    expect(problems.map((p) => p.code)).toEqual([code]);
    expect(problems[0]!.message).toContain(named);
    expect(((await say('budgets')).data as { budgets: unknown[] }).budgets).toHaveLength(before);
    const name = line.split(' ')[2]!;
    expect((await say(`budget ${name}`)).data).toMatchObject({ reason: 'NOT_FOUND' });
  };

  it('an unknown tag key', () =>
    refused('budget set bad-tag 100 USD for tag:teem=payments', 'UNKNOWN_TAG_KEY', 'teem'));
  it('an amount without a currency', () =>
    refused('budget set no-currency 12000 monthly for tag:team=payments', 'CURRENCY_MISSING', '12000'));
  it('an owner who does not exist', () =>
    refused('budget set no-owner 100 USD for tag:team=payments owner @zed', 'UNKNOWN_OWNER', '@zed'));
  it('a threshold of 0', () =>
    refused('budget set zero 100 USD for tag:team=payments thresholds 0 80', 'THRESHOLD_OUT_OF_RANGE', '0%'));
  it('a threshold above 1,000%', () =>
    refused('budget set huge 100 USD for tag:team=payments forecast 1001', 'THRESHOLD_OUT_OF_RANGE', '1001%'));

  it('a budget set by someone who is no budget admin', async () => {
    const r = await say('budget set bobs 100 USD for tag:team=payments', 'U0BOB');
    expect(r.data).toMatchObject({ saved: false, reason: 'NOT_ALLOWED' });
    expect((await say('budget bobs')).data).toMatchObject({ reason: 'NOT_FOUND' });
  });
});
