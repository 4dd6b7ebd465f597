import { open } from 'node:fs/promises';
import leven from 'leven';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { BudgetPolicy } from '../budgets/budget-policy.types.js';
import type { AccessPolicy, ViewScope } from '../costs/view-scope.js';
import { OPEN_ACCESS } from '../costs/view-scope.js';
import type { NotificationPolicy } from '../notifications/notification-policy.types.js';
import { TallyError } from '../shared/errors.js';
import { accessProblems, accessSchema, channelScopeSchema } from './access-policy.schema.js';
import { approvalsSchema, defaultApprovalPolicy, guardrailsSchema } from './approval-policy.schema.js';
import { type AwsPolicy, awsSchema } from './aws-policy.schema.js';
import { budgetProblems, budgetsSchema, policyBudgets } from './budget-policy.schema.js';
import { defaultNotificationPolicy, notificationsSchema, onCallProblems } from './notification-policy.schema.js';
import { type NamedSource, sourcesSchema } from './source-policy.schema.js';

/**
 * The policy file (`TALLY_POLICY_FILE`, YAML; README "Policy file" documents every key). It holds channel scopes
 * (which cost data a chat channel may see), people's scopes and admins (`access:`), the approval rules per risk level, the guardrails of the executor and
 * where anomaly alerts go (`notifications:`). Every part is optional; what is left out takes the defaults of
 * `approval-policy.schema.ts` and `notification-policy.schema.ts`.
 *
 * @example
 * channels:
 *   C0PAYMENTS:              # a Slack channel id (or a Teams conversation id)
 *     providers: [AWS]
 *     accounts: ["483920175634"]
 * access:                    # direct messages, the App Home and the agent
 *   admins: [alice]
 *   scopes:
 *     - { who: [bob, "slack-group:S0PAYMENTS"], accounts: ["483920175634"], tags: { team: payments } }
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
 * sources:                   # cost sources besides TALLY_FOCUS_FILE, each with a name
 *   - { name: aws-focus, uri: "s3://acme-billing/focus/tally-focus/" }
 */
const policySchema = z
  .object({
    channels: z.preprocess(
      (v) => (v === null ? undefined : v),
      z.record(z.string().min(1), channelScopeSchema).default({}),
    ),
    access: accessSchema,
    approvals: approvalsSchema,
    guardrails: guardrailsSchema,
    aws: awsSchema,
    notifications: notificationsSchema,
    budgets: budgetsSchema,
    sources: sourcesSchema,
  })
  .strict();

export interface Policy {
  channels: ReadonlyMap<string, ViewScope>;
  /** Who sees what outside channels' scopes, and who is an admin; everyone sees everything when absent. */
  access: AccessPolicy;
  /** Approval rules and guardrails; the defaults (nobody may approve, see `defaultApprovalPolicy`) when absent. */
  approvals: ApprovalPolicy;
  /** Alert routes, on-call people and anomaly thresholds; `defaultNotificationPolicy()` when absent. */
  notifications: NotificationPolicy;
  /** Budgets of the file (read-only from chat) and who may change budgets (docs/budgets.md#policy-file). */
  budgets: BudgetPolicy;
  /** Named cost sources imported and synced besides `TALLY_FOCUS_FILE` (none when absent). */
  sources: readonly NamedSource[];
  /** Role ARNs per AWS account for recommendations and actions there (none when absent). */
  aws: AwsPolicy;
}

/** The policy without a file: no channel scopes, the default approval policy, no alert routes. */
export const EMPTY_POLICY: Policy = {
  channels: new Map(),
  access: OPEN_ACCESS,
  approvals: defaultApprovalPolicy(),
  notifications: defaultNotificationPolicy(),
  budgets: { budgets: [] },
  sources: [],
  aws: { roles: {} },
};

/** A policy file is a few kilobytes; anything past this is not one. */
export const MAX_POLICY_BYTES = 1024 * 1024;

const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'a folder',
  EFBIG: 'larger than 1 MiB',
  '': 'unreadable',
};

/**
 * Reads and parses the policy file at `path` (the value of `TALLY_POLICY_FILE`).
 *
 * @throws TallyError `CONFIG_INVALID` naming the variable and the path when the file is missing or unreadable, and as
 *   {@link parsePolicy} when its content is bad; the CLI exits 2 on it.
 */
export async function readPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      if ((await file.stat()).size > MAX_POLICY_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new TallyError('CONFIG_INVALID', `TALLY_POLICY_FILE: cannot read ${path} (${READ_FAILURES[code] ?? code})`, {
      cause: err,
      metadata: { variables: ['TALLY_POLICY_FILE'], path },
    });
  }
  return parsePolicy(text, `TALLY_POLICY_FILE (${path})`);
}

/**
 * Parses the policy file's text; every problem is named by its path, e.g. `channels.C01.providers`,
 * `approvals.risk.medium.tiers[1].quorum` or `notifications.onCall[0]`. A key the schema does not know is an error
 * too (a misspelt `guardrail:` would otherwise drop every guardrail silently), with the nearest known key as a hint.
 *
 * @throws TallyError `CONFIG_INVALID` with `metadata.paths` listing every bad path, and `metadata.problems` the
 *   {@link PolicyProblem} of each.
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
      metadata: { variables: [variableOf(source)] },
    });
  }
  const result = policySchema.safeParse(raw);
  // Checks across sections run on the raw value, so that one run names every bad path.
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap(problemsOf)),
    ...[...onCallProblems(raw), ...accessProblems(raw), ...budgetProblems(raw)].map((p) => ({
      path: formatPath(p.path),
      message: p.message,
    })),
  ];
  if (!result.success || problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path || '(top level)'}: ${p.message}`);
    throw new TallyError('CONFIG_INVALID', `${source} is invalid:\n${lines.join('\n')}`, {
      metadata: { variables: [variableOf(source)], paths: problems.map((p) => p.path), problems },
    });
  }
  return {
    channels: new Map(Object.entries(result.data.channels)),
    access: result.data.access,
    approvals: { ...result.data.approvals, guardrails: result.data.guardrails },
    notifications: result.data.notifications,
    budgets: {
      ...(result.data.budgets.admins ? { admins: result.data.budgets.admins } : {}),
      ...(result.data.budgets.changes ? { changes: result.data.budgets.changes } : {}),
      budgets: policyBudgets(result.data.budgets.drafts, raw),
    },
    sources: result.data.sources,
    aws: result.data.aws,
  };
}

/** `TALLY_POLICY_FILE (/etc/tally/policy.yml)` → `TALLY_POLICY_FILE`. */
const variableOf = (source: string) => source.replace(/ \(.*\)$/, '');

/** One bad entry of the file: its path, what is wrong, and for an unknown key the nearest known one. */
interface PolicyProblem {
  path: string;
  message: string;
  suggestion?: string;
}

/** One problem per bad path; an unknown key is named by its own path, with a hint. */
function problemsOf(issue: z.core.$ZodIssue): PolicyProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(policySchema, issue.path);
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), ...unknownKey(key, known) }));
  }
  // A bad record key's own message ("use letters, digits…") says more than zod's "Invalid key in record".
  const message = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : issue.message;
  return [{ path: formatPath(issue.path), message }];
}

/** `['approvals', 'risk', 'medium', 'tiers', 1, 'quorum']` → `approvals.risk.medium.tiers[1].quorum`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  );
}

/**
 * "unknown key; did you mean guardrails?" for a near miss (case, `_` and `-` aside: one edit in a key of up to three
 * letters, two in a longer one, one per three letters in a long one), else the keys allowed there.
 */
function unknownKey(key: string, known: readonly string[]): { message: string; suggestion?: string } {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  const [best] = known
    .map((k) => ({ k, d: leven(norm(key), norm(k)) }))
    .filter(({ d }) => d <= (key.length <= 3 ? 1 : Math.max(2, Math.floor(key.length / 3))))
    .sort((a, b) => a.d - b.d);
  if (best) return { message: `unknown key; did you mean ${best.k}?`, suggestion: best.k };
  return { message: known.length > 0 ? `unknown key (allowed here: ${known.join(', ')})` : 'unknown key' };
}

/** The keys the object schema at `path` allows, through defaults, optionals, pipes, records and arrays. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const segment of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(segment)];
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return [];
    if (!s) return [];
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) s = (s.out instanceof z.ZodTransform ? s.in : s.out) as z.ZodType;
    else return s;
  }
}
