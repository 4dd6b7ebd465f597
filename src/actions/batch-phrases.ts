import type { ActionKind } from './action.types.js';

/**
 * What a batch of `kind` is asked for in words (`propose stop all idle instances in account …`), and the
 * recommendation rule whose findings it takes (docs/architecture.md#batches).
 */
export const BATCH_PHRASES: Record<ActionKind, { verb: string; rule: string; noun: string }> = {
  stop_instance: { verb: 'stop', rule: 'idle-instance', noun: 'idle instances' },
  resize_instance: { verb: 'resize', rule: 'oversized-instance', noun: 'oversized instances' },
  delete_volume: { verb: 'delete', rule: 'unattached-volume', noun: 'unattached volumes' },
  release_address: { verb: 'release', rule: 'unassociated-address', noun: 'unassociated addresses' },
};
