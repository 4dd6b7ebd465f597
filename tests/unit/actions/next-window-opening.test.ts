import { describe, expect, it } from 'vitest';
import { type ChangeWindow, type Guardrails, nextWindowOpening } from '../../../src/actions/guardrails.js';

// Where an approval completed outside every change window is scheduled (docs/architecture.md#execution).
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri'];
const guardrails = (changeWindows: ChangeWindow[]): Guardrails => ({
  protectedTags: [],
  changeWindows,
  dailyLimitPerAccount: 20,
});
const next = (g: Guardrails, iso: string) => nextWindowOpening(g, new Date(iso))?.at.toISOString() ?? null;

describe('nextWindowOpening', () => {
  const berlin = guardrails([{ days: WEEK, from: '08:00', to: '18:00', tz: 'Europe/Berlin' }]);

  it('after Friday evening: Monday 08:00 in the window zone (CET, UTC+1)', () => {
    expect(next(berlin, '2026-03-06T17:30:00Z')).toBe('2026-03-09T07:00:00.000Z');
    expect(next(berlin, '2026-03-07T10:00:00Z')).toBe('2026-03-09T07:00:00.000Z');
  });

  it('before the day starts: the same day; once summer time began, 08:00 CEST is 06:00 UTC', () => {
    expect(next(berlin, '2026-03-10T05:00:00Z')).toBe('2026-03-10T07:00:00.000Z');
    expect(next(berlin, '2026-03-30T05:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
  });

  it('inside a window, the next one: the window that is open does not open again', () => {
    expect(next(berlin, '2026-03-10T09:00:00Z')).toBe('2026-03-11T07:00:00.000Z');
  });

  it('the earliest of several windows, each in its own zone', () => {
    const two = guardrails([
      { days: ['sat'], from: '10:00', to: '12:00', tz: 'UTC' },
      { days: ['mon'], from: '00:00', to: '01:00', tz: 'Asia/Tokyo' },
    ]);
    // Monday 00:00 in Tokyo (UTC+9) is Sunday 15:00 UTC, before Saturday's window a week on.
    expect(next(two, '2026-03-07T13:00:00Z')).toBe('2026-03-08T15:00:00.000Z');
    expect(next(two, '2026-03-08T16:00:00Z')).toBe('2026-03-14T10:00:00.000Z');
  });

  it('a start in the daylight-saving gap opens at the first minute that exists', () => {
    // 29 March 2026, Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 never happens; 03:00 CEST is 01:00 UTC.
    const gap = guardrails([{ days: ['sun'], from: '02:30', to: '04:00', tz: 'Europe/Berlin' }]);
    expect(next(gap, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('none set, or no day: null', () => {
    expect(next(guardrails([]), '2026-03-07T10:00:00Z')).toBeNull();
    expect(next(guardrails([{ days: [], from: '08:00', to: '18:00', tz: 'UTC' }]), '2026-03-07T10:00:00Z')).toBeNull();
  });
});
