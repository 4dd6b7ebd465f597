import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/focus/${name}`, import.meta.url));
const EXPORT = fixture('export-2026-05.csv');
const CORRUPT = fixture('export-corrupt.csv');

/** A data directory of its own, with `TALLY_TODAY` in June 2026 so that `last month` is the fixtures' May. */
function env() {
  return { TALLY_DATA_DIR: mkdtempSync(join(tmpdir(), 'tally-sources-')), TALLY_TODAY: '2026-06-15' };
}

describe('sources you can see and undo', () => {
  it('an answer over days with rejected rows says how many, and `status` shows where', async () => {
    const e = env();
    expect((await runCli(['import', '--source', 'may', CORRUPT], e)).code).toBe(0);
    const answer = await runCli(['ask', 'cost last month by service'], e);
    expect(answer.code).toBe(0);
    // Two of the three have a readable May day; the third's date is unreadable, so it may belong to any period.
    expect(answer.stdout).toMatch(
      /Incomplete: 2 rows of may in this period and 1 row of may with an unreadable date, which may belong to it were rejected on import/,
    );
    const status = await runCli(['ask', '--json', 'status'], e);
    const data = JSON.parse(status.stdout) as { costSources: { name: string; rejectedRows: number }[] };
    expect(data.costSources.map((s) => [s.name, s.rejectedRows])).toEqual([['may', 3]]);
    // A period the source has no data in says nothing of them.
    const other = await runCli(['ask', 'cost from 2026-07-01 to 2026-07-10'], e);
    expect(other.stdout).not.toMatch(/Incomplete/);
  });

  it('the same export under two names is flagged as counted twice until one is removed', async () => {
    const e = env();
    expect((await runCli(['import', '--source', 'first', EXPORT], e)).code).toBe(0);
    expect((await runCli(['import', '--source', 'second', EXPORT], e)).code).toBe(0);
    const twice = await runCli(['ask', 'cost last month'], e);
    expect(twice.stdout).toMatch(/May be counted twice: first and second both cover billing account/);
    const status = await runCli(['ask', 'status'], e);
    expect(status.stdout).toMatch(/Counted twice: first and second/);

    const listed = await runCli(['sources'], e);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').filter((l) => /^(first|second)\t/.test(l))).toHaveLength(2);

    const removed = await runCli(['sources', 'remove', 'second'], e);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed second');
    const once = await runCli(['ask', 'cost last month'], e);
    expect(once.stdout).not.toMatch(/counted twice/i);
    expect((await runCli(['sources'], e)).stdout).not.toMatch(/^second\t/m);

    const unknown = await runCli(['sources', 'remove', 'nope'], e);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no cost source named nope/);
  });
});
