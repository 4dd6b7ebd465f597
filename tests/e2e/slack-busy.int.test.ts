// Back-pressure through the real `tally start` process: with the answer queue full, a `/cost` gets the busy notice
// in the body of its ack (no request to Slack), and nothing is answered for it later. The queue is filled with
// `/cost help` commands whose `response_url` is a server of this test that holds each answer until released, so the
// queue stays full for exactly as long as the test needs.
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busy } from '../../src/conversation/apology.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { postSigned, slashCommand } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

const RUN = randomBytes(4).toString('hex');
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const SECRET = 'test-signing-secret';
/** The chat core works out 4 answers at once (ChatCore's default concurrency); 1 more may wait. */
const RUNNING = 4;
const MAX_QUEUED = 1;

/** A `response_url` endpoint that records each post and answers it only when the test releases it. */
class HeldResponses {
  readonly received: { id: string; body: Record<string, unknown> }[] = [];
  private readonly held: ServerResponse[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      this.received.push({ id, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      this.held.push(res);
      const ready = this.waiters.filter((w) => this.received.length >= w.count);
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve();
    });
  });

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(id: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/response/${id}`;
  }

  /** Resolves once `count` posts have arrived. */
  untilReceived(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Answers every post held so far. */
  releaseAll(): void {
    for (const res of this.held.splice(0)) res.writeHead(200).end('ok');
  }

  close(): Promise<void> {
    this.releaseAll();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let slack: SlackFake;
let held: HeldResponses;
let tally: TallyProcess;
const cost = (fields: { text: string; channel_id: string; response_url: string; trigger_id: string }) =>
  postSigned(`${tally.url}/slack/events`, { ...slashCommand(fields), secret: SECRET });

beforeAll(async () => {
  slack = await startSlackFake();
  held = await new HeldResponses().listen();
  tally = await startTally({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    REDIS_URL: redisUrl(),
    TALLY_FOCUS_FILE: EXPORT,
    TALLY_TODAY: '2026-06-10',
    TALLY_MAX_QUEUED_ANSWERS: String(MAX_QUEUED),
  });
});

afterAll(async () => {
  await tally?.stop();
  await held?.close();
  await slack?.close();
});

describe('Slack: /cost with the answer queue full', () => {
  it('gets the busy notice in its ack, and nothing is answered for it after the queue drains', async () => {
    // Fill the queue: 4 help answers held at their response_url, then 1 more waiting behind them.
    const fill = Array.from({ length: RUNNING + MAX_QUEUED }, (_, i) => `CFILL${i}`);
    for (const channel of fill) {
      const res = await cost({
        text: 'help',
        channel_id: channel,
        response_url: held.url(channel),
        trigger_id: `${RUN}.${channel}.trigger`,
      });
      expect(res.text).toBe('');
    }
    await held.untilReceived(RUNNING);

    const refused = await cost({
      text: 'cost last month by service',
      channel_id: 'CREFUSED',
      response_url: held.url('CREFUSED'),
      trigger_id: `${RUN}.refused.trigger`,
    });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    const ack = JSON.parse(refused.text) as { response_type?: string; text?: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain(busy().title);

    // Drain: every held answer is released and the waiting one is answered too.
    held.releaseAll();
    await held.untilReceived(fill.length);
    held.releaseAll();
    expect(held.received.map((r) => r.id).sort()).toEqual([...fill].sort());

    // A question asked after the drain is answered; by then anything queued for the refused one would have been.
    const after = await cost({
      text: 'help',
      channel_id: 'CAFTER',
      response_url: held.url('CAFTER'),
      trigger_id: `${RUN}.after.trigger`,
    });
    expect(after.text).toBe('');
    await held.untilReceived(fill.length + 1);
    held.releaseAll();
    expect(held.received.map((r) => r.id)).not.toContain('CREFUSED');
    expect(slack.calls.filter((c) => JSON.stringify(c.body).includes('CREFUSED'))).toEqual([]);
  });
});
