import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.port.js';

export interface WebServerConfig {
  port: number;
  host?: string;
  /** Readiness: resolves true when the store answers. */
  ready: () => Promise<boolean>;
  logger: Logger;
  /** Platform routes (`/slack/…`, `/api/messages`) plug in here. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

const started = Date.now();

/** Tally's own HTTP server: `/healthz`, `/readyz`, `/metrics`, plus the chat platforms' routes. */
export async function startWebServer(config: WebServerConfig): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = Object.entries(config.routes ?? {}).find(([prefix]) => path.startsWith(prefix));
    if (route) return route[1](req, res);
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      config.ready().then(
        (ok) => send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' }),
        () => send(res, 503, { status: 'not ready' }),
      );
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        '# HELP tally_uptime_seconds Seconds since the process started.\n# TYPE tally_uptime_seconds gauge\n' +
          `tally_uptime_seconds ${((Date.now() - started) / 1000).toFixed(0)}\n`,
      );
      return;
    }
    send(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host ?? '0.0.0.0', resolve);
  });
  config.logger.info({ port: config.port }, 'web server listening');
  return server;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
