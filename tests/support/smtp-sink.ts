// A real SMTP server (the `smtp-server` package) on 127.0.0.1 for email tests (docs/architecture.md#testing): it
// accepts every message, records the envelope and the raw DATA, and decodes the parts tests look at (subject, text,
// HTML).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted. */
export interface ReceivedMail {
  /** Envelope sender (`MAIL FROM`) and recipients (`RCPT TO`). */
  mailFrom: string;
  rcptTo: string[];
  /** Header fields by lower-case name (first occurrence, unfolded, encoded words decoded). */
  headers: Map<string, string>;
  subject: string;
  /** The decoded `text/plain` and `text/html` parts, when present. */
  text: string | undefined;
  html: string | undefined;
  /** The message exactly as received (DATA, dot-unstuffed). */
  raw: string;
  at: number;
}

/** An SMTP reply the sink gives instead of accepting the next message, e.g. `550` (permanent) or `451` (transient). */
interface Rejection {
  responseCode: number;
  message: string;
}

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const unwrapped = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function parsePart(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** The leaf parts of a message, descending into `multipart/*` (enough for what nodemailer builds). */
function leafParts(part: MimePart): MimePart[] {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((s) => !s.startsWith('--'))
    .flatMap((s) => leafParts(parsePart(s.replace(/^\r?\n/, '').replace(/\r?\n$/, ''))));
}

/** Parses what nodemailer sends: headers, subject, and the text and HTML parts. */
export function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const message = parsePart(raw);
  const leaves = leafParts(message);
  const ofType = (t: string) => leaves.find((p) => (p.headers.get('content-type') ?? 'text/plain').startsWith(t));
  const [text, html] = [ofType('text/plain'), ofType('text/html')];
  return {
    headers: message.headers,
    subject: message.headers.get('subject') ?? '',
    text: text ? decodeBody(text) : undefined,
    html: html ? decodeBody(html) : undefined,
  };
}

/** A running SMTP sink. Create it with {@link startSmtpSink}; `close()` it in `afterAll`. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Every DATA transfer, accepted or rejected. */
  attempts = 0;
  readonly #rejections: Rejection[] = [];
  readonly #server: SMTPServer;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      // No STARTTLS offer: the sink has no certificate a client would trust, and the URL is plain smtp://.
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.attempts++;
          const rejection = this.#rejections.shift();
          if (rejection) {
            const err = Object.assign(new Error(rejection.message), { responseCode: rejection.responseCode });
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const { mailFrom, rcptTo } = session.envelope;
          this.messages.push({
            mailFrom: mailFrom ? mailFrom.address : '',
            rcptTo: rcptTo.map((r) => r.address),
            raw,
            at: Date.now(),
            ...parseMail(raw),
          });
          callback(null);
        });
      },
    });
  }

  /** `smtp://127.0.0.1:P` — what `SMTP_URL` would be. Valid after {@link startSmtpSink} resolved. */
  get url(): string {
    const { port } = this.#server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /** Rejects the next message with this SMTP reply (queued: call it several times to reject several). */
  rejectNext(responseCode: number, message = 'Rejected by the test'): void {
    this.#rejections.push({ responseCode, message });
  }

  /** Messages sent to one recipient. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.rcptTo.includes(address));
  }

  reset(): void {
    this.messages.length = 0;
    this.#rejections.length = 0;
    this.attempts = 0;
  }

  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.#server.server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve(this));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Starts an SMTP sink on a free port of 127.0.0.1. */
export function startSmtpSink(): Promise<SmtpSink> {
  return new SmtpSink().listen();
}
