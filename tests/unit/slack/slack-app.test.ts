import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../../adapters/memory/memory-dedupe.store.js';
import { createSlackAdapter } from '../../../adapters/slack/slack-app.js';
import { guardSlackEvents } from '../../../src/bootstrap/slack-guard.js';
import { startWebServer } from '../../../src/bootstrap/web.js';
import { ChatCore } from '../../../src/conversation/chat-core.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import { type SlackFake, startSlackFake } from '../../support/slack-fake.js';
import {
  FORM,
  JSON_TYPE,
  nowSeconds,
  postSigned,
  slashCommand,
  urlVerification,
} from '../../support/slack-requests.js';

const core = new ChatCore({
  handleTurn: async () => ({ kind: 'notice' as const, title: 't', visibility: 'channel' as const }),
  dedupe: new MemoryDedupeStore(),
  charts: null,
  logger: silentLogger,
});
const deps = { core, logger: silentLogger };

describe('createSlackAdapter', () => {
  it('serves /slack/events in HTTP mode', () => {
    const adapter = createSlackAdapter({ botToken: 'xoxb-1', signingSecret: 's' }, deps);
    expect(typeof adapter.requestListener).toBe('function');
  });

  it('uses Socket Mode when an app token is given: no HTTP endpoint', () => {
    const adapter = createSlackAdapter({ botToken: 'xoxb-1', appToken: 'xapp-1' }, deps);
    expect(adapter.requestListener).toBeNull();
  });

  it('refuses HTTP mode without a signing secret', () => {
    expect(() => createSlackAdapter({ botToken: 'xoxb-1' }, deps)).toThrow(TallyError);
    try {
      createSlackAdapter({ botToken: 'xoxb-1' }, deps);
    } catch (e) {
      expect((e as TallyError).code).toBe('CONFIG_INVALID');
    }
  });
});

describe('guardSlackEvents in front of Bolt, on Tally web server', () => {
  const SECRET = 'unit-signing-secret';
  const turns: string[] = [];
  let server: Server;
  let slack: SlackFake;
  let url: string;
  let nextTurn: (() => void) | null = null;

  beforeAll(async () => {
    const counting = new ChatCore({
      handleTurn: async (turn) => {
        turns.push(turn.text);
        nextTurn?.();
        return { kind: 'notice' as const, title: 't', visibility: 'channel' as const };
      },
      dedupe: new MemoryDedupeStore(),
      charts: null,
      logger: silentLogger,
    });
    slack = await startSlackFake();
    const adapter = createSlackAdapter(
      { botToken: 'xoxb-1', signingSecret: SECRET, apiUrl: slack.url, retries: 0 },
      { core: counting, logger: silentLogger },
    );
    const guarded = guardSlackEvents(adapter.requestListener!, { signingSecret: SECRET, logger: silentLogger });
    server = await startWebServer({
      port: 0,
      host: '127.0.0.1',
      ready: async () => true,
      logger: silentLogger,
      routes: { '/slack/': guarded },
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await slack.close();
  });

  const post = (body: string, options: { timestamp?: number; contentType?: string } = {}) =>
    postSigned(`${url}/slack/events`, {
      body,
      contentType: options.contentType ?? JSON_TYPE,
      secret: SECRET,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    });

  it('answers other paths 404 and other methods 405 with Allow: POST', async () => {
    expect((await fetch(`${url}/slack/other`, { method: 'POST' })).status).toBe(404);
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const res = await fetch(`${url}/slack/events`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('answers a signed body that is not an object, or lacks what Tally reads, with 400', async () => {
    const bodies = [
      { body: 'null' },
      { body: '[]' },
      { body: '5' },
      { body: '{}' },
      { body: '{"type":"event_callback"}' },
      { body: 'payload=null', contentType: FORM },
      { body: 'payload=%7B', contentType: FORM },
      {
        body: new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [null] }) }).toString(),
        contentType: FORM,
      },
      { body: 'command=%2Fcost&text=hi', contentType: FORM },
    ];
    for (const b of bodies)
      expect({ body: b.body, status: (await post(b.body, b)).status }).toEqual({ body: b.body, status: 400 });
  });

  it('answers requests signed more than 5 minutes from now, either way, with 401, and within them lets Bolt answer', async () => {
    const challenge = urlVerification('c-42').body;
    expect((await post(challenge, { timestamp: nowSeconds() + 301 })).status).toBe(401);
    expect((await post(challenge, { timestamp: nowSeconds() + 3600 })).status).toBe(401);
    expect((await post(challenge, { timestamp: nowSeconds() - 301 })).status).toBe(401);
    const ok = await post(challenge, { timestamp: nowSeconds() + 240 });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('c-42');
    const badSignature = await postSigned(`${url}/slack/events`, { ...urlVerification(), secret: 'another-secret' });
    expect(badSignature.status).toBe(401);
  });

  it('answers a body over 1 MiB with 413', async () => {
    expect((await post(`{"type":"x","pad":"${'a'.repeat(1024 * 1024)}"}`)).status).toBe(413);
  });

  it('answers two slash commands without trigger_id and without text: neither is taken for a duplicate', async () => {
    turns.length = 0;
    const both = new Promise<void>((resolve) => {
      nextTurn = () => {
        if (turns.length === 2) resolve();
      };
    });
    for (let i = 0; i < 2; i += 1) {
      const res = await post(slashCommand({ trigger_id: undefined, text: undefined }).body, { contentType: FORM });
      expect(res.status).toBe(200);
    }
    await both;
    expect(turns).toEqual(['', '']);
  });
});
