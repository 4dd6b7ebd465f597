import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';

/**
 * Conversation references in memory, for the shell and tests: one reference per key, the last save wins. Nothing
 * survives a restart, so proactive Teams messages need the app to be contacted again after one.
 */
export class MemoryConversationRefStore implements ConversationRefStore {
  private readonly refs = new Map<string, string>();

  async save(key: string, reference: string): Promise<void> {
    this.refs.set(key, reference);
  }

  async get(key: string): Promise<string | null> {
    return this.refs.get(key) ?? null;
  }
}
