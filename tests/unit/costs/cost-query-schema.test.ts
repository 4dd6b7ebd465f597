import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandOfQuery, queryOfCommand } from '../../../src/commands/command-query.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import { costQuerySchema } from '../../../src/costs/cost-query.schema.js';

const MAY = { from: '2026-05-01', to: '2026-05-31', label: 'May 2026' };

describe('the structured cost query', () => {
  it('is published as docs/cost-query.schema.json (regenerate with `npm run schema`)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../../docs/cost-query.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual({ title: 'Tally cost query', ...z.toJSONSchema(costQuerySchema) });
  });

  it('is what a command compiles to, and runs as the same command', () => {
    const parsed = parseCommand(
      'billed cost in 2026-05 by service top 3 for provider AWS for provider Microsoft tag:env=staging tag:env=dev excluding charge Tax',
    );
    if (!parsed.ok) throw new Error('did not parse');
    const query = queryOfCommand(parsed.command, { period: MAY });
    expect(query).toEqual({
      version: 1,
      kind: 'cost',
      metric: 'billed',
      period: { from: '2026-05-01', to: '2026-05-31' },
      where: { provider: ['AWS', 'Microsoft'], tags: { env: ['staging', 'dev'] } },
      exclude: { charge: ['Tax'] },
      groupBy: 'service',
      top: 3,
    });
    expect(costQuerySchema.safeParse(query).success).toBe(true);
    const again = commandOfQuery(query!, MAY);
    expect(queryOfCommand(again, { period: MAY })).toEqual(query);
  });

  it('refuses unknown fields, bad days and dimensions, with their path', () => {
    const bad = costQuerySchema.safeParse({
      version: 1,
      kind: 'cost',
      metric: 'effective',
      period: { from: '2026-5-1', to: '2026-05-31' },
      groupBy: 'colour',
      where: { provder: ['AWS'] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['period.from', 'groupBy', 'where']));
  });
});
