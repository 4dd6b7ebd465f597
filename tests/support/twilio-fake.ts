// A loopback fake of Twilio's Messages API: `POST /2010-04-01/Accounts/{sid}/Messages.json` with a
// form body, HTTP basic auth (account SID and auth token), Twilio's JSON replies and error shape. It records every
// request, so tests assert on what Tally sent instead of stubbing Tally's own modules (docs/architecture.md#testing).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SMS the fake accepted. */
export interface TwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  at: number;
}

/** One request, accepted or not. */
export interface TwilioRequest {
  method: string;
  path: string;
  /** The basic-auth user name, when there was one. */
  user: string | undefined;
  form: Record<string, string>;
  status: number;
  at: number;
}

interface Failure {
  status: number;
  code: number;
  message: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/** Twilio's error body (`code`, `message`, `more_info`, `status`), as its API sends it. */
const errorBody = (f: Failure) => ({
  code: f.code,
  message: f.message,
  more_info: `https://www.twilio.com/docs/errors/${f.code}`,
  status: f.status,
});

/** A running Twilio fake. Create it with {@link startTwilioFake}; `close()` it in `afterAll`. */
export class TwilioFake {
  readonly messages: TwilioMessage[] = [];
  readonly requests: TwilioRequest[] = [];
  readonly #failures: Failure[] = [];
  readonly #server = createServer((req, res) => void this.#handle(req, res));

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  /** `http://127.0.0.1:P` — the `apiBaseUrl` of the Twilio sender. Valid after {@link startTwilioFake} resolved. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /**
   * Answers the next message request with this HTTP status and Twilio error code (queued: call it several times to
   * fail several requests), e.g. `failNext(500, 20500)`, `failNext(429, 20429)`, `failNext(400, 21610)`.
   */
  failNext(status: number, code: number, message = `Injected failure ${code}`): void {
    this.#failures.push({ status, code, message });
  }

  /** Messages sent to one number. */
  to(number: string): TwilioMessage[] {
    return this.messages.filter((m) => m.to === number);
  }

  reset(): void {
    this.messages.length = 0;
    this.requests.length = 0;
    this.#failures.length = 0;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const path = (req.url ?? '').split('?')[0] ?? '';
    const [user, password] = basicAuth(req.headers.authorization);
    const [status, reply] = this.#answer(req.method ?? '', path, user, password, form);
    this.requests.push({ method: req.method ?? '', path, user, form, status, at: Date.now() });
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply));
  }

  #answer(
    method: string,
    path: string,
    user: string | undefined,
    password: string | undefined,
    form: Record<string, string>,
  ): [number, Record<string, unknown>] {
    const match = MESSAGES_PATH.exec(path);
    if (!match || method !== 'POST') {
      return [404, errorBody({ status: 404, code: 20404, message: `The requested resource ${path} was not found` })];
    }
    if (user !== this.accountSid || password !== this.authToken) {
      return [401, errorBody({ status: 401, code: 20003, message: 'Authenticate' })];
    }
    if (match[1] !== this.accountSid) {
      return [404, errorBody({ status: 404, code: 20404, message: `The requested resource ${path} was not found` })];
    }
    const failure = this.#failures.shift();
    if (failure) return [failure.status, errorBody(failure)];
    const { To: to, From: from, Body: body } = form;
    if (!to) return [400, errorBody({ status: 400, code: 21604, message: "A 'To' phone number is required." })];
    if (!E164.test(to)) {
      return [
        400,
        errorBody({ status: 400, code: 21211, message: `The 'To' number ${to} is not a valid phone number.` }),
      ];
    }
    if (!from) return [400, errorBody({ status: 400, code: 21603, message: "A 'From' phone number is required." })];
    if (!body) return [400, errorBody({ status: 400, code: 21602, message: 'Message body is required.' })];
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.messages.push({ sid, accountSid: this.accountSid, to, from, body, at: Date.now() });
    return [201, messageResource(sid, this.accountSid, to, from, body)];
  }

  listen(): Promise<this> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve(this)));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function basicAuth(header: string | undefined): [string | undefined, string | undefined] {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return [undefined, undefined];
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [decoded, undefined] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** The Message resource Twilio returns on create (status `queued`). */
function messageResource(sid: string, accountSid: string, to: string, from: string, body: string) {
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil([...body].length / 153))),
    price: null,
    price_unit: 'USD',
    sid,
    status: 'queued',
    subresource_uris: { media: uri.replace('.json', '/Media.json') },
    to,
    uri,
  };
}

/** Starts a Twilio fake on a free port of 127.0.0.1 for one account. */
export function startTwilioFake(
  accountSid = `AC${'0'.repeat(31)}1`,
  authToken = 'twilio-test-token',
): Promise<TwilioFake> {
  return new TwilioFake(accountSid, authToken).listen();
}
