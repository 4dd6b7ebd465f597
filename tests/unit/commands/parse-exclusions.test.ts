import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

const filterOf = (text: string) => {
  const parsed = parseCommand(text);
  if (!parsed.ok || !('filter' in parsed.command)) throw new Error(`${text}: ${JSON.stringify(parsed)}`);
  return parsed.command.filter;
};

describe('filters on every dimension, and exclusions', () => {
  it('filters on charge categories and subcategories', () => {
    expect(filterOf('cost last month for charge Tax')).toEqual({ charges: ['Tax'] });
    expect(filterOf('cost last month for subcategory "Virtual Machines"')).toEqual({
      subcategories: ['Virtual Machines'],
    });
  });
  it('reads exclusions led by excluding, except, without or not', () => {
    expect(filterOf('cost last month by service excluding charge Tax')).toEqual({ exclude: { charges: ['Tax'] } });
    expect(filterOf('cost last month not tag:env=prod')).toEqual({
      exclude: { tags: [{ key: 'env', value: 'prod' }] },
    });
    expect(filterOf('cost last month except provider AWS for tag:team=payments')).toEqual({
      exclude: { providers: ['AWS'] },
      tags: [{ key: 'team', value: 'payments' }],
    });
    expect(filterOf('cost last month without charge Tax without charge Credit')).toEqual({
      exclude: { charges: ['Tax', 'Credit'] },
    });
  });
  it('groups by subcategory', () => {
    const parsed = parseCommand('cost last month by subcategory');
    expect(parsed.ok && parsed.command.kind === 'cost' && parsed.command.groupBy).toEqual({ kind: 'subcategory' });
  });
});

describe('two dimensions, bottom N and run rate', () => {
  const cost = (text: string) => {
    const parsed = parseCommand(text);
    if (!parsed.ok || parsed.command.kind !== 'cost') throw new Error(`${text}: ${JSON.stringify(parsed)}`);
    return parsed.command;
  };
  it('reads a second dimension after by, and, or then', () => {
    for (const text of ['cost last month by service and region', 'cost last month by service by region'])
      expect(cost(text)).toMatchObject({ groupBy: { kind: 'service' }, thenBy: { kind: 'region' } });
    expect(cost('cost last month by tag:team then tag:env')).toMatchObject({
      groupBy: { kind: 'tag', key: 'team' },
      thenBy: { kind: 'tag', key: 'env' },
    });
    expect(parseCommand('cost last month by service and service')).toMatchObject({ ok: false, reason: 'INVALID' });
  });
  it('reads bottom N and run rate', () => {
    expect(cost('bottom 3 services last month')).toMatchObject({
      top: 3,
      order: 'bottom',
      groupBy: { kind: 'service' },
    });
    expect(cost('cost last month run rate')).toMatchObject({ runRate: true });
  });
});
