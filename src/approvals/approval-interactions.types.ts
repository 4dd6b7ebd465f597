import type { Reply } from '../shared/reply.types.js';
import type { Identity } from './approval.types.js';

/**
 * What chat adapters call when someone clicks an approval's buttons (Slack block actions, Teams `Action.Execute`).
 * Implemented by `ApprovalService`; adapters only translate and render (docs/architecture.md#adapters-only-translate).
 */
export interface ApprovalInteractions {
  /**
   * A vote. The reply is for the voter alone (accepted, or why nothing changed); every shared approval message is
   * updated by the service itself.
   */
  vote(input: { approvalId: string; voter: Identity; decision: 'approve' | 'reject'; reason?: string }): Promise<Reply>;
  /** Whether this person may vote on it now; when not, a reply that says why (e.g. before opening a reject modal). */
  checkVoter(approvalId: string, voter: Identity): Promise<{ ok: true } | { ok: false; reply: Reply }>;
  /** The approval's details and audit trail, for the viewer alone. */
  details(approvalId: string, viewer: Identity): Promise<Reply>;
}
