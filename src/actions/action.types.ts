/**
 * Cost-saving actions Tally can carry out once approved (docs/architecture.md#approvals). Plain data: the approval
 * keeps a copy of the action as proposed, and the executor compares it with the resource as it is when the action runs.
 */
const ACTION_KINDS = ['stop_instance', 'resize_instance', 'delete_volume', 'release_address'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface Tag {
  key: string;
  value: string;
}

/** Which cloud resource: enough to find it again. */
export interface TargetRef {
  provider: 'AWS';
  accountId: string;
  region: string;
  resourceType: 'instance' | 'volume' | 'address';
  /** `i-…`, `vol-…`, or the address's allocation id `eipalloc-…`. */
  resourceId: string;
}

/** A resource as described by the cloud at one moment. */
export type ResourceFacts =
  | {
      resourceType: 'instance';
      id: string;
      instanceType: string;
      /** `pending | running | stopping | stopped | shutting-down | terminated` */
      state: string;
      launchTime?: string;
      tags: Tag[];
      name?: string;
    }
  | {
      resourceType: 'volume';
      id: string;
      sizeGiB: number;
      volumeType: string;
      /** `available` means unattached. */
      state: string;
      createdAt?: string;
      attachedTo: string[];
      tags: Tag[];
      name?: string;
    }
  | {
      resourceType: 'address';
      /** The allocation id. */
      id: string;
      publicIp: string;
      associationId?: string;
      instanceId?: string;
      networkBorderGroup?: string;
      tags: Tag[];
      name?: string;
    };

/** An action as proposed: what, on which resource (with its facts then), what it saves, and how risky it is. */
export interface ProposedAction {
  kind: ActionKind;
  target: TargetRef;
  /** The resource's facts when the action was proposed; the executor refuses to act if they changed. */
  facts: ResourceFacts;
  /** `resize_instance`: the new instance type. */
  params: { instanceType?: string };
  /** Estimated savings per month in USD, from the documented price table. */
  monthlySavings: number;
  currency: 'USD';
  risk: RiskLevel;
  /** One line, e.g. "Stop i-0abc (t3.large, web-1) in us-east-1". */
  summary: string;
}

/** What is needed to undo an executed action. */
export interface RollbackInfo {
  previousInstanceType?: string;
  snapshotId?: string;
  publicIp?: string;
  note: string;
}
