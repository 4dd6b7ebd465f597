import { newId } from '../../../src/shared/ids.js';
import type { Logger } from '../../../src/shared/logger.port.js';

/**
 * Runs a listener's work; an unexpected failure is logged with an error id and context, and the user gets a short
 * apology with that id (never a stack trace).
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
    logger.error({ err, errorId, ...context }, 'slack listener failed');
    await tell(`Sorry, something went wrong on Tally's side (error id ${errorId}).`).catch((e) =>
      logger.error({ err: e, errorId }, 'could not tell the user about a failure'),
    );
  }
}
