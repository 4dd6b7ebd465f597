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
