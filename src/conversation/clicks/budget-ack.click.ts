import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { budgetAckNote } from '../replies/budget-alert.reply.js';

/**
 * Acknowledge on a budget alert: a note in the alert's thread says who acknowledged it, and the clicker is told
 * privately. The value is the crossing's id (`<budget>|<period>|<kind>|<percent>`).
 */
export const budgetAckClick: ClickHandler = {
  actionId: ACTIONS.BUDGET_ACK,
  async run({ click, surface }) {
    const note = budgetAckNote(click.value, click.user.name ?? click.user.id);
    await surface.post(note);
    await surface.replyPrivately({ ...note, title: `You acknowledged it. ${note.title}`, visibility: 'ephemeral' });
  },
};
