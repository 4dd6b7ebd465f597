import { TallyError } from '../../src/shared/errors.js';

/** Slack Web API error codes Tally answers users about (REFERENCE.md §1.6). */
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

/** Maps a Web API failure to a TallyError at the edge (STYLE rule 5). */
export function handleSlackError(err: unknown, operation: string): never {
  const kind = slackErrorKind(err);
  const e = err as { code?: string; data?: { error?: string } };
  throw new TallyError('INTERNAL', `Slack ${operation} failed: ${e?.data?.error ?? e?.code ?? 'error'}`, {
    cause: err,
    metadata: { operation, slackError: e?.data?.error, kind },
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
