import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnomaliesRequest, DimensionValuesRequest } from '../../src/conversation/run-query.js';
import { COST_QUERY_VERSION, costQuerySchema } from '../../src/costs/cost-query.schema.js';
import type { Reply } from '../../src/shared/reply.types.js';

/** What the tools run (src/conversation/run-query.ts): structured queries in, replies out. */
export interface McpQueries {
  query(input: unknown): Promise<Reply>;
  anomalies(request: AnomaliesRequest): Promise<Reply>;
  values(request: DimensionValuesRequest): Promise<Reply>;
}

const q = costQuerySchema.shape;
const metric = q.metric.optional().describe('effective = amortised (the default), billed = invoiced, or list');
const filters = { where: q.where, exclude: q.exclude };
/** Every tool only reads: nothing in Tally's MCP server proposes, votes or changes anything. */
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * An MCP server with Tally's read-only cost tools over the structured cost query (docs/cost-query.md). Each result is
 * the reply's data as JSON text and as `structuredContent`, with the exact query that ran in `query`.
 */
export function createMcpServer(queries: McpQueries, info: { version: string }): McpServer {
  const server = new McpServer({ name: 'tally', version: info.version });
  const asQuery = (kind: 'cost' | 'compare' | 'forecast', args: Record<string, unknown>) =>
    queries.query({ version: COST_QUERY_VERSION, kind, ...args, metric: args.metric ?? 'effective' });
  server.registerTool(
    'query_costs',
    {
      title: 'Query costs',
      description:
        'Cost in a period (UTC days, both inclusive; default this month to date), optionally filtered, grouped by one ' +
        'dimension (provider, account, service, category, subcategory, region, charge, resource, tag:<key>, day, ' +
        'week, month) and cut to the top N (the rest is one "Other" row). Use list_dimension_values for exact names.',
      inputSchema: { metric, period: q.period, ...filters, groupBy: q.groupBy, top: q.top },
      annotations: READ_ONLY,
    },
    async (args) => resultOf(await asQuery('cost', args)),
  );
  server.registerTool(
    'compare_costs',
    {
      title: 'Compare two periods',
      description:
        'Two periods side by side, per item with the change and its ratio: `period` is the later one (default this ' +
        'month to date), `previous` the earlier one (default the one right before, like for like).',
      inputSchema: { metric, period: q.period, previous: q.previous, ...filters, groupBy: q.groupBy, top: q.top },
      annotations: READ_ONLY,
    },
    async (args) => resultOf(await asQuery('compare', args)),
  );
  server.registerTool(
    'forecast',
    {
      title: 'Month-end forecast',
      description: "This month's forecast to its end, compared with last month, optionally filtered or grouped.",
      inputSchema: { metric, ...filters, groupBy: q.groupBy },
      annotations: READ_ONLY,
    },
    async (args) => resultOf(await asQuery('forecast', args)),
  );
  server.registerTool(
    'anomalies',
    {
      title: 'Cost anomalies',
      description: 'Unusual daily costs found in a period (default the last 30 days), optionally filtered.',
      inputSchema: { period: q.period, ...filters },
      annotations: READ_ONLY,
    },
    async (args) => resultOf(await queries.anomalies(args)),
  );
  server.registerTool(
    'list_dimension_values',
    {
      title: 'List dimension values',
      description:
        'The values of a dimension present in the cost data (exact names for filters), optionally only those that ' +
        'start with a prefix; `tag` lists the tag keys, `tag:<key>` the values of one key.',
      inputSchema: {
        dimension: z
          .string()
          .min(1)
          .max(132)
          .describe('provider, account, service, category, subcategory, region, charge, resource, tag or tag:<key>'),
        prefix: z.string().max(256).optional().describe('case-insensitive start of the value or the account name'),
        limit: z.number().int().min(1).max(1000).optional().describe('at most this many values (default 200)'),
      },
      annotations: READ_ONLY,
    },
    async (args) => resultOf(await queries.values(args)),
  );
  return server;
}

/** An answer as its data (JSON text and structured); anything else as its text, an error when the input was wrong. */
function resultOf(reply: Reply): CallToolResult {
  if (reply.kind === 'answer' && reply.data) {
    const data = { title: reply.title, ...reply.data, ...(reply.context?.length ? { context: reply.context } : {}) };
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
  }
  const text = [reply.title, reply.text].filter(Boolean).join('\n');
  return { content: [{ type: 'text', text }], isError: reply.kind === 'usage' || reply.kind === 'error' };
}
