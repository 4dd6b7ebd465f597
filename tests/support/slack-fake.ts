// A loopback fake of Slack's Web API for end-to-end tests: it speaks the real wire format and records every request, so
// tests assert on what Tally actually sent instead of stubbing Tally's own modules (docs/architecture.md#testing).
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received: a Web API method call, a file upload or a `response_url` post. */
export interface SlackCall {
  /** Web API method (`chat.postMessage`), or `upload` for `POST /upload/<fileId>`, or `response` for `POST /response/<id>`. */
  method: string;
  /** Bearer token from the `Authorization` header, else the `token` body field; `undefined` when neither was sent. */
  token: string | undefined;
  /**
   * The decoded body. Form fields stay strings as on the wire (`length: '11'`), except JSON-encoded objects and arrays
   * (`blocks`, `view`, `files`, …), which are parsed. JSON bodies are parsed whole. Multipart file parts become
   * `{ filename, bytes }`. For `upload` it is `{ file_id, bytes, filename }`.
   */
  body: Record<string, unknown>;
  /** Arrival time (`Date.now()`), path (`/api/chat.postMessage`) and `Content-Type` header (`''` when absent). */
  at: number;
  path: string;
  contentType: string;
  /** HTTP status and reply of the fake: a JSON object for Web API methods, text for uploads and responses. */
  status: number;
  reply: Record<string, unknown> | string;
}

/** A file body received on `POST /upload/<fileId>` (step 2 of `filesUploadV2`). */
export interface SlackUpload {
  fileId: string;
  /** Byte length of the file part (multipart) or of the raw body. */
  bytes: number;
  /** File name of the multipart part, when there was one. */
  filename: string | undefined;
  token: string | undefined;
  at: number;
}

/** A JSON message posted to a `response_url` (what Bolt's `respond()` sends). */
export interface SlackResponse {
  /** The `<id>` of `/response/<id>`, see {@link SlackFake.responseUrl}. */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** An injected failure. */
export interface SlackFailure {
  /** Slack error code, e.g. `not_in_channel`, `channel_not_found`, `invalid_auth`. */
  error: string;
  /** HTTP status. @defaultValue `200` for Web API methods (as Slack), `500` for `upload`, `404` for `response` (expired). */
  status?: number;
}

/** Computes a reply for one method, overriding the built-in behaviour (see {@link SlackFake.respondWith}). */
export type SlackReplyHandler = (call: Pick<SlackCall, 'method' | 'token' | 'body'>) => Record<string, unknown>;

/** Identity of the fake workspace and bot. @defaultValue `T0001`, `tally-test`, `UBOT`, `BBOT` */
export interface SlackFakeOptions {
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
}

type Injection = { error: string; status: number | undefined } | { retryAfter: number };
/** HTTP status, reply body and extra headers. */
type Answer<R> = [number, R, Record<string, string>];
type Body = Record<string, unknown>;

/** Form fields that carry free text: never JSON-decoded even when they look like JSON. */
const FREE_TEXT = new Set(['text', 'initial_comment', 'alt_text', 'title', 'filename', 'markdown_text', 'content']);
const BASE_SECONDS = 1_700_000_000;

function decodeValue(key: string, value: string): unknown {
  if (FREE_TEXT.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Decodes a form-urlencoded, JSON or multipart body as Slack would read it; an undecodable body becomes `{ _raw }`. */
async function safeDecode(raw: Buffer, contentType: string): Promise<Body> {
  const body: Body = {};
  try {
    if (contentType.startsWith('application/json')) {
      return raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Body);
    }
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      for (const [key, value] of form.entries()) {
        body[key] = typeof value === 'string' ? decodeValue(key, value) : { filename: value.name, bytes: value.size };
      }
      return body;
    }
  } catch {
    return { _raw: raw.toString('utf8') };
  }
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) body[key] = decodeValue(key, value);
  return body;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fail(error: string): Body {
  return { ok: false, error };
}

/** For timeout messages: every recorded method with its count, then the bodies sent to `method`. */
function summarize(calls: readonly SlackCall[], method: string): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
  const listed = [...counts].map(([m, n]) => (n > 1 ? `${m} ×${n}` : m)).join(', ') || 'none';
  const bodies = calls.filter((c) => c.method === method).map((c) => `\n  ${JSON.stringify(c.body).slice(0, 300)}`);
  return `recorded calls: ${listed}${bodies.length > 0 ? `; ${method} bodies:${bodies.join('')}` : ''}`;
}

/**
 * What the built-in replies need; `issuedFiles` maps ids from `files.getUploadURLExternal` to their file names,
 * `usergroups` user group ids to their members (see {@link SlackFake.setUsergroup}).
 */
interface World extends Required<SlackFakeOptions> {
  origin: string;
  issuedFiles: Map<string, string>;
  usergroups: Map<string, string[]>;
  nextTs(): string;
  nextId(): string;
}

/** The posted message as Slack echoes it; `undefined` fields vanish on the wire. */
function botMessage({ text = '', blocks, thread_ts }: Body, ts: string, w: World): Body {
  return { type: 'message', text, user: w.botUserId, bot_id: w.botId, team: w.teamId, ts, blocks, thread_ts };
}

function viewReply(body: Body, w: World, id = `V${w.nextId()}`): Body {
  const view = typeof body.view === 'object' && body.view !== null ? (body.view as Body) : {};
  return { ok: true, view: { ...view, id, team_id: w.teamId, hash: `${Date.now()}.${id}` } };
}

/** Built-in replies of the Web API methods Tally uses, with Slack's error codes for missing arguments. */
const METHODS: Record<string, (body: Body, w: World) => Body> = {
  'auth.test': (_body, w) => ({
    ok: true,
    url: `https://${w.teamDomain}.slack.com/`,
    team: 'Tally Test',
    user: 'tally',
    team_id: w.teamId,
    user_id: w.botUserId,
    bot_id: w.botId,
  }),
  'chat.postMessage': (body, w) => {
    const channel = str(body.channel);
    if (channel === undefined) return fail('channel_not_found');
    if (body.text === undefined && body.blocks === undefined && body.attachments === undefined) {
      return fail('no_text');
    }
    const ts = w.nextTs();
    return { ok: true, channel, ts, message: botMessage(body, ts, w) };
  },
  'chat.update': (body, w) => {
    const [channel, ts] = [str(body.channel), str(body.ts)];
    if (channel === undefined) return fail('channel_not_found');
    return ts === undefined ? fail('message_not_found') : { ok: true, channel, ts, message: botMessage(body, ts, w) };
  },
  'chat.postEphemeral': (body, w) => {
    if (str(body.channel) === undefined) return fail('channel_not_found');
    return str(body.user) === undefined ? fail('user_not_in_channel') : { ok: true, message_ts: w.nextTs() };
  },
  'chat.delete': (body) => {
    const [channel, ts] = [str(body.channel), str(body.ts)];
    if (channel === undefined) return fail('channel_not_found');
    return ts === undefined ? fail('message_not_found') : { ok: true, channel, ts };
  },
  'views.publish': (body, w) => (str(body.user_id) === undefined ? fail('invalid_arguments') : viewReply(body, w)),
  'views.open': (body, w) => (str(body.trigger_id) === undefined ? fail('invalid_arguments') : viewReply(body, w)),
  'views.update': (body, w) => viewReply(body, w, str(body.view_id)),
  'files.getUploadURLExternal': (body, w) => {
    const filename = str(body.filename);
    if (filename === undefined || str(body.length) === undefined) return fail('invalid_arguments');
    const fileId = `F${w.nextId()}`;
    w.issuedFiles.set(fileId, filename);
    return { ok: true, upload_url: `${w.origin}/upload/${fileId}`, file_id: fileId };
  },
  'files.completeUploadExternal': (body, w) => {
    const files = Array.isArray(body.files) ? (body.files as Body[]) : [];
    if (files.length === 0) return fail('invalid_arguments');
    if (files.some((f) => !w.issuedFiles.has(String(f.id)))) return fail('file_not_found');
    const name = (f: Body): string => w.issuedFiles.get(String(f.id)) ?? '';
    return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? name(f), name: name(f) })) };
  },
  'users.info': (body, w) => {
    const id = str(body.user);
    if (id === undefined) return fail('user_not_found');
    const [name, real_name] = [id.toLowerCase(), `User ${id}`];
    const profile = { display_name: name, real_name, email: `${name}@example.com` };
    return {
      ok: true,
      user: { id, team_id: w.teamId, name, real_name, tz: 'UTC', tz_offset: 0, is_bot: false, profile },
    };
  },
  'conversations.open': (body) => {
    const users =
      str(body.users)
        ?.split(',')
        .filter((u) => u !== '') ?? [];
    if (users.length === 0) return fail('users_list_not_supplied');
    // One user: their DM with the bot, `D<user>`; several: a group DM, `G<users>`.
    const id = users.length === 1 ? `D${users[0]}` : `G${users.join('')}`;
    return { ok: true, channel: { id } };
  },
  'usergroups.users.list': (body, w) => {
    const users = w.usergroups.get(str(body.usergroup) ?? '');
    return users === undefined ? fail('no_such_subteam') : { ok: true, users: [...users] };
  },
  'conversations.info': (body) => {
    const id = str(body.channel);
    if (id === undefined) return fail('channel_not_found');
    const [is_im, name] = [id.startsWith('D'), `channel-${id.toLowerCase()}`];
    return { ok: true, channel: { id, name, is_channel: !is_im, is_im, is_private: false, is_member: true } };
  },
};

/**
 * A running fake Slack Web API on 127.0.0.1 that answers the methods Tally uses and records every request.
 * Create it with {@link startSlackFake}; `close()` it in `afterAll`, `reset()` it between tests.
 */
export class SlackFake {
  /** Every request in arrival order, including the `upload` and `response` pseudo-methods. */
  readonly calls: SlackCall[] = [];
  /** File bodies received on `POST /upload/<fileId>` (step 2 of `filesUploadV2`) that were answered 200. */
  readonly uploads: SlackUpload[] = [];
  /** Messages posted to a {@link SlackFake.responseUrl} (Bolt's `respond()`) that were answered 200. */
  readonly responses: SlackResponse[] = [];
  readonly #world: World;
  readonly #injections = new Map<string, Injection[]>();
  readonly #channelFailures = new Map<string, string>();
  readonly #overrides = new Map<string, SlackReplyHandler>();
  readonly #emitter = new EventEmitter();
  readonly #server = createServer((req, res) => {
    const send = ([status, reply, headers]: Answer<Body | string>): void => {
      const json = typeof reply !== 'string';
      res.writeHead(status, { 'content-type': json ? 'application/json; charset=utf-8' : 'text/plain', ...headers });
      res.end(json ? JSON.stringify(reply) : reply);
    };
    req
      .toArray()
      .then((chunks: Buffer[]) => this.#route(req, Buffer.concat(chunks)))
      .then(send, (error: unknown) => send([500, fail(`fake_internal_error: ${String(error)}`), {}]));
  });

  /** Use {@link startSlackFake}, which also starts listening. */
  constructor(options: SlackFakeOptions = {}) {
    const { teamId = 'T0001', teamDomain = 'tally-test', botUserId = 'UBOT', botId = 'BBOT' } = options;
    let seq = 0;
    this.#world = {
      ...{ teamId, teamDomain, botUserId, botId, origin: '', issuedFiles: new Map(), usergroups: new Map() },
      /** Unique, increasing message timestamps: 1700000000.000100, 1700000000.000200, … */
      nextTs: () => {
        const micros = ++seq * 100;
        return `${BASE_SECONDS + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
      },
      nextId: () => String(++seq).padStart(6, '0'),
    };
  }

  /** `http://127.0.0.1:P`. */
  get origin(): string {
    return this.#world.origin;
  }

  /** `http://127.0.0.1:P/api/`: the `slackApiUrl` / `SLACK_API_URL` base (ends with `/`). */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** Binds a free port on 127.0.0.1. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#world.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server and drops open keep-alive connections. */
  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** The calls to one method, in order. */
  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first recorded call (already received or arriving later) to `method` that satisfies `predicate`.
   * Rejects after `timeoutMs` with a message listing every recorded method and the bodies sent to `method`.
   * @param timeoutMs - @defaultValue `5000`
   */
  waitFor(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs = 5000): Promise<SlackCall> {
    const matches = (c: SlackCall): boolean => c.method === method && (predicate === undefined || predicate(c));
    const found = this.calls.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const settle = (done: () => void): void => {
        clearTimeout(timer);
        this.#emitter.off('call', onCall);
        done();
      };
      const onCall = (call: SlackCall): void => {
        try {
          if (matches(call)) settle(() => resolve(call));
        } catch (error) {
          settle(() => reject(error));
        }
      };
      const timer = setTimeout(() => {
        const what = predicate === undefined ? `${method} call` : `${method} call matching the predicate`;
        const message = `Slack fake: no ${what} within ${timeoutMs} ms; ${summarize(this.calls, method)}`;
        settle(() => reject(new Error(message)));
      }, timeoutMs);
      this.#emitter.on('call', onCall);
    });
  }

  /** A `response_url` on this fake; JSON posted to it lands in {@link SlackFake.responses} with this `id`. */
  responseUrl(id: string): string {
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }

  /** The next call to `method` (or `upload`, `response`) fails with `failure`; queued, each consumed once. */
  failNext(method: string, { error, status }: SlackFailure): void {
    this.#injections.set(method, [...(this.#injections.get(method) ?? []), { error, status }]);
  }

  /** The next call to `method` gets HTTP 429, `Retry-After: <seconds>` and `{ ok: false, error: 'ratelimited' }`; once. */
  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.#injections.set(method, [...(this.#injections.get(method) ?? []), { retryAfter: retryAfterSeconds }]);
  }

  /** Every later call whose `channel` or `channel_id` is `channel` answers `{ ok: false, error }` until {@link reset}. */
  failForChannel(channel: string, error: string): void {
    this.#channelFailures.set(channel, error);
  }

  /** Replaces the built-in reply of `method` (also for methods the fake does not know) until {@link reset}. */
  respondWith(method: string, handler: SlackReplyHandler): void {
    this.#overrides.set(method, handler);
  }

  /**
   * Sets the members of a user group (`S0123ABC`) that `usergroups.users.list` answers with until {@link reset}; an
   * unknown group answers `no_such_subteam`.
   */
  setUsergroup(id: string, users: readonly string[]): void {
    this.#world.usergroups.set(id, [...users]);
  }

  /**
   * Forgets recorded calls, uploads, responses, injected failures, overrides and user groups; `ts` and file ids stay
   * unique.
   */
  reset(): void {
    this.calls.length = 0;
    this.uploads.length = 0;
    this.responses.length = 0;
    this.#world.usergroups.clear();
    this.#injections.clear();
    this.#channelFailures.clear();
    this.#overrides.clear();
  }

  #record(call: SlackCall): void {
    this.calls.push(call);
    this.#emitter.emit('call', call);
  }

  /** An injected failure for `method`, as an answer; JSON for Web API methods, text for uploads and responses. */
  #injected<R extends Body | string>(method: string, fallbackStatus: number, wrap: (error: string) => R) {
    const injected = this.#injections.get(method)?.shift();
    if (injected === undefined) return undefined;
    if ('retryAfter' in injected) {
      return [429, wrap('ratelimited'), { 'retry-after': String(injected.retryAfter) }] satisfies Answer<R>;
    }
    return [injected.status ?? fallbackStatus, wrap(injected.error), {}] satisfies Answer<R>;
  }

  /** Decides the answer to a Web API method call: injected failure, auth, channel failure, override, built-in. */
  #answerApi(method: string, token: string | undefined, body: Body): Answer<Body> {
    const injected = this.#injected(method, 200, fail);
    if (injected !== undefined) return injected;
    if (token === undefined) return [200, fail('not_authed'), {}];
    const channel = str(body.channel) ?? str(body.channel_id);
    const channelError = channel === undefined ? undefined : this.#channelFailures.get(channel);
    if (channelError !== undefined) return [200, fail(channelError), {}];
    const override = this.#overrides.get(method);
    if (override !== undefined) return [200, override({ method, token, body }), {}];
    const builtIn = METHODS[method];
    return [200, builtIn === undefined ? fail('unknown_method') : builtIn(body, this.#world), {}];
  }

  /** Routes `/api/<method>`, `/upload/<fileId>` and `/response/<id>`; records the call and returns the answer. */
  async #route(req: IncomingMessage, raw: Buffer): Promise<Answer<Body | string>> {
    const url = new URL(req.url ?? '/', this.origin);
    const contentType = req.headers['content-type'] ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const base = { token, path: url.pathname, contentType, at: Date.now() };
    const [, kind, rest = ''] = /^\/(api|upload|response)\/(.+)$/.exec(url.pathname) ?? [];
    let answer: Answer<Body | string> = [404, 'not found', {}];
    if (kind === 'api') {
      const body = await safeDecode(raw, contentType);
      for (const [key, value] of url.searchParams) body[key] ??= decodeValue(key, value);
      const bearer = token ?? str(body.token);
      answer = this.#answerApi(rest, bearer, body);
      this.#record({ ...base, method: rest, token: bearer, body, status: answer[0], reply: answer[1] });
    } else if (kind === 'upload') {
      const known: Answer<string> = this.#world.issuedFiles.has(rest) ? [200, 'OK', {}] : [404, 'unknown_upload', {}];
      answer = this.#injected('upload', 500, String) ?? known;
      const part = contentType.startsWith('multipart/form-data')
        ? Object.values(await safeDecode(raw, contentType)).find(
            (v): v is { filename: string; bytes: number } => typeof v === 'object' && v !== null && 'bytes' in v,
          )
        : { filename: undefined, bytes: raw.length };
      const [bytes, filename] = [part?.bytes ?? 0, part?.filename];
      if (answer[0] === 200) this.uploads.push({ fileId: rest, bytes, filename, token, at: base.at });
      const body = { file_id: rest, bytes, filename };
      this.#record({ ...base, method: 'upload', body, status: answer[0], reply: answer[1] });
    } else if (kind === 'response') {
      answer = this.#injected('response', 404, String) ?? [200, 'ok', {}];
      const body = await safeDecode(raw, 'application/json');
      if (answer[0] === 200) this.responses.push({ id: decodeURIComponent(rest), body, at: base.at });
      this.#record({ ...base, method: 'response', body, status: answer[0], reply: answer[1] });
    }
    return answer;
  }
}

/**
 * Starts a {@link SlackFake} on 127.0.0.1 (a free port).
 * @example
 * const fake = await startSlackFake();
 * const client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
 * await client.chat.postMessage({ channel: 'C1', text: 'hi' });
 * expect((await fake.waitFor('chat.postMessage')).body.text).toBe('hi');
 */
export function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  return new SlackFake(options).listen();
}
