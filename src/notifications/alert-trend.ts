import type { Anomaly } from '../anomalies/anomaly.types.js';
import { trendChart } from '../costs/chart-spec.js';
import type { CostQueryService } from '../costs/cost-query.service.js';
import { addDays } from '../shared/day.js';
import type { ChartSpec } from '../shared/reply.types.js';

/**
 * The chart under an alert: the anomaly's series (its service, its account, or the total), day by day over the 30
 * days up to the anomaly's day.
 */
export function alertTrend(costs: Pick<CostQueryService, 'daily'>) {
  return async (a: Anomaly): Promise<ChartSpec | undefined> => {
    const range = { from: addDays(a.day, -29), to: a.day };
    const filter =
      a.dimension === 'service' ? { services: [a.key] } : a.dimension === 'account' ? { subAccountIds: [a.key] } : {};
    const daily = await costs.daily(range, 'effective', filter);
    const chart = trendChart(daily, {
      title: `Daily cost of ${a.label}, 30 days to ${a.day}`,
      currency: a.currency,
      range,
      label: () => a.label,
    });
    return chart ?? undefined;
  };
}
