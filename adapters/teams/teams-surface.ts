import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type {
  ChatSurface,
  FormSpec,
  PersonalView,
  PostOptions,
  SurfaceCapabilities,
} from '../../src/conversation/chat-surface.port.js';
import type { MessageRef } from '../../src/conversation/inbound.types.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Reply } from '../../src/shared/reply.types.js';
import {
  type AdaptiveCard,
  cardRefresh,
  renderCard,
  toAttachment,
  toInvokeResponse,
  toMessageInvokeResponse,
} from './render-card.js';
import type { TeamsDeps } from './teams-deps.types.js';
import { handleTeamsError } from './teams-errors.js';

/** How a card action is answered to the clicker alone: their card replaced, or a short message. */
export interface CardResponder {
  card(card: AdaptiveCard): Promise<void>;
  message(text: string): Promise<void>;
  readonly answered: boolean;
}

/** A reply as one line of text, for invoke message responses and Submit fallbacks. */
function replyText(reply: Reply): string {
  return [reply.title, reply.text].filter((s) => s?.trim()).join(': ');
}

/**
 * One Teams activity's way back (docs/architecture.md#the-chat-core): Adaptive Cards into the activity's
 * conversation (a channel's reply chain), charts drawn inside the card, and, for a card action, the answer to the
 * clicker alone (their own view of an approval card, or a short message).
 */
export class TeamsSurface implements ChatSurface {
  readonly capabilities: SurfaceCapabilities;
  /** Whether anything was posted into the conversation. */
  posted = false;

  constructor(
    private readonly ctx: TurnContext,
    private readonly deps: Pick<TeamsDeps, 'hostChart'>,
    private readonly responder?: CardResponder,
  ) {
    this.capabilities = {
      privateReplies: Boolean(responder),
      updates: false,
      forms: false,
      charts: 'inline',
      files: false,
      personalViews: Boolean(responder),
    };
  }

  async replyPrivately(reply: Reply): Promise<void> {
    if (this.responder) return this.responder.message(replyText(reply));
    // An apology is plain text: a card may be what just failed to reach the conversation.
    if (reply.kind === 'error') {
      await this.ctx.sendActivity({ type: ActivityTypes.Message, text: replyText(reply) });
      return;
    }
    await this.post(reply);
  }

  async post(reply: Reply, options: PostOptions = {}): Promise<MessageRef> {
    const card = await this.card(reply, options);
    try {
      const res = await this.ctx.sendActivity({
        type: ActivityTypes.Message,
        // What Teams shows in notifications instead of "sent a card".
        summary: reply.title,
        attachments: [toAttachment(card)],
      });
      this.posted = true;
      return { id: res?.id ?? '' };
    } catch (err) {
      handleTeamsError(err, 'teams.reply');
    }
  }

  async update(message: MessageRef, reply: Reply, options: PostOptions = {}): Promise<void> {
    const card = await this.card(reply, options);
    await this.ctx.updateActivity({ id: message.id, type: ActivityTypes.Message, attachments: [toAttachment(card)] });
  }

  async remove(message: MessageRef): Promise<void> {
    await this.ctx.deleteActivity(message.id);
  }

  /** Teams forms come inline with the card's buttons: nothing to open. */
  async openForm(_form: FormSpec): Promise<'opened' | 'expired'> {
    return 'expired';
  }

  /** Files are not taken (the core asks `capabilities.files` first). */
  async attachFile(): Promise<void> {
    throw new TallyError('CHAT_FAILED', 'Tally does not send files to Teams');
  }

  /** The clicker's own view of a card; its `refresh` names the clicker (their `29:` id) so their client keeps asking. */
  async showPersonalView(reply: Reply, view: PersonalView): Promise<void> {
    const from = this.ctx.activity.from;
    const card = renderCard(reply, { refresh: cardRefresh(view.refresh, [from?.id ?? from?.aadObjectId ?? '']) });
    if (this.responder) await this.responder.card(card);
    else await this.ctx.sendActivity({ type: ActivityTypes.Message, attachments: [toAttachment(card)] });
  }

  private async card(reply: Reply, { chart }: PostOptions): Promise<AdaptiveCard> {
    if (!chart) return renderCard(reply);
    const hosted = this.deps.hostChart ? { chartUrl: await this.deps.hostChart(chart.png) } : { chartPng: chart.png };
    return renderCard(reply, { ...hosted, chartAltText: chart.altText });
  }
}

/**
 * Answers the clicker: through the invoke response of an `Action.Execute` (`CloudAdapter` sends it as the HTTP body;
 * only the first answer counts, an invoke has one response), or, for an `Action.Submit` fallback of old clients, with
 * a message in the conversation.
 */
export function cardResponder(ctx: TurnContext, kind: 'invoke' | 'message'): CardResponder {
  let answered = false;
  const send = async (invokeBody: object, message: Partial<Activity>) => {
    if (answered && kind === 'invoke') return;
    answered = true;
    if (kind === 'message') await ctx.sendActivity({ type: ActivityTypes.Message, ...message });
    else await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: invokeBody } });
  };
  return {
    card: (card) => send(toInvokeResponse(card), { attachments: [toAttachment(card)] }),
    message: (text) => send(toMessageInvokeResponse(text), { text }),
    get answered() {
      return answered;
    },
  };
}
