import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { ChannelScope } from '../costs/channel-scope.js';
import type { NotificationPolicy } from '../notifications/notification-policy.types.js';
import { TallyError } from '../shared/errors.js';
import { approvalsSchema, defaultApprovalPolicy, guardrailsSchema } from './approval-policy.schema.js';
import { defaultNotificationPolicy, notificationsSchema, onCallProblems } from './notification-policy.schema.js';

/**
 * The policy file (`TALLY_POLICY_FILE`, YAML; README "Policy file" documents every key). It holds channel scopes
 * (which cost data a chat channel may see), the approval rules per risk level, the guardrails of the executor and
 * where anomaly alerts go (`notifications:`). Every part is optional; what is left out takes the defaults of
 * `approval-policy.schema.ts` and `notification-policy.schema.ts`.
 *
 * @example
 * channels:
 *   C0PAYMENTS:              # a Slack channel id (or a Teams conversation id)
 *     providers: [AWS]
 *     accounts: ["483920175634"]
 * approvals:
 *   people:
 *     alice: { name: Alice Ng, slack: U0ALICE }
 *   risk:
 *     low: { approvers: [alice], quorum: 1 }
 * guardrails:
 *   protectedTags: ['tally:protected', 'env=prod']
 * notifications:
 *   routes:
 *     - { channel: C0ALERTS, minSeverity: medium }
 */
const scopeSchema = z
  .object({
    providers: z.array(z.string().min(1)).min(1).optional(),
    accounts: z.array(z.coerce.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((s) => s.providers || s.accounts, { message: 'name at least one of providers or accounts' });

const policySchema = z
  .object({
    channels: z.preprocess((v) => (v === null ? undefined : v), z.record(z.string().min(1), scopeSchema).default({})),
    approvals: approvalsSchema,
    guardrails: guardrailsSchema,
    notifications: notificationsSchema,
  })
  .passthrough();

export interface Policy {
  channels: ReadonlyMap<string, ChannelScope>;
  /** Approval rules and guardrails; the defaults (nobody may approve, see `defaultApprovalPolicy`) when absent. */
  approvals: ApprovalPolicy;
  /** Alert routes, on-call people and anomaly thresholds; `defaultNotificationPolicy()` when absent. */
  notifications: NotificationPolicy;
}

/** The policy without a file: no channel scopes, the default approval policy, no alert routes. */
export const EMPTY_POLICY: Policy = {
  channels: new Map(),
  approvals: defaultApprovalPolicy(),
  notifications: defaultNotificationPolicy(),
};

/**
 * Parses the policy file's text; every problem is named by its path, e.g. `channels.C01.providers`,
 * `approvals.risk.medium.quorum` or `notifications.onCall.0`.
 *
 * @throws TallyError `CONFIG_INVALID` with `metadata.paths` listing every bad path.
 */
export function parsePolicy(text: string, source = 'TALLY_POLICY_FILE'): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    const e = err as { linePos?: { line: number; col: number }[]; message?: string };
    const at = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new TallyError('CONFIG_INVALID', `${source}: not valid YAML${at}`, {
      cause: err,
      metadata: { variables: [source] },
    });
  }
  const result = policySchema.safeParse(raw);
  // Checks across sections run on the raw value, so that one run names every bad path.
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: messageOf(i) }))),
    ...onCallProblems(raw).map((p) => ({ path: p.path.join('.'), message: p.message })),
  ];
  if (!result.success || problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path || '(top level)'}: ${p.message}`);
    throw new TallyError('CONFIG_INVALID', `${source} is invalid:\n${lines.join('\n')}`, {
      metadata: { variables: [source], paths: problems.map((p) => p.path) },
    });
  }
  const channels = new Map<string, ChannelScope>();
  for (const [id, s] of Object.entries(result.data.channels)) {
    channels.set(id, {
      ...(s.providers ? { providers: s.providers } : {}),
      ...(s.accounts ? { subAccountIds: s.accounts } : {}),
    });
  }
  return {
    channels,
    approvals: { ...result.data.approvals, guardrails: result.data.guardrails },
    notifications: result.data.notifications,
  };
}

/** A bad record key's own message ("use letters, digits…") says more than zod's "Invalid key in record". */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
}
