import type { AlertRecord, AlertRepository } from '../anomalies/alert.types.js';
import { seriesKeyOf } from '../anomalies/alert.types.js';
import type {
  AlertAckOutcome,
  AlertInteractions,
  AlertInvestigation,
  AlertMessages,
  AlertMuteOutcome,
  AlertUser,
} from '../anomalies/alert-interactions.types.js';
import type { Anomaly } from '../anomalies/anomaly.types.js';
import { investigateCommand } from '../anomalies/investigate-command.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import { displayName, personOf } from '../approvals/approvers.js';
import type { Clock } from '../shared/clock.js';
import { addDays, type Day, dayOf } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.port.js';
import type { ChartSpec } from '../shared/reply.types.js';
import { type AlertTarget, alertTargets } from './alert-routing.js';
import { deliveryId } from './delivery-id.js';
import type { Delivery, NotifyQueue } from './notification.types.js';
import type { NotificationPolicy } from './notification-policy.types.js';

/** The ports {@link AlertService} uses, and nothing else (docs/architecture.md#wiring). */
export interface AlertServiceDeps {
  /** The anomalies found in a range of complete UTC days (both inclusive), e.g. the anomaly scan's detector. */
  anomalies: (range: { from: Day; to: Day }) => Promise<Anomaly[]>;
  /** The series' recent daily trend for the alert's chart; undefined when there is none. */
  trend: (anomaly: Anomaly) => Promise<ChartSpec | undefined>;
  repo: AlertRepository;
  notify: NotifyQueue;
  /** How alerts and the answers to their buttons read (the chat layer's `alertMessages`). */
  messages: AlertMessages;
  /** Routes and on-call people (`notifications:` of the policy file). */
  policy: NotificationPolicy;
  /** The people of the policy: the on-call's email and phone, and names for "Acknowledged by". */
  people: ApprovalPolicy;
  clock: Clock;
  logger: Logger;
}

/** What {@link AlertService.scanAndAlert} did. */
export interface ScanOutcome {
  /** Anomalies the detector found in the range. */
  found: number;
  /** Anomalies alerted by this scan. */
  alerted: number;
  skipped: {
    /** Their series is muted. */
    muted: number;
    /** Alerted before (by an earlier or a concurrent scan). */
    seen: number;
    /** No route takes them and nobody is on call for them. */
    unrouted: number;
  };
}

/** Options of {@link AlertService.scanAndAlert}. */
export interface ScanOptions {
  /**
   * How many complete UTC days to look at, ending yesterday. Re-scanning days is safe: an anomaly is alerted once.
   * @defaultValue 3
   */
  days?: number;
}

type AlertResult = 'alerted' | keyof ScanOutcome['skipped'];

const DAY_MS = 86_400_000;
/** The longest mute a click may ask for. */
const MAX_MUTE_DAYS = 365;

/**
 * Anomaly alerts (issue 6): posts each new anomaly to the chat channels its routes name, pages the on-call people by
 * email and SMS for critical ones, and answers the alert's buttons (Acknowledge, Investigate, Mute 7 days).
 *
 * Never twice: an alert is claimed in the repository (an atomic, first-time insert per anomaly id) before any of its
 * deliveries is enqueued, so of any number of scans, concurrent or not, one enqueues. Delivery ids are derived from
 * the anomaly, channel and recipient, and the notify queue delivers an id once. The trade-off is at-most-once:
 * should the process die between the claim and the enqueues, that alert is lost (its record lists the delivery ids
 * it meant to send, and enqueueing those again is safe). A failed enqueue (Redis away) is not a loss: the claim is
 * released and the error thrown, so the scan job's retry alerts it, and the deliveries already enqueued are not
 * sent again because their ids are the same.
 */
export class AlertService implements AlertInteractions {
  constructor(private readonly deps: AlertServiceDeps) {}

  /**
   * Alerts the anomalies of the last `days` complete days that are not muted, routed somewhere and not alerted yet.
   * @throws TallyError `USAGE` when `days` is not a positive integer; whatever the detector, the store or the queue
   * throws (the claim of an alert that could not be enqueued is released first).
   */
  async scanAndAlert(options: ScanOptions = {}): Promise<ScanOutcome> {
    const days = options.days ?? 3;
    if (!Number.isInteger(days) || days < 1)
      throw new TallyError('USAGE', `days must be a positive integer, got ${days}.`);
    const now = this.deps.clock.now();
    const today = dayOf(now);
    const found = await this.deps.anomalies({ from: addDays(today, -days), to: addDays(today, -1) });
    const outcome: ScanOutcome = { found: found.length, alerted: 0, skipped: { muted: 0, seen: 0, unrouted: 0 } };
    for (const anomaly of found) {
      const result = await this.alertOne(anomaly, now);
      if (result === 'alerted') outcome.alerted++;
      else outcome.skipped[result]++;
    }
    this.deps.logger.info({ ...outcome, days }, 'anomaly alerts scanned');
    return outcome;
  }

  private async alertOne(anomaly: Anomaly, now: Date): Promise<AlertResult> {
    const seriesKey = seriesKeyOf(anomaly);
    if (await this.deps.repo.mutedUntil(seriesKey, now)) return 'muted';
    const targets = alertTargets(anomaly, this.deps.policy, this.deps.people);
    if (targets.length === 0) return 'unrouted';
    // A cheap look first, so that the chart is not drawn again for every anomaly a scan sees again.
    if (await this.deps.repo.get(anomaly.id)) return 'seen';
    const deliveries = this.deliveries(anomaly, targets, await this.chartOf(anomaly));
    const record: AlertRecord = {
      anomalyId: anomaly.id,
      seriesKey,
      day: anomaly.day,
      severity: anomaly.severity,
      sentAt: now.toISOString(),
      deliveries: deliveries.map((d) => d.id),
      anomaly,
    };
    if (!(await this.deps.repo.claim(record))) return 'seen';
    try {
      await Promise.all(deliveries.map((d) => this.deps.notify.enqueue(d)));
    } catch (err) {
      await this.deps.repo.release(anomaly.id).catch((e: unknown) => {
        this.deps.logger.error({ err: e, anomalyId: anomaly.id }, 'could not release an alert claim');
      });
      throw err;
    }
    this.deps.logger.info(
      { anomalyId: anomaly.id, severity: anomaly.severity, deliveries: record.deliveries.length },
      'anomaly alerted',
    );
    return 'alerted';
  }

  private async chartOf(anomaly: Anomaly): Promise<ChartSpec | undefined> {
    try {
      return await this.deps.trend(anomaly);
    } catch (err) {
      // An alert without its chart is better than no alert.
      this.deps.logger.warn({ err, anomalyId: anomaly.id }, 'alert chart failed; alerting without it');
      return undefined;
    }
  }

  private deliveries(anomaly: Anomaly, targets: AlertTarget[], chart: ChartSpec | undefined): Delivery[] {
    const event = `anomaly-${anomaly.id}`;
    const options = chart ? { chart } : {};
    const chat = this.deps.messages.alert(anomaly, options);
    const page = targets.some((t) => t.channel !== 'chat') ? this.deps.messages.page(anomaly, options) : chat;
    return targets.map(({ channel, to }) => ({
      id: deliveryId(event, channel, to),
      event,
      channel,
      to,
      reply: channel === 'chat' ? chat : page,
      ...(channel === 'email' ? { subject: page.title } : {}),
    }));
  }

  /** Acknowledges an alert; the first acknowledger wins, later clicks are told who did. */
  async acknowledge(anomalyId: string, user: AlertUser): Promise<AlertAckOutcome> {
    const by = this.nameOf(user);
    const at = this.deps.clock.now().toISOString();
    const record = await this.deps.repo.acknowledge(anomalyId, by, at);
    const { messages } = this.deps;
    if (!record) return { reply: messages.unknown(anomalyId) };
    const acknowledgedBy = record.acknowledgedBy ?? by;
    const first = record.acknowledgedAt === at && acknowledgedBy === by;
    const ack = { by: acknowledgedBy, first, ...(record.acknowledgedAt ? { at: record.acknowledgedAt } : {}) };
    return {
      reply: messages.acknowledged(record.anomaly, ack),
      message: messages.alert(record.anomaly, { acknowledgedBy }),
    };
  }

  /**
   * Mutes the alert's series: no alert for it until `days` days from now.
   * @throws TallyError `USAGE` when `days` is not an integer from 1 to 365.
   */
  async mute(anomalyId: string, user: AlertUser, days = 7): Promise<AlertMuteOutcome> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_MUTE_DAYS)
      throw new TallyError('USAGE', `A mute lasts 1 to ${MAX_MUTE_DAYS} days, got ${days}.`);
    const record = await this.deps.repo.get(anomalyId);
    if (!record) return { reply: this.deps.messages.unknown(anomalyId) };
    const now = this.deps.clock.now();
    const by = this.nameOf(user);
    const until = new Date(now.getTime() + days * DAY_MS).toISOString();
    await this.deps.repo.mute({ seriesKey: record.seriesKey, until, by, at: now.toISOString() });
    return this.deps.messages.muted(record.anomaly, { by, until, days });
  }

  /** The command that explains the anomaly (see {@link investigateCommand}), or why there is none. */
  async investigate(anomalyId: string): Promise<AlertInvestigation> {
    const record = await this.deps.repo.get(anomalyId);
    return record ? { command: investigateCommand(record.anomaly) } : { reply: this.deps.messages.unknown(anomalyId) };
  }

  /** A clicker's name: the policy's name for a known person, else the platform's name, else the platform id. */
  private nameOf(user: AlertUser): string {
    const person = personOf(this.deps.people, user);
    if (this.deps.people.people.some((p) => p.key === person)) return displayName(this.deps.people, person);
    return user.name ?? person;
  }
}
