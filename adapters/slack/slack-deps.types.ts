import type { ChatCore } from '../../src/conversation/chat-core.js';
import type { Logger } from '../../src/shared/logger.port.js';

/** What the Slack adapter needs: the chat core it hands every event to, and the log. */
export interface SlackDeps {
  core: ChatCore;
  logger: Logger;
}
