import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProgressMessage, postAnswer } from '../../adapters/slack/post-reply.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';

let slack: SlackFake;
let client: WebClient;
const answer: Reply = { kind: 'answer', title: 'Cost — last month', text: 'Total 1,234.56 USD', visibility: 'channel' };
const later = <T>(value: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(value), ms));
const ephemerals: Reply[] = [];
const opts = (progressAfterMs: number) => ({
  client,
  charts: null,
  logger: silentLogger,
  progressAfterMs,
  ephemeral: async (r: Reply) => {
    ephemerals.push(r);
  },
});

beforeAll(async () => {
  slack = await startSlackFake();
  client = new WebClient('xoxb-test', {
    slackApiUrl: slack.url,
    retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 },
  });
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.reset();
  ephemerals.length = 0;
});

describe('posting an answer to Slack', () => {
  it('posts a quick answer once', async () => {
    const result = await postAnswer({ channel: 'C1' }, Promise.resolve(answer), opts(500));
    expect(result.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('posts "working on it" for slow work and then updates that message in place', async () => {
    const result = await postAnswer({ channel: 'C1', threadTs: '1.2' }, later(answer, 300), opts(50));
    expect(result.ok).toBe(true);
    const placeholder = slack.callsTo('chat.postMessage')[0]!;
    expect(String(placeholder.body.text)).toMatch(/working on it/i);
    const [update] = slack.callsTo('chat.update');
    expect(update?.body.ts).toBe((placeholder.reply as { ts: string }).ts);
    expect(JSON.stringify(update?.body.blocks)).toContain('1,234.56 USD');
  });

  it('shows progress in the "working on it" message, and the answer replaces it last', async () => {
    const progress = new ProgressMessage();
    const work = (async () => {
      progress.report('querying costs by service…');
      await later(null, 150);
      progress.report('comparing periods…');
      await later(null, 150);
      return answer;
    })();
    await postAnswer({ channel: 'C1' }, work, { ...opts(50), progress });
    const updates = slack.callsTo('chat.update').map((c) => JSON.stringify(c.body.blocks));
    expect(updates.some((u) => u.includes('querying costs by service'))).toBe(true);
    expect(updates.some((u) => u.includes('comparing periods'))).toBe(true);
    expect(updates.at(-1)).toContain('1,234.56 USD');
  });

  it('sends answers meant for the asker to the ephemeral path, removing a placeholder', async () => {
    const help: Reply = { kind: 'usage', title: 'Usage', text: 'try help', visibility: 'ephemeral' };
    await postAnswer({ channel: 'C1' }, later(help, 200), opts(20));
    expect(ephemerals).toEqual([help]);
    expect(slack.callsTo('chat.delete')).toHaveLength(1);
  });

  it('waits for Retry-After on 429 and then posts', async () => {
    slack.rateLimitNext('chat.postMessage', 1);
    const started = Date.now();
    const result = await postAnswer({ channel: 'C1' }, Promise.resolve(answer), opts(500));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it.each([
    ['not_in_channel', /invite/i],
    ['channel_not_found', /cannot see this channel/i],
  ])('turns %s into advice for the user', async (error, advice) => {
    slack.failForChannel('C9', error);
    const result = await postAnswer({ channel: 'C9' }, Promise.resolve(answer), opts(500));
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.problem).toMatch(advice);
  });

  it('rethrows other Slack errors for the listener to apologise', async () => {
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    await expect(postAnswer({ channel: 'C1' }, Promise.resolve(answer), opts(500))).rejects.toThrow();
  });
});
