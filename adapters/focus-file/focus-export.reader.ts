import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CostSourceInfo } from '../../src/costs/cost-repository.port.js';
import type { FocusFileChunk, FocusReader } from '../../src/costs/focus-reader.port.js';
import { TallyError } from '../../src/shared/errors.js';
import { readFocusCsv } from './focus-csv.reader.js';
import { type DuckDbConnections, readFocusParquet } from './focus-parquet.reader.js';

const EXPORT_RE = /\.(csv|csv\.gz|parquet)$/i;

/**
 * Reads FOCUS exports from local paths: a file, or a folder of them (every `.csv`, `.csv.gz` and `.parquet` below
 * it, by name). Parquet is read through the process's DuckDB engine.
 */
export class FocusExportReader implements FocusReader {
  constructor(private readonly engine: DuckDbConnections) {}

  async *read(path: string): AsyncIterable<FocusFileChunk> {
    for (const file of await listExportFiles(path)) {
      const chunk = /\.parquet$/i.test(file) ? await readFocusParquet(this.engine, file) : await readFocusCsv(file);
      if (chunk) yield chunk;
    }
  }
}

/** The export files of a path: the file itself, or the export files of a folder, recursively, sorted. */
async function listExportFiles(path: string): Promise<string[]> {
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
    .filter((e) => e.isFile() && EXPORT_RE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * True when the export at `path` was never imported (`imported` absent), or a file of it is newer than that import,
 * or files came or went since.
 */
export async function exportChanged(path: string, imported: CostSourceInfo | undefined): Promise<boolean> {
  if (!imported) return true;
  const files = await listExportFiles(path).catch(() => [] as string[]);
  const at = Date.parse(imported.lastImport);
  for (const f of files) {
    const info = await stat(f).catch(() => null);
    if (!info || info.mtimeMs >= at) return true;
  }
  return files.length !== imported.files.length + imported.skipped.length;
}
