/**
 * Stored conversation references of a chat platform (Teams needs one to message a channel or a person
 * proactively). The reference is opaque to the core; adapters serialise it.
 */
export interface ConversationRefStore {
  /**
   * Saves (or replaces) a reference under a key: `teams/conv/<conversation id>` for a conversation,
   * `teams/user/<AAD object id>` for a person's personal chat with the bot.
   */
  save(key: string, reference: string): Promise<void>;
  get(key: string): Promise<string | null>;
}
