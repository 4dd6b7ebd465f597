import type { CommandService } from '../commands/command.service.js';
import type { ApprovalCommand, Command, DigestCommand } from '../commands/command.types.js';
import { APPROVAL_COMMAND_KINDS } from '../commands/command.types.js';
import { helpReply } from '../commands/help.js';
import { parseCommand } from '../commands/parse-command.js';
import type { ChannelScope } from '../costs/channel-scope.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { Turn, TurnLocation } from './turn.types.js';

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
export type DigestCommandRunner = (command: DigestCommand, turn: Turn, scope?: ChannelScope) => Promise<Reply>;

/** Runs the approval commands (they need the turn: who votes, where the request is posted). */
export type ApprovalCommandRunner = (command: ApprovalCommand, turn: Turn, scope?: ChannelScope) => Promise<Reply>;

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
    private readonly scopeOf: (location: TurnLocation) => ChannelScope | undefined = () => undefined,
    private readonly approvalCommands?: ApprovalCommandRunner,
    private readonly digestCommands?: DigestCommandRunner,
  ) {}

  private runApproval(command: ApprovalCommand, turn: Turn, scope?: ChannelScope): Promise<Reply> {
    if (!this.approvalCommands)
      return Promise.resolve({
        kind: 'notice',
        title: 'Approvals are not available here',
        text: 'Recommendations and approvals need Redis (REDIS_URL) and AWS credentials; see the README.',
        visibility: 'ephemeral',
      });
    return this.approvalCommands(command, turn, scope);
  }

  private runDigest(command: DigestCommand, turn: Turn, scope?: ChannelScope): Promise<Reply> {
    if (!this.digestCommands)
      return Promise.resolve({
        kind: 'notice',
        title: 'Digests are not available here',
        text: 'Scheduled digests need Redis (REDIS_URL); see the README.',
        visibility: 'ephemeral',
      });
    return this.digestCommands(command, turn, scope);
  }

  async handle(turn: Turn, hooks: TurnHooks = {}): Promise<Reply> {
    try {
      const parsed = parseCommand(turn.text);
      const charts = turn.location.platform === 'slack' || turn.location.platform === 'teams';
      const scope = this.scopeOf(turn.location);
      const run = (command: Command) => this.commands.run(command, scope, { charts });
      if (parsed.ok) {
        if (isApprovalCommand(parsed.command)) return await this.runApproval(parsed.command, turn, scope);
        if (parsed.command.kind === 'digest') return await this.runDigest(parsed.command, turn, scope);
        return await run(parsed.command);
      }
      if (parsed.reason === 'EMPTY') return helpReply();
      if (parsed.reason === 'INVALID') return helpReply(parsed.topic, parsed.message);
      // Free text (the agent) may run cost commands and propose actions, never vote, cancel or approve.
      const agentRun = (command: Command) =>
        command.kind === 'digest'
          ? this.runDigest({ kind: 'digest', action: 'show' }, turn, scope)
          : !isApprovalCommand(command)
            ? run(command)
            : command.kind === 'propose'
              ? this.runApproval({ ...command, viaAgent: true }, turn, scope)
              : command.kind === 'recommendations'
                ? this.runApproval(command, turn, scope)
                : Promise.resolve(
                    helpReply('approvals', 'Votes are cast by people, with the buttons or `approve <id>`.'),
                  );
      return await this.freeText(turn, agentRun, hooks);
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
