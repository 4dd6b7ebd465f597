import type {
  AddressFacts,
  CpuStats,
  InstanceFacts,
  Inventory,
  VolumeFacts,
} from '../../src/recommendations/inventory.port.js';

/** What one region holds. Missing lists are empty. */
export interface MemoryRegion {
  instances?: InstanceFacts[];
  volumes?: VolumeFacts[];
  addresses?: AddressFacts[];
}

/** One call made to the inventory, for tests that count scans. */
export interface InventoryCall {
  method: 'accountId' | 'instances' | 'volumes' | 'addresses' | 'cpu';
  region?: string;
  instanceIds?: string[];
  days?: number;
}

/**
 * An in-memory {@link Inventory} for unit tests: per-region resource lists and one CPU map keyed by instance id.
 * Terminated instances are left out, as the port promises; `cpu` answers only for the ids asked. Every call is
 * recorded in `calls`; `failNext` makes the next call reject.
 */
export class MemoryInventory implements Inventory {
  readonly calls: InventoryCall[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly regions: Record<string, MemoryRegion>,
    private readonly cpuStats: ReadonlyMap<string, CpuStats> = new Map(),
    private readonly account = '123456789012',
  ) {}

  /** Makes the next call reject with `err`. */
  failNext(err: Error): void {
    this.failure = err;
  }

  async accountId(): Promise<string> {
    this.record({ method: 'accountId' });
    return this.account;
  }

  async instances(region: string): Promise<InstanceFacts[]> {
    this.record({ method: 'instances', region });
    return structuredClone((this.regions[region]?.instances ?? []).filter((i) => i.state !== 'terminated'));
  }

  async volumes(region: string): Promise<VolumeFacts[]> {
    this.record({ method: 'volumes', region });
    return structuredClone(this.regions[region]?.volumes ?? []);
  }

  async addresses(region: string): Promise<AddressFacts[]> {
    this.record({ method: 'addresses', region });
    return structuredClone(this.regions[region]?.addresses ?? []);
  }

  async cpu(region: string, instanceIds: string[], days: number): Promise<Map<string, CpuStats>> {
    this.record({ method: 'cpu', region, instanceIds: [...instanceIds], days });
    const inRegion = new Set((this.regions[region]?.instances ?? []).map((i) => i.id));
    const out = new Map<string, CpuStats>();
    for (const id of instanceIds) {
      const stats = this.cpuStats.get(id);
      if (stats && inRegion.has(id)) out.set(id, { ...stats });
    }
    return out;
  }

  /** How many times `method` was called. */
  count(method: InventoryCall['method']): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private record(call: InventoryCall): void {
    this.calls.push(call);
    const failure = this.failure;
    if (failure) {
      this.failure = null;
      throw failure;
    }
  }
}

/** A running instance for tests; override any fact. */
export function testInstance(id: string, instanceType: string, extra: Partial<InstanceFacts> = {}): InstanceFacts {
  return { resourceType: 'instance', id, instanceType, state: 'running', tags: [], ...extra };
}

/** An unattached (`available`) volume for tests; override any fact. */
export function testVolume(
  id: string,
  sizeGiB: number,
  volumeType: string,
  extra: Partial<VolumeFacts> = {},
): VolumeFacts {
  return { resourceType: 'volume', id, sizeGiB, volumeType, state: 'available', attachedTo: [], tags: [], ...extra };
}

/** An unassociated Elastic IP for tests; override any fact. */
export function testAddress(id: string, publicIp: string, extra: Partial<AddressFacts> = {}): AddressFacts {
  return { resourceType: 'address', id, publicIp, tags: [], ...extra };
}

/** CPU statistics for tests: `days` of hourly points. */
export function testCpu(average: number, peak: number, days: number): CpuStats {
  return { average, peak, days, points: days * 24 };
}
