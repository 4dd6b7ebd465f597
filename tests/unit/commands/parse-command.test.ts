import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

const command = (text: string) => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`not parsed: ${text} (${r.reason})`);
  return r.command;
};

describe('parseCommand: the examples of the command language', () => {
  it.each([
    ['cost', { kind: 'cost', metric: 'effective', period: { kind: 'month-to-date' } }],
    ['cost last month by service', { kind: 'cost', period: { kind: 'last-month' }, groupBy: { kind: 'service' } }],
    ['cost by account this month', { kind: 'cost', period: { kind: 'this-month' }, groupBy: { kind: 'account' } }],
    [
      'billed cost by service from 2026-05-01 to 2026-05-31',
      {
        kind: 'cost',
        metric: 'billed',
        period: { kind: 'range', from: '2026-05-01', to: '2026-05-31' },
        groupBy: { kind: 'service' },
      },
    ],
    [
      'top 5 services last 30 days',
      { kind: 'cost', top: 5, groupBy: { kind: 'service' }, period: { kind: 'last-days', days: 30 } },
    ],
    [
      'compare last week vs the week before by service',
      { kind: 'compare', current: { kind: 'last-week' }, previous: { kind: 'previous' }, groupBy: { kind: 'service' } },
    ],
    ['forecast', { kind: 'forecast', metric: 'effective' }],
    ['anomalies', { kind: 'anomalies', period: { kind: 'last-days', days: 7 } }],
    ['approvals', { kind: 'approvals' }],
    [
      'digest subscribe weekly mon 09:00 Europe/Berlin',
      { kind: 'digest', action: 'subscribe', cadence: 'weekly', weekday: 'mon', time: '09:00', tz: 'Europe/Berlin' },
    ],
    ['help', { kind: 'help' }],
  ])('%s', (text, expected) => {
    expect(command(text)).toMatchObject(expected);
  });
});

describe('parseCommand: periods and dimensions', () => {
  it.each([
    ['cost today', { kind: 'today' }],
    ['cost yesterday', { kind: 'yesterday' }],
    ['cost this week', { kind: 'this-week' }],
    ['cost last week', { kind: 'last-week' }],
    ['cost month to date', { kind: 'month-to-date' }],
    ['cost year to date', { kind: 'year-to-date' }],
    ['cost last 7 days', { kind: 'last-days', days: 7 }],
    ['cost in May 2026', { kind: 'month', month: '2026-05' }],
    ['cost 2026-04', { kind: 'month', month: '2026-04' }],
  ])('%s', (text, period) => {
    expect(command(text)).toMatchObject({ kind: 'cost', period });
  });

  it.each([
    ['cost by provider', { kind: 'provider' }],
    ['cost by region', { kind: 'region' }],
    ['cost by category', { kind: 'category' }],
    ['cost by tag:team', { kind: 'tag', key: 'team' }],
    ['cost by tag:kubernetes.io/cluster', { kind: 'tag', key: 'kubernetes.io/cluster' }],
    ['cost by tag cost-center', { kind: 'tag', key: 'cost-center' }],
  ])('%s', (text, groupBy) => {
    expect(command(text)).toMatchObject({ groupBy });
  });

  it('reads filters, quoted values and inline tag filters', () => {
    expect(
      command('cost last month by region for service "Amazon Simple Storage Service" tag:team=payments'),
    ).toMatchObject({
      filter: { services: ['Amazon Simple Storage Service'], tags: [{ key: 'team', value: 'payments' }] },
      groupBy: { kind: 'region' },
    });
    expect(command('cost for provider AWS')).toMatchObject({ filter: { providers: ['AWS'] } });
  });

  it('compares two explicit periods', () => {
    expect(command('compare 2026-05 vs 2026-04 by provider')).toMatchObject({
      kind: 'compare',
      current: { kind: 'month', month: '2026-05' },
      previous: { kind: 'month', month: '2026-04' },
    });
  });

  it('tolerates case, punctuation and the top default', () => {
    expect(command('Cost LAST MONTH by Service?')).toMatchObject({
      groupBy: { kind: 'service' },
      period: { kind: 'last-month' },
    });
    expect(command('top services')).toMatchObject({ top: 5, groupBy: { kind: 'service' } });
  });
});

describe('parseCommand: what is not a command', () => {
  it('free text goes to the agent', () => {
    expect(parseCommand('why did EC2 jump last week')).toMatchObject({ ok: false, reason: 'NOT_A_COMMAND' });
    expect(parseCommand('spend over the last fortnight?')).toMatchObject({ ok: false, reason: 'NOT_A_COMMAND' });
  });

  it('a malformed command asks for usage help naming the word', () => {
    const r = parseCommand('cost by flavour last month');
    expect(r).toMatchObject({ ok: false, reason: 'INVALID', topic: 'cost' });
    expect(parseCommand('compare last week vs')).toMatchObject({ ok: false, reason: 'INVALID', topic: 'compare' });
    expect(parseCommand('top 500 services')).toMatchObject({ ok: false, reason: 'INVALID' });
  });

  it('empty input', () => {
    expect(parseCommand('   ')).toMatchObject({ ok: false, reason: 'EMPTY' });
  });
});

describe('prototype names and parts out of range', () => {
  it.each(['cost constructor', 'cost __proto__', 'forecast constructor', 'cost by __proto__', 'billed toString'])(
    '%s: no grammar table answers a prototype name',
    (text) => {
      const parsed = parseCommand(text);
      // Either usage help or free text; never a command carrying Object's properties as its words.
      if (parsed.ok) throw new Error(`${text}: parsed as ${JSON.stringify(parsed.command)}`);
    },
  );

  it.each([
    ['cost 2026-13', '`2026-13` is not a month', 'cost'],
    ['cost 2026-00 by service', '`2026-00` is not a month', 'cost'],
    ['cost last 2147483648 days', '`last 2147483648 days`: the number of days goes from 1 to 1098', 'cost'],
    ['cost last 0 days', '`last 0 days`', 'cost'],
    ['cost from 2026-02-30 to 2026-03-01', '`2026-02-30` is not a day', 'cost'],
    ['cost from 2026-05-01 to', 'Say both days', 'cost'],
    ['cost in may 0000', '`0000-05` is outside the days Tally answers for', 'cost'],
    ['compare 2026-05 vs 2026-13', '`2026-13` is not a month', 'compare'],
    ['anomalies last 99999 days', '`last 99999 days`', 'anomalies'],
  ])('%s: usage help naming the bad part', (text, message, topic) => {
    const parsed = parseCommand(text);
    if (parsed.ok || parsed.reason !== 'INVALID') throw new Error(`${text}: expected usage help`);
    expect(parsed.message).toContain(message);
    expect(parsed.topic).toBe(topic);
  });

  it('accepts the longest period and the edges of the day range', () => {
    for (const text of ['cost last 1098 days', 'cost from 1970-01-01 to 1970-12-31', 'cost 2999-12'])
      expect(parseCommand(text).ok, text).toBe(true);
  });

  it('repeats the person text as inline code that cannot format', () => {
    const parsed = parseCommand('cost by *bold*`x`');
    if (parsed.ok || parsed.reason !== 'INVALID') throw new Error('expected usage help');
    expect(parsed.message.startsWith('`*bold*ˋxˋ` is not something')).toBe(true);
  });
});
