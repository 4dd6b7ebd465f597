import { describe, expect, it } from 'vitest';
import { headOf } from '../../../src/approvals/batch/batch-proposal.service.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import { recommendationsReply } from '../../../src/conversation/replies/recommendations.reply.js';
import { recommendRegion } from '../../../src/recommendations/recommendation.rules.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import { testAddress, testCpu, testInstance } from '../../support/memory-inventory.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const ACCOUNT = '123456789012';

/** Three idle instances and two unassociated addresses in one region. */
function scan() {
  const ids = ['i-0a1', 'i-0a2', 'i-0a3'];
  const recommendations = recommendRegion(
    {
      accountId: ACCOUNT,
      region: 'us-east-1',
      instances: ids.map((id) => testInstance(id, 't3.large')),
      volumes: [],
      addresses: [testAddress('eipalloc-1', '54.1.2.1'), testAddress('eipalloc-2', '54.1.2.2')],
      cpu: new Map(ids.map((id) => [id, testCpu(1.2, 3.4, 14)])),
    },
    NOW,
  );
  return {
    accountIds: [ACCOUNT],
    failures: [],
    regions: ['us-east-1'],
    generatedAt: NOW.toISOString(),
    recommendations,
  };
}

describe('batch requests', () => {
  it('parses propose <verb> all <what> [in <region>] in account <id> because …', () => {
    expect(parseCommand(`propose stop all idle instances in account ${ACCOUNT} because idle`)).toEqual({
      ok: true,
      command: { kind: 'propose_batch', action: 'stop_instance', accountId: ACCOUNT, reason: 'idle' },
    });
    expect(
      parseCommand(`propose release all unassociated addresses in eu-west-1 of account ${ACCOUNT} because unused`),
    ).toMatchObject({ ok: true, command: { action: 'release_address', region: 'eu-west-1', reason: 'unused' } });
    expect(parseCommand(`propose stop all unattached volumes in account ${ACCOUNT} because x`)).toMatchObject({
      ok: false,
      message: expect.stringContaining('`stop all` applies to idle instances'),
    });
    expect(parseCommand(`propose stop all idle instances because idle`)).toMatchObject({ ok: false });
  });

  it('parses undo <batch id> <resource id>', () => {
    expect(parseCommand('undo apr_abc123 i-0a1')).toEqual({
      ok: true,
      command: { kind: 'undo', id: 'apr_abc123', resourceId: 'i-0a1' },
    });
    expect(parseCommand('undo apr_abc123-3')).toEqual({ ok: true, command: { kind: 'undo', id: 'apr_abc123-3' } });
  });

  it('offers "Request approval for all N" per kind with more than one approvable recommendation', () => {
    const list = scan();
    const reply = recommendationsReply(list);
    expect(reply.buttons).toEqual([
      {
        actionId: ACTIONS.REQUEST_APPROVAL,
        label: 'Request approval for all 3 idle instances',
        value: `propose stop all idle instances in us-east-1 in account ${ACCOUNT} because requested for all 3 from the recommendations`,
      },
      {
        actionId: ACTIONS.REQUEST_APPROVAL,
        label: 'Request approval for all 2 unassociated addresses',
        value: `propose release all unassociated addresses in us-east-1 in account ${ACCOUNT} because requested for all 2 from the recommendations`,
      },
    ]);
    // The button's value is a command of the language.
    expect(parseCommand(reply.buttons![0]!.value)).toMatchObject({ ok: true, command: { kind: 'propose_batch' } });
    // One of a kind gets no batch button.
    expect(
      recommendationsReply({ ...list, recommendations: list.recommendations.slice(0, 1) }).buttons,
    ).toBeUndefined();
  });

  it('a batch is filed under the sum of its savings and its highest risk', () => {
    const actions = scan()
      .recommendations.filter((r) => r.action.kind === 'stop_instance')
      .map((r) => r.action);
    const risky = [{ ...actions[0]!, risk: 'high' as const }, ...actions.slice(1)];
    const head = headOf(risky);
    expect(head.risk).toBe('high');
    expect(head.monthlySavings).toBeCloseTo(
      actions.reduce((s, a) => s + a.monthlySavings, 0),
      2,
    );
    expect(head.summary).toBe(`Stop 3 idle instances in account ${ACCOUNT} (us-east-1)`);
  });
});
