import type { ClickContext } from '../click.types.js';
import { alertUserOf } from '../click.types.js';

/** The alerts port of a click whose handler `needs: 'alerts'` (the registry checked it is there). */
export function alertsOf(ctx: ClickContext) {
  const { alerts } = ctx.features;
  if (!alerts) throw new Error('alerts are not set up');
  return { alerts, anomalyId: ctx.click.value, user: alertUserOf(ctx.click) };
}
