import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsCostExplorerSource } from '../../adapters/aws/aws-cost-explorer.source.js';
import { createAzureCredential } from '../../adapters/azure/azure-clients.js';
import { AzureCostSource } from '../../adapters/azure/azure-cost.source.js';
import { renderEmail } from '../../adapters/email/render-html.js';
import { createSmtpEmailSender } from '../../adapters/email/smtp-email.sender.js';
import { BigQueryBillingSource } from '../../adapters/gcp/bigquery-billing.source.js';
import { GcpBillingProjects } from '../../adapters/gcp/gcp-billing-projects.js';
import { createBigQueryClient, createCloudBillingClient } from '../../adapters/gcp/gcp-clients.js';
import { BullmqDigestScheduler } from '../../adapters/queue/bullmq-digest.scheduler.js';
import { BullmqNotifyQueue } from '../../adapters/queue/bullmq-notify.queue.js';
import { installSchedules } from '../../adapters/queue/bullmq-schedules.js';
import { createTwilioSmsSender } from '../../adapters/sms/twilio-sms.sender.js';
import { anomalyScanProcessor } from '../../jobs/processors/anomaly-scan.processor.js';
import { budgetCheckProcessor } from '../../jobs/processors/budget-check.processor.js';
import { digestProcessor } from '../../jobs/processors/digest.processor.js';
import { notifyProcessor } from '../../jobs/processors/notify.processor.js';
import { syncProcessor } from '../../jobs/processors/sync.processor.js';
import { QUEUES, RETRIES } from '../../jobs/queues.js';
import { startWorkers, type Workers } from '../../jobs/worker-registry.js';
import type { AlertRepository } from '../anomalies/alert.types.js';
import type { AnomalyScanService } from '../anomalies/anomaly-scan.service.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import type { BudgetService } from '../budgets/budget.service.js';
import type { BudgetRepository } from '../budgets/budget.types.js';
import type { Config } from '../config/env.js';
import type { Policy } from '../config/policy.js';
import { focusSourceList } from '../config/source-policy.schema.js';
import { alertMessages } from '../conversation/replies/alert.reply.js';
import { budgetAlertMessages } from '../conversation/replies/budget-alert.reply.js';
import type { ViewerScopes } from '../conversation/viewer-scope.js';
import type { CostQueryService } from '../costs/cost-query.service.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { CostSource } from '../costs/cost-source.port.js';
import type { ImportService } from '../costs/import.service.js';
import type { ImportRunRepository } from '../costs/import-run.types.js';
import { SyncService } from '../costs/sync.service.js';
import { AlertService } from '../notifications/alert.service.js';
import { alertTrend } from '../notifications/alert-trend.js';
import { BudgetAlertService } from '../notifications/budget-alert.service.js';
import { DeliveryService } from '../notifications/delivery.service.js';
import type { DeliveryLog } from '../notifications/notification.types.js';
import type { DigestService } from '../reports/digest.service.js';
import type { DigestSubscriptionRepository } from '../reports/digest.types.js';
import { digestDelivery } from '../reports/digest-delivery.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.port.js';
import { focusImporter } from './object-sources.js';

/** The budget check's daily job scheduler (upserted at every start, so idempotent). */
const BUDGET_CHECK_DAILY = 'budget-check-daily';

export interface ScheduledWorkOptions {
  stores: {
    costs: CostRepository;
    runs: ImportRunRepository;
    alerts: AlertRepository;
    digestSubscriptions: DigestSubscriptionRepository;
    deliveries: DeliveryLog;
    budgets: BudgetRepository;
  };
  policy: Policy;
  /** Who sees what: a digest shows what its channel and its subscriber may see. */
  scopes: ViewerScopes;
  costs: CostQueryService;
  scan: AnomalyScanService;
  digests: DigestService;
  /** Every budget and their statuses, for the budget checks (docs/budgets.md#alerts). */
  budgets: BudgetService;
  /** Re-imports `TALLY_FOCUS_FILE` (a file or a folder of exports) on the sync schedule. */
  importer: ImportService;
  clock: Clock;
  logger: Logger;
  queueConnection: Redis;
  messengers: ChatMessenger[];
}

/**
 * Syncs, anomaly scans and alerts, digests and notifications (docs/architecture.md#job-queues), wired for one process
 * with Redis.
 */
export interface ScheduledWork {
  alerts: AlertService;
  /** Budget alerts: thresholds checked after syncs and daily. */
  budgetAlerts: BudgetAlertService;
  digestScheduler: BullmqDigestScheduler;
  /** Installs the schedules and starts the sync, anomaly-scan, digest and notify workers. */
  startWorkers(options: { rescheduleDigests: () => Promise<number> }): Promise<Workers>;
  close(): Promise<void>;
}

/** The cloud billing APIs configured: AWS Cost Explorer, Azure Cost Management, Google's BigQuery export. */
export function createCostSources(config: Config, clock: Clock): CostSource[] {
  const sources: CostSource[] = [];
  if (config.aws.enabled) {
    sources.push(new AwsCostExplorerSource(createAwsClients(config.aws), { clock, tagKeys: config.aws.tagKeys }));
  }
  if (config.azure.enabled) {
    const credential = createAzureCredential(config.azure);
    sources.push(
      new AzureCostSource(config.azure, credential, {
        tagKeys: config.azure.tagKeys,
        resources: config.azure.resources,
      }),
    );
  }
  if (config.google.enabled && config.google.billingExportTable) {
    const { billingAccountId } = config.google;
    const projects = billingAccountId
      ? new GcpBillingProjects(createCloudBillingClient(config.google), billingAccountId)
      : undefined;
    sources.push(
      new BigQueryBillingSource(createBigQueryClient(config.google), config.google.billingExportTable, {
        clock,
        ...(projects ? { projects } : {}),
      }),
    );
  }
  return sources;
}

export function createScheduledWork(config: Config, options: ScheduledWorkOptions): ScheduledWork {
  const { stores, policy, clock, logger, queueConnection: connection } = options;
  const prefix = config.queues.prefix;
  const notifyQueue = new BullmqNotifyQueue(connection, prefix);
  const digestScheduler = new BullmqDigestScheduler(connection, prefix);
  const email = config.email.enabled
    ? createSmtpEmailSender({ smtpUrl: config.email.smtpUrl ?? '', from: config.email.from ?? '' })
    : null;
  const sms =
    config.sms.enabled && config.sms.accountSid && config.sms.authToken && config.sms.from
      ? createTwilioSmsSender({
          accountSid: config.sms.accountSid,
          authToken: config.sms.authToken,
          from: config.sms.from,
          ...(config.sms.apiUrl ? { apiBaseUrl: config.sms.apiUrl } : {}),
        })
      : null;
  const deliveries = new DeliveryService({
    messengers: options.messengers,
    email,
    sms,
    renderEmail,
    log: stores.deliveries,
    clock,
    logger,
  });
  const alerts = new AlertService({
    messages: alertMessages,
    anomalies: (range) => options.scan.scan(range),
    trend: alertTrend(options.costs),
    repo: stores.alerts,
    notify: notifyQueue,
    policy: policy.notifications,
    people: policy.approvals,
    clock,
    logger,
  });
  const budgetAlerts = new BudgetAlertService({
    budgets: options.budgets,
    repo: stores.budgets,
    notify: notifyQueue,
    messages: budgetAlertMessages,
    people: policy.approvals,
    clock,
    logger,
  });
  const sources = createCostSources(config, clock);
  // TALLY_FOCUS_FILE's sources and the policy file's `sources:`, imported by the scheduled import job.
  const focusSources = focusSourceList(config.focusFile, policy.sources);
  const sync = new SyncService({
    sources,
    costs: stores.costs,
    runs: stores.runs,
    clock,
    logger,
    resyncDays: config.schedules.resyncDays,
    historyDays: config.schedules.historyDays,
  });
  const syncQueue = new Queue(QUEUES.sync, {
    connection,
    prefix,
    defaultJobOptions: {
      ...RETRIES.sync,
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
  const scanQueue = new Queue(QUEUES.anomalyScan, {
    connection,
    prefix,
    defaultJobOptions: {
      ...RETRIES.anomalyScan,
      removeOnComplete: { count: 100 },
    },
  });
  const budgetQueue = new Queue(QUEUES.budgetCheck, {
    connection,
    prefix,
    defaultJobOptions: { ...RETRIES.budgetCheck, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  const deliverDigest = digestDelivery(notifyQueue);
  return {
    alerts,
    budgetAlerts,
    digestScheduler,
    async startWorkers({ rescheduleDigests }) {
      await installSchedules({
        syncQueue,
        scanQueue,
        syncCron: config.schedules.syncCron,
        scanCron: config.schedules.scanCron,
        syncing: sources.length > 0 || focusSources !== undefined,
      });
      // Budgets are checked daily at the anomaly scan's time, and after syncs (docs/budgets.md#alerts).
      await budgetQueue.upsertJobScheduler(
        BUDGET_CHECK_DAILY,
        { pattern: config.schedules.scanCron, tz: 'UTC' },
        { name: 'check', data: {}, opts: RETRIES.schedule },
      );
      await rescheduleDigests();
      return startWorkers({
        connection,
        prefix,
        queues: [QUEUES.sync, QUEUES.anomalyScan, QUEUES.budgetCheck, QUEUES.digest, QUEUES.notify],
        processors: {
          [QUEUES.sync]: syncProcessor({
            sync,
            syncQueue,
            scanQueue,
            budgetQueue,
            ...(focusSources
              ? { focus: { path: focusSources, importer: focusImporter(config, options.importer, stores.costs) } }
              : {}),
          }),
          [QUEUES.anomalyScan]: anomalyScanProcessor(alerts),
          [QUEUES.budgetCheck]: budgetCheckProcessor(budgetAlerts),
          [QUEUES.digest]: digestProcessor({
            subscriptions: stores.digestSubscriptions,
            digests: options.digests,
            scopeOf: (s) =>
              options.scopes.of(
                { id: s.createdBy },
                { platform: s.platform, ...(s.channel ? { channel: s.channel } : {}) },
              ),
            scheduler: digestScheduler,
            deliver: deliverDigest,
          }),
          [QUEUES.notify]: notifyProcessor(deliveries),
        },
        lockDurationMs: config.queues.lockSeconds * 1000,
        concurrency: {
          [QUEUES.sync]: 2,
          [QUEUES.anomalyScan]: 1,
          [QUEUES.budgetCheck]: 1,
          [QUEUES.digest]: 4,
          [QUEUES.notify]: 8,
        },
        logger,
      });
    },
    async close() {
      await Promise.all([
        notifyQueue.close(),
        digestScheduler.close(),
        syncQueue.close(),
        scanQueue.close(),
        budgetQueue.close(),
      ]);
      await email?.close();
    },
  };
}
