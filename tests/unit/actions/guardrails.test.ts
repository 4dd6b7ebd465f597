import { describe, expect, it } from 'vitest';
import {
  type ChangeWindow,
  describeWindows,
  type Guardrails,
  insideChangeWindow,
  protectedBy,
} from '../../../src/actions/guardrails.js';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri'];

function guardrails(changeWindows: ChangeWindow[], protectedTags: Guardrails['protectedTags'] = []): Guardrails {
  return { protectedTags, changeWindows, dailyLimitPerAccount: 20 };
}

const at = (iso: string) => new Date(iso);

describe('insideChangeWindow', () => {
  it('allows any time when no windows are set', () => {
    expect(insideChangeWindow(guardrails([]), at('2026-01-10T03:00:00Z'))).toBe(true);
  });

  const berlin = guardrails([{ days: WEEK, from: '08:00', to: '18:00', tz: 'Europe/Berlin' }]);

  it('reads the local time of the window around the 2026 switch to summer time in Berlin (29 March)', () => {
    // Fri 27 Mar, CET (UTC+1): 06:30Z is 07:30 local, before the window.
    expect(insideChangeWindow(berlin, at('2026-03-27T06:30:00Z'))).toBe(false);
    expect(insideChangeWindow(berlin, at('2026-03-27T07:00:00Z'))).toBe(true);
    // Mon 30 Mar, CEST (UTC+2): 06:30Z is 08:30 local, inside.
    expect(insideChangeWindow(berlin, at('2026-03-30T06:30:00Z'))).toBe(true);
    expect(insideChangeWindow(berlin, at('2026-03-30T05:59:00Z'))).toBe(false);
    // `to` is exclusive: 15:59Z is 17:59 local, 16:00Z is 18:00.
    expect(insideChangeWindow(berlin, at('2026-03-30T15:59:00Z'))).toBe(true);
    expect(insideChangeWindow(berlin, at('2026-03-30T16:00:00Z'))).toBe(false);
  });

  it('never opens a window that lies in the skipped hour of the DST day', () => {
    const skipped = guardrails([{ days: ['sun'], from: '02:00', to: '03:00', tz: 'Europe/Berlin' }]);
    // On Sun 29 Mar 2026 clocks jump from 02:00 CET (01:00Z) to 03:00 CEST.
    for (const iso of ['2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z']) {
      expect(insideChangeWindow(skipped, at(iso))).toBe(false);
    }
    const around = guardrails([{ days: ['sun'], from: '01:00', to: '04:00', tz: 'Europe/Berlin' }]);
    expect(insideChangeWindow(around, at('2026-03-29T00:30:00Z'))).toBe(true); // 01:30 CET
    expect(insideChangeWindow(around, at('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(insideChangeWindow(around, at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
  });

  it('is open twice in the repeated hour when New York falls back (1 November 2026)', () => {
    const repeated = guardrails([{ days: ['sun'], from: '01:00', to: '02:00', tz: 'America/New_York' }]);
    expect(insideChangeWindow(repeated, at('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(insideChangeWindow(repeated, at('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(insideChangeWindow(repeated, at('2026-11-01T07:00:00Z'))).toBe(false); // 02:00 EST
  });

  it('takes the weekday in the window time zone, not in UTC', () => {
    // Sat 10 Jan 2026 04:30Z is Fri 23:30 in New York (EST, UTC-5).
    const friday = at('2026-01-10T04:30:00Z');
    expect(
      insideChangeWindow(guardrails([{ days: WEEK, from: '00:00', to: '24:00', tz: 'America/New_York' }]), friday),
    ).toBe(true);
    expect(insideChangeWindow(guardrails([{ days: WEEK, from: '00:00', to: '24:00', tz: 'UTC' }]), friday)).toBe(false);
    // Sun 11 Jan 2026 15:30Z is Mon 00:30 in Tokyo (JST, UTC+9).
    const monday = at('2026-01-11T15:30:00Z');
    expect(
      insideChangeWindow(guardrails([{ days: ['mon'], from: '00:00', to: '01:00', tz: 'Asia/Tokyo' }]), monday),
    ).toBe(true);
    expect(insideChangeWindow(guardrails([{ days: ['mon'], from: '00:00', to: '24:00', tz: 'UTC' }]), monday)).toBe(
      false,
    );
  });

  it('runs a window ending at 24:00 up to midnight, and matches any one of several windows', () => {
    const late = guardrails([
      { days: ['sat'], from: '22:00', to: '24:00', tz: 'UTC' },
      { days: ['sun'], from: '06:00', to: '07:00', tz: 'UTC' },
    ]);
    expect(insideChangeWindow(late, at('2026-01-10T23:59:59Z'))).toBe(true); // Sat
    expect(insideChangeWindow(late, at('2026-01-11T00:00:00Z'))).toBe(false); // Sun 00:00
    expect(insideChangeWindow(late, at('2026-01-11T06:15:00Z'))).toBe(true); // Sun, second window
    expect(insideChangeWindow(late, at('2026-01-10T21:59:00Z'))).toBe(false);
  });
});

describe('protectedBy', () => {
  const rules = guardrails(
    [],
    [{ key: 'tally:protected' }, { key: 'env', value: 'prod' }, { key: 'owner', value: '' }],
  );

  it('matches a bare key with any value', () => {
    expect(protectedBy(rules, [{ key: 'tally:protected', value: '' }])).toBe('tally:protected');
    expect(
      protectedBy(rules, [
        { key: 'Name', value: 'web' },
        { key: 'tally:protected', value: 'yes' },
      ]),
    ).toBe('tally:protected');
  });

  it('matches key=value on that value only, exactly', () => {
    expect(protectedBy(rules, [{ key: 'env', value: 'prod' }])).toBe('env=prod');
    expect(protectedBy(rules, [{ key: 'env', value: 'dev' }])).toBeNull();
    expect(protectedBy(rules, [{ key: 'env', value: 'Prod' }])).toBeNull();
    expect(protectedBy(rules, [{ key: 'Env', value: 'prod' }])).toBeNull();
    expect(protectedBy(rules, [{ key: 'owner', value: '' }])).toBe('owner=');
    expect(protectedBy(rules, [{ key: 'owner', value: 'ann' }])).toBeNull();
  });

  it('names the first rule that matches, and nothing for untagged resources or no rules', () => {
    const both = [
      { key: 'env', value: 'prod' },
      { key: 'tally:protected', value: 'true' },
    ];
    expect(protectedBy(rules, both)).toBe('tally:protected');
    expect(protectedBy(rules, [])).toBeNull();
    expect(protectedBy(guardrails([]), both)).toBeNull();
  });
});

describe('describeWindows', () => {
  it('says any time without windows', () => {
    expect(describeWindows(guardrails([]))).toBe('any time');
  });
  it('shows day ranges, times and zones', () => {
    const g = guardrails([
      { days: WEEK, from: '08:00', to: '18:00', tz: 'Europe/Berlin' },
      { days: ['sat', 'mon'], from: '10:00', to: '12:00', tz: 'UTC' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '06:00', tz: 'Asia/Tokyo' },
      { days: ['mon', 'tue', 'thu', 'fri', 'sat'], from: '01:00', to: '02:00', tz: 'UTC' },
    ]);
    expect(describeWindows(g)).toBe(
      'Mon–Fri 08:00–18:00 Europe/Berlin; Mon, Sat 10:00–12:00 UTC; every day 00:00–06:00 Asia/Tokyo; ' +
        'Mon, Tue, Thu–Sat 01:00–02:00 UTC',
    );
  });
});
