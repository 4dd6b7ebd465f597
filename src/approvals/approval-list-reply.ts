import type { AuditEntry } from '../audit/audit.types.js';
import { ACTIONS } from '../shared/action-ids.js';
import { formatMoney } from '../shared/money.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval } from './approval.types.js';
import { approvalData, type NameOf, progressOf, type WhenOf } from './approval-reply.js';

/** A short answer for the asker alone. */
export function notice(title: string, text: string, data?: Record<string, unknown>): Reply {
  return { kind: 'notice', title, text, ...(data ? { data } : {}), visibility: 'ephemeral' };
}

/**
 * `approvals`: what is waiting for a decision, and what is approved and waits for a change window (`whenOf` says
 * when it runs).
 */
export function pendingListReply(approvals: Approval[], nameOf: NameOf, whenOf: WhenOf = () => null): Reply {
  if (approvals.length === 0)
    return {
      kind: 'answer',
      title: 'Pending approvals',
      text: 'Nothing is waiting for approval.',
      data: { approvals: [] },
      visibility: 'channel',
    };
  return {
    kind: 'answer',
    title: 'Pending approvals',
    text: `${waitingText(approvals)}. Vote with the buttons on each request, or \`approve <id>\` / \`reject <id> because <reason>\`.`,
    items: approvals.slice(0, 15).map((a) => {
      const { approvals: yes, quorum } = progressOf(a);
      const when = whenOf(a);
      return {
        title: `${a.id}: ${a.action.summary}`,
        fields: [
          { label: 'Requested by', value: nameOf(a.requester.person) },
          { label: 'Savings', value: `${formatMoney(a.action.monthlySavings, a.action.currency)} per month` },
          { label: 'Risk', value: a.action.risk },
          { label: 'Approvals', value: `${yes} of ${quorum}` },
          when
            ? { label: 'Scheduled for', value: when }
            : { label: 'Expires', value: `${a.expiresAt.slice(0, 16).replace('T', ' ')} UTC` },
        ],
        button: { actionId: ACTIONS.DETAILS, label: 'Details', value: a.id },
      };
    }),
    ...(approvals.length > 15 ? { context: [`and ${approvals.length - 15} more`] } : {}),
    data: { approvals: approvals.map(approvalData) },
    visibility: 'channel',
  };
}

/** `3 waiting for a decision`, `, 2 approved and scheduled for the next change window` when some wait for one. */
function waitingText(approvals: Approval[]): string {
  const pending = approvals.filter((a) => a.state === 'PENDING').length;
  const scheduled = approvals.length - pending;
  const parts = [
    ...(pending ? [`${pending} waiting for a decision`] : []),
    ...(scheduled ? [`${scheduled} approved and scheduled for the next change window`] : []),
  ];
  return parts.join(', ');
}

/** `Details`: the approval message plus its audit trail, for the viewer alone. */
export function approvalDetailsReply(card: Reply, trail: AuditEntry[]): Reply {
  const lines = trail
    .slice(-40)
    .map((e) => `${e.at.slice(0, 19).replace('T', ' ')}  ${e.what}${e.why ? ` (${e.why})` : ''}`);
  return {
    ...card,
    kind: 'answer',
    title: `Details of ${card.title.replace(/^Approval /, '')}`,
    footnote: lines.length ? `Audit trail:\n${lines.join('\n')}` : 'No audit entries yet.',
    buttons: [],
    data: { ...(card.data ?? {}), audit: trail },
    visibility: 'ephemeral',
  };
}
