import { type Guardrails, insideChangeWindow, nextWindowOpening } from '../../actions/guardrails.js';
import type { Approval } from '../approval.types.js';
import type { ApprovalPolicy } from '../approval-policy.types.js';
import { tierEntries } from '../approvers.js';

/**
 * When an approved action may run (docs/architecture.md#execution): at once inside a change window, else at the start
 * of the next one. The time is stored on the approval (`scheduledFor`) and the execute job is delayed until then.
 */

/**
 * What an approval that becomes APPROVED at `at` carries besides its state: `scheduledFor`, the start of the next
 * change window, when `at` is outside every window; nothing when it may run at once (or no window ever opens, and the
 * executor then says why it did not run).
 */
export function scheduleOnApproval(guardrails: Guardrails, at: Date): Pick<Approval, 'scheduledFor'> {
  if (insideChangeWindow(guardrails, at)) return {};
  const opening = nextWindowOpening(guardrails, at);
  return opening ? { scheduledFor: opening.at.toISOString() } : {};
}

/** How long the execute job of a just-approved approval waits: until `scheduledFor`, by the clock that decided it. */
export function delayOnApproval(approval: Approval): number {
  if (!approval.scheduledFor || !approval.decidedAt) return 0;
  return Math.max(0, Date.parse(approval.scheduledFor) - Date.parse(approval.decidedAt));
}

/** Whether an approval waits for a change window: APPROVED with a schedule (it can still be cancelled). */
export function isScheduled(approval: Approval): boolean {
  return approval.state === 'APPROVED' && approval.scheduledFor !== undefined;
}

/**
 * The time zones a schedule is shown in: those of the approvers (people of the policy with a `tz`: who voted, then
 * who is named in the approval's tiers), else the zone of the window that opens then, else UTC.
 */
export function zonesFor(policy: ApprovalPolicy, approval: Approval): string[] {
  const persons = [
    ...approval.votes.filter((v) => v.decision === 'approve').map((v) => v.voter.person),
    ...tierEntries(approval.rule, approval.tier),
  ];
  const zones = new Set<string>();
  for (const person of persons) {
    const tz = policy.people.find((p) => p.key === person)?.tz;
    if (tz) zones.add(tz);
  }
  if (zones.size > 0) return [...zones];
  const at = approval.scheduledFor ? new Date(approval.scheduledFor) : null;
  const window =
    at &&
    policy.guardrails.changeWindows.find((w) => insideChangeWindow({ ...policy.guardrails, changeWindows: [w] }, at));
  return [window ? window.tz : 'UTC'];
}

/**
 * An instant as the approvers read it, with UTC alongside:
 * `Tuesday, 3 March 2026 at 13:00 Europe/Berlin (12:00 UTC)`; several zones are joined with ` / `.
 */
export function formatInZones(instant: Date, zones: readonly string[]): string {
  const local = zones.map((tz) => `${localFormatter(tz).format(instant)} ${tz}`).join(' / ');
  if (zones.every((tz) => tz === 'UTC')) return local;
  return `${local} (${instant.toISOString().slice(11, 16)} UTC)`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}
