import type { AlertMessages } from '../../anomalies/alert-interactions.types.js';
import type { Anomaly, AnomalyDimension, Contributor } from '../../anomalies/anomaly.types.js';
import { METRIC_LABELS } from '../../costs/cost-labels.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { weekdayIndex } from '../../shared/day.js';
import { formatMoney, formatPercent } from '../../shared/money.js';
import type { ChartSpec, Reply, ReplyButton, ReplyField } from '../../shared/reply.types.js';

/** Options of {@link alertReply}. */
export interface AlertReplyOptions {
  /** The series' recent daily trend (e.g. 30 days), drawn under the alert. */
  chart?: ChartSpec;
  /** Who acknowledged the alert: the message then says so and has no Acknowledge button. */
  acknowledgedBy?: string;
}

/** How many contributors the alert lists. */
const ALERT_CONTRIBUTORS = 3;

const DIMENSION_NAMES: Record<AnomalyDimension | Contributor['dimension'], string> = {
  service: 'Service',
  account: 'Account',
  region: 'Region',
  total: 'Total',
};
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `+1,234.56 USD` / `−80.00 USD`: an impact with its sign. */
function signedMoney(amount: number, currency: string): string {
  return `${amount < 0 ? '−' : '+'}${formatMoney(Math.abs(amount), currency)}`;
}

/** `Amazon EC2 +1,234.56 USD (+180.0%) on 2026-05-14`: what the anomaly is, in one line. */
function anomalyHeadline(anomaly: Anomaly): string {
  const change = `${signedMoney(anomaly.impact, anomaly.currency)} (${formatPercent(anomaly.relative)})`;
  return `${anomaly.label} ${change} on ${anomaly.day}`;
}

function whereText(anomaly: Anomaly): string {
  const what =
    anomaly.dimension === 'total'
      ? 'All costs'
      : `${DIMENSION_NAMES[anomaly.dimension]} ${anomaly.label}${anomaly.label !== anomaly.key ? ` (${anomaly.key})` : ''}`;
  return anomaly.provider ? `${what} · ${anomaly.provider}` : what;
}

function contributorsText(anomaly: Anomaly): string | undefined {
  const top = anomaly.contributors.slice(0, ALERT_CONTRIBUTORS);
  if (top.length === 0) return undefined;
  return top
    .map((c) => `${DIMENSION_NAMES[c.dimension]} ${c.label}: ${signedMoney(c.impact, anomaly.currency)}`)
    .join('\n');
}

function capitalize(text: string): string {
  return `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;
}

function severityText(anomaly: Anomaly): string {
  return `${capitalize(anomaly.severity)} ${anomaly.direction}`;
}

function buttons(anomaly: Anomaly, acknowledged: boolean): ReplyButton[] {
  return [
    ...(acknowledged
      ? []
      : [{ actionId: ACTIONS.ALERT_ACK, label: 'Acknowledge', value: anomaly.id, style: 'primary' as const }]),
    { actionId: ACTIONS.ALERT_INVESTIGATE, label: 'Investigate', value: anomaly.id },
    { actionId: ACTIONS.ALERT_MUTE, label: 'Mute 7 days', value: anomaly.id },
    { actionId: ACTIONS.ALERT_SNOOZE, label: 'Snooze 1 day', value: anomaly.id },
  ];
}

/**
 * The alert message of an anomaly (issue 6): the headline as title, then Actual, Expected (baseline), Impact,
 * Severity, Where and the top 3 Contributors, the series' trend chart, and the buttons Acknowledge, Investigate and
 * Mute 7 days (each with the anomaly id as value). Once acknowledged the message says by whom and loses the
 * Acknowledge button. `data.anomaly` holds the anomaly.
 *
 * @example alertReply(anomaly, { chart }).title // 'Anomaly: Amazon EC2 +1,234.56 USD (+180.0%) on 2026-05-14'
 */
export function alertReply(anomaly: Anomaly, options: AlertReplyOptions = {}): Reply {
  const { currency } = anomaly;
  const contributors = contributorsText(anomaly);
  const fields: ReplyField[] = [
    { label: 'Actual', value: formatMoney(anomaly.actual, currency) },
    { label: 'Expected (baseline)', value: formatMoney(anomaly.expected, currency) },
    { label: 'Impact', value: `${signedMoney(anomaly.impact, currency)} (${formatPercent(anomaly.relative)})` },
    { label: 'Severity', value: severityText(anomaly) },
    { label: 'Where', value: whereText(anomaly) },
    ...(contributors ? [{ label: 'Contributors', value: contributors }] : []),
  ];
  const acknowledged = options.acknowledgedBy !== undefined;
  return {
    kind: 'answer',
    title: `Anomaly: ${anomalyHeadline(anomaly)}`,
    fields,
    ...(options.chart ? { chart: options.chart } : {}),
    context: [
      `${capitalize(METRIC_LABELS.effective)} on ${WEEKDAYS[weekdayIndex(anomaly.day)]} ${anomaly.day} (UTC) · the baseline is the usual cost of that weekday`,
    ],
    ...(acknowledged ? { footnote: `Acknowledged by ${options.acknowledgedBy}` } : {}),
    buttons: buttons(anomaly, acknowledged),
    data: { anomaly },
    visibility: 'channel',
  };
}

/**
 * The alert as an email or SMS to the on-call people: a title naming the severity, one sentence of text (an SMS
 * carries the title and the text), the same fields and chart, and no buttons (they work in chat only).
 */
export function alertPageReply(anomaly: Anomaly, options: Pick<AlertReplyOptions, 'chart'> = {}): Reply {
  const { buttons: _buttons, ...alert } = alertReply(anomaly, options);
  const { currency } = anomaly;
  return {
    ...alert,
    title: `${capitalize(anomaly.severity)} anomaly: ${anomalyHeadline(anomaly)}`,
    text:
      `${anomaly.label} cost ${formatMoney(anomaly.actual, currency)} on ${anomaly.day}, expected ` +
      `${formatMoney(anomaly.expected, currency)}. Acknowledge, investigate or mute it from the alert in chat.`,
  };
}

function notice(title: string, text: string): Reply {
  return { kind: 'notice', title, text, visibility: 'ephemeral' };
}

/** `2026-05-21 09:30 UTC`. */
function instantText(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function seriesText(anomaly: Anomaly): string {
  const what = anomaly.dimension === 'total' ? 'total cost' : `${anomaly.dimension} ${anomaly.label}`;
  return `${what} (${anomaly.currency})`;
}

/** How alerts and the answers to their buttons read: the chat layer's side of the alert service's port. */
export const alertMessages: AlertMessages = {
  alert: alertReply,
  page: alertPageReply,
  acknowledged(anomaly, { by, at, first }) {
    if (first) return notice('Alert acknowledged', anomalyHeadline(anomaly));
    return notice(`Already acknowledged by ${by}`, `${anomalyHeadline(anomaly)}${at ? ` on ${instantText(at)}` : ''}.`);
  },
  muted(anomaly, { by, until, days }) {
    const what = seriesText(anomaly);
    const period = `${days} day${days === 1 ? '' : 's'}, until ${instantText(until)}`;
    return {
      reply: notice('Series muted', `No alerts for ${what} for ${period}.`),
      note: { ...notice(`${by} muted alerts for ${what}`, `For ${period}.`), visibility: 'channel' },
    };
  },
  unknown: (anomalyId) =>
    notice('Alert not found', `Tally has no alert for anomaly ${anomalyId}; it may come from an older setup.`),
};
