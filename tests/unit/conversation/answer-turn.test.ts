// The chat core's answer path on a hand-written surface: private routing, progress then update, charts, "Show all",
// and what a platform refusal tells the asker.
import { describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../../adapters/memory/memory-dedupe.store.js';
import { ChatCore } from '../../../src/conversation/chat-core.js';
import type { TurnHooks } from '../../../src/conversation/handle-turn.service.js';
import type { ChartRenderer } from '../../../src/reports/chart-renderer.port.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import { type Reply, text } from '../../../src/shared/reply.types.js';
import { ALL_CAPABILITIES, RecordingSurface } from '../../support/recording-surface.js';
import { testCore } from './core-fixtures.js';

/** A core whose turn handler hands its hooks to the test and answers with `work`. */
function testCoreWithHooks(onHooks: (hooks: TurnHooks) => void, work: Promise<Reply>) {
  return new ChatCore({
    handleTurn: (_turn, hooks) => {
      onHooks(hooks ?? {});
      return work;
    },
    dedupe: new MemoryDedupeStore(),
    charts: null,
    logger: silentLogger,
    progressAfterMs: 0,
  });
}

const turn = (t: string) => ({ user: { id: 'U1' }, location: { platform: 'slack' as const, channel: 'C1' }, text: t });
const chart = { kind: 'bars' as const, title: 'By service', currency: 'USD', labels: ['EC2'], series: [] };
const answer: Reply = { kind: 'answer', title: 'Cost', text: 'Total 12.00 USD', visibility: 'channel' };
const help: Reply = { kind: 'usage', title: 'Usage', text: 'try help', visibility: 'ephemeral' };
const charts: ChartRenderer = {
  render: async (spec) => ({ png: new Uint8Array([1, 2, 3]), altText: `A chart: ${spec.title}`, filename: 'c.png' }),
};

describe('answering a turn', () => {
  it('posts a quick answer once; an answer for the asker goes privately, or is posted where nothing is private', async () => {
    const surface = new RecordingSurface();
    await testCore({}, () => answer).core.turn(turn('cost'), surface);
    await testCore({}, () => help).core.turn(turn('cots'), surface);
    const noPrivate = new RecordingSurface({ ...ALL_CAPABILITIES, privateReplies: false });
    await testCore({}, () => help).core.turn(turn('cots'), noPrivate);
    expect(surface.events.map((e) => e.kind)).toEqual(['post', 'private']);
    expect(noPrivate.events.map((e) => e.kind)).toEqual(['post']);
  });

  it('handles a delivery id once', async () => {
    const { core, turns } = testCore();
    const surface = new RecordingSurface();
    await core.turn(turn('cost'), surface, { deliveryId: 'slack:event:E1' });
    await core.turn(turn('cost'), surface, { deliveryId: 'slack:event:E1' });
    expect(turns).toHaveLength(1);
    expect(surface.events).toHaveLength(1);
  });

  it('shows "working on it" with the progress of slow work, then replaces it with the answer, in that order', async () => {
    let hooks: TurnHooks = {};
    let give: (r: Reply) => void = () => {};
    const work = new Promise<Reply>((resolve) => {
      give = resolve;
    });
    const surface = new RecordingSurface();
    const done = testCoreWithHooks((h) => {
      hooks = h;
    }, work).turn(turn('why did EC2 jump?'), surface);
    await surface.until('post');
    hooks.onProgress?.('querying costs by service…');
    await surface.until('update');
    give(answer);
    await done;
    expect(surface.events.map((e) => e.kind)).toEqual(['post', 'update', 'update']);
    expect(surface.events[0]).toMatchObject({ reply: { title: expect.stringMatching(/working on it/i) } });
    expect(surface.events[1]).toMatchObject({ id: 'm1', reply: { text: 'querying costs by service…' } });
    expect(surface.events[2]).toMatchObject({ id: 'm1', reply: { title: 'Cost' } });
  });

  it('removes the placeholder of slow work whose answer is for the asker alone, and answers privately', async () => {
    let give: (r: Reply) => void = () => {};
    const work = new Promise<Reply>((resolve) => {
      give = resolve;
    });
    const { core } = testCore({ progressAfterMs: 0 }, () => work);
    const surface = new RecordingSurface();
    const done = core.turn(turn('cots'), surface);
    await surface.until('post');
    give(help);
    await done;
    expect(surface.events.map((e) => e.kind)).toEqual(['post', 'remove', 'private']);
  });

  it('draws the chart once: as a file after the answer, or inside it; a chart that fails leaves the answer', async () => {
    const withChart = { ...answer, chart };
    const file = new RecordingSurface();
    await testCore({ charts }, () => withChart).core.turn(turn('cost'), file);
    expect(file.events.map((e) => e.kind)).toEqual(['post', 'file']);
    expect(file.events[1]).toMatchObject({ kind: 'file', near: 'm1', file: { altText: 'A chart: By service' } });

    const inline = new RecordingSurface({ ...ALL_CAPABILITIES, charts: 'inline' });
    await testCore({ charts }, () => withChart).core.turn(turn('cost'), inline);
    expect(inline.events).toHaveLength(1);
    expect(inline.events[0]).toMatchObject({ kind: 'post', options: { chart: { filename: 'c.png' } } });

    const broken: ChartRenderer = { render: async () => Promise.reject(new TallyError('INTERNAL', 'no font')) };
    const failing = new RecordingSurface({ ...ALL_CAPABILITIES, charts: 'inline' });
    await testCore({ charts: broken }, () => withChart).core.turn(turn('cost'), failing);
    expect(failing.events).toMatchObject([{ kind: 'post', options: {} }]);
  });

  it('offers "Show all" with the command under an answer with tables', async () => {
    const table = { columns: [{ header: 'Service', align: 'left' as const }], rows: [[text('EC2')]] };
    const surface = new RecordingSurface();
    await testCore({}, () => ({ ...answer, tables: [table] })).core.turn(turn('cost by service'), surface);
    const posted = surface.replies()[0];
    expect(posted?.more).toEqual({ actionId: ACTIONS.SHOW_ALL, label: 'Show all', value: 'cost by service' });
  });

  it('tells the asker privately what the platform said when it refused the post', async () => {
    const surface = new RecordingSurface();
    surface.post = async () => {
      throw new TallyError('CHAT_FAILED', 'refused', { metadata: { userMessage: 'Invite Tally to this channel.' } });
    };
    await testCore().core.turn(turn('cost'), surface);
    expect(surface.events).toEqual([
      { kind: 'private', reply: expect.objectContaining({ title: 'Invite Tally to this channel.' }) },
    ]);
  });
});
