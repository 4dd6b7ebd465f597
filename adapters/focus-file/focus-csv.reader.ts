import { createReadStream } from 'node:fs';
import { pipeline, type Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import Papa from 'papaparse';
import type { FocusFileChunk, FocusRowBatch } from '../../src/costs/focus-reader.port.js';
import { TallyError } from '../../src/shared/errors.js';

/**
 * Papa Parse hands over about this many bytes per chunk. Small on purpose: a chunk's records (an array and a string
 * per field) live while the chunk is imported, and with 1 MiB chunks they outlived V8's young generation and filled
 * the old one with garbage (a heap of 250 MB importing a 200 MB file, against 60 MB with 64 KiB; bench/sources).
 */
const CHUNK_BYTES = 64 << 10;

/**
 * The longest record (a line, or several lines inside quotes) a FOCUS CSV may hold, which also bounds every field.
 * Real rows are a few kilobytes, tags included; a longer one means the file is no FOCUS export (or a gzip that
 * expands to one huge line), and reading stops there instead of holding it all in memory.
 */
const MAX_RECORD_BYTES = 1 << 20;

/**
 * Reads one FOCUS CSV file with Papa Parse, streaming: RFC 4180 quoting (commas, quotes and newlines inside fields),
 * CRLF, a UTF-8 byte order mark, and gzip (`.csv.gz`). Papa Parse was chosen over csv-parse for speed: about 3.5×
 * faster on FOCUS-shaped rows (bench/query), which dominates import time. Null when the file has no header.
 */
export async function readFocusCsv(file: string): Promise<FocusFileChunk | null> {
  const chunks = streamRows(file);
  const lines = new LineCounter();
  const head = await readHeader(chunks, lines);
  return head ? { file, header: head.header, batches: batches(head.rest, chunks, lines) } : null;
}

/** The first non-blank record is the header; the records after it in the same chunk are returned as `rest`. */
async function readHeader(chunks: AsyncIterator<ParsedChunk>, lines: LineCounter) {
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const { rows, errors } = next.value;
    const at = rows.findIndex((r) => !lines.skipBlank(r));
    if (at < 0) continue;
    const header = rows[at]!;
    lines.advance(header);
    const rest: ParsedChunk = { rows: rows.slice(at + 1), errors: shift(errors, at + 1) };
    return { header, rest };
  }
  return null;
}

function shift(errors: Map<number, string> | undefined, by: number): Map<number, string> | undefined {
  if (!errors) return undefined;
  return new Map([...errors].filter(([i]) => i >= by).map(([i, e]) => [i - by, e]));
}

/** One chunk from Papa Parse: its records and the quoting problems it found, by record index. */
interface ParsedChunk {
  rows: string[][];
  errors: Map<number, string> | undefined;
}

/**
 * Papa Parse's push-style chunks as an async iterator with back-pressure: after each chunk the parser and the file
 * stream pause until the consumer asks for the next one. Pausing the parser alone is not enough: Papa Parse keeps
 * taking the stream's data into a queue of its own while paused, so a file read faster than it is imported would end
 * up in memory whole (docs/cost-data.md, "Sizing").
 */
async function* streamRows(file: string): AsyncGenerator<ParsedChunk> {
  const queue: ParsedChunk[] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const fail = (err: unknown) => {
    failure ??= err;
    signal();
  };
  // One pipeline, so that a failure anywhere (a bad gzip, a record too long) stops and closes every stream.
  const stages: (Readable | Transform)[] = [createReadStream(file, { highWaterMark: CHUNK_BYTES })];
  if (file.toLowerCase().endsWith('.gz')) stages.push(createGunzip());
  stages.push(stripByteOrderMark(), boundRecords(file));
  const input = pipeline(stages as [Readable, ...Transform[]], (err) => {
    if (err) fail(err);
  }) as unknown as Readable;
  input.on('error', fail);
  // Text, not bytes: the stream's decoder keeps a character split between two reads whole (Papa Parse would decode
  // each read on its own and garble it).
  input.setEncoding('utf8');
  Papa.parse<string[]>(input as unknown as File, {
    delimiter: ',',
    skipEmptyLines: false,
    chunkSize: CHUNK_BYTES,
    chunk: (results, p) => {
      parser = p;
      queue.push({ rows: results.data, errors: quoteErrors(results) });
      p.pause();
      input.pause();
      signal();
    },
    complete: () => {
      done = true;
      signal();
    },
    error: (err: Error) => fail(err),
  });
  while (true) {
    if (failure) {
      (parser as Papa.Parser | null)?.abort();
      if (failure instanceof TallyError) throw failure;
      throw new TallyError('FOCUS_FILE_UNREADABLE', `${file}: cannot be read (${String(failure)})`, { cause: failure });
    }
    const next = queue.shift();
    if (next) {
      yield next;
      (parser as Papa.Parser | null)?.resume();
      // Resuming the parser may hand over a chunk it had queued (and pause the stream again): read on only if not.
      if (queue.length === 0) input.resume();
      continue;
    }
    if (done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

function quoteErrors(results: Papa.ParseResult<string[]>): Map<number, string> | undefined {
  let errors: Map<number, string> | undefined;
  for (const e of results.errors) {
    if (e.type !== 'Quotes' || e.row === undefined) continue;
    errors ??= new Map();
    errors.set(e.row, e.message);
  }
  return errors;
}

async function* batches(
  first: ParsedChunk,
  rest: AsyncIterator<ParsedChunk>,
  lines: LineCounter,
): AsyncIterable<FocusRowBatch> {
  let chunk: ParsedChunk | null = first;
  while (chunk) {
    const batch: FocusRowBatch = { lines: [], rows: [] };
    chunk.rows.forEach((values, i) => {
      if (lines.skipBlank(values)) return;
      const error = chunk?.errors?.get(i);
      if (error) {
        batch.csvErrors ??= new Map();
        batch.csvErrors.set(batch.rows.length, error);
      }
      batch.lines.push(lines.advance(values));
      batch.rows.push(values);
    });
    if (batch.rows.length) yield batch;
    const next = await rest.next();
    chunk = next.done ? null : next.value;
  }
}

/**
 * Tracks the physical line each record starts on: one line per record, plus the newlines inside its quoted fields.
 * A blank line is a record of one empty field; it is counted and skipped.
 */
class LineCounter {
  private next = 1;

  skipBlank(values: string[]): boolean {
    if (values.length !== 1 || values[0] !== '') return false;
    this.next++;
    return true;
  }

  /** Returns the record's first line and moves past it. */
  advance(values: string[]): number {
    const start = this.next;
    let newlines = 0;
    for (const v of values) {
      if (v.indexOf('\n') < 0) continue;
      for (const ch of v) if (ch === '\n') newlines++;
    }
    this.next += 1 + newlines;
    return start;
  }
}

/**
 * Passes the bytes on while no record is longer than `MAX_RECORD_BYTES`; fails naming the file and the line the
 * record starts on otherwise. A record ends at a newline outside double quotes (RFC 4180: `""` inside quotes toggles
 * twice). One pass over the bytes, several times faster than Papa Parse reads them.
 */
function boundRecords(file: string): Transform {
  let inQuotes = false;
  let length = 0;
  let line = 1;
  let recordLine = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0x22) inQuotes = !inQuotes;
        else if (b === 0x0a) {
          line++;
          if (!inQuotes) {
            length = 0;
            recordLine = line;
            continue;
          }
        }
        if (++length > MAX_RECORD_BYTES)
          return done(
            new TallyError(
              'FOCUS_FILE_UNREADABLE',
              `${file}: line ${recordLine} starts a record longer than ${MAX_RECORD_BYTES / (1 << 20)} MiB; FOCUS rows are a few KB, so this is no FOCUS CSV export (reading stopped there)`,
            ),
          );
      }
      done(null, chunk);
    },
  });
}

/** Drops a UTF-8 byte order mark before the header (Excel and some exporters write one, before a quoted header too). */
function stripByteOrderMark(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      done(null, chunk);
    },
  });
}
