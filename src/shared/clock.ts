/** The source of "now". Injected so that periods like "last month" are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at one instant (used when `TALLY_TODAY` pins the date). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
