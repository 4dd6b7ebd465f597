import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { Redis } from 'ioredis';
import { hasCostData, removeOldSamples, sampleDataDir } from '../../adapters/duckdb/cost-data-layout.js';
import { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import { DuckDbEngine, spillDir } from '../../adapters/duckdb/duckdb-engine.js';
import { exportChanged, FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryAlertRepository } from '../../adapters/memory/memory-alert.repository.js';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import { MemoryBudgetRepository } from '../../adapters/memory/memory-budget.repository.js';
import { MemoryBudgetChangeRepository } from '../../adapters/memory/memory-budget-change.repository.js';
import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { MemoryDeliveryLog } from '../../adapters/memory/memory-delivery.log.js';
import { MemoryDigestSubscriptionRepository } from '../../adapters/memory/memory-digest-subscription.repository.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { MemoryRecommendationDismissalRepository } from '../../adapters/memory/memory-recommendation-dismissal.repository.js';
import { FileObjectSyncLog } from '../../adapters/object-storage/object-sync-file.log.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { FastPathService } from '../agent/fast-path.service.js';
import { vocabularyOf } from '../agent/understand/vocabulary.js';
import type { AlertRepository } from '../anomalies/alert.types.js';
import { AnomalyScanService } from '../anomalies/anomaly-scan.service.js';
import type { ApprovalRepository } from '../approvals/approval-repository.port.js';
import { personOf } from '../approvals/approvers.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import { SavingsService } from '../approvals/savings.service.js';
import type { AuditLog } from '../audit/audit.types.js';
import { BudgetService } from '../budgets/budget.service.js';
import type { BudgetRepository } from '../budgets/budget.types.js';
import type { BudgetChangeRepository } from '../budgets/budget-change-repository.port.js';
import { budgetEditors } from '../budgets/budget-editors.js';
import type { Config } from '../config/env.js';
import { redactUrlCredentials } from '../config/env.js';
import { EMPTY_POLICY, readPolicyFile } from '../config/policy.js';
import { focusSourceList, sourceLabels } from '../config/source-policy.schema.js';
import type { ConversationRefStore } from '../conversation/conversation-ref.port.js';
import { TurnHandler } from '../conversation/handle-turn.service.js';
import { AccessCommandService } from '../conversation/run-access-command.js';
import { BudgetCommandService } from '../conversation/run-budget-command.js';
import { CommandService } from '../conversation/run-command.js';
import { QueryRunner } from '../conversation/run-query.js';
import { statusFacts } from '../conversation/status-facts.js';
import { ViewerScopes } from '../conversation/viewer-scope.js';
import { CostQueryService } from '../costs/cost-query.service.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import { ForecastService } from '../costs/forecast.service.js';
import { ImportService } from '../costs/import.service.js';
import type { ImportRun, ImportRunRepository } from '../costs/import-run.types.js';
import { loadSample } from '../costs/sample/load-sample.js';
import type { DeliveryLog } from '../notifications/notification.types.js';
import type { RecommendationDismissalRepository } from '../recommendations/recommendation-dismissal.types.js';
import { DigestService } from '../reports/digest.service.js';
import type { DigestSubscriptionRepository } from '../reports/digest.types.js';
import { DigestSubscriptionService } from '../reports/digest-subscription.service.js';
import type { Clock } from '../shared/clock.js';
import { dayOf } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.port.js';
import { type ApprovalRuntime, createApprovalRuntime } from './approvals.js';
import { focusPaths, importEach } from './focus-sources.js';
import { createObjectSourceSync, isObjectStorageUri } from './object-sources.js';
import type { ScheduledWork } from './scheduled-work.js';

export interface Stores {
  costs: CostRepository;
  /** The process's DuckDB (cost queries, Parquet reads). */
  engine: DuckDbEngine;
  /** Where the cost data of this process lives (a temporary folder for `--focus` and the sample). */
  dataDir: string;
  runs: ImportRunRepository;
  approvals: ApprovalRepository;
  audit: AuditLog;
  alerts: AlertRepository;
  digestSubscriptions: DigestSubscriptionRepository;
  budgets: BudgetRepository;
  budgetChanges: BudgetChangeRepository;
  /** Recommendations dismissed or snoozed per conversation. */
  dismissals: RecommendationDismissalRepository;
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
  /**
   * Structured queries as the MCP tools run them (docs/mcp.md): with `as`, a person of the policy's people, in their
   * scope; without, as the operator. Throws `CONFIG_INVALID` when `as` is nobody of the policy.
   */
  queries(as?: string): QueryRunner;
  close(): Promise<void>;
}

/**
 * Cost data in Parquet under `dataDir` (docs/cost-data.md), queried by this process's DuckDB; application state in
 * MongoDB when `MONGODB_URI` is set, else in-process.
 */
export async function createStores(config: Config, options: { dataDir?: string } = {}): Promise<Stores> {
  const dataDir = options.dataDir ?? config.dataDir;
  const engine = await DuckDbEngine.create({
    tempDir: spillDir(dataDir),
    memoryLimit: config.duckdbMemory,
    ...(config.duckdbThreads ? { threads: config.duckdbThreads } : {}),
  });
  const costs = new DuckDbCostRepository(engine, dataDir);
  const closeEngine = async () => {
    engine.close();
    await rm(spillDir(dataDir), { recursive: true, force: true });
  };
  if (!config.mongo.uri) {
    return {
      costs,
      engine,
      dataDir,
      runs: new MemoryImportRunRepository(),
      approvals: new MemoryApprovalRepository(),
      audit: new MemoryAuditLog(),
      alerts: new MemoryAlertRepository(),
      digestSubscriptions: new MemoryDigestSubscriptionRepository(),
      budgets: new MemoryBudgetRepository(),
      budgetChanges: new MemoryBudgetChangeRepository(),
      dismissals: new MemoryRecommendationDismissalRepository(),
      deliveries: new MemoryDeliveryLog(),
      conversationRefs: new MemoryConversationRefStore(),
      description: `cost data in ${dataDir}; application state in-process (nothing is kept after exit)`,
      close: closeEngine,
    };
  }
  // Loaded only when used: mongoose adds a fifth of a second to every start of the CLI.
  const { createMongoConnection } = await import('../../adapters/mongo/mongo-connection.js');
  const { MongoImportRunRepository } = await import('../../adapters/mongo/mongo-import-run.repository.js');
  const { MongoApprovalRepository } = await import('../../adapters/mongo/mongo-approval.repository.js');
  const { MongoAuditLog } = await import('../../adapters/mongo/mongo-audit.log.js');
  const conn = await createMongoConnection({ uri: config.mongo.uri });
  const { MongoAlertRepository } = await import('../../adapters/mongo/mongo-alert.repository.js');
  const { MongoDigestSubscriptionRepository } = await import(
    '../../adapters/mongo/mongo-digest-subscription.repository.js'
  );
  const { MongoDeliveryLog } = await import('../../adapters/mongo/mongo-delivery.log.js');
  const { MongoBudgetRepository } = await import('../../adapters/mongo/mongo-budget.repository.js');
  const { MongoConversationRefStore } = await import('../../adapters/mongo/mongo-conversation-ref.store.js');
  const { MongoBudgetChangeRepository } = await import('../../adapters/mongo/mongo-budget-change.repository.js');
  const { MongoRecommendationDismissalRepository } = await import(
    '../../adapters/mongo/mongo-recommendation-dismissal.repository.js'
  );
  const [runs, approvals, audit, alerts, digestSubscriptions, deliveries, conversationRefs, budgets, budgetChanges] =
    await Promise.all([
      MongoImportRunRepository.create(conn),
      MongoApprovalRepository.create(conn),
      MongoAuditLog.create(conn),
      MongoAlertRepository.create(conn),
      MongoDigestSubscriptionRepository.create(conn),
      MongoDeliveryLog.create(conn),
      MongoConversationRefStore.create(conn),
      MongoBudgetRepository.create(conn),
      MongoBudgetChangeRepository.create(conn),
    ]);
  const dismissals = await MongoRecommendationDismissalRepository.create(conn);
  return {
    alerts,
    dismissals,
    digestSubscriptions,
    budgets,
    budgetChanges,
    deliveries,
    conversationRefs,
    costs,
    engine,
    dataDir,
    runs,
    approvals,
    audit,
    description: `cost data in ${dataDir}; application state in MongoDB ${redactUrlCredentials(config.mongo.uri)}`,
    close: async () => {
      await conn.close();
      await closeEngine();
    },
  };
}

/**
 * The one wiring point. Cost data at start (docs/cost-data.md): with `--focus`, that export alone, imported into a
 * temporary data directory removed at exit; else `TALLY_FOCUS_FILE` is imported into `TALLY_DATA_DIR`; and when the
 * data directory holds no cost data and no export was named, answers come from the built-in sample dataset (kept in
 * its own folder, never mixed with real data).
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
  // A bad or missing policy file stops start-up (exit 2) before anything is opened or imported.
  const policy = config.policyFile ? await readPolicyFile(config.policyFile) : EMPTY_POLICY;
  const today = dayOf(options.clock.now());
  const dataDir = options.focusPath
    ? await mkdtemp(join(tmpdir(), 'tally-focus-'))
    : !focusSourceList(config.focusFile, policy.sources) && !(await hasCostData(config.dataDir))
      ? sampleDataDir(config.dataDir, today)
      : config.dataDir;
  const temporary = options.focusPath ? dataDir : null;
  const opened = await createStores(config, { dataDir });
  const stores: Stores = temporary
    ? {
        ...opened,
        close: async () => {
          await opened.close();
          await rm(temporary, { recursive: true, force: true });
        },
      }
    : opened;
  const importer = new ImportService({
    reader: new FocusExportReader(stores.engine),
    costs: stores.costs,
    runs: stores.runs,
    clock: options.clock,
  });
  const focusPath = options.focusPath ?? focusSourceList(config.focusFile, policy.sources);
  let initialImport: ImportRun | null = null;
  const notes: string[] = [];
  try {
    const paths = focusPath ? focusPaths(focusPath) : [];
    // TALLY_FOCUS_FILE is imported again only when a file of it changed since its last import (the scheduled import
    // job keeps it fresh); `--focus` is always read, into its temporary folder. Each source of a list is imported on
    // its own: one that fails is noted and the others go on (a single source that fails stops start-up, as before).
    const importOne = async (path: string) => {
      if (isObjectStorageUri(path)) {
        // A prefix in object storage is synced: only new or changed objects are read.
        const report = await (await createObjectSourceSync(config, importer, stores.costs, dataDir)).sync(path);
        for (const f of report.failed) notes.push(`Could not read ${f.source}: ${f.error}`);
        return;
      }
      const imported = (await stores.costs.sources()).find((s) => s.name === `focus:${path}`);
      if (options.focusPath || (await exportChanged(path, imported))) initialImport = await importer.importPath(path);
    };
    if (paths.length === 1) await importOne(paths[0]!);
    else
      for (const f of (await importEach(paths, importOne)).failed) notes.push(`Could not import ${f.path}: ${f.error}`);
    if (!paths.length && dataDir !== config.dataDir) {
      await removeOldSamples(config.dataDir, today);
      await loadSample(stores.costs, today);
      notes.push('Answers use the built-in sample dataset (`tally sample` writes it as a FOCUS file).');
    }
  } catch (err) {
    await stores.close();
    throw err;
  }
  const messengers = typeof options.messengers === 'function' ? options.messengers(stores) : (options.messengers ?? []);
  const scopes = new ViewerScopes(policy, async (platform, group) => {
    const messenger = messengers.find((m) => m.platform === platform);
    return messenger ? messenger.groupMembers(group) : [];
  });
  const accessCommands = new AccessCommandService(scopes, policy);
  const groupMembers = async (platform: 'slack' | 'teams', group: string) =>
    messengers.find((m) => m.platform === platform)?.groupMembers(group) ?? [];
  const costs = new CostQueryService(stores.costs);
  const forecast = new ForecastService(costs);
  const scan = new AnomalyScanService(stores.costs, { detector: policy.notifications.anomalies });
  const vocabulary = vocabularyOf(stores.costs);
  const fastPath = new FastPathService(vocabulary, options.clock, config.fiscalYearStart);
  // Free text: the agent when a model is configured, with the deterministic fast path as its fallback.
  const agent = config.llm.enabled ? await createAgent(config, stores, options, fastPath) : null;
  const commands = new CommandService({
    costs,
    forecast,
    clock: options.clock,
    names: vocabulary,
    anomalies: (request) => scan.scan(request),
    status: () =>
      statusFacts({ ...stores, notes, syncs: new FileObjectSyncLog(dataDir), labels: sourceLabels(policy.sources) }),
  });
  const budgetService = new BudgetService({
    repo: stores.budgets,
    policyBudgets: policy.budgets.budgets,
    costs,
    forecast,
    store: stores.costs,
    clock: options.clock,
    fiscalYearStart: config.fiscalYearStart,
    tagKeys: () => stores.costs.tagKeys(),
    people: policy.approvals.people.map((p) => p.key),
    mayEdit: budgetEditors(
      { approvals: policy.approvals, admins: policy.budgets.admins ?? policy.access.admins },
      groupMembers,
    ),
  });
  const digests = new DigestService({
    costs,
    forecast,
    budgets: async (scope) => (await budgetService.statuses(await budgetService.list(scope))).map((s) => s.status),
    approvals: stores.approvals,
    savings: new SavingsService({ approvals: stores.approvals, costs: stores.costs, clock: options.clock }),
    anomalies: (range) => scan.scan(range),
    clock: options.clock,
  });
  const scheduled = options.queueConnection
    ? (await import('./scheduled-work.js')).createScheduledWork(config, {
        stores,
        policy,
        scopes,
        costs,
        scan,
        digests,
        budgets: budgetService,
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
    scopes,
    policy: policy.approvals,
    awsRoles: policy.aws.roles,
    clock: options.clock,
    logger: options.logger,
    queueConnection: options.queueConnection ?? null,
    messengers,
    budgetChanges: {
      budgets: budgetService,
      budgetStore: stores.budgets,
      changes: stores.budgetChanges,
      rule: policy.budgets.changes,
    },
  });
  const budgets = new BudgetCommandService(
    budgetService,
    (identity) => personOf(policy.approvals, identity),
    approvals.budgetChanges,
  );
  const queries = (as?: string) => {
    if (as !== undefined && !policy.approvals.people.some((p) => p.key === as))
      throw new TallyError('CONFIG_INVALID', `TALLY_MCP_AS: ${as} is not a person of approvals.people`, {
        metadata: { variables: ['TALLY_MCP_AS', 'TALLY_POLICY_FILE'] },
      });
    // Who asks at the server: the operator, or `as` (like `tally ask --as`), with the scope chat turns get.
    const identity = { platform: 'cli' as const, id: as ?? 'mcp' };
    return new QueryRunner({
      commands,
      clock: options.clock,
      scope: () => scopes.personal(identity),
      dataRange: () => stores.costs.dataRange(),
      tagKeys: () => stores.costs.tagKeys(),
    });
  };
  return {
    stores,
    importer,
    costs,
    queries,
    turns: new TurnHandler(
      commands,
      options.logger,
      agent?.service.handle ?? fastPath.handle,
      (turn) => scopes.of(turn.user, turn.location),
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
      (command, turn) => accessCommands.run(command, turn),
      (command, turn, scope) => budgets.run(command, turn, scope),
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
    fiscalYearStart: config.fiscalYearStart,
  });
  return { service, close };
}
