import { z } from 'zod';
import { BUDGET_PERIODS } from '../budgets/budget.types.js';
import type { BudgetPolicy } from '../budgets/budget-policy.types.js';
import type { BudgetDraft } from '../budgets/budget-validation.js';
import { checkBudget } from '../budgets/budget-validation.js';
import type { CostValueLists } from '../costs/cost-query.types.js';
import { approverEntry, approverEntryProblems } from './approval-policy.schema.js';
import { budgetChangeApproverProblems, budgetChangesSchema } from './budget-change-policy.schema.js';

/**
 * `budgets:` of the policy file (README.md#policy-file, docs/budgets.md#policy-file): a list of budgets, or
 * `{ admins, list }` to also name who may change budgets from chat. Each budget is checked as `budget set` checks it
 * (amount with its currency, owners who exist, thresholds above 0% and at most 1,000%), except its tag keys, which
 * the cost data is not loaded to check at start.
 *
 * @example
 * budgets:
 *   admins: [alice, "@finops"]
 *   list:
 *     - name: payments-team
 *       amount: 12000 USD
 *       period: monthly
 *       scope: { tags: { team: payments } }
 *       owners: [alice]
 *       channel: C0PAYMENTS
 */

const LIMITS = { budgets: 1000, listed: 1000 } as const;
const list = z.array(z.coerce.string().min(1)).min(1).max(LIMITS.listed);
const tagValues = z.union([list, z.coerce.string().min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** A scope's fields, as the cost filter names them in the file. */
const valueFields = {
  providers: list.optional(),
  accounts: list.optional(),
  services: list.optional(),
  categories: list.optional(),
  subcategories: list.optional(),
  regions: list.optional(),
  charges: list.optional(),
  resources: list.optional(),
  tags: z.record(z.string().min(1), tagValues).optional(),
};
const valuesSchema = z.object(valueFields).strict();
const scopeSchema = z.object({ ...valueFields, exclude: valuesSchema.optional() }).strict();
type RawValues = z.infer<typeof valuesSchema>;

/** `12000 USD` (or `12000` with `currency:`) → amount and currency. */
const AMOUNT_WITH_CURRENCY = /^\s*(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]{3})\s*$/;

const entrySchema = z
  .object({
    name: z.string().min(1),
    amount: z.union([z.number(), z.string().regex(AMOUNT_WITH_CURRENCY, 'an amount and a currency, e.g. 12000 USD')]),
    currency: z.string().optional(),
    period: z.enum(BUDGET_PERIODS).optional(),
    metric: z.enum(['effective', 'billed', 'list']).optional(),
    scope: scopeSchema.optional(),
    owners: z.array(z.coerce.string().min(1)).max(LIMITS.listed).default([]),
    channel: z.coerce.string().min(1).optional(),
    thresholds: z
      .object({ actual: z.array(z.number()).max(20).optional(), forecast: z.array(z.number()).max(20).optional() })
      .strict()
      .optional(),
  })
  .strict();
type RawEntry = z.infer<typeof entrySchema>;

/** `budgets:` → {@link BudgetPolicy}; the budgets' own checks run in {@link budgetProblems}. */
export const budgetsSchema = z.preprocess(
  (v) => (v === null || v === undefined ? undefined : Array.isArray(v) ? { list: v } : v),
  z
    .object({
      admins: z.array(approverEntry).max(LIMITS.listed).optional(),
      list: z.array(entrySchema).max(LIMITS.budgets).default([]),
      changes: budgetChangesSchema.optional(),
    })
    .strict()
    .default({ list: [] })
    .transform((b): Omit<BudgetPolicy, 'budgets'> & { drafts: BudgetDraft[] } => ({
      ...(b.admins ? { admins: b.admins } : {}),
      ...(b.changes ? { changes: b.changes } : {}),
      drafts: b.list.map(draftOf),
    })),
);

/** A file entry as the draft `budget set` would make. */
function draftOf(e: RawEntry): BudgetDraft {
  const m = typeof e.amount === 'string' ? AMOUNT_WITH_CURRENCY.exec(e.amount) : null;
  const amount = m ? Number(m[1]!.replace(/,/g, '')) : (e.amount as number);
  const currency = m ? m[2] : e.currency;
  const { exclude, ...only } = e.scope ?? {};
  return {
    name: e.name,
    filter: { ...filterOf(only), ...(exclude ? { exclude: filterOf(exclude) } : {}) },
    amount,
    ...(currency ? { currency } : {}),
    ...(e.period ? { period: e.period } : {}),
    ...(e.metric ? { metric: e.metric } : {}),
    owners: e.owners,
    ...(e.channel ? { channel: e.channel } : {}),
    ...(e.thresholds ? { thresholds: e.thresholds } : {}),
  };
}

function filterOf(v: RawValues): CostValueLists {
  const tags = Object.entries(v.tags ?? {}).flatMap(([key, values]) => values.map((value) => ({ key, value })));
  return {
    ...(v.providers ? { providers: v.providers } : {}),
    ...(v.accounts ? { subAccountIds: v.accounts } : {}),
    ...(v.services ? { services: v.services } : {}),
    ...(v.categories ? { categories: v.categories } : {}),
    ...(v.subcategories ? { subcategories: v.subcategories } : {}),
    ...(v.regions ? { regions: v.regions } : {}),
    ...(v.charges ? { charges: v.charges } : {}),
    ...(v.resources ? { resourceIds: v.resources } : {}),
    ...(tags.length ? { tags } : {}),
  };
}

/** The people keys of the raw `approvals.people`. */
function peopleOf(raw: unknown): string[] {
  const people = (raw as { approvals?: { people?: unknown } } | null)?.approvals?.people;
  return people && typeof people === 'object' ? Object.keys(people) : [];
}

/**
 * The checks of each budget in the file that need other sections (its owners among `approvals.people`), and its
 * admins among the people and groups; run on the raw file so that one run names every bad path.
 */
export function budgetProblems(raw: unknown): { path: (string | number)[]; message: string }[] {
  const file = (raw ?? {}) as { budgets?: unknown; approvals?: unknown };
  const parsed = budgetsSchema.safeParse(file.budgets);
  const prefix = Array.isArray(file.budgets) ? ['budgets'] : ['budgets', 'list'];
  const admins = (file.budgets as { admins?: unknown } | undefined)?.admins;
  const changes = (file.budgets as { changes?: unknown } | undefined)?.changes;
  const problems = Array.isArray(file.budgets)
    ? []
    : [
        ...approverEntryProblems(file.approvals, admins, ['budgets', 'admins']),
        ...budgetChangeApproverProblems(file.approvals, changes),
      ];
  if (!parsed.success) return problems;
  const names = new Set<string>();
  parsed.data.drafts.forEach((draft, i) => {
    const checked = checkBudget(draft, { tagKeys: null, people: peopleOf(raw) });
    if (!checked.ok) for (const p of checked.problems) problems.push({ path: [...prefix, i], message: p.message });
    else if (names.has(checked.budget.name))
      problems.push({ path: [...prefix, i, 'name'], message: `a second budget named ${checked.budget.name}` });
    else names.add(checked.budget.name);
  });
  return problems;
}

/** The policy's budgets, from drafts {@link budgetProblems} found nothing wrong with. */
export function policyBudgets(drafts: readonly BudgetDraft[], raw: unknown): BudgetPolicy['budgets'] {
  return drafts.flatMap((draft) => {
    const checked = checkBudget(draft, { tagKeys: null, people: peopleOf(raw) });
    return checked.ok
      ? [{ ...checked.budget, origin: 'policy' as const, updatedBy: 'policy file', updatedAt: '' }]
      : [];
  });
}
