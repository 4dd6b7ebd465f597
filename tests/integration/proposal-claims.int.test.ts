import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoApprovalRepository } from '../../adapters/mongo/mongo-approval.repository.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import {
  ACCOUNT,
  type ApprovalCore,
  createApprovalCore,
  OPS_CHANNEL,
  REGION,
  resources,
  slackUser,
} from '../support/approval-core.js';
import { mongoUrl, uniqueName } from '../support/services.js';

// Issue 13, item 2: no proposal duplicates a pending one, across processes too. Two approval cores stand for two
// Tally processes: each has its own MongoDB connection to the same database (FerretDB), its own in-process queue of
// proposals, and proposes the same action on the same instance at the same moment.
const DB = uniqueName('claims');
let conns: Connection[] = [];

beforeAll(async () => {
  conns = await Promise.all([0, 1].map(() => createMongoConnection({ uri: mongoUrl(), dbName: DB })));
});

afterAll(async () => {
  await conns[0]?.dropDatabase();
  await Promise.all(conns.map((c) => c.close()));
});

async function twoProcesses(): Promise<[ApprovalCore, ApprovalCore]> {
  const [a, b] = await Promise.all(conns.map((c) => MongoApprovalRepository.create(c)));
  return [createApprovalCore({ approvals: a! }), createApprovalCore({ approvals: b! })];
}

function propose(core: ApprovalCore, instance: string, who: 'rita' | 'alice' | 'bob' | 'carol' | 'dave') {
  core.cloud.put(resources.instance(instance));
  return core.service.propose({
    requester: slackUser(who),
    origin: { platform: 'slack', channel: OPS_CHANNEL },
    kind: 'stop_instance',
    resourceId: instance,
    region: REGION,
    reason: 'idle for two weeks',
  });
}

describe('proposals across processes', () => {
  it('of the same action on the same instance at once create one approval; the others answer with its id', async () => {
    const [one, two] = await twoProcesses();
    const instance = 'i-0c1a1a1a1a1a1a101';
    const people = ['rita', 'alice', 'bob', 'carol', 'dave'] as const;
    const replies = await Promise.all(
      people.flatMap((who) => [propose(one, instance, who), propose(two, instance, who)]),
    );
    const pending = (await one.approvals.list({ states: ['PENDING'], limit: 100 })).filter(
      (a) => a.action.target.resourceId === instance,
    );
    expect(pending).toHaveLength(1);
    const ids = new Set(replies.map((r) => (r.data as { id: string }).id));
    expect([...ids]).toEqual([pending[0]!.id]);
    expect(replies.filter((r) => (r.data as { duplicate?: boolean }).duplicate)).toHaveLength(replies.length - 1);
  });

  it('may propose again in the other process once the pending one is decided, and over a claim left by a crash', async () => {
    const [one, two] = await twoProcesses();
    const instance = 'i-0c1a1a1a1a1a1a102';
    const first = (await propose(one, instance, 'rita')).data as { id: string };
    await one.vote(first.id, slackUser('bob'), 'reject', 'not this week');
    const second = (await propose(two, instance, 'rita')).data as { id: string; duplicate?: boolean };
    expect(second.duplicate).toBeUndefined();
    expect(second.id).not.toBe(first.id);
    // A process that claimed and died before creating its approval leaves a claim naming no approval.
    const other = 'i-0c1a1a1a1a1a1a103';
    await one.approvals.claim(`stop_instance|${ACCOUNT}|${REGION}|${other}`, 'apr_neverborn');
    const third = (await propose(two, other, 'rita')).data as { id: string; duplicate?: boolean };
    expect(third.duplicate).toBeUndefined();
    expect((await two.get(third.id)).state).toBe('PENDING');
  });
});
