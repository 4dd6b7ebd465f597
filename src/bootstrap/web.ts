import { createServer, type Server, type ServerResponse } from 'node:http';
import { TallyError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.port.js';
import { pathOf, type RouteHandler, refuseMethod, safely, sendStatus } from './http-guard.js';

export interface WebServerConfig {
  port: number;
  host?: string;
  /** Readiness: resolves true when the store answers. */
  ready: () => Promise<boolean>;
  logger: Logger;
  /**
   * Platform routes plug in here: a key ending in `/` serves every path under it (`/slack/`, `/charts/`), any other
   * key that path only (`/api/messages`).
   */
  routes?: Record<string, RouteHandler>;
  /** Failures caught by the process's last-resort handlers so far, for `/metrics`. */
  uncaughtErrors?: () => number;
}

const started = Date.now();
const READ_ONLY = ['GET', 'HEAD'] as const;

/**
 * Tally's own HTTP server: `/healthz`, `/readyz`, `/metrics`, plus the chat platforms' routes. Every request gets a
 * status; nothing a route throws or rejects leaves the listener (docs/operations.md#when-a-request-fails).
 *
 * @throws TallyError `CONFIG_INVALID` naming the port when it is in use or may not be bound.
 */
export async function startWebServer(config: WebServerConfig): Promise<Server> {
  const routes = Object.entries(config.routes ?? {});
  const server = createServer(
    safely(async (req, res) => {
      const path = pathOf(req);
      const route = routes.find(([key]) => (key.endsWith('/') ? path.startsWith(key) : path === key));
      if (route) return void (await route[1](req, res));
      if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return sendStatus(res, 404, 'not found');
      if (refuseMethod(req, res, READ_ONLY)) return;
      if (path === '/healthz') return send(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const ok = await config.ready().catch(() => false);
        return send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        '# HELP tally_uptime_seconds Seconds since the process started.\n# TYPE tally_uptime_seconds gauge\n' +
          `tally_uptime_seconds ${((Date.now() - started) / 1000).toFixed(0)}\n` +
          '# HELP tally_uncaught_errors_total Errors caught by the last-resort process handlers.\n' +
          '# TYPE tally_uncaught_errors_total counter\n' +
          `tally_uncaught_errors_total ${config.uncaughtErrors?.() ?? 0}\n`,
      );
    }, config.logger),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, config.port)));
    server.listen(config.port, config.host ?? '0.0.0.0', resolve);
  });
  config.logger.info({ port: config.port }, 'web server listening');
  return server;
}

/** A port that cannot be bound is a configuration problem: one line naming the port, exit 2. */
function listenError(err: NodeJS.ErrnoException, port: number): Error {
  if (err.code === 'EADDRINUSE')
    return new TallyError('CONFIG_INVALID', `port ${port} is already in use (stop what listens there or set PORT)`, {
      cause: err,
      metadata: { variables: ['PORT'] },
    });
  if (err.code === 'EACCES')
    return new TallyError('CONFIG_INVALID', `port ${port} may not be bound by this user (set PORT above 1023)`, {
      cause: err,
      metadata: { variables: ['PORT'] },
    });
  return err;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
