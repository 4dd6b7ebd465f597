import { WebClient } from '@slack/web-api';
import type { SlackBotAuthorization } from '../../adapters/slack/slack-app.js';
import { slackErrorCode } from '../../adapters/slack/slack-errors.js';
import { toSlackLogger } from '../../adapters/slack/slack-logger.js';
import { TallyError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.port.js';

export interface SlackAuthorizeConfig {
  botToken: string;
  /** Web API base, e.g. a loopback fake in tests. @defaultValue `https://slack.com/api/` */
  apiUrl?: string;
}

/**
 * Who Tally's bot is, for Bolt's `authorize` option: auth.test with the bot token, asked when this is created and
 * kept once it succeeds. A failure is logged and not kept, so the next event asks again. (With its `token` option Bolt
 * asks once at start-up and keeps even a failure: Slack unreachable then meant every later event failed until a
 * restart.) An event waits for the answer within Slack's 3 seconds, so one ask retries briefly: connection failures,
 * 5xx and rate limits, twice, within about 5 s at worst.
 */
export function createSlackAuthorize(
  config: SlackAuthorizeConfig,
  logger: Logger,
): () => Promise<SlackBotAuthorization> {
  const { botToken } = config;
  const client = new WebClient(botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
    timeout: 1500,
    logger: toSlackLogger(logger),
  });
  let known: Promise<SlackBotAuthorization> | null = null;
  const authorize = (): Promise<SlackBotAuthorization> => {
    known ??= client.auth.test().then(
      (r) => ({
        botToken,
        ...(r.bot_id ? { botId: r.bot_id } : {}),
        ...(r.user_id ? { botUserId: r.user_id } : {}),
        ...(r.team_id ? { teamId: r.team_id } : {}),
      }),
      (err: unknown) => {
        known = null;
        const slackError = slackErrorCode(err);
        logger.warn({ slackError }, 'Slack auth.test failed; the next event asks again');
        throw new TallyError('CHAT_FAILED', `Slack auth.test failed: ${slackError}`, { cause: err });
      },
    );
    return known;
  };
  // Asked now, so that the first event does not wait for it; a failure is logged above.
  authorize().catch(() => {});
  return authorize;
}
