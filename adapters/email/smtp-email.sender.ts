import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import type { EmailSender } from '../../src/notifications/notification.types.js';
import { TallyError } from '../../src/shared/errors.js';

/** What the SMTP sender needs: `config.email` once `SMTP_URL` and `TALLY_EMAIL_FROM` are set. */
export interface SmtpEmailSenderConfig {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`; nodemailer reads further
   * options from the query string (`?pool=true`, `?tls.rejectUnauthorized=false`). Holds credentials: never logged.
   */
  smtpUrl: string;
  /** Sender address, e.g. `Tally <tally@example.com>`. */
  from: string;
}

/** nodemailer codes that another attempt cannot fix: bad credentials or configuration, no valid recipient. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE']);

/**
 * Maps a nodemailer failure to a TallyError at the edge (docs/architecture.md#errors). The code is `CHAT_FAILED`:
 * Tally's code for "a message could not be delivered", named when chat was the only channel, and kept so that callers
 * handle every delivery failure alike. Metadata: `{ operation, responseCode, smtpCode, retryable }`; `retryable` is
 * false for a permanent SMTP reply (5xx but 503, as nodemailer's `permanent` says) and for {@link PERMANENT_CODES}. A
 * TallyError passes unchanged.
 */
function handleSmtpError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const e = (err ?? {}) as NodemailerError;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const smtpCode = typeof e.code === 'string' ? e.code : undefined;
  const retryable = e.permanent !== true && !(responseCode === undefined && PERMANENT_CODES.has(smtpCode ?? ''));
  const reply = responseCode !== undefined ? `SMTP ${responseCode}` : (smtpCode ?? 'unknown error');
  throw new TallyError('CHAT_FAILED', `Email could not be sent: ${reply}`, {
    cause: err,
    metadata: { operation, responseCode, smtpCode, retryable },
  });
}

/**
 * `EmailSender` on SMTP with nodemailer: one message per call, HTML with a plain-text alternative. Timeouts are
 * short (10 s to connect and greet, 30 s idle) so a silent server fails the attempt instead of holding the job.
 */
export class SmtpEmailSender implements EmailSender {
  constructor(
    private readonly transporter: Transporter,
    private readonly from: string,
  ) {}

  /** @throws TallyError `CHAT_FAILED` with `metadata.operation: 'smtp.send'` (see {@link handleSmtpError}). */
  async send(message: { to: string; subject: string; html: string; text: string }): Promise<void> {
    try {
      await this.transporter.sendMail({ from: this.from, ...message });
    } catch (err) {
      handleSmtpError(err, 'smtp.send');
    }
  }

  /** Closes pooled connections (with `?pool=true`); a no-op otherwise. */
  close(): void {
    this.transporter.close();
  }
}

/**
 * Builds the SMTP sender from `config.email`.
 *
 * @example
 * const email = config.email.enabled
 *   ? createSmtpEmailSender({ smtpUrl: config.email.smtpUrl!, from: config.email.from! })
 *   : null;
 */
export function createSmtpEmailSender(config: SmtpEmailSenderConfig): SmtpEmailSender {
  const transporter = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return new SmtpEmailSender(transporter, config.from);
}
