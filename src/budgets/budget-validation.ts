import type { CostFilter, CostValueLists } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { Budget, BudgetPeriod, BudgetThresholds } from './budget.types.js';
import { DEFAULT_THRESHOLDS, MAX_THRESHOLD_PERCENT } from './budget.types.js';

/** A budget as asked for (from chat or the policy file), before it is checked. */
export interface BudgetDraft {
  name: string;
  filter: CostFilter;
  metric?: Metric;
  period?: BudgetPeriod;
  amount?: number;
  currency?: string;
  owners: string[];
  channel?: string;
  thresholds?: Partial<BudgetThresholds>;
}

/** Why a budget draft is refused; each problem names what is wrong in `message`. */
type BudgetProblemCode =
  | 'NAME_INVALID'
  | 'AMOUNT_MISSING'
  | 'AMOUNT_INVALID'
  | 'CURRENCY_MISSING'
  | 'CURRENCY_INVALID'
  | 'UNKNOWN_TAG_KEY'
  | 'UNKNOWN_OWNER'
  | 'THRESHOLD_OUT_OF_RANGE';

export interface BudgetProblem {
  code: BudgetProblemCode;
  message: string;
}

/** What a draft is checked against: the tag keys the cost data holds, and the people of the policy file. */
export interface BudgetCheckContext {
  /** Tag keys of the cost data; null skips the check (no data to check against, e.g. the policy file at start). */
  tagKeys: readonly string[] | null;
  /** People keys of the policy file (`approvals.people`). */
  people: readonly string[];
}

/** A budget name: letters, digits, `-`, `_`, `.`; starting with a letter or digit; up to 64 characters. */
const BUDGET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const CURRENCY = /^[A-Z]{3}$/;
/** Words that are commands of their own after `budget`, so never names. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['set', 'list', 'remove', 'delete', 'help', 'request']);
/** The largest amount accepted: a typo guard, far above any real budget. */
const MAX_AMOUNT = 1e12;

/**
 * Checks a draft and completes it with the defaults (metric effective, monthly, thresholds 50/80/100% of actual and
 * 100% of forecast). Every problem is listed, each naming what is wrong (docs/budgets.md#validation).
 */
export function checkBudget(
  draft: BudgetDraft,
  ctx: BudgetCheckContext,
): { ok: true; budget: Omit<Budget, 'origin' | 'updatedBy' | 'updatedAt'> } | { ok: false; problems: BudgetProblem[] } {
  const problems: BudgetProblem[] = [];
  const add = (code: BudgetProblemCode, message: string) => problems.push({ code, message });
  if (!BUDGET_NAME.test(draft.name) || RESERVED_NAMES.has(draft.name.toLowerCase()))
    add(
      'NAME_INVALID',
      `"${draft.name}" is not a budget name: use letters, digits, "-", "_" or "." (up to 64), e.g. payments-team.`,
    );
  if (draft.amount === undefined) add('AMOUNT_MISSING', 'Give the amount and its currency, e.g. `12000 USD`.');
  else if (!Number.isFinite(draft.amount) || draft.amount <= 0 || draft.amount > MAX_AMOUNT)
    add('AMOUNT_INVALID', `The amount ${draft.amount} is not a positive amount of money.`);
  const currency = draft.currency?.toUpperCase();
  if (draft.amount !== undefined && currency === undefined)
    add(
      'CURRENCY_MISSING',
      `The amount ${draft.amount} has no currency: write it as \`${draft.amount} USD\` (or EUR, GBP, …).`,
    );
  else if (currency !== undefined && !CURRENCY.test(currency))
    add('CURRENCY_INVALID', `"${draft.currency}" is not a currency code: use three letters such as USD or EUR.`);
  for (const key of unknownTagKeys(draft.filter, ctx.tagKeys))
    add(
      'UNKNOWN_TAG_KEY',
      `The cost data has no tag key "${key}"${nearest(key, ctx.tagKeys ?? [])}. Tag keys in the data: ${(ctx.tagKeys ?? []).slice(0, 20).join(', ') || 'none'}.`,
    );
  for (const owner of draft.owners)
    if (!isOwner(owner, ctx.people))
      add(
        'UNKNOWN_OWNER',
        `Owner ${owner.startsWith('@') ? owner : `@${owner}`} does not exist: name a person of the policy file (approvals.people: ${ctx.people.join(', ') || 'none'}), a Slack user id (U…) or a Teams user id.`,
      );
  const thresholds = {
    actual: draft.thresholds?.actual ?? [...DEFAULT_THRESHOLDS.actual],
    forecast: draft.thresholds?.forecast ?? [...DEFAULT_THRESHOLDS.forecast],
  };
  for (const [kind, list] of Object.entries(thresholds))
    for (const p of list)
      if (!(Number.isFinite(p) && p > 0 && p <= MAX_THRESHOLD_PERCENT))
        add(
          'THRESHOLD_OUT_OF_RANGE',
          `The ${kind} threshold ${p}% is out of range: thresholds are above 0% and at most ${MAX_THRESHOLD_PERCENT.toLocaleString('en-US')}%.`,
        );
  if (problems.length > 0) return { ok: false, problems };
  const sorted = (l: number[]) => [...new Set(l)].sort((a, b) => a - b);
  return {
    ok: true,
    budget: {
      name: draft.name.toLowerCase(),
      filter: draft.filter,
      metric: draft.metric ?? 'effective',
      period: draft.period ?? 'monthly',
      amount: draft.amount as number,
      currency: currency as string,
      owners: [...new Set(draft.owners.map(ownerKey))],
      ...(draft.channel ? { channel: draft.channel } : {}),
      thresholds: { actual: sorted(thresholds.actual), forecast: sorted(thresholds.forecast) },
    },
  };
}

/** `@alice` → `alice`; ids stay as they are. */
function ownerKey(owner: string): string {
  return owner.replace(/^@/, '');
}

/** A people key of the policy, a Slack user id (`U…`, `W…`), or a Teams id (`29:…`, an AAD object id). */
function isOwner(owner: string, people: readonly string[]): boolean {
  const key = ownerKey(owner);
  if (people.includes(key)) return true;
  if (owner.startsWith('@')) return false;
  return (
    /^[UW][A-Z0-9]{2,}$/.test(key) || /^29:\S+$/.test(key) || /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(key)
  );
}

function unknownTagKeys(filter: CostFilter, known: readonly string[] | null): string[] {
  if (known === null) return [];
  const lists: CostValueLists[] = [filter, ...(filter.exclude ? [filter.exclude] : [])];
  const keys = [...lists.flatMap((l) => (l.tags ?? []).map((t) => t.key)), ...(filter.tagsIn ?? []).map((t) => t.key)];
  return [...new Set(keys)].filter((k) => !known.includes(k));
}

/** `; did you mean team?` when a key differs only in case. */
function nearest(key: string, known: readonly string[]): string {
  const same = known.find((k) => k.toLowerCase() === key.toLowerCase());
  return same ? ` (did you mean ${same}?)` : '';
}
