// The chat core's click registry: what it does once for every platform around a click (dedupe, unknown ids,
// "not set up", the apology with an error id, the concurrency limit), on a hand-written surface.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { ALL_CAPABILITIES, RecordingSurface } from '../../support/recording-surface.js';
import { click, FakeAlerts, FakeApprovals, recordingLogger, testCore } from './core-fixtures.js';

const titles = (s: RecordingSurface) => s.replies().map((r) => r.title);

describe('the click registry', () => {
  it('handles a delivery once: a repeat is told "Already done." and changes nothing', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals });
    const surface = new RecordingSurface();
    const twice = click(ACTIONS.APPROVE, 'apr_1', { deliveryId: 'slack:action:T1' });
    await core.click(twice, surface);
    await core.click(twice, surface);
    expect(approvals.votes).toHaveLength(1);
    expect(titles(surface)).toEqual(['Vote counted', 'Already done.']);
  });

  it('never deduplicates an automatic refresh (it only reads)', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals });
    const surface = new RecordingSurface();
    const refresh = click(ACTIONS.REFRESH, 'apr_1', { deliveryId: 'teams:invoke:A1', trigger: 'automatic' });
    await core.click(refresh, surface);
    await core.click(refresh, surface);
    expect(titles(surface)).toEqual(['Details of apr_1', 'Details of apr_1']);
  });

  it('answers an unknown button, a button naming nothing, and a feature that is not set up, privately', async () => {
    const { core } = testCore();
    const surface = new RecordingSurface();
    await core.click(click('tally_teleport', 'x'), surface);
    await core.click(click(ACTIONS.RUN_COMMAND, '  '), surface);
    await core.click(click(ACTIONS.APPROVE, 'apr_1'), surface);
    await core.click(click(ACTIONS.ALERT_ACK, 'anm_1'), surface);
    expect(surface.events.every((e) => e.kind === 'private')).toBe(true);
    const [unknown, nothing, approvals, alerts] = titles(surface);
    expect(unknown).toMatch(/not supported/);
    expect(nothing).toMatch(/names nothing/);
    expect(approvals).toMatch(/Approvals are not set up/);
    expect(alerts).toMatch(/alerts are not set up/);
  });

  it('logs an unexpected failure with an error id and apologises to the clicker with the same id', async () => {
    const approvals = new FakeApprovals();
    approvals.failVotes = true;
    const logger = recordingLogger();
    const { core } = testCore({ approvals, logger });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.APPROVE, 'apr_1'), surface);
    const [apology] = surface.replies();
    expect(apology?.kind).toBe('error');
    expect(apology?.title).not.toMatch(/database/);
    expect(logger.errors).toHaveLength(1);
    expect(apology?.title).toContain(String(logger.errors[0]?.errorId));
    expect(logger.errors[0]).toMatchObject({ action: ACTIONS.APPROVE, value: 'apr_1' });
  });

  it('works out at most `concurrency` answers at once, in arrival order, and answers every one', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    let fourth: () => void = () => {};
    const fourStarted = new Promise<void>((resolve) => {
      fourth = resolve;
    });
    const { core } = testCore({ concurrency: 4 }, (turn) => {
      started.push(turn.text);
      if (started.length === 4) fourth();
      return new Promise<Reply>((resolve) =>
        release.push(() => resolve({ kind: 'answer', title: turn.text, visibility: 'channel' })),
      );
    });
    const surface = new RecordingSurface({ ...ALL_CAPABILITIES, updates: false });
    const commands = ['cost 1', 'cost 2', 'cost 3', 'cost 4', 'cost 5', 'cost 6'];
    const all = Promise.all(commands.map((c) => core.click(click(ACTIONS.RUN_COMMAND, c), surface)));
    await fourStarted;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['cost 1', 'cost 2', 'cost 3', 'cost 4']);
    while (release.length) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    expect(started).toEqual(commands);
    expect(titles(surface).sort()).toEqual([...commands].sort());
  });
});

describe('alert buttons', () => {
  it('Acknowledge replaces the alert message, then tells the clicker; an unknown alert only tells', async () => {
    const alerts = new FakeAlerts();
    const { core } = testCore({ alerts });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.ALERT_ACK, 'anm_1'), surface);
    await core.click(click(ACTIONS.ALERT_ACK, 'unknown'), surface);
    expect(surface.events.map((e) => e.kind)).toEqual(['update', 'private', 'private']);
    expect(surface.events[0]).toMatchObject({ kind: 'update', id: 'm0', reply: { title: 'Acknowledged by U1' } });
    expect(alerts.acks[0]?.user).toEqual({ platform: 'slack', id: 'U1', name: 'ada' });
  });

  it('Mute 7 days mutes for 7 days, tells the clicker and notes it in the thread; without a message, no note', async () => {
    const alerts = new FakeAlerts();
    const { core } = testCore({ alerts });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.ALERT_MUTE, 'anm_1'), surface);
    await core.click(click(ACTIONS.ALERT_MUTE, 'anm_2', { message: undefined }), surface);
    expect(alerts.mutes).toEqual([
      { anomalyId: 'anm_1', days: 7 },
      { anomalyId: 'anm_2', days: 7 },
    ]);
    expect(surface.events.map((e) => e.kind)).toEqual(['private', 'post', 'private']);
  });

  it('Investigate runs the comparison as the clicker in the thread; an unknown alert is told privately', async () => {
    const alerts = new FakeAlerts();
    const { core, turns } = testCore({ alerts });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.ALERT_INVESTIGATE, 'anm_1'), surface);
    await core.click(click(ACTIONS.ALERT_INVESTIGATE, 'unknown'), surface);
    expect(turns).toEqual([
      {
        user: { id: 'U1', name: 'ada' },
        location: { platform: 'slack', channel: 'C1', thread: 'm0' },
        text: 'compare 2026-05-20 vs 2026-05-13 by service',
      },
    ]);
    expect(surface.events.map((e) => e.kind)).toEqual(['post', 'private']);
  });
});

describe('Snooze 1 day', () => {
  it('mutes the series for one day, tells the clicker and notes it in the thread', async () => {
    const alerts = new FakeAlerts();
    const { core } = testCore({ alerts });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.ALERT_SNOOZE, 'anm_1'), surface);
    expect(alerts.mutes).toEqual([{ anomalyId: 'anm_1', days: 1 }]);
    expect(surface.events.map((e) => e.kind)).toEqual(['private', 'post']);
  });
});
