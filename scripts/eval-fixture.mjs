#!/usr/bin/env node
// Writes tests/fixtures/focus/eval-sample.csv.gz, the FOCUS file the people's-questions eval runs on
// (docs/evaluation.md): `tally sample` ending 2026-06-09 (the eval's "today" is 2026-06-10), keeping the rows
// charged from 2025-10-01 on so that the file stays small. Needs `npm run build` first.
//   node scripts/eval-fixture.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

const END = '2026-06-09';
const FROM = '2025-10-01';
const OUT = 'tests/fixtures/focus/eval-sample.csv.gz';

const dir = mkdtempSync(join(tmpdir(), 'tally-eval-fixture-'));
try {
  const csv = join(dir, 'sample.csv');
  execFileSync(process.execPath, ['bin/tally.js', 'sample', '--end', END, '--out', csv], { stdio: 'inherit' });
  // The sample has no line breaks inside fields, so a record is a line; csv-parse reads each line's fields.
  const [header, ...lines] = readFileSync(csv, 'utf8').split('\n').filter(Boolean);
  const at = parse(header)[0].indexOf('ChargePeriodStart');
  const kept = lines.filter((line) => parse(line)[0][at] >= FROM);
  writeFileSync(OUT, gzipSync(`${[header, ...kept].join('\n')}\n`, { level: 9 }));
  console.log(`Wrote ${kept.length} rows charged ${FROM} to ${END} to ${OUT}.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
