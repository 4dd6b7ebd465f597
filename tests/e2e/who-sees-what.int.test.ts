import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../src/approvals/approval.types.js';
import { type ApprovalWorld, createApprovalWorld, waitUntil } from '../support/approval-processes.js';
import { testApproval } from '../support/approvals.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { appHomeOpened, eventCallback, messageIm, postSigned } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

// Issue 13, item 7 end to end: one `tally start` (Slack fake, Redis, FerretDB, moto) with a policy that scopes Pat to
// one account, a Slack user group to the `team=web` tag, and gives nobody else access. Pat's direct messages, App
// Home, `approvals` and `savings` count only Pat's account; figures are computed here from the fixture file.
const REGION = 'eu-north-1';
const SECRET = 'test-signing-secret';
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const PAT_ACCOUNT = '111111111111';
const OTHER_ACCOUNTS = ['222222222222', 'acme-data-4821', 'sub-0001'];
// The comment after `approvals:` keeps createApprovalWorld from adding its own people.
const POLICY = `approvals: # people of this test
  people:
    rita: { name: Rita, slack: U0RITA }
    alice: { name: Alice, slack: U0ALICE }
    pat: { name: Pat, slack: U0PAT }
  risk:
    low: { approvers: [alice], quorum: 1 }
access:
  admins: [rita]
  scopes:
    - { who: [pat], accounts: ["${PAT_ACCOUNT}"] }
    - { who: ["slack-group:S0WEB"], tags: { team: web } }
  others: none
`;
const RUN = uniqueName('wsw');

const rows = readFixture(EXPORT);
const fmt = (cents: number, currency: string) =>
  `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents)} ${currency}`;
const tagOf = (r: Record<string, string>, key: string) =>
  r.Tags ? (JSON.parse(r.Tags) as Record<string, string>)[key] : undefined;

let world: ApprovalWorld;
let slack: SlackFake;
let tally: TallyProcess;
const seeded: Record<string, Approval> = {};
const send = (event: Record<string, unknown>) =>
  postSigned(`${tally.url}/slack/events`, { ...eventCallback(event), secret: SECRET });
const textOf = (c: SlackCall) =>
  JSON.stringify(c.body.blocks ?? '') + String(c.body.text ?? '') + JSON.stringify(c.body.view ?? '');

/** The first message posted or updated in `channel` whose text contains `title`. */
function answerIn(channel: string, title: string): Promise<string> {
  return waitUntil(
    async () =>
      [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update'), ...slack.callsTo('chat.postEphemeral')]
        .filter((c) => c.body.channel === channel)
        .map(textOf)
        .find((t) => t.includes(title)),
    `an answer "${title}" in ${channel}`,
    30_000,
  );
}

/** A DM from `user` asking `text`, answered in its own DM channel. */
async function dm(user: string, text: string, title: string): Promise<string> {
  const channel = `D${user.slice(1)}${Object.keys(seeded).length}${Math.floor(Math.random() * 1e6)}`;
  expect((await send(messageIm({ user, channel, text }))).status).toBe(200);
  return answerIn(channel, title);
}

function approvalIn(account: string, state: Approval['state'], savings: number): Approval {
  const now = new Date();
  const base = testApproval();
  return testApproval({
    state,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    action: {
      ...base.action,
      target: { ...base.action.target, accountId: account },
      monthlySavings: savings,
      summary: `Stop ${base.action.target.resourceId} of account ${account} (${state})`,
    },
    ...(state === 'SUCCEEDED'
      ? {
          decidedAt: '2026-06-30T10:00:00.000Z',
          execution: {
            startedAt: '2026-07-01T10:00:00.000Z',
            finishedAt: '2026-07-01T10:01:00.000Z',
            outcome: 'SUCCEEDED' as const,
            steps: ['stopped'],
            attempts: 1,
          },
        }
      : {}),
  });
}

beforeAll(async () => {
  world = await createApprovalWorld({ region: REGION, policy: POLICY });
  slack = await startSlackFake();
  slack.setUsergroup('S0WEB', ['U0WEB']);
  for (const [key, account, state, savings] of [
    ['patPending', PAT_ACCOUNT, 'PENDING', 41.5],
    ['otherPending', '222222222222', 'PENDING', 77.25],
    ['patDone', PAT_ACCOUNT, 'SUCCEEDED', 60.74],
    ['otherDone', '222222222222', 'SUCCEEDED', 19.3],
  ] as const) {
    seeded[key] = approvalIn(account, state, savings);
    await world.approvals.create(seeded[key]!);
  }
  tally = await startTally(
    world.env({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      TALLY_FOCUS_FILE: EXPORT,
      TALLY_TODAY: '2026-05-20',
    }),
  );
});

afterAll(async () => {
  await tally?.stop();
  await slack?.close();
  await world?.close();
});

describe(`who sees what (${RUN})`, () => {
  it("a DM from a person scoped to one account counts only that account's cost", async () => {
    const text = await dm('U0PAT', 'cost from 2026-05-01 to 2026-05-31 by account', 'Cost by account');
    const sums = expectedSums(rows, {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: (r) => r.SubAccountId ?? '',
    });
    const mine = sums.get('USD')?.get(PAT_ACCOUNT);
    expect(mine).toBeGreaterThan(0);
    expect(text).toContain(PAT_ACCOUNT);
    expect(text).toContain(fmt(mine!, 'USD'));
    for (const other of OTHER_ACCOUNTS) expect(text).not.toContain(other);
    expect(text).toContain(`You see only accounts ${PAT_ACCOUNT}`);
  });

  it("the App Home's month to date counts only that account", async () => {
    expect((await send(appHomeOpened({ user: 'U0PAT' }))).status).toBe(200);
    const publish = await slack.waitFor('views.publish', (c) => c.body.user_id === 'U0PAT', 30_000);
    const view = JSON.stringify(publish.body.view);
    const mtd = expectedSums(rows, {
      from: '2026-05-01',
      to: '2026-05-20',
      amount: 'EffectiveCost',
      key: (r) => (r.SubAccountId === PAT_ACCOUNT ? (r.ProviderName ?? '') : 'elsewhere'),
    });
    const aws = mtd.get('USD')?.get('AWS');
    expect(aws).toBeGreaterThan(0);
    expect(view).toContain(fmt(aws!, 'USD'));
    for (const provider of ['Google Cloud', 'Microsoft']) expect(view).not.toContain(provider);
    // The home counts pending approvals: two are pending, one in Pat's account.
    expect(view).toContain('1 waiting for a decision');
  });

  it('`approvals` and `approval <id>` show only approvals in that account', async () => {
    const list = await dm('U0PAT', 'approvals', 'Pending approvals');
    expect(list).toContain(seeded.patPending!.id);
    expect(list).not.toContain(seeded.otherPending!.id);
    const hidden = await dm('U0PAT', `approval ${seeded.otherPending!.id}`, 'Not found');
    expect(hidden).toContain(`There is no approval ${seeded.otherPending!.id}`);
  });

  it('`savings` counts only the actions in that account', async () => {
    const text = await dm('U0PAT', 'savings', 'Savings');
    // One executed action, Pat's: its estimate is the total.
    expect(text).toContain(`1 executed: estimated ${seeded.patDone!.action.monthlySavings.toFixed(2)} USD per month`);
    expect(text).toContain(seeded.patDone!.action.summary);
    expect(text).not.toContain(seeded.otherDone!.action.summary);
  });

  it('a person may not propose an action on an account outside their scope', async () => {
    const before = await world.approvals.list({ limit: 100 });
    const text = await dm('U0PAT', `propose stop i-0abc1234567890def in ${REGION} because idle`, 'Outside your scope');
    expect(text).toContain('is outside your scope');
    expect(await world.approvals.list({ limit: 100 })).toHaveLength(before.length);
  });

  it('a Slack user group scoped to a tag counts only rows with that tag', async () => {
    const text = await dm('U0WEB', 'cost from 2026-05-01 to 2026-05-31 by account', 'Cost by account');
    const web = expectedSums(
      rows.filter((r) => tagOf(r, 'team') === 'web'),
      {
        from: '2026-05-01',
        to: '2026-05-31',
        amount: 'EffectiveCost',
        key: (r) => r.SubAccountId ?? '',
      },
    );
    expect(web.size).toBeGreaterThan(0);
    for (const [currency, byAccount] of web)
      for (const [account, cents] of byAccount) {
        expect(text).toContain(account);
        expect(text).toContain(fmt(cents, currency));
      }
    for (const account of [PAT_ACCOUNT, '222222222222', 'acme-data-4821']) expect(text).not.toContain(account);
    expect(text).toContain('You see only tag team=web');
  });

  it('someone the policy gives no access sees no cost data, and `access all` is for admins', async () => {
    const none = await dm('U0NOBODY', 'cost from 2026-05-01 to 2026-05-31 by account', 'No cost data for you');
    for (const account of [PAT_ACCOUNT, ...OTHER_ACCOUNTS]) expect(none).not.toContain(account);
    const refused = await dm('U0PAT', 'access all', 'Admins only');
    expect(refused).not.toContain('slack-group:S0WEB');
    const policy = await dm('U0RITA', 'access all', 'Who sees what');
    expect(policy).toContain('slack-group:S0WEB');
    expect(policy).toContain(`accounts ${PAT_ACCOUNT}`);
  });
});
