import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { register } from './handlers/index.js';
import type { AdaptiveCard, CardInvokeResponse, MessageInvokeResponse } from './render-card.js';
import { toAttachment, toInvokeResponse, toMessageInvokeResponse } from './render-card.js';
import type { TeamsDeps } from './teams-deps.types.js';

/** The invoke Teams sends for an `Action.Execute` (Universal Actions). */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** How a card action is answered: the clicker's card replaced, or a short message for them. */
export interface CardResponder {
  card(card: AdaptiveCard): Promise<void>;
  message(text: string): Promise<void>;
}

/** One click of an `Action.Execute` (an invoke), or of its `Action.Submit` fallback (a message with `value`). */
export interface CardClick {
  ctx: TurnContext;
  verb: string;
  /** The action's `data`, with the values of the card's inputs merged in by Teams (e.g. `reason`). */
  data: Record<string, unknown>;
  /** `automatic` for a card refresh, `manual` for a click (a Submit fallback is always manual). */
  trigger: 'manual' | 'automatic';
  respond: CardResponder;
}

export type MessageHandler = (ctx: TurnContext) => Promise<void>;
export type CardActionHandler = (click: CardClick) => Promise<void>;

/**
 * Routes activities to the handlers registered on it, one per concern (docs/architecture.md#one-handler-per-file):
 * messages, conversation and installation updates, and card actions by verb. Invokes without a handler get no invoke
 * response, which `CloudAdapter` answers with 501.
 */
export class TeamsBot {
  private readonly messages: MessageHandler[] = [];
  private readonly conversationUpdates: MessageHandler[] = [];
  private readonly cardActions = new Map<string, CardActionHandler>();

  /** Called for every `message` activity that is not a card's Submit fallback. */
  onMessage(handler: MessageHandler): void {
    this.messages.push(handler);
  }

  /** Called for `conversationUpdate` and `installationUpdate` activities (the app added to a team, chat or user). */
  onConversationUpdate(handler: MessageHandler): void {
    this.conversationUpdates.push(handler);
  }

  /** The handler of one card verb; a second handler for the same verb is a bug. */
  onCardAction(verb: string, handler: CardActionHandler): void {
    if (this.cardActions.has(verb)) throw new Error(`two handlers for the card verb ${verb}`);
    this.cardActions.set(verb, handler);
  }

  /** The bot logic given to `CloudAdapter.process` and `continueConversationAsync`. */
  readonly run = async (ctx: TurnContext): Promise<void> => {
    const { activity } = ctx;
    if (activity.type === ActivityTypes.Message) {
      const submit = submitOf(activity);
      if (submit) return this.click({ ctx, ...submit, trigger: 'manual', respond: messageResponder(ctx) });
      for (const handler of this.messages) await handler(ctx);
      return;
    }
    if (activity.type === ActivityTypes.ConversationUpdate || activity.type === ActivityTypes.InstallationUpdate) {
      for (const handler of this.conversationUpdates) await handler(ctx);
      return;
    }
    if (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE) {
      const invoke = invokeOf(activity);
      if (!invoke) return invokeResponder(ctx).message('This action is not understood.');
      return this.click({ ctx, ...invoke, respond: invokeResponder(ctx) });
    }
  };

  private async click(click: CardClick): Promise<void> {
    const handler = this.cardActions.get(click.verb);
    if (!handler) return click.respond.message('This button is not supported by this version of Tally.');
    await handler(click);
  }
}

/** The bot with every handler of `handlers/` registered. */
export function createTeamsBot(deps: TeamsDeps): TeamsBot {
  const bot = new TeamsBot();
  register(bot, deps);
  return bot;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The verb and data of an `adaptiveCard/action` invoke: `value: { action: { verb, data }, trigger }`. */
function invokeOf(activity: Activity): Pick<CardClick, 'verb' | 'data' | 'trigger'> | undefined {
  const value = record(activity.value);
  const action = record(value?.action);
  if (typeof action?.verb !== 'string') return undefined;
  return {
    verb: action.verb,
    data: record(action.data) ?? {},
    trigger: value?.trigger === 'automatic' ? 'automatic' : 'manual',
  };
}

/** An `Action.Submit` fallback arrives as a message whose `value` repeats the verb (see `card-actions.ts`). */
function submitOf(activity: Activity): Pick<CardClick, 'verb' | 'data'> | undefined {
  const value = record(activity.value);
  if (typeof value?.verb !== 'string') return undefined;
  const { verb, ...data } = value;
  return { verb, data };
}

/**
 * Answers an invoke through the invoke response (`CloudAdapter` sends it as the HTTP body). Only the first answer
 * counts: an invoke has one response.
 */
export function invokeResponder(ctx: TurnContext): CardResponder {
  let answered = false;
  const answer = async (body: CardInvokeResponse | MessageInvokeResponse) => {
    if (answered) return;
    answered = true;
    await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  };
  return {
    card: (card) => answer(toInvokeResponse(card)),
    message: (text) => answer(toMessageInvokeResponse(text)),
  };
}

/** Answers a Submit fallback (a message activity) with a message in the conversation: old clients cannot do better. */
function messageResponder(ctx: TurnContext): CardResponder {
  return {
    card: async (card) => {
      await ctx.sendActivity({ type: ActivityTypes.Message, attachments: [toAttachment(card)] });
    },
    message: async (text) => {
      await ctx.sendActivity({ type: ActivityTypes.Message, text });
    },
  };
}
