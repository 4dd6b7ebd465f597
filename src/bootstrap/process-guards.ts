import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';

/** The last-resort handlers of a service process, and how many failures they caught. */
export interface ProcessGuards {
  caught: () => number;
  remove: () => void;
}

/**
 * Installs `unhandledRejection` and `uncaughtException` handlers that log the failure with an error id and keep the
 * process serving: web and workers share it, and one failed request or job must not stop the others (the choice and
 * its reasons: docs/operations.md#when-a-request-fails).
 */
export function installProcessGuards(logger: Logger): ProcessGuards {
  let caught = 0;
  const log = (kind: string) => (err: unknown) => {
    caught += 1;
    logger.error({ err, errorId: newId('err'), kind }, `${kind}: logged and kept serving`);
  };
  const onRejection = log('unhandled rejection');
  const onException = log('uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    caught: () => caught,
    remove: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
