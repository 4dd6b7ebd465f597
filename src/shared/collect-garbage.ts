import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc()`, exposed on first use; null where the runtime refuses to expose it. */
let gc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection now, so that the heap a long JavaScript phase left behind is freed before a memory-
 * hungry native phase starts (an import's read, then its DuckDB commit: docs/cost-data.md, "Sizing"). V8 collects
 * its old generation only when it grows, and an idle event loop does not make it grow, so without this the garbage of
 * reading a large export (100 MB and more) stays resident while DuckDB sums it. `--expose-gc` is turned on at run
 * time and the function taken from a new context, as V8 installs it there. Collects twice: the first collection
 * frees the dead objects, the second the pages they leave empty (after one, 100 MB of empty pages stayed committed).
 * Blocks for as long as that takes (about 50–100 ms after a 1 GB import); callers use it once per large import, not
 * per request.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
  gc?.();
}
