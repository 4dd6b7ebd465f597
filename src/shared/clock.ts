/** The source of "now". Injected so that periods like "last month" are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at one instant (used when `TALLY_TODAY` pins the date). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

/**
 * A clock that starts at `start` and then runs at normal speed (used when `TALLY_TODAY` pins the date: "today" is
 * fixed for a demo or test, while timers, expiry and audit times still move on).
 */
export function pinnedDayClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
