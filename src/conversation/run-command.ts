import type { Anomaly } from '../anomalies/anomaly.types.js';
import type { CostQueryService } from '../costs/cost-query.service.js';
import type { CostFilter } from '../costs/cost-query.types.js';
import type { ForecastService } from '../costs/forecast.service.js';
import type { Period, PeriodSpec } from '../costs/period.js';
import { previousPeriod, resolvePeriod, validatePeriod } from '../costs/period.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import { dayOf, daysBetween } from '../shared/day.js';
import type { Reply } from '../shared/reply.types.js';
import { anomaliesReply } from './replies/anomalies.reply.js';

/** From this many days on, a breakdown's chart is the daily trend. */
const TREND_MIN_DAYS = 7;

import type { Command } from '../commands/command.types.js';
import { queryOfCommand } from '../commands/command-query.js';
import { echo } from '../commands/echo.js';
import { helpReply } from '../commands/help.js';
import { breakdownChart, trendChart } from '../costs/chart-spec.js';
import { filterContext } from '../costs/cost-labels.js';
import type { BreakdownResult } from '../costs/cost-results.types.js';
import { checkFilterNames, type DataNames, type UnknownName } from '../costs/filter-names.js';
import { applyScope, describeScope, isEmptyScope } from '../costs/view-scope.js';
import { compareReply } from './replies/compare.reply.js';
import { breakdownReply } from './replies/cost.reply.js';
import { forecastReply } from './replies/forecast.reply.js';
import { notConfiguredReply } from './replies/later.reply.js';
import type { StatusFacts } from './replies/status.reply.js';
import { scopedStatusReply, statusReply } from './replies/status.reply.js';

export interface CommandServiceDeps {
  costs: CostQueryService;
  forecast: ForecastService;
  clock: Clock;
  status: () => Promise<StatusFacts>;
  /** The names in the data, to check filter values against (docs/architecture.md#questions-as-people-ask-them). */
  names?: () => Promise<DataNames>;
  /** The anomaly scan (`anomalies …`). */
  anomalies?: (request: { from: string; to: string; filter?: CostFilter }) => Promise<Anomaly[]>;
}

/** How a reply will be shown. */
export interface RunOptions {
  /** Build a chart for answers that have one (chat platforms draw it; text renderers would not). */
  charts?: boolean;
}

/** Runs a parsed command against the cost services and builds its reply. */
export class CommandService {
  constructor(private readonly deps: CommandServiceDeps) {}

  /**
   * Runs a command; with a scope (the channel's, the person's, or both: docs/architecture.md#who-sees-what) only what
   * it allows is counted, and the answer says so.
   */
  async run(asked: Command, scope?: ViewScope, options: RunOptions = {}): Promise<Reply> {
    if (asked.kind === 'status' && scope) return scopedStatusReply(await this.deps.status(), scope);
    if ('filter' in asked) {
      const checked = this.deps.names ? checkFilterNames(asked.filter, await this.deps.names()) : null;
      if (checked?.unknown.length) return notFound(checked.unknown);
      const command = checked ? { ...asked, filter: checked.filter } : asked;
      const filter = applyScope(command.filter, scope);
      if (!filter) return outOfScope(scope!);
      const reply = await this.runScoped({ ...command, filter } as Command, options);
      // The filter the user asked for (not the scope, which is said separately).
      const only = filterContext(command.filter);
      const read = checked?.readings.length ? [`Read ${checked.readings.join(', ')}.`] : [];
      const context = [
        ...(reply.context ?? []),
        ...(only ? [only] : []),
        ...read,
        ...(scope ? [describeScope(scope)] : []),
      ];
      return context.length ? { ...reply, context } : reply;
    }
    return this.runScoped(asked, options);
  }

  private async runScoped(command: Command, options: RunOptions): Promise<Reply> {
    const today = dayOf(this.deps.clock.now());
    switch (command.kind) {
      case 'help':
        return helpReply(command.topic);
      case 'later':
        return notConfiguredReply(command.feature);
      case 'status':
        return statusReply(await this.deps.status());
      case 'anomalies': {
        const period = this.period(command.period, today);
        if (!period.ok) return helpReply('anomalies', period.message);
        if (!this.deps.anomalies) return notConfiguredReply('anomalies');
        const { from, to } = period.value;
        const found = await this.deps.anomalies({ from, to, filter: command.filter });
        return anomaliesReply(found, period.value);
      }
      case 'forecast':
        return withQuery(forecastReply(await this.deps.forecast.forecast({ today, ...command })), command, {});
      case 'cost': {
        const period = this.period(command.period, today);
        if (!period.ok) return helpReply('cost', period.message);
        const { kind: _kind, period: _spec, ...rest } = command;
        const result = await this.deps.costs.breakdown({ ...rest, period: period.value });
        const chart = options.charts ? await this.chartFor(result, command) : {};
        return withQuery({ ...breakdownReply(result, command.top), ...chart }, command, { period: period.value });
      }
      case 'compare': {
        const current = this.period(command.current, today);
        if (!current.ok) return helpReply('compare', current.message);
        const previous =
          command.previous.kind === 'previous'
            ? { ok: true as const, value: previousPeriod(command.current, current.value) }
            : this.period(command.previous, today);
        if (!previous.ok) return helpReply('compare', previous.message);
        const { kind: _k, current: _c, previous: _p, ...rest } = command;
        const reply = compareReply(
          await this.deps.costs.compare({ ...rest, current: current.value, previous: previous.value }),
        );
        return withQuery(reply, command, { period: current.value, previous: previous.value });
      }
      default:
        // Approval and digest commands need the turn (who asks): TurnHandler dispatches them elsewhere.
        return helpReply('approvals');
    }
  }

  /**
   * A chart for a breakdown: the daily trend of the top items (stacked) when the period spans a week or more, else
   * bars of the breakdown.
   */
  private async chartFor(result: BreakdownResult, command: Extract<Command, { kind: 'cost' }>) {
    if (!result.groupBy || result.currencies.length === 0) return {};
    const { from, to } = result.period;
    if (daysBetween(from, to) + 1 >= TREND_MIN_DAYS) {
      const daily = await this.deps.costs.daily({ from, to }, command.metric, command.filter, result.groupBy);
      const label = await this.deps.costs.labeller(result.groupBy);
      const chart = trendChart(daily, {
        title: `Daily ${breakdownReply(result).title.charAt(0).toLowerCase()}${breakdownReply(result).title.slice(1)}`,
        range: { from, to },
        label,
        ...(command.top ? { top: command.top } : {}),
      });
      if (chart) return { chart };
    }
    const bars = breakdownChart(result);
    return bars ? { chart: bars } : {};
  }

  private period(spec: PeriodSpec, today: string): { ok: true; value: Period } | { ok: false; message: string } {
    const value = resolvePeriod(spec, today);
    const problem = validatePeriod(value);
    return problem ? { ok: false, message: problem } : { ok: true, value };
  }
}

/** A filter names what the data does not hold: said, with the nearest names, instead of "No cost data". */
function notFound(unknown: UnknownName[]): Reply {
  const lines = unknown.map(
    (u) =>
      `No ${u.what} named ${echo(u.value)} in the cost data.${u.suggestions.length ? ` Did you mean ${u.suggestions.map(echo).join(' or ')}?` : ''}`,
  );
  return {
    kind: 'notice',
    title: 'Not in the cost data',
    text: lines.join('\n'),
    data: { notFound: unknown },
    visibility: 'ephemeral',
  };
}

/** The reply with the structured query that ran in its data (docs/cost-query.md), as `tally ask --json` shows it. */
function withQuery(reply: Reply, command: Command, periods: { period?: Period; previous?: Period }): Reply {
  const query = queryOfCommand(command, periods);
  return query && reply.kind === 'answer' ? { ...reply, data: { query, ...reply.data } } : reply;
}

function outOfScope(scope: ViewScope): Reply {
  if (isEmptyScope(scope))
    return {
      kind: 'notice',
      title: 'No cost data for you',
      text: `${describeScope(scope)} Ask an admin of Tally for access (access.scopes in the policy file).`,
      visibility: 'ephemeral',
    };
  return {
    kind: 'notice',
    title: scope.of === 'channel' ? 'Not visible in this channel' : 'Outside what you may see',
    text: `${describeScope(scope)} Ask without that filter${scope.of === 'channel' ? ', or ask in a channel that sees it' : ''}.`,
    visibility: 'ephemeral',
  };
}
