// The approval buttons and the reject form in the chat core, on surfaces with and without forms and personal views.
import { describe, expect, it } from 'vitest';
import { ACTIONS, REJECT_REASON_VIEW } from '../../../src/shared/action-ids.js';
import { ALL_CAPABILITIES, RecordingSurface } from '../../support/recording-surface.js';
import { approvalMessage, click, FakeApprovals, testCore } from './core-fixtures.js';

const teamsLike = { ...ALL_CAPABILITIES, forms: false, personalViews: true, updates: false };
const actionIds = (r: { buttons?: { actionId: string }[] } | undefined) => r?.buttons?.map((b) => b.actionId);

describe('approval buttons', () => {
  it('Approve votes as the clicker and tells them privately', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals, approvalMessage });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.APPROVE, 'apr_1'), surface);
    expect(approvals.votes).toEqual([
      { approvalId: 'apr_1', voter: { platform: 'slack', id: 'U1', name: 'ada' }, decision: 'approve' },
    ]);
    expect(surface.events).toMatchObject([{ kind: 'private', reply: { title: 'Vote counted' } }]);
  });

  it('with personal views, a counted vote shows the approval as the voter now sees it, which refreshes', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals, approvalMessage });
    const surface = new RecordingSurface(teamsLike);
    await core.click(click(ACTIONS.APPROVE, 'apr_1'), surface);
    const [view] = surface.events;
    if (view?.kind !== 'view') throw new Error('no personal view');
    expect(view.reply.text).toMatch(/^You voted approve/);
    expect(actionIds(view.reply)).toEqual([ACTIONS.DETAILS]);
    expect(view.view).toEqual({ refresh: { actionId: ACTIONS.REFRESH, value: 'apr_1' } });

    approvals.refuse.add('U1');
    await core.click(click(ACTIONS.APPROVE, 'apr_1'), surface);
    expect(surface.events[1]).toMatchObject({ kind: 'private', reply: { title: 'Not counted' } });
  });

  it('a refresh gives the vote buttons only to someone who may vote', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals, approvalMessage });
    const surface = new RecordingSurface(teamsLike);
    await core.click(click(ACTIONS.REFRESH, 'apr_1', { trigger: 'automatic' }), surface);
    approvals.refuse.add('U1');
    await core.click(click(ACTIONS.REFRESH, 'apr_1', { trigger: 'automatic' }), surface);
    const [voter, other] = surface.replies();
    expect(actionIds(voter)).toEqual([ACTIONS.APPROVE, ACTIONS.REJECT, ACTIONS.DETAILS]);
    expect(actionIds(other)).toEqual([ACTIONS.DETAILS]);
    expect(other?.text).toBe('Waiting for approval');
    expect(approvals.votes).toEqual([]);
  });

  it('Reject opens the reason form for someone who may vote, and tells anyone else why not', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals });
    const surface = new RecordingSurface();
    await core.click(click(ACTIONS.REJECT, 'apr_1'), surface);
    expect(surface.events[0]).toMatchObject({
      kind: 'form',
      form: {
        id: REJECT_REASON_VIEW,
        field: { id: 'reason' },
        meta: { approvalId: 'apr_1', channel: 'C1', messageTs: 'm0' },
      },
    });
    surface.formAnswer = 'expired';
    await core.click(click(ACTIONS.REJECT, 'apr_1'), surface);
    expect(surface.events[2]).toMatchObject({ kind: 'private', reply: { title: expect.stringMatching(/again/) } });
    approvals.refuse.add('U1');
    await core.click(click(ACTIONS.REJECT, 'apr_1'), surface);
    expect(surface.events[3]).toMatchObject({ kind: 'private', reply: { title: 'You may not vote on this' } });
    expect(approvals.votes).toEqual([]);
  });

  it('without forms, Reject votes at once with the reason that came inline', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals, approvalMessage });
    await core.click(
      click(ACTIONS.REJECT, 'apr_2', { fields: { reason: ' too risky ' } }),
      new RecordingSurface(teamsLike),
    );
    expect(approvals.votes).toMatchObject([{ approvalId: 'apr_2', decision: 'reject', reason: 'too risky' }]);
  });

  it('the submitted reject form: a blank reason keeps it open; a reason votes once, answered privately', async () => {
    const approvals = new FakeApprovals();
    const { core } = testCore({ approvals });
    const submit = (reason: string) => ({
      deliveryId: 'slack:view:V1',
      formId: REJECT_REASON_VIEW,
      fields: { reason },
      meta: { approvalId: 'apr_3', channel: 'C1' },
      user: { id: 'U1' },
      location: { platform: 'slack' as const, channel: 'C1' },
    });
    expect(core.formErrors(submit('  '))).toEqual({ reason: 'Please give a reason.' });
    expect(core.formErrors({ ...submit('x'), meta: null })).toEqual({ reason: expect.stringMatching(/out of date/) });
    const surface = new RecordingSurface();
    await core.submitForm(submit(' batch job '), surface);
    await core.submitForm(submit(' batch job '), surface);
    expect(approvals.votes).toEqual([
      { approvalId: 'apr_3', voter: { platform: 'slack', id: 'U1' }, decision: 'reject', reason: 'batch job' },
    ]);
    expect(surface.events).toMatchObject([{ kind: 'private', reply: { title: 'Vote counted' } }]);
  });
});
