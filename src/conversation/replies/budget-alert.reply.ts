import type { BudgetAlert, BudgetAlertMessages } from '../../budgets/budget-alert.types.js';
import { METRIC_LABELS } from '../../costs/cost-labels.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { formatMoney } from '../../shared/money.js';
import type { Reply, ReplyButton, ReplyField } from '../../shared/reply.types.js';
import { scopeText, statusData } from './budget-status.reply.js';

/** `80.0%`; `n/a` for a budget of amount 0. */
function share(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

/** `80% spent` / `forecast at 100%`: the threshold an alert is about. */
function crossingText(a: BudgetAlert): string {
  return a.crossing.kind === 'actual' ? `${a.crossing.percent}% spent` : `forecast at ${a.crossing.percent}%`;
}

function driversText(a: BudgetAlert): string {
  const { currency } = a.status.budget;
  if (a.drivers.drivers.length === 0) return 'no cost in these days';
  return a.drivers.drivers.map((d) => `${d.label}: ${formatMoney(d.amount, currency)}`).join('\n');
}

function buttons(a: BudgetAlert): ReplyButton[] {
  return [
    { actionId: ACTIONS.BUDGET_ACK, label: 'Acknowledge', value: a.id, style: 'primary' },
    { actionId: ACTIONS.BUDGET_INVESTIGATE, label: 'Investigate', value: a.investigate },
    { actionId: ACTIONS.BUDGET_REQUEST, label: 'Request increase', value: a.status.budget.name },
  ];
}

/**
 * A budget alert (docs/budgets.md#alerts): the threshold crossed as title, the status in one sentence (with the
 * lower thresholds passed at the same time), the figures, the top three drivers since the last alert, and the
 * buttons Acknowledge, Investigate and Request increase. `data.budgetAlert` holds the crossing and the figures.
 *
 * @example budgetAlertReply(alert).title // 'Budget payments-team: 80% spent — June 2026'
 */
function budgetAlertReply(a: BudgetAlert): Reply {
  const s = a.status;
  const b = s.budget;
  const m = (n: number) => formatMoney(n, b.currency);
  const passed = a.crossing.passed.length ? ` It also passed ${a.crossing.passed.map((p) => `${p}%`).join(', ')}.` : '';
  const fields: ReplyField[] = [
    { label: 'Spent so far', value: `${m(s.spent)} of ${m(s.amount)} (${share(s.usedRatio)}), through ${s.through}` },
    { label: 'Forecast', value: `${m(s.forecast)} (${share(s.forecastRatio)}) by ${s.period.to}` },
    { label: 'Days left', value: String(s.daysLeft) },
    {
      label: 'To stay within',
      value: s.spent >= s.amount ? `already ${m(s.spent - s.amount)} over` : `at most ${m(s.neededPerDay)} a day`,
    },
    { label: `Top drivers, ${a.drivers.from} to ${a.drivers.to}`, value: driversText(a) },
  ];
  return {
    kind: 'answer',
    title: `Budget ${b.name}: ${crossingText(a)} — ${s.period.label}`,
    text:
      `${m(s.spent)} of ${m(s.amount)} spent (${share(s.usedRatio)}); forecast ${m(s.forecast)} ` +
      `(${share(s.forecastRatio)}) by ${s.period.to}.${passed}`,
    fields,
    context: [
      `Metric: ${METRIC_LABELS[b.metric]} · scope: ${scopeText(b)} · ${b.currency} only`,
      `Owners: ${b.owners.length ? b.owners.join(', ') : 'none'}`,
    ],
    buttons: buttons(a),
    data: { budgetAlert: { id: a.id, ...a.crossing, critical: a.critical, drivers: a.drivers, status: statusData(s) } },
    visibility: 'channel',
  };
}

/** The alert as an email or SMS to the owners: a title naming it critical, the sentence, the figures, no buttons. */
function budgetAlertPageReply(a: BudgetAlert): Reply {
  const { buttons: _buttons, ...alert } = budgetAlertReply(a);
  return { ...alert, title: `${a.critical ? 'Critical: b' : 'B'}udget ${a.status.budget.name} ${crossingText(a)}` };
}

/** Acknowledge on a budget alert: the note in its thread. */
export function budgetAckNote(crossing: string, by: string): Reply {
  const [budget = crossing, period = '', kind = '', percent = ''] = crossing.split('|');
  const what = kind === 'forecast' ? `forecast at ${percent}%` : `${percent}% spent`;
  return {
    kind: 'notice',
    title: `Acknowledged by ${by}: budget ${budget}, ${what} (${period})`,
    visibility: 'channel',
  };
}

/** The chat layer's {@link BudgetAlertMessages}. */
export const budgetAlertMessages: BudgetAlertMessages = { alert: budgetAlertReply, page: budgetAlertPageReply };
