// A loopback fake of the Bot Connector service for Teams tests: it speaks the v3 REST paths botbuilder's connector
// client calls and records every request, so tests assert on what Tally actually sent instead of stubbing Tally's own
// modules (docs/architecture.md#testing). Point an activity's `serviceUrl` at `fake.serviceUrl`.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a request was: `send` (`POST /v3/conversations/{id}/activities`), `reply`
 * (`POST …/activities/{replyToId}`), `update` (`PUT …/activities/{id}`), `delete` (`DELETE …/activities/{id}`),
 * `create` (`POST /v3/conversations`), `members` (`GET …/members`), or `other`.
 */
export type ConnectorCallKind = 'send' | 'reply' | 'update' | 'delete' | 'create' | 'members' | 'other';

/** One request the fake received. */
export interface ConnectorCall {
  kind: ConnectorCallKind;
  method: string;
  /** The raw path, e.g. `/v3/conversations/a%3Aconv1/activities/act-1`. */
  path: string;
  /** The decoded conversation id of the path (`a:conv1`, `19:x@thread.tacv2;messageid=17`); `''` for `create`. */
  conversationId: string;
  /** The decoded activity id of the path: the `replyToId` of a reply, the id of an update or delete. */
  activityId?: string;
  /** The JSON body (an activity, or conversation parameters for `create`); `{}` when there was none. */
  body: Record<string, unknown>;
  /** The `Authorization` header, when one was sent. */
  authorization?: string;
  /** HTTP status and JSON answer of the fake (an array for `GET …/members`). */
  status: number;
  reply: unknown;
  at: number;
}

/** An injected failure: the next matching call answers `status` with a Bot Framework error body. */
export interface ConnectorFailure {
  status: number;
  /** The error code in `{ error: { code, message } }`, e.g. `BotNotInConversationRoster`. */
  code: string;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const MEMBERS = /^\/v3\/conversations\/([^/]+)\/(?:paged)?members\/?$/;

function classify(method: string, path: string): Pick<ConnectorCall, 'kind' | 'conversationId' | 'activityId'> {
  if (method === 'POST' && /^\/v3\/conversations\/?$/.test(path)) return { kind: 'create', conversationId: '' };
  const members = MEMBERS.exec(path);
  if (members && method === 'GET') return { kind: 'members', conversationId: decodeURIComponent(members[1] ?? '') };
  const m = ACTIVITIES.exec(path);
  if (!m) return { kind: 'other', conversationId: '' };
  const conversationId = decodeURIComponent(m[1] ?? '');
  const activityId = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  const ids = { conversationId, ...(activityId === undefined ? {} : { activityId }) };
  if (method === 'POST') return { kind: activityId === undefined ? 'send' : 'reply', ...ids };
  if (method === 'PUT' && activityId !== undefined) return { kind: 'update', ...ids };
  if (method === 'DELETE' && activityId !== undefined) return { kind: 'delete', ...ids };
  return { kind: 'other', ...ids };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { _raw: raw };
  } catch {
    return { _raw: raw };
  }
}

/**
 * The fake connector. Create it with {@link startBotConnectorFake}; `close()` it in `afterAll`, `reset()` it
 * between tests. Activity ids it hands out are `act-1`, `act-2`, …; created conversations are `conv-1`, ….
 */
export class BotConnectorFake {
  readonly calls: ConnectorCall[] = [];
  readonly #server: Server;
  readonly #emitter = new EventEmitter();
  readonly #failures: {
    kind: ConnectorCallKind;
    failure: ConnectorFailure;
    when?: ((body: Record<string, unknown>) => boolean) | undefined;
  }[] = [];
  readonly #members = new Map<string, Record<string, unknown>[]>();
  #next = 0;
  #origin = '';

  constructor() {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, reply }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
  }

  /** `http://127.0.0.1:<port>/`: the `serviceUrl` of activities whose replies should land here. */
  get serviceUrl(): string {
    return `${this.#origin}/`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Forgets recorded calls, injected failures and members. */
  reset(): void {
    this.calls.length = 0;
    this.#failures.length = 0;
    this.#members.clear();
  }

  /**
   * The next call of `kind` (whose body matches `when`, if given) fails with `failure`, once per call to this method.
   * Use a 4xx status: botbuilder's connector client retries 5xx answers with back-off.
   */
  failNext(
    kind: ConnectorCallKind,
    failure: ConnectorFailure,
    when?: (body: Record<string, unknown>) => boolean,
  ): void {
    this.#failures.push({ kind, failure, when });
  }

  /** Members `GET …/members` answers for a conversation (`[]` by default). */
  setMembers(conversationId: string, members: Record<string, unknown>[]): void {
    this.#members.set(conversationId, members);
  }

  /** Recorded calls of one kind, optionally filtered. */
  callsOf(kind: ConnectorCallKind, predicate?: (call: ConnectorCall) => boolean): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === kind && (predicate === undefined || predicate(c)));
  }

  /**
   * The first call (recorded or arriving) of `kind` matching `predicate`. Rejects after `timeoutMs` listing every
   * recorded call.
   * @param timeoutMs - @defaultValue `5000`
   */
  waitFor(
    kind: ConnectorCallKind,
    predicate?: (call: ConnectorCall) => boolean,
    timeoutMs = 5000,
  ): Promise<ConnectorCall> {
    const matches = (c: ConnectorCall) => c.kind === kind && (predicate === undefined || predicate(c));
    const found = this.calls.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: ConnectorCall) => {
        if (!matches(call)) return;
        clearTimeout(timer);
        this.#emitter.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.#emitter.off('call', onCall);
        const seen = this.calls.map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body).slice(0, 200)}`);
        reject(new Error(`Bot Connector fake: no ${kind} call within ${timeoutMs} ms; recorded:\n${seen.join('\n')}`));
      }, timeoutMs);
      this.#emitter.on('call', onCall);
    });
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; reply: unknown }> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(req);
    const what = classify(method, path);
    const { status, reply } = this.#answer(what, body, path);
    const call: ConnectorCall = {
      ...what,
      method,
      path,
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status,
      reply,
      at: Date.now(),
    };
    this.calls.push(call);
    this.#emitter.emit('call', call);
    return { status, reply };
  }

  #answer(
    what: Pick<ConnectorCall, 'kind' | 'conversationId' | 'activityId'>,
    body: Record<string, unknown>,
    path: string,
  ): { status: number; reply: unknown } {
    const failing = this.#failures.findIndex((f) => f.kind === what.kind && (f.when === undefined || f.when(body)));
    if (failing >= 0) {
      const { failure } = this.#failures.splice(failing, 1)[0]!;
      return { status: failure.status, reply: { error: { code: failure.code, message: failure.code } } };
    }
    switch (what.kind) {
      case 'send':
      case 'reply':
        return { status: 200, reply: { id: `act-${++this.#next}` } };
      case 'update':
        return { status: 200, reply: { id: what.activityId ?? '' } };
      case 'delete':
        return { status: 200, reply: {} };
      case 'create': {
        const id = `conv-${++this.#next}`;
        const activity = typeof body.activity === 'object' && body.activity !== null;
        return { status: 200, reply: { id, ...(activity ? { activityId: `act-${++this.#next}` } : {}) } };
      }
      case 'members': {
        const members = this.#members.get(what.conversationId) ?? [];
        return { status: 200, reply: path.includes('/pagedmembers') ? { members } : members };
      }
      default:
        return { status: 404, reply: { error: { code: 'NotFound', message: 'unknown path' } } };
    }
  }
}

/**
 * Starts a fake Bot Connector on 127.0.0.1.
 * @example
 * const connector = await startBotConnectorFake();
 * await post(personalMessage({ text: 'cost last month', serviceUrl: connector.serviceUrl }));
 * const reply = await connector.waitFor('reply', (c) => c.body.type === 'message');
 */
export function startBotConnectorFake(): Promise<BotConnectorFake> {
  return new BotConnectorFake().listen();
}
