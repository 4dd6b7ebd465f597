// Answering a turn on Slack (the chat core's answer path on the Slack surface) against the loopback Slack fake: quick
// answers posted once, slow ones as "working on it" updated in place with progress, private answers, channel problems.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { SlackSurface } from '../../adapters/slack/slack-surface.js';
import { ChatCore } from '../../src/conversation/chat-core.js';
import type { TurnHooks } from '../../src/conversation/handle-turn.service.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';

let slack: SlackFake;
let client: WebClient;
const answer: Reply = { kind: 'answer', title: 'Cost — last month', text: 'Total 1,234.56 USD', visibility: 'channel' };
const responses: Record<string, unknown>[] = [];

/** A turn whose answer the test hands over when it wants, with the hooks the core passed. */
function controlledTurn() {
  let give: (reply: Reply) => void = () => {};
  let hooks: TurnHooks = {};
  const work = new Promise<Reply>((resolve) => {
    give = resolve;
  });
  const set = (h: TurnHooks) => {
    hooks = h;
  };
  return { work, give: (r: Reply) => give(r), hooks: () => hooks, set };
}

function run(reply: Promise<Reply> | Reply, progressAfterMs: number, channel = 'C1', onHooks?: (h: TurnHooks) => void) {
  const core = new ChatCore({
    handleTurn: async (_turn, hooks) => {
      if (hooks) onHooks?.(hooks);
      return reply;
    },
    dedupe: new MemoryDedupeStore(),
    charts: null,
    logger: silentLogger,
    progressAfterMs,
  });
  const surface = new SlackSurface({
    client,
    logger: silentLogger,
    channel,
    user: 'U1',
    privately: {
      kind: 'respond',
      respond: async (body) => {
        responses.push(body);
      },
    },
  });
  return core.turn({ user: { id: 'U1' }, location: { platform: 'slack', channel }, text: 'cost last month' }, surface);
}

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
  responses.length = 0;
});

describe('answering a turn on Slack', () => {
  it('posts a quick answer once', async () => {
    await run(answer, 60_000);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('posts "working on it" for slow work, shows its progress, and the answer replaces it last', async () => {
    const turn = controlledTurn();
    const done = run(turn.work, 0, 'C1', turn.set);
    const placeholder = await slack.waitFor('chat.postMessage');
    expect(String(placeholder.body.text)).toMatch(/working on it/i);
    turn.hooks().onProgress?.('querying costs by service…');
    await slack.waitFor('chat.update', (c) => JSON.stringify(c.body.blocks).includes('querying costs by service'));
    turn.hooks().onProgress?.('comparing periods…');
    turn.give(answer);
    await done;
    const updates = slack.callsTo('chat.update');
    expect(updates.every((u) => u.body.ts === (placeholder.reply as { ts: string }).ts)).toBe(true);
    expect(JSON.stringify(updates.at(-1)?.body.blocks)).toContain('1,234.56 USD');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers the asker alone when the answer is for them, removing a placeholder', async () => {
    const help: Reply = { kind: 'usage', title: 'Usage', text: 'try help', visibility: 'ephemeral' };
    const turn = controlledTurn();
    const done = run(turn.work, 0);
    await slack.waitFor('chat.postMessage');
    turn.give(help);
    await done;
    expect(slack.callsTo('chat.delete')).toHaveLength(1);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(responses[0])).toContain('try help');
  });

  it('waits for Retry-After on 429 and then posts', async () => {
    slack.rateLimitNext('chat.postMessage', 1);
    await run(answer, 60_000);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it.each([
    ['not_in_channel', /invite/i],
    ['channel_not_found', /cannot see this channel/i],
  ])('turns %s into advice for the asker alone', async (error, advice) => {
    slack.failForChannel('C9', error);
    await run(answer, 60_000, 'C9');
    expect(responses).toHaveLength(1);
    expect(JSON.stringify(responses[0])).toMatch(advice);
  });

  it('apologises with an error id for other Slack errors', async () => {
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    await run(answer, 60_000);
    expect(JSON.stringify(responses[0])).toMatch(/error id err_/);
  });
});
