import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyScope } from '../../../src/commands/scope.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { TallyError } from '../../../src/shared/errors.js';

describe('policy file', () => {
  it('parses the example file', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../policy.example.yml', import.meta.url)), 'utf8');
    const policy = parsePolicy(text);
    expect(policy.channels.get('C0PAYMENTS')).toEqual({ providers: ['AWS'], subAccountIds: ['483920175634'] });
  });

  it('names each bad entry by its path', () => {
    try {
      parsePolicy('channels:\n  C1:\n    providers: []\n  C2:\n    colour: red\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TallyError);
      expect((e as TallyError).code).toBe('CONFIG_INVALID');
      const paths = (e as TallyError).metadata.paths as string[];
      expect(paths).toEqual(expect.arrayContaining(['channels.C1.providers', 'channels.C2']));
    }
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => parsePolicy('channels: [unclosed')).toThrow(/line \d+, column \d+/);
  });
});

describe('channel scope', () => {
  const scope = { providers: ['AWS'] };
  it('narrows an open filter to the scope', () => {
    expect(applyScope({}, scope)).toEqual({ providers: ['AWS'] });
  });
  it('keeps what the scope allows and refuses what it does not', () => {
    expect(applyScope({ providers: ['AWS', 'Microsoft'] }, scope)).toEqual({ providers: ['AWS'] });
    expect(applyScope({ providers: ['Microsoft'] }, scope)).toBeNull();
  });
  it('leaves unscoped channels alone', () => {
    expect(applyScope({ regions: ['eu-west-1'] }, undefined)).toEqual({ regions: ['eu-west-1'] });
  });
});
