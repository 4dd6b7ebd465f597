// Builders for signed inbound Slack requests, shaped exactly as Slack sends them to `/slack/events`: slash commands and
// interactivity are form-urlencoded (interactivity as a single `payload=<JSON>` field), events are JSON.
import { createHmac } from 'node:crypto';

/** `Content-Type` of slash commands and interactive payloads. */
export const FORM = 'application/x-www-form-urlencoded';
/** `Content-Type` of Events API deliveries. */
export const JSON_TYPE = 'application/json';

/** A raw request body and its content type, ready for {@link postSigned}. */
export interface SlackRequest {
  body: string;
  contentType: string;
}

/** The headers Slack adds to every request it sends to an app. */
export interface SignedHeaders {
  'content-type': string;
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** The current Unix time in seconds, as Slack's `X-Slack-Request-Timestamp` carries it. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Signs `body` like Slack: `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${body}` keyed by the signing secret.
 * @param timestampSeconds - @defaultValue now; pass `nowSeconds() - 600` for a stale request (Bolt answers 401)
 * @param contentType - @defaultValue JSON when `body` starts with `{`, otherwise form-urlencoded
 */
export function sign(
  secret: string,
  body: string,
  timestampSeconds: number = nowSeconds(),
  contentType: string = body.trimStart().startsWith('{') ? JSON_TYPE : FORM,
): SignedHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-signature': `v0=${signature}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}

/** `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` as on an Events API redelivery. */
export function retryHeaders(n: number, reason = 'http_timeout'): Record<string, string> {
  return { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': reason };
}

/** Options of {@link postSigned}. */
export interface PostSignedOptions extends SlackRequest {
  secret: string;
  /** @defaultValue now */
  timestamp?: number;
  /** Extra headers (e.g. {@link retryHeaders}); they win over the signed ones, so a test can also send a bad signature. */
  headers?: Record<string, string>;
}

/** POSTs a signed request (as Slack would) and returns the HTTP status, body text and response headers. */
export async function postSigned(
  url: string,
  options: PostSignedOptions,
): Promise<{ status: number; text: string; headers: Headers }> {
  const signed = sign(options.secret, options.body, options.timestamp, options.contentType);
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...signed, ...options.headers },
    body: options.body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

let counter = 0;
/** Unique, increasing message-style timestamps (`'1731000000.000101'`), based on the current time. */
export function nextMessageTs(): string {
  counter += 1;
  return `${nowSeconds()}.${String(100 + counter).padStart(6, '0')}`;
}

/** Fields of a `/cost` slash command; all have defaults, unknown extra fields are sent too. */
export interface SlashCommandFields {
  token?: string;
  team_id?: string;
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  /** @defaultValue `'/cost'` */
  command?: string;
  /** @defaultValue `''` */
  text?: string;
  api_app_id?: string;
  /** Point it at `fake.responseUrl(id)` so `respond()` lands in the Slack fake. */
  response_url?: string;
  trigger_id?: string;
  [extra: string]: string | undefined;
}

/** A slash command body, form-urlencoded in the field order Slack uses. */
export function slashCommand(fields: SlashCommandFields = {}): SlackRequest {
  const all: Record<string, string | undefined> = {
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'tally-test',
    channel_id: 'C0001',
    channel_name: 'finops',
    user_id: 'U0001',
    user_name: 'alice',
    command: '/cost',
    text: '',
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0001/1/unset',
    trigger_id: `${Date.now()}.1.trigger`,
    ...fields,
  };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(all)) if (value !== undefined) form.append(key, value);
  return { body: form.toString(), contentType: FORM };
}

/** Envelope options of {@link eventCallback}. */
export interface EventCallbackOptions {
  /** @defaultValue a fresh unique `Ev…` id; reuse one to simulate a redelivery */
  eventId?: string;
  /** @defaultValue `'T0001'` */
  teamId?: string;
  /** @defaultValue `'A0001'` */
  apiAppId?: string;
  /** @defaultValue `'UBOT'` */
  botUserId?: string;
}

let events = 0;
/** An Events API `event_callback` delivery (JSON) wrapping `event`. */
export function eventCallback(event: Record<string, unknown>, options: EventCallbackOptions = {}): SlackRequest {
  events += 1;
  const teamId = options.teamId ?? 'T0001';
  const body = {
    token: 'legacy-verification-token',
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.apiAppId ?? 'A0001',
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${events}`,
    event_time: nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: options.botUserId ?? 'UBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(body), contentType: JSON_TYPE };
}

/** Fields of the message-like event builders. */
export interface MessageEventFields {
  /** @defaultValue `'<@UBOT> cost last month'` for a mention, `'cost last month'` for a DM */
  text?: string;
  /** @defaultValue `'C0001'` for a mention, `'D0001'` for a DM */
  channel?: string;
  /** @defaultValue `'U0001'` */
  user?: string;
  /** @defaultValue {@link nextMessageTs} */
  ts?: string;
  threadTs?: string;
  /** @defaultValue `'T0001'` */
  team?: string;
}

function messageLike(type: string, fields: MessageEventFields, text: string, channel: string): Record<string, unknown> {
  const ts = fields.ts ?? nextMessageTs();
  return {
    type,
    user: fields.user ?? 'U0001',
    text: fields.text ?? text,
    ts,
    team: fields.team ?? 'T0001',
    channel: fields.channel ?? channel,
    event_ts: ts,
    client_msg_id: `msg-${ts}`,
    ...(fields.threadTs === undefined ? {} : { thread_ts: fields.threadTs }),
  };
}

/** An `app_mention` event (wrap it with {@link eventCallback}). */
export function appMention(fields: MessageEventFields = {}): Record<string, unknown> {
  return messageLike('app_mention', fields, '<@UBOT> cost last month', 'C0001');
}

/** A `message.im` event: `type: 'message'` with `channel_type: 'im'` in a DM channel. */
export function messageIm(fields: MessageEventFields = {}): Record<string, unknown> {
  return { ...messageLike('message', fields, 'cost last month', 'D0001'), channel_type: 'im' };
}

/** An `app_home_opened` event. @defaultValue tab `'home'`, user `'U0001'`, channel `'D0001'` */
export function appHomeOpened(
  fields: { user?: string; channel?: string; tab?: 'home' | 'messages' } = {},
): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: fields.user ?? 'U0001',
    channel: fields.channel ?? 'D0001',
    tab: fields.tab ?? 'home',
    event_ts: nextMessageTs(),
  };
}

/** An `url_verification` handshake (Bolt echoes `challenge`). */
export function urlVerification(challenge = 'challenge-token'): SlackRequest {
  return {
    body: JSON.stringify({ token: 'legacy-verification-token', challenge, type: 'url_verification' }),
    contentType: JSON_TYPE,
  };
}

/** Fields of {@link blockActions}; `actionId` is required. */
export interface BlockActionsFields {
  actionId: string;
  value?: string;
  /** @defaultValue `'U0001'` */
  user?: string;
  /** `user.name` and `user.username`. @defaultValue the user id in lower case */
  userName?: string;
  /** @defaultValue `'C0001'` */
  channel?: string;
  /** `ts` of the message holding the button. @defaultValue {@link nextMessageTs} */
  messageTs?: string;
  /** `thread_ts` of the message holding the button, when it sits in a thread. */
  messageThreadTs?: string;
  /** The button sits in an ephemeral message (`container.is_ephemeral`). @defaultValue `false` */
  ephemeral?: boolean;
  responseUrl?: string;
  triggerId?: string;
  /** @defaultValue `'actions'` */
  blockId?: string;
  /** @defaultValue `'T0001'` */
  teamId?: string;
  /** Blocks of the message holding the button. @defaultValue `[]` */
  messageBlocks?: unknown[];
}

function formPayload(payload: Record<string, unknown>): SlackRequest {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM };
}

/** A `block_actions` interaction (a button click on a bot message), sent as the form field `payload=<JSON>`. */
export function blockActions(fields: BlockActionsFields): SlackRequest {
  const teamId = fields.teamId ?? 'T0001';
  const user = fields.user ?? 'U0001';
  const userName = fields.userName ?? user.toLowerCase();
  const channel = fields.channel ?? 'C0001';
  const messageTs = fields.messageTs ?? nextMessageTs();
  return formPayload({
    type: 'block_actions',
    user: { id: user, username: userName, name: userName, team_id: teamId },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: fields.ephemeral ?? false },
    trigger_id: fields.triggerId ?? `${Date.now()}.1.trigger`,
    team: { id: teamId, domain: 'tally-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: `channel-${channel.toLowerCase()}` },
    message: {
      type: 'message',
      user: 'UBOT',
      bot_id: 'BBOT',
      text: '',
      ts: messageTs,
      ...(fields.messageThreadTs === undefined ? {} : { thread_ts: fields.messageThreadTs }),
      blocks: fields.messageBlocks ?? [],
    },
    state: { values: {} },
    response_url: fields.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1/unset`,
    actions: [
      {
        type: 'button',
        action_id: fields.actionId,
        block_id: fields.blockId ?? 'actions',
        text: { type: 'plain_text', text: fields.actionId, emoji: true },
        ...(fields.value === undefined ? {} : { value: fields.value }),
        action_ts: nextMessageTs(),
      },
    ],
  });
}

/** Fields of {@link viewSubmission}; `callbackId` is required. */
export interface ViewSubmissionFields {
  callbackId: string;
  /** `view.state.values`: `{ [blockId]: { [actionId]: { type: 'plain_text_input', value } } }`. @defaultValue `{}` */
  values?: Record<string, Record<string, Record<string, unknown>>>;
  /** @defaultValue `'U0001'` */
  user?: string;
  /** `user.name` and `user.username`. @defaultValue the user id in lower case */
  userName?: string;
  /** `view.private_metadata`, as the modal was opened with it. @defaultValue `''` */
  privateMetadata?: string;
  /** @defaultValue `'V0001'` */
  viewId?: string;
  triggerId?: string;
}

/** A `view_submission` interaction (a modal's submit), sent as the form field `payload=<JSON>`. */
export function viewSubmission(fields: ViewSubmissionFields): SlackRequest {
  const user = fields.user ?? 'U0001';
  const userName = fields.userName ?? user.toLowerCase();
  return formPayload({
    type: 'view_submission',
    team: { id: 'T0001', domain: 'tally-test' },
    user: { id: user, username: userName, name: userName, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    trigger_id: fields.triggerId ?? `${Date.now()}.1.trigger`,
    view: {
      id: fields.viewId ?? 'V0001',
      team_id: 'T0001',
      type: 'modal',
      callback_id: fields.callbackId,
      private_metadata: fields.privateMetadata ?? '',
      blocks: [],
      state: { values: fields.values ?? {} },
      hash: `${nowSeconds()}.hash`,
      app_id: 'A0001',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}
