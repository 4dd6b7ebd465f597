import { TallyError } from '../../src/shared/errors.js';

/** Slack Web API error codes Tally answers users about. */
export type SlackErrorKind = 'not_in_channel' | 'channel_not_found' | 'rate_limited' | 'other';

/** Reads what kind of Slack failure an error from `@slack/web-api` is, without leaking vendor types into callers. */
export function slackErrorKind(err: unknown): SlackErrorKind {
  const e = err as { code?: string; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error') return 'rate_limited';
  const error = e?.data?.error;
  if (error === 'not_in_channel' || error === 'channel_not_found') return error;
  if (error === 'ratelimited' || error === 'rate_limited') return 'rate_limited';
  return 'other';
}

/** The Slack error code of a Web API failure (`not_in_channel`), else the client's own code, else `unknown`. */
export function slackErrorCode(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.data?.error ?? e?.code ?? 'unknown';
}

/**
 * Maps a Web API failure to a TallyError at the edge (docs/architecture.md#errors): code `CHAT_FAILED`, metadata
 * `{ operation, slackError, kind }` (the Web API method, Slack's error code, its kind). A TallyError passes unchanged.
 */
export function handleSlackError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const slackError = slackErrorCode(err);
  throw new TallyError('CHAT_FAILED', `Slack ${operation} failed: ${slackError}`, {
    cause: err,
    metadata: { operation, slackError, kind: slackErrorKind(err) },
  });
}

/** What to tell the user when Tally cannot post where they asked. */
export function channelProblemText(kind: SlackErrorKind): string | null {
  if (kind === 'not_in_channel')
    return 'Tally is not a member of this channel. Invite it with `/invite @Tally` and ask again.';
  if (kind === 'channel_not_found')
    return 'Tally cannot see this channel (private or shared). Invite it with `/invite @Tally` and ask again.';
  return null;
}
