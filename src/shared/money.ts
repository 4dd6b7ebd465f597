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

/**
 * Rounds to cents, half away from zero, tolerant of binary noise (2.675 → 2.68). Sums come from the store as exact
 * decimals converted to the nearest double, which keeps every cent of amounts below 10^13 (15 significant digits).
 */
export function roundCents(amount: number): number {
  const scaled = Math.abs(amount) * 100;
  const rounded = Math.round(Number(scaled.toPrecision(15)));
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

/** Digits after the point that {@link DecimalSum} keeps: the cost store's amount scale (docs/cost-data.md). */
const DECIMAL_SCALE = 16;
const SCALE_UNITS = 10n ** BigInt(DECIMAL_SCALE);
const DECIMAL_TEXT_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * An exact sum of decimal texts (the store returns its `DECIMAL` sums as text), rounded to cents only at the end,
 * so that `2500123456.784999999999` stays `.78` where a float would make it `.79`.
 */
export class DecimalSum {
  private units = 0n;

  /** Adds a decimal text such as `-12.5000000000000000`; false when the text is not a plain decimal. */
  add(text: string): boolean {
    const m = DECIMAL_TEXT_RE.exec(text.trim());
    if (!m || (m[2] === '' && !m[3])) return false;
    const fraction = (m[3] ?? '').slice(0, DECIMAL_SCALE).padEnd(DECIMAL_SCALE, '0');
    const units = BigInt(m[2] || '0') * SCALE_UNITS + BigInt(fraction || '0');
    this.units += m[1] === '-' ? -units : units;
    return true;
  }

  /** The sum rounded to cents, half away from zero, as a number of currency units (e.g. 12345678901.23). */
  get cents(): number {
    return DecimalSum.roundUnits(this.units);
  }

  /** This sum minus another, rounded to cents (a change between two periods, exact before it is rounded). */
  minusCents(other: DecimalSum): number {
    return DecimalSum.roundUnits(this.units - other.units);
  }

  private static roundUnits(units: bigint): number {
    const unitsPerCent = SCALE_UNITS / 100n;
    const negative = units < 0n;
    const abs = negative ? -units : units;
    let cents = abs / unitsPerCent;
    if ((abs % unitsPerCent) * 2n >= unitsPerCent) cents += 1n;
    const value = Number(negative ? -cents : cents) / 100;
    return value === 0 ? 0 : value;
  }
}
