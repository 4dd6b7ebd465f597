// "Show all" in the chat core: the full tables as CSV files where the surface takes files, otherwise the next page.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import { money, type Reply, type ReplyTable, text } from '../../../src/shared/reply.types.js';
import { ALL_CAPABILITIES, RecordingSurface } from '../../support/recording-surface.js';
import { click, testCore } from './core-fixtures.js';

/** 60 services costing 1,000.50 + i USD each, and their total, computed here. */
const amounts = Array.from({ length: 60 }, (_, i) => 1000.5 + i);
const table: ReplyTable = {
  columns: [
    { header: 'Service', align: 'left' },
    { header: 'Cost (USD)', align: 'right' },
  ],
  rows: amounts.map((a, i) => [text(`service-${i}`), money(a, 'USD')]),
  footer: [
    text('Total'),
    money(
      amounts.reduce((s, a) => s + a, 0),
      'USD',
    ),
  ],
};
const breakdown: Reply = { kind: 'answer', title: 'Cost by service', tables: [table], visibility: 'channel' };
const serviceCells = (r: Reply) => r.tables?.[0]?.rows.map((row) => (row[0]?.kind === 'text' ? row[0].text : ''));

describe('Show all', () => {
  it('runs the command again and attaches each full table as CSV, footer included, amounts as plain decimals', async () => {
    const { core, turns } = testCore({}, () => breakdown);
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.SHOW_ALL, 'cost by service'), surface);
    expect(turns.map((t) => t.text)).toEqual(['cost by service']);
    expect(surface.events.map((e) => e.kind)).toEqual(['file']);
    const file = surface.events[0];
    if (file?.kind !== 'file') throw new Error('no file');
    expect(file.file).toMatchObject({ filename: 'tally-USD.csv', title: 'Cost by service (USD)' });
    const rows = parse(String(file.file.content)) as string[][];
    expect(rows).toHaveLength(1 + 60 + 1);
    expect(rows[0]).toEqual(['Service', 'Cost (USD)']);
    expect(rows[60]).toEqual(['service-59', amounts[59]?.toFixed(2)]);
    expect(rows[61]).toEqual(['Total', amounts.reduce((s, a) => s + a, 0).toFixed(2)]);
  });

  it('posts the next page where the surface takes no files, with "Show more" until the last page', async () => {
    const { core } = testCore({}, () => breakdown);
    const surface = new RecordingSurface({ ...ALL_CAPABILITIES, files: false });
    await core.click(click(ACTIONS.SHOW_ALL, 'cost by service'), surface);
    const second = surface.replies()[0];
    expect(second?.title).toBe('Cost by service: rows 26 to 50 of 60');
    expect(serviceCells(second as Reply)).toEqual(Array.from({ length: 25 }, (_, i) => `service-${25 + i}`));
    expect(second?.tables?.[0]?.footer).toBeUndefined();
    const more = second?.buttons?.[0];
    expect(more).toMatchObject({ actionId: ACTIONS.SHOW_ALL, label: 'Show more' });

    await core.click(click(ACTIONS.SHOW_ALL, more?.value ?? ''), surface);
    const last = surface.replies()[1];
    expect(last?.title).toBe('Cost by service: rows 51 to 60 of 60');
    expect(serviceCells(last as Reply)).toEqual(Array.from({ length: 10 }, (_, i) => `service-${50 + i}`));
    expect(last?.tables?.[0]?.footer).toEqual(table.footer);
    expect(last?.buttons).toBeUndefined();
  });

  it('delivers an answer without tables (usage, an error) as any answer', async () => {
    const usage: Reply = { kind: 'usage', title: 'Not understood', visibility: 'ephemeral' };
    const { core } = testCore({}, () => usage);
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.SHOW_ALL, 'cost by nonsense'), surface);
    expect(surface.events).toEqual([{ kind: 'private', reply: usage }]);
  });
});
