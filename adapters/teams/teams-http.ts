import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';

/** The largest activity accepted; Bot Framework activities are far smaller. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Why a request body could not be read as an activity. */
export type BodyProblem = { status: 400 | 413; error: string };

/**
 * Reads a request body as a JSON object. `CloudAdapter.process` needs a parsed `req.body` (else it answers 400), which
 * Express's `json()` would give; Tally's server is plain `node:http`, so the body is read here.
 */
export async function readJsonBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ ok: true; body: Record<string, unknown> } | ({ ok: false } & BodyProblem)> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { ok: false, status: 413, error: 'body too large' };
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, status: 400, error: 'expected a JSON object' };
    return { ok: true, body: body as Record<string, unknown> };
  } catch {
    return { ok: false, status: 400, error: 'invalid JSON' };
  }
}

/** The request as botbuilder reads it: method, headers and the parsed body. */
export function botRequest(req: IncomingMessage, body: Record<string, unknown> | undefined): Request {
  return { method: req.method ?? 'GET', headers: req.headers, ...(body ? { body } : {}) };
}

/**
 * A `node:http` response with the Express-like `status/header/send/end` that `CloudAdapter.process` calls:
 * `status(code)`, then `send(body)` when there is a body, then `end()`. Objects are sent as JSON.
 */
export function botResponse(res: ServerResponse): Response {
  let payload: string | Buffer | undefined;
  return {
    socket: res.socket,
    status: (code: number) => {
      res.statusCode = code;
    },
    header: (name: string, value: unknown) => {
      res.setHeader(name, String(value));
    },
    send: (body: unknown) => {
      if (body === undefined || body === null) return;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
        payload = body;
        return;
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      payload = JSON.stringify(body);
    },
    end: () => {
      if (res.writableEnded) return;
      res.end(payload);
    },
  };
}

/** Answers a request botbuilder never saw (bad body, wrong method) with a small JSON error. */
export function sendProblem(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error }));
}
