// A loopback fake of the Cloud Billing v1 REST API: `billingAccounts.projects.list`
// (`GET /v1/billingAccounts/{id}/projects`), answering in the real JSON shape (`projectBillingInfo[]` of `name`,
// `projectId`, `billingAccountName`, `billingEnabled`; `nextPageToken`), at most `pageSize` projects a page (the
// request's, else 100, Cloud Billing's maximum) with an opaque `pageToken`. Errors are google.rpc.Status JSON
// (`{ error: { code, message, status } }`), as google-gax's REST transport parses them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One project of a billing account. */
export interface FakeBillingProject {
  projectId: string;
  /** @defaultValue true */
  billingEnabled?: boolean;
}

export interface CloudBillingRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string;
}

export interface CloudBillingFakeOptions {
  /** The billing accounts and their projects, by id (`01A2B3-C4D5E6-F7A8B9`). */
  accounts: Record<string, FakeBillingProject[]>;
  /** The most projects a page holds, whatever the request's `pageSize`. @defaultValue 100 */
  maxPageSize?: number;
  /** The only bearer token accepted. @defaultValue 'fake-google-token' */
  token?: string;
}

export interface CloudBillingFake {
  /** `http://127.0.0.1:P`: the client's `apiEndpoint`. */
  readonly url: string;
  readonly requests: CloudBillingRequest[];
  /** Every following request answers `code` with the google.rpc `status` (e.g. 403 `PERMISSION_DENIED`) until `heal()`. */
  fail(code: number, status: string): void;
  heal(): void;
  close(): Promise<void>;
}

const rpcError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startCloudBillingFake(options: CloudBillingFakeOptions): Promise<CloudBillingFake> {
  const token = options.token ?? 'fake-google-token';
  const maxPageSize = options.maxPageSize ?? 100;
  const requests: CloudBillingRequest[] = [];
  let failure: { code: number; status: string } | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const authorization = String(req.headers.authorization ?? '');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization,
    });
    if (authorization !== `Bearer ${token}`)
      return send(res, 401, rpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    if (failure) return send(res, failure.code, rpcError(failure.code, failure.status, `fake ${failure.status}`));
    const m = /^\/v1\/billingAccounts\/([^/]+)\/projects$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return send(res, 404, rpcError(404, 'NOT_FOUND', `no route ${url.pathname}`));
    const id = decodeURIComponent(m[1] ?? '');
    const projects = options.accounts[id];
    if (!projects)
      return send(res, 403, rpcError(403, 'PERMISSION_DENIED', `The caller does not have permission on ${id}`));
    const asked = Number(url.searchParams.get('pageSize') ?? '0');
    if (!Number.isInteger(asked) || asked < 0)
      return send(res, 400, rpcError(400, 'INVALID_ARGUMENT', `Invalid page size ${asked}`));
    const size = Math.min(maxPageSize, asked || 100, 100);
    const pageToken = url.searchParams.get('pageToken') ?? '';
    const offset =
      pageToken === ''
        ? 0
        : Number(
            Buffer.from(pageToken, 'base64url')
              .toString()
              .replace(/^offset:/, ''),
          );
    if (!Number.isInteger(offset) || offset < 0 || offset > projects.length)
      return send(res, 400, rpcError(400, 'INVALID_ARGUMENT', `Invalid page token ${pageToken}`));
    const end = offset + size;
    return send(res, 200, {
      projectBillingInfo: projects.slice(offset, end).map((p) => ({
        name: `projects/${p.projectId}/billingInfo`,
        projectId: p.projectId,
        billingAccountName: `billingAccounts/${id}`,
        billingEnabled: p.billingEnabled ?? true,
      })),
      // The last page has an empty `nextPageToken`, as the API sends it.
      nextPageToken: end < projects.length ? Buffer.from(`offset:${end}`).toString('base64url') : '',
    });
  };

  const server = createServer((req, res) => {
    // The list call has no body; drain whatever comes so that the response can be sent.
    req.resume();
    req.on('end', () => {
      try {
        handle(req, res);
      } catch (err) {
        send(res, 500, rpcError(500, 'INTERNAL', String(err)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    fail: (code, status) => {
      failure = { code, status };
    },
    heal: () => {
      failure = null;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
