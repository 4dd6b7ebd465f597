// The CostSource contract on Google Cloud: BigQueryBillingSource (adapters/gcp) against the loopback BigQuery fake,
// reading the standard billing export two rows per page. Billed cost is `cost`; what the effective cost saves is a
// credit on the export row.
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, vi } from 'vitest';
import { BigQueryBillingSource } from '../../adapters/gcp/bigquery-billing.source.js';
import { createBigQueryClient } from '../../adapters/gcp/gcp-clients.js';
import type { BigQueryTableRef } from '../../src/config/config.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { startBigQueryFake } from '../support/bigquery-fake.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';
import { costSourceContract } from './cost-source.contract.js';

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
