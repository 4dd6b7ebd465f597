import type { TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import * as alertAck from './alert-ack.handler.js';
import * as alertInvestigate from './alert-investigate.handler.js';
import * as alertMute from './alert-mute.handler.js';
import * as approvalApprove from './approval-approve.handler.js';
import * as approvalDetails from './approval-details.handler.js';
import * as approvalRefresh from './approval-refresh.handler.js';
import * as approvalReject from './approval-reject.handler.js';
import * as conversationUpdate from './conversation-update.handler.js';
import * as message from './message.handler.js';
import * as runCommand from './run-command.handler.js';

/** Registers every Teams handler, one per file (docs/architecture.md#one-handler-per-file). */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  const handlers = [
    message,
    conversationUpdate,
    approvalApprove,
    approvalReject,
    approvalDetails,
    approvalRefresh,
    alertAck,
    alertInvestigate,
    alertMute,
    runCommand,
  ];
  for (const handler of handlers) handler.register(bot, deps);
}
