import { describe, expect, it } from 'vitest';
import { ACTION_LIMITS, type CardAction, cardAction } from '../../../adapters/teams/card-actions.js';
import {
  type AdaptiveCard,
  CARD_BUDGET_BYTES,
  cardRefresh,
  cardSize,
  renderCard,
  toAttachment,
  toInvokeResponse,
  toMessageInvokeResponse,
} from '../../../adapters/teams/render-card.js';
import type { CardElement } from '../../../adapters/teams/render-card-table.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Cell, Reply, ReplyButton, ReplyTable } from '../../../src/shared/reply.types.js';
import { money, percent, text } from '../../../src/shared/reply.types.js';

const CONTEXT = ['Metric: Net amortized cost', 'Period: October 2026 (2026-10-01 to 2026-10-31)'];

function breakdownTable(rows: number): ReplyTable {
  const body: Cell[][] = Array.from({ length: rows }, (_, i) => [
    text(`service-${i}`),
    money(1_234_567.891 - i * 1000, 'USD'),
    percent(i / 100),
  ]);
  return {
    columns: [
      { header: 'Service', align: 'left' },
      { header: 'Cost (USD)', align: 'right' },
      { header: 'Change', align: 'right' },
    ],
    rows: body,
    footer: [text('Total'), money(9_876_543.21, 'USD'), text('')],
  };
}

function breakdown(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'answer',
    title: 'Cost by service — October 2026',
    text: 'Spend rose mostly in EC2.',
    fields: [{ label: 'Total', value: '9,876,543.21 USD' }],
    tables: [breakdownTable(3)],
    context: CONTEXT,
    footnote: 'Amounts exclude credits.',
    visibility: 'channel',
    ...overrides,
  };
}

const approvalButtons = (id: string): ReplyButton[] => [
  { actionId: ACTIONS.APPROVE, label: 'Approve', value: id, style: 'primary' },
  { actionId: ACTIONS.REJECT, label: 'Reject', value: id, style: 'danger' },
  { actionId: ACTIONS.DETAILS, label: 'Details', value: id },
];

function approval(): Reply {
  return {
    kind: 'answer',
    title: 'Approval apr_1: Stop i-0abc',
    text: 'Waiting for approval',
    fields: [
      { label: 'Requested by', value: 'Dana' },
      { label: 'Approvals', value: '1 of 2' },
    ],
    context: ['Expires 2026-11-23 10:00 UTC'],
    buttons: approvalButtons('apr_1'),
    visibility: 'channel',
  };
}

/** Every element of the card, depth first: containers' items, table cells' items, ActionSets' actions' cards. */
function elements(list: CardElement[]): CardElement[] {
  return list.flatMap((e) => {
    const inner: CardElement[] = [];
    if (Array.isArray(e.items)) inner.push(...elements(e.items as CardElement[]));
    if (e.type === 'Table') {
      for (const row of e.rows as { cells: { items: CardElement[] }[] }[]) {
        for (const cell of row.cells) inner.push(...elements(cell.items));
      }
    }
    return [e, ...inner];
  });
}

const textBlocks = (card: AdaptiveCard) => elements(card.body).filter((e) => e.type === 'TextBlock');
const texts = (card: AdaptiveCard) => textBlocks(card).map((e) => e.text as string);
const ofType = (card: AdaptiveCard, type: string) => elements(card.body).filter((e) => e.type === type);

interface TableJson {
  columns: { width: number; horizontalCellContentAlignment: string }[];
  rows: { type: string; style?: string; cells: { items: { text: string; weight?: string }[] }[] }[];
  firstRowAsHeader: boolean;
}

const tableOf = (card: AdaptiveCard, n = 0) => ofType(card, 'Table')[n] as unknown as TableJson;
const rowTexts = (row: TableJson['rows'][number]) => row.cells.map((c) => c.items[0]?.text);

describe('renderCard', () => {
  it('is an Adaptive Card 1.5 with the title as a bold wrapping TextBlock first', () => {
    const card = renderCard(breakdown());
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Cost by service — October 2026',
      weight: 'Bolder',
      wrap: true,
    });
    expect(card.body.map((e) => e.type)).toEqual([
      'TextBlock', // title
      'TextBlock', // text
      'FactSet',
      'Table',
      'TextBlock', // context 1
      'TextBlock', // context 2
      'TextBlock', // footnote
    ]);
    expect(card.body[1]).toMatchObject({ text: 'Spend rose mostly in EC2.', wrap: true });
    expect(card.body[2]).toEqual({ type: 'FactSet', facts: [{ title: 'Total', value: '9,876,543.21 USD' }] });
  });

  it('renders a table with a bold header, right-aligned amount columns and an emphasised footer', () => {
    const table = tableOf(renderCard(breakdown()));
    expect(table.firstRowAsHeader).toBe(true);
    expect(table.columns.map((c) => c.horizontalCellContentAlignment)).toEqual(['Left', 'Right', 'Right']);
    expect(table.rows).toHaveLength(1 + 3 + 1);
    const [header, first, , , footer] = table.rows;
    expect(rowTexts(header!)).toEqual(['Service', 'Cost (USD)', 'Change']);
    expect(header!.cells.every((c) => c.items[0]?.weight === 'Bolder')).toBe(true);
    // 1,234,567.891 → 1,234,567.89; row 1 is 1000 less; ratio 0 → ±0.0%, 0.01 → +1.0%
    expect(rowTexts(first!)).toEqual(['service-0', '1,234,567.89 USD', '±0.0%']);
    expect(rowTexts(table.rows[2]!)).toEqual(['service-1', '1,233,567.89 USD', '+1.0%']);
    expect(footer!.style).toBe('emphasis');
    expect(rowTexts(footer!)).toEqual(['Total', '9,876,543.21 USD', '']);
    expect(footer!.cells.every((c) => c.items[0]?.weight === 'Bolder')).toBe(true);
  });

  it('renders context, footnote and the error id as small subtle print', () => {
    const card = renderCard(breakdown({ kind: 'error', errorId: 'err_42' }));
    const small = textBlocks(card).filter((b) => b.size === 'Small' && b.isSubtle === true);
    expect(small.map((b) => b.text)).toEqual([...CONTEXT, 'Amounts exclude credits.', 'Error id: err\\_42']);
    expect(card.body[0]).toMatchObject({ color: 'Attention' });
  });

  it('does not repeat an error id the text already shows', () => {
    const card = renderCard(
      breakdown({ kind: 'error', text: 'Give your admin this error id: err_42.', errorId: 'err_42' }),
    );
    expect(texts(card).filter((t) => t.includes('err\\_42'))).toHaveLength(1);
  });

  it('renders items as separated Containers, each with its title, text, facts and button', () => {
    const card = renderCard({
      kind: 'answer',
      title: 'Recommendations',
      items: [
        {
          title: 'Stop idle i-0abc',
          text: 'Idle for 14 days.',
          fields: [{ label: 'Savings', value: '61.32 USD per month' }],
          button: {
            actionId: ACTIONS.REQUEST_APPROVAL,
            label: 'Request approval',
            value: 'propose stop i-0abc in us-east-1',
          },
        },
        { title: 'Delete vol-1' },
      ],
      visibility: 'channel',
    });
    const containers = card.body.filter((e) => e.type === 'Container');
    expect(containers).toHaveLength(2);
    const first = containers[0]!.items as CardElement[];
    expect(first.map((e) => e.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet', 'ActionSet']);
    expect(first[0]).toMatchObject({ text: 'Stop idle i-0abc', weight: 'Bolder' });
    expect((first[3]!.actions as CardAction[])[0]).toMatchObject({
      type: 'Action.Execute',
      verb: ACTIONS.REQUEST_APPROVAL,
      data: { command: 'propose stop i-0abc in us-east-1' },
    });
    expect(containers[1]!.items).toEqual([expect.objectContaining({ text: 'Delete vol-1' })]);
  });

  it('escapes data so it cannot make links, mentions, tags or emphasis', () => {
    const evil = '*bold* _it_ [click](https://evil.example) <at>Ann</at> a\\b ~x~ `c` & co';
    const escaped =
      '\\*bold\\* \\_it\\_ \\[click\\](https://evil.example) &lt;at&gt;Ann&lt;/at&gt; a\\\\b \\~x\\~ \\`c\\` &amp; co';
    const card = renderCard({
      kind: 'answer',
      title: evil,
      text: evil,
      fields: [{ label: evil, value: evil }],
      tables: [{ columns: [{ header: evil, align: 'left' }], rows: [[text(evil)]] }],
      items: [{ title: evil, text: evil }],
      context: [evil],
      footnote: evil,
      visibility: 'channel',
    });
    const all = texts(card);
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const t of all) expect(t).toBe(escaped);
    const facts = ofType(card, 'FactSet')[0]!.facts as { title: string; value: string }[];
    expect(facts).toEqual([{ title: escaped, value: escaped }]);
  });

  it('escapes a line start that would make a list, keeping dashes and numbers elsewhere', () => {
    const evil = '- item\n+ more\n  3. third\n12) twelfth\n-1,234.50 USD - 2. not a list';
    const escaped = '\\- item\n\n\\+ more\n\n  3\\. third\n\n12\\) twelfth\n\n-1,234.50 USD - 2. not a list';
    const card = renderCard({
      kind: 'answer',
      title: 'Vote',
      text: evil,
      fields: [{ label: 'Reason', value: evil }],
      items: [{ title: 'Stop i-0abc', text: evil }],
      context: [evil],
      footnote: evil,
      visibility: 'channel',
    });
    expect(texts(card).filter((t) => t.includes('item'))).toEqual([escaped, escaped, escaped, escaped]);
    expect(ofType(card, 'FactSet')[0]!.facts).toEqual([{ title: 'Reason', value: escaped }]);
  });

  it('escapes a list marker at the start of a table cell too', () => {
    const table: ReplyTable = {
      columns: [{ header: 'Service', align: 'left' }],
      rows: [[text('- item')], [text('1. first')]],
    };
    const card = renderCard({ kind: 'answer', title: 'Cells', tables: [table], visibility: 'channel' });
    const cells = texts(card);
    expect(cells).toContain('\\- item');
    expect(cells).toContain('1\\. first');
    expect(cells).not.toContain('- item');
  });

  it('turns each line break into a paragraph break (TextBlock markdown needs a blank line)', () => {
    const card = renderCard(breakdown({ text: 'one\ntwo\r\nthree' }));
    expect(card.body[1]).toMatchObject({ text: 'one\n\ntwo\n\nthree' });
  });

  it("cuts a long table to 25 rows by default, says so, and offers the reply's Show all button", () => {
    const more = { actionId: ACTIONS.SHOW_ALL, label: 'Show all', value: 'cost by service' };
    const card = renderCard(breakdown({ tables: [breakdownTable(500)], more }));
    const table = tableOf(card);
    expect(table.rows).toHaveLength(1 + 25 + 1);
    expect(texts(card)).toContain('Showing 25 of 500 rows');
    const showAll = ofType(card, 'ActionSet')[0]!.actions as CardAction[];
    expect(showAll).toEqual([
      expect.objectContaining({ verb: ACTIONS.SHOW_ALL, title: 'Show all', data: { command: 'cost by service' } }),
    ]);
  });

  it('keeps a 500-row table under the size budget, with the total row and "Showing N of M rows"', () => {
    const card = renderCard(breakdown({ tables: [breakdownTable(500)] }), { maxTableRows: 1000 });
    expect(cardSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const table = tableOf(card);
    const shown = table.rows.length - 2;
    expect(shown).toBeGreaterThan(25);
    expect(shown).toBeLessThan(500);
    expect(texts(card)).toContain(`Showing ${shown} of 500 rows`);
    expect(rowTexts(table.rows.at(-1)!)).toEqual(['Total', '9,876,543.21 USD', '']);
    // The budget is used: one more row of the same shape would not fit.
    const bigger = structuredClone(card);
    const rows = tableOf(bigger).rows;
    rows.splice(1, 0, structuredClone(rows[1]!));
    expect(cardSize(bigger)).toBeGreaterThan(CARD_BUDGET_BYTES);
  });

  it('cuts whole items to the budget with "Showing N of M items", keeping context and buttons', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({
      title: `Stop idle instance i-${i}`,
      text: 'Idle for 14 days at under 2% CPU. '.repeat(4),
      button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval', value: `propose stop i-${i}` },
    }));
    const card = renderCard(breakdown({ tables: undefined, items, buttons: approvalButtons('x') }));
    expect(cardSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const shown = card.body.filter((e) => e.type === 'Container').length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(300);
    expect(texts(card)).toContain(`Showing ${shown} of 300 items`);
    expect(texts(card)).toContain(CONTEXT[0]);
    expect(card.actions).toHaveLength(3);
  });

  it('keeps oversized text within the budget and says the rest was cut', () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`, value: 'x'.repeat(1999) }));
    const card = renderCard(breakdown({ text: 'y'.repeat(20_000), fields, buttons: approvalButtons('a') }));
    expect(cardSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(texts(card).at(-1)).toMatch(/^Truncated: \d+ more parts were not shown\.$/);
    expect(card.actions).toHaveLength(3);
  });

  it('inlines a chart PNG as a data URI image with alt text', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 250]);
    const chart = { kind: 'bars' as const, title: 'By service', currency: 'USD', labels: ['EC2'], series: [] };
    const card = renderCard(breakdown({ chart }), { chartPng: png, chartAltText: 'Bar chart of cost by service' });
    const [image] = ofType(card, 'Image');
    expect(image).toMatchObject({ altText: 'Bar chart of cost by service' });
    const url = image!.url as string;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64').equals(png)).toBe(true);
    expect(ofType(renderCard(breakdown({ chart }), { chartPng: png }), 'Image')[0]).toMatchObject({
      altText: 'By service',
    });
  });

  it('drops a chart that would pass the budget and says so in small print', () => {
    const png = Buffer.alloc(30_000, 7);
    const card = renderCard(breakdown(), { chartPng: png });
    expect(ofType(card, 'Image')).toEqual([]);
    expect(cardSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const note = textBlocks(card).find((b) => String(b.text).startsWith('Chart not shown'));
    expect(note).toMatchObject({ size: 'Small', isSubtle: true });
  });

  it('refuses a maxTableRows that is not a positive integer', () => {
    expect(() => renderCard(breakdown(), { maxTableRows: 0 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('card actions', () => {
  it('maps approval and alert buttons to Action.Execute verbs with data { id } and a Submit fallback', () => {
    const cases: [string, string][] = [
      [ACTIONS.APPROVE, 'approve'],
      [ACTIONS.DETAILS, 'details'],
      [ACTIONS.ALERT_ACK, 'alert_ack'],
      [ACTIONS.ALERT_INVESTIGATE, 'alert_investigate'],
      [ACTIONS.ALERT_MUTE, 'alert_mute'],
    ];
    for (const [actionId, verb] of cases) {
      expect(cardAction({ actionId, label: 'Go', value: 'id_7', style: 'primary' })).toEqual({
        type: 'Action.Execute',
        title: 'Go',
        verb,
        data: { id: 'id_7' },
        style: 'positive',
        fallback: { type: 'Action.Submit', title: 'Go', data: { id: 'id_7', verb }, style: 'positive' },
      });
    }
  });

  it('maps command buttons to data { command }: Run command keeps its verb run, the others their action id', () => {
    for (const [actionId, verb] of [
      [ACTIONS.RUN_COMMAND, 'run'],
      [ACTIONS.SHOW_ALL, ACTIONS.SHOW_ALL],
      [ACTIONS.REQUEST_APPROVAL, ACTIONS.REQUEST_APPROVAL],
    ] as const) {
      const action = cardAction({ actionId, label: 'Run', value: 'cost last month' });
      expect(action).toMatchObject({ type: 'Action.Execute', verb, data: { command: 'cost last month' } });
      expect(action).toMatchObject({
        fallback: { type: 'Action.Submit', data: { command: 'cost last month', verb } },
      });
    }
  });

  it('maps Reject to a ShowCard holding a required reason input and a reject Action.Execute', () => {
    const action = cardAction({ actionId: ACTIONS.REJECT, label: 'Reject', value: 'apr_1', style: 'danger' });
    expect(action).toMatchObject({ type: 'Action.ShowCard', title: 'Reject', style: 'destructive' });
    if (action?.type !== 'Action.ShowCard') throw new Error('not a ShowCard');
    const input = action.card.body.find((e) => e.type === 'Input.Text');
    expect(input).toMatchObject({ id: 'reason', isRequired: true, maxLength: ACTION_LIMITS.reason });
    expect(typeof input?.errorMessage).toBe('string');
    expect(action.card.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'reject',
        data: { id: 'apr_1' },
        fallback: expect.objectContaining({ type: 'Action.Submit', data: { id: 'apr_1', verb: 'reject' } }),
      }),
    ]);
  });

  it('gives any other button its action id as the verb, and leaves out values longer than 2000 characters', () => {
    expect(cardAction({ actionId: 'tally_something_new', label: 'X', value: '1' })).toMatchObject({
      type: 'Action.Execute',
      verb: 'tally_something_new',
      data: { id: '1' },
    });
    expect(cardAction({ actionId: ACTIONS.RUN_COMMAND, label: 'X', value: 'c'.repeat(2001) })).toBeUndefined();
    const card = renderCard(
      breakdown({ buttons: [{ actionId: 'tally_x', label: 'X', value: 'c'.repeat(2001) }, ...approvalButtons('a')] }),
    );
    expect(card.actions.map((a) => a.type)).toEqual(['Action.Execute', 'Action.ShowCard', 'Action.Execute']);
  });
});

describe("a person's own view (refresh)", () => {
  it('carries a refresh section for the button, at most 60 distinct user ids, without changing the reply', () => {
    const userIds = [...Array.from({ length: 100 }, (_, i) => `29:user-${i}`), '29:user-0'];
    const reply = approval();
    const card = renderCard(reply, { refresh: cardRefresh({ actionId: ACTIONS.REFRESH, value: 'apr_1' }, userIds) });
    expect(card.refresh?.action).toEqual({ type: 'Action.Execute', verb: 'refresh', data: { id: 'apr_1' } });
    expect(card.refresh?.userIds).toHaveLength(60);
    expect(new Set(card.refresh?.userIds).size).toBe(60);
    expect(card.refresh?.userIds[0]).toBe('29:user-0');
    expect(reply.buttons).toEqual(approvalButtons('apr_1'));
    expect(renderCard(reply).refresh).toBeUndefined();
  });
});

describe('invoke responses', () => {
  it('wraps a card and a message as adaptiveCard/action invoke responses, and a card as an attachment', () => {
    const card = renderCard(breakdown());
    expect(toInvokeResponse(card)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: card,
    });
    expect(toMessageInvokeResponse('Recorded.')).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Recorded.',
    });
    expect(toAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });

  it('measures a card as the UTF-8 bytes of its JSON', () => {
    const card = renderCard(breakdown({ title: 'Coût — €' }));
    expect(cardSize(card)).toBe(new TextEncoder().encode(JSON.stringify(card)).length);
  });
});
