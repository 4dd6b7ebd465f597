import { TallyError } from '../../src/shared/errors.js';

/** What a Bot Connector failure is about, read from the connector client's `RestError` without its types. */
interface TeamsErrorInfo {
  /** HTTP status of the connector's answer, when there was one. */
  status?: number;
  /** The connector's error code (`BotNotInConversationRoster`, `ConversationBlockedByUser`, …) or the client's own. */
  code: string;
}

/** Reads the status and code of an error thrown by botbuilder's connector client. */
function teamsErrorInfo(err: unknown): TeamsErrorInfo {
  // `RestError` (@azure/core-rest-pipeline): `statusCode`, `code`, and `details`, the parsed error body.
  const e = err as { statusCode?: unknown; code?: unknown; details?: { error?: { code?: unknown } } } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const bodyCode = e?.details?.error?.code;
  const code = typeof bodyCode === 'string' ? bodyCode : typeof e?.code === 'string' ? e.code : 'unknown';
  return { ...(status !== undefined ? { status } : {}), code };
}

/**
 * Maps a Bot Framework failure to a TallyError at the edge (docs/architecture.md#errors): code `CHAT_FAILED`, metadata
 * `{ operation, status, teamsError }`. A TallyError passes unchanged.
 */
export function handleTeamsError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const { status, code } = teamsErrorInfo(err);
  throw new TallyError('CHAT_FAILED', `Teams ${operation} failed: ${status ?? ''} ${code}`.replace(/\s+/g, ' '), {
    cause: err,
    metadata: { operation, ...(status !== undefined ? { status } : {}), teamsError: code },
  });
}
