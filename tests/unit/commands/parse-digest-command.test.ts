import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/commands/command.types.js';
import { canonicalZone, parseDigestCommand, parseTime } from '../../../src/commands/parse-digest-command.js';

const command = (input: string) => {
  const r = parseDigestCommand(input);
  if (!r?.ok) throw new Error(`expected a command for "${input}", got ${JSON.stringify(r)}`);
  return r.command;
};

const failure = (input: string) => parseDigestCommand(input) as Extract<ParseResult, { ok: false }> | null;

describe('parseDigestCommand', () => {
  it('reads the examples of the issue', () => {
    expect(command('digest subscribe weekly mon 09:00 Europe/Berlin')).toEqual({
      kind: 'digest',
      action: 'subscribe',
      cadence: 'weekly',
      weekday: 'mon',
      time: '09:00',
      tz: 'Europe/Berlin',
      emails: [],
    });
    expect(command('digest subscribe daily 08:30 UTC')).toEqual({
      kind: 'digest',
      action: 'subscribe',
      cadence: 'daily',
      time: '08:30',
      tz: 'UTC',
      emails: [],
    });
    expect(
      command('digest subscribe weekly fri 17:00 America/New_York to finops@example.com, cfo@example.com'),
    ).toEqual({
      kind: 'digest',
      action: 'subscribe',
      cadence: 'weekly',
      weekday: 'fri',
      time: '17:00',
      tz: 'America/New_York',
      emails: ['finops@example.com', 'cfo@example.com'],
    });
    expect(command('digest list')).toEqual({ kind: 'digest', action: 'list' });
    expect(command('digest unsubscribe')).toEqual({ kind: 'digest', action: 'unsubscribe' });
    expect(command('digest unsubscribe dig_1a2b3c4d')).toEqual({
      kind: 'digest',
      action: 'unsubscribe',
      id: 'dig_1a2b3c4d',
    });
    expect(command('digest')).toEqual({ kind: 'digest', action: 'show' });
    expect(command('digest now')).toEqual({ kind: 'digest', action: 'show' });
  });

  it('is not about other commands', () => {
    for (const input of ['cost last week', 'approvals', '', 'digestif', 'compare digest']) {
      expect(parseDigestCommand(input)).toBeNull();
    }
  });

  it('fills in weekly, Monday, 09:00 and UTC, and accepts words in any order and case', () => {
    expect(command('Digest Subscribe')).toMatchObject({ cadence: 'weekly', weekday: 'mon', time: '09:00', tz: 'UTC' });
    expect(command('digest subscribe every friday at 5pm in europe/london')).toMatchObject({
      cadence: 'weekly',
      weekday: 'fri',
      time: '17:00',
      tz: 'Europe/London',
    });
    expect(command('digest subscribe daily')).not.toHaveProperty('weekday');
    expect(command('digests subscribe 7:05 Asia/Kolkata tuesdays weekly')).toMatchObject({
      weekday: 'tue',
      time: '07:05',
      tz: 'Asia/Kolkata',
    });
  });

  it('reads addresses after `to`, Slack mailto links, `and`, and drops repeats', () => {
    const c = command(
      'digest subscribe weekly mon 09:00 Europe/Berlin to <mailto:FinOps@Example.com|FinOps@Example.com> and cfo@example.com finops@example.com.',
    );
    expect(c).toMatchObject({ emails: ['FinOps@Example.com', 'cfo@example.com'] });
    // A time zone after the addresses is still the time zone.
    expect(command('digest subscribe daily 08:30 to a@example.com Europe/Paris')).toMatchObject({
      tz: 'Europe/Paris',
      emails: ['a@example.com'],
    });
  });

  it.each([
    ['a time zone that does not exist', 'digest subscribe weekly mon 09:00 Europe/Berlinn'],
    ['a made-up zone', 'digest subscribe weekly mon 09:00 Mars/Olympus_Mons'],
    ['an hour past 23', 'digest subscribe weekly mon 25:00 UTC'],
    ['minutes past 59', 'digest subscribe daily 12:60 UTC'],
    ['one-digit minutes', 'digest subscribe daily 9:7 UTC'],
    ['13pm', 'digest subscribe daily 13pm UTC'],
    ['a weekday that is none', 'digest subscribe weekly funday 09:00 UTC'],
    ['a weekday on a daily digest', 'digest subscribe daily mon 09:00 UTC'],
    ['two weekdays', 'digest subscribe weekly mon tue 09:00 UTC'],
    ['a bad address', 'digest subscribe weekly mon 09:00 UTC to finops@'],
    ['a word that is no address after to', 'digest subscribe weekly mon 09:00 UTC to finops'],
    ['an address without a domain dot', 'digest subscribe weekly mon 09:00 UTC to a@localhost'],
    ['an unknown verb', 'digest everyone'],
    ['arguments to list', 'digest list all'],
    ['two ids', 'digest unsubscribe dig_1 dig_2'],
  ])('refuses %s as INVALID with topic digest', (_what, input) => {
    const r = failure(input);
    expect(r).toMatchObject({ ok: false, reason: 'INVALID', topic: 'digest' });
    expect(r && 'message' in r ? r.message.length : 0).toBeGreaterThan(0);
  });
});

describe('parseTime and canonicalZone', () => {
  it('normalise times to HH:MM (24 h)', () => {
    expect(['9:00', '09:00', '23:59', '0:00', '9am', '12am', '12pm', '5:30pm'].map(parseTime)).toEqual([
      '09:00',
      '09:00',
      '23:59',
      '00:00',
      '09:00',
      '00:00',
      '12:00',
      '17:30',
    ]);
    expect(['9', '24:00', '0am', '1:5', 'noon'].map(parseTime)).toEqual([null, null, null, null, null]);
  });

  it('spell zones the IANA way and refuse unknown ones', () => {
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('Z')).toBe('UTC');
    // Kept as typed, not turned into ICU's old alias Asia/Calcutta.
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('america/argentina/buenos_aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalZone('Nowhere/Special')).toBeNull();
  });
});
