// `tally start` as a real process, spoken to in Bot Framework protocol on /api/messages: activities in, replies
// captured by the loopback Bot Connector fake (the activities' serviceUrl). One process runs anonymously (as with the
// Bot Framework Emulator) for the message flows; another has an app id and verifies tokens signed by a test key that a
// loopback OpenID metadata endpoint publishes (MICROSOFT_OPENID_METADATA_URL).
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONVERSATION_REFS_COLLECTION } from '../../adapters/mongo/conversation-ref.model.js';
import { type BotConnectorFake, type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { type BotTokenIssuer, epochSeconds, startBotTokenIssuer } from '../support/bot-tokens.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { mongoUrl, redisUrl, uniqueName } from '../support/services.js';
import { freePort, startTally, type TallyProcess } from '../support/tally-process.js';
import { channelMessage, personalMessage, TEAMS, threadReply } from '../support/teams-activities.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const APP_ID = 'a1b2c3d4-0000-4000-8000-00000000e2e0';
const MONGODB_URI = `${mongoUrl()}/${uniqueName('teams_e2e')}`;
const rows = readFixture(EXPORT);
const fmt = (cents: number, currency: string) =>
  `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents)} ${currency}`;
/** May 2026 sums per currency and key, computed from the fixture file. */
const may = (amount: string, key: (r: Record<string, string>) => string) =>
  expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount, key });
const CARD = 'application/vnd.microsoft.card.adaptive';

let connector: BotConnectorFake;
let issuer: BotTokenIssuer;
let tally: TallyProcess;
let secured: TallyProcess;

const post = (url: string, activity: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
const attachmentsOf = (body: Record<string, unknown>) =>
  (body.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
const isCard = (c: ConnectorCall) => attachmentsOf(c.body)[0]?.contentType === CARD;
const cardText = (body: Record<string, unknown>) => JSON.stringify(attachmentsOf(body)[0]?.content ?? '');

beforeAll(async () => {
  connector = await startBotConnectorFake();
  issuer = await startBotTokenIssuer();
  const common = { REDIS_URL: redisUrl(), TALLY_FOCUS_FILE: EXPORT, TALLY_TODAY: '2026-06-10' };
  const port = await freePort();
  [tally, secured] = await Promise.all([
    startTally({
      ...common,
      TALLY_TEAMS_ANONYMOUS: 'true',
      PORT: String(port),
      TALLY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    }),
    startTally({
      ...common,
      MONGODB_URI,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TENANT_ID: TEAMS.tenantId,
      MICROSOFT_OPENID_METADATA_URL: issuer.metadataUrl,
    }),
  ]);
});

afterAll(async () => {
  await tally?.stop();
  await secured?.stop();
  await connector?.close();
  await issuer?.close();
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  await conn.dropDatabase();
  await conn.close();
});

beforeEach(() => connector.reset());

describe('Teams: messages (anonymous mode)', () => {
  it('answers a question in personal chat with an Adaptive Card of the figures, in the conversation', async () => {
    const question = personalMessage({
      text: 'what did we spend on EC2 last month?',
      serviceUrl: connector.serviceUrl,
    });
    expect((await post(tally.url, question)).status).toBe(200);
    const reply = await connector.waitFor('reply', (c) => isCard(c) && c.activityId === question.id, 15_000);
    expect(reply.conversationId).toBe('a:1personal-ada');
    const ec2 = may('EffectiveCost', (r) => (/Elastic Compute Cloud/.test(r.ServiceName ?? '') ? 'ec2' : 'other'));
    expect(cardText(reply.body)).toContain(fmt(ec2.get('USD')!.get('ec2')!, 'USD'));
    expect(cardText(reply.body)).toContain('Understood as');
    // A typing indicator comes first.
    const first = connector.callsOf('reply', (c) => c.activityId === question.id)[0];
    expect(first?.body.type).toBe('typing');
  });

  it('shows the chart as an image Tally serves at TALLY_PUBLIC_URL/charts/', async () => {
    const question = personalMessage({ text: 'cost last month by service', serviceUrl: connector.serviceUrl });
    await post(tally.url, question);
    const reply = await connector.waitFor('reply', (c) => isCard(c) && c.activityId === question.id, 15_000);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/charts\/[0-9a-f]{32}\.png)"/.exec(cardText(reply.body))?.[1];
    expect(url).toBeDefined();
    const image = await fetch(url!);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await fetch(url!.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).status).toBe(404);
  });

  it('answers a command in a channel with the mention stripped, in the reply chain; a follow-up is answered there', async () => {
    const post1 = channelMessage({
      text: 'cost by service from 2026-05-01 to 2026-05-31',
      serviceUrl: connector.serviceUrl,
    });
    await post(tally.url, post1);
    const chain = `${TEAMS.channelId};messageid=${post1.id}`;
    const reply = await connector.waitFor('reply', (c) => isCard(c) && c.activityId === post1.id, 15_000);
    expect(reply.conversationId).toBe(chain);
    const services = may('EffectiveCost', (r) => r.ServiceName ?? '').get('USD')!;
    expect(cardText(reply.body)).toContain(fmt(services.get('Amazon Simple Storage Service')!, 'USD'));
    // The mention is not part of the command: an unparsed "<at>Tally</at> cost …" would be answered with help.
    expect(cardText(reply.body)).not.toContain('&lt;at&gt;');

    const followUp = threadReply({
      text: 'billed cost last month by account',
      root: post1.id,
      serviceUrl: connector.serviceUrl,
    });
    await post(tally.url, followUp);
    const second = await connector.waitFor('reply', (c) => isCard(c) && c.activityId === followUp.id, 15_000);
    expect(second.conversationId).toBe(chain);
    expect(cardText(second.body)).toContain('Billed cost');
    const accounts = may('BilledCost', (r) => r.SubAccountName ?? '').get('USD')!;
    expect(cardText(second.body)).toContain(fmt(accounts.get('payments-prod')!, 'USD'));
  });
});

describe('Teams: authentication (MICROSOFT_APP_ID set)', () => {
  const activity = (extra: Partial<Parameters<typeof personalMessage>[0]> = {}) =>
    personalMessage({
      text: 'cost last month by provider',
      serviceUrl: connector.serviceUrl,
      botAppId: APP_ID,
      ...extra,
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const storedRefs = async () => {
    const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
    try {
      const docs = await conn.collection(CONVERSATION_REFS_COLLECTION).find({}).toArray();
      return docs.map((d) => String(d.key));
    } finally {
      await conn.close();
    }
  };

  it('refuses no token, a wrong audience and an expired token with 401, reaching no handler', async () => {
    const serviceUrl = connector.serviceUrl;
    const wrongAudience = issuer.signToken({ aud: 'b0b0b0b0-0000-4000-8000-000000000000', serviceUrl });
    const expired = issuer.signToken({ aud: APP_ID, serviceUrl, nbf: epochSeconds(-7200), exp: epochSeconds(-3600) });
    expect((await post(secured.url, activity())).status).toBe(401);
    expect((await post(secured.url, activity(), bearer(wrongAudience))).status).toBe(401);
    expect((await post(secured.url, activity(), bearer(expired))).status).toBe(401);
    // A 401 is answered before any handler runs: nothing is left running that could send or store.
    expect(connector.calls).toHaveLength(0);
    expect(await storedRefs()).toEqual([]);
  });

  it('answers a valid token; with expectReplies the reply is the response body (no outbound token needed)', async () => {
    const token = issuer.signToken({ aud: APP_ID, serviceUrl: connector.serviceUrl });
    const res = await post(secured.url, activity({ deliveryMode: 'expectReplies' }), bearer(token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Record<string, unknown>[] };
    const card = body.activities.find((a) => attachmentsOf(a)[0]?.contentType === CARD);
    expect(card).toBeDefined();
    for (const [currency, byKey] of may('EffectiveCost', (r) => r.ProviderName ?? ''))
      for (const [provider, cents] of byKey) {
        expect(cardText(card!)).toContain(provider);
        expect(cardText(card!)).toContain(fmt(cents, currency));
      }
    expect(connector.calls).toHaveLength(0);
    // The handler ran this time: the conversation and the person were remembered.
    expect(await storedRefs()).toEqual(
      expect.arrayContaining(['teams/conv/a:1personal-ada', `teams/user/${TEAMS.userAadId}`]),
    );
  });
});
