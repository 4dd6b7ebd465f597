import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import { MemoryDigestSubscriptionRepository } from '../../../adapters/memory/memory-digest-subscription.repository.js';
import type { DigestCommand } from '../../../src/commands/command.types.js';
import { parseDigestCommand } from '../../../src/commands/parse-digest-command.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { DigestService } from '../../../src/reports/digest.service.js';
import type { DigestScheduler, DigestSubscription } from '../../../src/reports/digest.types.js';
import { cronOf, type DigestSubscribeCommand, nextRunOf } from '../../../src/reports/digest-cron.js';
import { type DigestRequester, DigestSubscriptionService } from '../../../src/reports/digest-subscription.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { testCostRepository } from '../../support/cost-store.js';

/** A scheduler that records what it was asked (the BullMQ one is tested in tests/integration). */
class RecordingScheduler implements DigestScheduler {
  readonly upserts: DigestSubscription[] = [];
  readonly removals: string[] = [];
  failNext = false;

  async upsert(subscription: DigestSubscription): Promise<void> {
    if (this.failNext) throw new Error('redis down');
    this.upserts.push(subscription);
  }

  async remove(subscriptionId: string): Promise<void> {
    this.removals.push(subscriptionId);
  }
}

const ALICE: DigestRequester = { platform: 'slack', channel: 'C0FINOPS', user: 'U0ALICE' };
const SHELL: DigestRequester = { platform: 'shell', user: 'operator' };

function cmd(text: string): DigestCommand {
  const r = parseDigestCommand(text);
  if (!r?.ok || r.command.kind !== 'digest') throw new Error(`not a digest command: ${text}`);
  return r.command;
}

/** `now` is Sunday 2026-11-22 17:00 UTC unless given (Berlin is on CET, UTC+1, then). */
async function setup(now = '2026-11-22T17:00:00Z', withScheduler = true) {
  const repo = new MemoryDigestSubscriptionRepository();
  const scheduler = new RecordingScheduler();
  const clock = fixedClock(new Date(now));
  const costs = new CostQueryService(await testCostRepository());
  const digests = new DigestService({
    costs,
    forecast: new ForecastService(costs),
    approvals: new MemoryApprovalRepository(),
    savings: null,
    anomalies: async () => [],
    clock,
  });
  const service = new DigestSubscriptionService({
    repo,
    scheduler: withScheduler ? scheduler : null,
    digests,
    clock,
  });
  return { repo, scheduler, service };
}

const nextRunOfReply = (data: unknown) => (data as { nextRun: string }).nextRun;

describe('cronOf and nextRunOf', () => {
  it('turn a schedule into a cron pattern in the subscriber zone', () => {
    expect(cronOf(cmd('digest subscribe weekly mon 09:00 Europe/Berlin') as DigestSubscribeCommand)).toBe('0 9 * * 1');
    expect(cronOf(cmd('digest subscribe daily 08:30 UTC') as DigestSubscribeCommand)).toBe('30 8 * * *');
    expect(cronOf(cmd('digest subscribe weekly sun 23:05 UTC') as DigestSubscribeCommand)).toBe('5 23 * * 0');
  });

  it('find the next local run across daylight saving time', () => {
    // Monday 09:00 in Berlin: 08:00 UTC in winter (CET), 07:00 UTC in summer (CEST).
    expect(nextRunOf('0 9 * * 1', 'Europe/Berlin', new Date('2026-11-22T17:00:00Z')).toISOString()).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(nextRunOf('0 9 * * 1', 'Europe/Berlin', new Date('2026-06-03T00:00:00Z')).toISOString()).toBe(
      '2026-06-08T07:00:00.000Z',
    );
    // The week clocks go back (Sunday 2026-10-25): the Monday after is already on CET.
    expect(nextRunOf('0 9 * * 1', 'Europe/Berlin', new Date('2026-10-20T00:00:00Z')).toISOString()).toBe(
      '2026-10-26T08:00:00.000Z',
    );
  });
});

describe('DigestSubscriptionService', () => {
  it('subscribes a channel, schedules it, and says when the next digest comes in its time zone', async () => {
    const { repo, scheduler, service } = await setup();
    const reply = await service.run(cmd('digest subscribe weekly mon 09:00 Europe/Berlin'), ALICE);
    expect(reply.kind).toBe('answer');
    const [saved] = await repo.list();
    expect(saved).toMatchObject({
      platform: 'slack',
      channel: 'C0FINOPS',
      cron: '0 9 * * 1',
      tz: 'Europe/Berlin',
      schedule: 'weekly mon 09:00 Europe/Berlin',
      emails: [],
      createdBy: 'U0ALICE',
      createdAt: '2026-11-22T17:00:00.000Z',
    });
    expect(saved?.id).toMatch(/^dig_[0-9a-f]+$/);
    expect(scheduler.upserts).toEqual([saved]);
    expect(nextRunOfReply(reply.data)).toBe('2026-11-23T08:00:00.000Z');
    expect(reply.fields?.find((f) => f.label === 'Next digest')?.value).toContain('09:00 Europe/Berlin (08:00 UTC)');
  });

  it('computes the next run in the zone of each subscription', async () => {
    const { service } = await setup();
    const ny = await service.run(
      cmd('digest subscribe weekly fri 17:00 America/New_York to finops@example.com, cfo@example.com'),
      ALICE,
    );
    // Friday 2026-11-27 17:00 EST (UTC−5).
    expect(nextRunOfReply(ny.data)).toBe('2026-11-27T22:00:00.000Z');
    const daily = await service.run(cmd('digest subscribe daily 08:30 UTC'), ALICE);
    expect(nextRunOfReply(daily.data)).toBe('2026-11-23T08:30:00.000Z');
    const kolkata = await service.run(cmd('digest subscribe daily 09:00 Asia/Kolkata'), ALICE);
    // 09:00 IST (UTC+05:30) on Monday is 03:30 UTC.
    expect(nextRunOfReply(kolkata.data)).toBe('2026-11-23T03:30:00.000Z');
  });

  it('does not subscribe the same schedule twice', async () => {
    const { repo, scheduler, service } = await setup();
    await service.run(cmd('digest subscribe weekly mon 09:00 Europe/Berlin to a@example.com'), ALICE);
    const again = await service.run(cmd('digest subscribe weekly monday 9am europe/berlin to A@example.com'), ALICE);
    expect(again.kind).toBe('notice');
    expect(await repo.list()).toHaveLength(1);
    expect(scheduler.upserts).toHaveLength(1);
  });

  it('refuses to subscribe without a channel unless there are addresses to email', async () => {
    const { repo, scheduler, service } = await setup();
    const refused = await service.run(cmd('digest subscribe weekly mon 09:00 UTC'), SHELL);
    expect(refused).toMatchObject({ kind: 'notice', visibility: 'ephemeral' });
    expect(await repo.list()).toEqual([]);
    expect(scheduler.upserts).toEqual([]);
    const emailed = await service.run(cmd('digest subscribe weekly mon 09:00 UTC to finops@example.com'), SHELL);
    expect(emailed.kind).toBe('answer');
    expect(await repo.list()).toEqual([
      expect.objectContaining({ platform: 'shell', channel: '', emails: ['finops@example.com'] }),
    ]);
  });

  it('without Redis, answers that digests need it and stores nothing', async () => {
    const { repo, service } = await setup(undefined, false);
    const reply = await service.run(cmd('digest subscribe weekly mon 09:00 UTC'), ALICE);
    expect(reply.kind).toBe('notice');
    expect(await repo.list()).toEqual([]);
  });

  it('keeps no subscription whose schedule could not be made', async () => {
    const { repo, scheduler, service } = await setup();
    scheduler.failNext = true;
    await expect(service.run(cmd('digest subscribe daily 08:30 UTC'), ALICE)).rejects.toThrow();
    expect(await repo.list()).toEqual([]);
  });

  it("lists a channel's subscriptions with their next run; the shell sees them all", async () => {
    const { service } = await setup();
    await service.run(cmd('digest subscribe weekly mon 09:00 Europe/Berlin'), ALICE);
    await service.run(cmd('digest subscribe daily 08:30 UTC'), { ...ALICE, channel: 'C0OTHER' });
    const mine = await service.run(cmd('digest list'), ALICE);
    const listed = (mine.data as { subscriptions: (DigestSubscription & { nextRun: string })[] }).subscriptions;
    expect(listed.map((s) => [s.channel, s.nextRun])).toEqual([['C0FINOPS', '2026-11-23T08:00:00.000Z']]);
    expect(mine.items?.[0]?.button?.value).toBe(`digest unsubscribe ${listed[0]!.id}`);
    const all = await service.run(cmd('digest list'), SHELL);
    expect((all.data as { subscriptions: unknown[] }).subscriptions).toHaveLength(2);
    const none = await service.run(cmd('digest list'), { ...ALICE, channel: 'C0EMPTY' });
    expect(none.data).toEqual({ subscriptions: [] });
  });

  it('unsubscribes one subscription by id, only from its own channel', async () => {
    const { repo, scheduler, service } = await setup();
    const other = await service.run(cmd('digest subscribe daily 08:30 UTC'), { ...ALICE, channel: 'C0OTHER' });
    const id = (other.data as { subscription: DigestSubscription }).subscription.id;
    const refused = await service.run({ kind: 'digest', action: 'unsubscribe', id }, ALICE);
    expect(refused.kind).toBe('notice');
    expect(await repo.get(id)).not.toBeNull();
    const done = await service.run({ kind: 'digest', action: 'unsubscribe', id }, { ...ALICE, channel: 'C0OTHER' });
    expect(done.data).toEqual({ removed: [id] });
    expect(await repo.get(id)).toBeNull();
    expect(scheduler.removals).toEqual([id]);
  });

  it("unsubscribe without an id removes every subscription of the channel and no other channel's", async () => {
    const { repo, scheduler, service } = await setup();
    await service.run(cmd('digest subscribe weekly mon 09:00 UTC'), ALICE);
    await service.run(cmd('digest subscribe daily 08:30 UTC'), ALICE);
    await service.run(cmd('digest subscribe daily 08:30 UTC'), { ...ALICE, channel: 'C0OTHER' });
    const mine = (await repo.list({ channel: 'C0FINOPS' })).map((s) => s.id);
    const reply = await service.run(cmd('digest unsubscribe'), ALICE);
    expect(reply.data).toEqual({ removed: mine });
    expect(scheduler.removals).toEqual(mine);
    expect((await repo.list()).map((s) => s.channel)).toEqual(['C0OTHER']);
    expect((await service.run(cmd('digest unsubscribe'), ALICE)).kind).toBe('notice');
    // The shell has no channel: it must name the subscription.
    expect((await service.run(cmd('digest unsubscribe'), SHELL)).kind).toBe('notice');
    expect(await repo.list()).toHaveLength(1);
  });

  it('reschedules every stored subscription (at start)', async () => {
    const { scheduler, service } = await setup();
    await service.run(cmd('digest subscribe weekly mon 09:00 UTC'), ALICE);
    await service.run(cmd('digest subscribe daily 08:30 UTC'), ALICE);
    scheduler.upserts.length = 0;
    expect(await service.reschedule()).toBe(2);
    // Both were made at the clock's one instant, so they come in id order: compare as sets.
    expect(scheduler.upserts.map((s) => s.cron).sort()).toEqual(['0 9 * * 1', '30 8 * * *']);
  });

  it('`digest now` builds the digest for the channel, in its scope', async () => {
    const { service } = await setup();
    const reply = await service.run(cmd('digest now'), ALICE, { providers: ['AWS'] });
    expect(reply.data).toMatchObject({
      kind: 'digest',
      scope: { providers: ['AWS'] },
      period: { from: '2026-11-09', to: '2026-11-15' },
    });
  });
});
