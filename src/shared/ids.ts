import { randomBytes } from 'node:crypto';

/** A short, human-quotable id, e.g. for an error a user reports: `err_7f3a9c2e`. */
export function newId(prefix: string, bytes = 4): string {
  return `${prefix}_${randomBytes(bytes).toString('hex')}`;
}
