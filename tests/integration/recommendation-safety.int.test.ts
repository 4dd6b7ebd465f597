// One view of what is safe (issue 17, item 3; README "Recommendations and approvals"), through the chat core as a
// Slack user types and clicks, on the whole app (createDeps): EC2 and CloudWatch in moto, MongoDB-wire stores
// (FerretDB), Redis for the approval timers. A protected instance and a production one are never offered for approval
// without the reason; an instance with a pending approval shows it instead of the button; a dismissed recommendation
// stays hidden in its channel for 30 days (the clock is driven, no sleeps) and the dismissal is audited with its reason.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteVolumeCommand, EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { type AppDeps, createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import { ChatCore } from '../../src/conversation/chat-core.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply, ReplyItem } from '../../src/shared/reply.types.js';
import { testClock } from '../support/approval-fakes.js';
import { dropPrefix, PEOPLE_YAML, SLACK_IDS } from '../support/approval-runtime.js';
import { testDataDir } from '../support/data-dir.js';
import { createVolume, putCpu, runInstance } from '../support/moto.js';
import { RecordingSurface } from '../support/recording-surface.js';
import { awsEndpoint, mongoUrl, redisUrl, uniqueName } from '../support/services.js';

const REGION = 'me-central-1';
const DAY = 86_400_000;
const KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };
const prefix = uniqueName('rec_safety');
const MONGODB_URI = `${mongoUrl()}/${uniqueName('rec_safety')}`;
// High risk has no approvers: a stop of a production instance (medium, one level higher) cannot be approved.
const POLICY = `approvals:
${PEOPLE_YAML}
  risk:
    low: { approvers: [alice], quorum: 1 }
    medium: { approvers: [alice, bob], quorum: 1 }
guardrails:
  protectedTags: ['tally:protected']
  changeWindows:
    - { days: [sat, sun], from: '02:00', to: '06:00', tz: Europe/Berlin }
`;

const clock = testClock(new Date());
let connection: Redis;
let deps: AppDeps;
let core: ChatCore;
const ids = { plain: '', guarded: '', prod: '', kept: '', later: '' };

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  const endpoint = awsEndpoint();
  ids.plain = await runInstance(endpoint, REGION, { instanceType: 't3.large', tags: { Name: 'plain' } });
  ids.guarded = await runInstance(endpoint, REGION, { instanceType: 't3.large', tags: { 'tally:protected': 'yes' } });
  ids.prod = await runInstance(endpoint, REGION, { instanceType: 't3.large', tags: { env: 'prod' } });
  const start = clock.now().getTime();
  const flat = Array.from({ length: 14 * 24 }, (_, h) => ({ at: new Date(start - (h + 1) * 3_600_000), value: 1 }));
  for (const id of [ids.plain, ids.guarded, ids.prod]) await putCpu(endpoint, REGION, id, flat);
  ids.kept = await createVolume(endpoint, REGION, { sizeGiB: 100, volumeType: 'gp2' });
  ids.later = await createVolume(endpoint, REGION, { sizeGiB: 50, volumeType: 'gp2' });
  const policyFile = join(await mkdtemp(join(tmpdir(), 'tally-policy-')), 'policy.yml');
  await writeFile(policyFile, POLICY);
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const config = loadConfig({
    TALLY_DATA_DIR: testDataDir(),
    MONGODB_URI,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: endpoint,
    TALLY_QUEUE_PREFIX: prefix,
    TALLY_POLICY_FILE: policyFile,
  });
  deps = await createDeps(config, { clock, logger: silentLogger, queueConnection: connection });
  core = new ChatCore({
    handleTurn: (turn, hooks) => deps.turns.handle(turn, hooks),
    dedupe: new MemoryDedupeStore(),
    charts: null,
    logger: silentLogger,
    progressAfterMs: 600_000,
    ...(deps.approvals.interactions ? { approvals: deps.approvals.interactions } : {}),
  });
}, 60_000);

afterAll(async () => {
  // moto outlives the run: what this file made is removed, so that a later run lists its own findings first.
  const ec2 = new EC2Client({ region: REGION, endpoint: awsEndpoint(), credentials: KEYS, maxAttempts: 1 });
  const instances = [ids.plain, ids.guarded, ids.prod].filter(Boolean);
  if (instances.length) await ec2.send(new TerminateInstancesCommand({ InstanceIds: instances }));
  for (const VolumeId of [ids.kept, ids.later].filter(Boolean)) await ec2.send(new DeleteVolumeCommand({ VolumeId }));
  ec2.destroy();
  await deps?.close();
  connection?.disconnect();
  await dropPrefix(prefix);
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  await conn.dropDatabase();
  await conn.close();
  vi.unstubAllEnvs();
});

/** What the core answered last on a fresh surface. */
function lastReply(surface: RecordingSurface): Reply {
  const reply = surface.replies().at(-1);
  if (!reply) throw new Error('no reply');
  return reply;
}

/** Types a line as Rita in a Slack channel. */
async function ask(text: string, channel = 'C0OPS'): Promise<Reply> {
  const surface = new RecordingSurface();
  await core.turn({ user: { id: SLACK_IDS.rita }, location: { platform: 'slack', channel }, text }, surface);
  return lastReply(surface);
}

/** Clicks a button of a recommendation as Rita, in the channel of the list. */
async function press(button: { actionId: string; value: string }, channel = 'C0OPS'): Promise<Reply> {
  const surface = new RecordingSurface();
  await core.click(
    {
      actionId: button.actionId,
      value: button.value,
      user: { id: SLACK_IDS.rita },
      location: { platform: 'slack', channel, thread: 'm0' },
      message: { id: 'm0', thread: 'm0' },
    },
    surface,
  );
  return lastReply(surface);
}

const itemOf = (reply: Reply, resourceId: string): ReplyItem | undefined =>
  reply.items?.find((i) => i.title.includes(`${resourceId} `) || i.title.includes(`${resourceId})`));
const buttonsOf = (item: ReplyItem | undefined) => [...(item?.button ? [item.button] : []), ...(item?.buttons ?? [])];
const field = (item: ReplyItem | undefined, label: string) => item?.fields?.find((f) => f.label === label)?.value;
type RecData = { id: string; resourceId: string; approvable?: boolean; cannotBeApproved?: string };
const recsOf = (reply: Reply) => (reply.data as { recommendations: RecData[] }).recommendations;

describe('recommendations apply the guardrails of execution', () => {
  it('leaves the protected instance out with a count, and shows the production one without a Request button, saying why', async () => {
    const reply = await ask(`recommendations in ${REGION} refresh`);
    const listed = recsOf(reply).map((r) => r.resourceId);
    expect(listed).toEqual(expect.arrayContaining([ids.plain, ids.prod, ids.kept, ids.later]));
    expect(listed).not.toContain(ids.guarded);
    // moto is shared: count the protected findings `recommendations all` lists (ours among them) rather than assume one.
    const all = recsOf(await ask(`recommendations all in ${REGION}`));
    const guarded = all.filter((r) => r.cannotBeApproved === 'carries the protected tag tally:protected');
    expect(guarded.map((r) => r.resourceId)).toContain(ids.guarded);
    expect(reply.context).toContain(
      `${guarded.length} hidden: protected (tally:protected); Tally never touches them (show with \`recommendations all\`)`,
    );
    expect(reply.context).toContain(
      'Change windows: Sat, Sun 02:00–06:00 Europe/Berlin; an approval outside them runs when the next one opens',
    );

    const prod = itemOf(reply, ids.prod);
    expect(field(prod, 'Risk')).toBe('high');
    expect(field(prod, 'Cannot be approved')).toBe(
      'no approvers for high-risk actions (tagged as production: one level higher); add them under approvals.risk.high in the policy file',
    );
    expect(buttonsOf(prod).map((b) => b.actionId)).not.toContain(ACTIONS.REQUEST_APPROVAL);
    const plain = itemOf(reply, ids.plain);
    expect(plain?.button).toMatchObject({ actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval' });
    expect(buttonsOf(plain).map((b) => b.label)).toEqual(['Request approval', 'Dismiss', 'Snooze 30 days']);

    // What the list says is what a proposal meets: both are refused, for the reason shown.
    const refusedProd = await ask(`propose stop ${ids.prod} in ${REGION} because idle`);
    expect(refusedProd.title).toBe('No approvers configured');
    const refusedGuarded = await ask(`propose stop ${ids.guarded} in ${REGION} because idle`);
    expect(refusedGuarded.title).toBe('Protected');
  });

  it('shows the protected instance in `recommendations all`, marked and without a Request button', async () => {
    const reply = await ask(`recommendations all in ${REGION}`);
    const guarded = itemOf(reply, ids.guarded);
    expect(field(guarded, 'Cannot be approved')).toBe('carries the protected tag tally:protected');
    expect(buttonsOf(guarded).map((b) => b.actionId)).not.toContain(ACTIONS.REQUEST_APPROVAL);
    expect(recsOf(reply).find((r) => r.resourceId === ids.guarded)).toMatchObject({ approvable: false });
  });

  it('shows a pending approval on the resource instead of the Request button', async () => {
    const before = await ask(`recommendations in ${REGION}`);
    const proposed = await press(itemOf(before, ids.plain)!.button!);
    const approvalId = (proposed.data as { id?: string } | undefined)?.id;
    expect(approvalId, `${proposed.title}: ${proposed.text}`).toMatch(/^apr_/);

    const after = await ask(`recommendations in ${REGION}`);
    const plain = itemOf(after, ids.plain);
    expect(field(plain, 'Action')).toBe(`pending approval ${approvalId}, requested by Rita Requester just now`);
    expect(plain?.button).toEqual({
      actionId: ACTIONS.RUN_COMMAND,
      label: `Show ${approvalId}`,
      value: `approval ${approvalId}`,
    });
    expect(recsOf(after).find((r) => r.resourceId === ids.plain)).toMatchObject({ approvable: false });
  });
});

describe('dismiss and snooze', () => {
  it('hides a dismissed recommendation in its channel for 30 days, audited with its reason, and shows it after', async () => {
    const first = await ask(`recommendations in ${REGION}`);
    const kept = recsOf(first).find((r) => r.resourceId === ids.kept)!;
    const dismissed = await ask(`dismiss ${kept.id} because kept for the disaster-recovery drill`);
    expect(dismissed.title).toBe(`Dismissed ${kept.id}`);
    const dismissedAt = clock.now().getTime();

    const hidden = await ask(`recommendations in ${REGION}`);
    expect(recsOf(hidden).map((r) => r.resourceId)).not.toContain(ids.kept);
    expect(hidden.context).toContain('1 dismissed or snoozed (show with `recommendations all`)');
    // Another channel still sees it.
    expect(recsOf(await ask(`recommendations in ${REGION}`, 'C0OTHER')).map((r) => r.resourceId)).toContain(ids.kept);
    // `recommendations all` shows it marked, with a button to bring it back.
    const all = await ask(`recommendations all in ${REGION}`);
    const item = itemOf(all, ids.kept);
    expect(field(item, 'Dismissed')).toBe(
      `by rita until ${new Date(dismissedAt + 30 * DAY).toISOString().slice(0, 10)}: kept for the disaster-recovery drill`,
    );
    expect(buttonsOf(item)).toEqual([
      { actionId: ACTIONS.RUN_COMMAND, label: 'Undismiss', value: `undismiss ${kept.id}` },
    ]);

    const entry = (await deps.stores.audit.list({})).find((e) => e.event === 'recommendation.dismissed');
    expect(entry).toMatchObject({
      kind: 'recommendation',
      actor: 'rita',
      why: 'kept for the disaster-recovery drill',
      data: { target: kept.id, conversation: 'slack:C0OPS', kind: 'dismissed' },
    });

    clock.set(new Date(dismissedAt + 30 * DAY - 60_000));
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).not.toContain(ids.kept);
    clock.set(new Date(dismissedAt + 30 * DAY));
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).toContain(ids.kept);
  });

  it('snoozes with the button for 30 days and by resource id for the days typed; undismiss brings it back', async () => {
    const list = await ask(`recommendations in ${REGION}`);
    const snooze = buttonsOf(itemOf(list, ids.later)).find((b) => b.label === 'Snooze 30 days')!;
    const snoozed = await press(snooze);
    expect(snoozed.title).toMatch(/^Snoozed rec_/);
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).not.toContain(ids.later);

    // Brought back, then snoozed by its resource id for the days typed.
    expect((await ask(`undismiss ${(snoozed.data as { target: string }).target}`)).title).toContain('is back');
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).toContain(ids.later);
    await ask(`snooze ${ids.later} 3d because waiting for the migration`);
    const at = clock.now().getTime();
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).not.toContain(ids.later);
    clock.set(new Date(at + 3 * DAY));
    expect(recsOf(await ask(`recommendations in ${REGION}`)).map((r) => r.resourceId)).toContain(ids.later);
    const events = (await deps.stores.audit.list({})).map((e) => e.event);
    expect(events.filter((e) => e.startsWith('recommendation.'))).toEqual([
      'recommendation.dismissed',
      'recommendation.snoozed',
      'recommendation.undismissed',
      'recommendation.snoozed',
    ]);
  });
});
