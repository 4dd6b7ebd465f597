// The agent cannot undo (docs/architecture.md#undo): the real TurnHandler with a stand-in for the model that runs
// `undo <id>` through the turn's run function, and the real approval commands and UndoService on the in-process
// approval core, whose fake cloud records every call.
import { describe, expect, it } from 'vitest';
import { UndoService } from '../../../src/approvals/undo/undo.service.js';
import type { UndoCloud } from '../../../src/approvals/undo/undo-cloud.port.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import type { FreeTextHandler } from '../../../src/conversation/handle-turn.service.js';
import { TurnHandler } from '../../../src/conversation/handle-turn.service.js';
import { ApprovalCommandService } from '../../../src/conversation/run-approval-command.js';
import { CommandService } from '../../../src/conversation/run-command.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { createApprovalCore, OPS_CHANNEL, PEOPLE, resources } from '../../support/approval-core.js';
import { testCostRepository } from '../../support/cost-store.js';

const NO_UNDO_CLOUD: UndoCloud = {
  volumeDetails: async () => null,
  createVolume: async () => 'vol-never',
  findVolume: async () => null,
  attachVolume: async () => undefined,
  recoverAddress: async () => 'eipalloc-never',
};

describe('the agent', () => {
  it('is refused undo <id>, and a person may undo the same approval', async () => {
    const core = createApprovalCore();
    const id = await core.propose('stop_instance', resources.instance('i-0ddddddddddddddd1'));
    // The executed stop as the executor leaves it, with its undo recorded.
    const approval = (await core.approvals.get(id))!;
    await core.approvals.update({
      ...approval,
      version: approval.version + 1,
      state: 'SUCCEEDED',
      undo: {
        plan: { kind: 'start_instance' },
        recordedAt: core.clock.now().toISOString(),
        requestedBy: [],
        steps: [],
      },
    });
    core.cloud.put(resources.instance('i-0ddddddddddddddd1', 't3.large', 'stopped'));
    const undo = new UndoService({
      approvals: core.approvals,
      policy: core.policy,
      cloud: core.cloud,
      undoCloud: NO_UNDO_CLOUD,
      messages: core.messages,
      outcomes: core.outcomes,
      audit: (e) => core.auditLog.append({ id: `aud_${Math.random()}`, at: core.clock.now().toISOString(), ...e }),
      clock: core.clock,
      logger: silentLogger,
      undoDays: 7,
    });
    const approvalCommands = new ApprovalCommandService(
      { approvals: core.service, recommendations: null, savings: null, undo, unavailable: 'not in this test' },
      core.clock,
    );
    const query = new CostQueryService(await testCostRepository());
    const commands = new CommandService({
      costs: query,
      forecast: new ForecastService(query),
      clock: core.clock,
      status: async () => ({ store: 'memory', dataRange: null, imports: [], notes: [] }),
    });
    let agentSaw: Reply | undefined;
    const agent: FreeTextHandler = async (_turn, run) => {
      const parsed = parseCommand(`undo ${id}`);
      if (!parsed.ok) throw new Error('undo does not parse');
      agentSaw = await run(parsed.command);
      return { kind: 'answer', title: 'done', text: 'tried', visibility: 'channel' };
    };
    const turns = new TurnHandler(
      commands,
      silentLogger,
      agent,
      () => undefined,
      (c, t, s) => approvalCommands.run(c, t, s),
    );
    const asker = { user: { id: PEOPLE.rita.slack }, location: { platform: 'slack' as const, channel: OPS_CHANNEL } };

    await turns.handle({ ...asker, text: 'please undo that stop for me' });
    expect(agentSaw?.text).toMatch(/Undo is for people/);
    const startsBefore = core.cloud.calls.filter((c) => c.op === 'startInstance').length;
    expect(startsBefore).toBe(0);
    expect((await core.auditLog.list({ approvalId: id })).some((e) => e.event.startsWith('undo.'))).toBe(false);

    const reply = await turns.handle({ ...asker, text: `undo ${id}` });
    expect(reply.data).toMatchObject({ id, undone: true });
    expect(core.cloud.calls.filter((c) => c.op === 'startInstance')).toHaveLength(1);
  });
});
