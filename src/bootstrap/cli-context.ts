import type { Config } from '../config/env.js';
import type { Clock } from '../shared/clock.js';
import { pinnedDayClock, systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.port.js';

/**
 * What every `tally` command gets from `main` (`cli.ts`). A module of its own, so that the CLI, its commands and
 * `start.ts` do not import each other.
 */
export interface CliContext {
  config: Config;
  logger: Logger;
  out: (s: string) => void;
  err: (s: string) => void;
  historyFile: string;
  /** Where the log goes: the interactive commands keep stderr for one-line messages and log to a file. */
  logTarget: string;
}

/** The clock of a command: with `TALLY_TODAY`, that day from noon on (and running); else the system clock. */
export function clockFor(config: Config): Clock {
  return config.today ? pinnedDayClock(new Date(`${config.today}T12:00:00Z`)) : systemClock;
}
