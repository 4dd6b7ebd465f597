import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type BaseMessage, SystemMessage, trimMessages } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { type BaseCheckpointSaver, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';

/**
 * The history the model sees, in tokens (the checkpointer keeps everything). Tokens are estimated at four characters
 * each, which is close for English and JSON and needs no tokenizer download.
 */
const HISTORY_TOKEN_BUDGET = 12_000;

function estimateTokens(messages: BaseMessage[]): number {
  let chars = 0;
  for (const m of messages)
    chars += (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)).length + 16;
  return Math.ceil(chars / 4);
}

/**
 * The agent: the model decides, tools answer, until the model has an answer. Reads like its diagram:
 * START → agent ⇄ tools → END. The system prompt is put in front on every call, never stored.
 */
export function buildAgentGraph(p: {
  model: BaseChatModel;
  tools: StructuredToolInterface[];
  systemPrompt: string;
  checkpointer: BaseCheckpointSaver;
}) {
  const bound = p.model.bindTools?.(p.tools) ?? p.model;
  const agent = async (state: typeof MessagesAnnotation.State) => {
    const history: BaseMessage[] = await trimMessages(state.messages, {
      maxTokens: HISTORY_TOKEN_BUDGET,
      tokenCounter: estimateTokens,
      strategy: 'last',
      startOn: 'human',
      includeSystem: false,
    });
    return { messages: [await bound.invoke([new SystemMessage(p.systemPrompt), ...history])] };
  };
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', agent)
    .addNode('tools', new ToolNode(p.tools, { handleToolErrors: true }))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', toolsCondition, ['tools', END])
    .addEdge('tools', 'agent')
    .compile({ checkpointer: p.checkpointer });
}
