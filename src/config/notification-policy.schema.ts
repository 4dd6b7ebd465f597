import { z } from 'zod';
import { SEVERITIES } from '../anomalies/anomaly.types.js';
import type { AlertRoute, NotificationPolicy } from '../notifications/notification-policy.types.js';

/**
 * The zod schema of the `notifications:` part of the policy file, with its defaults
 * (README.md#notifications-where-anomaly-alerts-go).
 * `src/config/policy.ts` runs it, and {@link onCallProblems} cross-checks `onCall` against `approvals.people`;
 * every problem is reported with its path, e.g. `notifications.routes[0].minSeverity`.
 *
 * @example
 * notifications:
 *   routes:
 *     - { channel: C0ALERTS, minSeverity: medium, providers: [AWS], accounts: ['123456789012'] }
 *     - { teamsChannel: '19:abc@thread.tacv2', minSeverity: high }
 *   onCall: [alice]
 *   anomalies: { minImpact: 50, minRelative: 0.3 }
 */

/** The bounds checked at load (README.md#notifications-where-anomaly-alerts-go lists them). */
export const NOTIFICATION_LIMITS = {
  /** The most routes, and the most on-call people. */
  routes: 100,
  /** The most entries of a route's providers, accounts or services. */
  filter: 1000,
  /** The largest minImpact, in the bill's currency. */
  minImpact: 1e12,
  /** The largest minRelative (100 = 10,000 %). */
  minRelative: 100,
} as const;

/** The anomaly thresholds in force when the file leaves them out. */
const ANOMALY_DEFAULTS: Readonly<NotificationPolicy['anomalies']> = { minImpact: 50, minRelative: 0.3 };

/** The notification policy without a `notifications:` section: no routes, nobody on call, the default thresholds. */
export function defaultNotificationPolicy(): NotificationPolicy {
  return { routes: [], onCall: [], anomalies: { ...ANOMALY_DEFAULTS } };
}

/** YAML `key:` with nothing after it is null; treat it like a missing key. */
const orDefault = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema);

const list = z.array(z.string().min(1)).min(1).max(NOTIFICATION_LIMITS.filter);

const routeSchema = z
  .object({
    channel: z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id looks like C0123ABC (not #name)')
      .optional(),
    teamsChannel: z.string().min(1).optional(),
    minSeverity: z.enum(SEVERITIES).default('medium'),
    providers: list.optional(),
    accounts: z.array(z.coerce.string().min(1)).min(1).max(NOTIFICATION_LIMITS.filter).optional(),
    services: list.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.channel !== undefined && r.teamsChannel !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['teamsChannel'], message: 'give channel or teamsChannel, not both' });
    } else if (r.channel === undefined && r.teamsChannel === undefined) {
      ctx.addIssue({ code: 'custom', message: 'name a channel (Slack) or a teamsChannel (Teams)' });
    }
  })
  .transform(
    (r): AlertRoute => ({
      platform: r.teamsChannel !== undefined ? 'teams' : 'slack',
      channel: r.teamsChannel ?? r.channel ?? '',
      minSeverity: r.minSeverity,
      ...(r.providers ? { providers: r.providers } : {}),
      ...(r.accounts ? { accounts: r.accounts } : {}),
      ...(r.services ? { services: r.services } : {}),
    }),
  );

/** `notifications:` → {@link NotificationPolicy}; anything left out takes {@link defaultNotificationPolicy}. */
export const notificationsSchema = orDefault(
  z
    .object({
      routes: orDefault(z.array(routeSchema).max(NOTIFICATION_LIMITS.routes).default([])),
      onCall: orDefault(z.array(z.string().min(1)).max(NOTIFICATION_LIMITS.routes).default([])),
      anomalies: orDefault(
        z
          .object({
            minImpact: z.number().min(0).max(NOTIFICATION_LIMITS.minImpact).default(ANOMALY_DEFAULTS.minImpact),
            minRelative: z.number().min(0).max(NOTIFICATION_LIMITS.minRelative).default(ANOMALY_DEFAULTS.minRelative),
          })
          .strict()
          .default(() => ({ ...ANOMALY_DEFAULTS })),
      ),
    })
    .strict()
    .default(defaultNotificationPolicy),
);

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});

/**
 * Checks `notifications.onCall` against `approvals.people` of the same file, read from the raw YAML value (so that it
 * runs even when other parts are invalid, and one run names every bad path): each entry must be a people key, and
 * that person needs an `email` or a `phone` to be reachable.
 */
export function onCallProblems(raw: unknown): { path: (string | number)[]; message: string }[] {
  const onCall = rec(rec(raw).notifications).onCall;
  if (!Array.isArray(onCall)) return [];
  const people = rec(rec(rec(raw).approvals).people);
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [i, key] of onCall.entries()) {
    if (typeof key !== 'string' || key === '') continue; // the schema reports it
    const path = ['notifications', 'onCall', i];
    if (!Object.hasOwn(people, key)) {
      problems.push({ path, message: `"${key}" is not a key of approvals.people` });
    } else {
      const { email, phone } = rec(people[key]);
      if (email === undefined && phone === undefined) {
        problems.push({ path, message: `${key} has neither email nor phone in approvals.people` });
      }
    }
  }
  return problems;
}
