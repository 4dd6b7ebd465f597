import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { SmsSender } from '../../src/notifications/notification.types.js';
import { TallyError } from '../../src/shared/errors.js';

/** What the Twilio sender needs: `config.sms` once all three `TWILIO_*` variables are set. */
export interface TwilioSmsSenderConfig {
  /** `AC…` */
  accountSid: string;
  /** Secret: never logged. */
  authToken: string;
  /** The sending number (E.164) or messaging service sender. */
  from: string;
  /**
   * Where Twilio's API is, instead of `https://api.twilio.com` (tests point it at a loopback fake).
   * @defaultValue Twilio's own hosts
   */
  apiBaseUrl?: string;
  /** Per-request timeout in ms. @defaultValue 15000 */
  timeoutMs?: number;
}

/**
 * A Twilio HTTP client that sends every request to `baseUrl` instead of `https://*.twilio.com`, keeping path and
 * query: a subclass of twilio's `RequestClient` that rewrites `opts.uri`.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: URL,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    const rebased = uri.hostname.endsWith('twilio.com')
      ? new URL(`${uri.pathname}${uri.search}`, this.baseUrl).toString()
      : opts.uri;
    return super.request<TData>({ ...opts, uri: rebased });
  }
}

/** Twilio's HTTP status and error code of a failed API call (`RestException`), when there was a response. */
interface TwilioErrorShape {
  status?: unknown;
  code?: unknown;
}

/**
 * Maps a Twilio failure to a TallyError at the edge (docs/architecture.md#errors): HTTP 429 → `CLOUD_THROTTLED`;
 * anything else → `CHAT_FAILED` (Tally's code for an undelivered message, named when chat was the only channel).
 * Metadata: `{ operation, status, twilioCode, retryable }`. `retryable` is false for the other 4xx replies (invalid or
 * unsubscribed number, bad credentials: another attempt gets the same answer) and true for 408, 429, 5xx and network
 * errors (no status). A TallyError passes unchanged.
 */
function handleTwilioError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const e = (err ?? {}) as TwilioErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  // A RestException's `code` is Twilio's number (21211 = invalid To); a network error's is Node's (`ECONNREFUSED`).
  const twilioCode = typeof e.code === 'number' ? e.code : undefined;
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  const what = status !== undefined ? `HTTP ${status}${twilioCode ? ` (Twilio ${twilioCode})` : ''}` : networkCode;
  throw new TallyError(
    status === 429 ? 'CLOUD_THROTTLED' : 'CHAT_FAILED',
    `SMS could not be sent: ${what ?? 'error'}`,
    {
      cause: err,
      metadata: { operation, status, twilioCode, ...(networkCode ? { networkCode } : {}), retryable },
    },
  );
}

/**
 * `SmsSender` on Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`). The SDK's own 429
 * retries are off: the notify queue retries with its backoff, and a retry inside a job would hold it.
 */
export class TwilioSmsSender implements SmsSender {
  constructor(
    private readonly client: twilio.Twilio,
    private readonly from: string,
  ) {}

  /** @throws TallyError `CLOUD_THROTTLED` or `CHAT_FAILED`, operation `twilio.messages.create` ({@link handleTwilioError}). */
  async send(message: { to: string; body: string }): Promise<void> {
    try {
      await this.client.messages.create({ to: message.to, from: this.from, body: message.body });
    } catch (err) {
      handleTwilioError(err, 'twilio.messages.create');
    }
  }
}

/**
 * Builds the Twilio sender from `config.sms`.
 *
 * @example
 * const sms = config.sms.enabled
 *   ? createTwilioSmsSender({ accountSid: config.sms.accountSid!, authToken: config.sms.authToken!, from: config.sms.from! })
 *   : null;
 */
export function createTwilioSmsSender(config: TwilioSmsSenderConfig): TwilioSmsSender {
  const clientOptions = { autoRetry: false, timeout: config.timeoutMs ?? 15_000 };
  const httpClient = config.apiBaseUrl
    ? new RebasedRequestClient(new URL(config.apiBaseUrl), clientOptions)
    : new twilio.RequestClient(clientOptions);
  const client = twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false });
  return new TwilioSmsSender(client, config.from);
}
