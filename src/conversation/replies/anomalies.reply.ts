import { type Anomaly, SEVERITIES, type Severity } from '../../anomalies/anomaly.types.js';
import { METRIC_LABELS, periodText } from '../../costs/cost-labels.js';
import type { Period } from '../../costs/period.js';
import { roundCents } from '../../shared/money.js';
import type { Cell, Reply, ReplyTable } from '../../shared/reply.types.js';
import { money, text } from '../../shared/reply.types.js';

/** At most this many anomalies become table rows (the most severe); all of them are in `data`. */
export const MAX_ANOMALY_ROWS = 25;

const DIMENSION_WORDS: Record<Anomaly['dimension'], string> = {
  service: 'Service',
  account: 'Account',
  total: 'Total',
};

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const anomaliesText = (n: number) => `${n} ${n === 1 ? 'anomaly' : 'anomalies'}`;

/** `Service Amazon EC2, mostly payments-prod`: where it happened and its top contributor. */
export function whereText(a: Anomaly): string {
  const head = a.dimension === 'total' ? 'Total' : `${DIMENSION_WORDS[a.dimension]} ${a.label}`;
  const top = a.contributors[0];
  return top ? `${head}, mostly ${top.label}` : head;
}

/**
 * The answer to `anomalies …`: one table per currency (day, where, actual, expected, impact, severity) of the most
 * severe anomalies, a severity count, and `data` with every anomaly for `tally ask --json` (amounts in cents).
 * No anomalies: a short text answer.
 */
export function anomaliesReply(anomalies: readonly Anomaly[], period: Period): Reply {
  const shown = [...anomalies]
    .sort((a, b) => rank(b.severity) - rank(a.severity) || Math.abs(b.impact) - Math.abs(a.impact))
    .slice(0, MAX_ANOMALY_ROWS)
    .sort((a, b) => (a.day === b.day ? Math.abs(b.impact) - Math.abs(a.impact) : a.day < b.day ? -1 : 1));
  const hidden = anomalies.length - shown.length;
  const context = [`Metric: ${METRIC_LABELS.effective}`, `Period: ${periodText(period)}`];
  if (hidden > 0) context.push(`…and ${anomaliesText(hidden)} less severe (all are in the JSON data)`);
  return {
    kind: 'answer',
    title: `Cost anomalies — ${periodText(period)}`,
    text: anomalies.length === 0 ? `No cost anomalies from ${period.from} to ${period.to}.` : summary(anomalies),
    ...(shown.length > 0 ? { tables: tablesOf(shown) } : {}),
    context,
    footnote:
      'Expected: the median of the same weekday over the previous weeks, plus charges that recur monthly. ' +
      'A day is reported when it differs from that by a large amount, a large share and far beyond its usual noise.',
    data: { from: period.from, to: period.to, anomalies: anomalies.map(dataOf) },
    visibility: 'channel',
  };
}

function summary(anomalies: readonly Anomaly[]): string {
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, anomalies.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `${anomaliesText(anomalies.length)}: ${counts.join(', ')}.`;
}

function tablesOf(anomalies: readonly Anomaly[]): ReplyTable[] {
  const currencies = [...new Set(anomalies.map((a) => a.currency))].sort();
  return currencies.map((currency) => ({
    columns: [
      { header: 'Day', align: 'left' },
      { header: 'Where', align: 'left' },
      { header: `Actual (${currency})`, align: 'right' },
      { header: `Expected (${currency})`, align: 'right' },
      { header: `Impact (${currency})`, align: 'right' },
      { header: 'Severity', align: 'left' },
    ],
    rows: anomalies
      .filter((a) => a.currency === currency)
      .map((a): Cell[] => [
        text(a.day),
        text(whereText(a)),
        money(a.actual, currency),
        money(a.expected, currency),
        money(a.impact, currency),
        text(a.severity),
      ]),
  }));
}

function dataOf(a: Anomaly) {
  return {
    id: a.id,
    day: a.day,
    dimension: a.dimension,
    key: a.key,
    label: a.label,
    ...(a.provider ? { provider: a.provider } : {}),
    currency: a.currency,
    actual: roundCents(a.actual),
    expected: roundCents(a.expected),
    impact: roundCents(a.impact),
    relative: a.relative === null ? null : Math.round(a.relative * 10_000) / 10_000,
    severity: a.severity,
    direction: a.direction,
    contributors: a.contributors.map((c) => ({ ...c, impact: roundCents(c.impact) })),
  };
}
