// Issue 13, "the server never dies of a request": `tally start` as a real process (Slack over the loopback fake, Teams
// with an app id so that tokens are required) is sent every method on every path, signed garbage and requests dated
// outside Slack's 5 minutes; it answers each with a status and keeps serving (docs/operations.md#when-a-request-fails).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BotTokenIssuer, startBotTokenIssuer } from '../support/bot-tokens.js';
import { runCli } from '../support/run-cli.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { FORM, JSON_TYPE, nowSeconds, postSigned, slashCommand } from '../support/slack-requests.js';
import { freePort, startTally, type TallyProcess } from '../support/tally-process.js';
import { TEAMS } from '../support/teams-activities.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const SECRET = 'hardening-signing-secret';
const APP_ID = 'a1b2c3d4-0000-4000-8000-0000000013e0';
// Response ids unique to this run, so that a slow answer of an earlier run cannot be taken for one of this run.
const RUN = randomBytes(4).toString('hex');
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
const PATHS = ['/slack/events', '/slack/other', '/slack/', '/api/messages', '/api/x', '/nope', '/healthz/x'] as const;
const PER_PAIR = 20;

let slack: SlackFake;
let issuer: BotTokenIssuer;
let tally: TallyProcess;
const common = () => ({
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.url,
  REDIS_URL: redisUrl(),
  TALLY_FOCUS_FILE: EXPORT,
  TALLY_TODAY: '2026-06-10',
});
const events = () => `${tally.url}/slack/events`;
const sendSigned = (req: { body: string; contentType: string }, timestamp?: number) =>
  postSigned(events(), { ...req, secret: SECRET, ...(timestamp === undefined ? {} : { timestamp }) });
/** What the process logs when a last-resort handler caught something: none of it may appear. */
const lastResort = () => tally.output().match(/unhandled rejection|uncaught exception/gi) ?? [];

/** Half the requests with a body carry broken JSON, half an activity-like object. */
const bodyOf = (i: number) => (i % 2 === 0 ? '{"not": json' : '{"type":"message","text":"cost last month"}');

/**
 * The status each request must get: only POST reaches a platform. Slack checks the signature first (401); Teams reads
 * the body first (broken JSON: 400), then botbuilder wants a token (401).
 */
function expectedStatus(method: string, path: string, i: number): number {
  if (path === '/slack/events' || path === '/api/messages') {
    if (method !== 'POST') return 405;
    return path === '/api/messages' && i % 2 === 0 ? 400 : 401;
  }
  return 404;
}

async function healthz(): Promise<number> {
  return (await fetch(`${tally.url}/healthz`)).status;
}

beforeAll(async () => {
  [slack, issuer] = await Promise.all([startSlackFake(), startBotTokenIssuer()]);
  tally = await startTally({
    ...common(),
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    MICROSOFT_APP_TENANT_ID: TEAMS.tenantId,
    MICROSOFT_OPENID_METADATA_URL: issuer.metadataUrl,
  });
});

afterAll(async () => {
  await tally?.stop();
  await slack?.close();
  await issuer?.close();
});

beforeEach(() => slack.reset());

describe('every method on every path', () => {
  it(`answers ${PER_PAIR} requests of each method on each path with its status, and /healthz after each batch`, async () => {
    for (const method of METHODS) {
      for (const path of PATHS) {
        const withBody = method !== 'GET' && method !== 'HEAD';
        const statuses = await Promise.all(
          Array.from({ length: PER_PAIR }, async (_, i) => {
            const res = await fetch(`${tally.url}${path}`, {
              method,
              ...(withBody ? { headers: { 'content-type': JSON_TYPE }, body: bodyOf(i) } : {}),
            });
            await res.arrayBuffer();
            return res.status;
          }),
        );
        expect({ method, path, statuses }).toEqual({
          method,
          path,
          statuses: Array.from({ length: PER_PAIR }, (_, i) => expectedStatus(method, path, i)),
        });
        expect(await healthz()).toBe(200);
      }
    }
    expect(lastResort()).toEqual([]);
  });
});

describe('signed garbage', () => {
  it('answers a signed JSON null and other signed bodies Tally cannot read with 400, and keeps serving', async () => {
    const bodies = [
      { body: 'null', contentType: JSON_TYPE },
      { body: '[]', contentType: JSON_TYPE },
      { body: '"text"', contentType: JSON_TYPE },
      { body: '42', contentType: JSON_TYPE },
      { body: '{}', contentType: JSON_TYPE },
      { body: '{"type":"event_callback","event_id":"Ev1"}', contentType: JSON_TYPE },
      { body: '{"not": json', contentType: JSON_TYPE },
      { body: 'payload=null', contentType: FORM },
      { body: 'payload=%5B%5D', contentType: FORM },
      { body: 'payload=%7Bbroken', contentType: FORM },
      { body: new URLSearchParams({ payload: '{"type":"block_actions","actions":[]}' }).toString(), contentType: FORM },
      { body: new URLSearchParams({ command: '/cost', text: 'cost' }).toString(), contentType: FORM },
    ];
    for (const req of bodies) {
      for (let i = 0; i < PER_PAIR; i += 1) {
        const res = await sendSigned(req);
        expect({ body: req.body, status: res.status }).toEqual({ body: req.body, status: 400 });
      }
      expect(await healthz()).toBe(200);
    }
    expect(lastResort()).toEqual([]);
  });
});

describe('the signature timestamp', () => {
  it('refuses a /cost dated an hour ahead or behind with 401 and answers nothing for it', async () => {
    const future = slashCommand({
      text: 'help',
      channel_id: 'C0FUTURE',
      response_url: slack.responseUrl(`r-future-${RUN}`),
    });
    expect((await sendSigned(future, nowSeconds() + 3600)).status).toBe(401);
    expect((await sendSigned(future, nowSeconds() + 301)).status).toBe(401);
    expect((await sendSigned(future, nowSeconds() - 3600)).status).toBe(401);
    // Answers are started in arrival order: once a later valid request (the same command) is answered, an answer to
    // the refused ones, had they been taken, would be in the fake too.
    const later = slashCommand({
      text: 'help',
      channel_id: 'C0FUTURE',
      response_url: slack.responseUrl(`r-later-${RUN}`),
    });
    expect((await sendSigned(later)).status).toBe(200);
    await slack.waitFor('response', (c) => c.path.endsWith(`/r-later-${RUN}`), 15_000);
    expect(slack.responses.filter((r) => r.id.startsWith('r-future'))).toEqual([]);
    expect(slack.calls.filter((c) => c.method !== 'response' && JSON.stringify(c.body).includes('C0FUTURE'))).toEqual(
      [],
    );
  });
});

describe('slash commands missing fields', () => {
  it('answers a slash command without text with the help', async () => {
    const res = await sendSigned(
      slashCommand({ text: undefined, channel_id: 'C0NOTEXT', response_url: slack.responseUrl(`r-notext-${RUN}`) }),
    );
    expect(res.status).toBe(200);
    const response = await slack.waitFor('response', (c) => c.path.endsWith(`/r-notext-${RUN}`), 15_000);
    const text = JSON.stringify(response.body);
    expect(text).toContain('cost last month by service');
    expect(text).not.toMatch(/sorry/i);
  });

  it('answers two slash commands without trigger_id: the first does not stand for the second', async () => {
    for (const n of [1, 2]) {
      const req = slashCommand({
        text: 'help',
        trigger_id: undefined,
        channel_id: 'C0NOTRIGGER',
        response_url: slack.responseUrl(`r-notrigger-${n}-${RUN}`),
      });
      expect((await sendSigned(req)).status).toBe(200);
    }
    for (const n of [1, 2]) await slack.waitFor('response', (c) => c.path.endsWith(`/r-notrigger-${n}-${RUN}`), 15_000);
  });
});

describe('a busy port', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('makes `tally start` exit 2 with one line naming the port', async () => {
    const result = await runCli(['start'], { ...common(), PORT: String(port) });
    expect(result.code).toBe(2);
    const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port}`);
    expect(lines[0]).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
