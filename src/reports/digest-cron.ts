import { CronExpressionParser } from 'cron-parser';
import type { DigestCommand } from '../commands/command.types.js';

/** The `digest subscribe …` command. */
export type DigestSubscribeCommand = Extract<DigestCommand, { action: 'subscribe' }>;

/** Cron's day-of-week numbers (Sunday = 0), by the three-letter names the command language uses. */
const WEEKDAY_NUMBERS: Readonly<Record<string, number>> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/**
 * The 5-field cron pattern of a subscription, in the subscriber's time zone (the zone goes to the scheduler
 * separately).
 *
 * @example
 * cronOf({ kind: 'digest', action: 'subscribe', cadence: 'weekly', weekday: 'mon', time: '09:00', tz: 'Europe/Berlin', emails: [] });
 * // '0 9 * * 1'
 */
export function cronOf(command: DigestSubscribeCommand): string {
  const [hour = 0, minute = 0] = command.time.split(':').map(Number);
  if (command.cadence === 'daily') return `${minute} ${hour} * * *`;
  const day = WEEKDAY_NUMBERS[command.weekday ?? 'mon'] ?? 1;
  return `${minute} ${hour} * * ${day}`;
}

/** How a subscription's cron reads back: the schedule as written, e.g. `weekly mon 09:00 Europe/Berlin`. */
export function scheduleText(command: DigestSubscribeCommand): string {
  const day = command.cadence === 'weekly' ? ` ${command.weekday ?? 'mon'}` : '';
  return `${command.cadence}${day} ${command.time} ${command.tz}`;
}

/** `daily` when the pattern runs every day of the week, else `weekly`. */
export function cadenceOf(cron: string): 'weekly' | 'daily' {
  const fields = cron.trim().split(/\s+/);
  return fields[fields.length - 1] === '*' ? 'daily' : 'weekly';
}

/**
 * The first run of `cron` in time zone `tz` strictly after `after`, computed the way BullMQ's job schedulers do
 * (cron-parser 5, BullMQ's own cron parser), so that what Tally announces is what the scheduler does. Daylight saving
 * time is honoured: `0 9 * * 1` in Europe/Berlin is 07:00 UTC in summer and 08:00 UTC in winter.
 */
export function nextRunOf(cron: string, tz: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz, currentDate: after }).next().toDate();
}

/**
 * An instant as the subscriber reads it, with UTC alongside: `Monday, 23 November 2026 at 09:00 Europe/Berlin (08:00 UTC)`.
 */
export function formatLocal(instant: Date, tz: string): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  const utc = instant.toISOString().slice(11, 16);
  return tz === 'UTC' ? `${local} UTC` : `${local} ${tz} (${utc} UTC)`;
}
