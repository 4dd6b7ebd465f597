import { z } from 'zod';

/**
 * The structured cost query (version 1): what every surface asks the cost services — the command grammar compiles to
 * it, the fast path and the agent produce it, `tally ask --json` returns the one that ran, and the MCP tools take it
 * (docs/cost-query.md; JSON Schema in docs/cost-query.schema.json). Periods are resolved UTC days, so a query means
 * the same thing whenever it is run again.
 */
export const COST_QUERY_VERSION = 1;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD');
const period = z.object({ from: day, to: day }).strict().describe('both days inclusive');
const values = z.array(z.string().min(1).max(256)).min(1).max(100);

/** Dimensions a query filters on or groups by; `tag:<key>` for any tag; day, week (its Monday) and month as rows. */
const QUERY_DIMENSIONS = [
  'provider',
  'account',
  'service',
  'category',
  'subcategory',
  'region',
  'charge',
  'resource',
  'day',
  'week',
  'month',
] as const;
const dimension = z.union([z.enum(QUERY_DIMENSIONS), z.string().regex(/^tag:.{1,128}$/, 'tag:<key>')]);

const valueFilter = z
  .object({
    provider: values.optional().describe('ProviderName: AWS, Microsoft, Google Cloud, …'),
    account: values.optional().describe('SubAccountId'),
    service: values.optional().describe('ServiceName'),
    category: values.optional().describe('ServiceCategory'),
    subcategory: values.optional().describe('ServiceSubcategory'),
    region: values.optional().describe('RegionId'),
    charge: values.optional().describe('ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment'),
    resource: values.optional().describe('ResourceId'),
    tags: z
      .record(z.string().min(1).max(128), values)
      .optional()
      .describe('tag key → accepted values; "(untagged)" means rows without the tag'),
  })
  .strict();

export const costQuerySchema = z
  .object({
    version: z.literal(COST_QUERY_VERSION),
    kind: z
      .enum(['cost', 'compare', 'forecast'])
      .describe('a breakdown, two periods side by side, or the month-end forecast'),
    metric: z.enum(['effective', 'billed', 'list']).describe('effective = amortised (the default), billed = invoiced'),
    period: period.optional().describe('cost: the period; compare: the later period; forecast: none (this month)'),
    previous: period.optional().describe('compare: the earlier period'),
    where: valueFilter.optional().describe('only rows with these values; several values of one field are alternatives'),
    exclude: valueFilter.optional().describe('drop rows with any of these values'),
    groupBy: dimension.optional(),
    thenBy: dimension.optional().describe('cost: a second dimension; each row is a pair of values'),
    top: z.number().int().min(1).max(1000).optional().describe('the N largest rows; the rest as one "Other" row'),
    order: z.enum(['top', 'bottom']).optional().describe('cost: bottom = the N smallest rows instead (default top)'),
    runRate: z.boolean().optional().describe('cost: add the cost per day over the days with data'),
  })
  .strict();

/** One structured cost query. */
export type CostQuery = z.infer<typeof costQuerySchema>;
