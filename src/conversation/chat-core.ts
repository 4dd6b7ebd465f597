import type { ChartRenderer } from '../reports/chart-renderer.port.js';
import { REJECT_REASON_VIEW } from '../shared/action-ids.js';
import type { DedupeStore } from '../shared/dedupe.port.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import { type AnswerDeps, answerTurn } from './answer-turn.js';
import { busy, failSafely, logBusy } from './apology.js';
import type { ChatSurface } from './chat-surface.port.js';
import type { ClickFeatures } from './click.types.js';
import { CLICKS } from './clicks/index.js';
import { REJECT_REASON_FIELD, rejectReasonErrors } from './forms/reject-reason.form.js';
import { ClickRegistry, DEDUPE_TTL_SECONDS } from './handle-click.js';
import type { TurnHooks } from './handle-turn.service.js';
import type { ButtonClick, ChatUser, FormSubmit } from './inbound.types.js';
import type { Turn, TurnLocation } from './turn.types.js';
import { WorkQueue } from './work-queue.js';

export interface ChatCoreDeps extends ClickFeatures {
  /** The turn use case: commands first, free text to the agent. */
  handleTurn: (turn: Turn, hooks?: TurnHooks) => Promise<Reply>;
  /** Remembers delivery ids, so that a redelivered event is handled once. */
  dedupe: DedupeStore;
  /** Draws charts; null: answers carry no chart image. */
  charts: ChartRenderer | null;
  logger: Logger;
  /**
   * How long an answer may take before "working on it" is posted (where the surface can update it).
   * @defaultValue 1000 ms
   */
  progressAfterMs?: number;
  /**
   * Answers worked out at once, in arrival order; under a burst this keeps the event loop free to acknowledge new
   * requests within the platforms' deadlines.
   * @defaultValue 4
   */
  concurrency?: number;
  /**
   * Answers that may wait for their turn beyond those being worked out (`TALLY_MAX_QUEUED_ANSWERS`); past it a person
   * is told at once, privately, that Tally is busy, and nothing is queued.
   * @defaultValue 100
   */
  maxQueued?: number;
}

/** The App Home sections (Slack), as commands of the command language: budgets are over, at risk or fine. */
const HOME_COMMANDS = [
  'cost month to date by provider',
  'forecast',
  'compare last 7 days vs the period before by service top 5',
  'budgets',
];

/**
 * The chat core (docs/architecture.md#the-chat-core): what every platform does with a message, a click, a submitted
 * form and a home view, written once. Adapters parse their events into these models, give a surface to answer on,
 * and render replies; they decide nothing.
 */
export class ChatCore {
  private readonly answer: AnswerDeps;
  private readonly clicks: ClickRegistry;

  constructor(private readonly deps: ChatCoreDeps) {
    this.answer = {
      handleTurn: deps.handleTurn,
      charts: deps.charts,
      logger: deps.logger,
      queue: new WorkQueue(deps.concurrency ?? 4, deps.maxQueued ?? 100),
      progressAfterMs: deps.progressAfterMs ?? 1000,
    };
    const features: ClickFeatures = {
      ...(deps.approvals ? { approvals: deps.approvals } : {}),
      ...(deps.approvalMessage ? { approvalMessage: deps.approvalMessage } : {}),
      ...(deps.alerts ? { alerts: deps.alerts } : {}),
    };
    this.clicks = new ClickRegistry(
      { features, dedupe: deps.dedupe, logger: deps.logger, answer: this.answer },
      CLICKS,
    );
  }

  /**
   * A message to Tally: answered once per delivery id, on the surface. `command` is the text as typed, for "Show all".
   */
  turn(turn: Turn, surface: ChatSurface, options: { deliveryId?: string } = {}): Promise<void> {
    // The turn takes its place in the answer queue on this call, and its delivery id is claimed when its turn comes:
    // a burst cannot slip past the bound while claims are on their way, a refused turn costs no round trip to the
    // dedupe store, and its redelivery may still be answered later.
    const { deliveryId } = options;
    const claim = deliveryId ? () => this.deps.dedupe.claim(deliveryId, DEDUPE_TTL_SECONDS) : undefined;
    const context = { platform: turn.location.platform, channel: turn.location.channel, user: turn.user.id };
    return failSafely(this.deps.logger, context, surface, () =>
      answerTurn(this.answer, turn, surface, turn.text, claim),
    );
  }

  /**
   * The busy notice when the answer queue is full now, else null. A platform that can answer in the acknowledgement
   * of a message (a Slack slash command) asks first and, refused, gives the notice there and hands nothing over: the
   * refusal costs no request to the platform and nothing is queued.
   */
  refuseIfBusy(user: ChatUser, location: TurnLocation): Reply | null {
    const refused = this.answer.queue.refuseIfFull();
    if (!refused) return null;
    logBusy(this.deps.logger, { platform: location.platform, channel: location.channel, user: user.id }, refused);
    return busy();
  }

  /** A button clicked (docs/architecture.md#clicks). */
  click(click: ButtonClick, surface: ChatSurface): Promise<void> {
    return this.clicks.handle(click, surface);
  }

  /**
   * What is wrong with a submitted form, by field id, or null when it can be run. Platforms that keep a form open
   * with errors (Slack) call this before acknowledging the submission.
   */
  formErrors(submit: FormSubmit): Record<string, string> | null {
    if (submit.formId === REJECT_REASON_VIEW) return rejectReasonErrors(submit, this.deps.approvals);
    return { form: 'This form is not known to this version of Tally.' };
  }

  /** A submitted form, once per delivery id: the reject form casts a reject vote with its reason. */
  async submitForm(submit: FormSubmit, surface: ChatSurface): Promise<void> {
    const { approvals, logger, dedupe } = this.deps;
    const approvalId = submit.meta?.approvalId;
    const context = { platform: submit.location.platform, user: submit.user.id, form: submit.formId, approvalId };
    await failSafely(logger, context, surface, async () => {
      if (this.formErrors(submit) || !approvals || !approvalId) return;
      // Platforms do not redeliver forms, but a replayed submission must not vote twice.
      if (submit.deliveryId && !(await dedupe.claim(submit.deliveryId, DEDUPE_TTL_SECONDS))) return;
      const { id, name } = submit.user;
      const voter = { platform: submit.location.platform, id, ...(name ? { name } : {}) };
      const reason = submit.fields[REJECT_REASON_FIELD]?.trim() ?? '';
      await surface.replyPrivately(await approvals.vote({ approvalId, voter, decision: 'reject', reason }));
    });
  }

  /**
   * A person's home view: month to date, forecast, top movers, the budgets they may see, and pending approvals where
   * approvals are on.
   */
  home(user: ChatUser, location: TurnLocation): Promise<Reply[]> {
    const commands = this.deps.approvals ? [...HOME_COMMANDS, 'approvals'] : HOME_COMMANDS;
    return Promise.all(commands.map((text) => this.deps.handleTurn({ user, location, text })));
  }
}
