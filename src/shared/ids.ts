import { randomBytes } from 'node:crypto';

/** A short, human-quotable id, e.g. for an error a user reports: `err_7f3a9c2e`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
