import { newId } from '../../../src/shared/ids.js';
import type { Logger } from '../../../src/shared/logger.port.js';

/** What the user reads when Tally fails: short, with the error id that is in the logs, never a stack trace. */
export function apology(errorId: string): string {
  return `Sorry, something went wrong on Tally's side (error id ${errorId}).`;
}

/**
 * Runs a handler's work; an unexpected failure is logged with an error id and context, and the user gets a short
 * apology with that id.
 */
export async function failSafely(
  logger: Logger,
  context: Record<string, unknown>,
  tell: (text: string) => Promise<void>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    const errorId = newId('err');
    logger.error({ err, errorId, ...context }, 'teams handler failed');
    await tell(apology(errorId)).catch((e: unknown) =>
      logger.error({ err: e, errorId }, 'could not tell the user about a failure'),
    );
  }
}
