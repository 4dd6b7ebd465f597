import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { FocusFileChunk, FocusRawRow, FocusReader } from '../../src/costs/focus-reader.port.js';
import { TallyError } from '../../src/shared/errors.js';

const BATCH = 2_000;
const CSV_RE = /\.csv(\.gz)?$/i;

/** Reads FOCUS CSV exports with csv-parse: RFC 4180 quoting (commas, quotes and newlines in fields), gzip, folders. */
export class FocusCsvReader implements FocusReader {
  async *read(path: string): AsyncIterable<FocusFileChunk> {
    for (const file of await listFiles(path)) {
      const parser = openCsv(file);
      const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
      const first = await nextOrFail(iterator, file);
      if (!first) continue;
      yield { file, header: first.record, batches: batches(iterator, file) };
      parser.destroy();
    }
  }
}

async function listFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw new TallyError('FOCUS_FILE_UNREADABLE', `${path}: no such file or folder`, {
      cause: err,
      metadata: { path },
    });
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && CSV_RE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function openCsv(file: string) {
  let input: Readable = createReadStream(file);
  if (file.toLowerCase().endsWith('.gz')) input = input.pipe(createGunzip());
  const parser = parse({ info: true, bom: true, relax_column_count: true, skip_empty_lines: true });
  input.on('error', (err) => parser.destroy(err));
  return input.pipe(parser);
}

async function nextOrFail<T>(it: AsyncIterator<T>, file: string): Promise<T | null> {
  try {
    const r = await it.next();
    return r.done ? null : r.value;
  } catch (err) {
    throw csvError(err, file);
  }
}

async function* batches(
  it: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  file: string,
): AsyncIterable<FocusRawRow[]> {
  let batch: FocusRawRow[] = [];
  for (;;) {
    const next = await nextOrFail(it, file);
    if (!next) break;
    batch.push({ line: startLine(next.record, next.info.lines), values: next.record });
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** csv-parse reports the line a record ends on; a record with newlines inside quotes started earlier. */
function startLine(values: string[], endLine: number): number {
  let newlines = 0;
  for (const v of values) {
    if (v.indexOf('\n') < 0) continue;
    for (const ch of v) if (ch === '\n') newlines++;
  }
  return endLine - newlines;
}

function csvError(err: unknown, file: string): TallyError {
  const e = err as { message?: string; lines?: number; code?: string };
  const where = e.lines ? ` near line ${e.lines}` : '';
  return new TallyError(
    'FOCUS_FILE_UNREADABLE',
    `${file}: not a readable CSV${where} (${e.code ?? e.message ?? 'error'})`,
    {
      cause: err,
      metadata: { file, line: e.lines },
    },
  );
}
