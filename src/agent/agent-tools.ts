import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { Command } from '../commands/command.types.js';
import { parseCommand } from '../commands/parse-command.js';
import type { Day } from '../shared/day.js';
import type { Reply } from '../shared/reply.types.js';
import { explainChange } from './explain-change.js';
import { type ComparePeriodsArgs, comparePeriodsArgs, forecastArgs, queryCostsArgs } from './tool-args.schema.js';
import { type ToolArgs, toolQuery } from './tool-query.js';

/** Runs a command as the turn runs commands (channel scope included) and keeps each reply for the final answer. */
export interface ToolContext {
  run: (command: Command) => Promise<Reply>;
  replies: Reply[];
  /** Today (UTC, from the clock): what period phrases such as "last month" are read against. */
  today: Day;
  /** The month the fiscal year starts, for "fiscal Q1" in a period phrase. @defaultValue 1 */
  fiscalYearStart?: number;
  progress?: (what: string) => void;
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
  return resultOf(ctx, await ctx.run(parsed.command));
}

/**
 * Runs a tool's structured query as its command, through the turn's dispatch (the viewer's scope and limits apply).
 * Arguments that do not make a query come back as an error the model can correct.
 */
async function runQuery(ctx: ToolContext, t: ToolArgs, what: string): Promise<string> {
  const q = toolQuery(t, ctx.today, ctx.fiscalYearStart);
  if (!q.ok) return JSON.stringify({ error: q.error });
  ctx.progress?.(what);
  return resultOf(ctx, await ctx.run(q.command), q.notes);
}

/** A reply as the model sees it: its data (with the query that ran), or its text as an error. */
function resultOf(ctx: ToolContext, reply: Reply, notes: string[] = []): string {
  if (reply.kind !== 'answer') return JSON.stringify({ error: reply.text ?? reply.title });
  ctx.replies.push(reply);
  return JSON.stringify({ title: reply.title, ...(notes.length ? { notes } : {}), ...reply.data });
}

/** The agent's read-only tools: thin wrappers over the command service. None of them approves or executes anything. */
export function createCostTools(ctx: ToolContext) {
  const compare = (args: ComparePeriodsArgs, what: string) => runQuery(ctx, { kind: 'compare', args }, what);
  const queryCosts = tool(
    async (args) =>
      runQuery(ctx, { kind: 'cost', args }, `querying costs${args.groupBy ? ` by ${args.groupBy}` : ''}…`),
    {
      name: 'query_costs',
      description:
        'Total cost in a period (the structured cost query): filters on any dimension and tag, exclusions, rows by a ' +
        'dimension or by day, week or month, and the top N rows with the rest as "Other".',
      schema: queryCostsArgs,
    },
  );
  const comparePeriods = tool(async (args) => compare(args, 'comparing periods…'), {
    name: 'compare_periods',
    description:
      'Compare two periods: change and percent per row, rows that appeared or disappeared; a period that runs past ' +
      'the data is compared like for like. To explain a change: compare by service, then narrow `where` to the top ' +
      'contributor and compare by account, region or a tag.',
    schema: comparePeriodsArgs,
  });
  const forecast = tool(async (args) => runQuery(ctx, { kind: 'forecast', args }, 'forecasting…'), {
    name: 'forecast',
    description: 'Month-end forecast of the current month with an 80% range, compared with last month.',
    schema: forecastArgs,
  });
  const explain = tool(async (args) => explainChange(args, compare), {
    name: 'explain_change',
    description:
      'Explain why cost changed between two periods: drills down from services to accounts, regions and team tags, ' +
      'following the largest contributor at each step, and returns each step.',
    schema: comparePeriodsArgs.omit({ groupBy: true, top: true }),
  });
  return [queryCosts, comparePeriods, explain, forecast, ...createActionTools(ctx)];
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
