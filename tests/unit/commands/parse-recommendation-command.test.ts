import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

describe('dismiss, snooze and undismiss', () => {
  it('dismisses a recommendation for 30 days with its reason, or for the days given', () => {
    expect(parseCommand('dismiss rec_0123456789 because batch host, idle by design')).toEqual({
      ok: true,
      command: {
        kind: 'dismiss',
        hide: 'dismissed',
        target: 'rec_0123456789',
        days: 30,
        reason: 'batch host, idle by design',
      },
    });
    expect(parseCommand('Dismiss i-0abc12345678 for 90d because owned by the data team')).toMatchObject({
      ok: true,
      command: { kind: 'dismiss', target: 'i-0abc12345678', days: 90, reason: 'owned by the data team' },
    });
  });

  it('snoozes for the days typed, with or without a reason', () => {
    expect(parseCommand('snooze vol-0abc12345678 30d')).toEqual({
      ok: true,
      command: { kind: 'dismiss', hide: 'snoozed', target: 'vol-0abc12345678', days: 30 },
    });
    expect(parseCommand('snooze eipalloc-0abc12345678 7 days because waiting for DNS')).toMatchObject({
      ok: true,
      command: { hide: 'snoozed', days: 7, reason: 'waiting for DNS' },
    });
  });

  it('undismisses', () => {
    expect(parseCommand('undismiss rec_0123456789')).toEqual({
      ok: true,
      command: { kind: 'undismiss', target: 'rec_0123456789' },
    });
    expect(parseCommand('unsnooze i-0abc12345678')).toEqual({
      ok: true,
      command: { kind: 'undismiss', target: 'i-0abc12345678' },
    });
  });

  it('lists hidden recommendations with `recommendations all`', () => {
    expect(parseCommand('recommendations all in eu-west-1')).toEqual({
      ok: true,
      command: { kind: 'recommendations', region: 'eu-west-1', refresh: false, all: true },
    });
  });

  it.each([
    ['dismiss rec_0123456789', 'Usage: `dismiss'],
    ['dismiss rec_0123456789 because   ', 'Usage: `dismiss'],
    ['snooze rec_0123456789', 'Usage: `snooze'],
    ['snooze rec_0123456789 soon', 'is not a number of days'],
    ['snooze rec_0123456789 0d', 'Hide it for 1 to 365 days, not 0.'],
    ['snooze rec_0123456789 400d', 'Hide it for 1 to 365 days, not 400.'],
    ['dismiss apr_123456 because no', 'is not a recommendation id (rec_…) or a resource id'],
    ['dismiss', 'Usage: `dismiss'],
    ['undismiss rec_0123456789 please', 'Usage: `undismiss'],
  ])('refuses %j with usage', (line, message) => {
    const parsed = parseCommand(line);
    expect(parsed).toMatchObject({ ok: false, reason: 'INVALID', topic: 'recommendations' });
    expect((parsed as { message: string }).message).toContain(message);
  });
});
