import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

const parsed = (text: string) => parseCommand(text);
const command = (text: string) => {
  const r = parsed(text);
  if (!r.ok) throw new Error(`refused: ${text}`);
  return r.command;
};

describe('budget request', () => {
  it('reads a new amount and the reason', () => {
    expect(command('budget request payments-team 15000 because Black Friday load')).toEqual({
      kind: 'budget',
      action: 'request',
      name: 'payments-team',
      amount: 15000,
      oneOff: false,
      reason: 'Black Friday load',
    });
  });

  it('reads a one-off for the current period, a currency, and the amount written 15k, 15,000 or $15000', () => {
    expect(command('budget request Payments-Team 15k USD because Black Friday load for this month only')).toEqual({
      kind: 'budget',
      action: 'request',
      name: 'payments-team',
      amount: 15000,
      currency: 'USD',
      oneOff: true,
      reason: 'Black Friday load',
    });
    expect(command('budget request ml for this quarter only 15,000 because GPUs')).toMatchObject({
      amount: 15000,
      oneOff: true,
      reason: 'GPUs',
    });
    expect(command('budget request ml $15000 because GPUs')).toMatchObject({ amount: 15000, currency: 'USD' });
    // A three-letter word that starts the reason is no currency.
    expect(command('budget request ml 15000 due to GPUs')).toMatchObject({ reason: 'due to GPUs' });
    expect(command('budget request ml 15000 due to GPUs')).not.toHaveProperty('currency');
  });

  it('refuses a missing reason, a zero amount, a currency the sign contradicts, and a bare name with a hint', () => {
    for (const text of [
      'budget request ml 15000',
      'budget request ml 0 because x',
      'budget request ml $15000 EUR because x',
      'budget request ml',
      'budget request',
    ])
      expect(parsed(text), text).toMatchObject({ ok: false, reason: 'INVALID', topic: 'budget' });
    const bare = parsed('budget request ml');
    expect(!bare.ok && bare.reason === 'INVALID' && bare.message).toContain('budget request ml <amount> because');
  });
});
