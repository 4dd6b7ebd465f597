import { type Anomaly, type Contributor, SEVERITIES, type Severity } from '../anomalies/anomaly.types.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import { contactsOf } from '../approvals/approvers.js';
import type { DeliveryChannel } from './notification.types.js';
import type { AlertRoute, NotificationPolicy } from './notification-policy.types.js';

/** One recipient of an alert on one channel: `slack/C0123` for chat, an address for email, a number for SMS. */
export interface AlertTarget {
  channel: DeliveryChannel;
  to: string;
}

/** True when `severity` is `min` or above. */
function atLeast(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);
}

/** Allow-lists compare without case (`aws` = `AWS`); an absent or empty list allows everything. */
function allows(list: string[] | undefined, values: readonly (string | undefined)[]): boolean {
  if (!list || list.length === 0) return true;
  const wanted = new Set(list.map((v) => v.toLowerCase()));
  return values.some((v) => v !== undefined && wanted.has(v.toLowerCase()));
}

/** The anomaly's own key when its dimension is `dimension`, plus its contributors of that dimension. */
function keysOf(anomaly: Anomaly, dimension: Contributor['dimension']): string[] {
  const own = anomaly.dimension === dimension ? [anomaly.key] : [];
  return [...own, ...anomaly.contributors.filter((c) => c.dimension === dimension).map((c) => c.key)];
}

/**
 * Does `route` take this anomaly? Its severity must be at least the route's `minSeverity`, and each allow-list must
 * name it: `providers` the anomaly's provider (an anomaly without one matches no provider list), `accounts` the
 * anomaly's key for an account anomaly or any contributing account, `services` likewise for services.
 */
function routeMatches(route: AlertRoute, anomaly: Anomaly): boolean {
  return (
    atLeast(anomaly.severity, route.minSeverity) &&
    allows(route.providers, [anomaly.provider]) &&
    allows(route.accounts, keysOf(anomaly, 'account')) &&
    allows(route.services, keysOf(anomaly, 'service'))
  );
}

/**
 * Everyone an anomaly goes to: one chat target per channel of the matching routes (a channel named by two routes
 * gets one message), and for a `critical` anomaly an email and an SMS to each on-call person of the policy who has
 * an address or a number (each address or number once).
 */
export function alertTargets(anomaly: Anomaly, policy: NotificationPolicy, people: ApprovalPolicy): AlertTarget[] {
  const targets = new Map<string, AlertTarget>();
  const add = (target: AlertTarget) => targets.set(`${target.channel} ${target.to}`, target);
  for (const route of policy.routes.filter((r) => routeMatches(r, anomaly)))
    add({ channel: 'chat', to: `${route.platform}/${route.channel}` });
  if (anomaly.severity === 'critical') {
    for (const person of policy.onCall) {
      const contacts = contactsOf(people, person);
      if (contacts.email) add({ channel: 'email', to: contacts.email });
      if (contacts.phone) add({ channel: 'sms', to: contacts.phone });
    }
  }
  return [...targets.values()];
}
