import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../shared/logger.port.js';
import { pathOf, readBody, refuseMethod, sendStatus } from './http-guard.js';

/** Slack signs requests with their time; one dated further than this from now, either way, is refused. */
const SLACK_TIMESTAMP_WINDOW_SECONDS = 5 * 60;
const FORM = 'application/x-www-form-urlencoded';

export interface SlackGuardOptions {
  signingSecret: string;
  logger: Logger;
  /** Unix seconds now. @defaultValue the system clock */
  nowSeconds?: () => number;
}

/**
 * Stands in front of Bolt's HTTP receiver on `/slack/…` (docs/operations.md#when-a-request-fails): only
 * `POST /slack/events` gets through (404 on other paths, 405 on other methods), with a body of at most 1 MiB (413), a
 * timestamp within 5 minutes of now either way and a valid signature (401), and a body Bolt can read as a slash
 * command or an event (400). Bolt reads the buffered body from `req.rawBody`; `tally start` turns Bolt's own signature
 * check off (src/bootstrap/start.ts), so this guard must stay the only way to its listener. An unsigned SSL check
 * gets through, and Bolt answers it 200 without running a listener.
 */
export function guardSlackEvents(bolt: RequestListener, options: SlackGuardOptions) {
  const now = options.nowSeconds ?? (() => Date.now() / 1000);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (pathOf(req) !== '/slack/events') return sendStatus(res, 404, 'not found');
    if (refuseMethod(req, res, ['POST'])) return;
    const read = await readBody(req);
    if (!read.ok) return sendStatus(res, 413, 'body too large', { connection: 'close' });
    const text = read.body.toString('utf8');
    const form = req.headers['content-type'] === FORM ? parseQuery(text) : null;
    // Slack's SSL check is unsigned; Bolt answers it and drops anything else sent along.
    if (form?.ssl_check !== '1') {
      const refusal = signatureProblem(req, text, options.signingSecret, now());
      if (refusal) {
        options.logger.warn({ reason: refusal }, 'slack request refused');
        return sendStatus(res, 401, 'unauthorized');
      }
      const problem = shapeProblem(form ? readForm(form) : readJson(text));
      if (problem) {
        options.logger.warn({ reason: problem }, 'slack request malformed');
        return sendStatus(res, 400, problem);
      }
    }
    Object.assign(req, { rawBody: read.body });
    bolt(req, res);
  };
}

/** Why a request's Slack signature is not accepted, or null when it is. */
function signatureProblem(req: IncomingMessage, body: string, secret: string, nowSeconds: number) {
  const timestamp = req.headers['x-slack-request-timestamp'];
  const signature = req.headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return 'no timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_TIMESTAMP_WINDOW_SECONDS) return 'timestamp out of window';
  if (typeof signature !== 'string') return 'no signature';
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? null : 'bad signature';
}

/** The body as Bolt reads a form: the JSON of its `payload` field (interactivity), else the fields themselves. */
function readForm(form: Record<string, unknown>): unknown {
  return typeof form.payload === 'string' ? readJson(form.payload) : { ...form };
}

const UNREADABLE = Symbol('unreadable');
function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return UNREADABLE;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * What makes a body unusable for Bolt and Tally's listeners, or null: anything but an object, a slash command without
 * its user or channel, an event without its id, an interaction without its user. Types Tally does not handle pass.
 */
function shapeProblem(body: unknown): string | null {
  if (body === UNREADABLE) return 'invalid JSON';
  if (!isObj(body)) return 'expected a JSON object';
  if (isStr(body.command)) return isStr(body.user_id) && isStr(body.channel_id) ? null : 'incomplete slash command';
  if (!isStr(body.type)) return 'expected a slash command or a typed payload';
  switch (body.type) {
    case 'url_verification':
      return isStr(body.challenge) ? null : 'no challenge';
    case 'event_callback':
      return isObj(body.event) && isStr(body.event.type) && isStr(body.event_id) ? null : 'incomplete event';
    case 'block_actions': {
      const actions = body.actions;
      const ok = Array.isArray(actions) && actions.length > 0 && actions.every((a) => isObj(a) && isStr(a.action_id));
      return ok && isUser(body.user) && isStr(body.trigger_id) ? null : 'incomplete block action';
    }
    case 'view_submission':
    case 'view_closed':
      return isUser(body.user) && isObj(body.view) && isStr(body.view.id) ? null : 'incomplete view';
    default:
      return null;
  }
}

const isUser = (v: unknown): boolean => isObj(v) && isStr(v.id);
