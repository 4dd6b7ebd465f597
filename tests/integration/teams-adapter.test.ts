// The Teams adapter (createTeamsAdapter: CloudAdapter, the node:http shim, the handlers) mounted on Tally's own web
// server, talking Bot Framework protocol: inbound activities over HTTP, replies into the loopback Bot Connector fake.
// The turns run through the real core (createDeps on the in-process store with the FOCUS fixture). The approval and
// alert ports get small recording implementations, as in slack-approval-listeners.test.ts: the services behind them
// are tested end to end elsewhere. Authentication is real: tokens signed by a test key served as OpenID metadata.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { createTeamsAdapter } from '../../adapters/teams/teams-app.js';
import type { TeamsDeps } from '../../adapters/teams/teams-deps.types.js';
import type { AlertInteractions, AlertUser } from '../../src/anomalies/alert-interactions.types.js';
import type { Identity } from '../../src/approvals/approval.types.js';
import type { ApprovalInteractions } from '../../src/approvals/approval-interactions.types.js';
import { type AppDeps, createDeps } from '../../src/bootstrap/deps.js';
import { startWebServer } from '../../src/bootstrap/web.js';
import { loadConfig } from '../../src/config/env.js';
import { ChatCore } from '../../src/conversation/chat-core.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import { type Logger, silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type BotConnectorFake, type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import {
  type BotTokenIssuer,
  epochSeconds,
  newSigningKey,
  signWith,
  startBotTokenIssuer,
} from '../support/bot-tokens.js';
import { testDataDir } from '../support/data-dir.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import {
  cardAction,
  channelMessage,
  conversationUpdate,
  groupChatMessage,
  personalMessage,
  TEAMS,
  threadReply,
} from '../support/teams-activities.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const APP_ID = 'a1b2c3d4-0000-4000-8000-00000000a99d';
const rows = readFixture(EXPORT);
const fmt = (cents: number, currency: string) =>
  `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents)} ${currency}`;
/** May 2026 sums per currency and key, computed from the fixture file. */
const may = (amount: string, key: (r: Record<string, string>) => string) =>
  expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount, key });

type VoteInput = Parameters<ApprovalInteractions['vote']>[0];

/** Records every call; a vote is counted unless the voter is in `refuse`. */
class RecordingApprovals implements ApprovalInteractions {
  readonly votes: VoteInput[] = [];
  readonly checks: { approvalId: string; voter: Identity }[] = [];
  readonly refuse = new Set<string>();

  async vote(input: VoteInput): Promise<Reply> {
    this.votes.push(input);
    const counted = !this.refuse.has(input.voter.id);
    return {
      kind: 'notice',
      title: counted ? `Vote counted on ${input.approvalId}` : 'Vote not counted',
      text: counted ? 'Your vote is counted: 1 of 2.' : 'You are not one of the approvers.',
      data: { counted },
      visibility: 'ephemeral',
    };
  }

  async checkVoter(approvalId: string, voter: Identity): Promise<{ ok: true } | { ok: false; reply: Reply }> {
    this.checks.push({ approvalId, voter });
    if (!this.refuse.has(voter.id)) return { ok: true };
    return { ok: false, reply: { kind: 'notice', title: 'Not an approver', visibility: 'ephemeral' } };
  }

  async details(approvalId: string): Promise<Reply> {
    return {
      kind: 'answer',
      title: `Details of ${approvalId}`,
      footnote: 'Audit trail: requested',
      visibility: 'ephemeral',
    };
  }

  reset(): void {
    this.votes.length = 0;
    this.checks.length = 0;
    this.refuse.clear();
  }
}

/** The approval message as the core would render it (buttons by action id, value = approval id). */
const approvalMessage = async (id: string): Promise<Reply> => ({
  kind: 'answer',
  title: `Approval ${id}: stop i-0abc`,
  text: 'Waiting for approval',
  fields: [{ label: 'Approvals', value: '1 of 2' }],
  buttons: [
    { actionId: 'tally_approval_approve', label: 'Approve', value: id, style: 'primary' },
    { actionId: 'tally_approval_reject', label: 'Reject', value: id, style: 'danger' },
    { actionId: 'tally_approval_details', label: 'Details', value: id },
  ],
  visibility: 'channel',
});

/** Records acknowledgements and mutes. */
class RecordingAlerts implements AlertInteractions {
  readonly acks: { anomalyId: string; user: AlertUser }[] = [];
  readonly mutes: { anomalyId: string; user: AlertUser; days: number }[] = [];

  async acknowledge(anomalyId: string, user: AlertUser) {
    this.acks.push({ anomalyId, user });
    const reply: Reply = { kind: 'notice', title: 'Acknowledged', visibility: 'ephemeral' };
    const message: Reply = {
      kind: 'answer',
      title: `Anomaly ${anomalyId}: acknowledged by Ada`,
      visibility: 'channel',
    };
    return { reply, message };
  }

  async mute(anomalyId: string, user: AlertUser, days = 7) {
    this.mutes.push({ anomalyId, user, days });
    return {
      reply: { kind: 'notice' as const, title: `Muted for ${days} days`, visibility: 'ephemeral' as const },
      note: { kind: 'notice' as const, title: 'Series muted by Ada until 2026-06-17', visibility: 'channel' as const },
    };
  }

  async investigate() {
    return { command: 'compare 2026-05-20 vs 2026-05-13 by service' };
  }
}

let core: AppDeps;
let connector: BotConnectorFake;
let issuer: BotTokenIssuer;
let foreignIssuer: BotTokenIssuer;
const approvals = new RecordingApprovals();
const alerts = new RecordingAlerts();
const servers: Server[] = [];
const anonymousRefs = new MemoryConversationRefStore();
const authRefs = new MemoryConversationRefStore();
const authTurns: Turn[] = [];
/** What the anonymous adapter logged as errors. */
const errors: Record<string, unknown>[] = [];
let anonymousUrl: string;
let authUrl: string;
let unendorsedUrl: string;

async function mount(deps: TeamsDeps, config: Parameters<typeof createTeamsAdapter>[0]): Promise<string> {
  const teams = createTeamsAdapter(config, deps);
  const server = await startWebServer({
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger,
    ready: async () => true,
    routes: { '/api/messages': teams.requestListener },
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
}

const post = (url: string, activity: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cardOf = (call: ConnectorCall) =>
  JSON.stringify(
    (call.body.attachments as { contentType: string; content: unknown }[] | undefined)?.[0]?.content ?? '',
  );
const isCard = (c: ConnectorCall) =>
  Array.isArray(c.body.attachments) &&
  (c.body.attachments as { contentType?: string }[])[0]?.contentType === 'application/vnd.microsoft.card.adaptive';

beforeAll(async () => {
  const clock = fixedClock(new Date('2026-06-10T12:00:00Z'));
  core = await createDeps(loadConfig({ TALLY_FOCUS_FILE: EXPORT, TALLY_DATA_DIR: testDataDir() }), {
    clock,
    logger: silentLogger,
  });
  connector = await startBotConnectorFake();
  issuer = await startBotTokenIssuer();
  foreignIssuer = await startBotTokenIssuer({ endorsements: ['webchat'] });
  const common = { dedupe: new MemoryDedupeStore(), charts: null, logger: silentLogger };
  const logger: Logger = { ...silentLogger, error: (obj) => errors.push(obj) };
  anonymousUrl = await mount(
    {
      core: new ChatCore({
        ...common,
        logger,
        handleTurn: (turn, hooks) => core.turns.handle(turn, hooks),
        approvals,
        approvalMessage,
        alerts,
      }),
      logger,
      conversationRefs: anonymousRefs,
    },
    { anonymous: true },
  );
  const authDeps: TeamsDeps = {
    core: new ChatCore({
      ...common,
      handleTurn: (turn, hooks) => {
        authTurns.push(turn);
        return core.turns.handle(turn, hooks);
      },
    }),
    logger: silentLogger,
    conversationRefs: authRefs,
  };
  const auth = {
    appId: APP_ID,
    appPassword: 'not-a-real-secret',
    tenantId: TEAMS.tenantId,
    appType: 'SingleTenant' as const,
  };
  authUrl = await mount(authDeps, { ...auth, openIdMetadataUrl: issuer.metadataUrl });
  unendorsedUrl = await mount(authDeps, { ...auth, openIdMetadataUrl: foreignIssuer.metadataUrl });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await connector?.close();
  await issuer?.close();
  await foreignIssuer?.close();
  await core?.close();
});

beforeEach(() => {
  connector.reset();
  approvals.reset();
});

describe('Teams messages (anonymous mode)', () => {
  it('answers a question in personal chat with a card of the figures, after a typing indicator', async () => {
    const activity = personalMessage({ text: 'cost last month by provider', serviceUrl: connector.serviceUrl });
    const res = await post(anonymousUrl, activity);
    expect(res.status).toBe(200);
    const reply = await connector.waitFor('reply', isCard);
    expect(reply.conversationId).toBe('a:1personal-ada');
    expect(reply.activityId).toBe(activity.id);
    const card = cardOf(reply);
    for (const [currency, byKey] of may('EffectiveCost', (r) => r.ProviderName ?? ''))
      for (const [provider, cents] of byKey) {
        expect(card).toContain(provider);
        expect(card).toContain(fmt(cents, currency));
      }
    expect(card).toContain('2026-05-01 to 2026-05-31');
    const replies = connector.callsOf('reply', (c) => c.conversationId === 'a:1personal-ada');
    expect(replies[0]?.body.type).toBe('typing');
    expect(replies.indexOf(reply)).toBeGreaterThan(0);
    // First contact: the conversation and the person can be written to later.
    const stored = JSON.parse((await anonymousRefs.get('teams/conv/a:1personal-ada')) ?? '{}');
    expect(stored.serviceUrl).toBe(connector.serviceUrl);
    expect(await anonymousRefs.get(`teams/user/${TEAMS.userAadId}`)).not.toBeNull();
  });

  it('answers a command in a channel with the mention stripped, in the reply chain; a follow-up stays there', async () => {
    const first = channelMessage({
      text: 'cost by service from 2026-05-01 to 2026-05-31',
      serviceUrl: connector.serviceUrl,
    });
    expect((await post(anonymousUrl, first)).status).toBe(200);
    const chain = `${TEAMS.channelId};messageid=${first.id}`;
    const reply = await connector.waitFor('reply', (c) => isCard(c) && c.conversationId === chain);
    expect(reply.activityId).toBe(first.id);
    const s3 = may('EffectiveCost', (r) => r.ServiceName ?? '')
      .get('USD')!
      .get('Amazon Simple Storage Service')!;
    expect(cardOf(reply)).toContain(fmt(s3, 'USD'));
    expect(cardOf(reply)).not.toContain('&lt;at&gt;');

    const followUp = threadReply({
      text: 'billed cost last month by account',
      root: first.id,
      serviceUrl: connector.serviceUrl,
    });
    await post(anonymousUrl, followUp);
    const second = await connector.waitFor('reply', (c) => isCard(c) && c.activityId === followUp.id);
    expect(second.conversationId).toBe(chain);
    expect(cardOf(second)).toContain('Billed cost');
    const accounts = may('BilledCost', (r) => r.SubAccountName ?? '').get('USD')!;
    expect(cardOf(second)).toContain(fmt(accounts.get('payments-prod')!, 'USD'));
    expect(await anonymousRefs.get(`teams/conv/${TEAMS.channelId}`)).not.toBeNull();
  });

  it('answers a mention in a group chat, and ignores group chat messages that do not mention Tally', async () => {
    const ignored = groupChatMessage({ text: 'cost last month', mention: false, serviceUrl: connector.serviceUrl });
    await post(anonymousUrl, ignored);
    const asked = groupChatMessage({ text: 'cost last month by provider', serviceUrl: connector.serviceUrl });
    await post(anonymousUrl, asked);
    const reply = await connector.waitFor('reply', (c) => isCard(c) && c.conversationId === TEAMS.groupChatId);
    expect(reply.activityId).toBe(asked.id);
    expect(connector.calls.filter((c) => c.activityId === ignored.id)).toHaveLength(0);
  });

  it('answers a redelivered activity once', async () => {
    const activity = personalMessage({ text: 'cost last month', serviceUrl: connector.serviceUrl });
    await post(anonymousUrl, activity);
    await post(anonymousUrl, activity);
    await connector.waitFor('reply', (c) => isCard(c) && c.activityId === activity.id);
    expect(connector.callsOf('reply', (c) => isCard(c) && c.activityId === activity.id)).toHaveLength(1);
  });

  it('returns the replies in the body with deliveryMode expectReplies, calling no connector', async () => {
    const activity = personalMessage({
      text: 'cost last month by provider',
      serviceUrl: connector.serviceUrl,
      deliveryMode: 'expectReplies',
    });
    const res = await post(anonymousUrl, activity);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Record<string, unknown>[] };
    const card = body.activities.find((a) => Array.isArray(a.attachments));
    const aws = may('EffectiveCost', (r) => r.ProviderName ?? '')
      .get('USD')!
      .get('AWS')!;
    expect(JSON.stringify(card)).toContain(fmt(aws, 'USD'));
    expect(connector.calls).toHaveLength(0);
  });

  it('keeps the reference of a conversation it is added to, without writing there', async () => {
    const conversation = '19:new-channel@thread.tacv2';
    const res = await post(
      anonymousUrl,
      conversationUpdate({ conversationId: conversation, serviceUrl: connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const stored = JSON.parse((await anonymousRefs.get(`teams/conv/${conversation}`)) ?? '{}');
    expect(stored.conversation?.id).toBe(conversation);
    expect(connector.calls).toHaveLength(0);
  });

  it('answers a failure with a short apology carrying an error id, no stack trace', async () => {
    connector.failNext('reply', { status: 403, code: 'BotNotInConversationRoster' }, (b) =>
      Array.isArray(b.attachments),
    );
    const activity = personalMessage({ text: 'cost last month', serviceUrl: connector.serviceUrl });
    await post(anonymousUrl, activity);
    const apology = await connector.waitFor(
      'reply',
      (c) => c.activityId === activity.id && typeof c.body.text === 'string',
    );
    expect(String(apology.body.text)).toMatch(/sorry/i);
    expect(String(apology.body.text)).toMatch(/err_[0-9a-f]{8}/);
    expect(String(apology.body.text)).not.toMatch(/\bat .+:\d+:\d+/);
    // Logged with the same id, the connector's failure mapped at the edge.
    const errorId = /err_[0-9a-f]{8}/.exec(String(apology.body.text))?.[0];
    const logged = errors.find((e) => e.errorId === errorId)?.err as TallyError;
    expect(logged).toBeInstanceOf(TallyError);
    expect(logged.code).toBe('CHAT_FAILED');
    expect(logged.metadata).toMatchObject({ status: 403, teamsError: 'BotNotInConversationRoster' });
  });

  it('refuses to be built without an app id unless anonymous mode is on', () => {
    const deps: TeamsDeps = {
      core: new ChatCore({
        handleTurn: async () => ({ kind: 'notice', title: 'x', visibility: 'channel' }),
        dedupe: new MemoryDedupeStore(),
        charts: null,
        logger: silentLogger,
      }),
      conversationRefs: new MemoryConversationRefStore(),
      logger: silentLogger,
    };
    let error: unknown;
    try {
      createTeamsAdapter({}, deps);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TallyError);
    expect((error as TallyError).code).toBe('CONFIG_INVALID');
  });
});

describe('Teams card actions (Action.Execute invokes)', () => {
  const invoke = async (activity: Record<string, unknown>) => {
    const res = await post(anonymousUrl, activity);
    expect(res.status).toBe(200);
    return (await res.json()) as { statusCode: number; type: string; value: unknown };
  };

  it('Approve votes as the AAD identity and answers the voter with their view of the refreshed card', async () => {
    const body = await invoke(cardAction({ verb: 'approve', data: { id: 'apr_1' }, serviceUrl: connector.serviceUrl }));
    expect(approvals.votes).toEqual([
      {
        approvalId: 'apr_1',
        voter: { platform: 'teams', id: TEAMS.userAadId, name: TEAMS.userName },
        decision: 'approve',
      },
    ]);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(body.value);
    expect(card).toContain('You voted approve');
    expect(card).not.toContain('"verb":"approve"');
    expect(card).toContain('"verb":"refresh"');
  });

  it('Reject carries the reason of the card input; a vote that is not counted is answered with a message', async () => {
    approvals.refuse.add(TEAMS.userAadId);
    const body = await invoke(
      cardAction({ verb: 'reject', data: { id: 'apr_2', reason: ' too risky ' }, serviceUrl: connector.serviceUrl }),
    );
    expect(approvals.votes[0]).toMatchObject({ approvalId: 'apr_2', decision: 'reject', reason: 'too risky' });
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(body.value)).toContain('not one of the approvers');
  });

  it('a refresh answers each viewer: vote buttons only for someone who may vote', async () => {
    const refresh = () =>
      invoke(
        cardAction({ verb: 'refresh', trigger: 'automatic', data: { id: 'apr_3' }, serviceUrl: connector.serviceUrl }),
      );
    expect(JSON.stringify((await refresh()).value)).toContain('"verb":"approve"');
    approvals.refuse.add(TEAMS.userAadId);
    const other = JSON.stringify((await refresh()).value);
    expect(other).not.toContain('"verb":"approve"');
    expect(other).toContain('1 of 2');
    expect(approvals.checks).toHaveLength(2);
    expect(approvals.votes).toHaveLength(0);
  });

  it('Details shows the details to the clicker; an unknown verb gets a message', async () => {
    const details = await invoke(
      cardAction({ verb: 'details', data: { id: 'apr4' }, serviceUrl: connector.serviceUrl }),
    );
    expect(JSON.stringify(details.value)).toContain('Details of apr4');
    const unknown = await invoke(cardAction({ verb: 'teleport', serviceUrl: connector.serviceUrl }));
    expect(unknown.type).toBe('application/vnd.microsoft.activity.message');
  });

  it('Acknowledge replaces the alert card for everyone and tells the clicker; Mute posts a note in the chain', async () => {
    const conversationId = `${TEAMS.channelId};messageid=alert-root-1`;
    const at = { conversationId, conversationType: 'channel' as const, replyToId: 'alert-root-1' };
    const ack = await invoke(
      cardAction({ verb: 'alert_ack', data: { id: 'anom_1' }, ...at, serviceUrl: connector.serviceUrl }),
    );
    expect(ack.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(ack.value)).toContain('Acknowledged');
    const update = await connector.waitFor('update');
    expect(update.conversationId).toBe(conversationId);
    expect(update.activityId).toBe('alert-root-1');
    expect(cardOf(update)).toContain('acknowledged by Ada');
    expect(alerts.acks.at(-1)?.user).toEqual({ platform: 'teams', id: TEAMS.userAadId, name: TEAMS.userName });

    const mute = await invoke(
      cardAction({ verb: 'alert_mute', data: { id: 'anom_1' }, ...at, serviceUrl: connector.serviceUrl }),
    );
    expect(String(mute.value)).toContain('Muted for 7 days');
    const note = await connector.waitFor('reply', isCard);
    expect(note.conversationId).toBe(conversationId);
    expect(cardOf(note)).toContain('Series muted by Ada');
  });

  it('a button added in the core works with its action id as the verb: Snooze 1 day', async () => {
    const at = { conversationId: `${TEAMS.channelId};messageid=alert-root-2`, replyToId: 'alert-root-2' };
    const snooze = await invoke(
      cardAction({ verb: ACTIONS.ALERT_SNOOZE, data: { id: 'anom_2' }, ...at, serviceUrl: connector.serviceUrl }),
    );
    expect(String(snooze.value)).toContain('Muted for 1 days');
    expect(alerts.mutes.at(-1)).toMatchObject({ anomalyId: 'anom_2', days: 1 });
  });

  it('an Action.Submit fallback (a message with value.verb) votes too, answered in the conversation', async () => {
    const activity = personalMessage({
      text: '',
      serviceUrl: connector.serviceUrl,
      extra: { value: { verb: 'approve', id: 'apr_5' } },
    });
    await post(anonymousUrl, activity);
    expect(approvals.votes[0]?.approvalId).toBe('apr_5');
    const answer = await connector.waitFor('reply', (c) => c.activityId === activity.id);
    expect(cardOf(answer)).toContain('You voted approve');
  });
});

describe('Teams authentication (app id configured)', () => {
  const serviceUrl = () => connector.serviceUrl;
  const valid = () => issuer.signToken({ aud: APP_ID, serviceUrl: serviceUrl() });

  it('refuses with 401, reaching no handler: no token, wrong audience, expired, forged, other service URL, unendorsed key', async () => {
    const activity = () => personalMessage({ text: 'cost last month', serviceUrl: serviceUrl(), botAppId: APP_ID });
    const forgedKey = { ...newSigningKey(), kid: issuer.key.kid };
    const attempts: [string, string, Record<string, string>][] = [
      ['no token', authUrl, {}],
      [
        'wrong audience',
        authUrl,
        bearer(issuer.signToken({ aud: 'b0b0b0b0-0000-4000-8000-000000000000', serviceUrl: serviceUrl() })),
      ],
      [
        'expired',
        authUrl,
        bearer(
          issuer.signToken({
            aud: APP_ID,
            serviceUrl: serviceUrl(),
            nbf: epochSeconds(-7200),
            exp: epochSeconds(-3600),
          }),
        ),
      ],
      ['forged signature', authUrl, bearer(signWith(forgedKey, { aud: APP_ID, serviceUrl: serviceUrl() }))],
      ['other service URL', authUrl, bearer(issuer.signToken({ aud: APP_ID, serviceUrl: 'https://smba.example/' }))],
      [
        'wrong issuer',
        authUrl,
        bearer(issuer.signToken({ aud: APP_ID, serviceUrl: serviceUrl(), iss: 'https://evil.example' })),
      ],
      [
        'key not endorsed for msteams',
        unendorsedUrl,
        bearer(foreignIssuer.signToken({ aud: APP_ID, serviceUrl: serviceUrl() })),
      ],
    ];
    for (const [what, url, headers] of attempts) {
      const res = await post(url, activity(), headers);
      expect(res.status, what).toBe(401);
    }
    // A 401 is answered before any handler runs: nothing is left running that could answer or store.
    expect(authTurns).toHaveLength(0);
    expect(connector.calls).toHaveLength(0);
    expect(await authRefs.get('teams/conv/a:1personal-ada')).toBeNull();
  });

  it('accepts a valid token: with expectReplies the answer is the body (no outbound token needed)', async () => {
    const activity = personalMessage({
      text: 'cost last month by provider',
      serviceUrl: serviceUrl(),
      botAppId: APP_ID,
      deliveryMode: 'expectReplies',
    });
    const res = await post(authUrl, activity, bearer(valid()));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Record<string, unknown>[] };
    const aws = may('EffectiveCost', (r) => r.ProviderName ?? '')
      .get('USD')!
      .get('AWS')!;
    expect(JSON.stringify(body.activities)).toContain(fmt(aws, 'USD'));
    expect(authTurns.map((t) => t.text)).toEqual(['cost last month by provider']);
    expect(connector.calls).toHaveLength(0);
    expect(issuer.fetches.keys).toBeGreaterThan(0);
  });
});
