import type { Reply } from '../shared/reply.types.js';

/** Examples shown by `help`, grouped by topic. Every one of them is a working command. */
const HELP_TOPICS: ReadonlyMap<string, { summary: string; examples: string[] }> = new Map(
  Object.entries({
    cost: {
      summary: 'What was spent, in a period, broken down by a dimension.',
      examples: [
        'cost',
        'cost last month by service',
        'cost by account this month',
        'billed cost by service from 2026-05-01 to 2026-05-31',
        'cost yesterday by region',
        'cost last 7 days by tag:team',
        'cost this month by service for provider AWS',
        'cost last month by resource for service "Amazon Elastic Compute Cloud"',
        'cost last month by tag:Name',
        'cost last month by service and region',
        'cost this month run rate',
        'cost last month by service excluding charge Tax',
      ],
    },
    top: {
      summary: 'The biggest items of a dimension.',
      examples: [
        'top 5 services last 30 days',
        'top 3 accounts last month',
        'top 10 regions year to date',
        'top 10 resources last month',
        'bottom 5 services last month',
      ],
    },
    compare: {
      summary: 'Two periods side by side, with absolute and percentage change, new and gone items.',
      examples: [
        'compare last week vs the week before by service',
        'compare last month vs the month before by account',
        'compare 2026-05 vs 2026-04 by provider',
      ],
    },
    forecast: {
      summary: 'Month-end forecast of the current month.',
      examples: ['forecast', 'forecast by provider'],
    },
    status: { summary: 'Which cost data is loaded.', examples: ['status'] },
    access: {
      summary: 'What you may see here; `access all` (admins): who sees what, from the policy file.',
      examples: ['access', 'access all'],
    },
    anomalies: {
      summary: 'Unusual days of spend: per service, per account and in total, against a day-of-week baseline.',
      examples: ['anomalies', 'anomalies last 30 days', 'anomalies from 2026-05-01 to 2026-05-31 for provider AWS'],
    },
    digest: {
      summary: 'A scheduled digest of the week (or day) in this channel, and by email.',
      examples: [
        'digest subscribe weekly mon 09:00 Europe/Berlin',
        'digest subscribe daily 08:30 UTC',
        'digest subscribe weekly fri 17:00 America/New_York to finops@example.com',
        'digest list',
        'digest unsubscribe',
        'digest now',
      ],
    },
    budget: {
      summary: 'Budgets: spend so far and the forecast to the end of the period against an amount, with owners.',
      examples: [
        'budgets',
        'budget payments-team',
        'budget set payments-team 12000 USD monthly for tag:team=payments owner @alice in #payments',
        'budget set platform 150000 EUR fiscal quarterly for provider AWS thresholds 50 90 forecast 100',
        'budget remove payments-team',
        'budget request payments-team 15000 because Black Friday load',
        'budget request payments-team 15000 for this month only because Black Friday load',
      ],
    },
    recommendations: {
      summary:
        'Savings recommendations for AWS: idle, oversized and old instances, unattached volumes, unused addresses.',
      examples: [
        'recommendations',
        'recommendations in eu-west-1',
        'recommendations refresh',
        'recommendations all',
        'dismiss rec_0123456789 because batch host, idle by design',
        'snooze i-0abc123 30d',
        'undismiss rec_0123456789',
      ],
    },
    propose: {
      summary: 'Ask for approval of a cost-saving action (nothing happens until the approvers agree).',
      examples: [
        'propose stop i-0abc123 in us-east-1 because idle for 14 days',
        'propose resize i-0abc123 to t3.small in us-east-1 because CPU peaks at 12%',
        'propose delete vol-0abc123 in us-east-1 because unattached since March',
        'propose release eipalloc-0abc123 in us-east-1 because unused',
        'propose stop i-0abc123 in us-east-1 account 222222222222 because idle for 14 days',
        'propose stop all idle instances in account 123456789012 because idle for 14 days',
      ],
    },
    approvals: {
      summary:
        'Pending and scheduled approvals, voting, cancelling until a scheduled action starts, undo, and what approved actions saved.',
      examples: [
        'approvals',
        'approval apr_1a2b3c4d',
        'approve apr_1a2b3c4d',
        'reject apr_1a2b3c4d because not during the release',
        'cancel apr_1a2b3c4d',
        'undo apr_1a2b3c4d',
        'undo apr_1a2b3c4d i-0abc123',
        'savings',
      ],
    },
  }),
);

const REFERENCE = [
  'Dimensions: provider, account, service, category, subcategory, region, charge, resource (FOCUS ResourceId), tag:<key> (any key).',
  'Periods: today, yesterday, this/last week, this/last month, last N days, month to date, year to date, ' +
    '`from YYYY-MM-DD to YYYY-MM-DD` (both days inclusive), YYYY-MM, `in May 2026`. Days are UTC.',
  'Metrics: cost = effective (amortised, the default), billed, list.',
  'Filters: `for service "Amazon Simple Storage Service"`, `for provider AWS`, `for account 123456789012`, `tag:team=payments`, `for charge Tax`, `tag:team=(untagged)`; exclusions: `excluding charge Tax`, `not tag:env=prod`.',
];

/** The help reply: all topics, or one topic; with a short problem statement first when a command was malformed. */
export function helpReply(topic?: string, problem?: string): Reply {
  const one = topic ? HELP_TOPICS.get(topic) : undefined;
  const topics = one && topic ? [[topic, one] as const] : [...HELP_TOPICS];
  const lines: string[] = [];
  if (problem) lines.push(problem, '');
  for (const [name, t] of topics) {
    lines.push(`${name}: ${t.summary}`);
    for (const e of t.examples) lines.push(`  ${e}`);
  }
  lines.push('', ...REFERENCE);
  return {
    kind: problem ? 'usage' : 'help',
    title: problem ? 'Usage' : 'What Tally can answer',
    text: lines.join('\n'),
    visibility: 'ephemeral',
  };
}
