import type { AlertInteractions, AlertUser } from '../../../src/anomalies/alert-interactions.types.js';
import type { Identity } from '../../../src/approvals/approval.types.js';
import type { ApprovalInteractions } from '../../../src/approvals/approval-interactions.types.js';
import type { CardClick } from '../teams-bot.js';
import { DEDUPE_TTL_SECONDS, type TeamsDeps } from '../teams-deps.types.js';
import { teamsIdentity } from '../teams-turn.js';
import { failSafely } from './fail-safely.js';

/** What an approval verb answers when `TeamsDeps.approvals` is absent. */
export const APPROVALS_NOT_CONFIGURED =
  'Approvals are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.';

/** What an alert verb answers when `TeamsDeps.alerts` is absent. */
export const ALERTS_NOT_CONFIGURED =
  'Anomaly alerts are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.';

/** The id a card action carries (`data.id`: an approval or anomaly id, see `card-actions.ts`). */
export function idOf(click: CardClick): string | undefined {
  const id = click.data.id;
  return typeof id === 'string' && id.trim() ? id.trim() : undefined;
}

/**
 * The frame of every card action: inside `failSafely` (the clicker gets the apology as the action's answer),
 * handle each manual click once (its activity id: a redelivered invoke changes nothing twice), then run `work`.
 * A refresh (`trigger: 'automatic'`) only reads, so it is never deduplicated.
 */
export async function onCardClick(click: CardClick, deps: TeamsDeps, work: () => Promise<void>): Promise<void> {
  const { activity } = click.ctx;
  const context = { verb: click.verb, conversation: activity.conversation?.id, activityId: activity.id };
  await failSafely(deps.logger, context, click.respond.message, async () => {
    if (click.trigger === 'manual' && activity.id) {
      const first = await deps.dedupe.claim(`teams:invoke:${activity.id}`, DEDUPE_TTL_SECONDS);
      if (!first) return click.respond.message('Already done.');
    }
    await work();
  });
}

/** What an approval verb's work gets: the port, the approval id, and who clicked. */
export interface ApprovalClick {
  approvals: ApprovalInteractions;
  approvalId: string;
  viewer: Identity;
}

/** {@link onCardClick} for approval verbs: "not configured" without approvals, nothing without an id. */
export function onApprovalClick(
  click: CardClick,
  deps: TeamsDeps,
  work: (approval: ApprovalClick) => Promise<void>,
): Promise<void> {
  return onCardClick(click, deps, async () => {
    if (!deps.approvals) return click.respond.message(APPROVALS_NOT_CONFIGURED);
    const approvalId = idOf(click);
    if (!approvalId) return click.respond.message('This button names no approval.');
    await work({ approvals: deps.approvals, approvalId, viewer: teamsIdentity(click.ctx.activity) });
  });
}

/** What an alert verb's work gets: the port, the anomaly id, and who clicked. */
export interface AlertClick {
  alerts: AlertInteractions;
  anomalyId: string;
  user: AlertUser;
}

/** {@link onCardClick} for alert verbs: "not configured" without alerts, nothing without an id. */
export function onAlertClick(
  click: CardClick,
  deps: TeamsDeps,
  work: (alert: AlertClick) => Promise<void>,
): Promise<void> {
  return onCardClick(click, deps, async () => {
    if (!deps.alerts) return click.respond.message(ALERTS_NOT_CONFIGURED);
    const anomalyId = idOf(click);
    if (!anomalyId) return click.respond.message('This button names no alert.');
    const { id, name } = teamsIdentity(click.ctx.activity);
    await work({ alerts: deps.alerts, anomalyId, user: { platform: 'teams', id, ...(name ? { name } : {}) } });
  });
}
