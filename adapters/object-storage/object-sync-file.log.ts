import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectSyncLog, ObjectSyncOutcome, PrefixSync } from '../../src/costs/object-sync-log.port.js';

/** The file in the data directory that holds the last sync of each object storage prefix. */
const FILE = 'object-syncs.json';

/**
 * The object sync log as a JSON file in the data directory (`object-syncs.json`, beside `costs/`), replaced whole
 * through a temporary file so that a reader never sees half of it. Two processes syncing at the same instant may lose
 * one note; the next sync writes it again.
 */
export class FileObjectSyncLog implements ObjectSyncLog {
  constructor(private readonly dataDir: string) {}

  async record(outcome: ObjectSyncOutcome): Promise<void> {
    const all = new Map((await this.latest()).map((p) => [p.prefix, p]));
    const before = all.get(outcome.prefix);
    all.set(outcome.prefix, {
      prefix: outcome.prefix,
      listedAt: outcome.listing ? outcome.at : (before?.listedAt ?? null),
      listed: outcome.listing?.listed ?? before?.listed ?? 0,
      read: outcome.listing?.read ?? before?.read ?? 0,
      attemptedAt: outcome.at,
      failed: outcome.failed,
    });
    await mkdir(this.dataDir, { recursive: true });
    const path = join(this.dataDir, FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify([...all.values()], null, 2)}\n`);
    await rename(temporary, path);
  }

  async latest(): Promise<PrefixSync[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(this.dataDir, FILE), 'utf8'));
      return Array.isArray(parsed) ? (parsed as PrefixSync[]) : [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
