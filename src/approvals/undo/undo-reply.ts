import { ACTIONS } from '../../shared/action-ids.js';
import type { ReplyButton, ReplyField } from '../../shared/reply.types.js';
import type { Approval } from '../approval.types.js';
import { describePlan } from './undo-plan.js';

/** Said on a release's approval request, before anyone approves it: AWS may not give the address back. */
export const RELEASE_UNDO_WARNING =
  'Undo: a released Elastic IP comes back only if no one else has taken it (AWS AllocateAddress with the address); otherwise the release cannot be undone.';

/** Whether the approval's executed action can be undone now, by its record (the deadline is checked on undo). */
function undoable(approval: Approval): boolean {
  const undo = approval.undo;
  return (
    approval.state === 'SUCCEEDED' &&
    !!undo &&
    undo.plan.kind !== 'none' &&
    undo.state !== 'UNDONE' &&
    undo.state !== 'UNDOING'
  );
}

/** The Undo button of an executed action's message: it runs `undo <id>` as the clicker. */
export function undoButtons(approval: Approval): ReplyButton[] {
  return undoable(approval)
    ? [{ actionId: ACTIONS.RUN_COMMAND, label: 'Undo', value: `undo ${approval.id}`, style: 'danger' }]
    : [];
}

/** What the undo does and until when, or what became of it. */
export function undoFields(approval: Approval): ReplyField[] {
  const undo = approval.undo;
  if (!undo || (approval.state !== 'SUCCEEDED' && !undo.state)) return [];
  const plan = describePlan(approval, undo.plan);
  switch (undo.state) {
    case 'UNDONE':
      return [
        {
          label: 'Undone',
          value: `${undo.finishedAt?.slice(0, 16).replace('T', ' ')} UTC: ${undo.steps.join(', ') || plan}`,
        },
      ];
    case 'UNDOING':
      return [{ label: 'Undo', value: `under way: ${plan}` }];
    case 'FAILED':
      return [{ label: 'Undo', value: `failed: ${undo.reason ?? ''}; \`undo ${approval.id}\` tries again` }];
    default: {
      const until = undo.until ? ` (until ${undo.until.slice(0, 16).replace('T', ' ')} UTC)` : '';
      return [{ label: 'Undo', value: undo.plan.kind === 'none' ? plan : `${plan}${until}` }];
    }
  }
}
