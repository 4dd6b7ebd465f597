import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityTypes, CloudAdapter, type TurnContext } from 'botbuilder';
import { apology } from '../../src/conversation/apology.js';
import { TallyError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import type { Logger } from '../../src/shared/logger.port.js';
import { toMessageInvokeResponse } from './render-card.js';
import { createTeamsAuthentication, type TeamsAuthConfig } from './teams-auth.js';
import type { TeamsDeps } from './teams-deps.types.js';
import { botRequest, botResponse, readJsonBody, sendProblem } from './teams-http.js';
import { teamsInbound } from './teams-inbound.js';

export interface TeamsAdapterConfig extends TeamsAuthConfig {
  /**
   * Serve without an app id: no token is checked and none is sent (Bot Framework Emulator, tests). Config refuses it
   * when `NODE_ENV=production`. Ignored when `appId` is set.
   * @defaultValue false
   */
  anonymous?: boolean;
}

/** The Bot Framework side of the adapter: what proactive messages need, built before the handlers' dependencies. */
export interface TeamsCloud {
  /** The adapter, for proactive messages (`continueConversationAsync`, the Teams messenger). */
  adapter: CloudAdapter;
  /** The bot's app id; `''` in anonymous mode (what `continueConversationAsync` then takes). */
  appId: string;
}

export interface TeamsAdapter extends TeamsCloud {
  /** The `node:http` handler for `POST /api/messages` on Tally's web server. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * botbuilder's `CloudAdapter` with Tally's authentication and turn-error handling. Separate from
 * {@link createTeamsAdapter} so that the Teams messenger can be built on it before the core it serves exists.
 *
 * @throws TallyError `CONFIG_INVALID` when neither `appId` nor `anonymous` is given (issue 7: never accept
 * anonymous traffic unasked).
 */
export function createTeamsCloudAdapter(config: TeamsAdapterConfig, logger: Logger): TeamsCloud {
  if (!config.appId && !config.anonymous)
    throw new TallyError('CONFIG_INVALID', 'MICROSOFT_APP_ID is required to serve Teams at /api/messages', {
      metadata: { variables: ['MICROSOFT_APP_ID', 'TALLY_TEAMS_ANONYMOUS'] },
    });
  const adapter = new CloudAdapter(createTeamsAuthentication(config));
  adapter.onTurnError = (ctx, err) => onTurnError(logger, ctx, err);
  return { adapter, appId: config.appId ?? '' };
}

/**
 * Teams on botbuilder's `CloudAdapter`, mounted on Tally's own server: every request is authenticated by botbuilder
 * before any handler runs (401 otherwise), then routed by {@link teamsInbound}. Give `cloud` when the adapter was
 * built earlier (for the messenger); otherwise it is built here.
 *
 * @throws TallyError `CONFIG_INVALID` when neither `appId` nor `anonymous` is given.
 */
export function createTeamsAdapter(
  config: TeamsAdapterConfig,
  deps: TeamsDeps,
  cloud: TeamsCloud = createTeamsCloudAdapter(config, deps.logger),
): TeamsAdapter {
  const { adapter } = cloud;
  const bot = teamsInbound(deps);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendProblem(res, 405, 'method not allowed');
    const read = await readJsonBody(req);
    if (!read.ok) return sendProblem(res, read.status, read.error);
    await adapter.process(botRequest(req, read.body), botResponse(res), bot);
  };
  return {
    ...cloud,
    requestListener: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        const errorId = newId('err');
        deps.logger.error({ err, errorId }, 'teams request failed');
        if (!res.headersSent) sendProblem(res, 500, `internal error ${errorId}`);
        else if (!res.writableEnded) res.end();
      });
    },
  };
}

/**
 * A turn failed outside the core's own `failSafely`: logged with an error id, answered with a short apology
 * (as the invoke's answer for a card action, which would otherwise get a 501).
 */
async function onTurnError(logger: Logger, ctx: TurnContext, err: Error): Promise<void> {
  const errorId = newId('err');
  const { activity } = ctx;
  logger.error(
    { err, errorId, activityType: activity.type, conversation: activity.conversation?.id, activityId: activity.id },
    'teams turn failed',
  );
  try {
    if (activity.type === ActivityTypes.Invoke)
      await ctx.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: toMessageInvokeResponse(apology(errorId).title) },
      });
    else await ctx.sendActivity({ type: ActivityTypes.Message, text: apology(errorId).title });
  } catch (e) {
    logger.error({ err: e, errorId }, 'could not tell the user about a failure');
  }
}
