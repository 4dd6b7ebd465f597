import type { AlertInteractions, AlertUser } from '../../../../src/anomalies/alert-interactions.types.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { type ClickerReplies, clickerReplies } from '../clicker-replies.js';
import { failSafely } from '../fail-safely.js';
import type { ButtonArgs } from './approval-click.js';

/** What an alert button answers when `SlackListenerDeps.alerts` is absent. */
export const ALERTS_NOT_CONFIGURED =
  'Anomaly alerts are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.';

/** The alert message holding the button: where to update it and where its thread is. */
export interface AlertMessage {
  channel: string;
  ts: string;
  /** The thread to answer in: the message's own thread, or the message itself. */
  threadTs: string;
}

/** What an alert button's work gets: the port, the anomaly id (the button's value), who clicked, how to answer. */
export interface AlertClick extends ClickerReplies {
  alerts: AlertInteractions;
  anomalyId: string;
  user: AlertUser;
  /** Absent when the button sits in an ephemeral message (which has no thread and cannot be updated). */
  message?: AlertMessage;
}

/**
 * The frame of every alert button, like the approval buttons': ack at once (Slack's 3 seconds),
 * then, inside `failSafely`, handle each click once (its `trigger_id`), answer "not configured"
 * when alerts are absent, and run `work`.
 */
export async function onAlertClick(
  { ack, body, action, respond }: ButtonArgs,
  deps: SlackListenerDeps,
  work: (click: AlertClick) => Promise<void>,
): Promise<void> {
  await ack();
  const replies = clickerReplies(respond);
  const context = { channel: body.channel?.id, user: body.user.id, action: action.action_id, anomalyId: action.value };
  await failSafely(deps.logger, context, replies.text, async () => {
    if (!(await deps.dedupe.claim(`slack:action:${body.trigger_id}`, DEDUPE_TTL_SECONDS))) return;
    if (!deps.alerts) return replies.text(ALERTS_NOT_CONFIGURED);
    if (!action.value) return;
    const name = body.user.name ?? body.user.username;
    const user: AlertUser = { platform: 'slack', id: body.user.id, ...(name ? { name } : {}) };
    const channel = body.channel?.id;
    const ts = body.message?.ts;
    const message =
      channel && ts && !body.container?.is_ephemeral
        ? { channel, ts, threadTs: body.message?.thread_ts ?? ts }
        : undefined;
    await work({ ...replies, alerts: deps.alerts, anomalyId: action.value, user, ...(message ? { message } : {}) });
  });
}
