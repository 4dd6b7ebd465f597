import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { BudgetService } from '../budgets/budget.service.js';
import type { Budget, BudgetCrossing, BudgetRepository } from '../budgets/budget.types.js';
import type { BudgetAlert, BudgetAlertMessages } from '../budgets/budget-alert.types.js';
import { type CrossingAlert, crossingAlerts, crossingId, thresholdsReached } from '../budgets/budget-crossings.js';
import { budgetDrivers, sinceLastAlert } from '../budgets/budget-drivers.js';
import { budgetInvestigateCommand } from '../budgets/budget-investigate.js';
import type { BudgetStatus } from '../budgets/budget-status.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.port.js';
import { budgetAlertTargets } from './budget-alert-routing.js';
import { deliveryId } from './delivery-id.js';
import type { Delivery, NotifyQueue } from './notification.types.js';

/** The ports {@link BudgetAlertService} uses, and nothing else (docs/architecture.md#wiring). */
export interface BudgetAlertServiceDeps {
  /** Every budget (the policy file's and chat's), their statuses and the drivers of their alerts, computed together. */
  budgets: Pick<BudgetService, 'list' | 'batch'>;
  /** Where crossings are recorded, once per budget, period, kind and percent. */
  repo: Pick<BudgetRepository, 'crossings' | 'claimCrossing'>;
  notify: NotifyQueue;
  messages: BudgetAlertMessages;
  /** The people of the policy: owners' Slack and Teams ids, email addresses and phone numbers. */
  people: ApprovalPolicy;
  clock: Clock;
  logger: Logger;
}

/** What one check did. */
export interface BudgetCheckOutcome {
  /** Budgets checked. */
  budgets: number;
  /** Alerts sent (a budget may send one per kind). */
  alerted: number;
  /** Deliveries enqueued for them. */
  deliveries: number;
  /** Budgets past a threshold whose every reached threshold was alerted before. */
  seen: number;
}

/**
 * Budget alerts (docs/budgets.md#alerts): after each sync and daily, every budget's status is computed on its
 * period's data as it is now, and each threshold reached and not recorded for the period is alerted once to the
 * budget's channel and its owners (by direct message; by email and SMS too at 100% of the spend).
 *
 * Never twice: delivery ids are derived from the budget, period, kind and percent, and the notify queue delivers an id
 * once, so the deliveries are enqueued first and the crossing recorded after (`claimCrossing`). A check that dies in
 * between, or runs beside another, enqueues the same ids again, which sends nothing new; a recorded crossing is not
 * looked at again, also after the queue has forgotten its jobs.
 */
export class BudgetAlertService {
  constructor(private readonly deps: BudgetAlertServiceDeps) {}

  /** Checks every budget and alerts the thresholds newly reached. */
  async checkAndAlert(): Promise<BudgetCheckOutcome> {
    const budgets = await this.deps.budgets.list();
    const batch = this.deps.budgets.batch(budgets);
    const outcome: BudgetCheckOutcome = { budgets: budgets.length, alerted: 0, deliveries: 0, seen: 0 };
    const due: { status: BudgetStatus; crossings: CrossingAlert[]; since: { from: string; to: string } }[] = [];
    for (const { status } of await batch.statuses()) {
      const reached = thresholdsReached(status);
      if (reached.length === 0) continue;
      const recorded = await this.deps.repo.crossings(status.budget.name, status.period.key);
      const crossings = crossingAlerts(reached, recorded);
      if (crossings.length === 0) outcome.seen++;
      else due.push({ status, crossings, since: sinceLastAlert(status, recorded) });
    }
    // The drivers of every alert at once: budgets of one shape and range share one grouped query.
    const drivers = await Promise.all(due.map((d) => budgetDrivers(batch.costs, d.status.budget, d.since)));
    for (const [i, { status, crossings, since }] of due.entries()) {
      for (const crossing of crossings) {
        const alert: BudgetAlert = {
          id: crossingId({ budget: status.budget.name, period: status.period.key, ...crossing }),
          status,
          crossing,
          drivers: drivers[i]!,
          investigate: budgetInvestigateCommand(status.budget, since),
          critical: crossing.kind === 'actual' && crossing.percent >= 100,
        };
        outcome.deliveries += await this.send(alert);
        await this.record(status, crossing);
        outcome.alerted++;
      }
    }
    this.deps.logger.info({ ...outcome }, 'budgets checked');
    return outcome;
  }

  private async send(alert: BudgetAlert): Promise<number> {
    const deliveries = this.deliveries(alert);
    await Promise.all(deliveries.map((d) => this.deps.notify.enqueue(d)));
    this.deps.logger.info(
      { budget: alert.status.budget.name, crossing: alert.id, deliveries: deliveries.length },
      'budget alerted',
    );
    return deliveries.length;
  }

  /** Records the crossing and the lower thresholds it passed with it. */
  private async record(s: BudgetStatus, crossing: CrossingAlert): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    for (const percent of [...crossing.passed, crossing.percent]) {
      const record: BudgetCrossing = {
        budget: s.budget.name,
        period: s.period.key,
        kind: crossing.kind,
        percent,
        at,
        through: s.through,
      };
      await this.deps.repo.claimCrossing(record);
    }
  }

  private deliveries(alert: BudgetAlert): Delivery[] {
    const budget: Budget = alert.status.budget;
    const { kind, percent } = alert.crossing;
    const event = `budget-${budget.name}-${alert.status.period.key}-${kind}-${percent}`;
    const targets = budgetAlertTargets(budget, alert.critical, this.deps.people);
    const chat = this.deps.messages.alert(alert);
    const page = targets.some((t) => t.channel !== 'chat') ? this.deps.messages.page(alert) : chat;
    return targets.map(({ channel, to }) => ({
      id: deliveryId(event, channel, to),
      event,
      channel,
      to,
      reply: channel === 'chat' ? chat : page,
      ...(channel === 'email' ? { subject: page.title } : {}),
    }));
  }
}
