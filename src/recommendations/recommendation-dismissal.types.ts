/**
 * Recommendations hidden in one conversation (README "Recommendations and approvals"): `dismiss <id> because …`
 * hides one for {@link DISMISS_DAYS} days, `snooze <id> 30d` for the days given, and `undismiss <id>` brings it back.
 * They are kept per conversation, so a finding dismissed in one channel is still listed in the others.
 */

/** How long `dismiss` hides a recommendation. */
export const DISMISS_DAYS = 30;
/** The longest snooze (and the longest `dismiss … for Nd`). */
export const MAX_HIDE_DAYS = 365;

/** `dismissed` (with a reason) or `snoozed` (for a while, reason optional). */
type DismissalKind = 'dismissed' | 'snoozed';

/** One recommendation, or every recommendation on one resource, hidden in one conversation until `until`. */
export interface RecommendationDismissal {
  /**
   * The conversation it is hidden in (see {@link conversationKey}): `slack:C0OPS`, `teams:19:…@thread.tacv2`, or
   * `shell:user:rita` where there is no channel.
   */
  conversation: string;
  /** A recommendation id (`rec_…`: that finding) or a resource id (`i-…`, `vol-…`, `eipalloc-…`: all its findings). */
  target: string;
  kind: DismissalKind;
  /** Why, as typed after `because`; absent for a snooze without one. */
  reason?: string;
  /** Who hid it: a person of the policy, else the platform user id. */
  by: string;
  /** ISO instant it was hidden. */
  at: string;
  /** ISO instant it shows again. */
  until: string;
}

/**
 * Where dismissals are kept. Implemented in memory and on MongoDB (`recommendation_dismissals`); one contract suite
 * covers both.
 */
export interface RecommendationDismissalRepository {
  /** Stores a dismissal, replacing the one for the same conversation and target (the latest wins). */
  put(dismissal: RecommendationDismissal): Promise<void>;
  /** The dismissals of a conversation still in force at `at` (`until` after it), oldest first. */
  active(conversation: string, at: Date): Promise<RecommendationDismissal[]>;
  /** Removes the dismissal of `target` in the conversation; resolves what was removed, or null when there was none. */
  remove(conversation: string, target: string): Promise<RecommendationDismissal | null>;
}

/**
 * The conversation a dismissal belongs to: the chat channel (a Slack DM is a channel too) where it was typed or
 * clicked; with no channel (the shell, `tally ask`), the person's own.
 */
export function conversationKey(location: { platform: string; channel?: string }, userId: string): string {
  return location.channel ? `${location.platform}:${location.channel}` : `${location.platform}:user:${userId}`;
}

/** Whether a dismissal hides a recommendation: by its id, or by the id of the resource it acts on. */
export function dismissalCovers(
  dismissal: Pick<RecommendationDismissal, 'target'>,
  rec: { id: string; action: { target: { resourceId: string } } },
): boolean {
  return dismissal.target === rec.id || dismissal.target === rec.action.target.resourceId;
}
