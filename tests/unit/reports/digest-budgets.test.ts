import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import { MemoryBudgetRepository } from '../../../adapters/memory/memory-budget.repository.js';
import { BudgetService } from '../../../src/budgets/budget.service.js';
import type { Budget } from '../../../src/budgets/budget.types.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { DigestService } from '../../../src/reports/digest.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { eachDay } from '../../../src/shared/day.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

// Today is 2026-06-10; account 111 costs 100 USD every day from 2026-05-01 through yesterday, account 222 50 USD. So
// June's spend so far is 9 × 100 for 111, and its forecast 30 × 100 (every weekday's mean is 100).
const TODAY = '2026-06-10';
const clock = fixedClock(new Date(`${TODAY}T08:00:00Z`));

function budget(name: string, amount: number, account?: string): Budget {
  return {
    name,
    filter: account ? { subAccountIds: [account] } : {},
    metric: 'effective',
    period: 'monthly',
    amount,
    currency: 'USD',
    owners: [],
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    origin: 'policy',
    updatedBy: 'test',
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
}

async function digests() {
  const repo = await testCostRepository();
  const days = eachDay('2026-05-01', '2026-06-09');
  await repo.replaceRollups(
    'fixture',
    { from: days[0]!, to: days.at(-1)! },
    days.flatMap((d) => [
      testRollup(d, 'EC2', 100, { source: 'fixture', subAccountId: '111', subAccountName: 'one' }),
      testRollup(d, 'EC2', 50, { source: 'fixture', subAccountId: '222', subAccountName: 'two' }),
    ]),
  );
  const costs = new CostQueryService(repo);
  const forecast = new ForecastService(costs);
  const budgets = new BudgetService({
    repo: new MemoryBudgetRepository(),
    policyBudgets: [
      budget('over', 800, '111'),
      budget('risk', 2000, '111'),
      budget('fine', 5000, '111'),
      budget('everything', 100_000),
    ],
    costs,
    forecast,
    store: repo,
    clock,
    fiscalYearStart: 1,
    tagKeys: async () => [],
    people: [],
    mayEdit: async () => false,
  });
  return new DigestService({
    costs,
    forecast,
    approvals: new MemoryApprovalRepository(),
    savings: null,
    anomalies: async () => [],
    budgets: async (scope) => (await budgets.statuses(await budgets.list(scope))).map((s) => s.status),
    clock,
  });
}

describe('the digest budgets section', () => {
  it('lists the budgets over, at risk and within, each with its spend, amount and forecast', async () => {
    const reply = await (await digests()).build();
    expect(reply.text).toContain('Budgets: 1 over, 1 at risk, 2 within budget.');
    const field = (label: string) => reply.fields?.find((f) => f.label === label)?.value;
    expect(field('Budgets over')).toBe(
      'over: 900.00 USD of 800.00 USD (112.5%), forecast 3,000.00 USD (375.0%) — June 2026',
    );
    expect(field('Budgets at risk (forecast over)')).toBe(
      'risk: 900.00 USD of 2,000.00 USD (45.0%), forecast 3,000.00 USD (150.0%) — June 2026',
    );
    // All costs: both accounts, 9 × 150 so far and 30 × 150 forecast.
    expect(field('Budgets within')).toBe(
      [
        'everything: 1,350.00 USD of 100,000.00 USD (1.4%), forecast 4,500.00 USD (4.5%) — June 2026',
        'fine: 900.00 USD of 5,000.00 USD (18.0%), forecast 3,000.00 USD (60.0%) — June 2026',
      ].join('\n'),
    );
    expect(reply.data?.budgets).toContainEqual(
      expect.objectContaining({ name: 'over', state: 'over', spent: 900, amount: 800, forecast: 3000 }),
    );
  });

  it("shows a channel's digest only the budgets whose whole scope it may see", async () => {
    const reply = await (await digests()).build({ scope: { subAccountIds: ['111'] } });
    expect(reply.text).toContain('Budgets: 1 over, 1 at risk, 1 within budget.');
    expect(JSON.stringify(reply.fields)).not.toContain('everything');
  });
});
