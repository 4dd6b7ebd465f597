import type { CostRepository } from '../costs/cost-repository.port.js';
import type { ImportRunRepository } from '../costs/import-run.types.js';
import { groupObjectSources } from '../costs/object-source-groups.js';
import type { ObjectSyncLog } from '../costs/object-sync-log.port.js';
import type { DeliveryLog } from '../notifications/notification.types.js';
import type { StatusFacts } from './replies/status.reply.js';

/** What `status` reads. */
export interface StatusSources {
  /** Where state is kept, in words (`in-process stores`, `MongoDB at …`). */
  description: string;
  costs: CostRepository;
  runs: ImportRunRepository;
  deliveries: DeliveryLog;
  /** The object storage prefixes' last syncs, whose sub-sources `status` shows per prefix. */
  syncs?: ObjectSyncLog;
  /** Stored source names → the names the policy file's `sources:` gives them (shown beside them). */
  labels?: ReadonlyMap<string, string>;
  /** Notes of this start (e.g. "answers use the sample dataset"). */
  notes: string[];
}

/**
 * The facts `status` shows: the store, the data range, recent imports, the sources, sources that count the same
 * billing account twice, and recently failed deliveries (failures are recorded and visible).
 */
export async function statusFacts(s: StatusSources): Promise<StatusFacts> {
  const dataRange = await s.costs.dataRange();
  const failed = await s.deliveries.latest({ limit: 5, status: 'failed' });
  const sources = await s.costs.sources();
  return {
    store: s.description,
    dataRange,
    imports: await s.runs.latest(200),
    sources,
    objectSources: groupObjectSources(sources, s.syncs ? await s.syncs.latest() : [], s.labels).prefixes,
    ...(s.labels?.size ? { labels: s.labels } : {}),
    overlaps: dataRange ? (await s.costs.coverage(dataRange)).overlaps : [],
    notes: [
      ...s.notes,
      ...failed.map(
        (f) => `Delivery failed: ${f.channel} to ${f.to} (${f.event}) at ${f.at.slice(0, 16)}: ${f.error ?? ''}`,
      ),
    ],
  };
}
