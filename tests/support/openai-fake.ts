// A loopback fake of an OpenAI-compatible chat-completions server: it speaks the real wire format, JSON and server-sent
// events, so tests drive the real `ChatOpenAI` client through `configuration.baseURL` and assert on what it sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message of a chat-completions request, as `ChatOpenAI` sends it. */
export interface OpenAiRequestMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | (string & {});
  /** A string, `null` (assistant turns with only tool calls) or content parts (`[{ type: 'text', text }]`). */
  content?: string | null | Array<{ type: string; text?: string; [key: string]: unknown }>;
  /** On assistant messages that called tools. */
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  /** On `tool` messages: the id of the call it answers. */
  tool_call_id?: string;
  name?: string;
  [key: string]: unknown;
}

/** A tool definition of a request (`bindTools`), `parameters` being the JSON schema of the tool's arguments. */
export interface OpenAiRequestTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
  [key: string]: unknown;
}

/** The parsed JSON body of a `POST /v1/chat/completions`. */
export interface OpenAiRequest {
  model: string;
  messages: OpenAiRequestMessage[];
  tools?: OpenAiRequestTool[];
  tool_choice?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  [key: string]: unknown;
}

/** A tool call the scripted assistant makes. `id` defaults to `call_<n>` (n counts calls across the fake's life). */
export interface OpenAiToolCallSpec {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/** Token counts to report; by default counted as whitespace-separated words of the prompt and of the completion. */
export interface OpenAiUsageSpec {
  prompt_tokens: number;
  completion_tokens: number;
}

/**
 * One scripted answer, consumed by one request:
 * - `{ content }`: an assistant text reply (`finish_reason: 'stop'`);
 * - `{ toolCalls, content? }`: tool calls (`finish_reason: 'tool_calls'`), optionally with text;
 * - `{ status, error? }`: an OpenAI-style error body `{ error: { message, type, code, param } }` with that HTTP status;
 * - `{ delayMs, then }`: waits `delayMs` before answering with `then` (for client timeouts);
 * - a function of the request returning one of the above (computed when the request arrives, before any delay).
 */
export type OpenAiStep =
  | { content: string; usage?: OpenAiUsageSpec }
  | { toolCalls: OpenAiToolCallSpec[]; content?: string; usage?: OpenAiUsageSpec }
  | { status: 500 | 429 | (number & {}); error?: string }
  | { delayMs: number; then: OpenAiStep }
  | ((request: OpenAiRequest) => OpenAiStep);

/**
 * `{ delayMs, then: step }` without tripping Biome's `noThenProperty` at the call site. A `then` that is not a function does not make
 * the object thenable, so awaiting a step is harmless.
 */
export function delayed(delayMs: number, step: OpenAiStep): OpenAiStep {
  // biome-ignore lint/suspicious/noThenProperty: the scripted-step shape is `{ delayMs, then }`; `then` is data, not a method.
  return { delayMs, then: step };
}

export interface OpenAiFake {
  /** Base URL for `configuration.baseURL`: `http://127.0.0.1:<port>/v1`. */
  readonly url: string;
  /** Parsed bodies of every `POST /v1/chat/completions` received (including failed and delayed ones), oldest first. */
  readonly requests: OpenAiRequest[];
  /** Number of scripted steps not yet consumed. */
  readonly remaining: number;
  /** Queues steps, answered one per request in order. With an empty queue the fake answers 500 "no scripted response". */
  script(...steps: OpenAiStep[]): void;
  /** The most recent request body. Throws when none was received. */
  lastRequest(): OpenAiRequest;
  /** Forgets recorded requests and queued steps. */
  reset(): void;
  /** Stops the server, cutting open connections and pending delays. */
  close(): Promise<void>;
}

type Reply = Exclude<OpenAiStep, ((request: OpenAiRequest) => OpenAiStep) | { delayMs: number }>;

const MODELS = ['gpt-test', 'gpt-4o-mini'];
const CREATED = 1_700_000_000;

function words(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function messageText(message: OpenAiRequestMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join(' ');
  return '';
}

/** Splits `text` into at most `parts` non-empty pieces (fewer when it is shorter). */
function split(text: string, parts: number): string[] {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function errorType(status: number): { type: string; code: string | null } {
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, code?: string): void {
  const kind = errorType(status);
  sendJson(res, status, { error: { message, type: kind.type, param: null, code: code ?? kind.code } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startOpenAiFake(): Promise<OpenAiFake> {
  const queue: OpenAiStep[] = [];
  const requests: OpenAiRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let completions = 0;
  let toolCallCount = 0;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  function usageOf(request: OpenAiRequest, reply: { usage?: OpenAiUsageSpec }, completionText: string) {
    const prompt = reply.usage?.prompt_tokens ?? request.messages.reduce((sum, m) => sum + words(messageText(m)), 0);
    const completion = reply.usage?.completion_tokens ?? words(completionText);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  }

  function answerCompletion(req: OpenAiRequest, res: ServerResponse, reply: Exclude<Reply, { status: number }>): void {
    completions += 1;
    const id = `chatcmpl-fake-${completions}`;
    const model = typeof req.model === 'string' ? req.model : 'gpt-test';
    const content = reply.content ?? '';
    const calls = ('toolCalls' in reply ? reply.toolCalls : []).map((call) => {
      toolCallCount += 1;
      return {
        id: call.id ?? `call_${toolCallCount}`,
        type: 'function' as const,
        function: { name: call.name, arguments: JSON.stringify(call.args) },
      };
    });
    const finishReason = calls.length > 0 ? 'tool_calls' : 'stop';
    const usage = usageOf(req, reply, [content, ...calls.map((c) => c.function.arguments)].join(' '));

    if (req.stream !== true) {
      const message: Record<string, unknown> = {
        role: 'assistant',
        content: calls.length > 0 && content === '' ? null : content,
        refusal: null,
      };
      if (calls.length > 0) message.tool_calls = calls;
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created: CREATED + completions,
        model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
        system_fingerprint: 'fp_fake',
      });
      return;
    }

    const includeUsage = req.stream_options?.include_usage === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): void => {
      const body = {
        id,
        object: 'chat.completion.chunk',
        created: CREATED + completions,
        model,
        system_fingerprint: 'fp_fake',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      };
      res.write(`data: ${JSON.stringify(body)}\n\n`);
    };
    const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
      index: 0,
      delta: d,
      logprobs: null,
      finish_reason: finish,
    });

    chunk([delta({ role: 'assistant', content: '', refusal: null })]);
    for (const piece of split(content, 3)) chunk([delta({ content: piece })]);
    calls.forEach((call, index) => {
      chunk([
        delta({
          tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
        }),
      ]);
      for (const piece of split(call.function.arguments, 3)) {
        chunk([delta({ tool_calls: [{ index, function: { arguments: piece } }] })]);
      }
    });
    chunk([delta({}, finishReason)]);
    if (includeUsage) chunk([], { usage });
    res.end('data: [DONE]\n\n');
  }

  async function handleCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: OpenAiRequest;
    try {
      const parsed: unknown = JSON.parse(await readBody(req));
      if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as { messages?: unknown }).messages)) {
        throw new Error('messages must be an array');
      }
      body = parsed as OpenAiRequest;
    } catch (err) {
      sendError(res, 400, `openai-fake: invalid request body: ${(err as Error).message}`);
      return;
    }
    requests.push(body);

    let step = queue.shift();
    if (step === undefined) {
      sendError(
        res,
        500,
        `openai-fake: no scripted response for request #${requests.length} (call fake.script(...) first)`,
        'no_scripted_response',
      );
      return;
    }
    for (;;) {
      if (typeof step === 'function') step = step(body);
      else if ('delayMs' in step) {
        await wait(step.delayMs);
        if (res.destroyed || res.writableEnded) return;
        step = step.then;
      } else break;
    }
    if ('status' in step) {
      sendError(res, step.status, step.error ?? `openai-fake: scripted error ${step.status}`);
      return;
    }
    answerCompletion(body, res, step);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      handleCompletion(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, `openai-fake: ${(err as Error).message}`);
        else res.destroy();
      });
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: MODELS.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'openai-fake' })),
      });
      return;
    }
    req.resume();
    sendError(res, 404, `openai-fake: no route for ${req.method ?? '?'} ${path}`, 'unknown_url');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get remaining() {
      return queue.length;
    },
    script(...steps) {
      queue.push(...steps);
    },
    lastRequest() {
      const last = requests.at(-1);
      if (last === undefined) throw new Error('openai-fake: no request received yet');
      return last;
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
