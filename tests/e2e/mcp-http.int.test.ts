import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../support/data-dir.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { connectHttp } from '../support/mcp-client.js';
import { runCli } from '../support/run-cli.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

// Issue 14, item 6: `/mcp` on a real `tally start` (Redis; no chat platform needed once TALLY_MCP_TOKEN is set), with
// the SDK's own client over streamable HTTP. Figures are compared with `tally ask --json` and with sums computed
// here from the fixture; the bearer token is required; TALLY_MCP_AS narrows every answer to that person's scope.
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const TODAY = '2026-06-10';
const MAY = { from: '2026-05-01', to: '2026-05-31' };
const APRIL = { from: '2026-04-01', to: '2026-04-30' };
const TOKEN = 'mcp-test-token-0123456789abcdef';
const PAT_ACCOUNT = '111111111111';
const rows = readFixture(EXPORT);

interface Breakdown {
  query: Record<string, unknown>;
  totals: { currency: string; total: number }[];
  rows: { key: string; cost: number; currency?: string }[];
  context?: string[];
}

const base = () => ({ REDIS_URL: redisUrl(), TALLY_FOCUS_FILE: EXPORT, TALLY_TODAY: TODAY });
/** An MCP `initialize` request as a client sends it first. */
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: INITIALIZE,
  });

let operator: TallyProcess;
let scoped: TallyProcess;

beforeAll(async () => {
  const dir = testDataDir();
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    `approvals:\n  people:\n    pat: { name: Pat, slack: U0PAT }\naccess:\n  scopes:\n    - { who: [pat], accounts: ["${PAT_ACCOUNT}"] }\n`,
  );
  [operator, scoped] = await Promise.all([
    startTally({ ...base(), TALLY_MCP_TOKEN: TOKEN, TALLY_DATA_DIR: testDataDir() }, 60_000),
    startTally(
      {
        ...base(),
        TALLY_MCP_TOKEN: TOKEN,
        TALLY_MCP_AS: 'pat',
        TALLY_POLICY_FILE: policy,
        TALLY_DATA_DIR: testDataDir(),
        TALLY_QUEUE_PREFIX: 'mcp-scoped',
      },
      60_000,
    ),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([operator?.stop(), scoped?.stop()]);
});

describe('/mcp on tally start', () => {
  it('answers 401 without the bearer token or with another one, before anything else', async () => {
    const url = `${operator.url}/mcp`;
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-token-0123456789' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${TOKEN}` },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      const res = await post(url, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect((await post(url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    // The SDK's client is refused as well: its error carries the status.
    await expect(connectHttp(url, 'wrong-token-0123456789abcdef')).rejects.toMatchObject({ code: 401 });
  });

  it('lists the tools and answers query_costs and compare_costs as `tally ask --json` and the file do', async () => {
    const mcp = await connectHttp(`${operator.url}/mcp`, TOKEN);
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        ['anomalies', 'compare_costs', 'forecast', 'list_dimension_values', 'query_costs'].sort(),
      );
      const got = (await mcp.call('query_costs', { period: MAY, groupBy: 'service' })) as unknown as Breakdown;
      const r = await runCli(['ask', '--focus', EXPORT, '--json', 'cost by service from 2026-05-01 to 2026-05-31'], {
        TALLY_TODAY: TODAY,
      });
      const asked = JSON.parse(r.stdout) as Breakdown;
      expect(got.query).toEqual(asked.query);
      expect(got.rows).toEqual(asked.rows);
      expect(got.totals).toEqual(asked.totals);
      const expected = expectedSums(rows, { ...MAY, amount: 'EffectiveCost', key: (row) => row.ServiceName ?? '' });
      for (const row of got.rows) expect(row.cost, row.key).toBe(expected.get(row.currency ?? '')?.get(row.key));
      expect(got.rows.length).toBe([...expected.values()].reduce((n, m) => n + m.size, 0));

      const compared = (await mcp.call('compare_costs', { period: MAY, previous: APRIL })) as {
        query: Record<string, unknown>;
        currencies: { currency: string; current: number; previous: number }[];
      };
      expect(compared.query).toMatchObject({ kind: 'compare', period: MAY, previous: APRIL });
      const may = expectedSums(rows, { ...MAY, amount: 'EffectiveCost', key: () => 'all' });
      const april = expectedSums(rows, { ...APRIL, amount: 'EffectiveCost', key: () => 'all' });
      for (const c of compared.currencies) {
        expect(c.current, c.currency).toBe(may.get(c.currency)?.get('all') ?? 0);
        expect(c.previous, c.currency).toBe(april.get(c.currency)?.get('all') ?? 0);
      }
    } finally {
      await mcp.close();
    }
  });

  it("with TALLY_MCP_AS, a scoped person's queries count only their accounts", async () => {
    const mcp = await connectHttp(`${scoped.url}/mcp`, TOKEN);
    try {
      const got = (await mcp.call('query_costs', { period: MAY, groupBy: 'account' })) as unknown as Breakdown;
      const patRows = rows.filter((r) => r.SubAccountId === PAT_ACCOUNT);
      const expected = expectedSums(patRows, { ...MAY, amount: 'EffectiveCost', key: (r) => r.SubAccountId ?? '' });
      expect(got.rows.map((r) => [r.key, r.cost])).toEqual([[PAT_ACCOUNT, expected.get('USD')?.get(PAT_ACCOUNT)]]);
      expect(got.totals).toEqual([{ currency: 'USD', total: expected.get('USD')?.get(PAT_ACCOUNT) }]);
      expect(got.context?.join(' ')).toContain(PAT_ACCOUNT);
      // Another account's filter is refused, not answered with its figures.
      const other = await mcp.client.callTool({
        name: 'query_costs',
        arguments: { period: MAY, where: { account: ['222222222222'] } },
      });
      expect(other.structuredContent).toBeUndefined();
      expect((other.content as { text: string }[])[0]?.text).toMatch(/^Outside what you may see/);
      const values = (await mcp.call('list_dimension_values', { dimension: 'account' })) as {
        values: { value: string }[];
      };
      expect(values.values.map((v) => v.value)).toEqual([PAT_ACCOUNT]);
    } finally {
      await mcp.close();
    }
  });
});

describe('/mcp without TALLY_MCP_TOKEN, and a TALLY_MCP_AS nobody has', () => {
  let slack: SlackFake;
  let plain: TallyProcess;

  beforeAll(async () => {
    slack = await startSlackFake();
    plain = await startTally({
      ...base(),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: slack.url,
      TALLY_DATA_DIR: testDataDir(),
      TALLY_QUEUE_PREFIX: 'mcp-plain',
    });
  }, 60_000);

  afterAll(async () => {
    await plain?.stop();
    await slack?.close();
  });

  it('is off: 404 with or without a token', async () => {
    expect((await post(`${plain.url}/mcp`)).status).toBe(404);
    expect((await post(`${plain.url}/mcp`, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('refuses to start as a person the policy does not have, rather than as everyone', async () => {
    await expect(
      startTally({ ...base(), TALLY_MCP_TOKEN: TOKEN, TALLY_MCP_AS: 'nobody', TALLY_DATA_DIR: testDataDir() }, 60_000),
    ).rejects.toThrow(/exited with 2[\s\S]*TALLY_MCP_AS/);
  });
});
