import type { Budget, BudgetCrossing, BudgetRepository } from '../../src/budgets/budget.types.js';

/** Budgets and their alerted crossings in memory, for the shell and tests: stored and returned as copies. */
export class MemoryBudgetRepository implements BudgetRepository {
  private readonly byName = new Map<string, Budget>();
  private readonly crossingsByKey = new Map<string, BudgetCrossing>();

  async save(budget: Budget): Promise<void> {
    this.byName.set(budget.name, structuredClone(budget));
  }

  async get(name: string): Promise<Budget | null> {
    const found = this.byName.get(name);
    return found ? structuredClone(found) : null;
  }

  async remove(name: string): Promise<boolean> {
    return this.byName.delete(name);
  }

  /** By name, in code-unit order (as MongoDB sorts strings). */
  async list(): Promise<Budget[]> {
    return [...this.byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((b) => structuredClone(b));
  }

  async claimCrossing(crossing: BudgetCrossing): Promise<boolean> {
    const key = crossingKey(crossing);
    if (this.crossingsByKey.has(key)) return false;
    this.crossingsByKey.set(key, structuredClone(crossing));
    return true;
  }

  async crossings(budget: string, period: string): Promise<BudgetCrossing[]> {
    return [...this.crossingsByKey.values()]
      .filter((c) => c.budget === budget && c.period === period)
      .sort((a, b) => a.percent - b.percent || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
      .map((c) => structuredClone(c));
  }
}

function crossingKey(c: BudgetCrossing): string {
  return JSON.stringify([c.budget, c.period, c.kind, c.percent]);
}
