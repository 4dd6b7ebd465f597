import { describe, expect, it } from 'vitest';
import { MemoryAlertRepository } from '../../../adapters/memory/memory-alert.repository.js';
import type { Anomaly } from '../../../src/anomalies/anomaly.types.js';
import type { ApprovalPolicy } from '../../../src/approvals/approval-policy.types.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import { defaultApprovalPolicy } from '../../../src/config/approval-policy.schema.js';
import { alertMessages } from '../../../src/conversation/replies/alert.reply.js';
import { AlertService, type AlertServiceDeps } from '../../../src/notifications/alert.service.js';
import type { Delivery, NotifyQueue } from '../../../src/notifications/notification.types.js';
import type { NotificationPolicy } from '../../../src/notifications/notification-policy.types.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { Clock } from '../../../src/shared/clock.js';
import type { Day } from '../../../src/shared/day.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { ChartSpec } from '../../../src/shared/reply.types.js';
import { testAnomaly } from '../../support/alert-fixtures.js';

/** Records every enqueue, duplicates included, so that a second enqueue of an alert shows. */
class RecordingQueue implements NotifyQueue {
  readonly enqueued: Delivery[] = [];
  /** Enqueues left that fail before one succeeds again. */
  failures = 0;

  async enqueue(delivery: Delivery): Promise<void> {
    await Promise.resolve();
    if (this.failures > 0) {
      this.failures--;
      throw new Error('redis away');
    }
    this.enqueued.push(delivery);
  }

  /** `anomalyId channel to` of every delivery, sorted. */
  targets(): string[] {
    return this.enqueued.map((d) => `${d.event.slice('anomaly-'.length)} ${d.channel} ${d.to}`).sort();
  }
}

/** A clock the test moves. */
class TestClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

function people(): ApprovalPolicy {
  return {
    ...defaultApprovalPolicy(),
    people: [
      { key: 'alice', name: 'Alice Ng', slack: 'U0ALICE', email: 'alice@example.com', phone: '+15550100' },
      { key: 'bob', slack: 'U0BOB', email: 'bob@example.com' },
      { key: 'carol', slack: 'U0CAROL' },
    ],
  };
}

const ROUTES: NotificationPolicy = {
  routes: [
    { platform: 'slack', channel: 'C0ALL', minSeverity: 'medium' },
    { platform: 'slack', channel: 'C0PAY', minSeverity: 'low', accounts: ['111122223333'] },
    { platform: 'teams', channel: '19:ec2@thread', minSeverity: 'high', services: ['amazon ec2'], providers: ['aws'] },
    { platform: 'slack', channel: 'C0GCP', minSeverity: 'low', providers: ['GCP'] },
    // Names C0ALL again: one message, not two.
    { platform: 'slack', channel: 'C0ALL', minSeverity: 'critical' },
  ],
  onCall: ['alice', 'bob', 'carol', 'nobody', 'alice'],
  anomalies: { minImpact: 50, minRelative: 0.3 },
};

interface Harness {
  service: AlertService;
  queue: RecordingQueue;
  repo: MemoryAlertRepository;
  clock: TestClock;
  detected: Anomaly[];
  ranges: { from: Day; to: Day }[];
  trends: string[];
}

function harness(overrides: Partial<AlertServiceDeps> = {}, policy: NotificationPolicy = ROUTES): Harness {
  const detected: Anomaly[] = [];
  const ranges: { from: Day; to: Day }[] = [];
  const trends: string[] = [];
  const queue = new RecordingQueue();
  const repo = new MemoryAlertRepository();
  const clock = new TestClock(new Date('2026-05-17T06:00:00.000Z'));
  const service = new AlertService({
    messages: alertMessages,
    anomalies: async (range) => {
      ranges.push(range);
      await Promise.resolve();
      return detected.filter((a) => a.day >= range.from && a.day <= range.to).map((a) => structuredClone(a));
    },
    trend: async (anomaly) => {
      trends.push(anomaly.id);
      return chartOf(anomaly);
    },
    repo,
    notify: queue,
    policy,
    people: people(),
    clock,
    logger: silentLogger,
    ...overrides,
  });
  return { service, queue, repo, clock, detected, ranges, trends };
}

function chartOf(anomaly: Anomaly): ChartSpec {
  return { kind: 'trend', title: `Daily cost of ${anomaly.label}`, currency: anomaly.currency, labels: [], series: [] };
}

const ec2High = testAnomaly({ severity: 'high' });
const s3Low = testAnomaly({
  key: 'Amazon S3',
  label: 'Amazon S3',
  severity: 'low',
  contributors: [{ dimension: 'account', key: '444455556666', label: 'search', impact: 60 }],
});
const paymentsMedium = testAnomaly({
  dimension: 'account',
  key: '111122223333',
  label: 'payments',
  severity: 'medium',
  contributors: [{ dimension: 'service', key: 'Amazon S3', label: 'Amazon S3', impact: 80 }],
});
const totalCritical = testAnomaly({
  dimension: 'total',
  key: 'total',
  label: 'Total',
  severity: 'critical',
  contributors: [
    { dimension: 'service', key: 'Amazon EC2', label: 'Amazon EC2', impact: 700 },
    { dimension: 'account', key: '999900001111', label: 'ml', impact: 500 },
  ],
});
delete totalCritical.provider;

describe('AlertService.scanAndAlert routing', () => {
  it('scans the last 3 complete days and routes by severity and by provider, account and service filters', async () => {
    const h = harness();
    h.detected.push(ec2High, s3Low, paymentsMedium, totalCritical, testAnomaly({ day: '2026-05-13' }));
    const outcome = await h.service.scanAndAlert();
    expect(h.ranges).toEqual([{ from: '2026-05-14', to: '2026-05-16' }]);
    expect(outcome).toEqual({ found: 4, alerted: 3, skipped: { muted: 0, seen: 0, unrouted: 1 } });
    expect(h.queue.targets()).toEqual(
      [
        `${ec2High.id} chat slack/C0ALL`,
        `${ec2High.id} chat slack/C0PAY`,
        `${ec2High.id} chat teams/19:ec2@thread`,
        `${paymentsMedium.id} chat slack/C0ALL`,
        `${paymentsMedium.id} chat slack/C0PAY`,
        `${totalCritical.id} chat slack/C0ALL`,
        `${totalCritical.id} email alice@example.com`,
        `${totalCritical.id} sms +15550100`,
        `${totalCritical.id} email bob@example.com`,
      ].sort(),
    );
  });

  it('posts the alert reply with its chart to chat, keyed by the anomaly event', async () => {
    const h = harness();
    h.detected.push(ec2High);
    await h.service.scanAndAlert();
    const chat = h.queue.enqueued.find((d) => d.to === 'slack/C0ALL');
    expect(chat).toMatchObject({ event: `anomaly-${ec2High.id}`, channel: 'chat' });
    expect(chat?.reply.title).toBe('Anomaly: Amazon EC2 +1,234.21 USD (+180.4%) on 2026-05-14');
    expect(chat?.reply.chart).toEqual(chartOf(ec2High));
    expect(chat?.reply.buttons?.map((b) => [b.actionId, b.value])).toEqual([
      [ACTIONS.ALERT_ACK, ec2High.id],
      [ACTIONS.ALERT_INVESTIGATE, ec2High.id],
      [ACTIONS.ALERT_MUTE, ec2High.id],
      [ACTIONS.ALERT_SNOOZE, ec2High.id],
    ]);
    expect(new Set(h.queue.enqueued.map((d) => d.id)).size).toBe(h.queue.enqueued.length);
    const record = await h.repo.get(ec2High.id);
    expect(record).toMatchObject({ seriesKey: 'service|Amazon EC2|USD', day: '2026-05-14', severity: 'high' });
    expect(record?.sentAt).toBe('2026-05-17T06:00:00.000Z');
    expect([...(record?.deliveries ?? [])].sort()).toEqual(h.queue.enqueued.map((d) => d.id).sort());
  });

  it('pages on-call people with an address or number by email and SMS for critical anomalies only', async () => {
    const h = harness();
    const ec2Critical = testAnomaly({ day: '2026-05-15', severity: 'critical' });
    h.detected.push(ec2High, ec2Critical);
    await h.service.scanAndAlert();
    const pages = h.queue.enqueued.filter((d) => d.channel !== 'chat');
    expect(pages.map((d) => `${d.event} ${d.channel} ${d.to}`).sort()).toEqual(
      [
        `anomaly-${ec2Critical.id} email alice@example.com`,
        `anomaly-${ec2Critical.id} email bob@example.com`,
        `anomaly-${ec2Critical.id} sms +15550100`,
      ].sort(),
    );
    const email = pages.find((d) => d.channel === 'email');
    expect(email?.subject).toBe('Critical anomaly: Amazon EC2 +1,234.21 USD (+180.4%) on 2026-05-15');
    expect(email?.reply.buttons).toBeUndefined();
    const sms = pages.find((d) => d.channel === 'sms');
    expect(sms?.reply.text).toContain('1,918.21 USD');
    expect(sms?.reply.text).toContain('684.00 USD');
  });

  it('counts an anomaly nobody takes as unrouted, and alerts it once a route takes it', async () => {
    const quiet: NotificationPolicy = { routes: [], onCall: [], anomalies: ROUTES.anomalies };
    const h = harness({}, quiet);
    h.detected.push(totalCritical);
    expect((await h.service.scanAndAlert()).skipped.unrouted).toBe(1);
    expect(h.queue.enqueued).toEqual([]);
    expect(await h.repo.get(totalCritical.id)).toBeNull();
  });

  it('rejects a days option that is not a positive integer', async () => {
    const h = harness();
    for (const days of [0, -1, 1.5]) {
      const err = await h.service.scanAndAlert({ days }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TallyError);
      expect((err as TallyError).code).toBe('USAGE');
    }
  });
});

describe('AlertService never alerts twice', () => {
  it('skips anomalies alerted by an earlier scan, without drawing their chart again', async () => {
    const h = harness();
    h.detected.push(ec2High, paymentsMedium);
    await h.service.scanAndAlert();
    const first = h.queue.enqueued.length;
    h.clock.set('2026-05-17T12:00:00.000Z');
    const again = await h.service.scanAndAlert();
    expect(again).toEqual({ found: 2, alerted: 0, skipped: { muted: 0, seen: 2, unrouted: 0 } });
    expect(h.queue.enqueued).toHaveLength(first);
    expect(h.trends).toEqual([ec2High.id, paymentsMedium.id]);
  });

  it('enqueues one set of deliveries for 10 concurrent scans', async () => {
    const h = harness();
    h.detected.push(ec2High, paymentsMedium, totalCritical);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => h.service.scanAndAlert()));
    // ec2High: 3 chat; paymentsMedium: 2 chat; totalCritical: 1 chat + 2 emails + 1 SMS.
    expect(h.queue.enqueued).toHaveLength(9);
    expect(new Set(h.queue.enqueued.map((d) => d.id)).size).toBe(9);
    expect(outcomes.reduce((n, o) => n + o.alerted, 0)).toBe(3);
    expect(outcomes.reduce((n, o) => n + o.skipped.seen, 0)).toBe(27);
  });

  it('releases the claim when enqueueing fails, so the retry alerts it with the same delivery ids', async () => {
    const h = harness();
    h.detected.push(ec2High);
    h.queue.failures = 1;
    const err = await h.service.scanAndAlert().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await h.repo.get(ec2High.id)).toBeNull();
    const partial = h.queue.enqueued.map((d) => d.id);
    expect((await h.service.scanAndAlert()).alerted).toBe(1);
    const retried = h.queue.enqueued.slice(partial.length).map((d) => d.id);
    expect(retried).toHaveLength(3);
    expect(retried).toEqual(expect.arrayContaining(partial));
  });

  it('alerts without a chart when drawing it fails', async () => {
    const h = harness({
      trend: async () => {
        throw new Error('no data');
      },
    });
    h.detected.push(ec2High);
    expect((await h.service.scanAndAlert()).alerted).toBe(1);
    expect(h.queue.enqueued[0]?.reply.chart).toBeUndefined();
  });
});

describe('AlertService mutes', () => {
  const later = testAnomaly({ day: '2026-05-20', severity: 'critical', actual: 2000, impact: 1316 });
  const afterMute = testAnomaly({ day: '2026-05-23', severity: 'high' });

  it('skips the muted series for 7 days and alerts it again after', async () => {
    const h = harness();
    h.detected.push(ec2High, paymentsMedium);
    await h.service.scanAndAlert();
    h.clock.set('2026-05-17T09:30:00.000Z');
    const muted = await h.service.mute(ec2High.id, { platform: 'slack', id: 'U0BOB', name: 'bobby' });
    expect(muted.reply).toMatchObject({ kind: 'notice', visibility: 'ephemeral' });
    expect(muted.reply.text).toContain('2026-05-24 09:30 UTC');
    expect(muted.note?.visibility).toBe('channel');
    expect(muted.note?.title).toContain('bob');
    expect(await h.repo.mutedUntil('service|Amazon EC2|USD', h.clock.now())).toBe('2026-05-24T09:30:00.000Z');

    h.detected.push(later, testAnomaly({ ...paymentsMedium, day: '2026-05-20', id: 'payments-20' }));
    h.clock.set('2026-05-21T06:00:00.000Z');
    const during = await h.service.scanAndAlert();
    expect(during).toEqual({ found: 2, alerted: 1, skipped: { muted: 1, seen: 0, unrouted: 0 } });
    expect(h.queue.enqueued.some((d) => d.event === `anomaly-${later.id}`)).toBe(false);

    h.detected.push(afterMute);
    h.clock.set('2026-05-24T09:29:59.000Z');
    expect((await h.service.scanAndAlert()).skipped.muted).toBe(1);
    h.clock.set('2026-05-24T09:30:00.000Z');
    const after = await h.service.scanAndAlert();
    expect(after.alerted).toBe(1);
    expect(h.queue.enqueued.some((d) => d.event === `anomaly-${afterMute.id}`)).toBe(true);
  });

  it('answers an unknown alert without muting anything, and refuses a mute of 0 or 400 days', async () => {
    const h = harness();
    const unknown = await h.service.mute('nope', { platform: 'slack', id: 'U0BOB' });
    expect(unknown.note).toBeUndefined();
    expect(unknown.reply.visibility).toBe('ephemeral');
    for (const days of [0, 400]) {
      const err = await h.service.mute('nope', { platform: 'slack', id: 'U0BOB' }, days).catch((e: unknown) => e);
      expect((err as TallyError).code).toBe('USAGE');
    }
  });
});

describe('AlertService acknowledge', () => {
  it('acknowledges once, naming the first acknowledger, and gives the message without the Acknowledge button', async () => {
    const h = harness();
    h.detected.push(ec2High);
    await h.service.scanAndAlert();
    const first = await h.service.acknowledge(ec2High.id, { platform: 'slack', id: 'U0ALICE', name: 'ally' });
    expect(first.reply).toMatchObject({ kind: 'notice', title: 'Alert acknowledged', visibility: 'ephemeral' });
    expect(first.message?.footnote).toBe('Acknowledged by Alice Ng');
    expect(first.message?.buttons?.map((b) => b.actionId)).toEqual([
      ACTIONS.ALERT_INVESTIGATE,
      ACTIONS.ALERT_MUTE,
      ACTIONS.ALERT_SNOOZE,
    ]);
    expect(first.message?.title).toBe('Anomaly: Amazon EC2 +1,234.21 USD (+180.4%) on 2026-05-14');

    h.clock.set('2026-05-17T07:00:00.000Z');
    const second = await h.service.acknowledge(ec2High.id, { platform: 'slack', id: 'U0DAN', name: 'dan' });
    expect(second.reply.title).toBe('Already acknowledged by Alice Ng');
    expect(second.message?.footnote).toBe('Acknowledged by Alice Ng');
    expect(await h.repo.get(ec2High.id)).toMatchObject({
      acknowledgedBy: 'Alice Ng',
      acknowledgedAt: '2026-05-17T06:00:00.000Z',
    });
  });

  it('names someone the policy does not know by their platform name, else their id', async () => {
    const h = harness();
    h.detected.push(ec2High, paymentsMedium);
    await h.service.scanAndAlert();
    const named = await h.service.acknowledge(ec2High.id, { platform: 'slack', id: 'U0DAN', name: 'dan' });
    expect(named.message?.footnote).toBe('Acknowledged by dan');
    const bare = await h.service.acknowledge(paymentsMedium.id, { platform: 'teams', id: 'aad-erin' });
    expect(bare.message?.footnote).toBe('Acknowledged by teams:aad-erin');
  });

  it('answers an unknown alert with no message to update', async () => {
    const h = harness();
    const outcome = await h.service.acknowledge('nope', { platform: 'slack', id: 'U0ALICE' });
    expect(outcome.message).toBeUndefined();
    expect(outcome.reply.visibility).toBe('ephemeral');
  });
});

describe('AlertService.investigate', () => {
  it('compares the day with the same weekday a week before, by what the anomaly is made of', async () => {
    const h = harness();
    const oddService = testAnomaly({ key: 'Cloud "Run"', label: 'Cloud Run', severity: 'high' });
    h.detected.push(ec2High, paymentsMedium, totalCritical, oddService);
    await h.service.scanAndAlert();
    const commands = await Promise.all(
      [ec2High, paymentsMedium, totalCritical, oddService].map((a) => h.service.investigate(a.id)),
    );
    expect(commands).toEqual([
      { command: 'compare 2026-05-14 vs 2026-05-07 by account for service "Amazon EC2"' },
      { command: 'compare 2026-05-14 vs 2026-05-07 by service for account "111122223333"' },
      { command: 'compare 2026-05-14 vs 2026-05-07 by service' },
      { command: `compare 2026-05-14 vs 2026-05-07 by account for service 'Cloud "Run"'` },
    ]);
    const parsed = commands.map((c) => ('command' in c ? parseCommand(c.command) : null));
    expect(parsed[0]).toMatchObject({
      ok: true,
      command: {
        kind: 'compare',
        current: { kind: 'range', from: '2026-05-14', to: '2026-05-14' },
        previous: { kind: 'range', from: '2026-05-07', to: '2026-05-07' },
        groupBy: { kind: 'account' },
        filter: { services: ['Amazon EC2'] },
      },
    });
    expect(parsed[1]).toMatchObject({ ok: true, command: { filter: { subAccountIds: ['111122223333'] } } });
    expect(parsed[3]).toMatchObject({ ok: true, command: { filter: { services: ['Cloud "Run"'] } } });
  });

  it('answers an unknown alert with a reply', async () => {
    const outcome = await harness().service.investigate('nope');
    expect(outcome).toMatchObject({ reply: { visibility: 'ephemeral' } });
  });
});
