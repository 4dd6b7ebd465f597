import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  renderEphemeralText,
  renderHomeView,
  renderMessage,
  SLACK_LIMITS,
} from '../../../adapters/slack/render-blocks.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Cell, Reply, ReplyItem, ReplyTable } from '../../../src/shared/reply.types.js';
import { money, percent, text } from '../../../src/shared/reply.types.js';

type KnownBlock = types.KnownBlock;
type AnyBlock = types.AnyBlock;

const CONTEXT = ['Metric: Net amortized cost', 'Period: October 2026 (2026-10-01 to 2026-10-31)'];

function breakdownTable(rows: number, label = (i: number) => `service-${i}`): ReplyTable {
  const body: Cell[][] = Array.from({ length: rows }, (_, i) => [
    text(label(i)),
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
    fields: [{ label: 'Total', value: '9,876,543.21 USD' }],
    tables: [breakdownTable(3)],
    context: CONTEXT,
    visibility: 'channel',
    ...overrides,
  };
}

/** Every mrkdwn/plain text string in a block list, for limit checks. */
function sectionTexts(blocks: AnyBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'section' ? [...((b as types.SectionBlock).text ? [(b as types.SectionBlock).text!.text] : [])] : [],
  );
}

function ofType<T extends KnownBlock['type']>(blocks: AnyBlock[], type: T): Extract<KnownBlock, { type: T }>[] {
  return blocks.filter((b) => b.type === type) as Extract<KnownBlock, { type: T }>[];
}

function contextText(block: types.ContextBlock): string {
  return block.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : '')).join(' ');
}

function codeOf(blocks: AnyBlock[]): string {
  const code = sectionTexts(blocks).find((t) => t.startsWith('```'));
  if (!code) throw new Error('no code block');
  return code;
}

describe('renderMessage', () => {
  it('lays out a small breakdown: header, fields, table, context', () => {
    const { blocks, text: fallback } = renderMessage(breakdown());
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const header = ofType(blocks, 'header')[0]!;
    expect(header.text).toEqual({ type: 'plain_text', text: 'Cost by service — October 2026', emoji: true });
    const fields = (blocks[1] as types.SectionBlock).fields!;
    expect(fields).toEqual([{ type: 'mrkdwn', text: '*Total*\n9,876,543.21 USD' }]);
    expect(fallback).toBe('Cost by service — October 2026\nTotal: 9,876,543.21 USD');
  });

  it('formats amounts inside the table with thousands separators, two decimals and the currency', () => {
    const code = codeOf(renderMessage(breakdown()).blocks);
    expect(code.startsWith('```\n') && code.endsWith('\n```')).toBe(true);
    expect(code).toContain('1,234,567.89 USD');
    expect(code).toContain('1,233,567.89 USD');
    expect(code).toContain('9,876,543.21 USD');
    const lines = code.split('\n').slice(1, -1);
    expect(lines[0]).toMatch(/^Service\s+Cost \(USD\)\s+Change$/);
    expect(lines.at(-1)).toMatch(/^Total\s+9,876,543\.21 USD$/);
    const amountEnds = lines.filter((l) => l.includes(' USD')).map((l) => l.indexOf(' USD'));
    expect(new Set(amountEnds).size).toBe(1);
    expect(code).not.toContain('Showing');
  });

  it('puts the metric and period from reply.context into a context block', () => {
    const ctx = ofType(renderMessage(breakdown()).blocks, 'context');
    expect(ctx).toHaveLength(1);
    expect(ctx[0]!.elements).toEqual(CONTEXT.map((t) => ({ type: 'mrkdwn', text: t })));
    expect(contextText(ctx[0]!)).toContain('Metric: Net amortized cost');
  });

  it('cuts a 120-row table to 25 rows plus the footer, with "Showing" and the reply\'s Show all button', () => {
    const command = 'cost last month by service';
    const more = { actionId: ACTIONS.SHOW_ALL, label: 'Show all', value: command };
    const { blocks } = renderMessage(breakdown({ tables: [breakdownTable(120)], more }));
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions', 'context']);
    const code = codeOf(blocks);
    expect(code).toContain('service-24');
    expect(code).not.toContain('service-25');
    expect(code).toContain('Total');
    expect(contextText(blocks[3] as types.ContextBlock)).toBe('Showing 25 of 120 rows');
    const actions = blocks[4] as types.ActionsBlock;
    expect(actions.elements).toEqual([
      {
        type: 'button',
        action_id: ACTIONS.SHOW_ALL,
        text: { type: 'plain_text', text: 'Show all', emoji: true },
        value: command,
      },
    ]);
  });

  it('shows fewer rows when the code block would pass 3000 characters, and honours maxTableRows', () => {
    const wide = breakdownTable(120, (i) => `a-rather-long-service-name-number-${i}-with-padding`);
    const { blocks } = renderMessage(breakdown({ tables: [wide] }), { maxTableRows: 200 });
    const code = codeOf(blocks);
    expect(code.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const shown = code.split('\n').filter((l) => l.startsWith('a-rather-long')).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(120);
    expect(code).toContain('9,876,543.21 USD');
    const note = ofType(blocks, 'context').map(contextText);
    expect(note).toContain(`Showing ${shown} of 120 rows`);
    expect(ofType(blocks, 'actions')).toHaveLength(0);

    const five = renderMessage(breakdown({ tables: [breakdownTable(120)] }), { maxTableRows: 5 }).blocks;
    expect(ofType(five, 'context').map(contextText)).toContain('Showing 5 of 120 rows');
  });

  it('rejects a maxTableRows that is not a positive integer', () => {
    expect(() => renderMessage(breakdown(), { maxTableRows: 0 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('chunks 14 fields into sections of at most 10', () => {
    const fields = Array.from({ length: 14 }, (_, i) => ({ label: `Account ${i}`, value: `${i},000.00 USD` }));
    const { blocks } = renderMessage(breakdown({ fields, tables: [] }));
    const sections = ofType(blocks, 'section');
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 4]);
    expect(sections[1]!.fields![3]).toEqual({ type: 'mrkdwn', text: '*Account 13*\n13,000.00 USD' });
  });

  it('truncates a 200-character title to 150 with an ellipsis', () => {
    const title = 'x'.repeat(200);
    const header = ofType(renderMessage(breakdown({ title })).blocks, 'header')[0]!;
    expect(header.text.text).toHaveLength(SLACK_LIMITS.headerText);
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('escapes mentions, links and & in data everywhere, code blocks included', () => {
    const name = '<!channel> & <b>';
    const table = breakdownTable(3, (i) => (i === 0 ? name : `svc-${i}`));
    const reply = breakdown({
      title: name,
      text: 'Ping <@U123> and @here',
      fields: [{ label: 'Top', value: name }],
      tables: [table],
      context: [...CONTEXT, 'team <!subteam^S1|ops> @everyone'],
    });
    const { blocks, text: fallback } = renderMessage(reply);
    const mrkdwnTexts = [
      ...sectionTexts(blocks),
      ...ofType(blocks, 'section').flatMap((s) => s.fields?.map((f) => f.text) ?? []),
      ...ofType(blocks, 'context').map(contextText),
      fallback,
    ];
    for (const t of mrkdwnTexts) {
      expect(t).not.toMatch(/<[!@#]/);
      expect(t).not.toMatch(/@(here|channel|everyone)/);
    }
    expect(codeOf(blocks)).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(sectionTexts(blocks)[0]).toBe('Ping &lt;@U123&gt; and @\u200Dhere');
    expect(ofType(blocks, 'section')[1]!.fields![0]!.text).toBe('*Top*\n&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(fallback).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(ofType(blocks, 'header')[0]!.text.text).toBe(name);
  });

  it("keeps data from formatting anywhere in mrkdwn, while Tally's own bold labels and command code stay", () => {
    const evil = '*bold* _it_ ~gone~ `code` ```block``` apr_1a2b cost_center';
    const fence = '\u02CB\u02CB\u02CB';
    const safe = `\u2217bold\u2217 \u02CDit\u02CD \u223Cgone\u223C \u02CBcode\u02CB ${fence}block${fence} apr_1a2b cost_center`;
    const reply = breakdown({
      title: evil,
      text: `Usage: \`approve <id>\` (you typed \`*x*\`)\n> ${evil}`,
      fields: [{ label: evil, value: evil }],
      tables: [breakdownTable(1, () => evil)],
      items: [{ title: evil, text: evil }],
      context: [`Only: region ${evil}`, 'May be counted twice (see `status`; `tally sources remove NAME` drops one)'],
      footnote: evil,
    });
    const { blocks, text: fallback } = renderMessage(reply);
    const [text, item] = sectionTexts(blocks).filter((t) => !t.startsWith('```'));
    // Tally's prose keeps its code spans (the person's words inside have no markup left); a quote cannot start a line.
    const prose = safe.replace('\u02CBcode\u02CB', '`code`');
    expect(text).toBe(`Usage: \`approve &lt;id&gt;\` (you typed \`\u2217x\u2217\`)\n\u00AD&gt; ${prose}`);
    expect(item).toBe(`*${safe}*\n${safe}`);
    expect(ofType(blocks, 'section')[1]!.fields![0]!.text).toBe(`*${safe}*\n${safe}`);
    expect(ofType(blocks, 'context').flatMap((b) => b.elements.map((e) => ('text' in e ? e.text : '')))).toEqual([
      `Only: region ${safe}`,
      'May be counted twice (see `status`; `tally sources remove NAME` drops one)',
      safe,
    ]);
    expect(fallback).toBe(`${safe}\n${safe}: ${safe}`);
    // A code block formats nothing: table text and figures are shown as they are, only its fence is guarded.
    expect(codeOf(blocks)).toContain('*bold* _it_ ~gone~ `code` `\u200B`\u200B`block');
    expect(codeOf(blocks)).toContain('1,234,567.89 USD');
    expect(ofType(blocks, 'header')[0]!.text.text).toBe(evil);
  });

  it('splits text longer than 3000 characters into several sections', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} ${'&'.repeat(20)}`).join('\n');
    const { blocks } = renderMessage(breakdown({ text: long, fields: [], tables: [] }));
    const texts = sectionTexts(blocks);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(t).not.toMatch(/&(?!amp;)/);
    }
    expect(texts.join('\n')).toBe(escapeMrkdwn(long));
  });

  it('renders buttons with style, truncated labels, and no value over 2000 characters', () => {
    const reply = breakdown({
      buttons: [
        { actionId: ACTIONS.RUN_COMMAND, label: 'Compare with last month', value: 'compare', style: 'primary' },
        { actionId: 'tally_dismiss', label: 'D'.repeat(90), value: 'x', style: 'danger' },
        { actionId: 'tally_big', label: 'Too big', value: 'v'.repeat(2001) },
        { actionId: ACTIONS.RUN_COMMAND, label: 'Top 5', value: 'top 5 services' },
      ],
    });
    const actions = ofType(renderMessage(reply).blocks, 'actions');
    const buttons = actions.flatMap((a) => a.elements) as types.Button[];
    expect(buttons.map((b) => b.value)).toEqual(['compare', 'x', 'top 5 services']);
    expect(buttons[0]).toMatchObject({ action_id: ACTIONS.RUN_COMMAND, style: 'primary' });
    expect(buttons[1]).toMatchObject({ action_id: 'tally_dismiss', style: 'danger' });
    expect(buttons[1]!.text.text).toHaveLength(SLACK_LIMITS.buttonText);
    expect(buttons[2]).not.toHaveProperty('style');
    for (const a of actions) {
      const ids = a.elements.map((e) => (e as types.Button).action_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(a.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
    }
    expect(renderMessage(reply).blocks.at(-1)!.type).toBe('actions');
  });

  it('never exceeds 50 blocks and ends with a truncation note', () => {
    const fields = Array.from({ length: 600 }, (_, i) => ({ label: `F${i}`, value: String(i) }));
    const { blocks } = renderMessage(breakdown({ fields }));
    expect(blocks).toHaveLength(SLACK_LIMITS.messageBlocks);
    const last = blocks.at(-1) as types.ContextBlock;
    expect(last.type).toBe('context');
    expect(contextText(last)).toMatch(/truncated/i);
  });

  it('keeps context elements to 10 per block and puts the footnote in its own context block', () => {
    const context = Array.from({ length: 12 }, (_, i) => `note ${i}`);
    const { blocks } = renderMessage(breakdown({ context, footnote: 'Several currencies.' }));
    const ctx = ofType(blocks, 'context');
    expect(ctx.map((c) => c.elements.length)).toEqual([10, 2, 1]);
    expect(contextText(ctx[2]!)).toBe('Several currencies.');
  });
});

describe('renderHomeView', () => {
  it('renders replies compactly, separated by dividers, with an updated line', () => {
    const view = renderHomeView([breakdown({ tables: [breakdownTable(40)] }), breakdown({ title: 'Forecast' })], {
      updatedAt: new Date('2026-11-03T09:15:00Z'),
    });
    expect(view.type).toBe('home');
    const types_ = view.blocks.map((b) => b.type);
    expect(types_).toEqual([
      'context',
      'header',
      'section',
      'section',
      'context',
      'context',
      'divider',
      'header',
      'section',
      'section',
      'context',
    ]);
    const first = view.blocks[0] as types.ContextBlock;
    expect(contextText(first)).toContain('<!date^1793697300^');
    expect(contextText(first)).toContain('2026-11-03 09:15 UTC');
    expect(contextText(view.blocks[4] as types.ContextBlock)).toBe('Showing 10 of 40 rows');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('stays within 100 blocks', () => {
    const many = Array.from({ length: 30 }, (_, i) => breakdown({ title: `Section ${i}` }));
    const view = renderHomeView(many);
    expect(view.blocks).toHaveLength(SLACK_LIMITS.homeBlocks);
    expect(contextText(view.blocks.at(-1) as types.ContextBlock)).toMatch(/truncated/i);
  });
});

describe('renderEphemeralText', () => {
  it('wraps a help reply as an ephemeral response', () => {
    const help: Reply = {
      kind: 'help',
      title: 'Tally commands',
      text: 'cost [period] [by dim]',
      visibility: 'ephemeral',
    };
    const res = renderEphemeralText(help);
    expect(res.response_type).toBe('ephemeral');
    expect(res.text).toBe('Tally commands\ncost [period] [by dim]');
    expect(res.blocks.map((b) => b.type)).toEqual(['header', 'section']);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes &, <, > and neutralises broadcasts', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> <http://x|y>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;http://x|y&gt;',
    );
    expect(escapeMrkdwn('@here @Channel @everyone me@example.com')).toBe(
      '@\u200Dhere @\u200DChannel @\u200Deveryone me@example.com',
    );
  });

  it('replaces emphasis marks outside words, keeps figures and words with underscores, and guards line starts', () => {
    expect(escapeMrkdwn('*x* _y_ ~z~ a*b a_b :white_check_mark: -1,234.50 USD (12.5%)')).toBe(
      '\u2217x\u2217 \u02CDy\u02CD \u223Cz\u223C a\u2217b a_b :white_check_mark: -1,234.50 USD (12.5%)',
    );
    expect(escapeMrkdwn('>a\n  > b\na > c')).toBe('\u00AD&gt;a\n  \u00AD&gt; b\na &gt; c');
  });

  it('keeps code spans as asked: all but fences, only those naming a Tally command, or none', () => {
    const s = '`status` `x` ```y```';
    expect(escapeMrkdwn(s, 'all')).toBe('`status` `x` \u02CB\u02CB\u02CBy\u02CB\u02CB\u02CB');
    expect(escapeMrkdwn(s, 'commands')).toBe('`status` \u02CBx\u02CB \u02CB\u02CB\u02CBy\u02CB\u02CB\u02CB');
    expect(escapeMrkdwn(s)).toBe('\u02CBstatus\u02CB \u02CBx\u02CB \u02CB\u02CB\u02CBy\u02CB\u02CB\u02CB');
  });
});

describe('renderMessage: items', () => {
  const propose = 'propose stop i-0abc in us-east-1 because idle';
  const item = (i: number, overrides: Partial<ReplyItem> = {}): ReplyItem => ({
    title: `Stop idle instance i-${i}`,
    text: `No CPU above 2% for 14 days (${i})`,
    fields: [
      { label: 'Saves', value: `${i}.50 USD/month` },
      { label: 'Region', value: 'us-east-1' },
    ],
    button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval', value: `${propose} ${i}` },
    ...overrides,
  });
  const recommendations = (items: ReplyItem[], overrides: Partial<Reply> = {}): Reply => ({
    kind: 'answer',
    title: 'Recommendations',
    items,
    visibility: 'channel',
    ...overrides,
  });

  it('renders each item as a section: bold title, text, fields and the button as accessory', () => {
    const { blocks, text: fallback } = renderMessage(recommendations([item(1), item(2)], { context: CONTEXT }));
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const first = blocks[1] as types.SectionBlock;
    expect(first.text).toEqual({ type: 'mrkdwn', text: '*Stop idle instance i-1*\nNo CPU above 2% for 14 days (1)' });
    expect(first.fields).toEqual([
      { type: 'mrkdwn', text: '*Saves*\n1.50 USD/month' },
      { type: 'mrkdwn', text: '*Region*\nus-east-1' },
    ]);
    expect(first.accessory).toEqual({
      type: 'button',
      action_id: ACTIONS.REQUEST_APPROVAL,
      text: { type: 'plain_text', text: 'Request approval', emoji: true },
      value: `${propose} 1`,
    });
    expect((blocks[2] as types.SectionBlock).accessory).toMatchObject({ value: `${propose} 2` });
    expect(fallback).toBe('Recommendations\nStop idle instance i-1');
  });

  it('escapes item titles, texts and fields', () => {
    const evil = '<!channel> & <@U1>';
    const { blocks } = renderMessage(
      recommendations([item(1, { title: evil, text: `ping @here ${evil}`, fields: [{ label: evil, value: evil }] })]),
    );
    const section = blocks[1] as types.SectionBlock;
    const texts = [section.text!.text, ...section.fields!.map((f) => f.text)];
    for (const t of texts) {
      expect(t).not.toMatch(/<[!@#]/);
      expect(t).not.toMatch(/@(here|channel|everyone)/);
    }
    expect(section.text!.text).toBe(
      '*&lt;!channel&gt; &amp; &lt;@U1&gt;*\nping @\u200Dhere &lt;!channel&gt; &amp; &lt;@U1&gt;',
    );
  });

  it('puts fields past 10 into a following section, and shows a button alone when there is nothing else', () => {
    const fields = Array.from({ length: 13 }, (_, i) => ({ label: `F${i}`, value: String(i) }));
    const bare = { title: ' ', button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Go', value: 'propose x' } };
    const { blocks } = renderMessage(recommendations([item(1, { fields }), bare]));
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect((blocks[1] as types.SectionBlock).fields).toHaveLength(10);
    expect((blocks[1] as types.SectionBlock).accessory).toBeDefined();
    expect((blocks[2] as types.SectionBlock).fields!.map((f) => f.text)).toEqual([
      '*F10*\n10',
      '*F11*\n11',
      '*F12*\n12',
    ]);
    expect((blocks[2] as types.SectionBlock).accessory).toBeUndefined();
    expect((blocks[3] as types.ActionsBlock).elements).toEqual([expect.objectContaining({ value: 'propose x' })]);
  });

  it('leaves out a button whose value is longer than 2000 characters, keeping the item', () => {
    const long = item(1, { button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Go', value: 'p'.repeat(2001) } });
    const section = renderMessage(recommendations([long])).blocks[1] as types.SectionBlock;
    expect(section.text?.text).toContain('Stop idle instance i-1');
    expect(section.accessory).toBeUndefined();
  });

  it('cuts whole items to stay within 50 blocks, keeping the context and the buttons', () => {
    const items = Array.from({ length: 60 }, (_, i) => item(i));
    const buttons = [{ actionId: ACTIONS.RUN_COMMAND, label: 'Savings', value: 'savings' }];
    const { blocks } = renderMessage(recommendations(items, { context: CONTEXT, buttons }));
    expect(blocks).toHaveLength(SLACK_LIMITS.messageBlocks);
    // 50 blocks minus the header, the context, the actions block and the "Showing" note leave 46 items.
    const shown = SLACK_LIMITS.messageBlocks - 4;
    const sections = ofType(blocks, 'section');
    expect(sections).toHaveLength(shown);
    expect(sections.every((s) => s.accessory !== undefined)).toBe(true);
    expect(contextText(blocks.at(-3) as types.ContextBlock)).toBe(`Showing ${shown} of 60 items`);
    expect(contextText(blocks.at(-2) as types.ContextBlock)).toBe(CONTEXT.join(' '));
    expect(blocks.at(-1)!.type).toBe('actions');
  });
});

describe('renderMessage: approval messages', () => {
  const approval: Reply = {
    kind: 'notice',
    title: 'Approval needed: stop i-0abc',
    text: 'Requested by <@U0001>: idle for 14 days',
    fields: [
      { label: 'Action', value: 'stop i-0abc (t3.large) in us-east-1' },
      { label: 'Saves', value: '61.20 USD/month' },
      { label: 'Votes', value: '0 of 2' },
    ],
    context: ['Approval apr_7 · expires 2026-06-12 09:00 UTC'],
    buttons: [
      { actionId: ACTIONS.APPROVE, label: 'Approve', value: 'apr_7', style: 'primary' },
      { actionId: ACTIONS.REJECT, label: 'Reject', value: 'apr_7', style: 'danger' },
      { actionId: ACTIONS.DETAILS, label: 'Details', value: 'apr_7' },
    ],
    visibility: 'channel',
  };

  it('puts Approve (primary), Reject (danger) and Details in one actions block, each with the approval id', () => {
    const { blocks, text: fallback } = renderMessage(approval);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect((blocks[1] as types.SectionBlock).text!.text).toBe('Requested by &lt;@U0001&gt;: idle for 14 days');
    expect((blocks[2] as types.SectionBlock).fields).toHaveLength(3);
    const actions = ofType(blocks, 'actions');
    expect(actions).toHaveLength(1);
    expect(actions[0]!.elements).toEqual([
      {
        type: 'button',
        action_id: ACTIONS.APPROVE,
        text: { type: 'plain_text', text: 'Approve', emoji: true },
        value: 'apr_7',
        style: 'primary',
      },
      {
        type: 'button',
        action_id: ACTIONS.REJECT,
        text: { type: 'plain_text', text: 'Reject', emoji: true },
        value: 'apr_7',
        style: 'danger',
      },
      {
        type: 'button',
        action_id: ACTIONS.DETAILS,
        text: { type: 'plain_text', text: 'Details', emoji: true },
        value: 'apr_7',
      },
    ]);
    expect(fallback).toBe('Approval needed: stop i-0abc\nAction: stop i-0abc (t3.large) in us-east-1');
  });
});
