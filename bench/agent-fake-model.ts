/**
 * A chat model for the agent benchmark that answers instantly in process: on a turn's first call it asks for one tool
 * call (`query_costs` by default, with the given structured-query arguments), and once the last message is the tool's
 * result it answers with prose (no figures, so the number check passes). Stateless on purpose: `fakeModel()` from `@langchain/core/testing` keeps every call's messages
 * (and a FIFO queue that never shrinks), which would count as memory of the conversations.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export class InstantToolModel extends BaseChatModel {
  private seq = 0;
  calls = 0;

  constructor(
    private readonly toolArgs: Record<string, unknown>,
    private readonly toolName = 'query_costs',
  ) {
    super({});
  }

  _llmType(): string {
    return 'bench-instant';
  }

  /** Tools are not needed to script the answers: the bound model is this one. */
  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls++;
    const last = messages[messages.length - 1];
    const message =
      last?.getType() === 'tool'
        ? new AIMessage({ content: 'Compute is where most of last month’s spend went; the table has the breakdown.' })
        : new AIMessage({
            content: '',
            tool_calls: [{ name: this.toolName, args: this.toolArgs, id: `call_${++this.seq}`, type: 'tool_call' }],
          });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}
