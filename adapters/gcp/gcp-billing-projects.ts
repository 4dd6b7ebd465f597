import type { CloudBillingClient } from '@google-cloud/billing';
import { TallyError } from '../../src/shared/errors.js';
import { handleGcpError } from './gcp-errors.js';

/** A project of a billing account, as Cloud Billing lists it (`ProjectBillingInfo`). */
export interface BillingProject {
  readonly projectId: string;
  /** The project's usage is charged to an open billing account (false: the account is closed or billing is off). */
  readonly billingEnabled: boolean;
}

/** The projects of one billing account: what the BigQuery billing sync checks its export's projects against. */
export interface BillingProjectList {
  /** `XXXXXX-XXXXXX-XXXXXX`. */
  readonly billingAccountId: string;
  /** Every project of the account, sorted by id. Failures are `TallyError`s (`CLOUD_DENIED`, `CLOUD_THROTTLED`, …). */
  list(): Promise<BillingProject[]>;
}

export interface GcpBillingProjectsOptions {
  /** Projects per `billingAccounts.projects.list` page (Cloud Billing allows at most 100). @defaultValue 100 */
  pageSize?: number;
}

const BILLING_ACCOUNT_ID = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;

/**
 * {@link BillingProjectList} on the Cloud Billing API (`@google-cloud/billing`): `billingAccounts.projects.list`, page
 * by page (`pageToken`, followed by the client's async iterator). The identity needs `billing.resourceAssociations.list`
 * on the billing account (Billing Account Viewer).
 *
 * Cloud Billing gives project ids, not display names (`ProjectBillingInfo` is `name`, `projectId`,
 * `billingAccountName`, `billingEnabled`): names come from the export's `project.name` column
 * (bigquery-billing.source.ts), which needs no Resource Manager permission.
 *
 * @example
 * const projects = new GcpBillingProjects(createCloudBillingClient(config.google), '01A2B3-C4D5E6-F7A8B9');
 * const list = await projects.list(); // [{ projectId: 'shop-prod-1234', billingEnabled: true }, …]
 */
export class GcpBillingProjects implements BillingProjectList {
  private readonly pageSize: number;

  constructor(
    private readonly client: Pick<CloudBillingClient, 'listProjectBillingInfoAsync'>,
    readonly billingAccountId: string,
    options: GcpBillingProjectsOptions = {},
  ) {
    if (!BILLING_ACCOUNT_ID.test(billingAccountId))
      throw new TallyError('CONFIG_INVALID', `Not a billing account id (XXXXXX-XXXXXX-XXXXXX): ${billingAccountId}`);
    this.pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 100)
      throw new TallyError('CONFIG_INVALID', 'pageSize must be a whole number from 1 to 100.');
  }

  async list(): Promise<BillingProject[]> {
    const projects: BillingProject[] = [];
    const request = { name: `billingAccounts/${this.billingAccountId}`, pageSize: this.pageSize };
    try {
      // Pages are fetched by the iterator itself; `autoPaginate: true` (the default) only earns a warning here.
      for await (const info of this.client.listProjectBillingInfoAsync(request, { autoPaginate: false })) {
        // `projectId` is a convenience copy of the id in `name` (`projects/{id}/billingInfo`).
        const projectId = info.projectId || /^projects\/([^/]+)\//.exec(info.name ?? '')?.[1];
        if (projectId) projects.push({ projectId, billingEnabled: info.billingEnabled === true });
      }
    } catch (err) {
      handleGcpError(err, 'Cloud Billing billingAccounts.projects.list');
    }
    return projects.sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
  }
}

/** A list of ids in a sentence: `a, b and c`. */
function idList(ids: readonly string[]): string {
  return ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/**
 * What people should know about the projects of the billing export (`exported`, which are all synced whatever this
 * says) once checked against the billing account's own list: projects it does not list (moved to another billing
 * account, or deleted) and projects it lists with billing disabled. One sentence each; none: `[]`.
 */
export function exportProjectNotes(
  exported: readonly string[],
  listed: readonly BillingProject[],
  billingAccountId: string,
): string[] {
  const byId = new Map(listed.map((p) => [p.projectId, p]));
  const unlisted = exported.filter((id) => !byId.has(id));
  const disabled = exported.filter((id) => byId.get(id)?.billingEnabled === false);
  const notes: string[] = [];
  if (unlisted.length > 0)
    notes.push(
      `Google Cloud: ${idList(unlisted)} ${unlisted.length === 1 ? 'has' : 'have'} costs in the billing export but ${unlisted.length === 1 ? 'is' : 'are'} not on billing account ${billingAccountId} (moved to another billing account, or deleted); ${unlisted.length === 1 ? 'its' : 'their'} costs are imported all the same.`,
    );
  if (disabled.length > 0)
    notes.push(
      `Google Cloud: billing is disabled on ${idList(disabled)} (billing account ${billingAccountId}); the costs in the export are imported.`,
    );
  return notes;
}
