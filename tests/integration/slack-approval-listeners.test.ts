// The approval buttons and the reject-reason modal through the real Slack app (createSlackAdapter, Bolt's HTTPReceiver,
// signed requests), replying into the loopback Slack fake. ApprovalInteractions is the port between this adapter and the
// core, so a small recording implementation stands in for the approval service here; the service itself is tested end to
// end elsewhere.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { createSlackAdapter } from '../../adapters/slack/slack-app.js';
import type { Identity } from '../../src/approvals/approval.types.js';
import type { ApprovalInteractions } from '../../src/approvals/approval-interactions.types.js';
import { ChatCore, type ChatCoreDeps } from '../../src/conversation/chat-core.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import { ACTIONS, REJECT_REASON_VIEW } from '../../src/shared/action-ids.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { blockActions, postSigned, type SlackRequest, viewSubmission } from '../support/slack-requests.js';

const SECRET = 'approval-signing-secret';
const PROPOSE = 'propose stop i-0abc in us-east-1 because idle';

type VoteInput = Parameters<ApprovalInteractions['vote']>[0];

/** Records every call; `refuse` lists voter ids that may not vote; `failVotes` makes votes throw. */
class RecordingApprovals implements ApprovalInteractions {
  readonly votes: VoteInput[] = [];
  readonly checks: { approvalId: string; voter: Identity }[] = [];
  readonly viewed: { approvalId: string; viewer: Identity }[] = [];
  readonly refuse = new Set<string>();
  failVotes = false;

  async vote(input: VoteInput): Promise<Reply> {
    this.votes.push(input);
    if (this.failVotes) throw new Error('database exploded at /srv/tally/approval.service.ts:42:7');
    return {
      kind: 'notice',
      title: `Your ${input.decision} vote on ${input.approvalId} counts`,
      visibility: 'ephemeral',
    };
  }

  async checkVoter(approvalId: string, voter: Identity): Promise<{ ok: true } | { ok: false; reply: Reply }> {
    this.checks.push({ approvalId, voter });
    if (!this.refuse.has(voter.id)) return { ok: true };
    return { ok: false, reply: { kind: 'notice', title: 'You requested this one', visibility: 'ephemeral' } };
  }

  async details(approvalId: string, viewer: Identity): Promise<Reply> {
    this.viewed.push({ approvalId, viewer });
    return {
      kind: 'answer',
      title: `Approval ${approvalId}`,
      fields: [{ label: 'State', value: 'PENDING' }],
      visibility: 'ephemeral',
    };
  }

  reset(): void {
    this.votes.length = 0;
    this.checks.length = 0;
    this.viewed.length = 0;
    this.refuse.clear();
    this.failVotes = false;
  }
}

let fake: SlackFake;
const approvals = new RecordingApprovals();
const turns: Turn[] = [];
const servers: Server[] = [];
let endpoint: string;
let unconfigured: string;

/** A turn handler standing in for the core: a proposal is answered in the channel, anything else privately. */
async function handleTurn(turn: Turn): Promise<Reply> {
  turns.push(turn);
  if (turn.text.startsWith('propose stop'))
    return { kind: 'notice', title: 'Approval requested for stopping i-0abc', visibility: 'channel' };
  return { kind: 'usage', title: 'Not understood', text: turn.text, visibility: 'ephemeral' };
}

async function serve(deps: ChatCoreDeps): Promise<string> {
  const adapter = createSlackAdapter(
    { botToken: 'xoxb-test', signingSecret: SECRET, apiUrl: fake.url, retries: 0 },
    { core: new ChatCore(deps), logger: deps.logger },
  );
  if (!adapter.requestListener) throw new Error('expected HTTP mode');
  const server = createServer(adapter.requestListener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

const send = (request: SlackRequest, url = endpoint) => postSigned(url, { ...request, secret: SECRET });
const responseTo = (id: string) => fake.waitFor('response', (c) => c.path === `/response/${id}`);
/** The "Already done." answer a repeated delivery of a click gets, once the first one was handled. */
const alreadyDone = (id: string) =>
  fake.waitFor('response', (c) => c.path === `/response/${id}` && JSON.stringify(c.body).includes('Already done'));
const payloadText = (call: SlackCall) => JSON.stringify(call.body);

beforeAll(async () => {
  fake = await startSlackFake();
  const base = { handleTurn, charts: null, logger: silentLogger, progressAfterMs: 2000 };
  endpoint = await serve({ ...base, dedupe: new MemoryDedupeStore(), approvals });
  unconfigured = await serve({ ...base, dedupe: new MemoryDedupeStore() });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  approvals.reset();
  turns.length = 0;
});

describe('Approve', () => {
  it('votes approve once as the clicker and answers the clicker alone, leaving the message to the core', async () => {
    const click = blockActions({
      actionId: ACTIONS.APPROVE,
      value: 'apr_1',
      user: 'U0BOB',
      userName: 'bob',
      channel: 'C0APPROVALS',
      responseUrl: fake.responseUrl('approve-1'),
    });
    const res = await send(click);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const response = await responseTo('approve-1');
    expect(approvals.votes).toEqual([
      { approvalId: 'apr_1', voter: { platform: 'slack', id: 'U0BOB', name: 'bob' }, decision: 'approve' },
    ]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('Your approve vote on apr_1 counts');
    expect(fake.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('handles a click delivered twice (same trigger_id) once', async () => {
    const click = blockActions({
      actionId: ACTIONS.APPROVE,
      value: 'apr_2',
      triggerId: 'trigger-twice',
      responseUrl: fake.responseUrl('approve-twice'),
    });
    await send(click);
    await responseTo('approve-twice');
    await send(click);
    await alreadyDone('approve-twice');
    expect(approvals.votes).toHaveLength(1);
    expect(fake.responses).toHaveLength(2);
  });

  it('answers with an apology and an error id, never a stack trace, when the vote fails', async () => {
    approvals.failVotes = true;
    await send(blockActions({ actionId: ACTIONS.APPROVE, value: 'apr_3', responseUrl: fake.responseUrl('boom') }));
    const text = String((await responseTo('boom')).body.text);
    expect(text).toMatch(/sorry/i);
    expect(text).toMatch(/err_[0-9a-f]{8}/);
    expect(text).not.toMatch(/approval\.service|:\d+:\d+/);
  });

  it('says approvals are not configured when the adapter has none', async () => {
    const click = blockActions({ actionId: ACTIONS.APPROVE, value: 'apr_4', responseUrl: fake.responseUrl('none') });
    expect((await send(click, unconfigured)).status).toBe(200);
    const response = await responseTo('none');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(response.body.text)).toMatch(/not set up/i);
    expect(approvals.votes).toEqual([]);
  });
});

describe('Reject', () => {
  it('checks the voter and opens the reason modal with the approval and its message', async () => {
    const click = blockActions({
      actionId: ACTIONS.REJECT,
      value: 'apr_5',
      user: 'U0CAROL',
      userName: 'carol',
      channel: 'C0APPROVALS',
      messageTs: '1731000000.000500',
      triggerId: 'trigger-reject-5',
    });
    expect((await send(click)).status).toBe(200);
    const open = await fake.waitFor('views.open');
    expect(approvals.checks).toEqual([
      { approvalId: 'apr_5', voter: { platform: 'slack', id: 'U0CAROL', name: 'carol' } },
    ]);
    expect(open.body.trigger_id).toBe('trigger-reject-5');
    const view = open.body.view as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'modal', callback_id: REJECT_REASON_VIEW, submit: { text: 'Reject' } });
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      approvalId: 'apr_5',
      channel: 'C0APPROVALS',
      messageTs: '1731000000.000500',
    });
    const input = (view.blocks as Record<string, unknown>[]).find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: 'reason',
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true },
    });
    expect(approvals.votes).toEqual([]);
  });

  it('tells a voter who may not vote why, privately, and opens no modal', async () => {
    approvals.refuse.add('U0REQ');
    const click = blockActions({
      actionId: ACTIONS.REJECT,
      value: 'apr_6',
      user: 'U0REQ',
      responseUrl: fake.responseUrl('refused'),
    });
    await send(click);
    const response = await responseTo('refused');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('You requested this one');
    expect(fake.callsTo('views.open')).toEqual([]);
    expect(approvals.votes).toEqual([]);
  });
});

describe('the reject-reason modal', () => {
  const metadata = JSON.stringify({ approvalId: 'apr_8', channel: 'C0APPROVALS', messageTs: '1731000000.000800' });
  const submit = (reason: string | null, viewId: string) =>
    viewSubmission({
      callbackId: REJECT_REASON_VIEW,
      user: 'U0DAN',
      userName: 'dan',
      viewId,
      privateMetadata: metadata,
      values: reason === null ? {} : { reason: { reason: { type: 'plain_text_input', value: reason } } },
    });

  it('keeps the modal open with an error for a blank or missing reason, and does not vote', async () => {
    for (const [reason, viewId] of [
      ['   \n ', 'V0BLANK'],
      [null, 'V0MISSING'],
    ] as const) {
      const res = await send(submit(reason, viewId));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ response_action: 'errors', errors: { reason: 'Please give a reason.' } });
    }
    expect(approvals.votes).toEqual([]);
  });

  it('votes reject with the reason and answers the voter ephemerally in the approval channel', async () => {
    const res = await send(submit('  the batch job needs it  ', 'V0REASON'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const ephemeral = await fake.waitFor('chat.postEphemeral');
    expect(approvals.votes).toEqual([
      {
        approvalId: 'apr_8',
        voter: { platform: 'slack', id: 'U0DAN', name: 'dan' },
        decision: 'reject',
        reason: 'the batch job needs it',
      },
    ]);
    expect(ephemeral.body).toMatchObject({ channel: 'C0APPROVALS', user: 'U0DAN' });
    expect(payloadText(ephemeral)).toContain('Your reject vote on apr_8 counts');
  });

  it('sends the answer as a DM when the ephemeral message fails', async () => {
    fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    await send(submit('not now', 'V0DM'));
    const post = await fake.waitFor('chat.postMessage');
    expect(fake.callsTo('conversations.open')[0]?.body.users).toBe('U0DAN');
    expect(post.body.channel).toBe('DU0DAN');
    expect(payloadText(post)).toContain('Your reject vote on apr_8 counts');
    expect(approvals.votes).toHaveLength(1);
  });
});

describe('Details', () => {
  it('shows the details to the clicker alone', async () => {
    const click = blockActions({
      actionId: ACTIONS.DETAILS,
      value: 'apr_9',
      user: 'U0EVE',
      userName: 'eve',
      responseUrl: fake.responseUrl('details'),
    });
    await send(click);
    const response = await responseTo('details');
    expect(approvals.viewed).toEqual([
      { approvalId: 'apr_9', viewer: { platform: 'slack', id: 'U0EVE', name: 'eve' } },
    ]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('Approval apr_9');
    expect(payloadText(response)).toContain('PENDING');
    expect(approvals.votes).toEqual([]);
  });
});

describe('Request approval', () => {
  it('runs the button command as the clicker turn and answers in the thread of the recommendations', async () => {
    const click = blockActions({
      actionId: ACTIONS.REQUEST_APPROVAL,
      value: PROPOSE,
      user: 'U0FRED',
      userName: 'fred',
      channel: 'C0FINOPS',
      messageTs: '1731000000.000900',
    });
    await send(click);
    const post = await fake.waitFor('chat.postMessage');
    expect(turns).toEqual([
      {
        user: { id: 'U0FRED', name: 'fred' },
        location: { platform: 'slack', workspace: 'T0001', channel: 'C0FINOPS', thread: '1731000000.000900' },
        text: PROPOSE,
      },
    ]);
    expect(post.body).toMatchObject({ channel: 'C0FINOPS', thread_ts: '1731000000.000900' });
    expect(payloadText(post)).toContain('Approval requested for stopping i-0abc');
  });

  it('answers privately when the answer is for the clicker alone, and runs a replayed click once', async () => {
    const click = blockActions({
      actionId: ACTIONS.REQUEST_APPROVAL,
      value: 'propose nonsense',
      triggerId: 'trigger-propose-twice',
      responseUrl: fake.responseUrl('propose-usage'),
    });
    await send(click);
    const response = await responseTo('propose-usage');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('Not understood');
    await send(click);
    await alreadyDone('propose-usage');
    expect(turns).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
