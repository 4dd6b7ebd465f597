import type { ImportRun, ImportRunRepository } from '../../src/costs/import-run.types.js';

export class MemoryImportRunRepository implements ImportRunRepository {
  private readonly runs: ImportRun[] = [];

  async record(run: ImportRun): Promise<void> {
    this.runs.push(structuredClone(run));
  }

  async lastSuccess(source: string): Promise<ImportRun | null> {
    const [run] = (await this.latest(this.runs.length)).filter((r) => r.source === source && r.error === undefined);
    return run ?? null;
  }

  async latest(limit: number): Promise<ImportRun[]> {
    return [...this.runs]
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
}
