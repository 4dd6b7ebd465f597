import { z } from 'zod';
import type { AccessPolicy, ViewScope } from '../costs/view-scope.js';
import { approverEntry, approverEntryProblems } from './approval-policy.schema.js';

/**
 * The zod schemas of scopes (`channels:` entries and `access.scopes` rules) and of `access:` in the policy file
 * (README.md#policy-file, docs/architecture.md#who-sees-what).
 */

/** The bounds checked at load. */
const ACCESS_LIMITS = { rules: 1000, listed: 1000 } as const;

const list = z.array(z.coerce.string().min(1)).min(1).max(ACCESS_LIMITS.listed);
const tagValues = z.union([list, z.coerce.string().min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** A scope's fields: `providers`, `accounts`, `tags` (`{ team: payments }` or `{ team: [payments, search] }`). */
const scopeFields = {
  providers: list.optional(),
  accounts: list.optional(),
  tags: z.record(z.string().min(1), tagValues).optional(),
};

type RawScope = { providers?: string[]; accounts?: string[]; tags?: Record<string, string[]> };
const hasLimit = (s: RawScope) => !!(s.providers || s.accounts || (s.tags && Object.keys(s.tags).length));
const LIMIT_MESSAGE = 'name at least one of providers, accounts or tags';

/** `{ providers, accounts, tags }` as a {@link ViewScope} whose holder is `of`. */
function toViewScope(s: RawScope, of: ViewScope['of']): ViewScope {
  const tags = Object.entries(s.tags ?? {}).map(([key, values]) => ({ key, values }));
  return {
    ...(s.providers ? { providers: s.providers } : {}),
    ...(s.accounts ? { subAccountIds: s.accounts } : {}),
    ...(tags.length ? { tags } : {}),
    of,
  };
}

/** One channel's scope under `channels:`. */
export const channelScopeSchema = z
  .object(scopeFields)
  .strict()
  .refine(hasLimit, { message: LIMIT_MESSAGE })
  .transform((s) => toViewScope(s, 'channel'));

const ruleSchema = z
  .object({ who: z.array(approverEntry).min(1).max(ACCESS_LIMITS.listed), ...scopeFields })
  .strict()
  .refine(hasLimit, { message: LIMIT_MESSAGE });

/** `access:` → {@link AccessPolicy}. */
export const accessSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .object({
      admins: z.array(approverEntry).max(ACCESS_LIMITS.listed).default([]),
      scopes: z.array(ruleSchema).max(ACCESS_LIMITS.rules).default([]),
      others: z.enum(['all', 'none']).default('all'),
    })
    .strict()
    .default({ admins: [], scopes: [], others: 'all' })
    .transform(
      (a): AccessPolicy => ({
        admins: a.admins,
        rules: a.scopes.map(({ who, ...s }) => ({ who, scope: toViewScope(s, 'you') })),
        others: a.others,
      }),
    ),
);

/** Entries of `access.admins` and `access.scopes[i].who` that name nobody in `approvals:` (run on the raw file). */
export function accessProblems(raw: unknown): { path: (string | number)[]; message: string }[] {
  const rec = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const file = rec(raw);
  const access = rec(file.access);
  const rules = Array.isArray(access.scopes) ? access.scopes : [];
  return [
    ...approverEntryProblems(file.approvals, access.admins, ['access', 'admins']),
    ...rules.flatMap((r, i) => approverEntryProblems(file.approvals, rec(r).who, ['access', 'scopes', i, 'who'])),
  ];
}
