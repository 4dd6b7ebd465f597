import type { AlertInteractions } from '../../src/anomalies/alert-interactions.types.js';
import type { ApprovalInteractions } from '../../src/approvals/approval-interactions.types.js';
import type { TurnHooks } from '../../src/conversation/handle-turn.service.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import type { ChartRenderer } from '../../src/reports/chart-renderer.port.js';
import type { DedupeStore } from '../../src/shared/dedupe.port.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';

/**
 * What the Slack listeners need from the core: one use case per kind of request
 * (docs/architecture.md#adapters-only-translate).
 */
export interface SlackListenerDeps {
  /** The turn use case: commands first, free text to the agent. */
  handleTurn: (turn: Turn, hooks?: TurnHooks) => Promise<Reply>;
  /** The App Home sections (month to date, forecast, top movers, …) for a user. */
  homeSections: (userId: string) => Promise<Reply[]>;
  dedupe: DedupeStore;
  charts: ChartRenderer | null;
  logger: Logger;
  /**
   * What the approval buttons (Approve, Reject with its reason modal, Details) call. Absent: approvals are not set
   * up, and those buttons answer the clicker, privately, that they are not configured.
   */
  approvals?: ApprovalInteractions;
  /**
   * What the anomaly alert buttons (Acknowledge, Investigate, Mute 7 days) call. Absent: alerts are not set up, and
   * those buttons answer the clicker, privately, that they are not configured.
   */
  alerts?: AlertInteractions;
  /**
   * How long an answer may take before a "working on it" message is posted and later updated in place.
   * @defaultValue 1000 ms
   */
  progressAfterMs?: number;
}

/** How long a delivery id is remembered: Slack retries for up to ~5 minutes; an hour covers replays too. */
export const DEDUPE_TTL_SECONDS = 3600;
