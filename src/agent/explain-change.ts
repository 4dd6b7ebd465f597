import type { ComparePeriodsArgs } from './tool-args.schema.js';

type Where = NonNullable<ComparePeriodsArgs['where']>;

/** The dimensions a change is followed down, and how the largest row of each narrows the next step. */
const DRILL: { by: string; narrow: (where: Where, key: string) => Where }[] = [
  { by: 'service', narrow: (w, key) => ({ ...w, service: [key] }) },
  { by: 'account', narrow: (w, key) => ({ ...w, account: [key] }) },
  { by: 'region', narrow: (w, key) => ({ ...w, region: [key] }) },
  { by: 'tag:team', narrow: (w) => w },
];

interface CompareResult {
  error?: string;
  currencies?: { rows?: { key: string; change: number }[] }[];
}

/**
 * `explain_change`: compares the two periods by service, then within the row that changed most by account, then by
 * region, then by team tag, and returns every step. Each step is one `compare_periods` call (`compare`), so each runs
 * as its own query through the turn's dispatch; a step that fails ends the drill with the steps so far.
 */
export async function explainChange(
  args: Omit<ComparePeriodsArgs, 'groupBy' | 'top'>,
  compare: (args: ComparePeriodsArgs, what: string) => Promise<string>,
): Promise<string> {
  const steps: unknown[] = [];
  let where: Where = { ...args.where };
  for (const step of DRILL) {
    const narrowed = Object.keys(where).length ? { where } : {};
    const result = JSON.parse(
      await compare({ ...args, ...narrowed, groupBy: step.by, top: 3 }, `explaining the change by ${step.by}…`),
    ) as CompareResult;
    if (result.error) return JSON.stringify({ steps, error: result.error });
    steps.push({ by: step.by, ...result });
    const top = result.currencies?.[0]?.rows?.find((r) => r.key !== 'Other');
    if (top) where = step.narrow(where, top.key);
  }
  return JSON.stringify({ steps });
}
