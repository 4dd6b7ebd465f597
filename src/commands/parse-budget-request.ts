import type { ParseResult } from './command.types.js';

const USAGE =
  'Usage: `budget request <name> <amount> [currency] because <reason>`, with `for this month only` (or quarter, year, period) for the current period only.';

/** `budget request NAME AMOUNT [CURRENCY because] [because] REASON`, the reason required. */
const REQUEST =
  /^\s*\/?budget\s+request\s+([a-z0-9][a-z0-9._-]*)\s+([$€£])?(\d[\d,]*(?:\.\d+)?)(k|m)?(?:\s+([a-z]{3})(?=\s+because\b|\s*$))?(?:\s+(?:because\s+)?(.*))?$/is;
/** `for this month only` anywhere after the amount: a one-off exception for the current period. */
const ONE_OFF = /\s*\bfor\s+(?:this|the\s+current)\s+(?:month|quarter|year|period)\s+only\b\s*/i;
const SIGNS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP' };

/**
 * `budget request payments-team 15000 because Black Friday load [for this month only]` (docs/budgets.md#budget-changes);
 * null when the line is no `budget request`. The amount may be written `15000`, `15,000`, `15k` or `$15000`.
 */
export function parseBudgetRequest(input: string): ParseResult | null {
  if (!/^\s*\/?budget\s+request\b/i.test(input)) return null;
  const bare = /^\s*\/?budget\s+request\s+([a-z0-9][a-z0-9._-]*)\s*$/i.exec(input);
  if (bare)
    // What "Request increase" on a budget alert runs: say how to ask, in the alert's thread.
    return invalid(
      `To ask for a new amount, write \`budget request ${bare[1]!.toLowerCase()} <amount> because <reason>\` (add \`for this month only\` for the current period only); the approvers of budget changes decide.`,
    );
  const oneOff = ONE_OFF.test(input);
  const m = REQUEST.exec(input.replace(ONE_OFF, ' ').trimEnd());
  if (!m) return invalid(USAGE);
  const [, name, sign, digits, unit, word, rest] = m;
  const scale = unit?.toLowerCase() === 'k' ? 1_000 : unit?.toLowerCase() === 'm' ? 1_000_000 : 1;
  const amount = Number(digits!.replace(/,/g, '')) * scale;
  // A three-letter word right after the amount, before `because` (or alone), is its currency.
  const currency = word?.toUpperCase();
  const reason = (rest ?? '').trim();
  if (!(amount > 0)) return invalid('The amount must be above 0.');
  if (!reason) return invalid(`A budget change needs a reason. ${USAGE}`);
  const signCurrency = sign ? SIGNS[sign] : undefined;
  if (signCurrency && currency && signCurrency !== currency)
    return invalid(`${sign}${digits} is ${signCurrency}, not ${currency}.`);
  return {
    ok: true,
    command: {
      kind: 'budget',
      action: 'request',
      name: name!.toLowerCase(),
      amount,
      ...(currency || signCurrency ? { currency: currency ?? signCurrency } : {}),
      oneOff,
      reason,
    },
  };
}

function invalid(message: string): ParseResult {
  return { ok: false, reason: 'INVALID', message, topic: 'budget' };
}
