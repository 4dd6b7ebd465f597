/** One CSV record of a FOCUS file: its 1-based starting line and raw values in header order. */
export interface FocusRawRow {
  line: number;
  values: string[];
  /** Set when the CSV record itself is malformed (e.g. an unclosed quote); the row is then rejected. */
  csvError?: string;
}

/** One file of a FOCUS export: its header and its rows, read as a stream in batches. */
export interface FocusFileChunk {
  file: string;
  header: string[];
  batches: AsyncIterable<FocusRawRow[]>;
}

/** Reads FOCUS exports: a CSV file, a `.csv.gz`, or a folder of them (sorted by name). */
export interface FocusReader {
  read(path: string): AsyncIterable<FocusFileChunk>;
}
