import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Vendor SDKs the core must not import (docs/architecture.md#dependencies-point-down). */
const VENDOR = [
  /^@slack\//,
  /^botbuilder/,
  /^botframework/,
  /^bullmq$/,
  /^ioredis$/,
  /^mongoose$/,
  /^mongodb$/,
  /^@aws-sdk\//,
  /^@azure\//,
  /^@google-cloud\//,
  /^nodemailer$/,
  /^twilio$/,
  /^@langchain\/openai$/,
  /^@langchain\/langgraph-checkpoint-mongodb$/,
  /^pino$/,
  // Writing CSV (csv-stringify) is pure formatting, allowed in the core; parsing reads files, in adapters.
  /^csv-parse/,
  /^commander$/,
  /^@modelcontextprotocol\//,
];
/** `@langchain/langgraph` and `@langchain/core` are allowed in src/agent only. */
const AGENT_ONLY = [/^@langchain\/langgraph$/, /^@langchain\/core/];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  for (const m of source.matchAll(
    /(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g,
  )) {
    specs.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return specs;
}

describe('import boundaries', () => {
  const files = tsFiles(join(ROOT, 'src')).filter((f) => !relative(ROOT, f).startsWith('src/bootstrap/'));

  it('finds the core files and reads their imports', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(importsOf('import { x } from \'mongoose\';\nimport type { Y } from "@slack/bolt";')).toEqual([
      'mongoose',
      '@slack/bolt',
    ]);
  });

  it('src/ (outside bootstrap) imports no vendor SDK and nothing from adapters/ or jobs/', () => {
    const offences: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const vendor = VENDOR.some((re) => re.test(spec));
        const agentOnly = AGENT_ONLY.some((re) => re.test(spec)) && !rel.startsWith('src/agent/');
        const layer = /(^|\/)(adapters|jobs)\//.test(spec) && spec.startsWith('.');
        if (vendor || agentOnly || layer) offences.push(`${rel} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('process.env is read only in src/config/env.ts', () => {
    const all = [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'adapters'))];
    const readers = all.filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(readers).toEqual(['src/config/env.ts']);
  });
});
