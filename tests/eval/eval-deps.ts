import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { testDataDir } from '../support/data-dir.js';
import { EVAL_TODAY } from './eval-set.js';

/**
 * Tally on the in-process store with the built-in sample, "today" pinned to {@link EVAL_TODAY}. `llm` adds the
 * model settings (then free text goes to the agent); without it free text goes to the fast path. `focusPath` loads
 * that FOCUS export instead of the sample, as `tally ask --focus` does.
 */
export async function evalTally(
  llm: Record<string, string> = {},
  focusPath?: string,
): Promise<{
  ask: (text: string) => Promise<Reply>;
  close: () => Promise<void>;
}> {
  const config = loadConfig({ TALLY_TODAY: EVAL_TODAY, TALLY_DATA_DIR: testDataDir(), ...llm });
  const deps = await createDeps(config, {
    ...(focusPath ? { focusPath } : {}),
    clock: fixedClock(new Date(`${EVAL_TODAY}T12:00:00Z`)),
    logger: createPinoLogger({ level: 'silent' }),
  });
  let n = 0;
  return {
    // A thread per question, so that the agent's memory of one question does not colour the next.
    ask: (text) =>
      deps.turns.handle({
        user: { id: 'U-eval' },
        location: { platform: 'cli', channel: 'eval', thread: `q${++n}` },
        text,
      }),
    close: () => deps.close(),
  };
}
