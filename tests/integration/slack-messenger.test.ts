// SlackMessenger (the ChatMessenger port on Slack's Web API) against the loopback Slack fake: what it sends on the wire,
// what it returns, and how Slack failures become TallyError CHAT_FAILED.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackMessenger, type SlackMessenger } from '../../adapters/slack/slack-messenger.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { TallyError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';

let fake: SlackFake;
let messenger: SlackMessenger;

const approval = (votes: string): Reply => ({
  kind: 'notice',
  title: 'Approval needed: stop i-0abc',
  fields: [{ label: 'Votes', value: votes }],
  buttons: [
    { actionId: ACTIONS.APPROVE, label: 'Approve', value: 'apr_1', style: 'primary' },
    { actionId: ACTIONS.REJECT, label: 'Reject', value: 'apr_1', style: 'danger' },
  ],
  visibility: 'channel',
});

/** The error a promise rejects with (the test fails when it resolves). */
async function failure(work: Promise<unknown>): Promise<TallyError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TallyError);
  return err as TallyError;
}

beforeAll(async () => {
  fake = await startSlackFake();
  messenger = createSlackMessenger({ botToken: 'xoxb-messenger', apiUrl: fake.url, retries: 0, logger: silentLogger });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('SlackMessenger', () => {
  it('is the Slack messenger', () => {
    expect(messenger.platform).toBe('slack');
  });

  it('posts blocks with a text fallback and returns the channel and ts', async () => {
    const posted = await messenger.post('C0APPROVALS', approval('0 of 2'));
    const call = await fake.waitFor('chat.postMessage');
    expect(call.token).toBe('xoxb-messenger');
    expect(posted).toEqual({ channel: 'C0APPROVALS', messageId: (call.reply as { ts: string }).ts });
    expect(call.body.text).toBe('Approval needed: stop i-0abc\nVotes: 0 of 2');
    expect(call.body).not.toHaveProperty('thread_ts');
    const actions = (call.body.blocks as { type: string; elements?: { value?: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    expect(actions?.elements?.map((e) => e.value)).toEqual(['apr_1', 'apr_1']);
  });

  it('posts into a thread when given one', async () => {
    await messenger.post('C0FINOPS', approval('0 of 2'), '1731000000.000100');
    expect((await fake.waitFor('chat.postMessage')).body).toMatchObject({
      channel: 'C0FINOPS',
      thread_ts: '1731000000.000100',
    });
  });

  it('updates a posted message in place', async () => {
    const posted = await messenger.post('C0APPROVALS', approval('0 of 2'));
    await messenger.update(posted, approval('1 of 2'));
    const update = await fake.waitFor('chat.update');
    expect(update.body).toMatchObject({ channel: 'C0APPROVALS', ts: posted.messageId });
    expect(update.body.text).toBe('Approval needed: stop i-0abc\nVotes: 1 of 2');
  });

  it('opens a DM with the user and posts the message there', async () => {
    await messenger.direct('U0ALICE', approval('0 of 2'));
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
    expect(fake.callsTo('conversations.open')[0]?.body.users).toBe('U0ALICE');
    expect(fake.callsTo('chat.postMessage')[0]?.body.channel).toBe('DU0ALICE');
  });

  it('lists the members of a user group', async () => {
    fake.setUsergroup('S0APPROVERS', ['U0ALICE', 'U0BOB']);
    expect(await messenger.groupMembers('S0APPROVERS')).toEqual(['U0ALICE', 'U0BOB']);
    expect(fake.callsTo('usergroups.users.list')[0]?.body.usergroup).toBe('S0APPROVERS');
  });

  it('maps Slack failures to CHAT_FAILED with the method and the Slack error', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const post = await failure(messenger.post('C0PRIVATE', approval('0 of 2')));
    expect(post.code).toBe('CHAT_FAILED');
    expect(post.metadata).toMatchObject({ operation: 'chat.postMessage', slackError: 'not_in_channel' });

    fake.failNext('chat.update', { error: 'message_not_found' });
    const update = await failure(messenger.update({ channel: 'C1', messageId: '1.2' }, approval('1 of 2')));
    expect(update.metadata).toMatchObject({ operation: 'chat.update', slackError: 'message_not_found' });

    fake.failNext('conversations.open', { error: 'user_not_found' });
    const direct = await failure(messenger.direct('U0GONE', approval('0 of 2')));
    expect(direct.metadata).toMatchObject({ operation: 'conversations.open', slackError: 'user_not_found' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    const group = await failure(messenger.groupMembers('S0UNKNOWN'));
    expect(group.code).toBe('CHAT_FAILED');
    expect(group.metadata).toMatchObject({ operation: 'usergroups.users.list', slackError: 'no_such_subteam' });
  });

  it('maps an HTTP failure of Slack to CHAT_FAILED too', async () => {
    fake.failNext('chat.postMessage', { error: 'internal_error', status: 503 });
    const err = await failure(messenger.post('C1', approval('0 of 2')));
    expect(err.code).toBe('CHAT_FAILED');
    expect(err.metadata.operation).toBe('chat.postMessage');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
