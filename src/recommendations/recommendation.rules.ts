import { createHash } from 'node:crypto';
import type { ActionKind, ResourceFacts, TargetRef } from '../actions/action.types.js';
import { buildAction, proposeCommandOf } from '../actions/action-catalog.js';
import { ADDRESS_HOURLY, currentGenerationOf, instanceHourly, oneSizeDown } from '../actions/price-table.js';
import type { AddressFacts, CpuStats, InstanceFacts, VolumeFacts } from './inventory.port.js';
import type { Confidence, Recommendation, RecommendationRule } from './recommendation.types.js';

/** Idle: average CPU below this percentage… */
const IDLE_MAX_AVERAGE_CPU = 5;
/** …and no hourly average at or above this one. */
const IDLE_MAX_PEAK_CPU = 10;
/** Oversized: average CPU below this percentage… */
const OVERSIZED_MAX_AVERAGE_CPU = 20;
/** …and no hourly average at or above this one. */
const OVERSIZED_MAX_PEAK_CPU = 50;
/** Oversized with high confidence also needs the peak below this percentage. */
const OVERSIZED_HIGH_CONFIDENCE_PEAK_CPU = 30;
/** CPU rules need at least this many days of data… */
export const MIN_CPU_DAYS = 7;
/** …and are confident with at least this many. */
const HIGH_CONFIDENCE_CPU_DAYS = 14;
/** An unattached volume created more than this many days ago is confidently forgotten; a younger one may be in use soon. */
const UNATTACHED_MIN_AGE_DAYS = 7;

const DAY_MS = 86_400_000;

/** One region's inventory, the input of the rules. */
export interface RegionInventory {
  accountId: string;
  region: string;
  instances: InstanceFacts[];
  volumes: VolumeFacts[];
  addresses: AddressFacts[];
  /** CPU statistics by instance id; instances without data are absent. */
  cpu: ReadonlyMap<string, CpuStats>;
}

/** The stable id of a finding: `rec_` and 10 hex digits of SHA-256 over the rule and the resource id. */
export function recommendationId(rule: RecommendationRule, resourceId: string): string {
  return `rec_${createHash('sha256').update(`${rule}:${resourceId}`).digest('hex').slice(0, 10)}`;
}

/**
 * Every recommendation for one region, in inventory order. Rules:
 * - `idle-instance` (stop): running, CPU average below {@link IDLE_MAX_AVERAGE_CPU}% and peak below
 *   {@link IDLE_MAX_PEAK_CPU}% over at least {@link MIN_CPU_DAYS} days; high confidence from
 *   {@link HIGH_CONFIDENCE_CPU_DAYS} days, else medium.
 * - `oversized-instance` (resize one size down in the family): running, not idle, average below
 *   {@link OVERSIZED_MAX_AVERAGE_CPU}% and peak below {@link OVERSIZED_MAX_PEAK_CPU}% over at least {@link MIN_CPU_DAYS}
 *   days, and a smaller size in the price table; high confidence from {@link HIGH_CONFIDENCE_CPU_DAYS} days with the peak
 *   below {@link OVERSIZED_HIGH_CONFIDENCE_PEAK_CPU}%, else medium.
 * - `previous-generation` (resize to the current family, same size): running or stopped, with a current-generation
 *   type in the table that costs no more; medium confidence.
 * - `unattached-volume` (snapshot, then delete): state `available`; high confidence when created more than
 *   {@link UNATTACHED_MIN_AGE_DAYS} days ago, medium when its age is unknown, low when it is younger.
 * - `unassociated-address` (release): no association; high confidence.
 *
 * An instance gets at most one recommendation (idle, else oversized, else previous generation); an instance without
 * CPU data is never idle or oversized. A finding whose price is not in the table, or whose estimated savings are
 * negative (a volume type cheaper than the snapshot kept), is left out.
 */
export function recommendRegion(input: RegionInventory, now: Date): Recommendation[] {
  const found: (Recommendation | null)[] = [
    ...input.instances.map((i) => idle(input, i) ?? oversized(input, i) ?? previousGeneration(input, i)),
    ...input.volumes.map((v) => unattachedVolume(input, v, now)),
    ...input.addresses.map((a) => unassociatedAddress(input, a)),
  ];
  return found.filter((r): r is Recommendation => r !== null);
}

function idle(input: RegionInventory, inst: InstanceFacts): Recommendation | null {
  const cpu = input.cpu.get(inst.id);
  if (inst.state !== 'running' || !cpu || !isIdle(cpu)) return null;
  const confidence = cpu.days >= HIGH_CONFIDENCE_CPU_DAYS ? 'high' : 'medium';
  return recommend(input, inst, 'idle-instance', 'stop_instance', {}, confidence, cpuEvidence(cpu));
}

function oversized(input: RegionInventory, inst: InstanceFacts): Recommendation | null {
  const cpu = input.cpu.get(inst.id);
  if (inst.state !== 'running' || !cpu || isIdle(cpu) || cpu.days < MIN_CPU_DAYS) return null;
  if (cpu.average >= OVERSIZED_MAX_AVERAGE_CPU || cpu.peak >= OVERSIZED_MAX_PEAK_CPU) return null;
  const smaller = oneSizeDown(inst.instanceType);
  if (!smaller) return null;
  const sure = cpu.days >= HIGH_CONFIDENCE_CPU_DAYS && cpu.peak < OVERSIZED_HIGH_CONFIDENCE_PEAK_CPU;
  const evidence = `${cpuEvidence(cpu)}; ${smaller} is the next size down`;
  const params = { instanceType: smaller };
  return recommend(input, inst, 'oversized-instance', 'resize_instance', params, sure ? 'high' : 'medium', evidence);
}

function previousGeneration(input: RegionInventory, inst: InstanceFacts): Recommendation | null {
  if (inst.state !== 'running' && inst.state !== 'stopped') return null;
  const next = currentGenerationOf(inst.instanceType);
  const oldPrice = instanceHourly(inst.instanceType);
  const newPrice = next ? instanceHourly(next) : null;
  if (!next || oldPrice === null || newPrice === null || newPrice > oldPrice) return null;
  const family = inst.instanceType.split('.')[0];
  const evidence = `${family} is a previous generation; ${next} costs ${newPrice} USD/hour, ${inst.instanceType} ${oldPrice} USD/hour`;
  return recommend(input, inst, 'previous-generation', 'resize_instance', { instanceType: next }, 'medium', evidence);
}

function unattachedVolume(input: RegionInventory, vol: VolumeFacts, now: Date): Recommendation | null {
  if (vol.state !== 'available') return null;
  const created = vol.createdAt ? Date.parse(vol.createdAt) : Number.NaN;
  const ageDays = Number.isNaN(created) ? null : Math.floor((now.getTime() - created) / DAY_MS);
  let confidence: Confidence = 'medium';
  let evidence = 'Unattached (available); creation date unknown';
  if (ageDays !== null) {
    confidence = ageDays > UNATTACHED_MIN_AGE_DAYS ? 'high' : 'low';
    const day = new Date(created).toISOString().slice(0, 10);
    evidence = `Unattached (available), created ${day} (${ageDays} ${ageDays === 1 ? 'day' : 'days'} ago)`;
  }
  return recommend(input, vol, 'unattached-volume', 'delete_volume', {}, confidence, evidence);
}

function unassociatedAddress(input: RegionInventory, addr: AddressFacts): Recommendation | null {
  if (addr.associationId) return null;
  const evidence = `Not associated with any instance or network interface; an Elastic IP costs ${ADDRESS_HOURLY} USD/hour`;
  return recommend(input, addr, 'unassociated-address', 'release_address', {}, 'high', evidence);
}

function isIdle(cpu: CpuStats): boolean {
  return cpu.days >= MIN_CPU_DAYS && cpu.average < IDLE_MAX_AVERAGE_CPU && cpu.peak < IDLE_MAX_PEAK_CPU;
}

function cpuEvidence(cpu: CpuStats): string {
  return `CPU averaged ${cpu.average.toFixed(1)}% (peak ${cpu.peak.toFixed(1)}%) over ${cpu.days} days`;
}

/** What the `because` of each proposal says before the evidence. */
const REASON: Readonly<Record<RecommendationRule, string>> = {
  'idle-instance': 'idle instance',
  'oversized-instance': 'oversized instance',
  'unattached-volume': 'unattached volume',
  'unassociated-address': 'unassociated Elastic IP',
  'previous-generation': 'previous-generation instance type',
};

function recommend(
  input: RegionInventory,
  facts: ResourceFacts,
  rule: RecommendationRule,
  kind: ActionKind,
  params: { instanceType?: string },
  confidence: Confidence,
  evidence: string,
): Recommendation | null {
  const target: TargetRef = {
    provider: 'AWS',
    accountId: input.accountId,
    region: input.region,
    resourceType: facts.resourceType,
    resourceId: facts.id,
  };
  const built = buildAction(kind, target, facts, params);
  if (!built.ok || built.action.monthlySavings < 0) return null;
  return {
    id: recommendationId(rule, facts.id),
    rule,
    action: built.action,
    confidence,
    evidence,
    proposeCommand: proposeCommandOf(kind, target, params, `${REASON[rule]}: ${evidence}`),
  };
}
