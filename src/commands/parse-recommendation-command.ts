import { DISMISS_DAYS, MAX_HIDE_DAYS } from '../recommendations/recommendation-dismissal.types.js';
import type { ApprovalCommand, ParseResult } from './command.types.js';
import { echo } from './echo.js';

/** A recommendation id, or the id of a resource recommendations act on (instance, volume, Elastic IP allocation). */
const TARGET_RE = /^(rec_[0-9a-f]{10}|i-[0-9a-f]{8,17}|vol-[0-9a-f]{8,17}|eipalloc-[0-9a-f]{8,17})$/;
const DAYS_RE = /^(\d{1,3})\s*(?:d|days?)$/i;

const ok = (command: ApprovalCommand): ParseResult => ({ ok: true, command });
const invalid = (message: string): ParseResult => ({ ok: false, reason: 'INVALID', message, topic: 'recommendations' });

/**
 * Hiding recommendations in the conversation: `dismiss <id> [for <N>d] because <reason>` (30 days unless `for`
 * says otherwise; the reason is required), `snooze <id> <N>d [because <reason>]` and `undismiss <id>` (also
 * `unsnooze`). `<id>` is a recommendation id (`rec_…`) or a resource id (`i-…`, `vol-…`, `eipalloc-…`: every
 * recommendation on it). Returns null when the line is none of them.
 */
export function parseRecommendationCommand(input: string): ParseResult | null {
  const line = input.trim().replace(/\s+/g, ' ');
  const [head = '', target = '', ...rest] = line.split(' ');
  const word = head.toLowerCase();
  if (word !== 'dismiss' && word !== 'snooze' && word !== 'undismiss' && word !== 'unsnooze') return null;
  if (!target) return invalid(usage(word));
  if (!TARGET_RE.test(target))
    return invalid(`${echo(target)} is not a recommendation id (rec_…) or a resource id (i-…, vol-…, eipalloc-…).`);
  if (word === 'undismiss' || word === 'unsnooze')
    return rest.length === 0 ? ok({ kind: 'undismiss', target }) : invalid(usage(word));
  const tail = rest.join(' ');
  const m = /^(?:(?:for )?(\d+ days?|\S+)\s*)?(?:because (.+))?$/is.exec(tail);
  const [, span, reason] = m ?? [];
  if (!m || (tail !== '' && span === undefined && reason === undefined)) return invalid(usage(word));
  let days = DISMISS_DAYS;
  if (span !== undefined) {
    const d = DAYS_RE.exec(span);
    if (!d) return invalid(`${echo(span)} is not a number of days such as 30d. ${usage(word)}`);
    days = Number(d[1]);
    if (days < 1 || days > MAX_HIDE_DAYS) return invalid(`Hide it for 1 to ${MAX_HIDE_DAYS} days, not ${days}.`);
  } else if (word === 'snooze') return invalid(usage(word));
  const why = reason?.trim();
  if (word === 'dismiss' && !why) return invalid(usage(word));
  return ok({
    kind: 'dismiss',
    hide: word === 'dismiss' ? 'dismissed' : 'snoozed',
    target,
    days,
    ...(why ? { reason: why } : {}),
  });
}

function usage(word: string): string {
  if (word === 'dismiss') return 'Usage: `dismiss <recommendation or resource id> [for 90d] because <reason>`.';
  if (word === 'snooze') return 'Usage: `snooze <recommendation or resource id> 30d [because <reason>]`.';
  return `Usage: \`${word} <recommendation or resource id>\`.`;
}
