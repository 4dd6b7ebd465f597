import type { RequestListener } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import { TallyError } from '../../src/shared/errors.js';
import type { SlackDeps } from './slack-deps.types.js';
import { registerInbound } from './slack-inbound.js';
import { toSlackLogger } from './slack-logger.js';

export interface SlackAdapterConfig {
  botToken: string;
  /** HTTP mode: required; every request's signature is verified. */
  signingSecret?: string;
  /** Bolt checks signatures; false only behind a guard that does (src/bootstrap/slack-guard.ts). @defaultValue true */
  signatureVerification?: boolean;
  /** Socket Mode when set (`xapp-…`). */
  appToken?: string;
  /** Web API base, e.g. a loopback fake in tests. @defaultValue `https://slack.com/api/` */
  apiUrl?: string;
  /** Web API retries (rate limits wait for Retry-After). @defaultValue 3 */
  retries?: number;
  /** Who the bot is, asked before each event (src/bootstrap/slack-authorize.ts); absent: Bolt asks once at start. */
  authorize?: () => Promise<SlackBotAuthorization>;
}

/** Bolt's AuthorizeResult for one bot token: the token and auth.test's bot id, bot user id and team id. */
export type SlackBotAuthorization = { botToken: string; botId?: string; botUserId?: string; teamId?: string };

export interface SlackAdapter {
  /** HTTP mode: the listener for `/slack/events` on Tally's own server; null in Socket Mode. */
  requestListener: RequestListener | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Slack on Bolt. HTTP mode mounts Bolt's HTTPReceiver on Tally's server (no `app.start()`); Socket Mode opens a
 * WebSocket with the app token instead. The inbound listeners only translate between Slack and the core
 * (docs/architecture.md#adapters-only-translate).
 */
export function createSlackAdapter(config: SlackAdapterConfig, deps: SlackDeps): SlackAdapter {
  const logger = toSlackLogger(deps.logger);
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: config.retries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
  };
  // No conversation store: Tally keeps no state in Bolt's context, and the default one costs an Error per event.
  const auth = config.authorize ? { authorize: config.authorize } : { token: config.botToken };
  const options = { ...auth, logger, clientOptions, convoStore: false } as const;
  if (config.appToken) {
    const app = new App({ ...options, appToken: config.appToken, socketMode: true });
    registerInbound(app, deps);
    return {
      requestListener: null,
      start: () => app.start().then(() => undefined),
      stop: () => app.stop().then(() => undefined),
    };
  }
  if (!config.signingSecret)
    throw new TallyError('CONFIG_INVALID', 'SLACK_SIGNING_SECRET is required for Slack in HTTP mode', {
      metadata: { variables: ['SLACK_SIGNING_SECRET'] },
    });
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: '/slack/events',
    signatureVerification: config.signatureVerification ?? true,
    logger,
  });
  const app = new App({ ...options, receiver });
  registerInbound(app, deps);
  return { requestListener: receiver.requestListener, start: async () => {}, stop: async () => {} };
}
