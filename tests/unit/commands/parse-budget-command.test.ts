import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

describe('budget commands', () => {
  it('reads budget set with its clauses in any order', () => {
    expect(
      parseCommand('budget set payments-team 12000 USD monthly for tag:team=payments owner @alice in #payments'),
    ).toEqual({
      ok: true,
      command: {
        kind: 'budget',
        action: 'set',
        draft: {
          name: 'payments-team',
          amount: 12000,
          currency: 'USD',
          period: 'monthly',
          filter: { tags: [{ key: 'team', value: 'payments' }] },
          owners: ['@alice'],
          channel: 'payments',
        },
      },
    });
    const r = parseCommand(
      'budget set platform 150k eur fiscal quarterly in <#C0PLAT|platform> billed for provider AWS excluding charge Tax owners <@U0BOB> and @alice thresholds 50 90% forecast 100',
    );
    expect(r).toMatchObject({
      ok: true,
      command: {
        draft: {
          amount: 150000,
          currency: 'EUR',
          period: 'fiscal-quarter',
          channel: 'C0PLAT',
          metric: 'billed',
          filter: { providers: ['AWS'], exclude: { charges: ['Tax'] } },
          owners: ['U0BOB', '@alice'],
          thresholds: { actual: [50, 90], forecast: [100] },
        },
      },
    });
  });

  it('leaves a missing currency for the check that names it', () => {
    const r = parseCommand('budget set x 12,000 monthly');
    expect(r).toMatchObject({ ok: true, command: { draft: { amount: 12000 } } });
    expect(r.ok && r.command.kind === 'budget' && r.command.action === 'set' && r.command.draft.currency).toBe(
      undefined,
    );
  });

  it('reads list, show and remove', () => {
    expect(parseCommand('budgets')).toEqual({ ok: true, command: { kind: 'budget', action: 'list' } });
    expect(parseCommand('budget list')).toEqual({ ok: true, command: { kind: 'budget', action: 'list' } });
    expect(parseCommand('budget Payments-Team')).toEqual({
      ok: true,
      command: { kind: 'budget', action: 'show', name: 'payments-team' },
    });
    expect(parseCommand('budget remove payments-team')).toEqual({
      ok: true,
      command: { kind: 'budget', action: 'remove', name: 'payments-team' },
    });
  });

  it('answers malformed lines with usage on the budget topic', () => {
    for (const line of [
      'budget remove',
      'budget set x 100 USD banana',
      'budget set x 100 USD thresholds',
      'budget a b',
    ])
      expect(parseCommand(line)).toMatchObject({ ok: false, reason: 'INVALID', topic: 'budget' });
  });
});
