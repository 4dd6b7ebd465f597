import type { ChannelScope } from '../config/policy.js';
import type { Reply } from '../conversation/reply.types.js';
import type { CostQueryService } from '../costs/cost-query.service.js';
import type { ForecastService } from '../costs/forecast.service.js';
import type { Period, PeriodSpec } from '../costs/period.js';
import { previousPeriod, resolvePeriod, validatePeriod } from '../costs/period.js';
import type { Clock } from '../shared/clock.js';
import { dayOf } from '../shared/day.js';
import type { Command } from './command.types.js';
import { compareReply } from './compare-reply.js';
import { breakdownReply } from './cost-reply.js';
import { forecastReply } from './forecast-reply.js';
import { helpReply } from './help.js';
import { notConfiguredReply } from './later-reply.js';
import { applyScope, describeScope } from './scope.js';
import type { StatusFacts } from './status-reply.js';
import { statusReply } from './status-reply.js';

export interface CommandServiceDeps {
  costs: CostQueryService;
  forecast: ForecastService;
  clock: Clock;
  status: () => Promise<StatusFacts>;
}

/** Runs a parsed command against the cost services and builds its reply. */
export class CommandService {
  constructor(private readonly deps: CommandServiceDeps) {}

  /** Runs a command; in a scoped channel only the scope's providers and accounts are counted. */
  async run(command: Command, scope?: ChannelScope): Promise<Reply> {
    if ('filter' in command) {
      const filter = applyScope(command.filter, scope);
      if (!filter) return outOfScope(scope!);
      const reply = await this.runScoped({ ...command, filter } as Command);
      return scope ? { ...reply, context: [...(reply.context ?? []), describeScope(scope)] } : reply;
    }
    return this.runScoped(command);
  }

  private async runScoped(command: Command): Promise<Reply> {
    const today = dayOf(this.deps.clock.now());
    switch (command.kind) {
      case 'help':
        return helpReply(command.topic);
      case 'later':
        return notConfiguredReply(command.feature);
      case 'status':
        return statusReply(await this.deps.status());
      case 'forecast':
        return forecastReply(await this.deps.forecast.forecast({ today, ...command }));
      case 'cost': {
        const period = this.period(command.period, today);
        if (!period.ok) return helpReply('cost', period.message);
        const { kind: _kind, period: _spec, ...rest } = command;
        return breakdownReply(await this.deps.costs.breakdown({ ...rest, period: period.value }), command.top);
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
        return compareReply(
          await this.deps.costs.compare({ ...rest, current: current.value, previous: previous.value }),
        );
      }
    }
  }

  private period(spec: PeriodSpec, today: string): { ok: true; value: Period } | { ok: false; message: string } {
    const value = resolvePeriod(spec, today);
    const problem = validatePeriod(value);
    return problem ? { ok: false, message: problem } : { ok: true, value };
  }
}

function outOfScope(scope: ChannelScope): Reply {
  return {
    kind: 'notice',
    title: 'Not visible in this channel',
    text: `${describeScope(scope)} Ask without that filter, or ask in a channel that sees it.`,
    visibility: 'ephemeral',
  };
}
