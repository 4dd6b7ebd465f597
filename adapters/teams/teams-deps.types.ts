import type { AlertInteractions } from '../../src/anomalies/alert-interactions.types.js';
import type { ApprovalInteractions } from '../../src/approvals/approval-interactions.types.js';
import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';
import type { TurnHooks } from '../../src/conversation/handle-turn.service.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import type { ChartRenderer } from '../../src/reports/chart-renderer.port.js';
import type { DedupeStore } from '../../src/shared/dedupe.port.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';

/**
 * What the Teams handlers need from the core: one use case per kind of activity
 * (docs/architecture.md#adapters-only-translate).
 */
export interface TeamsDeps {
  /** The turn use case: commands first, free text to the agent. */
  handleTurn: (turn: Turn, hooks?: TurnHooks) => Promise<Reply>;
  /**
   * What the approval card's `Action.Execute` verbs (approve, reject, details) call. Absent: approvals are not set
   * up, and those verbs answer the clicker that they are not configured.
   */
  approvals?: ApprovalInteractions;
  /**
   * The approval message as it reads now (`ApprovalService.show`), rendered per viewer for card refreshes and after
   * a counted vote. Absent: a refresh shows the approval's details, and a vote answers with a short message.
   */
  approvalMessage?: (approvalId: string) => Promise<Reply>;
  /**
   * What the alert card's verbs (alert_ack, alert_investigate, alert_mute) call. Absent: alerts are not set up, and
   * those verbs answer the clicker that they are not configured.
   */
  alerts?: AlertInteractions;
  /** Remembers activity ids, so that a redelivered activity is handled once. */
  dedupe: DedupeStore;
  /** Draws a reply's chart as a PNG for an inline image; null: answers carry no chart image. */
  charts: ChartRenderer | null;
  /**
   * Where conversation references are kept for proactive messages: `teams/conv/<conversation id>` for every
   * conversation, `teams/user/<AAD object id>` for a person's personal chat.
   */
  conversationRefs: ConversationRefStore;
  /**
   * Stores a chart PNG where Teams can fetch it and returns its public URL (Tally serves `/charts/<id>.png` when
   * `TALLY_PUBLIC_URL` is set). Absent: charts are inlined as `data:` URIs when the card stays small enough.
   */
  hostChart?: (png: Uint8Array) => Promise<string>;
  logger: Logger;
}

/** How long an activity id is remembered: Bot Framework redeliveries come within minutes; an hour covers replays. */
export const DEDUPE_TTL_SECONDS = 3600;
