import { MemoryRecommendationDismissalRepository } from '../../adapters/memory/memory-recommendation-dismissal.repository.js';
import { recommendationDismissalContract } from './recommendation-dismissal.contract.js';

recommendationDismissalContract('memory', async () => ({
  repo: new MemoryRecommendationDismissalRepository(),
  cleanup: async () => undefined,
}));
