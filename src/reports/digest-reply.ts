import type { Anomaly } from '../anomalies/anomaly.types.js';
import type { Approval } from '../approvals/approval.types.js';
import { comparisonTable } from '../costs/comparison-table.js';
import { costContext, periodText } from '../costs/cost-labels.js';
import type { CurrencyComparison, CurrencyForecast } from '../costs/cost-results.types.js';
import { describeScope } from '../costs/view-scope.js';
import { ACTIONS } from '../shared/action-ids.js';
import { formatMoney, formatPercent, roundCents } from '../shared/money.js';
import type { Reply, ReplyField, ReplyItem } from '../shared/reply.types.js';
import { budgetDigestData, budgetFields, budgetSummaryLine } from './digest-budgets.js';
import type { DigestFigures, DigestSavings } from './digest-figures.types.js';

/** Savings of actions are estimated in USD (the price table's currency). */
const SAVINGS_CURRENCY = 'USD';

/** The digest as a reply: the same content for chat and for the HTML email. */
export function digestReply(f: DigestFigures): Reply {
  const unit = f.cadence === 'weekly' ? 'week' : 'day';
  const currencies = f.comparison.currencies;
  const context = costContext('effective', [f.period, f.previous], f.comparison.dataRange);
  if (f.scope) context.push(describeScope(f.scope));
  return {
    kind: 'answer',
    title: `${f.cadence === 'weekly' ? 'Weekly' : 'Daily'} cost digest — ${periodText(f.period)}`,
    text: summaryLines(f).join('\n'),
    fields: [
      ...currencies.flatMap((c) => totalFields(c, f)),
      ...forecastFields(f),
      ...approvalAndSavingsFields(f),
      ...budgetFields(f.budgets),
    ],
    tables: currencies
      .filter((c) => c.rows.length > 0)
      .map((c) =>
        comparisonTable(
          c,
          { key: `Top movers (${c.currency})`, current: f.period.label, previous: f.previous.label },
          false,
        ),
      ),
    items: [...f.anomalies.shown.map(anomalyItem), ...f.approvals.shown.map(approvalItem)],
    ...(f.chart ? { chart: f.chart } : {}),
    context,
    footnote:
      `Top movers: the services whose cost changed most against ${f.previous.label}. ` +
      `${f.forecast.method} Anomalies: the largest by |impact| of the ${unit}.`,
    data: digestData(f),
    visibility: 'channel',
  };
}

function summaryLines(f: DigestFigures): string[] {
  const lines =
    f.comparison.currencies.length === 0
      ? [`No cost data for ${periodText(f.period)}.`]
      : f.comparison.currencies.map(
          (c) =>
            `${capitalise(f.period.label)}: ${formatMoney(c.current, c.currency)}, ${signed(c.change, c.currency)} ` +
            `(${formatPercent(c.ratio)}) against ${f.previous.label}.`,
        );
  const n = f.anomalies.total;
  const when = f.period.label;
  lines.push(n === 0 ? `No anomalies ${when}.` : `${n} ${n === 1 ? 'anomaly' : 'anomalies'} ${when}.`);
  const p = f.approvals.pending;
  lines.push(p === 0 ? 'No approvals waiting.' : `${p} ${p === 1 ? 'approval' : 'approvals'} waiting for a decision.`);
  const budgets = budgetSummaryLine(f.budgets);
  if (budgets) lines.push(budgets);
  return lines;
}

function totalFields(c: CurrencyComparison, f: DigestFigures): ReplyField[] {
  return [
    { label: `Total (${c.currency})`, value: formatMoney(c.current, c.currency) },
    {
      label: `Change against ${f.previous.label} (${c.currency})`,
      value: `${signed(c.change, c.currency)} (${formatPercent(c.ratio)}), was ${formatMoney(c.previous, c.currency)}`,
    },
  ];
}

function forecastFields(f: DigestFigures): ReplyField[] {
  return f.forecast.currencies.map((c) => ({
    label: `Forecast for ${f.forecast.month.label} (${c.currency})`,
    value: `${formatMoney(c.forecast, c.currency)} against ${formatMoney(c.lastMonth, c.currency)} last month (${formatPercent(forecastRatio(c))})`,
  }));
}

function approvalAndSavingsFields(f: DigestFigures): ReplyField[] {
  const { pending, estimatedMonthly } = f.approvals;
  const fields: ReplyField[] = [
    {
      label: 'Pending approvals',
      value:
        pending === 0
          ? 'none'
          : `${pending}, estimated to save ${formatMoney(estimatedMonthly, SAVINGS_CURRENCY)} per month`,
    },
  ];
  if (f.savings) fields.push({ label: `Realised savings (${SAVINGS_CURRENCY})`, value: savingsText(f.savings, f) });
  return fields;
}

function savingsText(s: DigestSavings, f: DigestFigures): string {
  if (s.executed === 0) return 'no approved action executed yet';
  const waiting = s.waiting ? `; ${s.waiting} waiting for cost data` : '';
  return (
    `${formatMoney(s.realised, SAVINGS_CURRENCY)} so far from ${s.executed} executed ` +
    `${s.executed === 1 ? 'action' : 'actions'} (${s.executedInPeriod} ${f.period.label})${waiting}`
  );
}

function anomalyItem(a: Anomaly): ReplyItem {
  const main = a.contributors[0];
  return {
    title: `Anomaly on ${a.day}: ${a.label} (${a.dimension}), ${a.direction}`,
    fields: [
      { label: 'Actual', value: formatMoney(a.actual, a.currency) },
      { label: 'Expected', value: formatMoney(a.expected, a.currency) },
      { label: 'Impact', value: `${signed(a.impact, a.currency)} (${formatPercent(a.relative)})` },
      { label: 'Severity', value: a.severity },
      ...(main ? [{ label: 'Main contributor', value: `${main.label} (${signed(main.impact, a.currency)})` }] : []),
    ],
  };
}

function approvalItem(a: Approval): ReplyItem {
  return {
    title: `Approval ${a.id}: ${a.action.summary}`,
    fields: [
      { label: 'Savings', value: `${formatMoney(a.action.monthlySavings, a.action.currency)} per month` },
      { label: 'Risk', value: a.action.risk },
      { label: 'Expires', value: `${a.expiresAt.slice(0, 16).replace('T', ' ')} UTC` },
    ],
    button: { actionId: ACTIONS.DETAILS, label: 'Details', value: a.id },
  };
}

function forecastRatio(c: CurrencyForecast): number | null {
  return c.lastMonth === 0 ? null : (c.forecast - c.lastMonth) / Math.abs(c.lastMonth);
}

function signed(amount: number, currency: string): string {
  return `${amount > 0 ? '+' : ''}${formatMoney(amount, currency)}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Every figure, amounts rounded to cents (`tally ask --json`, tests, the email template). */
function digestData(f: DigestFigures): Record<string, unknown> {
  const range = (p: { from: string; to: string; label: string }) => ({ from: p.from, to: p.to, label: p.label });
  return {
    kind: 'digest',
    cadence: f.cadence,
    metric: 'effective',
    today: f.today,
    period: range(f.period),
    previous: range(f.previous),
    scope: f.scope,
    budgets: budgetDigestData(f.budgets),
    currencies: f.comparison.currencies.map((c) => ({
      currency: c.currency,
      total: roundCents(c.current),
      previous: roundCents(c.previous),
      change: roundCents(c.change),
      ratio: c.ratio,
      movers: c.rows.map((r) => ({
        key: r.key,
        label: r.label,
        current: roundCents(r.current),
        previous: roundCents(r.previous),
        change: roundCents(r.change),
        ratio: r.ratio,
        status: r.status,
      })),
    })),
    forecast: {
      month: range(f.forecast.month),
      actualThrough: f.forecast.actualThrough,
      currencies: f.forecast.currencies.map((c) => ({
        currency: c.currency,
        actual: roundCents(c.actual),
        forecast: roundCents(c.forecast),
        lastMonth: roundCents(c.lastMonth),
        ratio: forecastRatio(c),
      })),
    },
    anomalies: {
      total: f.anomalies.total,
      shown: f.anomalies.shown.map((a) => ({
        id: a.id,
        day: a.day,
        dimension: a.dimension,
        key: a.key,
        label: a.label,
        currency: a.currency,
        actual: roundCents(a.actual),
        expected: roundCents(a.expected),
        impact: roundCents(a.impact),
        relative: a.relative,
        direction: a.direction,
        severity: a.severity,
      })),
    },
    approvals: {
      pending: f.approvals.pending,
      estimatedMonthly: roundCents(f.approvals.estimatedMonthly),
      currency: SAVINGS_CURRENCY,
      shown: f.approvals.shown.map((a) => ({
        id: a.id,
        summary: a.action.summary,
        monthlySavings: a.action.monthlySavings,
        risk: a.action.risk,
        expiresAt: a.expiresAt,
      })),
    },
    savings: f.savings
      ? {
          ...f.savings,
          realised: roundCents(f.savings.realised),
          estimatedMonthly: roundCents(f.savings.estimatedMonthly),
          currency: SAVINGS_CURRENCY,
        }
      : null,
    chart: f.chart ? { title: f.chart.title, currency: f.chart.currency, days: f.chart.labels.length } : null,
  };
}
