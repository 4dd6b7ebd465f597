/**
 * Exact decimal arithmetic for test oracles: amounts as BigInt at 1e-30, independent of Tally's sums. Real exports
 * carry amounts such as `0.0000001234567891`: every digit they write is kept (digits past the 30th decimal are cut).
 */
const SCALE = 30;

export function toUnits(text: string): bigint {
  const t = text.trim();
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(t);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let digits = `${int}${frac}`;
  let point = int.length + Number(exp);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const whole = digits.slice(0, point).padEnd(point, '0') || '0';
  const fraction = digits.slice(point).padEnd(SCALE, '0').slice(0, SCALE);
  const units = BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(fraction || '0');
  return sign === '-' ? -units : units;
}

/** Whether units are exactly half a cent past a whole cent: then only the rounding rule decides the cents. */
export function isHalfCentTie(units: bigint): boolean {
  const per = 10n ** BigInt(SCALE - 2);
  const abs = units < 0n ? -units : units;
  return (abs % per) * 2n === per;
}

/** Units → number of cents, rounded half away from zero. */
export function unitsToCents(units: bigint): number {
  const per = 10n ** BigInt(SCALE - 2);
  const neg = units < 0n;
  const abs = neg ? -units : units;
  let cents = abs / per;
  if ((abs % per) * 2n >= per) cents += 1n;
  return Number(neg ? -cents : cents) / 100;
}

/** Units → the exact decimal text, without trailing zeros (`-12.5`, `0.0000001`, `3`). */
export function unitsToDecimal(units: bigint): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(SCALE + 1, '0');
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
