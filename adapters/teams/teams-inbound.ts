import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { ButtonClick } from '../../src/conversation/inbound.types.js';
import { actionOf, buttonValueOf } from './card-actions.js';
import type { TeamsDeps } from './teams-deps.types.js';
import { saveConversationReferences } from './teams-messenger.js';
import { type CardResponder, cardResponder, TeamsSurface } from './teams-surface.js';
import {
  mentionsBot,
  messageText,
  splitConversationId,
  teamsIdentity,
  teamsLocation,
  teamsTurn,
} from './teams-turn.js';

/** The invoke Teams sends for an `Action.Execute` (Universal Actions). */
const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/**
 * Teams activities as the core's models (docs/architecture.md#adapters-only-translate): messages to Tally as turns,
 * card actions (and their `Action.Submit` fallbacks) as clicks; installs and first contacts keep the conversation's
 * reference for proactive messages. The bot logic given to `CloudAdapter.process`.
 */
export function teamsInbound(deps: TeamsDeps): (ctx: TurnContext) => Promise<void> {
  return async (ctx) => {
    const { activity } = ctx;
    if (activity.type === ActivityTypes.Message) {
      const submit = submitOf(activity);
      if (submit) return click(ctx, deps, { ...submit, trigger: 'manual' }, cardResponder(ctx, 'message'));
      return message(ctx, deps);
    }
    if (activity.type === ActivityTypes.ConversationUpdate || activity.type === ActivityTypes.InstallationUpdate) {
      // Uninstalling, or the bot removed from the conversation, leaves nothing to write to.
      if (activity.action === 'remove' || activity.membersRemoved?.some((m) => m.id === activity.recipient?.id)) return;
      return saveReferences(ctx, deps);
    }
    if (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE) {
      const invoke = invokeOf(activity);
      if (!invoke) return cardResponder(ctx, 'invoke').message('This action is not understood.');
      return click(ctx, deps, invoke, cardResponder(ctx, 'invoke'));
    }
  };
}

/**
 * A message to Tally: in a personal chat, or mentioning it in a channel or group chat (with RSC permissions Teams
 * may deliver others, which are not for Tally). Answered in the conversation, a typing indicator first.
 */
async function message(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = ctx;
  // First contact: the reference lets Tally write here later (alerts, digests, approvals).
  await saveReferences(ctx, deps);
  const personal = activity.conversation?.conversationType === 'personal';
  if (!personal && !mentionsBot(activity)) return;
  const text = messageText(activity);
  if (!text) return;
  await ctx.sendActivity({ type: ActivityTypes.Typing }).catch((err: unknown) => {
    deps.logger.debug({ err, activityId: activity.id }, 'could not show the typing indicator');
  });
  const { conversation } = splitConversationId(activity.conversation?.id ?? '');
  // A redelivered activity (the channel retries when the answer took too long) is answered once.
  const deliveryId = `teams:activity:${conversation}:${activity.id}`;
  await deps.core.turn(teamsTurn(activity, text), new TeamsSurface(ctx, deps), { deliveryId });
}

/** A card action as a click; the clicker always gets an answer (an invoke without one shows an error in Teams). */
async function click(
  ctx: TurnContext,
  deps: TeamsDeps,
  action: { verb: string; data: Record<string, unknown>; trigger: 'manual' | 'automatic' },
  responder: CardResponder,
): Promise<void> {
  const { activity } = ctx;
  const { id, name } = teamsIdentity(activity);
  const location = teamsLocation(activity);
  const fields = Object.fromEntries(
    Object.entries(action.data).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const model: ButtonClick = {
    ...(activity.id ? { deliveryId: `teams:invoke:${activity.id}` } : {}),
    actionId: actionOf(action.verb),
    value: buttonValueOf(action.data),
    user: { id, ...(name ? { name } : {}) },
    location,
    ...(activity.replyToId
      ? { message: { id: activity.replyToId, ...(location.thread ? { thread: location.thread } : {}) } }
      : {}),
    fields,
    trigger: action.trigger,
  };
  const surface = new TeamsSurface(ctx, deps, responder);
  await deps.core.click(model, surface);
  if (!responder.answered) await responder.message(surface.posted ? 'Answered in the conversation.' : 'Done.');
}

/** Keeps the activity's conversation reference; a store failure is logged (the next message saves it again). */
async function saveReferences(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  try {
    await saveConversationReferences(deps.conversationRefs, ctx.activity);
  } catch (err) {
    deps.logger.warn(
      { err, conversation: ctx.activity.conversation?.id, activityType: ctx.activity.type },
      'could not save the Teams conversation reference',
    );
  }
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The verb and data of an `adaptiveCard/action` invoke: `value: { action: { verb, data }, trigger }`. */
function invokeOf(activity: Activity) {
  const value = record(activity.value);
  const action = record(value?.action);
  if (typeof action?.verb !== 'string') return undefined;
  const trigger: 'manual' | 'automatic' = value?.trigger === 'automatic' ? 'automatic' : 'manual';
  return { verb: action.verb, data: record(action.data) ?? {}, trigger };
}

/** An `Action.Submit` fallback arrives as a message whose `value` repeats the verb (see `card-actions.ts`). */
function submitOf(activity: Activity) {
  const value = record(activity.value);
  if (typeof value?.verb !== 'string') return undefined;
  const { verb, ...data } = value;
  return { verb, data };
}
