import { ChatOpenAI } from '@langchain/openai';

export interface OpenAiChatModelConfig {
  model: string;
  apiKey?: string;
  /** Any OpenAI-compatible server (OpenAI, Azure OpenAI, Ollama, vLLM). */
  baseUrl?: string;
  /** @defaultValue 30000 ms */
  timeoutMs?: number;
  /** @defaultValue 2 */
  maxRetries?: number;
}

/**
 * The chat model on the Chat Completions API (`useResponsesApi: false`), which OpenAI-compatible servers and the tests'
 * fake implement. `@langchain/openai` stays at 1.5.8: later versions need Node 22.
 */
export function createOpenAiChatModel(config: OpenAiChatModelConfig): ChatOpenAI {
  return new ChatOpenAI({
    model: config.model,
    apiKey: config.apiKey ?? 'not-needed',
    useResponsesApi: false,
    timeout: config.timeoutMs ?? 30_000,
    maxRetries: config.maxRetries ?? 2,
    ...(config.baseUrl ? { configuration: { baseURL: config.baseUrl } } : {}),
  });
}
