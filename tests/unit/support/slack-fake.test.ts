// Proves the Slack fake speaks the real wire format by driving it with the real WebClient, and that
// the request signer matches Bolt's own verifier.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SlackFake, startSlackFake } from '../../support/slack-fake.js';
import {
  appMention,
  blockActions,
  eventCallback,
  nowSeconds,
  postSigned,
  retryHeaders,
  sign,
  slashCommand,
  viewSubmission,
} from '../../support/slack-requests.js';

let fake: SlackFake;
let client: WebClient;

beforeAll(async () => {
  fake = await startSlackFake();
  client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('Slack fake driven by the real WebClient', () => {
  it('answers auth.test with the bot identity and records the bearer token', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' });
    const call = await fake.waitFor('auth.test');
    expect(call.token).toBe('xoxb-test');
    expect(call.path).toBe('/api/auth.test');
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
  });

  it('decodes blocks sent inside a form body and returns unique, increasing ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*$1,234.56* last month' } }];
    const first = await client.chat.postMessage({ channel: 'C1', text: 'Costs', blocks });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'again', thread_ts: first.ts });
    expect(first).toMatchObject({ ok: true, channel: 'C1', message: { text: 'Costs', bot_id: 'BBOT' } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const call = await fake.waitFor('chat.postMessage', (c) => c.body.text === 'Costs');
    expect(call.body.blocks).toEqual(blocks);
    expect(fake.callsTo('chat.postMessage')[1]?.body.thread_ts).toBe(first.ts);
  });

  it('answers chat.update with channel and ts', async () => {
    const result = await client.chat.update({ channel: 'C1', ts: '1700000000.000100', text: 'Approved' });
    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    expect(fake.callsTo('chat.update')[0]?.body).toMatchObject({
      channel: 'C1',
      ts: '1700000000.000100',
      text: 'Approved',
    });
  });

  it('runs all three steps of filesUploadV2 and records the bytes and alt_text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    const result = await client.filesUploadV2({
      channel_id: 'C1',
      file: png,
      filename: 'costs.png',
      alt_text: 'Cost by service',
      thread_ts: '1700000000.000100',
      initial_comment: 'Last month',
    });
    expect(result.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [getUrl, upload, complete] = fake.calls;
    expect(getUrl?.body).toMatchObject({
      filename: 'costs.png',
      length: String(png.length),
      alt_text: 'Cost by service',
    });
    const fileId = fake.uploads[0]?.fileId;
    expect(getUrl?.reply).toMatchObject({ ok: true, file_id: fileId, upload_url: `${fake.origin}/upload/${fileId}` });
    expect(upload?.path).toBe(`/upload/${fileId}`);
    expect(fake.uploads).toEqual([expect.objectContaining({ fileId, bytes: png.length, token: 'xoxb-test' })]);
    expect(complete?.body).toMatchObject({
      files: [{ id: fileId, title: 'costs.png' }],
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      initial_comment: 'Last month',
    });
  });

  it('rejects with the injected Slack error, once', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('fails every call to a channel marked with failForChannel', async () => {
    fake.failForChannel('C404', 'channel_not_found');
    for (let i = 0; i < 2; i += 1) {
      await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({
        data: { error: 'channel_not_found' },
      });
    }
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('answers 429 with Retry-After, which WebClient turns into a rate-limit error', async () => {
    const strict = new WebClient('xoxb-test', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    fake.rateLimitNext('chat.postMessage', 7);
    await expect(strict.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(fake.callsTo('chat.postMessage')[0]?.status).toBe(429);
  });

  it('answers unknown methods with unknown_method and calls without a token with not_authed', async () => {
    await expect(client.apiCall('nope.nothing')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    await expect(anonymous.auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
  });

  it('records JSON posted to a response_url', async () => {
    const response = await fetch(fake.responseUrl('r1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Working on it' }),
    });
    expect(response.status).toBe(200);
    expect(fake.responses).toEqual([
      expect.objectContaining({ id: 'r1', body: { response_type: 'ephemeral', text: 'Working on it' } }),
    ]);
  });

  it('opens modals and updates them, answering with a view id', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'tally_reject_reason',
      title: { type: 'plain_text' as const, text: 'Reject' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: 'trig-1', view });
    expect(opened).toMatchObject({ ok: true, view: { callback_id: 'tally_reject_reason', team_id: 'T0001' } });
    const viewId = String(opened.view?.id);
    await client.views.update({ view_id: viewId, view: { ...view, blocks: [] } });
    expect(fake.callsTo('views.open')[0]?.body).toMatchObject({
      trigger_id: 'trig-1',
      view: { callback_id: 'tally_reject_reason' },
    });
    expect(fake.callsTo('views.update')[0]?.reply).toMatchObject({ ok: true, view: { id: viewId } });
    await expect(client.apiCall('views.open', { view })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });

  it('posts ephemeral messages to a user in a channel', async () => {
    const result = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(result).toMatchObject({ ok: true });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({ channel: 'C1', user: 'U1', text: 'only you' });
  });

  it('opens a DM as D<user> and refuses to open one without users', async () => {
    const dm = await client.conversations.open({ users: 'U0ALICE' });
    expect(dm).toMatchObject({ ok: true, channel: { id: 'DU0ALICE' } });
    expect(fake.callsTo('conversations.open')[0]?.body.users).toBe('U0ALICE');
    await expect(client.apiCall('conversations.open', {})).rejects.toMatchObject({
      data: { error: 'users_list_not_supplied' },
    });
  });

  it('lists the members set with setUsergroup until reset, and answers no_such_subteam otherwise', async () => {
    fake.setUsergroup('S0OPS', ['U1', 'U2']);
    await expect(client.usergroups.users.list({ usergroup: 'S0OPS' })).resolves.toMatchObject({ users: ['U1', 'U2'] });
    expect(fake.callsTo('usergroups.users.list')[0]?.body.usergroup).toBe('S0OPS');
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    fake.reset();
    await expect(client.usergroups.users.list({ usergroup: 'S0OPS' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('waitFor resolves on a later call and times out listing what was recorded', async () => {
    const waiting = fake.waitFor('views.publish', (c) => c.body.user_id === 'U1', 2000);
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect((await waiting).reply).toMatchObject({ ok: true, view: { type: 'home' } });

    await client.auth.test();
    await expect(fake.waitFor('chat.postMessage', undefined, 50)).rejects.toThrow(
      /no chat\.postMessage call within 50 ms; recorded calls: views\.publish, auth\.test/,
    );
  });
});

describe('signed inbound requests', () => {
  const secret = 'signing-secret';
  const verify = (body: string, headers: Record<string, string>, signingSecret = secret): void =>
    verifySlackRequest({
      signingSecret,
      body,
      headers: {
        'x-slack-signature': headers['x-slack-signature'] ?? '',
        'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
      },
    });

  it('signs bodies that Bolt verifies, and only with the right secret', () => {
    for (const request of [
      slashCommand({ text: 'last month' }),
      eventCallback(appMention()),
      blockActions({ actionId: 'approval_approve' }),
    ]) {
      const headers = sign(secret, request.body);
      expect(headers['content-type']).toBe(request.contentType);
      expect(() => verify(request.body, { ...headers })).not.toThrow();
      expect(() => verify(request.body, { ...headers }, 'other-secret')).toThrow(/signature mismatch/);
    }
  });

  it('builds block actions and view submissions with what the approval listeners read', () => {
    const payload = (body: string) => JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');
    const click = payload(
      blockActions({
        actionId: 'tally_approval_reject',
        value: 'apr_1',
        user: 'U0BOB',
        userName: 'bob',
        channel: 'C9',
        messageTs: '1731000000.000200',
        messageThreadTs: '1731000000.000100',
        triggerId: 'trig-9',
        responseUrl: 'http://127.0.0.1:1/response/r9',
        ephemeral: true,
      }).body,
    );
    expect(click).toMatchObject({
      user: { id: 'U0BOB', name: 'bob', username: 'bob' },
      channel: { id: 'C9' },
      message: { ts: '1731000000.000200', thread_ts: '1731000000.000100' },
      container: { is_ephemeral: true },
      trigger_id: 'trig-9',
      response_url: 'http://127.0.0.1:1/response/r9',
      actions: [{ action_id: 'tally_approval_reject', value: 'apr_1' }],
    });
    const values = { reason: { reason: { type: 'plain_text_input', value: 'no' } } };
    const submit = payload(
      viewSubmission({ callbackId: 'cb', user: 'U0DAN', userName: 'dan', privateMetadata: '{"a":1}', values }).body,
    );
    expect(submit).toMatchObject({
      user: { id: 'U0DAN', name: 'dan' },
      view: { callback_id: 'cb', private_metadata: '{"a":1}', state: { values } },
    });
  });

  it('signs a stale timestamp that Bolt rejects', () => {
    const { body } = slashCommand();
    expect(() => verify(body, { ...sign(secret, body, nowSeconds() - 600) })).toThrow(/stale/);
  });
});

describe('signed requests through a real Bolt HTTPReceiver, replies into the fake', () => {
  const secret = 'signing-secret';
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
    const app = new App({
      receiver,
      token: 'xoxb-test',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.command('/cost', async ({ ack, command, respond }) => {
      await ack({ response_type: 'ephemeral', text: 'Working on it' });
      await respond({ text: `cost for ${command.text}` });
    });
    app.event('app_mention', async ({ event, context, client }) => {
      await client.chat.postMessage({
        channel: event.channel,
        text: `retry ${context.retryNum ?? 0}`,
        thread_ts: event.ts,
      });
    });
    app.action('approval_approve', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions' || body.channel === undefined || body.message === undefined) return;
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: 'Approved' });
    });
    server = createServer(receiver.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('acks a slash command in the HTTP response and respond() lands in fake.responses', async () => {
    const reply = await postSigned(endpoint, {
      ...slashCommand({ text: 'last month', response_url: fake.responseUrl('cmd-1') }),
      secret,
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ response_type: 'ephemeral', text: 'Working on it' });
    const call = await fake.waitFor('response', (c) => c.path === '/response/cmd-1');
    expect(call.body).toEqual({ text: 'cost for last month' });
  });

  it('delivers an event with retry headers (context.retryNum) and a block action', async () => {
    const mention = appMention({ channel: 'C9', ts: '1731000000.000100' });
    const first = await postSigned(endpoint, { ...eventCallback(mention), secret, headers: retryHeaders(2) });
    expect(first.status).toBe(200);
    const posted = await fake.waitFor('chat.postMessage', (c) => c.body.channel === 'C9');
    expect(posted.body).toMatchObject({ text: 'retry 2', thread_ts: '1731000000.000100' });

    const click = blockActions({
      actionId: 'approval_approve',
      value: 'apr_1',
      channel: 'C9',
      messageTs: '1731000000.000200',
    });
    expect((await postSigned(endpoint, { ...click, secret })).status).toBe(200);
    const updated = await fake.waitFor('chat.update');
    expect(updated.body).toMatchObject({ channel: 'C9', ts: '1731000000.000200', text: 'Approved' });
  });

  it('is rejected with 401 when stale or signed with another secret', async () => {
    const request = slashCommand();
    expect((await postSigned(endpoint, { ...request, secret, timestamp: nowSeconds() - 600 })).status).toBe(401);
    expect((await postSigned(endpoint, { ...request, secret: 'other-secret' })).status).toBe(401);
  });
});
