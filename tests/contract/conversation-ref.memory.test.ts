import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { conversationRefContract } from './conversation-ref.contract.js';

conversationRefContract('memory', async () => ({
  store: new MemoryConversationRefStore(),
  cleanup: async () => undefined,
}));
