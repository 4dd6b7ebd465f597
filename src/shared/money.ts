/**
 * Money arithmetic. Amounts are JavaScript numbers in the billing currency, summed with Neumaier's compensated
 * summation so that a million small FOCUS amounts add up to the same cents as exact decimal arithmetic.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): this {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
    return this;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/** Sums a list of amounts with compensation. */
export function sumAmounts(values: Iterable<number>): number {
  const s = new CompensatedSum();
  for (const v of values) s.add(v);
  return s.value;
}

/** Rounds to cents, half away from zero, tolerant of binary noise (2.675 → 2.68). */
export function roundCents(amount: number): number {
  const scaled = Math.abs(amount) * 100;
  const rounded = Math.round(Number(scaled.toPrecision(12)));
  const result = (Math.sign(amount) * rounded) / 100;
  return result === 0 ? 0 : result;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `1234.5, 'USD'` → `1,234.50 USD`: thousands separators, two decimals, the currency code. */
export function formatMoney(amount: number, currency: string): string {
  let f = formatters.get('n');
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set('n', f);
  }
  return `${f.format(roundCents(amount))} ${currency}`;
}

/** `0.1234` → `+12.3%`; null (no base to compare with) → `new`. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null) return 'new';
  const pct = ratio * 100;
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${Math.abs(pct).toFixed(1)}%`;
}
