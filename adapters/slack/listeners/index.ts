import type { App } from '@slack/bolt';
import type { SlackListenerDeps } from '../slack-deps.types.js';
import * as showAll from './actions/show-all.action.js';
import * as cost from './commands/cost.command.js';
import * as appHomeOpened from './events/app-home-opened.event.js';
import * as appMention from './events/app-mention.event.js';
import * as directMessage from './events/direct-message.event.js';

/** Registers every Slack listener, one per file (STYLE rule 3). */
export function register(app: App, deps: SlackListenerDeps): void {
  for (const listener of [cost, appMention, directMessage, appHomeOpened, showAll]) listener.register(app, deps);
}
