import { MemoryDigestSubscriptionRepository } from '../../adapters/memory/memory-digest-subscription.repository.js';
import { digestSubscriptionContract } from './digest-subscription.contract.js';

digestSubscriptionContract('memory', async () => ({
  repo: new MemoryDigestSubscriptionRepository(),
  cleanup: async () => undefined,
}));
