// The agent proposes at most once per turn (docs/architecture.md#votes-and-compare-and-set): the real TurnHandler,
// with a stand-in for the model that calls the propose tool's path (`run(command)`) as often as it likes, and the
// real approval commands on the in-process approval core.
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/commands/command.types.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import type { FreeTextHandler } from '../../../src/conversation/handle-turn.service.js';
import { TurnHandler } from '../../../src/conversation/handle-turn.service.js';
import { ApprovalCommandService } from '../../../src/conversation/run-approval-command.js';
import { CommandService } from '../../../src/conversation/run-command.js';
import type { Turn } from '../../../src/conversation/turn.types.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import {
  type ApprovalCore,
  createApprovalCore,
  OPS_CHANNEL,
  PEOPLE,
  REGION,
  resources,
} from '../../support/approval-core.js';
import { testCostRepository } from '../../support/cost-store.js';

const INSTANCES = ['i-0ccccccccccccccc1', 'i-0ccccccccccccccc2', 'i-0ccccccccccccccc3'];

function proposeCommand(instance: string): Command {
  const parsed = parseCommand(`propose stop ${instance} in ${REGION} because idle for two weeks`);
  if (!parsed.ok) throw new Error(`the test's command does not parse: ${JSON.stringify(parsed)}`);
  return parsed.command;
}

/** A turn handler whose "agent" runs `plan` with the turn's run function; returns the handler and what plan saw. */
async function handlerWith(core: ApprovalCore, plan: (run: (c: Command) => Promise<Reply>) => Promise<Reply[]>) {
  const query = new CostQueryService(await testCostRepository());
  const commands = new CommandService({
    costs: query,
    forecast: new ForecastService(query),
    clock: core.clock,
    status: async () => ({ store: 'memory', dataRange: null, imports: [], notes: [] }),
  });
  const approvalCommands = new ApprovalCommandService(
    { approvals: core.service, recommendations: null, savings: null, unavailable: 'not in this test' },
    core.clock,
  );
  const seen: Reply[][] = [];
  const agent: FreeTextHandler = async (_turn, run) => {
    const replies = await plan(run);
    seen.push(replies);
    return { kind: 'answer', title: 'done', text: `${replies.length} tool calls`, visibility: 'channel' };
  };
  const turns = new TurnHandler(
    commands,
    silentLogger,
    agent,
    () => undefined,
    (c, t, s) => approvalCommands.run(c, t, s),
  );
  return { turns, seen };
}

const turn = (text: string): Turn => ({
  user: { id: PEOPLE.rita.slack },
  location: { platform: 'slack', channel: OPS_CHANNEL },
  text,
});

const createdIds = (replies: Reply[]) =>
  replies
    .map((r) => r.data as { id?: string; duplicate?: boolean; reason?: string } | undefined)
    .filter((d) => typeof d?.id === 'string' && !d.duplicate)
    .map((d) => d!.id);

const refusedPerTurn = (replies: Reply[]) =>
  replies.filter((r) => (r.data as { reason?: string } | undefined)?.reason === 'ONE_PROPOSAL_PER_TURN').length;

describe('the agent in one turn', () => {
  it('creates one approval from 30 proposals of one instance made at once, and is told why the others failed', async () => {
    const core = createApprovalCore();
    for (const id of INSTANCES) core.cloud.put(resources.instance(id));
    const { turns, seen } = await handlerWith(core, (run) =>
      Promise.all(Array.from({ length: 30 }, () => run(proposeCommand(INSTANCES[0]!)))),
    );
    await turns.handle(turn('stop that idle instance, please'));
    const replies = seen[0]!;
    expect(createdIds(replies)).toHaveLength(1);
    expect(refusedPerTurn(replies)).toBe(29);
    expect(await core.approvals.list({ states: ['PENDING'] })).toHaveLength(1);
  });

  it('creates one approval when it proposes three instances one after another', async () => {
    const core = createApprovalCore();
    for (const id of INSTANCES) core.cloud.put(resources.instance(id));
    const { turns, seen } = await handlerWith(core, async (run) => {
      const replies: Reply[] = [];
      for (const id of INSTANCES) replies.push(await run(proposeCommand(id)));
      return replies;
    });
    await turns.handle(turn('stop all three'));
    const replies = seen[0]!;
    const created = createdIds(replies);
    expect(created).toHaveLength(1);
    expect(refusedPerTurn(replies)).toBe(INSTANCES.length - 1);
    const pending = await core.approvals.list({ states: ['PENDING'] });
    expect(pending.map((a) => [a.id, a.action.target.resourceId])).toEqual([[created[0], INSTANCES[0]]]);
  });

  it('keeps its one proposal when a proposal created nothing, and gets a new one in the next turn', async () => {
    const core = createApprovalCore();
    core.cloud.put(resources.instance(INSTANCES[1]!));
    core.cloud.put(resources.instance(INSTANCES[2]!));
    // INSTANCES[0] does not exist: that proposal is answered "not found" and creates nothing.
    const { turns, seen } = await handlerWith(core, async (run) => [
      await run(proposeCommand(INSTANCES[0]!)),
      await run(proposeCommand(INSTANCES[1]!)),
      await run(proposeCommand(INSTANCES[2]!)),
    ]);
    await turns.handle(turn('stop them'));
    expect(seen[0]!.map((r) => r.title)).toEqual([
      'Not found',
      expect.stringMatching(/^Approval apr_\w+ requested$/),
      'One proposal per turn',
    ]);
    await turns.handle(turn('and the other one'));
    // The next turn: the first two are answered (not found, a duplicate of the pending one), the third is created.
    expect(seen[1]!.map((r) => (r.data as { duplicate?: boolean } | undefined)?.duplicate ?? false)).toEqual([
      false,
      true,
      false,
    ]);
    expect(createdIds(seen[1]!)).toHaveLength(1);
    expect(await core.approvals.list({ states: ['PENDING'] })).toHaveLength(2);
  });
});
