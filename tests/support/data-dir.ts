import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

/**
 * A fresh `TALLY_DATA_DIR` for a test that builds Tally from a configuration (never the user's `~/.tally/data`),
 * removed after the last test of the file.
 */
export function testDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-data-'));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
