// A loopback HTTP proxy in front of moto that can answer the next requests of an AWS JSON operation with an AWS error
// (moto never throttles or denies Cost Explorer). Everything else is forwarded unchanged; SigV4 signs the proxy's
// host, which moto does not check. Errors use the AWS JSON 1.1 shape (`__type`, `message`,
// `x-amzn-errortype`) that the SDK turns into its modeled exceptions, e.g. CE's `LimitExceededException`.
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS error answer: HTTP status and error code (`ThrottlingException`, `AccessDeniedException`, …). */
export interface AwsFault {
  status: number;
  type: string;
  message?: string;
}

export interface AwsFaultRequest {
  /** The JSON operation from `X-Amz-Target` (`GetCostAndUsage`), else the query protocol's `Action` (EC2's `ModifyInstanceAttribute`). */
  action: string;
  body: string;
  /** `Date.now()` when it arrived. */
  at: number;
  /** The error code answered instead of forwarding, if any. */
  fault?: string;
}

export interface AwsFaultProxy {
  /** `http://127.0.0.1:P`: use as the clients' `endpointUrl`. */
  url: string;
  /** The next request for `action` gets `fault` (queued: call it twice for two failures). */
  failNext(action: string, fault: AwsFault): void;
  /**
   * Runs `hook` after moto answered each forwarded request and before the answer reaches the client, to change the
   * emulator between two calls as someone else would (start an instance Tally just stopped); null removes it.
   */
  beforeAnswer(hook: ((request: AwsFaultRequest) => Promise<void>) | null): void;
  /** Every request received, in arrival order. */
  requests: AwsFaultRequest[];
  close(): Promise<void>;
}

/** The JSON operation of `X-Amz-Target`, else the query protocol's `Action=` (EC2, STS), else `''`. */
function actionOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? '';
}

/** An AWS query-protocol (EC2) error body, which the SDK turns into the error named by `Code`. */
function queryError(fault: AwsFault, requestId: string): string {
  const message = (fault.message ?? fault.type).replace(/[<&]/g, ' ');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${fault.type}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

/** Starts the proxy on 127.0.0.1 with a free port. */
export async function startAwsFaultProxy(targetEndpoint: string): Promise<AwsFaultProxy> {
  const target = new URL(targetEndpoint);
  const faults = new Map<string, AwsFault[]>();
  const requests: AwsFaultRequest[] = [];
  let hook: ((request: AwsFaultRequest) => Promise<void>) | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = typeof req.headers['x-amz-target'] === 'string';
      const action = actionOf(req, json ? '' : body.toString('utf8'));
      const fault = faults.get(action)?.shift();
      const received: AwsFaultRequest = {
        action,
        body: body.toString('utf8'),
        at: Date.now(),
        ...(fault ? { fault: fault.type } : {}),
      };
      requests.push(received);
      if (fault && !json && action) {
        res.writeHead(fault.status, { 'content-type': 'text/xml' });
        res.end(queryError(fault, `fault-${requests.length}`));
        return;
      }
      if (fault) {
        res.writeHead(fault.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': fault.type,
          'x-amzn-requestid': `fault-${requests.length}`,
        });
        res.end(JSON.stringify({ __type: fault.type, message: fault.message ?? fault.type }));
        return;
      }
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const held = hook;
          if (!held) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            void held(received)
              .catch(() => undefined)
              .finally(() => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                res.end(Buffer.concat(parts));
              });
          });
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`aws-fault-proxy: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(action, fault) {
      faults.set(action, [...(faults.get(action) ?? []), fault]);
    },
    beforeAnswer(next) {
      hook = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
