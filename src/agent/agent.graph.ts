import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type BaseMessage, SystemMessage, trimMessages } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { type BaseCheckpointSaver, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';

/** How many messages of history the model sees (the checkpointer keeps all). */
export const HISTORY_MESSAGES = 40;

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
      maxTokens: HISTORY_MESSAGES,
      tokenCounter: (msgs) => msgs.length,
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
