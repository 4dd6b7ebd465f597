import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config/env.js';

const read = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');

describe('documentation stays true', () => {
  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    const missing = CONFIG_VARIABLES.map((v) => v.name).filter((n) => !readme.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });

  it('.ci/run runs the README test command', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm test');
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
