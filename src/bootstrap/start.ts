import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { HostedCharts } from '../../adapters/charts/hosted-charts.js';
import { WorkerChartRenderer } from '../../adapters/charts/worker-chart.renderer.js';
import { createQueueConnection } from '../../adapters/queue/queue-connection.js';
import { RedisDedupeStore } from '../../adapters/queue/redis-dedupe.store.js';
import { pingRedis } from '../../adapters/queue/redis-probe.js';
import { createSlackAdapter } from '../../adapters/slack/slack-app.js';
import { createTeamsAdapter } from '../../adapters/teams/teams-app.js';
import type { Config } from '../config/env.js';
import { ChatCore } from '../conversation/chat-core.js';
import { TallyError } from '../shared/errors.js';
import { type CliContext, clockFor } from './cli-context.js';
import { createDeps } from './deps.js';
import { createMessengers, slackAdapterConfig, teamsAdapterConfig } from './messengers.js';
import { installProcessGuards } from './process-guards.js';
import { createSlackAuthorize } from './slack-authorize.js';
import { guardSlackEvents } from './slack-guard.js';
import { startWebServer } from './web.js';

/**
 * `tally start` with a chat platform: the web server (health, Slack at `/slack/events`) in one process. Refuses to
 * start without Redis, which deduplicates deliveries here and runs the jobs.
 */
export async function startPlatforms(ctx: CliContext, opts: { worker: boolean; focus?: string }): Promise<void> {
  const { config, logger } = ctx;
  if (!(await pingRedis(config.redis.url)))
    throw new TallyError(
      'STORE_UNAVAILABLE',
      'Redis does not answer at REDIS_URL; Tally needs it (start Redis or set REDIS_URL)',
    );
  // What is started is stopped in reverse order, at SIGTERM or when a later step of the start fails (a busy port).
  const stops: (() => unknown)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const guards = installProcessGuards(logger);
    stops.push(guards.remove);
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
    stops.push(() => redis.disconnect());
    const queueConnection = createQueueConnection(config.redis.url);
    stops.push(() => queueConnection.disconnect());
    const messengers = await createMessengers(config, logger);
    const deps = await createDeps(withServerDefaults(config), {
      focusPath: opts.focus,
      clock: clockFor(config),
      logger,
      queueConnection,
      messengers: messengers.factory,
    });
    stops.push(() => deps.close());
    const workers = opts.worker ? await deps.startWorkers() : null;
    stops.push(() => workers?.close());
    const charts = new WorkerChartRenderer();
    stops.push(() => charts.close());
    const core = new ChatCore({
      handleTurn: (turn, hooks) => deps.turns.handle(turn, hooks),
      dedupe: new RedisDedupeStore(redis),
      ...(deps.approvals.interactions ? { approvals: deps.approvals.interactions } : {}),
      ...(deps.approvals.show ? { approvalMessage: deps.approvals.show } : {}),
      ...(deps.scheduled ? { alerts: deps.scheduled.alerts } : {}),
      charts,
      logger,
      maxQueued: config.maxQueuedAnswers,
    });
    const slackConfig = config.slack.enabled ? slackAdapterConfig(config) : null;
    // Bolt's listener is mounted only behind guardSlackEvents, which checks every signature: Bolt need not again.
    const slack = slackConfig
      ? createSlackAdapter(
          { ...slackConfig, authorize: createSlackAuthorize(slackConfig, logger), signatureVerification: false },
          { core, logger },
        )
      : null;
    const hostedCharts = config.publicUrl ? new HostedCharts(redis, config.queues.prefix, config.publicUrl) : null;
    const teams = messengers.teamsCloud
      ? createTeamsAdapter(
          teamsAdapterConfig(config),
          {
            core,
            conversationRefs: deps.stores.conversationRefs,
            ...(hostedCharts ? { hostChart: (png: Uint8Array) => hostedCharts.put(png) } : {}),
            logger,
          },
          messengers.teamsCloud,
        )
      : null;
    // MCP over streamable HTTP at /mcp only with TALLY_MCP_TOKEN (docs/mcp.md); without it /mcp is 404.
    const mcp = config.mcp.token ? (await import('./mcp.js')).mcpRoute(config, deps, logger) : null;
    const server = await startWebServer({
      port: config.port,
      logger,
      ready: async () => {
        await deps.stores.costs.dataRange();
        return (await redis.ping()) === 'PONG';
      },
      routes: {
        ...(slack?.requestListener && slackConfig?.signingSecret
          ? { '/slack/': guardSlackEvents(slack.requestListener, { signingSecret: slackConfig.signingSecret, logger }) }
          : {}),
        ...(teams ? { '/api/messages': teams.requestListener } : {}),
        ...(hostedCharts ? { '/charts/': hostedCharts.requestListener } : {}),
        ...(mcp ? { '/mcp': mcp } : {}),
      },
      uncaughtErrors: guards.caught,
    });
    stops.push(() => new Promise((resolve) => server.close(resolve)));
    await slack?.start();
    stops.push(() => slack?.stop());
  } catch (e) {
    await stopAll();
    throw e;
  }
  logger.info({ slack: config.slack.enabled, teams: config.teams.enabled, worker: opts.worker }, 'tally started');
  await waitForSignal();
  await stopAll();
}

/**
 * `tally start`'s defaults: DuckDB gets one core fewer than the machine has (at least 1), so that a question being
 * worked out does not hold up the acks of chat requests, which Slack wants within 3 s.
 */
function withServerDefaults(config: Config): Config {
  return { ...config, duckdbThreads: config.duckdbThreads ?? Math.max(1, availableParallelism() - 1) };
}

/** `tally worker`: the job workers only (approval timers and executions), until SIGTERM. */
export async function startWorker(ctx: CliContext): Promise<void> {
  const { config, logger } = ctx;
  const guards = installProcessGuards(logger);
  const queueConnection = createQueueConnection(config.redis.url);
  const deps = await createDeps(config, {
    clock: clockFor(config),
    logger,
    queueConnection,
    messengers: (await createMessengers(config, logger)).factory,
  });
  const workers = await deps.startWorkers();
  logger.info({}, 'worker started');
  await waitForSignal();
  await workers.close();
  await deps.close();
  queueConnection.disconnect();
  guards.remove();
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
