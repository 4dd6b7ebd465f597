import type { ChatCore } from '../../src/conversation/chat-core.js';
import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';
import type { Logger } from '../../src/shared/logger.port.js';

/** What the Teams adapter needs besides the chat core it hands every activity to. */
export interface TeamsDeps {
  core: ChatCore;
  /**
   * Where conversation references are kept for proactive messages: `teams/conv/<conversation id>` for every
   * conversation, `teams/user/<AAD object id>` for a person's personal chat.
   */
  conversationRefs: ConversationRefStore;
  /**
   * Stores a chart PNG where Teams can fetch it and returns its public URL (Tally serves `/charts/<id>.png` when
   * `TALLY_PUBLIC_URL` is set). Absent: charts are inlined as `data:` URIs when the card stays small enough.
   */
  hostChart?: (png: Uint8Array) => Promise<string>;
  logger: Logger;
}
