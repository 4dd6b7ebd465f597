import type { Budget } from '../../budgets/budget.types.js';
import { PERIOD_WORDS } from '../../budgets/budget-period.js';
import type { BudgetProblem } from '../../budgets/budget-validation.js';
import { METRIC_LABELS } from '../../costs/cost-labels.js';
import { formatMoney } from '../../shared/money.js';
import type { Reply } from '../../shared/reply.types.js';
import { scopeText } from './budget-status.reply.js';

/** `budget set` stored the budget. */
export function budgetSavedReply(b: Budget, created: boolean): Reply {
  return {
    kind: 'answer',
    title: `Budget ${b.name} ${created ? 'created' : 'updated'}`,
    text: `${formatMoney(b.amount, b.currency)} ${PERIOD_WORDS[b.period]} for ${scopeText(b)}.`,
    fields: [
      { label: 'Metric', value: METRIC_LABELS[b.metric] },
      { label: 'Owners', value: b.owners.length ? b.owners.join(', ') : 'none' },
      { label: 'Channel', value: b.channel ?? 'none' },
      {
        label: 'Alerts at',
        value: `${b.thresholds.actual.join(', ')}% of actual; ${b.thresholds.forecast.join(', ')}% of forecast`,
      },
    ],
    context: [`\`budget ${b.name}\` shows its status; \`budget remove ${b.name}\` removes it.`],
    data: { budget: b, created },
    visibility: 'channel',
  };
}

/** `budget remove` removed it. */
export function budgetRemovedReply(b: Budget): Reply {
  return {
    kind: 'answer',
    title: `Budget ${b.name} removed`,
    text: `${formatMoney(b.amount, b.currency)} ${PERIOD_WORDS[b.period]} for ${scopeText(b)}.`,
    data: { removed: b.name },
    visibility: 'channel',
  };
}

/** Nothing was saved: every problem of the budget, each naming what is wrong. */
export function budgetInvalidReply(name: string, problems: readonly BudgetProblem[]): Reply {
  return {
    kind: 'notice',
    title: `Budget ${name} not saved`,
    text: problems.map((p) => `• ${p.message}`).join('\n'),
    context: ['Nothing was saved. `help budget` shows examples.'],
    data: { saved: false, problems: problems.map((p) => ({ code: p.code, message: p.message })) },
    visibility: 'ephemeral',
  };
}

/** Why a budget command was refused without looking at the budget. */
export function budgetRefusedReply(reason: 'NOT_ALLOWED' | 'NOT_FOUND' | 'POLICY_BUDGET', name: string): Reply {
  const text = {
    NOT_ALLOWED:
      'Only budget admins may create, change or remove budgets: `budgets.admins` in the policy file, or `access.admins` when it has none.',
    NOT_FOUND: `There is no budget ${name} that you may see here: \`budgets\` lists them.`,
    POLICY_BUDGET: `Budget ${name} is defined in the policy file (\`budgets:\`), which chat cannot change: edit the file and restart Tally.`,
  }[reason];
  const title = { NOT_ALLOWED: 'Budget admins only', NOT_FOUND: 'No such budget', POLICY_BUDGET: 'Read-only budget' }[
    reason
  ];
  return { kind: 'notice', title, text, data: { saved: false, reason }, visibility: 'ephemeral' };
}
