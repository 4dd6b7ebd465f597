import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, TALLY_BIN } from '../support/run-cli.js';

/**
 * Two processes on one data directory (docs/cost-data.md): one imports a new version of a source while another,
 * started before, answers in a loop. Every answer shows, for each month, either all of the old data or all of the
 * new, and the first answer after the import has finished shows the new data, without a restart.
 */
const dir = mkdtempSync(join(tmpdir(), 'tally-two-processes-'));
const dataDir = join(dir, 'data');
const env = { TALLY_DATA_DIR: dataDir, TALLY_TODAY: '2026-03-15' };

const HEADER =
  'BillingAccountId,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ListCost,ProviderName,ServiceName,SubAccountId,RegionId,ResourceId';

/** A FOCUS file with `perDay` rows a day in January and February 2026, every row costing `amount` (in cents). */
function focusFile(name: string, perDay: number, cents: number): { path: string; jan: number; feb: number } {
  const amount = (cents / 100).toFixed(2);
  const lines = [HEADER];
  for (const [month, days] of [
    ['01', 31],
    ['02', 28],
  ] as const) {
    for (let d = 1; d <= days; d++) {
      const day = `2026-${month}-${String(d).padStart(2, '0')}`;
      for (let i = 0; i < perDay; i++)
        lines.push(
          `payer,USD,Usage,${day}T00:00:00Z,${day}T23:59:59Z,${amount},${amount},${amount},AWS,Svc${i % 7},acct${i % 5},us-east-1,i-${i}`,
        );
    }
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  // Expected totals in cents, by construction.
  return { path, jan: 31 * perDay * cents, feb: 28 * perDay * cents };
}

/** `tally shell` as a long-running process, asked one line at a time. */
function startShell(): { ask(line: string): Promise<string>; close(): Promise<void> } {
  const child: ChildProcess = spawn(process.execPath, [TALLY_BIN, 'shell'], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let waiting: (() => void) | null = null;
  child.stdout?.on('data', (d) => {
    out += d;
    waiting?.();
  });
  const prompt = 'tally> ';
  const nextPrompt = async (from: number) => {
    while (out.indexOf(prompt, from) < 0) {
      if (child.exitCode !== null) throw new Error(`shell exited: ${out}`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    }
    return out.indexOf(prompt, from);
  };
  let ready = nextPrompt(0);
  return {
    async ask(line) {
      const at = (await ready) + prompt.length;
      child.stdin?.write(`${line}\n`);
      const end = await nextPrompt(at);
      ready = Promise.resolve(end);
      return out.slice(at, end);
    },
    async close() {
      child.stdin?.end('exit\n');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The two totals of `compare 2026-02 vs 2026-01` in cents: [February, January]. */
function totals(answer: string): [number, number] {
  const m = /Change \(USD\): ([\d,.]+) USD vs ([\d,.]+) USD/.exec(answer);
  if (!m) throw new Error(`no totals in: ${answer}`);
  const cents = (s: string) => Math.round(Number(s.replaceAll(',', '')) * 100);
  return [cents(m[1]!), cents(m[2]!)];
}

describe('two processes on one data directory', () => {
  const shells: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of shells) await s.close();
  });

  it('an answering process sees each month all old or all new while another imports, and the new data after', async () => {
    const oldData = focusFile('old.csv', 4, 100);
    const newData = focusFile('new.csv', 2_500, 300);
    const first = await runCli(['import', '--source', 'exports', oldData.path], env);
    expect(first.code, first.stderr).toBe(0);

    const shell = startShell();
    shells.push(shell);
    expect(totals(await shell.ask('compare 2026-02 vs 2026-01'))).toEqual([oldData.feb, oldData.jan]);

    const importing = runCli(['import', '--source', 'exports', newData.path], env);
    let finished = false;
    void importing.then(() => {
      finished = true;
    });
    const seen: [number, number][] = [];
    while (!finished) seen.push(totals(await shell.ask('compare 2026-02 vs 2026-01')));
    const result = await importing;
    expect(result.code, result.stderr).toBe(0);

    for (const [feb, jan] of seen) {
      expect([oldData.feb, newData.feb]).toContain(feb);
      expect([oldData.jan, newData.jan]).toContain(jan);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(totals(await shell.ask('compare 2026-02 vs 2026-01'))).toEqual([newData.feb, newData.jan]);
  });
});
