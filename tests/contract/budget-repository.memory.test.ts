import { MemoryBudgetRepository } from '../../adapters/memory/memory-budget.repository.js';
import { budgetRepositoryContract } from './budget-repository.contract.js';

budgetRepositoryContract('memory', async () => ({
  repo: new MemoryBudgetRepository(),
  cleanup: async () => undefined,
}));
