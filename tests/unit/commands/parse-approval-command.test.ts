import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

describe('approval commands', () => {
  it.each([
    ['recommendations', { kind: 'recommendations', refresh: false }],
    ['recommendations in eu-west-1 refresh', { kind: 'recommendations', region: 'eu-west-1', refresh: true }],
    ['approvals', { kind: 'approvals' }],
    ['approval apr_1a2b3c4d', { kind: 'approval', id: 'apr_1a2b3c4d' }],
    ['approve apr_1a2b3c4d', { kind: 'vote', id: 'apr_1a2b3c4d', decision: 'approve' }],
    [
      'reject apr_1a2b3c4d because not during the release freeze',
      { kind: 'vote', id: 'apr_1a2b3c4d', decision: 'reject', reason: 'not during the release freeze' },
    ],
    ['cancel apr_1a2b3c4d', { kind: 'cancel', id: 'apr_1a2b3c4d' }],
    ['savings', { kind: 'savings' }],
    [
      'propose stop i-0abc12345678 in us-east-1 because idle: CPU 1.2% over 14 days',
      {
        kind: 'propose',
        action: 'stop_instance',
        resourceId: 'i-0abc12345678',
        region: 'us-east-1',
        reason: 'idle: CPU 1.2% over 14 days',
      },
    ],
    [
      'propose resize i-0abc12345678 to t3.small in eu-west-1 because peaks at 12%',
      {
        kind: 'propose',
        action: 'resize_instance',
        resourceId: 'i-0abc12345678',
        instanceType: 't3.small',
        region: 'eu-west-1',
        reason: 'peaks at 12%',
      },
    ],
    [
      'propose delete vol-0abc12345678 in us-east-1 because unattached',
      { kind: 'propose', action: 'delete_volume', resourceId: 'vol-0abc12345678' },
    ],
    [
      'propose release eipalloc-0abc12345678 in us-east-1 because unused',
      { kind: 'propose', action: 'release_address', resourceId: 'eipalloc-0abc12345678' },
    ],
  ])('%s', (text, command) => {
    const parsed = parseCommand(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.command).toMatchObject(command);
  });

  it.each([
    ['propose stop i-0abc12345678 in us-east-1', 'propose'],
    ['propose stop vol-0abc12345678 in us-east-1 because x', 'propose'],
    ['propose explode i-0abc12345678 in us-east-1 because x', 'propose'],
    ['propose resize i-0abc12345678 in us-east-1 because x', 'propose'],
    ['propose stop i-0abc12345678 to t3.small in us-east-1 because x', 'propose'],
    ['reject apr_1a2b3c4d', 'approvals'],
    ['approve', 'approvals'],
    ['recommendations on mars', 'recommendations'],
  ])('"%s" gets usage help on %s', (text, topic) => {
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({ ok: false, reason: 'INVALID', topic });
  });
});

describe('regions of approval commands', () => {
  const usage = (text: string) => {
    const parsed = parseCommand(text);
    if (parsed.ok || parsed.reason !== 'INVALID') throw new Error(`${text}: expected usage help`);
    return parsed;
  };

  it.each([
    ['recommendations in us-esat-1', 'us-esat-1', 'us-east-1', 'recommendations'],
    ['recommendations for eu-wset-2', 'eu-wset-2', 'eu-west-2', 'recommendations'],
    ['recommendations in euwest-1', 'euwest-1', 'eu-west-1', 'recommendations'],
    ['propose stop i-0abc12345678 in eu-west-9 because idle', 'eu-west-9', 'eu-west-1', 'propose'],
  ])('%s: names the region that does not exist and suggests the nearest', (text, bad, suggestion, topic) => {
    const parsed = usage(text);
    expect(parsed.topic).toBe(topic);
    expect(parsed.message).toContain(`\`${bad}\``);
    expect(parsed.message).toContain(`did you mean ${suggestion}?`);
  });

  it('keeps a known region, lower-cased', () => {
    const parsed = parseCommand('propose stop i-0abc12345678 in US-EAST-2 because idle');
    expect(parsed.ok && parsed.command).toMatchObject({ kind: 'propose', region: 'us-east-2' });
  });

  it.each(['approve <!here>', 'cancel constructor()', 'reject *x* because no', 'approval __proto__ x'])(
    '%s: an approval id is letters, digits, _ and - only',
    (text) => {
      expect(usage(text).topic).toBe('approvals');
    },
  );
});
