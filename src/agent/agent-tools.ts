import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { Command } from '../commands/command.types.js';
import { parseCommand } from '../commands/parse-command.js';
import type { Reply } from '../shared/reply.types.js';

/** Runs a command as the turn runs commands (channel scope included) and keeps each reply for the final answer. */
export interface ToolContext {
  run: (command: Command) => Promise<Reply>;
  replies: Reply[];
  progress?: (what: string) => void;
}

const DIMENSION = z
  .string()
  .describe(
    'one of provider, account, service, category, region, charge, resource (cloud resource id), or tag:<key> (any tag key, e.g. tag:team, tag:Name)',
  );
const PERIOD = z
  .string()
  .describe(
    'a period in the command language: today, yesterday, this week, last week, this month, last month, last 30 days, ' +
      'month to date, year to date, 2026-05, or "from 2026-05-01 to 2026-05-31"',
  );
const METRIC = z
  .enum(['effective', 'billed', 'list'])
  .optional()
  .describe('effective (amortised, default), billed or list');
const FILTERS = {
  service: z.string().optional().describe('only this service (exact name as in earlier results)'),
  provider: z.string().optional().describe('only this provider: AWS, Microsoft or Google Cloud'),
  account: z.string().optional().describe('only this sub-account id'),
};

type Filters = { service?: string | undefined; provider?: string | undefined; account?: string | undefined };

function filterText(f: Filters): string {
  const q = (v: string) => `"${v.replace(/"/g, '')}"`;
  return [
    f.service ? `for service ${q(f.service)}` : '',
    f.provider ? `for provider ${q(f.provider)}` : '',
    f.account ? `for account ${q(f.account)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Runs a command line; a line the grammar refuses comes back to the model as an error it can correct. The result is
 * the reply's data as compact JSON: the only source of figures for the model.
 */
async function runLine(ctx: ToolContext, line: string, what: string): Promise<string> {
  const parsed = parseCommand(line);
  if (!parsed.ok) {
    const why = parsed.reason === 'INVALID' ? parsed.message : 'not a valid command';
    return JSON.stringify({ error: `Invalid arguments: ${why} (command was: ${line})` });
  }
  ctx.progress?.(what);
  const reply = await ctx.run(parsed.command);
  if (reply.kind !== 'answer') return JSON.stringify({ error: reply.text ?? reply.title });
  ctx.replies.push(reply);
  return JSON.stringify({ title: reply.title, ...reply.data });
}

/** The agent's read-only tools: thin wrappers over the command service. None of them approves or executes anything. */
export function createCostTools(ctx: ToolContext) {
  const costBreakdown = tool(
    async (a) => {
      const line = `${a.metric === 'billed' || a.metric === 'list' ? `${a.metric} ` : ''}cost ${a.period}${a.groupBy ? ` by ${a.groupBy}` : ''}${a.top ? ` top ${a.top}` : ''} ${filterText(a)}`;
      return runLine(ctx, line.trim(), `querying costs${a.groupBy ? ` by ${a.groupBy}` : ''}…`);
    },
    {
      name: 'cost_breakdown',
      description: 'Total cost in a period, optionally broken down by a dimension, optionally only the top N items.',
      schema: z.object({
        period: PERIOD,
        groupBy: DIMENSION.optional(),
        metric: METRIC,
        top: z.number().int().min(1).max(50).optional(),
        ...FILTERS,
      }),
    },
  );
  const comparePeriods = tool(
    async (a) => {
      const vs = a.previous ? ` vs ${a.previous}` : ' vs the period before';
      const line = `compare ${a.current}${vs}${a.groupBy ? ` by ${a.groupBy}` : ''}${a.top ? ` top ${a.top}` : ''} ${filterText(a)}`;
      return runLine(ctx, line.trim(), 'comparing periods…');
    },
    {
      name: 'compare_periods',
      description:
        'Compare two periods: change and percent per item, items that appeared or disappeared. Use it to explain a ' +
        'change: compare by service, then drill down (filter to the top contributor, break down by account, region, tag).',
      schema: z.object({
        current: PERIOD,
        previous: PERIOD.optional().describe('the earlier period; default: the period right before'),
        groupBy: DIMENSION.optional(),
        top: z.number().int().min(1).max(50).optional(),
        metric: METRIC,
        ...FILTERS,
      }),
    },
  );
  const forecast = tool(
    async (a) => runLine(ctx, `forecast${a.groupBy ? ` by ${a.groupBy}` : ''} ${filterText(a)}`.trim(), 'forecasting…'),
    {
      name: 'forecast',
      description: 'Month-end forecast of the current month, compared with last month.',
      schema: z.object({ groupBy: DIMENSION.optional(), ...FILTERS }),
    },
  );
  const explainChange = tool(async (a) => explain(ctx, a), {
    name: 'explain_change',
    description:
      'Explain why cost changed between two periods: drills down from services to accounts, regions and team tags, ' +
      'following the largest contributor at each step, and returns each step.',
    schema: z.object({ current: PERIOD, previous: PERIOD.optional(), metric: METRIC, ...FILTERS }),
  });
  return [costBreakdown, comparePeriods, explainChange, forecast, ...createActionTools(ctx)];
}

const VERB = { stop_instance: 'stop', resize_instance: 'resize', delete_volume: 'delete', release_address: 'release' };

/**
 * Recommendations (read only) and `propose_action`, which only creates a PENDING approval for people to vote on
 * (docs/architecture.md#approvals). No tool can vote, approve or execute: the turn handler refuses those commands from
 * the agent.
 */
function createActionTools(ctx: ToolContext) {
  const recommendations = tool(
    async (a) => runLine(ctx, `recommendations${a.region ? ` in ${a.region}` : ''}`, 'looking for savings…'),
    {
      name: 'savings_recommendations',
      description:
        'Savings recommendations for AWS: idle or oversized instances, unattached volumes, unused Elastic IPs, ' +
        'previous-generation types, each with a monthly savings estimate and the command that proposes it.',
      schema: z.object({ region: z.string().optional().describe('an AWS region such as us-east-1; default: all') }),
    },
  );
  const propose = tool(
    async (a) => {
      const to = a.action === 'resize_instance' && a.instanceType ? ` to ${a.instanceType}` : '';
      const reason = a.reason.replace(/[\r\n"'“”]+/g, ' ').trim();
      const line = `propose ${VERB[a.action]} ${a.resourceId}${to} in ${a.region} because ${reason}`;
      const parsed = parseCommand(line);
      if (!parsed.ok)
        return JSON.stringify({ error: `Invalid arguments: ${parsed.reason === 'INVALID' ? parsed.message : line}` });
      ctx.progress?.('requesting approval…');
      const reply = await ctx.run(parsed.command);
      return JSON.stringify({ title: reply.title, text: reply.text ?? null, ...reply.data });
    },
    {
      name: 'propose_action',
      description:
        'Ask people to approve a cost-saving action on one AWS resource. This only creates a pending approval request ' +
        'that approvers vote on; nothing changes until they approve. Use it only when the user asks for the action.',
      schema: z.object({
        action: z.enum(['stop_instance', 'resize_instance', 'delete_volume', 'release_address']),
        resourceId: z.string().describe('i-…, vol-… or eipalloc-…'),
        region: z.string().describe('the AWS region, e.g. us-east-1'),
        instanceType: z.string().optional().describe('resize only: the new instance type'),
        reason: z.string().min(3).describe('why, in the user’s words'),
      }),
    },
  );
  return [recommendations, propose];
}

const DRILL = ['service', 'account', 'region', 'tag:team'] as const;
const FILTER_OF: Record<(typeof DRILL)[number], keyof Filters | null> = {
  service: 'service',
  account: 'account',
  region: null,
  'tag:team': null,
};

/** Follows the largest change down the dimensions; stops when a dimension no longer splits it. */
async function explain(
  ctx: ToolContext,
  a: Filters & { current: string; previous?: string | undefined; metric?: string | undefined },
): Promise<string> {
  const steps: unknown[] = [];
  const filters: Filters = { service: a.service, provider: a.provider, account: a.account };
  for (const dim of DRILL) {
    const vs = a.previous ? ` vs ${a.previous}` : ' vs the period before';
    const line = `${a.metric === 'billed' || a.metric === 'list' ? `${a.metric} ` : ''}compare ${a.current}${vs} by ${dim} top 3 ${filterText(filters)}`;
    const result = JSON.parse(
      await runLine(
        ctx,
        line.replace(/^(billed|list) compare/, 'compare $1').trim(),
        `explaining the change by ${dim}…`,
      ),
    ) as {
      error?: string;
      currencies?: { rows?: { key: string; change: number }[] }[];
    };
    if (result.error) return JSON.stringify({ steps, error: result.error });
    steps.push({ by: dim, ...result });
    const top = result.currencies?.[0]?.rows?.[0];
    const field = FILTER_OF[dim];
    if (!top || !field) continue;
    filters[field] = top.key;
  }
  return JSON.stringify({ steps });
}
