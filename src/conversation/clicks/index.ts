import type { ClickHandler } from '../click.types.js';
import { alertAckClick } from './alert-ack.click.js';
import { alertInvestigateClick } from './alert-investigate.click.js';
import { alertMuteClick } from './alert-mute.click.js';
import { alertSnoozeClick } from './alert-snooze.click.js';
import { approveClick } from './approve.click.js';
import { budgetAckClick } from './budget-ack.click.js';
import { budgetInvestigateClick } from './budget-investigate.click.js';
import { budgetRequestClick } from './budget-request.click.js';
import { detailsClick } from './details.click.js';
import { recommendationDismissClick, recommendationSnoozeClick } from './recommendation-hide.click.js';
import { refreshClick } from './refresh.click.js';
import { rejectClick } from './reject.click.js';
import { requestApprovalClick } from './request-approval.click.js';
import { runCommandClick } from './run-command.click.js';
import { showAllClick } from './show-all.click.js';

/** Every button Tally puts on replies, one file each (docs/architecture.md#add-a-button). */
export const CLICKS: readonly ClickHandler[] = [
  showAllClick,
  runCommandClick,
  requestApprovalClick,
  recommendationDismissClick,
  recommendationSnoozeClick,
  approveClick,
  rejectClick,
  detailsClick,
  refreshClick,
  alertAckClick,
  alertInvestigateClick,
  alertMuteClick,
  alertSnoozeClick,
  budgetAckClick,
  budgetInvestigateClick,
  budgetRequestClick,
];
