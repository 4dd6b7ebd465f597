import type { AuditEntry, AuditLog } from '../audit/audit.types.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';

/** Appends one audit entry about an approval, stamped now. */
export function auditor(audit: AuditLog, clock: Clock) {
  return (entry: Omit<AuditEntry, 'id' | 'at'>) =>
    audit.append({ id: newId('aud'), at: clock.now().toISOString(), ...entry });
}

export type Auditor = ReturnType<typeof auditor>;
