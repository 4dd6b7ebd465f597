// A loopback fake of the BigQuery v2 REST API for the Cloud Billing export: `tables.get` (the schema),
// `jobs.insert`
// (`POST /bigquery/v2/projects/{p}/jobs`), `jobs.get`, `jobs.query` (`POST …/queries`) and `jobs.getQueryResults`
// (`GET …/queries/{jobId}`), answering in the real shapes (`schema.fields`, rows as `{ f: [{ v }] }`, `pageToken`,
// `jobComplete`). It does not evaluate SQL: it recognises Tally's two billing queries, checks they name the
// configured table, the export columns they read and their typed parameters, and computes the answers from the
// seeded export rows itself with exact decimal sums.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toUnits } from './decimal-sum.js';

/** One row of the standard billing export table, with only the columns Tally reads. */
export interface BillingExportRow {
  billing_account_id: string;
  project: { id: string; name: string; labels?: Label[] };
  service: { description: string };
  /** Resource labels. */
  labels?: Label[];
  system_labels?: Label[];
  /** Only in the detailed (resource-level) export. */
  resource?: { name: string | null; global_name: string | null };
  location: { region: string | null };
  /** ISO timestamp. */
  usage_start_time: string;
  cost: number;
  currency: string;
  cost_type: 'regular' | 'tax' | 'adjustment' | 'rounding_error';
  credits: { name: string; amount: number }[];
}

/** One label of a billing export row (`project.labels`, `labels`, `system_labels`). */
export interface Label {
  key: string;
  value: string;
}

export interface BigQueryRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string;
  body: Record<string, unknown>;
}

export interface BigQueryFakeOptions {
  /** `project.dataset.table` the queries must read. */
  table: string;
  /** Rows per page when the request sets no smaller `maxResults`. @defaultValue 1000 */
  pageSize?: number;
  /** The only bearer token accepted. @defaultValue 'fake-google-token' */
  token?: string;
  /** `getQueryResults` answers `jobComplete: false` this many times per job before the rows. @defaultValue 0 */
  pendingPolls?: number;
  /** The detailed (resource-level) export: the table's schema has `resource`, and queries may read it. @defaultValue false */
  detailed?: boolean;
}

export interface BigQueryFake {
  /** `http://127.0.0.1:P`: the client's `apiEndpoint`. */
  readonly url: string;
  readonly requests: BigQueryRequest[];
  /** The export table's rows. */
  readonly rows: BillingExportRow[];
  /** The next request answers `status` with a Google error of this `reason` (e.g. 429 `rateLimitExceeded`). */
  failNext(status: number, reason: string): void;
  close(): Promise<void>;
}

type Cell = string | null;
interface Result {
  fields: { name: string; type: string; mode: string }[];
  rows: Cell[][];
}
interface Job {
  id: string;
  projectId: string;
  result: Result;
  configuration: unknown;
  polls: number;
}

const FETCH_COLUMNS: [string, string][] = [
  ['billing_account_id', 'STRING'],
  ['project_id', 'STRING'],
  ['project_name', 'STRING'],
  ['service_name', 'STRING'],
  ['region_name', 'STRING'],
  ['charge_type', 'STRING'],
  ['currency', 'STRING'],
  ['usage_day', 'STRING'],
  ['project_labels', 'STRING'],
  ['resource_labels', 'STRING'],
  ['system_labels_json', 'STRING'],
  ['cost_sum', 'NUMERIC'],
  ['credit_sum', 'NUMERIC'],
];
/** The detailed export's extra output columns. */
const RESOURCE_COLUMNS: [string, string][] = [
  ['resource_name', 'STRING'],
  ['resource_global_name', 'STRING'],
];
/** What the daily query's text must contain: its output columns and the export columns it reads. */
const DAILY_QUERY_PARTS = [
  ...FETCH_COLUMNS.map(([name]) => (name === 'billing_account_id' || name === 'currency' ? name : `AS ${name}`)),
  'project.id',
  'project.name',
  'service.description',
  'location.region',
  'cost_type',
  'usage_start_time',
  'UNNEST(credits)',
  'UNNEST(project.labels)',
  'UNNEST(labels)',
  'UNNEST(system_labels)',
  'GROUP BY',
  '@project',
  '@from_day',
  '@to_day',
];

const googleError = (code: number, reason: string, message: string) => ({
  error: { code, message, errors: [{ message, domain: 'global', reason }], status: reason },
});

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** Decimal places of the units of decimal-sum.ts. */
const SCALE = toUnits('1').toString().length - 1;

/** Units of decimal-sum.ts → a plain decimal string, as BigQuery prints NUMERIC. */
function decimal(units: bigint): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(SCALE + 1, '0');
  const fraction = digits.slice(-SCALE).replace(/0+$/, '');
  return `${neg ? '-' : ''}${digits.slice(0, -SCALE)}${fraction ? `.${fraction}` : ''}`;
}

/** Named parameters as `{ name: { type, value } }`. */
function parameters(config: Record<string, unknown>): Map<string, { type: string; value: string }> {
  const list = (config.queryParameters ?? []) as {
    name?: string;
    parameterType?: { type?: string };
    parameterValue?: { value?: string };
  }[];
  return new Map(
    list.map((p) => [p.name ?? '', { type: p.parameterType?.type ?? '', value: p.parameterValue?.value ?? '' }]),
  );
}

const dayOf = (row: BillingExportRow) => new Date(row.usage_start_time).toISOString().slice(0, 10);

/** Labels as `TO_JSON_STRING(ARRAY(SELECT AS STRUCT key, value … ORDER BY key, value))` prints them. */
const labelsJson = (labels: Label[] | undefined) =>
  JSON.stringify(
    [...(labels ?? [])]
      .sort((a, b) => (a.key === b.key ? (a.value < b.value ? -1 : 1) : a.key < b.key ? -1 : 1))
      .map((l) => ({ key: l.key, value: l.value })),
  );

/** Tally's daily cost query, computed from the seeded rows; per resource too when `detailed`. */
function dailyCosts(rows: BillingExportRow[], project: string, from: string, to: string, detailed: boolean): Result {
  const groups = new Map<string, { key: Cell[]; name: string; cost: bigint; credits: bigint }>();
  for (const r of rows.filter((x) => x.project.id === project && dayOf(x) >= from && dayOf(x) <= to)) {
    const key = [
      r.billing_account_id,
      r.project.id,
      r.service.description,
      r.location.region ?? '',
      r.cost_type,
      r.currency,
      dayOf(r),
      labelsJson(r.project.labels),
      labelsJson(r.labels),
      labelsJson(r.system_labels),
      ...(detailed ? [r.resource?.name ?? '', r.resource?.global_name ?? ''] : []),
    ];
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, name: r.project.name, cost: 0n, credits: 0n };
    g.cost += toUnits(String(r.cost));
    for (const c of r.credits) g.credits += toUnits(String(c.amount));
    groups.set(id, g);
  }
  const sortKey = (k: Cell[]) => [k[6], k[2], k[4], k[5]].join('\u0000');
  const sorted = [...groups.values()].sort((a, b) => (sortKey(a.key) < sortKey(b.key) ? -1 : 1));
  const columns = detailed
    ? [...FETCH_COLUMNS.slice(0, -2), ...RESOURCE_COLUMNS, ...FETCH_COLUMNS.slice(-2)]
    : FETCH_COLUMNS;
  return {
    fields: columns.map(([name, type]) => ({ name, type, mode: 'NULLABLE' })),
    rows: sorted.map((g) => {
      const [billing, id, service, region, type, currency, day, ...rest] = g.key;
      return [
        billing ?? null,
        id ?? null,
        g.name,
        service ?? null,
        region ?? null,
        type ?? null,
        currency ?? null,
        day ?? null,
        ...rest.map((c) => c ?? null),
        decimal(g.cost),
        decimal(g.credits),
      ];
    }),
  };
}

/** Recognises the query and answers it; a string is the `invalidQuery` message. */
function evaluate(
  sql: string,
  config: Record<string, unknown>,
  table: string,
  rows: BillingExportRow[],
  detailed: boolean,
): Result | string {
  if (!sql.includes(`FROM \`${table}\``)) return `query does not read \`${table}\``;
  if (config.useLegacySql !== false) return 'expected standard SQL';
  const params = parameters(config);
  const date = (name: string) => (params.get(name)?.type === 'DATE' ? params.get(name)?.value : undefined);
  if (/SELECT DISTINCT project\.id AS project_id/.test(sql)) {
    const from = date('from_day');
    if (!from) return 'expected a DATE parameter @from_day';
    const ids = [...new Set(rows.filter((r) => dayOf(r) >= from).map((r) => r.project.id))].sort();
    return { fields: [{ name: 'project_id', type: 'STRING', mode: 'NULLABLE' }], rows: ids.map((id) => [id]) };
  }
  const from = date('from_day');
  const to = date('to_day');
  const project = params.get('project');
  if (!from || !to || project?.type !== 'STRING') return 'expected @project STRING, @from_day and @to_day DATE';
  const missing = DAILY_QUERY_PARTS.filter((part) => !sql.includes(part));
  if (missing.length > 0) return `not Tally's daily cost query: missing ${missing.join(', ')}`;
  const readsResource = sql.includes('resource.global_name') && sql.includes('resource.name');
  if (readsResource && !detailed) return 'Unrecognized name: resource';
  return dailyCosts(rows, project.value, from, to, readsResource);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startBigQueryFake(options: BigQueryFakeOptions): Promise<BigQueryFake> {
  const token = options.token ?? 'fake-google-token';
  const pageSize = options.pageSize ?? 1000;
  const rows: BillingExportRow[] = [];
  const requests: BigQueryRequest[] = [];
  const jobs = new Map<string, Job>();
  const failures: { status: number; reason: string }[] = [];
  let created = 0;

  const jobResource = (job: Job) => ({
    kind: 'bigquery#job',
    id: `${job.projectId}:US.${job.id}`,
    jobReference: { projectId: job.projectId, jobId: job.id, location: 'US' },
    configuration: job.configuration,
    status: { state: 'DONE' },
    statistics: { creationTime: String(Date.now()), query: { totalBytesProcessed: '0' } },
  });

  const page = (job: Job, query: URLSearchParams | Record<string, unknown>) => {
    const get = (k: string) => (query instanceof URLSearchParams ? query.get(k) : (query[k] as string | undefined));
    const jobReference = { projectId: job.projectId, jobId: job.id, location: 'US' };
    if (job.polls < (options.pendingPolls ?? 0)) {
      job.polls += 1;
      return { kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false };
    }
    const size = Math.min(pageSize, Number(get('maxResults') ?? pageSize) || pageSize);
    const offset = Number(Buffer.from(get('pageToken') ?? '', 'base64url').toString() || '0');
    const end = offset + size;
    return {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference,
      schema: { fields: job.result.fields },
      rows: job.result.rows.slice(offset, end).map((r) => ({ f: r.map((v) => ({ v })) })),
      totalRows: String(job.result.rows.length),
      ...(end < job.result.rows.length ? { pageToken: Buffer.from(String(end)).toString('base64url') } : {}),
      jobComplete: true,
      cacheHit: false,
    };
  };

  const newJob = (projectId: string, id: string | undefined, sql: string, config: Record<string, unknown>) => {
    const result = evaluate(sql, config, options.table, rows, options.detailed ?? false);
    if (typeof result === 'string') return result;
    created += 1;
    const job: Job = { id: id ?? `fake_job_${created}`, projectId, result, configuration: { query: config }, polls: 0 };
    jobs.set(job.id, job);
    return job;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const authorization = String(req.headers.authorization ?? '');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization,
      body,
    });
    if (authorization !== `Bearer ${token}`)
      return send(res, 401, googleError(401, 'unauthorized', 'Invalid Credentials'));
    const failure = failures.shift();
    if (failure)
      return send(res, failure.status, googleError(failure.status, failure.reason, `fake ${failure.reason}`));
    const t = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && t) {
      const id = t.slice(1).map(decodeURIComponent).join('.');
      if (id !== options.table) return send(res, 404, googleError(404, 'notFound', `Not found: Table ${id}`));
      const names = ['billing_account_id', 'service', 'sku', 'usage_start_time', 'project', 'labels', 'system_labels'];
      const fields = [...names, 'location', 'cost', 'currency', 'cost_type', 'credits'];
      if (options.detailed) fields.push('resource');
      return send(res, 200, { kind: 'bigquery#table', id, schema: { fields: fields.map((name) => ({ name })) } });
    }
    const m = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(res, 404, googleError(404, 'notFound', `no route ${url.pathname}`));
    const [, projectId = '', kind, jobId] = m;
    if (req.method === 'POST' && kind === 'jobs' && !jobId) {
      const config = ((body.configuration as Record<string, unknown> | undefined)?.query ?? {}) as Record<
        string,
        unknown
      >;
      const ref = body.jobReference as { jobId?: string } | undefined;
      const job = newJob(projectId, ref?.jobId, String(config.query ?? ''), config);
      if (typeof job === 'string') return send(res, 400, googleError(400, 'invalidQuery', job));
      return send(res, 200, jobResource(job));
    }
    if (req.method === 'POST' && kind === 'queries' && !jobId) {
      const job = newJob(projectId, undefined, String(body.query ?? ''), body);
      if (typeof job === 'string') return send(res, 400, googleError(400, 'invalidQuery', job));
      return send(res, 200, { ...page(job, body), kind: 'bigquery#queryResponse' });
    }
    const job = jobs.get(jobId ?? '');
    if (req.method !== 'GET' || !job) return send(res, 404, googleError(404, 'notFound', `Not found: Job ${jobId}`));
    return send(res, 200, kind === 'jobs' ? jobResource(job) : page(job, url.searchParams));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, googleError(500, 'internalError', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rows,
    failNext: (status, reason) => {
      failures.push({ status, reason });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
