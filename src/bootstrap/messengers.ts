import type { SlackAdapterConfig } from '../../adapters/slack/slack-app.js';
import type { TeamsAdapterConfig } from '../../adapters/teams/teams-app.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import type { Config } from '../config/env.js';
import type { Logger } from '../shared/logger.port.js';
import type { Stores } from './deps.js';

/** The Slack settings of the adapter, from the config slice. */
export function slackAdapterConfig(config: Config): SlackAdapterConfig {
  const s = config.slack;
  return {
    botToken: s.botToken ?? '',
    ...(s.signingSecret ? { signingSecret: s.signingSecret } : {}),
    ...(s.appToken ? { appToken: s.appToken } : {}),
    ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
  };
}

/** The Teams settings of the adapter, from the config slice. */
export function teamsAdapterConfig(config: Config): TeamsAdapterConfig {
  const t = config.teams;
  return {
    ...(t.appId ? { appId: t.appId } : {}),
    ...(t.appPassword ? { appPassword: t.appPassword } : {}),
    ...(t.tenantId ? { tenantId: t.tenantId } : {}),
    appType: t.appType,
    ...(t.openIdMetadataUrl ? { openIdMetadataUrl: t.openIdMetadataUrl } : {}),
    anonymous: t.anonymous,
  };
}

/**
 * The chat platforms Tally can message proactively (approval requests, reminders, alerts, digests). Teams sends
 * through stored conversation references, so its messenger is built once the stores exist; `teamsCloud` is the
 * Bot Framework adapter it uses, shared with the `/api/messages` handler. The platform SDKs are loaded only when
 * configured: `tally ask` and the shell start without them.
 */
export async function createMessengers(config: Config, logger: Logger) {
  const slack =
    config.slack.enabled && config.slack.botToken
      ? (await import('../../adapters/slack/slack-messenger.js')).createSlackMessenger({
          botToken: config.slack.botToken,
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          // A vote waits for its message update: retry briefly (the client's default retries for about 30 minutes).
          retries: 2,
          logger,
        })
      : null;
  const teams = config.teams.enabled
    ? {
        app: await import('../../adapters/teams/teams-app.js'),
        messenger: await import('../../adapters/teams/teams-messenger.js'),
        card: await import('../../adapters/teams/render-card.js'),
      }
    : null;
  const teamsCloud = teams ? teams.app.createTeamsCloudAdapter(teamsAdapterConfig(config), logger) : null;
  const factory = (stores: Stores): ChatMessenger[] => [
    ...(slack ? [slack] : []),
    ...(teams && teamsCloud
      ? [
          teams.messenger.createTeamsMessenger({
            adapter: teamsCloud.adapter,
            appId: teamsCloud.appId,
            refs: stores.conversationRefs,
            render: (reply) => teams.card.renderCard(reply),
            logger,
          }),
        ]
      : []),
  ];
  return { factory, teamsCloud };
}
