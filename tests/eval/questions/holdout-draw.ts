/**
 * The draw of the holdout groups: a fifth of the groups (rounded), picked by a Fisher–Yates shuffle of the group ids
 * in file order with the seeded mulberry32 generator below. The result is written into
 * tests/eval/questions/index.ts before any scoring; the eval's test redraws it to show the list was not chosen.
 */
export function drawHoldout(ids: readonly string[], seed: number): string[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  return order.slice(0, Math.round(ids.length / 5)).sort();
}
