/**
 * A batch of CSV records of a FOCUS file, as parallel arrays (one object per batch, not per row: imports read
 * millions of rows). `lines[i]` is the 1-based line record `rows[i]` starts on; `csvErrors` maps an index to the
 * problem when the record itself is malformed (e.g. an unclosed quote), and that row is rejected.
 */
export interface FocusRowBatch {
  lines: number[];
  rows: string[][];
  csvErrors?: Map<number, string>;
}

/** One file of a FOCUS export: its header and its rows, read as a stream in batches. */
export interface FocusFileChunk {
  file: string;
  header: string[];
  batches: AsyncIterable<FocusRowBatch>;
  /**
   * Set for a columnar file (Parquet) that the cost store can load itself, in bulk, with the same rules as the row
   * mapper (docs/cost-data.md); `batches` is then not read.
   */
  bulk?: { format: 'parquet'; columns: { name: string; type: string }[] };
}

/** Reads FOCUS exports: a CSV file, a `.csv.gz`, or a folder of them (sorted by name). */
export interface FocusReader {
  read(path: string): AsyncIterable<FocusFileChunk>;
}
