import type { Redis } from 'ioredis';
import { MemoryRecommendationDismissalRepository } from '../../adapters/memory/memory-recommendation-dismissal.repository.js';
import { QUEUES } from '../../jobs/queues.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { BATCH_PHRASES } from '../actions/batch-phrases.js';
import { ApprovalService } from '../approvals/approval.service.js';
import type { Identity } from '../approvals/approval.types.js';
import { auditor } from '../approvals/approval-events.js';
import type { ApprovalInteractions } from '../approvals/approval-interactions.types.js';
import type { TimerKind } from '../approvals/approval-jobs.port.js';
import { ApprovalMessages } from '../approvals/approval-messages.service.js';
import { ApprovalOutcomes } from '../approvals/approval-outcomes.service.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { ApprovalRepository } from '../approvals/approval-repository.port.js';
import { ApprovalTimerService } from '../approvals/approval-timers.service.js';
import { ApprovalVotes } from '../approvals/approval-votes.service.js';
import { displayName, personOf } from '../approvals/approvers.js';
import { BatchExecutor } from '../approvals/batch/batch-executor.service.js';
import { BatchProposals } from '../approvals/batch/batch-proposal.service.js';
import { BatchUndo } from '../approvals/batch/batch-undo.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import { ExecutionReconciler } from '../approvals/execution/execution-reconciler.js';
import { ExecutorService } from '../approvals/execution/executor.service.js';
import { PostCheck, type PostCheckConfig } from '../approvals/execution/post-check.js';
import { SavingsService } from '../approvals/savings.service.js';
import { UndoService } from '../approvals/undo/undo.service.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { BudgetChangeService } from '../budgets/budget-change.service.js';
import { isBudgetChangeId } from '../budgets/budget-change.types.js';
import type { Config } from '../config/env.js';
import { routeBudgetChangeCommands, routeBudgetChangeInteractions } from '../conversation/budget-change-routing.js';
import type { ApprovalCommandRunner } from '../conversation/handle-turn.service.js';
import { ApprovalCommandService, type ApprovalFeatures } from '../conversation/run-approval-command.js';
import { RecommendationCommandService } from '../conversation/run-recommendation-command.js';
import type { ViewerScopes } from '../conversation/viewer-scope.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import { RecommendationService } from '../recommendations/recommendation.service.js';
import type { RecommendationDismissalRepository } from '../recommendations/recommendation-dismissal.types.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import { type BudgetChangeOptions, createBudgetChanges } from './budget-changes.js';

export interface ApprovalRuntimeOptions {
  stores: {
    approvals: ApprovalRepository;
    audit: AuditLog;
    costs: CostRepository;
    /** Recommendations dismissed or snoozed per conversation. @defaultValue in memory */
    dismissals?: RecommendationDismissalRepository;
  };
  policy: ApprovalPolicy;
  clock: Clock;
  logger: Logger;
  /** The BullMQ connection; null when Redis is not reachable (approvals then say they need it). */
  queueConnection: Redis | null;
  messengers: ChatMessenger[];
  /** Who sees what; without it every viewer sees every approval. */
  scopes?: ViewerScopes;
  /** The policy file's `aws.roles`: a role ARN per member account (README "Every account"). */
  awsRoles?: Readonly<Record<string, string>>;
  /** Budget changes approved in chat (docs/budgets.md#budget-changes): they need Redis only, not AWS. */
  budgetChanges?: BudgetChangeOptions;
  /** The check after an action: its wait (tests pass a `delay` that returns at once). @defaultValue every 15 s, 10 min at most */
  postCheck?: Pick<PostCheckConfig, 'delay' | 'intervalMs' | 'maxWaitMs'>;
}

/** Approvals, recommendations and the savings ledger, wired for one process. */
export interface ApprovalRuntime {
  commands: ApprovalCommandRunner;
  /** For chat buttons; null when approvals are not available here. */
  interactions: ApprovalInteractions | null;
  /** The approval message as it is now (Teams answers a vote with the refreshed card); null when not available. */
  show: ((approvalId: string) => Promise<Reply>) | null;
  /** Budget changes approved in chat; null without Redis (their timers) or without budgets. */
  budgetChanges: BudgetChangeService | null;
  /**
   * Starts the approval-timer, execute and reconcile workers, installs the reconcile schedule and runs one reconcile
   * pass (approved or executing actions left without a job get it again).
   */
  startWorkers(): Promise<Workers>;
  close(): Promise<void>;
}

/**
 * Wires the approval feature (docs/architecture.md#approvals). Recommendations need AWS; approvals need AWS and Redis
 * (timers and execution jobs); the savings ledger needs neither. What is missing is said in the answer.
 */
export async function createApprovalRuntime(config: Config, options: ApprovalRuntimeOptions): Promise<ApprovalRuntime> {
  const { stores, policy, clock, logger, queueConnection, scopes } = options;
  const missing: string[] = [];
  if (!config.aws.enabled) missing.push('AWS (set AWS_REGION and credentials, or AWS_PROFILE)');
  if (!queueConnection) missing.push('Redis (REDIS_URL) for timers and execution jobs');
  const unavailable = `This needs ${missing.join(' and ')}.`;
  // The AWS SDK and BullMQ load only when used, so `tally ask` without them starts fast.
  const awsSdk = config.aws.enabled ? await loadAws() : null;
  const queue = queueConnection ? await loadQueue() : null;
  const aws = awsSdk ? awsSdk.createAwsClients(config.aws) : null;
  const accounts =
    awsSdk && aws
      ? new awsSdk.AwsAccounts(aws, config.aws, {
          ...(config.aws.roleName ? { roleName: config.aws.roleName } : {}),
          ...(config.aws.externalId ? { externalId: config.aws.externalId } : {}),
          ...(config.aws.accounts ? { accounts: config.aws.accounts } : {}),
          roles: options.awsRoles ?? {},
          linkedAccounts: () => stores.costs.accounts(),
          clock,
        })
      : null;
  const inventories = awsSdk && accounts ? new awsSdk.AwsAccountInventories(accounts, { clock }) : null;
  const recommendations =
    inventories && config.aws.regions.length > 0
      ? new RecommendationService({ accounts: inventories, regions: [...config.aws.regions], clock })
      : null;
  const savings = new SavingsService({ approvals: stores.approvals, costs: stores.costs, clock });
  const prefix = config.queues.prefix;
  const timers = queue && queueConnection ? new queue.BullmqApprovalTimers(queueConnection, prefix) : null;
  const execution = queue && queueConnection ? new queue.BullmqExecutionQueue(queueConnection, prefix) : null;
  const audit = auditor(stores.audit, clock);
  const messages = new ApprovalMessages({ messengers: options.messengers, policy, audit: stores.audit, clock, logger });

  let approvals: ApprovalService | null = null;
  let timerService: ApprovalTimerService | null = null;
  let executor: BatchExecutor | null = null;
  let undo: BatchUndo | null = null;
  let batches: BatchProposals | null = null;
  let reconciler: ExecutionReconciler | null = null;
  if (awsSdk && accounts && timers && execution) {
    const cloud = new awsSdk.AwsEc2Actions(accounts);
    const repo = stores.approvals;
    const outcomes = new ApprovalOutcomes({ approvals: repo, timers, execution, messages, audit, logger });
    timerService = new ApprovalTimerService({ approvals: repo, policy, timers, messages, outcomes, audit, clock });
    const votes = new ApprovalVotes({ approvals: repo, policy, messages, outcomes, audit, clock });
    approvals = new ApprovalService({
      approvals: repo,
      auditLog: stores.audit,
      audit,
      policy,
      cloud,
      accountId: () => accounts.ownAccountId(),
      accounts: () => accounts.list(),
      messages,
      votes,
      timers: timerService,
      outcomes,
      clock,
      ...(scopes ? { viewerScope: (viewer: Identity) => scopes.personal(viewer) } : {}),
    });
    const undoService = new UndoService({
      approvals: repo,
      policy,
      cloud,
      undoCloud: new awsSdk.AwsEc2Undo(accounts),
      messages,
      outcomes,
      audit,
      clock,
      logger,
      undoDays: config.undoDays,
    });
    undo = new BatchUndo({ approvals: repo, undo: undoService, messages, outcomes });
    const single = new ExecutorService({
      approvals: repo,
      cloud,
      guardrails: policy.guardrails,
      messages,
      outcomes,
      audit,
      clock,
      logger,
      undo: undoService,
      postCheck: new PostCheck({
        ...options.postCheck,
        cloud,
        audit,
        clock,
        changed: (target) => recommendations?.invalidate(target.region),
      }),
    });
    executor = new BatchExecutor({
      approvals: repo,
      executor: single,
      guardrails: policy.guardrails,
      messages,
      outcomes,
      audit,
      clock,
    });
    const scan = recommendations;
    batches = new BatchProposals({
      approvals,
      cloud,
      policy,
      accounts: () => accounts.list(),
      candidates: async ({ kind, accountId, region }) =>
        scan
          ? (await scan.list(region ? { region } : {})).recommendations
              .filter((r) => r.rule === BATCH_PHRASES[kind].rule && r.action.target.accountId === accountId)
              .map((r) => r.action)
          : [],
    });
    reconciler = new ExecutionReconciler({ approvals: repo, jobs: execution, messages, audit, logger });
  }
  const reconcileSchedule =
    queue && queueConnection ? new queue.BullmqReconcileSchedule(queueConnection, prefix) : null;
  const recommendationCommands = recommendations
    ? new RecommendationCommandService({
        recommendations,
        approvals: stores.approvals,
        dismissals: stores.dismissals ?? new MemoryRecommendationDismissalRepository(),
        audit: stores.audit,
        guardrails: policy.guardrails,
        hasApprovers: (risk) => policy.risk[risk].tiers.length > 0,
        nameOf: (person) => displayName(policy, person),
        personOf: (identity) => personOf(policy, identity),
        clock,
      })
    : null;
  const features: ApprovalFeatures = {
    approvals,
    recommendations: recommendationCommands,
    savings,
    undo,
    batches,
    unavailable,
  };
  const commands = new ApprovalCommandService(features, clock);
  const changes =
    options.budgetChanges && timers
      ? createBudgetChanges(options.budgetChanges, {
          policy,
          timers,
          messengers: options.messengers,
          auditLog: stores.audit,
          clock,
          logger,
          ...(scopes ? { viewerScope: (viewer: Identity) => scopes.personal(viewer) } : {}),
        })
      : null;
  const runCommand: ApprovalCommandRunner = (command, turn, scope) => commands.run(command, turn, scope);
  // The approval timer queue fires both kinds; a budget change's id starts with bch_.
  const fireTimer = (id: string, kind: TimerKind, tier: number) =>
    changes && isBudgetChangeId(id) ? changes.timers.fire(id, kind, tier) : timerService!.fire(id, kind, tier);
  return {
    commands: changes ? routeBudgetChangeCommands(runCommand, changes.service, changes.nameOf) : runCommand,
    interactions: changes ? routeBudgetChangeInteractions(approvals, changes.service) : approvals,
    show:
      approvals || changes
        ? (id) => (changes && (isBudgetChangeId(id) || !approvals) ? changes.service.show(id) : approvals!.show(id))
        : null,
    budgetChanges: changes?.service ?? null,
    async startWorkers() {
      if (!queue || !queueConnection) return { close: async () => {} };
      if (!timerService || !executor || !reconciler || !reconcileSchedule)
        // Without AWS, only budget changes have timers to fire.
        return changes
          ? queue.startWorkers({
              connection: queueConnection,
              prefix,
              queues: [QUEUES.approvalTimer],
              processors: { [QUEUES.approvalTimer]: queue.approvalTimerProcessor({ fire: fireTimer }) },
              lockDurationMs: config.queues.lockSeconds * 1000,
              concurrency: { [QUEUES.approvalTimer]: 8 },
              logger,
            })
          : { close: async () => {} };
      const workers = queue.startWorkers({
        connection: queueConnection,
        prefix,
        queues: [QUEUES.approvalTimer, QUEUES.execute, QUEUES.reconcile],
        processors: {
          [QUEUES.approvalTimer]: queue.approvalTimerProcessor({ fire: fireTimer }),
          [QUEUES.execute]: queue.executeProcessor(executor),
          [QUEUES.reconcile]: queue.reconcileProcessor(reconciler),
        },
        lockDurationMs: config.queues.lockSeconds * 1000,
        // Executions mostly wait on the cloud (a stop takes a minute on AWS): run many at once, so that a change window
        // opening on a batch of scheduled actions starts them together (bench/approvals); the daily limit per account
        // still bounds what happens in a day, and EC2's request rate limits are far above this.
        concurrency: { [QUEUES.execute]: 64, [QUEUES.approvalTimer]: 8, [QUEUES.reconcile]: 1 },
        logger,
      });
      await reconcileSchedule.install();
      await reconciler.reconcile();
      return workers;
    },
    async close() {
      await timers?.close();
      await execution?.close();
      await reconcileSchedule?.close();
    },
  };
}

async function loadAws() {
  const [clients, actions, accounts, inventories, undo] = await Promise.all([
    import('../../adapters/aws/aws-clients.js'),
    import('../../adapters/aws/aws-ec2.actions.js'),
    import('../../adapters/aws/aws-accounts.js'),
    import('../../adapters/aws/aws-account-inventories.js'),
    import('../../adapters/aws/aws-ec2-undo.js'),
  ]);
  return { ...clients, ...actions, ...accounts, ...inventories, ...undo };
}

async function loadQueue() {
  const [timers, execution, schedules, timerJob, executeJob, reconcileJob, registry] = await Promise.all([
    import('../../adapters/queue/bullmq-approval-timers.js'),
    import('../../adapters/queue/bullmq-execution.queue.js'),
    import('../../adapters/queue/bullmq-schedules.js'),
    import('../../jobs/processors/approval-timer.processor.js'),
    import('../../jobs/processors/execute.processor.js'),
    import('../../jobs/processors/reconcile.processor.js'),
    import('../../jobs/worker-registry.js'),
  ]);
  return { ...timers, ...execution, ...schedules, ...timerJob, ...executeJob, ...reconcileJob, ...registry };
}
