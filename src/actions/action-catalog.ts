import { TallyError } from '../shared/errors.js';
import { roundCents } from '../shared/money.js';
import type { ActionKind, ProposedAction, ResourceFacts, RiskLevel, TargetRef } from './action.types.js';
import {
  ADDRESS_MONTHLY,
  architectureOf,
  HOURS_PER_MONTH,
  instanceHourly,
  SNAPSHOT_GB_MONTH,
  volumeMonthly,
} from './price-table.js';

/** Parameters of an action: `resize_instance` needs the new `instanceType`. */
export type ActionParams = ProposedAction['params'];

/** Why an action cannot be built. */
type BuildActionFailure = 'UNKNOWN_PRICE' | 'WRONG_RESOURCE' | 'NOT_APPLICABLE';

export type BuildActionResult =
  | { ok: true; action: ProposedAction }
  | { ok: false; reason: BuildActionFailure; message: string };

/** The resource type each action kind acts on. */
const RESOURCE_TYPE_OF: Readonly<Record<ActionKind, ResourceFacts['resourceType']>> = {
  stop_instance: 'instance',
  resize_instance: 'instance',
  delete_volume: 'volume',
  release_address: 'address',
};

const BASE_RISK: Readonly<Record<ActionKind, RiskLevel>> = {
  release_address: 'low',
  stop_instance: 'medium',
  resize_instance: 'medium',
  delete_volume: 'high',
};

/** Tag keys that name an environment, and the values that mean production (both compared case-insensitively). */
const ENV_TAG_KEYS = new Set(['env', 'environment', 'stage']);
const PROD_VALUES = new Set(['prod', 'production']);

/** The risk of an action kind on an ordinary resource: release low, stop and resize medium, delete high. */
export function baseRisk(kind: ActionKind): RiskLevel {
  return BASE_RISK[kind];
}

/** True when the resource carries an `env`, `environment` or `stage` tag valued `prod` or `production`. */
function isProduction(facts: ResourceFacts): boolean {
  return facts.tags.some(
    (t) => ENV_TAG_KEYS.has(t.key.trim().toLowerCase()) && PROD_VALUES.has(t.value.trim().toLowerCase()),
  );
}

/** {@link baseRisk}, raised one level (at most `high`) on a production resource ({@link isProduction}). */
export function riskOf(kind: ActionKind, facts: ResourceFacts): RiskLevel {
  const base = baseRisk(kind);
  if (!isProduction(facts)) return base;
  return base === 'low' ? 'medium' : 'high';
}

/**
 * Estimated savings per month in USD, rounded to cents, from the price table; null when a price is unknown or the
 * facts do not fit the kind.
 * - `stop_instance`: the instance's hourly price × {@link HOURS_PER_MONTH}.
 * - `resize_instance`: (old − new hourly price) × {@link HOURS_PER_MONTH}; negative when the new type costs more.
 * - `delete_volume`: the volume's storage per month minus a snapshot of its full size, which the action keeps. This
 *   is conservative: snapshots are incremental and store only used blocks, so the real snapshot is usually smaller.
 *   For the cheapest volume types (st1, sc1) the estimate is negative.
 * - `release_address`: one Elastic IP for a month.
 */
export function monthlySavingsOf(kind: ActionKind, facts: ResourceFacts, params: ActionParams): number | null {
  if (facts.resourceType !== RESOURCE_TYPE_OF[kind]) return null;
  const raw = rawMonthlySavings(kind, facts, params);
  return raw === null ? null : roundCents(raw);
}

function rawMonthlySavings(kind: ActionKind, facts: ResourceFacts, params: ActionParams): number | null {
  if (kind === 'release_address') return ADDRESS_MONTHLY;
  if (facts.resourceType === 'volume') {
    const monthly = volumeMonthly(facts.volumeType, facts.sizeGiB);
    return monthly === null ? null : monthly - SNAPSHOT_GB_MONTH * facts.sizeGiB;
  }
  if (facts.resourceType !== 'instance') return null;
  const current = instanceHourly(facts.instanceType);
  if (current === null) return null;
  if (kind === 'stop_instance') return current * HOURS_PER_MONTH;
  const next = params.instanceType === undefined ? null : instanceHourly(params.instanceType);
  return next === null ? null : (current - next) * HOURS_PER_MONTH;
}

/**
 * One line saying what the action does, with its region and account, e.g. "Stop i-0abc (t3.large, web-1) in
 * us-east-1, account 123456789012", "Resize i-0abc from m5.xlarge to m5.large in eu-west-1, account 123456789012",
 * "Snapshot and delete vol-0abc (100 GiB gp2) in us-east-1, account …", "Release 54.1.2.3 (eipalloc-0abc) in
 * us-east-1, account …". A resource's Name tag is added where it helps.
 */
export function summaryOf(kind: ActionKind, target: TargetRef, facts: ResourceFacts, params: ActionParams): string {
  const id = target.resourceId;
  const where = `in ${target.region}, account ${target.accountId}`;
  const about = (...parts: string[]) => {
    const all = [...parts, ...(facts.name ? [facts.name] : [])];
    return all.length ? ` (${all.join(', ')})` : '';
  };
  switch (kind) {
    case 'stop_instance':
      return `Stop ${id}${about(...(facts.resourceType === 'instance' ? [facts.instanceType] : []))} ${where}`;
    case 'resize_instance': {
      const from = facts.resourceType === 'instance' ? ` from ${facts.instanceType}` : '';
      return `Resize ${id}${about()}${from} to ${params.instanceType ?? 'an unknown type'} ${where}`;
    }
    case 'delete_volume': {
      const size = facts.resourceType === 'volume' ? [`${facts.sizeGiB} GiB ${facts.volumeType}`] : [];
      return `Snapshot and delete ${id}${about(...size)} ${where}`;
    }
    case 'release_address':
      return facts.resourceType === 'address'
        ? `Release ${facts.publicIp}${about(id)} ${where}`
        : `Release ${id}${about()} ${where}`;
  }
}

/**
 * Builds a proposed action after checking that it fits the resource as described: the right resource type, a state
 * in which the action makes sense, and known prices.
 * - `WRONG_RESOURCE`: the kind does not act on this resource type, or target and facts name different resources.
 * - `NOT_APPLICABLE`: stopping an instance that is not running, deleting a volume that is attached, releasing an
 *   address that is associated, or resizing an instance that is neither running nor stopped, to no type, the same
 *   type, a type not in the price table, another processor architecture or a more expensive type.
 * - `UNKNOWN_PRICE`: the resource's own price is not in the table.
 */
export function buildAction(
  kind: ActionKind,
  target: TargetRef,
  facts: ResourceFacts,
  params: ActionParams,
): BuildActionResult {
  const refused = wrongResource(kind, target, facts) ?? notApplicable(kind, facts, params);
  if (refused) return refused;
  const monthlySavings = monthlySavingsOf(kind, facts, params);
  if (monthlySavings === null) {
    return { ok: false, reason: 'UNKNOWN_PRICE', message: `No price in the table for ${describe(facts)}.` };
  }
  if (kind === 'resize_instance' && monthlySavings < 0) {
    return {
      ok: false,
      reason: 'NOT_APPLICABLE',
      message: `${params.instanceType} costs more than ${describe(facts)}.`,
    };
  }
  const cleanParams = kind === 'resize_instance' ? { instanceType: params.instanceType } : {};
  return {
    ok: true,
    action: {
      kind,
      target: { ...target },
      facts: structuredClone(facts),
      params: cleanParams,
      monthlySavings,
      currency: 'USD',
      risk: riskOf(kind, facts),
      summary: summaryOf(kind, target, facts, cleanParams),
    },
  };
}

type Refusal = Extract<BuildActionResult, { ok: false }>;

function wrongResource(kind: ActionKind, target: TargetRef, facts: ResourceFacts): Refusal | null {
  const wanted = RESOURCE_TYPE_OF[kind];
  if (facts.resourceType !== wanted || target.resourceType !== wanted) {
    return { ok: false, reason: 'WRONG_RESOURCE', message: `${kind} acts on an ${wanted}, not on ${facts.id}.` };
  }
  if (target.resourceId !== facts.id) {
    return { ok: false, reason: 'WRONG_RESOURCE', message: `The target ${target.resourceId} is not ${facts.id}.` };
  }
  return null;
}

function notApplicable(kind: ActionKind, facts: ResourceFacts, params: ActionParams): Refusal | null {
  const no = (message: string): Refusal => ({ ok: false, reason: 'NOT_APPLICABLE', message });
  if (facts.resourceType === 'volume') {
    return facts.state !== 'available' || facts.attachedTo.length > 0
      ? no(`${facts.id} is attached (${facts.state}); only unattached volumes are deleted.`)
      : null;
  }
  if (facts.resourceType === 'address') {
    return facts.associationId ? no(`${facts.publicIp} is associated with ${facts.instanceId ?? 'a resource'}.`) : null;
  }
  if (kind === 'stop_instance') return facts.state === 'running' ? null : no(`${facts.id} is ${facts.state}.`);
  if (facts.state !== 'running' && facts.state !== 'stopped') return no(`${facts.id} is ${facts.state}.`);
  const next = params.instanceType;
  if (!next || next === facts.instanceType) return no(`Resizing ${facts.id} needs a new instance type.`);
  const arch = architectureOf(next);
  if (arch === null) return no(`${next} is not an instance type in the price table.`);
  const current = architectureOf(facts.instanceType);
  if (current !== null && current !== arch)
    return no(`${next} (${arch}) cannot run the ${current} image of ${facts.id}.`);
  return null;
}

function describe(facts: ResourceFacts): string {
  if (facts.resourceType === 'instance') return `${facts.id} (${facts.instanceType})`;
  if (facts.resourceType === 'volume') return `${facts.id} (${facts.volumeType})`;
  return facts.id;
}

/** The verb of each kind in the `propose` command grammar. */
const PROPOSE_VERBS: Readonly<Record<ActionKind, string>> = {
  stop_instance: 'stop',
  resize_instance: 'resize',
  delete_volume: 'delete',
  release_address: 'release',
};

/**
 * The command that proposes the action, in the grammar the `propose` command parses:
 * `propose stop <i-id> in <region> account <id> because <reason>`, `propose resize <i-id> to <type> in <region>
 * account <id> because <reason>`, `propose delete <vol-id> in …`, `propose release <eipalloc-id> in …`.
 * The reason is put on one line without quote characters, so that the command tokenizes as written.
 * Throws `INTERNAL` for an empty reason or a resize without `params.instanceType` (bugs in the caller).
 * @example proposeCommandOf('stop_instance', target, {}, 'idle for 14 days')
 * // 'propose stop i-0abc in us-east-1 account 123456789012 because idle for 14 days'
 */
export function proposeCommandOf(kind: ActionKind, target: TargetRef, params: ActionParams, reason: string): string {
  const why = reason
    .replace(/["'“”‘’`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (why === '') throw new TallyError('INTERNAL', 'A proposal needs a reason.');
  let to = '';
  if (kind === 'resize_instance') {
    if (!params.instanceType) throw new TallyError('INTERNAL', 'A resize proposal needs params.instanceType.');
    to = ` to ${params.instanceType}`;
  }
  return `propose ${PROPOSE_VERBS[kind]} ${target.resourceId}${to} in ${target.region} account ${target.accountId} because ${why}`;
}
