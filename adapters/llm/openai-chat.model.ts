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

/** The chat model on the Chat Completions API (REFERENCE.md §3.5: `useResponsesApi: false`, Node 20 pin 1.5.8). */
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
