/**
 * The sources named by `TALLY_FOCUS_FILE` (or `--focus`): one path or URI, or several separated by commas or new
 * lines, local paths and object storage prefixes mixed (docs/cost-data.md, "Several sources").
 */
export function focusPaths(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** What importing several sources did: each source's result, and the sources that failed with why. */
export interface EachImported<T> {
  done: { path: string; result: T }[];
  failed: { path: string; error: string }[];
}

/** Imports each source on its own, in order: one that fails is noted and the others still run. */
export async function importEach<T>(
  paths: readonly string[],
  importOne: (path: string) => Promise<T>,
): Promise<EachImported<T>> {
  const outcome: EachImported<T> = { done: [], failed: [] };
  for (const path of paths) {
    try {
      outcome.done.push({ path, result: await importOne(path) });
    } catch (err) {
      outcome.failed.push({ path, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcome;
}
