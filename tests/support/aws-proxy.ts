// A loopback HTTP proxy in front of moto that records which AWS operations reach it and can hold them back. Requests
// are forwarded unchanged (method, path, headers, body). SigV4 signs the Host header, so the SDK signs for the proxy's
// host; moto does not verify signatures, so forwarding the request as signed is fine.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsProxyRequest {
  /** `StopInstances`, `GetMetricData`, …; `''` when the request names no operation. */
  action: string;
  /** The raw request body. */
  body: string;
}

export interface AwsProxy {
  /** `http://127.0.0.1:P`: use as the clients' `endpointUrl`. */
  url: string;
  /** How many requests for `action` were forwarded to moto (held ones count once released). */
  counts(action: string): number;
  /** How many requests for `action` are waiting right now. */
  held(action: string): number;
  /**
   * Requests for `action` that arrive from now on wait, unforwarded, until `release(action)`. With `match`, only those
   * whose raw body it accepts wait (e.g. the real `StopInstances` but not its `DryRun=true`); the rest are forwarded.
   */
  hold(action: string, match?: (body: string) => boolean): void;
  /** Forwards the waiting requests for `action` (except those whose client has gone) and stops holding it. */
  release(action: string): void;
  /** Resolves once `n` requests for `action` have arrived (forwarded or held). */
  waitFor(action: string, n?: number): Promise<void>;
  /** Every request received, in arrival order. */
  requests: AwsProxyRequest[];
  /** Every request forwarded to the target, in the order it was sent there (a held one once released). */
  forwarded: AwsProxyRequest[];
  close(): Promise<void>;
}

/** Reads the operation: the EC2/STS query `Action=` (form body or query string), else the JSON `X-Amz-Target` op. */
function actionOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') return target.slice(target.lastIndexOf('.') + 1);
  const url = new URL(req.url ?? '/', 'http://proxy');
  const fromQuery = url.searchParams.get('Action');
  if (fromQuery) return fromQuery;
  if (String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    return new URLSearchParams(body).get('Action') ?? '';
  }
  // Smithy RPC v2: /service/<Service>/operation/<Op>
  return /\/operation\/([^/?]+)/.exec(url.pathname)?.[1] ?? '';
}

/** Starts the proxy on 127.0.0.1 with a free port. */
export async function startAwsProxy(targetEndpoint: string): Promise<AwsProxy> {
  const target = new URL(targetEndpoint);
  const requests: AwsProxyRequest[] = [];
  const forwarded = new Map<string, number>();
  const forwardedRequests: AwsProxyRequest[] = [];
  /** Held actions, each with its body filter (`null`: every request of the action waits). */
  const holding = new Map<string, ((body: string) => boolean) | null>();
  const waiting = new Map<string, { forward: () => void; gone: () => boolean }[]>();
  const waiters: { action: string; n: number; resolve: () => void }[] = [];

  const arrived = (action: string) => requests.filter((r) => r.action === action).length;
  const notify = () => {
    for (const w of [...waiters]) {
      if (arrived(w.action) >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const forward = (req: IncomingMessage, res: ServerResponse, action: string, body: Buffer) => {
    forwarded.set(action, (forwarded.get(action) ?? 0) + 1);
    forwardedRequests.push({ action, body: body.toString('utf8') });
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`aws-proxy: ${err.message}`);
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(req, body.toString('utf8'));
      requests.push({ action, body: body.toString('utf8') });
      notify();
      const match = holding.get(action);
      if (match === undefined || (match !== null && !match(body.toString('utf8')))) {
        forward(req, res, action, body);
        return;
      }
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      const list = waiting.get(action) ?? [];
      list.push({ forward: () => forward(req, res, action, body), gone: () => closed || req.socket.destroyed });
      waiting.set(action, list);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forwarded: forwardedRequests,
    counts: (action) => forwarded.get(action) ?? 0,
    held: (action) => (waiting.get(action) ?? []).filter((w) => !w.gone()).length,
    hold: (action, match) => {
      holding.set(action, match ?? null);
    },
    release: (action) => {
      holding.delete(action);
      const list = waiting.get(action) ?? [];
      waiting.delete(action);
      for (const w of list) if (!w.gone()) w.forward();
    },
    waitFor: (action, n = 1) =>
      new Promise<void>((resolve) => {
        waiters.push({ action, n, resolve });
        notify();
      }),
    close: async () => {
      holding.clear();
      waiting.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
