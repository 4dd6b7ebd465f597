import type { App } from '@slack/bolt';
import type { SlackListenerDeps } from '../slack-deps.types.js';
import * as alertAcknowledge from './actions/alert-acknowledge.action.js';
import * as alertInvestigate from './actions/alert-investigate.action.js';
import * as alertMute from './actions/alert-mute.action.js';
import * as approvalApprove from './actions/approval-approve.action.js';
import * as approvalDetails from './actions/approval-details.action.js';
import * as approvalReject from './actions/approval-reject.action.js';
import * as requestApproval from './actions/request-approval.action.js';
import * as showAll from './actions/show-all.action.js';
import * as cost from './commands/cost.command.js';
import * as appHomeOpened from './events/app-home-opened.event.js';
import * as appMention from './events/app-mention.event.js';
import * as directMessage from './events/direct-message.event.js';
import * as rejectReason from './views/reject-reason.view.js';

/** Registers every Slack listener, one per file (docs/architecture.md#one-handler-per-file). */
export function register(app: App, deps: SlackListenerDeps): void {
  const listeners = [
    cost,
    appMention,
    directMessage,
    appHomeOpened,
    showAll,
    requestApproval,
    approvalApprove,
    approvalReject,
    approvalDetails,
    rejectReason,
    alertAcknowledge,
    alertInvestigate,
    alertMute,
  ];
  for (const listener of listeners) listener.register(app, deps);
}
