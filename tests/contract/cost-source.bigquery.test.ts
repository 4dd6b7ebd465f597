// The CostSource contract on Google Cloud: BigQueryBillingSource (adapters/gcp) against the loopback BigQuery fake,
// reading the standard billing export two rows per page. Billed cost is `cost`; what the effective cost saves is a
// credit on the export row.
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BigQueryBillingSource } from '../../adapters/gcp/bigquery-billing.source.js';
import { createBigQueryClient } from '../../adapters/gcp/gcp-clients.js';
import type { BigQueryTableRef } from '../../src/config/config.types.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { startBigQueryFake } from '../support/bigquery-fake.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';
import { costSourceContract } from './cost-source.contract.js';
import {
  costSourceTagsContract,
  TAGGED_WORLD,
  TAGS_SYNC_RANGE,
  type TaggedLine,
  type TaggedWorld,
} from './cost-source-tags.contract.js';

const TABLE: BigQueryTableRef = {
  id: 'acme-billing.billing_export.gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
  projectId: 'acme-billing',
  datasetId: 'billing_export',
  tableId: 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
};

beforeAll(() => {
  vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

costSourceContract('BigQuery billing export', async (world, range) => {
  const fake = await startBigQueryFake({ table: TABLE.id, pendingPolls: 1 });
  const projects = world.accounts.map((_, i) => `contract-project-${i + 1}`);
  world.accounts.forEach((lines, i) => {
    for (const l of lines) {
      const saved = toUnits(l.effective) - toUnits(l.billed);
      fake.rows.push({
        billing_account_id: '01A2B3-C4D5E6-F7A8B9',
        project: { id: projects[i]!, name: `Project ${i + 1}` },
        service: { description: l.service },
        location: { region: l.region || null },
        usage_start_time: `${l.day}T05:00:00Z`,
        cost: Number(l.billed),
        currency: 'USD',
        cost_type: 'regular',
        credits: saved === 0n ? [] : [{ name: 'commitment', amount: Number(unitsToDecimal(saved)) }],
      });
    }
  });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'fake-google-token', expiry_date: Date.now() + 3_600_000 });
  const client = createBigQueryClient(
    { billingExportTable: TABLE },
    { apiEndpoint: fake.url, authClient, maxRetries: 0 },
  );
  // A week after the range: its days are inside the look-back window of `accounts()`.
  const clock = fixedClock(new Date(Date.parse(`${range.to}T12:00:00Z`) + 7 * 86_400_000));
  const source = new BigQueryBillingSource(client, TABLE, { clock, pageSize: 2 });
  return {
    source,
    accountIds: projects,
    failing(kind) {
      fake.failNext(kind === 'throttled' ? 429 : 403, kind === 'throttled' ? 'rateLimitExceeded' : 'accessDenied');
      return projects[0]!;
    },
    close: () => fake.close(),
  };
});

/** The detailed export's `resource.global_name` of a resource called `name` in `project`. */
const globalName = (project: string, name: string) =>
  `//compute.googleapis.com/projects/${project}/zones/europe-west1-b/instances/${name}`;

/**
 * A BigQuery source on the detailed export seeded with `world`: `team` as a resource label, `env` as a project label
 * (the standard export has both), a system label on every row, and each line's resource.
 */
async function detailedSource(world: TaggedWorld, range: { from: string; to: string }) {
  const fake = await startBigQueryFake({ table: TABLE.id, detailed: true });
  const projects = world.accounts.map((_, i) => `tagged-project-${i + 1}`);
  world.accounts.forEach((lines, i) => {
    for (const l of lines) {
      const saved = toUnits(l.effective) - toUnits(l.billed);
      const project = projects[i]!;
      fake.rows.push({
        billing_account_id: '01A2B3-C4D5E6-F7A8B9',
        project: {
          id: project,
          name: `Tagged ${i + 1}`,
          labels: l.tags.env ? [{ key: 'env', value: l.tags.env }] : [],
        },
        labels: l.tags.team ? [{ key: 'team', value: l.tags.team }] : [],
        system_labels: [{ key: 'compute.googleapis.com/cores', value: '2' }],
        resource: l.resource
          ? { name: l.resource, global_name: globalName(project, l.resource) }
          : { name: null, global_name: null },
        service: { description: l.service },
        location: { region: l.region || null },
        usage_start_time: `${l.day}T05:00:00Z`,
        cost: Number(l.billed),
        currency: 'USD',
        cost_type: 'regular',
        credits: saved === 0n ? [] : [{ name: 'commitment', amount: Number(unitsToDecimal(saved)) }],
      });
    }
  });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'fake-google-token', expiry_date: Date.now() + 3_600_000 });
  const client = createBigQueryClient(
    { billingExportTable: TABLE },
    { apiEndpoint: fake.url, authClient, maxRetries: 0 },
  );
  const clock = fixedClock(new Date(Date.parse(`${range.to}T12:00:00Z`) + 86_400_000));
  const source = new BigQueryBillingSource(client, TABLE, { clock, pageSize: 2 });
  return { fake, source, projects };
}

// BigQuery has no tag keys to choose: every label is kept, so `tagKeys` is not passed.
costSourceTagsContract(
  'BigQuery billing export (detailed)',
  async (world, range) => {
    const { fake, source, projects } = await detailedSource(world, range);
    return { source, accountIds: projects, close: () => fake.close() };
  },
  { resourceIdOf: (l, i) => globalName(`tagged-project-${i + 1}`, l.resource!), resourceNames: true },
);

describe('BigQuery billing export: labels and resources of each row', () => {
  it('gives each record its resource id and name, and its project, resource and system labels as tags', async () => {
    const { fake, source, projects } = await detailedSource(TAGGED_WORLD, TAGS_SYNC_RANGE);
    try {
      const records: CostRecord[] = [];
      for await (const r of source.fetch(projects[0]!, TAGS_SYNC_RANGE)) records.push(r);
      const lines = TAGGED_WORLD.accounts[0]!;
      const keyOf = (day: string, resourceName: string | undefined) => `${day}|${resourceName ?? ''}`;
      const want = new Map<string, { line: TaggedLine; billed: bigint }>();
      for (const l of lines) {
        const key = keyOf(l.day, l.resource);
        want.set(key, { line: l, billed: (want.get(key)?.billed ?? 0n) + toUnits(l.billed) });
      }
      expect(records.map((r) => keyOf(r.chargePeriodStart.toISOString().slice(0, 10), r.resourceName)).sort()).toEqual(
        [...want.keys()].sort(),
      );
      for (const r of records) {
        const { line, billed } = want.get(keyOf(r.chargePeriodStart.toISOString().slice(0, 10), r.resourceName))!;
        expect(r.resourceId).toBe(line.resource ? globalName(projects[0]!, line.resource) : '');
        expect(Number(r.billedCost)).toBeCloseTo(Number(unitsToDecimal(billed)), 9);
        const tags = [
          { key: 'compute.googleapis.com/cores', value: '2' },
          ...Object.entries(line.tags).map(([key, value]) => ({ key, value })),
        ];
        expect(r.tags).toEqual(tags.sort((a, b) => (a.key < b.key ? -1 : 1)));
      }
    } finally {
      await fake.close();
    }
  });

  it('reads no resource columns from the standard export, whose schema has none', async () => {
    const fake = await startBigQueryFake({ table: TABLE.id });
    fake.rows.push({
      billing_account_id: '01A2B3-C4D5E6-F7A8B9',
      project: { id: 'std-1', name: 'Std', labels: [{ key: 'team', value: 'web' }] },
      service: { description: 'Compute Engine' },
      location: { region: 'europe-west1' },
      usage_start_time: '2026-05-02T05:00:00Z',
      cost: 3.5,
      currency: 'USD',
      cost_type: 'regular',
      credits: [],
    });
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'fake-google-token', expiry_date: Date.now() + 3_600_000 });
    const client = createBigQueryClient(
      { billingExportTable: TABLE },
      { apiEndpoint: fake.url, authClient, maxRetries: 0 },
    );
    try {
      const records: CostRecord[] = [];
      for await (const r of new BigQueryBillingSource(client, TABLE).fetch('std-1', TAGS_SYNC_RANGE)) records.push(r);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ resourceId: '', billedCost: 3.5, tags: [{ key: 'team', value: 'web' }] });
    } finally {
      await fake.close();
    }
  });
});
