import type { DedupeStore } from '../shared/dedupe.port.js';
import type { Logger } from '../shared/logger.port.js';
import type { AnswerDeps } from './answer-turn.js';
import { failSafely, notice } from './apology.js';
import type { ChatSurface } from './chat-surface.port.js';
import type { ClickFeatures, ClickHandler } from './click.types.js';
import type { ButtonClick } from './inbound.types.js';

/** How long a delivery id is remembered: platforms redeliver within minutes; an hour covers replays too. */
export const DEDUPE_TTL_SECONDS = 3600;

const NOT_SET_UP: Record<NonNullable<ClickHandler['needs']>, string> = {
  approvals:
    'Approvals are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.',
  alerts:
    'Anomaly alerts are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.',
};

export interface ClickRegistryDeps {
  features: ClickFeatures;
  dedupe: DedupeStore;
  logger: Logger;
  answer: AnswerDeps;
}

/**
 * Every button of every platform, keyed by its shared action id (docs/architecture.md#clicks). It does once what
 * each platform needs around a click: a repeated delivery is handled once, an unknown id or a button naming nothing
 * is answered plainly, a button of a feature that is not set up says so, and an unexpected failure is logged and
 * answered with an apology carrying an error id.
 */
export class ClickRegistry {
  private readonly handlers = new Map<string, ClickHandler>();

  constructor(
    private readonly deps: ClickRegistryDeps,
    handlers: readonly ClickHandler[],
  ) {
    for (const h of handlers) {
      if (this.handlers.has(h.actionId)) throw new Error(`two handlers for the button ${h.actionId}`);
      this.handlers.set(h.actionId, h);
    }
  }

  /** The action ids with a handler. */
  ids(): string[] {
    return [...this.handlers.keys()];
  }

  async handle(click: ButtonClick, surface: ChatSurface): Promise<void> {
    const { deps } = this;
    const context = {
      platform: click.location.platform,
      channel: click.location.channel,
      user: click.user.id,
      action: click.actionId,
      value: click.value,
    };
    await failSafely(deps.logger, context, surface, async () => {
      // A refresh only reads: it is never deduplicated.
      if (click.deliveryId && click.trigger !== 'automatic') {
        if (!(await deps.dedupe.claim(click.deliveryId, DEDUPE_TTL_SECONDS)))
          return surface.replyPrivately(notice('Already done.'));
      }
      const handler = this.handlers.get(click.actionId);
      if (!handler) return surface.replyPrivately(notice('This button is not supported by this version of Tally.'));
      if (handler.needs && !deps.features[handler.needs])
        return surface.replyPrivately(notice(NOT_SET_UP[handler.needs]));
      if (!click.value.trim()) return surface.replyPrivately(notice('This button names nothing to act on.'));
      await handler.run({ click, surface, features: deps.features, logger: deps.logger, answer: deps.answer });
    });
  }
}
