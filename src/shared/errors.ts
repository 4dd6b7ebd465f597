/** Stable error codes. Tests assert codes, never message text. */
export type TallyErrorCode =
  | 'CONFIG_INVALID'
  | 'FOCUS_MISSING_COLUMNS'
  | 'FOCUS_FILE_UNREADABLE'
  | 'STORE_UNAVAILABLE'
  | 'USAGE'
  | 'CLOUD_THROTTLED'
  | 'CLOUD_DENIED'
  | 'CLOUD_NOT_FOUND'
  | 'CLOUD_FAILED'
  | 'CHAT_FAILED'
  | 'INTERNAL';

/** The one base error of Tally: a stable `code`, an optional `cause`, and metadata safe to log. */
export class TallyError extends Error {
  readonly code: TallyErrorCode;
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(
    code: TallyErrorCode,
    message: string,
    options: { cause?: unknown; metadata?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'TallyError';
    this.code = code;
    this.metadata = Object.freeze({ ...(options.metadata ?? {}) });
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Wraps anything thrown into a TallyError, keeping the original as `cause`. */
export function asTallyError(err: unknown, code: TallyErrorCode = 'INTERNAL'): TallyError {
  if (err instanceof TallyError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TallyError(code, message, { cause: err });
}
