import type { AIMessageChunk } from '@langchain/core/messages';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { delayed, type OpenAiFake, type OpenAiRequest, startOpenAiFake } from '../../support/openai-fake.js';

const costTool = tool(async ({ service, days }) => `${service}:${days}`, {
  name: 'get_cost',
  description: 'Cost of one service over the last N days.',
  schema: z.object({ service: z.string().describe('AWS service name'), days: z.number().int() }),
});

let fake: OpenAiFake;

const messageCount = (request: OpenAiRequest): number => request.messages.length;

function model(timeout = 2000): ChatOpenAI {
  return new ChatOpenAI({
    model: 'gpt-test',
    apiKey: 'sk-test',
    useResponsesApi: false,
    maxRetries: 0,
    timeout,
    configuration: { baseURL: fake.url },
  });
}

beforeAll(async () => {
  fake = await startOpenAiFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe('openai-fake with the real ChatOpenAI', () => {
  it('answers a plain invoke with content and usage', async () => {
    fake.script({ content: 'EC2 cost $12.34 yesterday.', usage: { prompt_tokens: 7, completion_tokens: 5 } });
    const reply = await model().invoke('What did EC2 cost yesterday?');
    expect(reply.content).toBe('EC2 cost $12.34 yesterday.');
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 7, output_tokens: 5, total_tokens: 12 });
    expect(fake.requests).toHaveLength(1);
    const request = fake.lastRequest();
    expect(request.model).toBe('gpt-test');
    expect(request.stream).toBeFalsy();
    expect(request.messages).toEqual([{ role: 'user', content: 'What did EC2 cost yesterday?' }]);
    expect(fake.remaining).toBe(0);
  });

  it('returns parsed tool calls and records the tool definitions', async () => {
    fake.script({ toolCalls: [{ name: 'get_cost', args: { service: 'AmazonEC2', days: 7 }, id: 'call_abc' }] });
    const reply = await model().bindTools([costTool]).invoke('EC2 over a week?');
    expect(reply.tool_calls).toEqual([
      { name: 'get_cost', args: { service: 'AmazonEC2', days: 7 }, id: 'call_abc', type: 'tool_call' },
    ]);
    expect(reply.response_metadata.finish_reason).toBe('tool_calls');
    const tools = fake.lastRequest().tools;
    expect(tools).toHaveLength(1);
    expect(tools?.[0]).toMatchObject({
      type: 'function',
      function: {
        name: 'get_cost',
        description: 'Cost of one service over the last N days.',
        parameters: {
          type: 'object',
          properties: { service: { type: 'string' }, days: { type: 'integer' } },
          required: ['service', 'days'],
        },
      },
    });
  });

  it('computes a reply from the request with a function step', async () => {
    fake.script((request) => {
      const toolMessage = request.messages.findLast((m) => m.role === 'tool');
      return { content: `Total: ${String(toolMessage?.content)}` };
    });
    const reply = await model().invoke([
      new HumanMessage('EC2 cost?'),
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1', name: 'get_cost', args: { service: 'AmazonEC2', days: 1 } }],
      },
      new ToolMessage({ content: '$42.00', tool_call_id: 'call_1' }),
    ]);
    expect(reply.content).toBe('Total: $42.00');
    const messages = fake.lastRequest().messages;
    expect(messages[1]?.tool_calls?.[0]?.function).toEqual({
      name: 'get_cost',
      arguments: JSON.stringify({ service: 'AmazonEC2', days: 1 }),
    });
    expect(messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '$42.00' });
  });

  it('streams content deltas and usage', async () => {
    fake.script({ content: 'Your biggest spender is RDS at $310.' });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model().stream('Biggest spender?')) chunks.push(chunk);
    const contentChunks = chunks.filter((c) => typeof c.content === 'string' && c.content !== '');
    expect(contentChunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.content).join('')).toBe('Your biggest spender is RDS at $310.');
    const request = fake.lastRequest();
    expect(request.stream).toBe(true);
    expect(request.stream_options).toEqual({ include_usage: true });
    const usage = chunks.find((c) => c.usage_metadata !== undefined)?.usage_metadata;
    expect(usage).toMatchObject({ input_tokens: 2, output_tokens: 7, total_tokens: 9 });
  });

  it('streams tool call chunks that concatenate to the parsed call', async () => {
    fake.script({ content: 'Checking.', toolCalls: [{ name: 'get_cost', args: { service: 'AmazonS3', days: 30 } }] });
    const stream = await model().bindTools([costTool]).stream('S3 this month?');
    let merged: AIMessageChunk | undefined;
    let toolChunkCount = 0;
    for await (const chunk of stream) {
      if ((chunk.tool_call_chunks?.length ?? 0) > 0) toolChunkCount += 1;
      merged = merged === undefined ? chunk : merged.concat(chunk);
    }
    expect(toolChunkCount).toBeGreaterThan(1);
    expect(merged?.content).toBe('Checking.');
    expect(merged?.tool_call_chunks?.[0]).toMatchObject({ name: 'get_cost', index: 0 });
    expect(merged?.tool_calls).toEqual([
      {
        name: 'get_cost',
        args: { service: 'AmazonS3', days: 30 },
        id: expect.stringMatching(/^call_/),
        type: 'tool_call',
      },
    ]);
    expect(fake.lastRequest().tools?.[0]?.function.name).toBe('get_cost');
  });

  it('rejects on a scripted 500 and on an empty queue', async () => {
    fake.script({ status: 500, error: 'upstream exploded' });
    await expect(model().invoke('hi')).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('upstream exploded'),
    });
    await expect(model().invoke('hi')).rejects.toThrow(/no scripted response/);
    expect(fake.requests).toHaveLength(2);
  });

  it('rejects on a scripted 429 as a rate limit', async () => {
    fake.script({ status: 429 });
    await expect(model().invoke('hi')).rejects.toMatchObject({ status: 429, lc_error_code: 'MODEL_RATE_LIMIT' });
  });

  it('times out when the delay exceeds the client timeout', async () => {
    // The answer would come after the test's own time limit: only the client's timeout can end the call.
    // biome-ignore lint/suspicious/noThenProperty: the fake's documented delay-step shape.
    fake.script({ delayMs: 120_000, then: { content: 'too late' } }, { content: 'on time' });
    await expect(model(300).invoke('slow?')).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringMatching(/timed out/i),
    });
    // The delayed step was consumed by the slow request; the next request gets the next step at once.
    expect((await model().invoke('fast?')).content).toBe('on time');
    expect(fake.requests).toHaveLength(2);
  });

  it('answers a delayed step once its delay is over (delayed helper, nested function step)', async () => {
    // That the fake holds the answer for the delay is shown by the timeout above; here, what it answers then.
    fake.script(delayed(100, (request) => ({ content: `echo ${messageCount(request)}` })));
    expect((await model().invoke('hello')).content).toBe('echo 1');
  });

  it('answers GET /v1/models', async () => {
    const res = await fetch(`${fake.url}/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: Array<{ id: string }> };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toContain('gpt-test');
  });
});
