import type { ApprovalCommand, BudgetCommand, Command, DigestCommand } from '../commands/command.types.js';
import { APPROVAL_COMMAND_KINDS } from '../commands/command.types.js';
import { helpReply } from '../commands/help.js';
import { parseCommand } from '../commands/parse-command.js';
import type { ViewScope } from '../costs/view-scope.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { CommandService } from './run-command.js';
import type { Turn } from './turn.types.js';

/**
 * Answers free text that is not a command. The agent plugs in here. `run` runs a command the way the turn's
 * commands run (channel scope, charts), so every figure comes from the command services.
 */
export type FreeTextHandler = (
  turn: Turn,
  run: (command: Command) => Promise<Reply>,
  hooks?: TurnHooks,
) => Promise<Reply>;

/** Callbacks an adapter may pass with a turn. */
export interface TurnHooks {
  /** Short status while work is under way ("querying costs by service…"), e.g. to update a "working on it" message. */
  onProgress?: (status: string) => void;
}

/** Runs `digest …` for the turn's channel. */
export type DigestCommandRunner = (command: DigestCommand, turn: Turn, scope?: ViewScope) => Promise<Reply>;

/** Runs the approval commands (they need the turn: who votes, where the request is posted). */
export type ApprovalCommandRunner = (command: ApprovalCommand, turn: Turn, scope?: ViewScope) => Promise<Reply>;

/** Runs `budget …` (docs/budgets.md#commands). */
export type BudgetCommandRunner = (command: BudgetCommand, turn: Turn, scope?: ViewScope) => Promise<Reply>;

/** Runs `access` and `access all` (who may see what). */
export type AccessCommandRunner = (command: { all: boolean }, turn: Turn) => Promise<Reply>;

/** A line that starts like a command: a malformed one gets usage help rather than a guess. */
const COMMAND_START =
  /^\s*\/?(cost|billed|list|effective|top|compare|forecast|anomalies|digest|status|help|approvals?|approve|reject|cancel|undo|propose|recommendations|savings|access|budgets?|dismiss|snooze|undismiss|unsnooze)\b/i;

/** The agent's proposal in one turn: none yet, one under way, or one made. */
interface ProposalsOfTurn {
  state: 'none' | 'busy' | 'done';
}

const NO_AGENT: FreeTextHandler = async () => ({
  ...helpReply(),
  kind: 'notice',
  title: 'I answer cost commands for now',
});

/**
 * The one use case every adapter calls: commands first, free text to the agent. It never throws: an unexpected
 * failure is logged with an error id and answered with a short apology carrying that id.
 */
export class TurnHandler {
  constructor(
    private readonly commands: CommandService,
    private readonly logger: Logger,
    private readonly freeText: FreeTextHandler = NO_AGENT,
    private readonly scopeOf: (turn: Turn) => ViewScope | undefined | Promise<ViewScope | undefined> = () => undefined,
    private readonly approvalCommands?: ApprovalCommandRunner,
    private readonly digestCommands?: DigestCommandRunner,
    private readonly accessCommands?: AccessCommandRunner,
    private readonly budgetCommands?: BudgetCommandRunner,
  ) {}

  private runApproval(command: ApprovalCommand, turn: Turn, scope?: ViewScope): Promise<Reply> {
    if (!this.approvalCommands)
      return Promise.resolve({
        kind: 'notice',
        title: 'Approvals are not available here',
        text: 'Recommendations and approvals need Redis (REDIS_URL) and AWS credentials; see the README.',
        visibility: 'ephemeral',
      });
    return this.approvalCommands(command, turn, scope);
  }

  private runDigest(command: DigestCommand, turn: Turn, scope?: ViewScope): Promise<Reply> {
    if (!this.digestCommands)
      return Promise.resolve({
        kind: 'notice',
        title: 'Digests are not available here',
        text: 'Scheduled digests need Redis (REDIS_URL); see the README.',
        visibility: 'ephemeral',
      });
    return this.digestCommands(command, turn, scope);
  }

  /**
   * The one dispatch of every command kind, whoever asked (a person's turn, a button, the agent): approval commands
   * to the approval runner, `digest …` to the digest subscriptions, every cost command to the command service, with
   * the viewer's scope (channel and person). The agent may run cost commands, list recommendations, propose actions and show digests;
   * votes, cancellations, undos and approvals through it are refused.
   */
  private async dispatch(
    command: Command,
    turn: Turn,
    via: 'person' | 'agent',
    proposals?: ProposalsOfTurn,
  ): Promise<Reply> {
    if (command.kind === 'access')
      return via === 'person' && this.accessCommands ? this.accessCommands(command, turn) : helpReply('access');
    const scope = await this.scopeOf(turn);
    if (command.kind === 'budget') {
      if (!this.budgetCommands) return helpReply('budget', 'Budgets are not set up in this process.');
      // The agent may read budgets; setting, removing them and requesting changes is for people.
      const readOnly =
        via === 'agent' && (command.action === 'set' || command.action === 'remove' || command.action === 'request');
      return readOnly
        ? helpReply(
            'budget',
            'Budgets are set, removed and changed by people, with `budget set …`, `budget remove …` and `budget request …`.',
          )
        : this.budgetCommands(command, turn, scope);
    }
    if (command.kind === 'digest')
      return this.runDigest(via === 'agent' ? { kind: 'digest', action: 'show' } : command, turn, scope);
    if (!isApprovalCommand(command)) {
      const charts = turn.location.platform === 'slack' || turn.location.platform === 'teams';
      return this.commands.run(command, scope, { charts });
    }
    if (via === 'person' || command.kind === 'recommendations') return this.runApproval(command, turn, scope);
    if (command.kind === 'propose') return this.agentProposal(command, turn, scope, proposals);
    if (command.kind === 'undo')
      return helpReply('approvals', 'Undo is for people, with the Undo button or `undo <approval id>`.');
    return helpReply('approvals', 'Votes are cast by people, with the buttons or `approve <id>`.');
  }

  /**
   * The agent proposes at most once per turn (docs/architecture.md#votes-and-compare-and-set): a second proposal,
   * or one while the first is under way (tools may run in parallel), is refused; a proposal that created nothing
   * (not found, a duplicate, out of scope) leaves the turn's one proposal unused.
   */
  private async agentProposal(
    command: Extract<ApprovalCommand, { kind: 'propose' }>,
    turn: Turn,
    scope: ViewScope | undefined,
    proposals: ProposalsOfTurn = { state: 'none' },
  ): Promise<Reply> {
    if (proposals.state !== 'none')
      return {
        kind: 'notice',
        title: 'One proposal per turn',
        text: 'This turn has already proposed an action. Ask again to propose another one.',
        data: { proposed: false, reason: 'ONE_PROPOSAL_PER_TURN' },
        visibility: 'ephemeral',
      };
    proposals.state = 'busy';
    let created = false;
    try {
      const reply = await this.runApproval({ ...command, viaAgent: true }, turn, scope);
      const data = reply.data as { id?: unknown; duplicate?: unknown } | undefined;
      created = typeof data?.id === 'string' && data.duplicate !== true;
      return reply;
    } finally {
      proposals.state = created ? 'done' : 'none';
    }
  }

  async handle(turn: Turn, hooks: TurnHooks = {}): Promise<Reply> {
    try {
      const parsed = parseCommand(turn.text);
      if (parsed.ok) return await this.dispatch(parsed.command, turn, 'person');
      if (parsed.reason === 'EMPTY') return helpReply();
      // A sentence the grammar half-read ("last month by acount please") goes to free text; a command gets usage.
      if (parsed.reason === 'INVALID' && COMMAND_START.test(turn.text)) return helpReply(parsed.topic, parsed.message);
      const proposals: ProposalsOfTurn = { state: 'none' };
      return await this.freeText(turn, (command) => this.dispatch(command, turn, 'agent', proposals), hooks);
    } catch (err) {
      const errorId = newId('err');
      this.logger.error({ err, errorId, platform: turn.location.platform, user: turn.user.id }, 'turn failed');
      return {
        kind: 'error',
        title: 'Sorry, something went wrong',
        text: `Tally could not answer that. If it keeps happening, give your admin this error id: ${errorId}.`,
        visibility: 'ephemeral',
        errorId,
      };
    }
  }
}

function isApprovalCommand(command: Command): command is ApprovalCommand {
  return APPROVAL_COMMAND_KINDS.has(command.kind);
}
