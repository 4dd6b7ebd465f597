import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, HumanMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { FreeTextHandler } from '../conversation/handle-turn.service.js';
import type { TurnLocation } from '../conversation/turn.types.js';
import type { Clock } from '../shared/clock.js';
import type { Day } from '../shared/day.js';
import { dayOf } from '../shared/day.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import { buildAgentGraph } from './agent.graph.js';
import { createCostTools } from './agent-tools.js';
import { checkNumbers } from './number-guard.js';
import { renderPrompt } from './prompt-loader.js';

export interface AgentServiceDeps {
  model: BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  dataRange: () => Promise<{ from: Day; to: Day } | null>;
  clock: Clock;
  logger: Logger;
  /** Answers when the model cannot (timeouts, errors): the deterministic fast path. */
  fallback: FreeTextHandler;
  /** @defaultValue 6 tool rounds per turn */
  maxToolRounds?: number;
  /** The month the fiscal year starts (`TALLY_FISCAL_YEAR_START`), for period phrases. @defaultValue 1 */
  fiscalYearStart?: number;
}

/**
 * One conversation per thread: platform, workspace, channel, thread
 * (docs/architecture.md#a-question-end-to-end).
 */
function threadIdOf(l: TurnLocation): string {
  return [l.platform, l.workspace ?? '-', l.channel ?? '-', l.thread ?? '-'].join(':');
}

/**
 * Free text through the LangGraph agent. The model writes prose; the figures come from tool results, which are shown
 * as tables, and any figure in the prose that no tool produced replaces the prose with the tool-derived answer.
 */
export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  readonly handle: FreeTextHandler = async (turn, run, hooks) => {
    const replies: Reply[] = [];
    const range = await this.deps.dataRange();
    const today = dayOf(this.deps.clock.now());
    const systemPrompt = await renderPrompt('system', {
      today,
      dataFrom: range?.from ?? 'none',
      dataTo: range?.to ?? 'none',
    });
    const graph = buildAgentGraph({
      model: this.deps.model,
      tools: createCostTools({
        run,
        replies,
        today,
        fiscalYearStart: this.deps.fiscalYearStart ?? 1,
        ...(hooks?.onProgress ? { progress: hooks.onProgress } : {}),
      }),
      systemPrompt,
      checkpointer: this.deps.checkpointer,
    });
    let last: AIMessage;
    try {
      const rounds = this.deps.maxToolRounds ?? 6;
      const state = await graph.invoke(
        { messages: [new HumanMessage(turn.text)] },
        { configurable: { thread_id: threadIdOf(turn.location) }, recursionLimit: 2 * rounds + 1 },
      );
      last = state.messages[state.messages.length - 1] as AIMessage;
    } catch (err) {
      this.deps.logger.warn({ err, platform: turn.location.platform }, 'agent failed; answering with the fast path');
      const fallback = await this.deps.fallback(turn, run);
      return {
        ...fallback,
        context: [
          ...(fallback.context ?? []),
          'The language model did not answer in time; this answer comes without it.',
        ],
      };
    }
    const text = textOf(last);
    const check = checkNumbers(
      text,
      replies.map((r) => r.data),
    );
    this.deps.logger.info(
      { usage: last.usage_metadata, thread: threadIdOf(turn.location), unverified: check.unknown },
      'agent turn',
    );
    return answerFrom(text, replies);
  };
}

function textOf(m: AIMessage): string {
  if (typeof m.content === 'string') return m.content;
  return m.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
}

/** The reply: the model's prose if every figure in it checks out, else the figures from the tools with a note. */
function answerFrom(text: string, replies: Reply[]): Reply {
  const shown = replies[replies.length - 1];
  const check = checkNumbers(
    text,
    replies.map((r) => r.data),
  );
  const prose = check.ok
    ? text
    : `${shown ? 'Here are the figures from the cost data.' : 'I could not find figures for that in the cost data.'} ` +
      '(The draft answer had a figure that did not match the data, so it is not shown.)';
  return {
    kind: 'answer',
    title: shown?.title ?? 'Answer',
    text: prose,
    ...(shown?.fields ? { fields: shown.fields } : {}),
    ...(shown?.tables ? { tables: shown.tables } : {}),
    ...(shown?.chart ? { chart: shown.chart } : {}),
    ...(shown?.context ? { context: shown.context } : {}),
    ...(shown?.footnote ? { footnote: shown.footnote } : {}),
    data: { answer: prose, results: replies.map((r) => r.data) },
    visibility: 'channel',
  };
}
