import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';

/** A `node:http` request handler; it may return a promise, whose rejection is caught like a throw. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The largest request body Tally reads (Slack and Bot Framework payloads are far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Answers with `status` and a small JSON body (`{ error }`), unless an answer has already started. */
export function sendStatus(
  res: ServerResponse,
  status: number,
  error: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error }));
}

/** Answers 405 with `Allow` when the request's method is not one of `methods`; true when it did. */
export function refuseMethod(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): boolean {
  if (methods.includes(req.method ?? '')) return false;
  sendStatus(res, 405, 'method not allowed', { allow: methods.join(', ') });
  return true;
}

/**
 * Runs `handler` so that nothing it throws or rejects leaves the request listener: the failure is logged with an error
 * id and answered 500 (docs/operations.md#when-a-request-fails).
 */
export function safely(handler: RouteHandler, logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (err: unknown, req: IncomingMessage, res: ServerResponse): void => {
    const errorId = newId('err');
    logger.error({ err, errorId, method: req.method, path: pathOf(req) }, 'request failed');
    sendStatus(res, 500, `internal error ${errorId}`);
  };
  return (req, res) => {
    // A client that goes away mid-body makes the request emit 'error'; unheard, that would end the process.
    req.on('error', (err) => logger.warn({ err, path: pathOf(req) }, 'request aborted'));
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((err: unknown) => fail(err, req, res));
    } catch (err) {
      fail(err, req, res);
    }
  };
}

/** The path of a request, without its query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

/** Reads a request body up to `limit` bytes; `413` beyond it (the rest is not read). */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ ok: true; body: Buffer } | { ok: false; status: 413 }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, status: 413 };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { ok: false, status: 413 };
    chunks.push(chunk as Buffer);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
