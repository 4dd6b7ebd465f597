import { readFile } from 'node:fs/promises';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { Redis } from 'ioredis';
import { FocusCsvReader } from '../../adapters/focus-file/focus-csv.reader.js';
import { MemoryAlertRepository } from '../../adapters/memory/memory-alert.repository.js';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { MemoryCostRepository } from '../../adapters/memory/memory-cost.repository.js';
import { MemoryDeliveryLog } from '../../adapters/memory/memory-delivery.log.js';
import { MemoryDigestSubscriptionRepository } from '../../adapters/memory/memory-digest-subscription.repository.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { FastPathService } from '../agent/fast-path.service.js';
import type { AlertRepository } from '../anomalies/alert.types.js';
import { AnomalyScanService } from '../anomalies/anomaly-scan.service.js';
import type { ApprovalRepository } from '../approvals/approval-repository.port.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import { SavingsService } from '../approvals/savings.service.js';
import type { AuditLog } from '../audit/audit.types.js';
import { CommandService } from '../commands/command.service.js';
import type { Config } from '../config/env.js';
import { redactUrlCredentials } from '../config/env.js';
import { EMPTY_POLICY, parsePolicy } from '../config/policy.js';
import type { ConversationRefStore } from '../conversation/conversation-ref.port.js';
import { TurnHandler } from '../conversation/handle-turn.service.js';
import { CostQueryService } from '../costs/cost-query.service.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import { ForecastService } from '../costs/forecast.service.js';
import { ImportService } from '../costs/import.service.js';
import type { ImportRun, ImportRunRepository } from '../costs/import-run.types.js';
import { RollupBuilder } from '../costs/rollup-builder.js';
import { generateSample } from '../costs/sample/sample-data.js';
import type { DeliveryLog } from '../notifications/notification.types.js';
import { DigestService } from '../reports/digest.service.js';
import type { DigestSubscriptionRepository } from '../reports/digest.types.js';
import { DigestSubscriptionService } from '../reports/digest-subscription.service.js';
import type { Clock } from '../shared/clock.js';
import { addDays, dayOf } from '../shared/day.js';
import type { Logger } from '../shared/logger.port.js';
import { type ApprovalRuntime, createApprovalRuntime } from './approvals.js';
import type { ScheduledWork } from './scheduled-work.js';

/** The source name of the built-in sample dataset in the store. */
export const SAMPLE_SOURCE = 'sample';

export interface Stores {
  costs: CostRepository;
  runs: ImportRunRepository;
  approvals: ApprovalRepository;
  audit: AuditLog;
  alerts: AlertRepository;
  digestSubscriptions: DigestSubscriptionRepository;
  deliveries: DeliveryLog;
  conversationRefs: ConversationRefStore;
  description: string;
  close(): Promise<void>;
}

export interface AppDeps {
  stores: Stores;
  importer: ImportService;
  costs: CostQueryService;
  turns: TurnHandler;
  /** The import done at start (`--focus` / `TALLY_FOCUS_FILE`), if any. */
  initialImport: ImportRun | null;
  approvals: ApprovalRuntime;
  /** Syncs, scans, alerts, digests and notifications; null without Redis. */
  scheduled: ScheduledWork | null;
  /** Starts every job worker of this process (needs Redis). */
  startWorkers(): Promise<Workers>;
  close(): Promise<void>;
}

/** MongoDB when `MONGODB_URI` is set, else the in-process store. */
export async function createStores(config: Config): Promise<Stores> {
  if (!config.mongo.uri) {
    return {
      costs: new MemoryCostRepository(),
      runs: new MemoryImportRunRepository(),
      approvals: new MemoryApprovalRepository(),
      audit: new MemoryAuditLog(),
      alerts: new MemoryAlertRepository(),
      digestSubscriptions: new MemoryDigestSubscriptionRepository(),
      deliveries: new MemoryDeliveryLog(),
      conversationRefs: new MemoryConversationRefStore(),
      description: 'in-process (nothing is kept after exit)',
      close: async () => {},
    };
  }
  // Loaded only when used: mongoose adds a fifth of a second to every start of the CLI.
  const { createMongoConnection } = await import('../../adapters/mongo/mongo-connection.js');
  const { MongoCostRepository } = await import('../../adapters/mongo/mongo-cost.repository.js');
  const { MongoImportRunRepository } = await import('../../adapters/mongo/mongo-import-run.repository.js');
  const { MongoApprovalRepository } = await import('../../adapters/mongo/mongo-approval.repository.js');
  const { MongoAuditLog } = await import('../../adapters/mongo/mongo-audit.log.js');
  const conn = await createMongoConnection({ uri: config.mongo.uri });
  const { MongoAlertRepository } = await import('../../adapters/mongo/mongo-alert.repository.js');
  const { MongoDigestSubscriptionRepository } = await import(
    '../../adapters/mongo/mongo-digest-subscription.repository.js'
  );
  const { MongoDeliveryLog } = await import('../../adapters/mongo/mongo-delivery.log.js');
  const { MongoConversationRefStore } = await import('../../adapters/mongo/mongo-conversation-ref.store.js');
  const [costs, runs, approvals, audit, alerts, digestSubscriptions, deliveries, conversationRefs] = await Promise.all([
    MongoCostRepository.create(conn),
    MongoImportRunRepository.create(conn),
    MongoApprovalRepository.create(conn),
    MongoAuditLog.create(conn),
    MongoAlertRepository.create(conn),
    MongoDigestSubscriptionRepository.create(conn),
    MongoDeliveryLog.create(conn),
    MongoConversationRefStore.create(conn),
  ]);
  return {
    alerts,
    digestSubscriptions,
    deliveries,
    conversationRefs,
    costs,
    runs,
    approvals,
    audit,
    description: `MongoDB ${redactUrlCredentials(config.mongo.uri)}`,
    close: () => conn.close(),
  };
}

/**
 * The one wiring point (STYLE rule 8). Data at start: the FOCUS export given by `--focus` or `TALLY_FOCUS_FILE` is
 * imported into the store; with neither and the in-process store, the built-in sample dataset is loaded.
 */
export async function createDeps(
  config: Config,
  options: {
    focusPath?: string;
    clock: Clock;
    logger: Logger;
    /** BullMQ's Redis connection; without it approvals answer that they need Redis. */
    queueConnection?: Redis | null;
    /** Chat platforms for proactive messages (approvals, alerts, digests); a function when they need the stores. */
    messengers?: ChatMessenger[] | ((stores: Stores) => ChatMessenger[]);
  },
): Promise<AppDeps> {
  const stores = await createStores(config);
  const importer = new ImportService({
    reader: new FocusCsvReader(),
    costs: stores.costs,
    runs: stores.runs,
    clock: options.clock,
  });
  const focusPath = options.focusPath ?? config.focusFile;
  let initialImport: ImportRun | null = null;
  const notes: string[] = [];
  try {
    if (focusPath) initialImport = await importer.importPath(focusPath);
    else if (!config.mongo.uri) {
      await loadSample(stores.costs, dayOf(options.clock.now()));
      notes.push('Answers use the built-in sample dataset (`tally sample` writes it as a FOCUS file).');
    }
  } catch (err) {
    await stores.close();
    throw err;
  }
  const policy = config.policyFile ? parsePolicy(await readFile(config.policyFile, 'utf8')) : EMPTY_POLICY;
  const messengers = typeof options.messengers === 'function' ? options.messengers(stores) : (options.messengers ?? []);
  const costs = new CostQueryService(stores.costs);
  const forecast = new ForecastService(costs);
  const scan = new AnomalyScanService(stores.costs, { detector: policy.notifications.anomalies });
  // Free text: the agent when a model is configured, with the deterministic fast path as its fallback.
  const fastPath = new FastPathService(serviceNamesOf(stores.costs));
  const agent = config.llm.enabled ? await createAgent(config, stores, options, fastPath) : null;
  const commands = new CommandService({
    costs,
    forecast,
    clock: options.clock,
    anomalies: (request) => scan.scan(request),
    status: async () => ({
      store: stores.description,
      dataRange: await stores.costs.dataRange(),
      imports: await stores.runs.latest(200),
      notes: [...notes, ...(await deliveryNotes(stores.deliveries))],
    }),
  });
  const digests = new DigestService({
    costs,
    forecast,
    approvals: stores.approvals,
    savings: new SavingsService({ approvals: stores.approvals, costs: stores.costs, clock: options.clock }),
    anomalies: (range) => scan.scan(range),
    clock: options.clock,
  });
  const scheduled = options.queueConnection
    ? (await import('./scheduled-work.js')).createScheduledWork(config, {
        stores,
        policy,
        costs,
        scan,
        digests,
        importer,
        clock: options.clock,
        logger: options.logger,
        queueConnection: options.queueConnection,
        messengers,
      })
    : null;
  const digestSubs = new DigestSubscriptionService({
    repo: stores.digestSubscriptions,
    scheduler: scheduled?.digestScheduler ?? null,
    digests,
    clock: options.clock,
  });
  const approvals = await createApprovalRuntime(config, {
    stores,
    policy: policy.approvals,
    clock: options.clock,
    logger: options.logger,
    queueConnection: options.queueConnection ?? null,
    messengers,
  });
  return {
    stores,
    importer,
    costs,
    turns: new TurnHandler(
      commands,
      options.logger,
      agent?.service.handle ?? fastPath.handle,
      (location) => (location.channel ? policy.channels.get(location.channel) : undefined),
      approvals.commands,
      (command, turn, scope) =>
        digestSubs.run(
          command,
          {
            platform: turn.location.platform,
            ...(turn.location.channel ? { channel: turn.location.channel } : {}),
            user: turn.user.id,
          },
          scope,
        ),
    ),
    initialImport,
    approvals,
    scheduled,
    startWorkers: async () => {
      const approvalWorkers = await approvals.startWorkers();
      const scheduledWorkers = await scheduled?.startWorkers({ rescheduleDigests: () => digestSubs.reschedule() });
      return {
        close: async () => {
          await approvalWorkers.close();
          await scheduledWorkers?.close();
        },
      };
    },
    close: async () => {
      await agent?.close();
      await approvals.close();
      await scheduled?.close();
      await stores.close();
    },
  };
}

/** Deliveries that failed recently, for `/cost status` (failures are recorded and visible: issue 6). */
async function deliveryNotes(log: DeliveryLog): Promise<string[]> {
  const failed = await log.latest({ limit: 5, status: 'failed' });
  return failed.map(
    (f) => `Delivery failed: ${f.channel} to ${f.to} (${f.event}) at ${f.at.slice(0, 16)}: ${f.error ?? ''}`,
  );
}

/** Puts the sample dataset (13 months ending yesterday) into a store under the source `sample`. */
export async function loadSample(repo: CostRepository, today: string): Promise<void> {
  const sample = generateSample({ endDay: addDays(today, -1) });
  const builder = new RollupBuilder(SAMPLE_SOURCE);
  for (const r of sample.records) builder.add(r);
  const range = builder.range();
  if (range) await repo.replaceRollups(SAMPLE_SOURCE, range, builder.rollups());
}

/** The service names in the data (for recognising "EC2" in a question), read once per minute at most. */
function serviceNamesOf(repo: CostRepository): () => Promise<string[]> {
  let cached: { at: number; names: Promise<string[]> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      const names = repo
        .dataRange()
        .then((range) =>
          range ? repo.aggregate({ ...range, groupBy: [{ kind: 'service' }], metrics: ['effective'] }) : [],
        )
        .then((rows) => [...new Set(rows.map((r) => r.keys[0] ?? ''))].filter(Boolean));
      cached = { at: Date.now(), names };
    }
    return cached.names;
  };
}

/** The LangGraph agent on the configured OpenAI-compatible model; memory in MongoDB when it is configured. */
async function createAgent(
  config: Config,
  stores: Stores,
  options: { clock: Clock; logger: Logger },
  fastPath: FastPathService,
) {
  const { createOpenAiChatModel } = await import('../../adapters/llm/openai-chat.model.js');
  const { AgentService } = await import('../agent/agent.service.js');
  let checkpointer: BaseCheckpointSaver;
  let close = async () => {};
  if (config.mongo.uri) {
    const { createMongoCheckpointer } = await import('../../adapters/mongo/mongo-checkpointer.js');
    const mongo = await createMongoCheckpointer(config.mongo.uri);
    checkpointer = mongo.saver;
    close = mongo.close;
  } else {
    const { MemorySaver } = await import('@langchain/langgraph');
    checkpointer = new MemorySaver();
  }
  const model = createOpenAiChatModel({
    model: config.llm.model,
    ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}),
    ...(config.llm.baseUrl ? { baseUrl: config.llm.baseUrl } : {}),
  });
  const service = new AgentService({
    model,
    checkpointer,
    dataRange: () => stores.costs.dataRange(),
    clock: options.clock,
    logger: options.logger,
    fallback: fastPath.handle,
  });
  return { service, close };
}
