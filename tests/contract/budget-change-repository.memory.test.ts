import { MemoryBudgetChangeRepository } from '../../adapters/memory/memory-budget-change.repository.js';
import { budgetChangeRepositoryContract } from './budget-change-repository.contract.js';

budgetChangeRepositoryContract('memory', async () => ({
  repo: new MemoryBudgetChangeRepository(),
  cleanup: async () => undefined,
}));
