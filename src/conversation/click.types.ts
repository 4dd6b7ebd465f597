import type { AlertInteractions, AlertUser } from '../anomalies/alert-interactions.types.js';
import type { Identity } from '../approvals/approval.types.js';
import type { ApprovalInteractions } from '../approvals/approval-interactions.types.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { AnswerDeps } from './answer-turn.js';
import type { ChatSurface } from './chat-surface.port.js';
import type { ButtonClick } from './inbound.types.js';
import type { Turn } from './turn.types.js';

/** The features a button may act on; absent ones make their buttons say they are not set up. */
export interface ClickFeatures {
  approvals?: ApprovalInteractions;
  /** The approval message as it reads now, for a person's own view of it (Teams). */
  approvalMessage?: (approvalId: string) => Promise<Reply>;
  alerts?: AlertInteractions;
}

/** What a button's handler gets: the click, the surface to answer on, the features, and how to answer a turn. */
export interface ClickContext {
  click: ButtonClick;
  surface: ChatSurface;
  features: ClickFeatures;
  logger: Logger;
  answer: AnswerDeps;
}

/** One button (docs/architecture.md#add-a-button): its shared action id, what it needs, and what it does. */
export interface ClickHandler {
  actionId: string;
  /** The feature the button acts on: without it the click is answered "not set up". */
  needs?: 'approvals' | 'alerts';
  run(ctx: ClickContext): Promise<void>;
}

/** The clicker as an approvals identity. */
export function voterOf(click: ButtonClick): Identity {
  const { id, name } = click.user;
  return { platform: click.location.platform, id, ...(name ? { name } : {}) };
}

/** The clicker as an alerts user. */
export function alertUserOf(click: ButtonClick): AlertUser {
  const { id, name } = click.user;
  return { platform: click.location.platform, id, ...(name ? { name } : {}) };
}

/** A turn of the clicker running `text` where the button is (the message's thread). */
export function turnOf(click: ButtonClick, text: string): Turn {
  return { user: click.user, location: click.location, text };
}
