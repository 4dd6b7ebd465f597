import type { ClickContext } from '../click.types.js';
import { alertsOf } from './alerts-of.js';

/** Mutes the alert's series for `days`, tells the clicker, and notes it in the alert's thread. */
export async function muteAlert(ctx: ClickContext, days: number): Promise<void> {
  const { alerts, anomalyId, user } = alertsOf(ctx);
  const outcome = await alerts.mute(anomalyId, user, days);
  await ctx.surface.replyPrivately(outcome.reply);
  if (outcome.note && ctx.click.message) await ctx.surface.post(outcome.note);
}
