// A loopback fake of Azure Resource Manager's Cost Management query API:
// `POST /{scope}/providers/Microsoft.CostManagement/query?api-version=…` answering
// `{ properties: { columns, rows, nextLink } }`. It aggregates seeded cost lines the way the service does (Sum of Cost
// per UsageDate × requested groupings × Currency), pages through `nextLink` with a `$skiptoken`, checks the bearer
// token, and records every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One seeded cost line of a subscription; the fake sums lines that share a day and the requested groupings. */
export interface AzureCostLine {
  /** `YYYY-MM-DD`. */
  date: string;
  service: string;
  location: string;
  cost: number;
  currency: string;
  /** The resource's tags; a TagKey grouping answers `TagKey`, `TagValue` columns (both `''` without the tag). */
  tags?: Record<string, string>;
  /** The ARM id of the resource charged; `''` (or absent) for a charge of no resource. */
  resourceId?: string;
}

export type AzureCostType = 'ActualCost' | 'AmortizedCost';

export interface AzureCostRequest {
  method: string;
  /** The path as received (a scope with a leading `/` would show here as `//subscriptions/…`). */
  path: string;
  query: Record<string, string>;
  /** The Authorization header, `''` when absent. */
  authorization: string;
  body: Record<string, unknown>;
}

export interface AzureCostFakeOptions {
  /** Rows per page before a `nextLink` is given. @defaultValue 1000 */
  pageSize?: number;
  /** The only bearer token accepted. @defaultValue 'fake-azure-token' */
  token?: string;
}

export interface AzureCostFake {
  /** `http://127.0.0.1:P`: the client's endpoint. */
  readonly url: string;
  readonly requests: AzureCostRequest[];
  /** Cost lines of one subscription in one view. A subscription with nothing seeded answers 403 AuthorizationFailed. */
  seed(subscriptionId: string, type: AzureCostType, lines: AzureCostLine[]): void;
  /** After `after` more query requests pass, the `n` next ones answer 429 with Retry-After headers. */
  throttle(n?: number, after?: number): void;
  close(): Promise<void>;
}

const QUERY_PATH = /^\/+subscriptions\/([^/]+)\/providers\/Microsoft\.CostManagement\/query$/i;
const DIMENSIONS: Record<string, (line: AzureCostLine, subscriptionId: string) => string> = {
  ServiceName: (l) => l.service,
  ResourceLocation: (l) => l.location,
  SubscriptionId: (_l, id) => id,
  ResourceId: (l) => l.resourceId ?? '',
};

/** A TagKey grouping's two cells: the key and the line's value, or `''` twice for a line without the tag. */
const tagGetter =
  (key: string) =>
  (line: AzureCostLine): string[] => {
    const value = line.tags?.[key];
    return value === undefined ? ['', ''] : [key, value];
  };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const armError = (code: string, message: string) => ({ error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Definition {
  type?: string;
  timeframe?: string;
  timePeriod?: { from?: string; to?: string };
  dataset?: {
    granularity?: string;
    aggregation?: Record<string, { name?: string; function?: string }>;
    grouping?: { type?: string; name?: string }[];
  };
}

/** The answer's columns and all its rows, as the service computes them; a string is a 400 message. */
function evaluate(
  def: Definition,
  subscriptionId: string,
  lines: AzureCostLine[],
): string | { columns: unknown[]; rows: unknown[][] } {
  if (def.type !== 'ActualCost' && def.type !== 'AmortizedCost') return `unsupported type ${def.type}`;
  if (def.timeframe !== 'Custom' || !def.timePeriod?.from || !def.timePeriod.to) return 'expected a Custom timePeriod';
  if (def.dataset?.granularity !== 'Daily') return 'expected Daily granularity';
  const aggregations = Object.values(def.dataset.aggregation ?? {});
  const costName = aggregations[0]?.name;
  if (aggregations.length !== 1 || aggregations[0]?.function !== 'Sum' || !costName)
    return 'expected one Sum aggregation';
  const grouping = def.dataset.grouping ?? [];
  if (grouping.length > 2) return 'Query can have up to 2 group by clauses';
  const getters = grouping.map((g) => (g.type === 'TagKey' ? tagGetter(g.name ?? '') : DIMENSIONS[g.name ?? '']));
  if (getters.some((g) => g === undefined) || grouping.some((g) => g.type !== 'Dimension' && g.type !== 'TagKey'))
    return 'unsupported grouping';
  const from = def.timePeriod.from.slice(0, 10);
  const to = def.timePeriod.to.slice(0, 10);
  const sums = new Map<string, unknown[]>();
  for (const line of lines.filter((l) => l.date >= from && l.date <= to)) {
    const keys = getters.flatMap((g) => g?.(line, subscriptionId) ?? '');
    const key = JSON.stringify([line.date, ...keys, line.currency]);
    const row = sums.get(key) ?? [0, Number(line.date.replaceAll('-', '')), ...keys, line.currency];
    row[0] = (row[0] as number) + line.cost;
    sums.set(key, row);
  }
  const columns = [
    { name: costName, type: 'Number' },
    { name: 'UsageDate', type: 'Number' },
    ...grouping.flatMap((g) =>
      g.type === 'TagKey'
        ? [
            { name: 'TagKey', type: 'String' },
            { name: 'TagValue', type: 'String' },
          ]
        : [{ name: g.name, type: 'String' }],
    ),
    { name: 'Currency', type: 'String' },
  ];
  return { columns, rows: [...sums.values()] };
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startAzureCostFake(options: AzureCostFakeOptions = {}): Promise<AzureCostFake> {
  const pageSize = options.pageSize ?? 1000;
  const token = options.token ?? 'fake-azure-token';
  const seeded = new Map<string, AzureCostLine[]>();
  const requests: AzureCostRequest[] = [];
  let throttled = 0;
  let passBeforeThrottle = 0;
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return send(res, 400, armError('BadRequest', 'body is not JSON'));
    }
    const authorization = String(req.headers.authorization ?? '');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization,
      body,
    });
    const match = QUERY_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match) return send(res, 404, armError('NotFound', 'no such route'));
    if (!url.searchParams.get('api-version'))
      return send(res, 400, armError('MissingApiVersionParameter', 'api-version'));
    if (authorization !== `Bearer ${token}`) return send(res, 401, armError('InvalidAuthenticationToken', 'bad token'));
    if (throttled > 0 && passBeforeThrottle > 0) passBeforeThrottle -= 1;
    else if (throttled > 0) {
      throttled -= 1;
      return send(res, 429, armError('429', 'Too many requests. Please retry.'), {
        'retry-after': '1',
        'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '20',
      });
    }
    const subscriptionId = decodeURIComponent(match[1] ?? '');
    const def = body as Definition;
    const lines = seeded.get(`${subscriptionId} ${def.type}`);
    if (!lines) return send(res, 403, armError('AuthorizationFailed', `no access to subscription ${subscriptionId}`));
    const answer = evaluate(def, subscriptionId, lines);
    if (typeof answer === 'string') return send(res, 400, armError('BadRequest', answer));
    const offset = Number(Buffer.from(url.searchParams.get('$skiptoken') ?? '', 'base64url').toString() || '0');
    const end = offset + pageSize;
    const next = new URL(url.pathname.replace(/^\/+/, '/'), base);
    next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
    next.searchParams.set('$skiptoken', Buffer.from(String(end)).toString('base64url'));
    const id = `subscriptions/${subscriptionId}/providers/Microsoft.CostManagement/query/${requests.length}`;
    send(res, 200, {
      id,
      name: String(requests.length),
      type: 'Microsoft.CostManagement/query',
      location: null,
      sku: null,
      eTag: null,
      properties: {
        nextLink: end < answer.rows.length ? next.toString() : null,
        columns: answer.columns,
        rows: answer.rows.slice(offset, end),
      },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, armError('InternalServerError', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    seed: (subscriptionId, type, lines) => seeded.set(`${subscriptionId} ${type}`, lines),
    throttle: (n = 1, after = 0) => {
      throttled += n;
      passBeforeThrottle = after;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
