// The shell's text rendering of items and buttons (adapters/shell/render-text.ts): a shell user types what a Slack user
// would click, so every button with a typed equivalent becomes a `→ command` line.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Reply, ReplyItem } from '../../../src/shared/reply.types.js';
import { renderText, typedCommand } from '../../../src/shared/reply-text.js';

const PROPOSE = 'propose stop i-0abc in us-east-1 because idle';

const idle: ReplyItem = {
  title: 'Stop idle instance i-0abc',
  text: 'No CPU above 2% for 14 days',
  fields: [
    { label: 'Saves', value: '61.20 USD/month' },
    { label: 'Region', value: 'us-east-1' },
  ],
  button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval', value: PROPOSE },
};

describe('renderText: items', () => {
  it('renders items as a numbered list with text, aligned fields and the command to type', () => {
    const reply: Reply = {
      kind: 'answer',
      title: 'Recommendations',
      items: [idle, { title: 'Release address 3.3.3.3' }],
      context: ['Scanned us-east-1'],
      visibility: 'channel',
    };
    expect(renderText(reply)).toBe(
      [
        'Recommendations',
        '',
        '1. Stop idle instance i-0abc',
        '   No CPU above 2% for 14 days',
        '   Saves:  61.20 USD/month',
        '   Region: us-east-1',
        `   → ${PROPOSE}`,
        '2. Release address 3.3.3.3',
        '',
        'Scanned us-east-1',
      ].join('\n'),
    );
  });

  it('aligns the lines under two-digit numbers', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ ...idle, title: `Item ${i + 1}`, fields: [] }));
    const lines = renderText({ kind: 'answer', title: 'Many', items, visibility: 'channel' }).split('\n');
    expect(lines).toContain('1.  Item 1');
    expect(lines).toContain('10. Item 10');
    expect(lines).toContain(`    → ${PROPOSE}`);
  });
});

describe('renderText: buttons', () => {
  it('prints the approve, reject and details commands of an approval, and keeps other buttons as labels', () => {
    const reply: Reply = {
      kind: 'notice',
      title: 'Approval needed: stop i-0abc',
      fields: [{ label: 'Votes', value: '0 of 2' }],
      buttons: [
        { actionId: ACTIONS.APPROVE, label: 'Approve', value: 'apr_7', style: 'primary' },
        { actionId: ACTIONS.REJECT, label: 'Reject', value: 'apr_7', style: 'danger' },
        { actionId: ACTIONS.DETAILS, label: 'Details', value: 'apr_7' },
        { actionId: 'tally_unknown', label: 'Something else', value: 'x' },
      ],
      visibility: 'channel',
    };
    const text = renderText(reply);
    expect(text.split('\n').slice(-4)).toEqual([
      '  → approve apr_7',
      '  → reject apr_7 because <reason>',
      '  → approval apr_7',
      '  [Something else]',
    ]);
  });

  it('maps each button kind to what to type', () => {
    const b = (actionId: string, value: string) => ({ actionId, label: 'x', value });
    expect(typedCommand(b(ACTIONS.REQUEST_APPROVAL, PROPOSE))).toBe(PROPOSE);
    expect(typedCommand(b(ACTIONS.RUN_COMMAND, 'cost last month'))).toBe('cost last month');
    expect(typedCommand(b(ACTIONS.SHOW_ALL, 'cost by service'))).toBe('cost by service');
    expect(typedCommand(b(ACTIONS.APPROVE, 'apr_1'))).toBe('approve apr_1');
    expect(typedCommand(b(ACTIONS.REJECT, 'apr_1'))).toBe('reject apr_1 because <reason>');
    expect(typedCommand(b(ACTIONS.DETAILS, 'apr_1'))).toBe('approval apr_1');
    expect(typedCommand(b('tally_unknown', 'v'))).toBeNull();
  });
});
