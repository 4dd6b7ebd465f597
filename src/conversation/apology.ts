import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { ChatSurface } from './chat-surface.port.js';

/** A short notice for the person alone. */
export function notice(title: string, text?: string): Reply {
  return { kind: 'notice', title, ...(text ? { text } : {}), visibility: 'ephemeral' };
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
 * the person gets {@link apology} privately; a platform refusal with a message for people gets that message.
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
