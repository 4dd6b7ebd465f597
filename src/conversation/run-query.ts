import type { Command } from '../commands/command.types.js';
import { commandOfQuery } from '../commands/command-query.js';
import type { CostQuery } from '../costs/cost-query.schema.js';
import { COST_QUERY_VERSION, costQuerySchema } from '../costs/cost-query.schema.js';
import { FILTER_FIELDS, UNTAGGED } from '../costs/cost-query.types.js';
import { resolvePeriod } from '../costs/period.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import type { Day } from '../shared/day.js';
import { dayOf } from '../shared/day.js';
import type { Reply } from '../shared/reply.types.js';
import type { CommandService } from './run-command.js';

type ValueFilter = NonNullable<CostQuery['where']>;

/** `anomalies`: a period (default the last 30 days) and the query's filters. */
export interface AnomaliesRequest {
  period?: { from: Day; to: Day };
  where?: ValueFilter;
  exclude?: ValueFilter;
}

/** `list_dimension_values`: the values of one dimension present in the data, optionally only those starting so. */
export interface DimensionValuesRequest {
  /** A filter dimension (`provider`, `account`, …, `tag:<key>`), or `tag` for the tag keys. */
  dimension: string;
  /** Case-insensitive start of the value (or of an account's name). */
  prefix?: string;
  /** At most this many values (default {@link DEFAULT_VALUES_LIMIT}). */
  limit?: number;
}

/** One value of a dimension; accounts also carry their name (`label`). */
interface DimensionValue {
  value: string;
  label?: string;
}

export interface QueryRunnerDeps {
  /** The command service every chat turn's cost commands run through. */
  commands: Pick<CommandService, 'run'>;
  /** The viewer's scope (docs/architecture.md#who-sees-what); undefined when nothing narrows the view. */
  scope: () => Promise<ViewScope | undefined>;
  clock: Clock;
  /** The days there is cost data for: dimension values are read over all of them. */
  dataRange: () => Promise<{ from: Day; to: Day } | null>;
  /** Every tag key in the data (`list_dimension_values` of `tag`). */
  tagKeys: () => Promise<string[]>;
}

/** Dimensions whose values can be listed (tags as `tag:<key>`, their keys as `tag`). */
const VALUE_DIMENSIONS = Object.keys(FILTER_FIELDS);
const DEFAULT_VALUES_LIMIT = 200;

/**
 * Structured queries in, reply data out: what the MCP tools run (docs/mcp.md). Every query becomes a command of the
 * chat's command language and runs through the same {@link CommandService} as a chat turn's, with the viewer's scope,
 * so the figures are the ones `tally ask --json` gives and a scoped person sees only what they may. Only cost,
 * compare, forecast and anomaly commands are built here: nothing proposes, votes or changes anything.
 */
export class QueryRunner {
  constructor(private readonly deps: QueryRunnerDeps) {}

  /** Runs a structured query (cost, compare or forecast); its reply's data carries the query that ran. */
  async query(input: unknown): Promise<Reply> {
    const parsed = costQuerySchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return this.run(commandOfQuery(parsed.data, this.monthToDate()));
  }

  /** The anomalies found in a period, with the filters of a query; the data carries the request that ran. */
  async anomalies(request: AnomaliesRequest): Promise<Reply> {
    const asQuery = costQuerySchema.safeParse({
      version: COST_QUERY_VERSION,
      kind: 'cost',
      metric: 'effective',
      ...request,
    });
    if (!asQuery.success) return invalid(asQuery.error.issues.map((i) => i.message).join('; '));
    const { filter } = commandOfQuery(asQuery.data, this.monthToDate()) as Extract<Command, { kind: 'cost' }>;
    const period = request.period
      ? ({ kind: 'range', ...request.period } as const)
      : ({ kind: 'last-days', days: 30 } as const);
    const reply = await this.run({ kind: 'anomalies', period, filter });
    if (reply.kind !== 'answer') return reply;
    const { from, to } = reply.data as { from: Day; to: Day };
    const query = { kind: 'anomalies', period: { from, to }, ...whereOf(request) };
    return { ...reply, data: { query, ...reply.data } };
  }

  /** The values of a dimension present in the viewer's data (all days), read through a cost query grouped by it. */
  async values(request: DimensionValuesRequest): Promise<Reply> {
    const { dimension } = request;
    if (dimension !== 'tag' && !isValueDimension(dimension))
      return invalid(`dimension: one of ${VALUE_DIMENSIONS.join(', ')}, tag:<key>, or tag (the tag keys)`);
    const range = await this.deps.dataRange();
    if (!range)
      return {
        kind: 'notice',
        title: 'No cost data yet',
        text: 'Import a FOCUS export or sync a cloud.',
        visibility: 'ephemeral',
      };
    const found =
      dimension === 'tag'
        ? { values: (await this.tagKeysInScope(range)).map((value): DimensionValue => ({ value })), query: null }
        : await this.valuesOf(dimension, range);
    if ('kind' in found) return found;
    const prefix = request.prefix?.toLowerCase() ?? '';
    const matching = found.values.filter(
      (v) => v.value.toLowerCase().startsWith(prefix) || (v.label?.toLowerCase().startsWith(prefix) ?? false),
    );
    const limit = request.limit ?? DEFAULT_VALUES_LIMIT;
    return {
      kind: 'answer',
      title: `Values of ${dimension}${request.prefix ? ` starting with "${request.prefix}"` : ''}`,
      data: {
        ...(found.query ? { query: found.query } : {}),
        dimension,
        ...(request.prefix ? { prefix: request.prefix } : {}),
        from: range.from,
        to: range.to,
        values: matching.slice(0, limit),
        truncated: matching.length > limit,
      },
      visibility: 'channel',
    };
  }

  private async run(command: Command): Promise<Reply> {
    return this.deps.commands.run(command, await this.deps.scope());
  }

  private monthToDate() {
    return resolvePeriod({ kind: 'month-to-date' }, dayOf(this.deps.clock.now()));
  }

  private async valuesOf(
    dimension: string,
    range: { from: Day; to: Day },
  ): Promise<{ values: DimensionValue[]; query: unknown } | Reply> {
    const reply = await this.query({
      version: COST_QUERY_VERSION,
      kind: 'cost',
      metric: 'effective',
      period: range,
      groupBy: dimension,
    });
    if (reply.kind !== 'answer') return reply;
    const data = reply.data as { query: unknown; rows?: { key: string; label?: string }[] };
    const values = new Map<string, DimensionValue>();
    for (const row of data.rows ?? []) {
      if (row.key === '' || row.key === UNTAGGED || values.has(row.key)) continue;
      values.set(row.key, { value: row.key, ...(row.label && row.label !== row.key ? { label: row.label } : {}) });
    }
    return { values: [...values.values()].sort((a, b) => a.value.localeCompare(b.value)), query: data.query };
  }

  /** Tag keys; for a scoped viewer only the keys that have a value in what they may see. */
  private async tagKeysInScope(range: { from: Day; to: Day }): Promise<string[]> {
    const keys = (await this.deps.tagKeys()).sort();
    if (!(await this.deps.scope())) return keys;
    const seen: string[] = [];
    for (const key of keys) {
      const found = await this.valuesOf(`tag:${key}`, range);
      if ('values' in found && found.values.length > 0) seen.push(key);
    }
    return seen;
  }
}

function isValueDimension(name: string): boolean {
  return VALUE_DIMENSIONS.includes(name) || /^tag:.{1,128}$/.test(name);
}

function whereOf(request: AnomaliesRequest) {
  return {
    ...(request.where ? { where: request.where } : {}),
    ...(request.exclude ? { exclude: request.exclude } : {}),
  };
}

function invalid(message: string): Reply {
  return { kind: 'usage', title: 'Invalid query', text: message, visibility: 'ephemeral' };
}
