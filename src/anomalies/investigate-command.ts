import { addDays } from '../shared/day.js';
import type { Anomaly } from './anomaly.types.js';

/** Quotes a value for the command language: `"Amazon EC2"`, or with `'…'` / `“…”` when it holds a `"`. */
function quote(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `“${value}”`;
}

/**
 * The command that explains an anomaly: its day against the same weekday a week before (the baseline is
 * weekday-aware), broken down by what the anomaly is made of. A service anomaly is broken down by account, an account
 * anomaly by service, the total by service. Commands are deterministic, so Investigate runs this rather than asking
 * the agent.
 *
 * @example
 * investigateCommand(ec2Anomaly) // 'compare 2026-05-14 vs 2026-05-07 by account for service "Amazon EC2"'
 * investigateCommand(accountAnomaly) // 'compare 2026-05-14 vs 2026-05-07 by service for account "111122223333"'
 */
export function investigateCommand(anomaly: Pick<Anomaly, 'day' | 'dimension' | 'key'>): string {
  const compare = `compare ${anomaly.day} vs ${addDays(anomaly.day, -7)}`;
  switch (anomaly.dimension) {
    case 'service':
      return `${compare} by account for service ${quote(anomaly.key)}`;
    case 'account':
      return `${compare} by service for account ${quote(anomaly.key)}`;
    case 'total':
      return `${compare} by service`;
  }
}
