import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { ChatSurface } from './chat-surface.port.js';
import { QueueFull } from './work-queue.js';

/** A short notice for the person alone. */
export function notice(title: string, text?: string): Reply {
  return { kind: 'notice', title, ...(text ? { text } : {}), visibility: 'ephemeral' };
}

/**
 * What the person reads when the answer queue is full (docs/architecture.md#the-chat-core): their question was not
 * queued, so asking again later is the way to an answer.
 */
export function busy(): Reply {
  return notice(
    'Tally is busy, try again in a minute.',
    'Too many questions are waiting for an answer right now, so this one was not started.',
  );
}

/**
 * Logs a refusal by the full answer queue: a warning when the queue fills up, then at 10, 100, … refusals in a row,
 * else at debug level only, so that a flood does not flood the log too.
 */
export function logBusy(
  logger: Logger,
  context: Record<string, unknown>,
  refused: { waiting: number; inARow: number },
): void {
  const fields = { ...context, waiting: refused.waiting, inARow: refused.inARow };
  if (/^10*$/.test(String(refused.inARow))) logger.warn(fields, 'answer queue full: told the person Tally is busy');
  else logger.debug(fields, 'answer queue full: told the person Tally is busy');
}

/** What the person reads when Tally fails: short, with the error id that is in the log, never a stack trace. */
export function apology(errorId: string): Reply {
  return {
    kind: 'error',
    title: `Sorry, something went wrong on Tally's side (error id ${errorId}).`,
    visibility: 'ephemeral',
    errorId,
  };
}

/**
 * What to tell the person when the platform refused to post where they asked (Tally is not in the channel): a
 * surface puts it in the `userMessage` metadata of its `CHAT_FAILED` error.
 */
function userMessageOf(err: unknown): string | null {
  if (!(err instanceof TallyError) || err.code !== 'CHAT_FAILED') return null;
  const message = err.metadata.userMessage;
  return typeof message === 'string' && message ? message : null;
}

/**
 * Runs the work of one inbound event. An unexpected failure is logged with an error id and the event's context, and
 * the person gets {@link apology} privately; a platform refusal with a message for people gets that message; work
 * refused by a full answer queue ({@link QueueFull}) gets {@link busy}.
 */
export async function failSafely(
  logger: Logger,
  context: Record<string, unknown>,
  surface: ChatSurface,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof QueueFull) {
      logBusy(logger, context, err);
      return surface
        .replyPrivately(busy())
        .catch((e: unknown) => logger.error({ err: e, ...context }, 'could not tell the person Tally is busy'));
    }
    const told = userMessageOf(err);
    const errorId = newId('err');
    if (told) logger.warn({ err, ...context }, 'the platform refused a post');
    else logger.error({ err, errorId, ...context }, 'chat event failed');
    await surface
      .replyPrivately(told ? notice(told) : apology(errorId))
      .catch((e: unknown) =>
        logger.error({ err: e, errorId, ...context }, 'could not tell the person about a failure'),
      );
  }
}
