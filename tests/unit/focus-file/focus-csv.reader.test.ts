import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFocusCsv } from '../../../adapters/focus-file/focus-csv.reader.js';
import { TallyError } from '../../../src/shared/errors.js';

const MiB = 1 << 20;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads every record of a file; the error it ends with, if any. */
async function readAll(file: string): Promise<{ rows: number; error?: unknown }> {
  let rows = 0;
  try {
    const chunk = await readFocusCsv(file);
    for await (const batch of chunk?.batches ?? []) rows += batch.rows.length;
    return { rows };
  } catch (error) {
    return { rows, error };
  }
}

const HEADER = 'BilledCost,EffectiveCost,Tags\n';

describe('record sizes of FOCUS CSV files', () => {
  it('refuses a gzip that expands to one 200 MiB line, naming the file, without reading to its end', async () => {
    const file = join(dir, 'bomb.csv.gz');
    const line = Buffer.alloc(MiB, 'a');
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 200; i++) yield line;
        })(),
      ),
      createGzip(),
      createWriteStream(file),
    );
    const { size } = await stat(file);
    expect(size).toBeLessThan(400_000);
    // The last bytes are cut off: a reader that went to the end would fail on the broken gzip instead.
    await truncate(file, size - 1024);
    const { rows, error } = await readAll(file);
    expect(rows).toBe(0);
    expect(error).toBeInstanceOf(TallyError);
    expect((error as TallyError).code).toBe('FOCUS_FILE_UNREADABLE');
    expect((error as TallyError).message).toContain(`${file}: line 1 starts a record longer than 1 MiB`);
  });

  it('bounds a record that spans many lines inside quotes, naming the line it starts on', async () => {
    const file = join(dir, 'quoted.csv');
    const field = `"${'x,y\n'.repeat(MiB / 4 + 1)}"`;
    await writeFile(file, `${HEADER}1,1,{}\n2,2,{}\n3,3,${field}\n`);
    const { rows, error } = await readAll(file);
    expect(rows).toBeLessThanOrEqual(2);
    expect((error as TallyError).code).toBe('FOCUS_FILE_UNREADABLE');
    expect((error as TallyError).message).toContain(`${file}: line 4 starts a record longer than 1 MiB`);
  });

  it('reads records up to the bound, with quoted quotes and newlines', async () => {
    const file = join(dir, 'large.csv');
    const tags = `"{""k"": ""${'v'.repeat(MiB - 100)}""}"`;
    await writeFile(file, `${HEADER}1,1,"{""a"": ""x\ny""}"\n2,2,${tags}\r\n3,3,{}\n`);
    expect(await readAll(file)).toEqual({ rows: 3 });
  });
});

describe('text of FOCUS CSV files', () => {
  it('keeps a character whose bytes fall on both sides of a read whole', async () => {
    const file = join(dir, 'utf8.csv');
    // Each record's tag value is 'é' (2 bytes in UTF-8) after enough ASCII that, over the records, the character
    // lands on every byte offset, so some 'é' straddles each boundary between two reads of the file.
    const lines = [HEADER];
    let bytes = HEADER.length;
    for (let i = 0; bytes < 3 * MiB; i++) {
      const line = `${i},${i},"{""k"": ""${'a'.repeat(i % 97)}é""}"\n`;
      lines.push(line);
      bytes += Buffer.byteLength(line);
    }
    await writeFile(file, lines.join(''));
    const chunk = await readFocusCsv(file);
    let rows = 0;
    const garbled: string[] = [];
    for await (const batch of chunk?.batches ?? []) {
      for (const values of batch.rows) {
        rows++;
        const expected = `{"k": "${'a'.repeat(Number(values[0]) % 97)}é"}`;
        if (values[2] !== expected) garbled.push(`${values[0]}: ${values[2]}`);
      }
    }
    expect(rows).toBe(lines.length - 1);
    expect(garbled).toEqual([]);
  });
});
