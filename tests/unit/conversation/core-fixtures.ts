import { MemoryDedupeStore } from '../../../adapters/memory/memory-dedupe.store.js';
import type { AlertInteractions, AlertUser } from '../../../src/anomalies/alert-interactions.types.js';
import type { Identity } from '../../../src/approvals/approval.types.js';
import type { ApprovalInteractions } from '../../../src/approvals/approval-interactions.types.js';
import { ChatCore, type ChatCoreDeps } from '../../../src/conversation/chat-core.js';
import type { ButtonClick } from '../../../src/conversation/inbound.types.js';
import type { Turn } from '../../../src/conversation/turn.types.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Logger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';

type VoteInput = Parameters<ApprovalInteractions['vote']>[0];

/** A hand-written approvals port: records votes; `refuse` holds voters who may not vote. */
export class FakeApprovals implements ApprovalInteractions {
  readonly votes: VoteInput[] = [];
  readonly refuse = new Set<string>();
  failVotes = false;

  async vote(input: VoteInput): Promise<Reply> {
    if (this.failVotes) throw new Error('the database went away');
    this.votes.push(input);
    const counted = !this.refuse.has(input.voter.id);
    return {
      kind: 'notice',
      title: counted ? 'Vote counted' : 'Not counted',
      data: { counted },
      visibility: 'ephemeral',
    };
  }

  async checkVoter(_id: string, voter: Identity): Promise<{ ok: true } | { ok: false; reply: Reply }> {
    if (!this.refuse.has(voter.id)) return { ok: true };
    return { ok: false, reply: { kind: 'notice', title: 'You may not vote on this', visibility: 'ephemeral' } };
  }

  async details(approvalId: string): Promise<Reply> {
    return { kind: 'answer', title: `Details of ${approvalId}`, visibility: 'ephemeral' };
  }
}

/** The approval message as the approval service would render it. */
export async function approvalMessage(id: string): Promise<Reply> {
  return {
    kind: 'answer',
    title: `Approval ${id}`,
    text: 'Waiting for approval',
    buttons: [
      { actionId: ACTIONS.APPROVE, label: 'Approve', value: id },
      { actionId: ACTIONS.REJECT, label: 'Reject', value: id },
      { actionId: ACTIONS.DETAILS, label: 'Details', value: id },
    ],
    visibility: 'channel',
  };
}

/** A hand-written alerts port: records acknowledgements and mutes (with their days). */
export class FakeAlerts implements AlertInteractions {
  readonly acks: { anomalyId: string; user: AlertUser }[] = [];
  readonly mutes: { anomalyId: string; days: number }[] = [];

  async acknowledge(anomalyId: string, user: AlertUser) {
    this.acks.push({ anomalyId, user });
    if (anomalyId === 'unknown') return { reply: notice('Alert not found') };
    return {
      reply: notice('Alert acknowledged'),
      message: { ...notice(`Acknowledged by ${user.id}`), visibility: 'channel' as const },
    };
  }

  async mute(anomalyId: string, _user: AlertUser, days = 7) {
    this.mutes.push({ anomalyId, days });
    return {
      reply: notice(`Muted for ${days} days`),
      note: { ...notice('Series muted'), visibility: 'channel' as const },
    };
  }

  async investigate(anomalyId: string) {
    if (anomalyId === 'unknown') return { reply: notice('Alert not found') };
    return { command: 'compare 2026-05-20 vs 2026-05-13 by service' };
  }
}

function notice(title: string): Reply {
  return { kind: 'notice', title, visibility: 'ephemeral' };
}

/** A logger that keeps what was logged at error level. */
export function recordingLogger(): Logger & { errors: Record<string, unknown>[] } {
  const errors: Record<string, unknown>[] = [];
  const none = () => {};
  return {
    debug: none,
    info: none,
    warn: none,
    error: (obj: Record<string, unknown>) => void errors.push(obj),
    errors,
  };
}

/** A chat core over fakes; `turns` records every turn it ran. */
export function testCore(deps: Partial<ChatCoreDeps> = {}, answer: (turn: Turn) => Reply | Promise<Reply> = echo) {
  const turns: Turn[] = [];
  const core = new ChatCore({
    handleTurn: async (turn) => {
      turns.push(turn);
      return answer(turn);
    },
    dedupe: new MemoryDedupeStore(),
    charts: null,
    logger: recordingLogger(),
    progressAfterMs: 60_000,
    ...deps,
  });
  return { core, turns };
}

function echo(turn: Turn): Reply {
  return { kind: 'answer', title: `Answer to ${turn.text}`, visibility: 'channel' };
}

/** A click of `actionId` with `value` by U1 in C1, on message m0 in its own thread. */
export function click(actionId: string, value: string, extra: Partial<ButtonClick> = {}): ButtonClick {
  return {
    actionId,
    value,
    user: { id: 'U1', name: 'ada' },
    location: { platform: 'slack', channel: 'C1', thread: 'm0' },
    message: { id: 'm0', thread: 'm0' },
    ...extra,
  };
}
