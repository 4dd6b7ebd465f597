// A reply item's further buttons (a recommendation's Dismiss and Snooze 30 days) on every renderer: Slack shows them
// in an actions block under the item (its button stays the accessory; ids unique within each block, as Slack wants),
// Teams in the item's ActionSet after its button, the shell and `tally ask` as the lines to type.
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../adapters/slack/render-blocks.js';
import { renderCard } from '../../../adapters/teams/render-card.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { renderText } from '../../../src/shared/reply-text.js';

const ITEM_COUNT = 15;

function reply(): Reply {
  return {
    kind: 'answer',
    title: 'Savings recommendations',
    items: Array.from({ length: ITEM_COUNT }, (_, n) => ({
      title: `Stop i-0abc${n}`,
      fields: [{ label: 'Savings/month', value: '60.74 USD' }],
      button: {
        actionId: ACTIONS.REQUEST_APPROVAL,
        label: 'Request approval',
        value: `propose stop i-0abc${n} in us-east-1 because idle`,
      },
      buttons: [
        { actionId: ACTIONS.RECOMMENDATION_DISMISS, label: 'Dismiss', value: `dismiss rec_${n} because no` },
        { actionId: ACTIONS.RECOMMENDATION_SNOOZE, label: 'Snooze 30 days', value: `snooze rec_${n} 30d` },
      ],
    })),
    visibility: 'channel',
  };
}

type Block = {
  type: string;
  accessory?: { action_id: string; value: string };
  elements?: { action_id: string; value: string }[];
};

describe('further buttons of an item', () => {
  it('Slack: the accessory, then an actions block with the others, ids unique per block, within 50 blocks', () => {
    const blocks = renderMessage(reply()).blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const first = blocks.findIndex((b) => b.accessory?.value === 'propose stop i-0abc0 in us-east-1 because idle');
    expect(blocks[first]!.accessory!.action_id).toBe(ACTIONS.REQUEST_APPROVAL);
    expect(blocks[first + 1]).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTIONS.RECOMMENDATION_DISMISS, value: 'dismiss rec_0 because no' },
        { action_id: ACTIONS.RECOMMENDATION_SNOOZE, value: 'snooze rec_0 30d' },
      ],
    });
    for (const b of blocks.filter((x) => x.type === 'actions')) {
      const ids = (b.elements ?? []).map((e) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // Items that do not fit are left out whole, and said so.
    const shown = blocks.filter((b) => b.accessory?.action_id === ACTIONS.REQUEST_APPROVAL).length;
    expect(
      blocks.filter((b) => b.type === 'actions' && b.elements?.[0]?.action_id === ACTIONS.RECOMMENDATION_DISMISS),
    ).toHaveLength(shown);
  });

  it('Teams: one ActionSet per item with its button first', () => {
    const sets: { actions: { title: string }[] }[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as { type?: string; actions?: { title: string }[] };
        if (o.type === 'ActionSet' && o.actions) sets.push({ actions: o.actions });
        Object.values(o).forEach(walk);
      }
    };
    walk(renderCard(reply()).body);
    expect(sets).toHaveLength(ITEM_COUNT);
    expect(sets[0]!.actions.map((a) => a.title)).toEqual(['Request approval', 'Dismiss', 'Snooze 30 days']);
  });

  it('text: a line to type for each button', () => {
    const text = renderText(reply());
    expect(text).toContain(
      [
        '    → propose stop i-0abc0 in us-east-1 because idle',
        '    → dismiss rec_0 because no',
        '    → snooze rec_0 30d',
      ].join('\n'),
    );
  });
});
