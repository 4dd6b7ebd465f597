import type { WebClient } from '@slack/web-api';
import type { ChartRenderer } from '../../src/reports/chart-renderer.port.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { renderMessage } from './render-blocks.js';
import { channelProblemText, slackErrorKind } from './slack-errors.js';

export interface PostTarget {
  channel: string;
  /** Reply into this thread; absent = a new message in the channel. */
  threadTs?: string;
  /** The command text, for the "Show all" button of truncated tables. */
  command?: string;
}

/**
 * Progress of slow work: statuses reported before the "working on it" message exists are kept, and the latest is
 * shown once it does; later ones update it in place.
 */
export class ProgressMessage {
  private latest: string | null = null;
  private show: ((status: string) => void) | null = null;

  readonly report = (status: string): void => {
    this.latest = status;
    this.show?.(status);
  };

  attach(show: (status: string) => void): void {
    this.show = show;
    if (this.latest) show(this.latest);
  }

  detach(): void {
    this.show = null;
  }
}

export interface PostOptions {
  /** Statuses of the work, shown in the "working on it" message. */
  progress?: ProgressMessage;
  client: WebClient;
  /** Where an answer meant only for the asker goes (help, usage, errors). */
  ephemeral: (reply: Reply) => Promise<void>;
  charts: ChartRenderer | null;
  logger: Logger;
  /** After this many ms without an answer, post a placeholder and update it in place later. */
  progressAfterMs: number;
}

/** Where an answer ended up, or why it could not be posted. */
export type PostResult = { ok: true; ts: string } | { ok: false; problem: string };

const WORKING = 'Working on it… :hourglass_flowing_sand:';

/**
 * Posts the answer of `work` to a channel or thread. A quick answer is posted once; a slow one first gets a
 * "working on it" message that is then updated in place. A chart goes into the answer's thread as a PNG with alt text.
 */
export async function postAnswer(target: PostTarget, work: Promise<Reply>, opts: PostOptions): Promise<PostResult> {
  try {
    const early = await Promise.race([work, delay(opts.progressAfterMs)]);
    if (early?.visibility === 'ephemeral') {
      await opts.ephemeral(early);
      return { ok: true, ts: '' };
    }
    let ts: string;
    if (early) ts = await post(opts.client, target, early);
    else {
      ts = await post(opts.client, target, { kind: 'notice', title: WORKING, visibility: 'channel' });
      const placeholder = ts;
      // Progress updates run one after another, and the answer waits for them, so a late status never covers it.
      let updates: Promise<unknown> = Promise.resolve();
      opts.progress?.attach((status) => {
        const { text, blocks } = renderMessage({ kind: 'notice', title: WORKING, text: status, visibility: 'channel' });
        updates = updates
          .then(() => opts.client.chat.update({ channel: target.channel, ts: placeholder, text, blocks }))
          .catch(() => {});
      });
      const reply = await work;
      opts.progress?.detach();
      await updates;
      if (reply.visibility === 'ephemeral') {
        await opts.client.chat.delete({ channel: target.channel, ts });
        await opts.ephemeral(reply);
        return { ok: true, ts: '' };
      }
      const { text, blocks } = renderMessage(reply, { command: target.command });
      await opts.client.chat.update({ channel: target.channel, ts, text, blocks });
    }
    const reply = await work;
    if (reply.chart && opts.charts) await uploadChart(target, target.threadTs ?? ts, reply, opts);
    return { ok: true, ts };
  } catch (err) {
    const problem = channelProblemText(slackErrorKind(err));
    if (problem) return { ok: false, problem };
    throw err;
  }
}

async function post(client: WebClient, target: PostTarget, reply: Reply): Promise<string> {
  const { text, blocks } = renderMessage(reply, { command: target.command });
  const res = await client.chat.postMessage({
    channel: target.channel,
    text,
    blocks,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    unfurl_links: false,
  });
  return String(res.ts);
}

/** Uploads the reply's chart into a thread; a failed upload is logged and does not fail the answer. */
async function uploadChart(target: PostTarget, threadTs: string, reply: Reply, opts: PostOptions): Promise<void> {
  if (!reply.chart || !opts.charts) return;
  try {
    const { png, altText, filename } = await opts.charts.render(reply.chart);
    await opts.client.filesUploadV2({
      channel_id: target.channel,
      thread_ts: threadTs,
      file: Buffer.from(png),
      filename,
      title: reply.chart.title,
      alt_text: altText,
    });
  } catch (err) {
    opts.logger.warn({ err, channel: target.channel }, 'chart upload failed');
  }
}

export function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}
