// Back-pressure in the chat core: a bounded answer queue. Beyond the bound a person is told at once, privately, that
// Tally is busy, and nothing is queued; once places free up, answers are accepted again. Work is held with deferred
// promises and released by hand, so every step waits for a definite event.
import { describe, expect, it } from 'vitest';
import { busy } from '../../../src/conversation/apology.js';
import type { Turn } from '../../../src/conversation/turn.types.js';
import { QueueFull, WorkQueue } from '../../../src/conversation/work-queue.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { RecordingSurface } from '../../support/recording-surface.js';
import { click, recordingLogger, testCore } from './core-fixtures.js';

/** Turn handling that starts when the core calls it and ends when the test releases it. */
class HeldWork {
  /** The texts of the turns started, in order. */
  readonly started: string[] = [];
  private readonly releases = new Map<string, () => void>();
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly answer = (turn: Turn): Promise<Reply> => {
    this.started.push(turn.text);
    const reply: Reply = { kind: 'answer', title: `Answer to ${turn.text}`, visibility: 'channel' };
    const done = new Promise<Reply>((resolve) => this.releases.set(turn.text, () => resolve(reply)));
    const ready = this.waiters.filter((w) => this.started.length >= w.count);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
    return done;
  };

  /** Resolves once `count` turns have started. */
  untilStarted(count: number): Promise<void> {
    if (this.started.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  release(text: string): void {
    const release = this.releases.get(text);
    if (!release) throw new Error(`${text} has not started`);
    release();
  }
}

const turn = (text: string): Turn => ({
  user: { id: 'U1' },
  location: { platform: 'slack', channel: 'C1' },
  text,
});
const CONCURRENCY = 2;
const MAX_QUEUED = 3;

/** A core working out 2 answers at once with 3 more waiting, over held work; one surface per event. */
function boundedCore() {
  const held = new HeldWork();
  const logger = recordingLogger();
  const { core, turns } = testCore({ concurrency: CONCURRENCY, maxQueued: MAX_QUEUED, logger }, held.answer);
  return { core, turns, held, logger };
}

/**
 * Sends `count` turns `<prefix>1`, `<prefix>2`, … that fill the running places and the queue, and waits until the
 * first ones have started; their surfaces and completions.
 */
async function fill(core: ReturnType<typeof boundedCore>['core'], held: HeldWork, count: number, prefix = 'q') {
  const before = held.started.length;
  const asked = Array.from({ length: count }, (_, i) => {
    const surface = new RecordingSurface();
    const text = `${prefix}${i + 1}`;
    return { text, surface, done: core.turn(turn(text), surface) };
  });
  await held.untilStarted(before + Math.min(count, CONCURRENCY));
  return asked;
}

describe('back-pressure: the bounded answer queue', () => {
  it('refuses the answer beyond the bound at once, privately, queues nothing, and accepts again after draining', async () => {
    const { core, turns, held, logger } = boundedCore();
    const full = CONCURRENCY + MAX_QUEUED;
    const asked = await fill(core, held, full);
    expect(held.started).toEqual(['q1', 'q2']);

    // The (N+1)th answer: its turn resolves while every earlier one is still held.
    const refused = new RecordingSurface();
    await core.turn(turn('one too many'), refused);
    expect(refused.events).toEqual([{ kind: 'private', reply: busy() }]);
    expect(busy()).toMatchObject({ visibility: 'ephemeral', title: expect.stringMatching(/busy.*try again/i) });
    for (const { surface } of asked) expect(surface.events).toEqual([]);
    expect(logger.errors).toEqual([]);

    // Drain: release each started answer in turn; every accepted question is answered once, the refused one never.
    for (let i = 0; i < full; i++) {
      await held.untilStarted(Math.min(full, i + CONCURRENCY));
      held.release(`q${i + 1}`);
      await asked[i]?.done;
    }
    expect(turns.map((t) => t.text)).toEqual(asked.map((a) => a.text));
    for (const { text, surface } of asked)
      expect(surface.events).toMatchObject([{ kind: 'post', reply: { title: `Answer to ${text}` } }]);
    expect(refused.events).toHaveLength(1);

    // Drained: a full load is accepted again, and the next one beyond it is refused again.
    const again = await fill(core, held, full, 'r');
    const refusedAgain = new RecordingSurface();
    await core.turn(turn('too many again'), refusedAgain);
    expect(refusedAgain.events).toEqual([{ kind: 'private', reply: busy() }]);
    for (let i = 0; i < full; i++) {
      await held.untilStarted(full + Math.min(full, i + CONCURRENCY));
      held.release(`r${i + 1}`);
    }
    await Promise.all(again.map((a) => a.done));
    for (const { surface } of again) expect(surface.events.map((e) => e.kind)).toEqual(['post']);
    expect(turns.filter((t) => t.text.includes('too many'))).toEqual([]);
  });

  it('accepts a new answer as soon as one waiting place frees up', async () => {
    const { core, held } = boundedCore();
    const asked = await fill(core, held, CONCURRENCY + MAX_QUEUED);
    held.release('q1');
    await asked[0]?.done;
    await held.untilStarted(3);
    const late = new RecordingSurface();
    const lateDone = core.turn(turn('late'), late);
    const refused = new RecordingSurface();
    await core.turn(turn('later'), refused);
    expect(refused.events).toEqual([{ kind: 'private', reply: busy() }]);
    for (let i = 2; i <= 5; i++) {
      held.release(`q${i}`);
      await asked[i - 1]?.done;
      await held.untilStarted(Math.min(6, i + 2));
    }
    held.release('late');
    await lateDone;
    expect(held.started).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'late']);
    expect(late.events).toMatchObject([{ kind: 'post', reply: { title: 'Answer to late' } }]);
  });

  it('leaves the delivery id of a refused turn unclaimed, so a redelivery after draining is answered', async () => {
    const { core, turns, held } = boundedCore();
    const asked = await fill(core, held, CONCURRENCY + MAX_QUEUED);
    const refused = new RecordingSurface();
    await core.turn(turn('cost by team'), refused, { deliveryId: 'slack:command:T1' });
    expect(refused.events).toEqual([{ kind: 'private', reply: busy() }]);
    for (let i = 1; i <= asked.length; i++) {
      await held.untilStarted(Math.min(asked.length, i + CONCURRENCY - 1));
      held.release(`q${i}`);
    }
    await Promise.all(asked.map((a) => a.done));
    const redelivered = new RecordingSurface();
    const done = core.turn(turn('cost by team'), redelivered, { deliveryId: 'slack:command:T1' });
    await held.untilStarted(asked.length + 1);
    held.release('cost by team');
    await done;
    expect(redelivered.events).toMatchObject([{ kind: 'post', reply: { title: 'Answer to cost by team' } }]);
    // Claimed now: a further redelivery is dropped.
    await core.turn(turn('cost by team'), redelivered, { deliveryId: 'slack:command:T1' });
    expect(turns.filter((t) => t.text === 'cost by team')).toHaveLength(1);
  });

  it('logs a warning when the queue fills up and at 10, 100, … refusals in a row, not at every refusal', async () => {
    const warnings: Record<string, unknown>[] = [];
    const logger = { ...recordingLogger(), warn: (fields: Record<string, unknown>) => void warnings.push(fields) };
    const held = new HeldWork();
    const { core } = testCore({ concurrency: CONCURRENCY, maxQueued: MAX_QUEUED, logger }, held.answer);
    const asked = await fill(core, held, CONCURRENCY + MAX_QUEUED);
    for (let i = 1; i <= 12; i++) await core.turn(turn(`flood ${i}`), new RecordingSurface());
    expect(warnings.map((w) => w.inARow)).toEqual([1, 10]);
    expect(warnings[0]).toMatchObject({ platform: 'slack', channel: 'C1', user: 'U1', waiting: MAX_QUEUED });
    for (let i = 1; i <= asked.length; i++) {
      await held.untilStarted(Math.min(asked.length, i + CONCURRENCY - 1));
      held.release(`q${i}`);
    }
    await Promise.all(asked.map((a) => a.done));
  });

  it('answers "is it busy?" without queueing: null while there is room, the busy notice once full', async () => {
    const { core, turns, held } = boundedCore();
    const location = { platform: 'slack' as const, channel: 'C1' };
    expect(core.refuseIfBusy({ id: 'U1' }, location)).toBeNull();
    const asked = await fill(core, held, CONCURRENCY + MAX_QUEUED);
    expect(core.refuseIfBusy({ id: 'U1' }, location)).toEqual(busy());
    for (let i = 1; i <= asked.length; i++) {
      await held.untilStarted(Math.min(asked.length, i + CONCURRENCY - 1));
      held.release(`q${i}`);
    }
    await Promise.all(asked.map((a) => a.done));
    expect(turns.map((t) => t.text)).toEqual(asked.map((a) => a.text));
    expect(core.refuseIfBusy({ id: 'U1' }, location)).toBeNull();
  });

  it('refuses clicks that run commands the same way: Run command, Request approval and Show all', async () => {
    const { core, turns, held } = boundedCore();
    const asked = await fill(core, held, CONCURRENCY + MAX_QUEUED);
    const clicks = [
      click(ACTIONS.RUN_COMMAND, 'cost by region', { deliveryId: 'slack:action:1' }),
      click(ACTIONS.REQUEST_APPROVAL, 'propose stop i-0abc', { deliveryId: 'slack:action:2' }),
      click(ACTIONS.SHOW_ALL, 'cost by service', { deliveryId: 'slack:action:3' }),
    ];
    for (const c of clicks) {
      const surface = new RecordingSurface();
      await core.click(c, surface);
      expect(surface.events, c.actionId).toEqual([{ kind: 'private', reply: busy() }]);
    }
    for (let i = 1; i <= asked.length; i++) {
      await held.untilStarted(Math.min(asked.length, i + CONCURRENCY - 1));
      held.release(`q${i}`);
    }
    await Promise.all(asked.map((a) => a.done));
    expect(turns.map((t) => t.text)).toEqual(asked.map((a) => a.text));

    // Drained: the same button, clicked again (a new delivery), runs its command.
    const surface = new RecordingSurface();
    const clicked = core.click(click(ACTIONS.RUN_COMMAND, 'cost by region', { deliveryId: 'slack:action:4' }), surface);
    await held.untilStarted(asked.length + 1);
    held.release('cost by region');
    await clicked;
    expect(surface.events).toMatchObject([{ kind: 'post', reply: { title: 'Answer to cost by region' } }]);
  });
});

describe('WorkQueue bound', () => {
  it('rejects work beyond the waiting bound without running or queueing it', async () => {
    const queue = new WorkQueue(1, 1);
    const releases: (() => void)[] = [];
    const ran: string[] = [];
    const job = (name: string) => () => {
      ran.push(name);
      return new Promise<string>((resolve) => releases.push(() => resolve(name)));
    };
    const first = queue.run(job('first'));
    const second = queue.run(job('second'));
    await expect(queue.run(job('third'))).rejects.toEqual(new QueueFull(1, 1));
    expect(ran).toEqual(['first']);
    releases.shift()?.();
    expect(await first).toBe('first');
    // `second` now holds the running place and nothing waits: one more may wait, a second one may not.
    const fourth = queue.run(job('fourth'));
    await expect(queue.run(job('fifth'))).rejects.toBeInstanceOf(QueueFull);
    releases.shift()?.();
    expect(await second).toBe('second');
    releases.shift()?.();
    expect(await fourth).toBe('fourth');
    expect(ran).toEqual(['first', 'second', 'fourth']);
  });
});
