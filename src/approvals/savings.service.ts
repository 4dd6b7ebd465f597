import type { ActionKind } from '../actions/action.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import { addDays, dayOf } from '../shared/day.js';
import { roundCents, sumAmounts } from '../shared/money.js';
import type { Reply } from '../shared/reply.types.js';
import { money, text } from '../shared/reply.types.js';
import type { Approval } from './approval.types.js';
import type { ApprovalRepository } from './approval-repository.port.js';
import { approvalInScope } from './approval-scope.js';

/** Days before an action that make its baseline, and the most days after it that are counted. */
const BASELINE_DAYS = 14;
const MAX_REALISED_DAYS = 30;
const DAYS_PER_MONTH = 730 / 24;

/** The FOCUS service names an action's cost shows up under (AWS bills EBS under EC2, public IPv4 under VPC). */
const SERVICES: Record<ActionKind, string[]> = {
  stop_instance: ['Amazon Elastic Compute Cloud', 'Amazon EC2'],
  resize_instance: ['Amazon Elastic Compute Cloud', 'Amazon EC2'],
  delete_volume: ['Amazon Elastic Compute Cloud', 'Amazon EC2', 'Amazon Elastic Block Store', 'EC2 - Other'],
  release_address: ['Amazon Virtual Private Cloud', 'Amazon Elastic Compute Cloud', 'Amazon EC2'],
};

/** One executed action in the ledger. */
export interface LedgerEntry {
  approvalId: string;
  summary: string;
  /** The day counted from: the check's that confirmed the new state, else the execution's end. */
  executedOn: string;
  /** What the check after the action found (docs/architecture.md#after-the-action); `not checked` before it existed. */
  verification: 'confirmed' | 'not confirmed' | 'not checked';
  estimatedMonthly: number;
  /** Null until cost data covers at least one day after the action. */
  realised: { amount: number; days: number } | null;
}

/**
 * The savings ledger: estimated savings of approved actions, and realised savings once cost data covers the days
 * after them. Realised savings of an action = the drop of the daily effective cost of its account, region and service
 * (the mean of the 14 days before it against each day after it, up to 30 days), never more than the estimate for
 * those days and never negative. It is an approximation: other changes in the same slice count too.
 */
export class SavingsService {
  constructor(private readonly deps: { approvals: ApprovalRepository; costs: CostRepository; clock: Clock }) {}

  /** The ledger of the actions a viewer's scope allows (all without a scope). */
  async ledger(scope?: ViewScope): Promise<{ entries: LedgerEntry[]; inProgress: Approval[] }> {
    const visible = (list: Approval[]) => list.filter((a) => approvalInScope(a, scope));
    // A batch counts through its items, each an approval of its own; until it runs, the batch stands for them.
    const done = visible(await this.deps.approvals.list({ states: ['SUCCEEDED'], limit: 1000 })).filter(
      (a) => !a.batch,
    );
    const inProgress = visible(
      await this.deps.approvals.list({ states: ['APPROVED', 'EXECUTING'], limit: 1000 }),
    ).filter((a) => !a.batchOf);
    const range = await this.deps.costs.dataRange();
    const entries: LedgerEntry[] = [];
    for (const a of done) {
      const verified = a.execution?.verification;
      const executedOn = dayOf(new Date(savingsStart(a)));
      entries.push({
        approvalId: a.id,
        summary: a.action.summary,
        executedOn,
        verification: verified ? (verified.confirmed ? 'confirmed' : 'not confirmed') : 'not checked',
        estimatedMonthly: a.action.monthlySavings,
        realised: range && range.to > executedOn ? await this.realised(a, executedOn, range.to) : null,
      });
    }
    return { entries, inProgress };
  }

  private async realised(a: Approval, executedOn: string, dataEnd: string) {
    const { target } = a.action;
    const filter = { subAccountIds: [target.accountId], regions: [target.region], services: SERVICES[a.action.kind] };
    const daily = async (from: string, to: string) => {
      const rows = await this.deps.costs.aggregate({
        from,
        to,
        filter,
        groupBy: [],
        byDay: true,
        metrics: ['effective'],
      });
      const byDay = new Map<string, number>();
      for (const r of rows)
        if (r.day && r.currency === a.action.currency) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.effective);
      return byDay;
    };
    const before = await daily(addDays(executedOn, -BASELINE_DAYS), addDays(executedOn, -1));
    const baseline = sumAmounts(before.values()) / BASELINE_DAYS;
    const lastDay = [dataEnd, addDays(executedOn, MAX_REALISED_DAYS)].sort()[0]!;
    const after = await daily(addDays(executedOn, 1), lastDay);
    let days = 0;
    const drops: number[] = [];
    for (let d = addDays(executedOn, 1); d <= lastDay; d = addDays(d, 1)) {
      days++;
      drops.push(baseline - (after.get(d) ?? 0));
    }
    const cap = (a.action.monthlySavings / DAYS_PER_MONTH) * days;
    return { amount: roundCents(Math.max(0, Math.min(cap, sumAmounts(drops)))), days };
  }
}

/**
 * When an action's savings start: when the check after it confirmed the new state (the instance was seen stopped),
 * else when its execution ended (not confirmed, or executed before the check existed).
 */
function savingsStart(a: Approval): string {
  const ex = a.execution;
  return ex?.verification?.confirmed ? ex.verification.at : (ex?.finishedAt ?? a.updatedAt);
}

/** `savings`: the ledger as a reply. */
export function savingsReply(ledger: { entries: LedgerEntry[]; inProgress: Approval[] }, today: string): Reply {
  const { entries, inProgress } = ledger;
  const estimated = roundCents(sumAmounts(entries.map((e) => e.estimatedMonthly)));
  const realised = roundCents(sumAmounts(entries.map((e) => e.realised?.amount ?? 0)));
  const waiting = entries.filter((e) => !e.realised).length;
  return {
    kind: 'answer',
    title: 'Savings from approved actions',
    text:
      entries.length === 0
        ? 'No approved action has been executed yet.'
        : `${entries.length} executed: estimated ${estimated.toFixed(2)} USD per month; realised so far ${realised.toFixed(2)} USD` +
          (waiting ? ` (${waiting} waiting for cost data after the action)` : '') +
          (inProgress.length ? `. ${inProgress.length} approved and not finished yet.` : '.'),
    tables: entries.length
      ? [
          {
            columns: [
              { header: 'Action', align: 'left' },
              { header: 'Executed', align: 'left' },
              { header: 'Estimate / month (USD)', align: 'right' },
              { header: 'Realised (USD)', align: 'right' },
            ],
            rows: entries.map((e) => [
              text(e.summary),
              text(e.verification === 'not confirmed' ? `${e.executedOn} (not confirmed)` : e.executedOn),
              money(e.estimatedMonthly, 'USD'),
              e.realised ? money(e.realised.amount, 'USD') : text('waiting for cost data'),
            ]),
            footer: [text('Total'), text(''), money(estimated, 'USD'), money(realised, 'USD')],
          },
        ]
      : [],
    context: [
      `Realised = drop of daily effective cost of the action's account, region and service against the ${BASELINE_DAYS} days before, capped at the estimate; as of ${today}.`,
    ],
    data: { estimatedMonthly: estimated, realised, entries, inProgress: inProgress.map((a) => a.id) },
    visibility: 'channel',
  };
}
