import { z } from 'zod';
import { costQuerySchema } from '../costs/cost-query.schema.js';

/**
 * The argument schemas of the agent's cost tools: the fields of the structured query (docs/cost-query.md) that a tool
 * does not imply, plus a period phrase for convenience. The tool's name gives `kind` and the version is Tally's own.
 *
 * Made for OpenAI function calling as @langchain/openai sends it (zod 4 → JSON Schema, objects made strict, optional
 * fields left out of `required`): `tags` is an object with any keys (`catchall`) rather than the query's
 * `z.record`, because zod 4 writes a record's key schema as `propertyNames`, which OpenAI refuses with a 400
 * ("'propertyNames' is not permitted"), strict mode or not. tests/integration/agent.int.test.ts checks what is sent.
 */

const q = costQuerySchema.shape;
const dimensions = q.where.unwrap().omit({ tags: true }).shape;

const valueFilter = z
  .object({
    ...dimensions,
    tags: z
      .object({})
      .catchall(z.array(z.string().min(1).max(256)).min(1).max(100))
      .optional()
      .describe('tag key → accepted values, e.g. {"env": ["prod"]}; "(untagged)" means rows without the tag'),
  })
  .strict();

const PHRASE_HELP =
  'a period as people say it, read by Tally: "last month", "October 2025", "Q1", "last quarter", "this week", ' +
  '"the past 14 days", "year to date", "yesterday", "2026-05", "between March 1 and March 15"';

/** Fields every cost tool takes: which rows count, and the metric. */
const scope = {
  metric: q.metric.optional().describe('effective = amortised (the default), billed = invoiced, list'),
  where: valueFilter
    .optional()
    .describe(
      'only rows with these values (exact names as in earlier results); several values of one field are alternatives',
    ),
  exclude: valueFilter.optional().describe('leave out rows with any of these values, e.g. {"charge": ["Tax"]}'),
};

/** The period of a tool, as UTC days or as a phrase; the days win when both are given. */
const period = {
  period: q.period.describe(
    'UTC days, both inclusive: {"from": "2026-05-01", "to": "2026-05-31"}; wins over periodPhrase',
  ),
  periodPhrase: z.string().min(1).max(200).optional().describe(`used when period is not given: ${PHRASE_HELP}`),
};

/** `query_costs`: a total, optionally by a dimension or a time bucket, optionally the top N rows. */
export const queryCostsArgs = z.object({
  ...period,
  ...scope,
  groupBy: q.groupBy.describe(
    'rows by provider, account, service, category, subcategory, region, charge, resource, tag:<key> (e.g. tag:team), ' +
      'or by day, week (its Monday) or month',
  ),
  top: q.top,
});

/** `compare_periods` and `explain_change`: the later period against the earlier one. */
export const comparePeriodsArgs = z.object({
  ...period,
  previous: q.previous.describe('the earlier period in UTC days; default: as many days right before period'),
  previousPhrase: z.string().min(1).max(200).optional().describe('used when previous is not given, like periodPhrase'),
  ...scope,
  groupBy: q.groupBy.describe('rows by a dimension, as in query_costs'),
  top: q.top,
});

/** `forecast`: this month's end. */
export const forecastArgs = z.object({
  ...scope,
  groupBy: q.groupBy.describe('rows by a dimension, as in query_costs'),
});

export type QueryCostsArgs = z.infer<typeof queryCostsArgs>;
export type ComparePeriodsArgs = z.infer<typeof comparePeriodsArgs>;
export type ForecastArgs = z.infer<typeof forecastArgs>;
