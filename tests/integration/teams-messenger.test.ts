// TeamsMessenger (the ChatMessenger port on stored conversation references) with a real botbuilder CloudAdapter in
// anonymous mode (outbound calls carry no token) against a loopback Bot Connector capture server:
// what it sends on the wire, what it returns, and how failures become TallyError CHAT_FAILED.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Activity,
  type ChannelAccount,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationAccount,
} from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { renderCard } from '../../adapters/teams/render-card.js';
import {
  conversationRefKey,
  createTeamsMessenger,
  saveConversationReferences,
  type TeamsMessenger,
  userRefKey,
} from '../../adapters/teams/teams-messenger.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { TallyError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';

/** One request the capture server received, with the path decoded into its parts. */
interface ConnectorCall {
  method: string;
  /** The decoded `{conversationId}` of `/v3/conversations/{conversationId}/activities[/{activityId}]`. */
  conversationId: string;
  activityId: string | undefined;
  authorization: string | undefined;
  body: Record<string, unknown>;
  /** What the capture server answered. */
  answer: unknown;
}

/**
 * A minimal Bot Connector: records calls and answers `{ id }` (a fresh id each time, across
 * tests), or a queued answer.
 */
class ConnectorCapture {
  readonly calls: ConnectorCall[] = [];
  private readonly answers: { status: number; body: unknown }[] = [];
  private readonly server: Server;
  private seq = 0;

  constructor() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        const answer = this.answers.shift() ?? { status: 200, body: { id: `act-${++this.seq}` } };
        if (match) {
          this.calls.push({
            method: req.method ?? '',
            conversationId: decodeURIComponent(match[1]!),
            activityId: match[2] === undefined ? undefined : decodeURIComponent(match[2]),
            authorization: req.headers.authorization,
            body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
            answer: answer.body,
          });
        }
        res.writeHead(match ? answer.status : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(match ? answer.body : { error: { code: 'BadPath', message: req.url } }));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The next request gets this answer instead of `{ id }`. */
  answerNext(status: number, body: unknown): void {
    this.answers.push({ status, body });
  }

  reset(): void {
    this.calls.length = 0;
    this.answers.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const CHANNEL = '19:finops@thread.tacv2';
const ALICE = '00000000-0000-0000-0000-00000000a11c';
const BOT = { id: '28:tally-bot', name: 'Tally' };

const connector = new ConnectorCapture();
let serviceUrl: string;
let refs: MemoryConversationRefStore;
let messenger: TeamsMessenger;

/** The test renderer: a card holding the title, so that each test can tell which reply was sent. */
const render = async (reply: Reply) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: reply.title }],
});

const approval = (votes: string): Reply => ({
  kind: 'notice',
  title: `Approval needed: stop i-0abc (${votes})`,
  buttons: [{ actionId: ACTIONS.APPROVE, label: 'Approve', value: 'apr_1', style: 'primary' }],
  visibility: 'channel',
});

/** An inbound activity as Teams sends it, for capturing references. */
function inbound(conversation: Partial<ConversationAccount> & { id: string }, from: ChannelAccount): Partial<Activity> {
  return {
    type: 'message',
    id: '1731000000123',
    channelId: 'msteams',
    serviceUrl,
    // Teams leaves out fields the schema types declare required (e.g. a personal chat has no `isGroup` or `name`).
    conversation: { tenantId: 'tenant-1', ...conversation } as ConversationAccount,
    from,
    recipient: BOT,
    text: 'cost',
  };
}

const cardText = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as { contentType: string; content: { body: { text: string }[] } }[] | undefined)?.map((a) => [
    a.contentType,
    a.content.body[0]?.text,
  ]);

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
  serviceUrl = await connector.start();
});
afterAll(() => connector.close());
beforeEach(async () => {
  connector.reset();
  refs = new MemoryConversationRefStore();
  // A channel message inside a reply chain: the reference is stored for the channel itself.
  await saveConversationReferences(
    refs,
    inbound(
      { id: `${CHANNEL};messageid=1730000000001`, conversationType: 'channel', isGroup: true },
      { id: '29:bob', name: 'Bob', aadObjectId: 'bob-aad' },
    ),
  );
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  messenger = createTeamsMessenger({ adapter, appId: '', refs, render, logger: silentLogger });
});

describe('saveConversationReferences', () => {
  it('stores a channel under the channel id, without reply chain, activity id or user', async () => {
    const stored = JSON.parse((await refs.get(conversationRefKey(CHANNEL)))!);
    expect(stored).toEqual({
      channelId: 'msteams',
      serviceUrl,
      bot: BOT,
      conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    });
    expect(await refs.get(userRefKey('bob-aad'))).toBeNull();
  });

  it('stores a personal chat under the conversation and under the person', async () => {
    await saveConversationReferences(
      refs,
      inbound({ id: 'a:1alice', conversationType: 'personal' }, { id: '29:alice', name: 'Alice', aadObjectId: ALICE }),
    );
    const byUser = JSON.parse((await refs.get(userRefKey(ALICE)))!);
    expect(byUser.conversation.id).toBe('a:1alice');
    expect(byUser.user).toEqual({ id: '29:alice', name: 'Alice', aadObjectId: ALICE });
    expect(await refs.get(conversationRefKey('a:1alice'))).toBe(await refs.get(userRefKey(ALICE)));
    expect(await refs.get(userRefKey('29:alice'))).toBe(await refs.get(userRefKey(ALICE)));
  });

  it('ignores activities that name no conversation or service URL', async () => {
    const empty = new MemoryConversationRefStore();
    const { serviceUrl: _serviceUrl, ...withoutServiceUrl } = inbound(
      { id: 'a:1x', conversationType: 'personal' },
      { id: '29:x', name: 'X', aadObjectId: 'x-aad' },
    );
    await saveConversationReferences(empty, withoutServiceUrl);
    await saveConversationReferences(empty, { type: 'message', serviceUrl });
    expect(await empty.get(conversationRefKey('a:1x'))).toBeNull();
    expect(await empty.get(userRefKey('x-aad'))).toBeNull();
  });
});

describe('TeamsMessenger', () => {
  it('is the Teams messenger, and Teams has no user groups', async () => {
    expect(messenger.platform).toBe('teams');
    expect(await messenger.groupMembers('S0APPROVERS')).toEqual([]);
  });

  it('posts a card to a channel and returns the connector activity id', async () => {
    const posted = await messenger.post(CHANNEL, approval('0 of 2'));
    expect(connector.calls).toHaveLength(1);
    const call = connector.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', conversationId: CHANNEL, authorization: undefined });
    // The continuation activity has a generated id, so the send is a reply to it.
    expect(call.activityId).toBe(call.body.replyToId);
    expect(call.activityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(posted).toEqual({ channel: CHANNEL, messageId: (call.answer as { id: string }).id });
    expect(cardText(call)).toEqual([
      ['application/vnd.microsoft.card.adaptive', 'Approval needed: stop i-0abc (0 of 2)'],
    ]);
    expect(call.body).toMatchObject({ type: 'message', from: BOT, summary: 'Approval needed: stop i-0abc (0 of 2)' });
  });

  it('sends the card the renderer draws, as it is', async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const cards = createTeamsMessenger({
      adapter,
      appId: '',
      refs,
      render: (reply) => renderCard(reply),
      logger: silentLogger,
    });
    const reply: Reply = {
      ...approval('0 of 2'),
      fields: [
        { label: 'Votes', value: '0 of 2' },
        { label: 'Savings', value: '$61.32/month' },
      ],
    };
    await cards.post(CHANNEL, reply);
    const attachments = connector.calls[0]?.body.attachments as { contentType: string; content: unknown }[];
    expect(attachments).toEqual([
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: JSON.parse(JSON.stringify(renderCard(reply))),
      },
    ]);
  });

  it('posts into a reply chain of the channel when given a thread', async () => {
    const posted = await messenger.post(CHANNEL, approval('1 of 2'), '1730000000999');
    const call = connector.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.conversationId).toBe(`${CHANNEL};messageid=1730000000999`);
    expect((call.body.conversation as { id: string }).id).toBe(`${CHANNEL};messageid=1730000000999`);
    expect(posted).toEqual({ channel: CHANNEL, messageId: (call.answer as { id: string }).id });
  });

  it('updates a posted message in place', async () => {
    const posted = await messenger.post(CHANNEL, approval('0 of 2'));
    await messenger.update(posted, approval('1 of 2'));
    const update = connector.calls[1]!;
    expect(update).toMatchObject({ method: 'PUT', conversationId: CHANNEL, activityId: posted.messageId });
    expect(update.body).toMatchObject({ type: 'message', id: posted.messageId });
    expect(cardText(update)).toEqual([
      ['application/vnd.microsoft.card.adaptive', 'Approval needed: stop i-0abc (1 of 2)'],
    ]);
  });

  it('writes to a person in their personal chat, found by AAD object id in any case', async () => {
    await saveConversationReferences(
      refs,
      inbound({ id: 'a:1alice', conversationType: 'personal' }, { id: '29:alice', name: 'Alice', aadObjectId: ALICE }),
    );
    await messenger.direct(ALICE, approval('0 of 2'));
    // The policy may spell the GUID in upper case.
    await messenger.direct(ALICE.toUpperCase(), approval('1 of 2'));
    expect(connector.calls).toHaveLength(2);
    for (const call of connector.calls) {
      expect(call).toMatchObject({ method: 'POST', conversationId: 'a:1alice' });
      expect(call.body.recipient).toEqual({ id: '29:alice', name: 'Alice', aadObjectId: ALICE });
    }
    expect(connector.calls.map((c) => cardText(c)?.[0]?.[1])).toEqual([
      'Approval needed: stop i-0abc (0 of 2)',
      'Approval needed: stop i-0abc (1 of 2)',
    ]);
  });

  it('fails with CHAT_FAILED when there is no reference, sending nothing', async () => {
    const direct = await failure(messenger.direct('never-met-aad', approval('0 of 2')));
    expect(direct.code).toBe('CHAT_FAILED');
    expect(direct.metadata).toMatchObject({ operation: 'teams.direct', reason: 'no conversation reference' });
    const post = await failure(messenger.post('19:unknown@thread.tacv2', approval('0 of 2')));
    expect(post.metadata).toMatchObject({ operation: 'teams.post', reason: 'no conversation reference' });
    const update = await failure(
      messenger.update({ channel: '19:unknown@thread.tacv2', messageId: 'x' }, approval('')),
    );
    expect(update.metadata).toMatchObject({ operation: 'teams.update', reason: 'no conversation reference' });
    expect(connector.calls).toEqual([]);
  });

  it('fails with CHAT_FAILED on an unreadable reference', async () => {
    await refs.save(userRefKey('broken'), '{"conversation":');
    await refs.save(userRefKey('partial'), JSON.stringify({ conversation: { id: 'a:1x' } }));
    for (const user of ['broken', 'partial']) {
      const err = await failure(messenger.direct(user, approval('0 of 2')));
      expect(err.metadata).toMatchObject({ operation: 'teams.direct', reason: 'invalid conversation reference' });
    }
    expect(connector.calls).toEqual([]);
  });

  it('maps a connector refusal to CHAT_FAILED with the status and the connector error code', async () => {
    connector.answerNext(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of it' } });
    const post = await failure(messenger.post(CHANNEL, approval('0 of 2')));
    expect(post.code).toBe('CHAT_FAILED');
    expect(post.metadata).toMatchObject({
      operation: 'teams.post',
      status: 403,
      teamsError: 'BotNotInConversationRoster',
    });

    connector.answerNext(404, { error: { code: 'ActivityNotFoundInConversation', message: 'gone' } });
    const update = await failure(messenger.update({ channel: CHANNEL, messageId: 'act-gone' }, approval('1 of 2')));
    expect(update.metadata).toMatchObject({ operation: 'teams.update', status: 404 });
    expect(connector.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
  });

  it('fails with CHAT_FAILED when the connector answers a post without an id', async () => {
    connector.answerNext(200, {});
    const err = await failure(messenger.post(CHANNEL, approval('0 of 2')));
    expect(err.metadata).toMatchObject({ operation: 'teams.post', reason: 'no activity id' });
  });
});
