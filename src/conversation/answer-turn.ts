import type { ChartRenderer } from '../reports/chart-renderer.port.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { ChatSurface, PostOptions } from './chat-surface.port.js';
import type { TurnHooks } from './handle-turn.service.js';
import type { MessageRef } from './inbound.types.js';
import { withShowAll } from './replies/table-pages.reply.js';
import type { Turn } from './turn.types.js';
import type { WorkQueue } from './work-queue.js';

/** What answering a turn needs. */
export interface AnswerDeps {
  handleTurn: (turn: Turn, hooks?: TurnHooks) => Promise<Reply>;
  charts: ChartRenderer | null;
  logger: Logger;
  /**
   * At most this many answers are worked out at once, in arrival order, and a bounded number wait; work beyond the
   * bound is refused with `QueueFull`, which `failSafely` (apology.ts) answers with "Tally is busy".
   */
  queue: WorkQueue;
  /** How long an answer may take before "working on it" is posted and later updated in place. */
  progressAfterMs: number;
}

const WORKING = 'Working on it… :hourglass_flowing_sand:';

/**
 * Statuses of slow work: reported before the "working on it" message exists, the latest is shown once it does;
 * later ones update it in place.
 */
class ProgressMessage {
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

/** The work's reply if it comes within `ms`, else null (the timer is cleared either way). */
async function within(work: Promise<Reply>, ms: number): Promise<Reply | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a turn and delivers its answer on the surface (docs/architecture.md#a-question-end-to-end): an answer for the
 * asker alone goes privately where the surface can; a quick answer is posted once; a slow one, where the surface can
 * update messages, first shows "working on it" with the work's progress and is then replaced by the answer. The
 * chart is drawn once and goes inside the answer or after it as an image, as the surface takes it. A table cut for
 * the message gets "Show all", which runs `command` again. The turn takes its place in the answer queue at once (on
 * the call); when the queue is full it is not queued and the returned promise rejects with `QueueFull`. `claim`, when
 * given, runs first once it is the turn's turn: false (a delivery already handled) ends it unanswered.
 */
export function answerTurn(
  deps: AnswerDeps,
  turn: Turn,
  surface: ChatSurface,
  command?: string,
  claim?: () => Promise<boolean>,
): Promise<void> {
  return deps.queue.run(async () => {
    if (claim && !(await claim())) return;
    const progress = new ProgressMessage();
    const work = deps.handleTurn(turn, { onProgress: progress.report });
    const early = surface.capabilities.updates ? await within(work, deps.progressAfterMs) : await work;
    if (early) return deliver(deps, surface, early, command);
    const placeholder = await surface.post({ kind: 'notice', title: WORKING, visibility: 'channel' });
    // Progress updates run one after another, and the answer waits for them, so a late status never covers it.
    let updates: Promise<unknown> = Promise.resolve();
    progress.attach((status) => {
      const shown: Reply = { kind: 'notice', title: WORKING, text: status, visibility: 'channel' };
      updates = updates.then(() => surface.update(placeholder, shown)).catch(() => {});
    });
    const reply = await work;
    progress.detach();
    await updates;
    if (isPrivate(surface, reply)) {
      await surface.remove(placeholder);
      return surface.replyPrivately(reply);
    }
    const shown = withShowAll(reply, command);
    await surface.update(placeholder, shown, await postOptions(deps, surface, shown));
    await attachChart(deps, surface, shown, placeholder);
  });
}

/** Delivers a reply that is ready: privately, or posted with its chart. */
export async function deliver(deps: AnswerDeps, surface: ChatSurface, reply: Reply, command?: string): Promise<void> {
  if (isPrivate(surface, reply)) return surface.replyPrivately(reply);
  const shown = withShowAll(reply, command);
  const posted = await surface.post(shown, await postOptions(deps, surface, shown));
  await attachChart(deps, surface, shown, posted);
}

function isPrivate(surface: ChatSurface, reply: Reply): boolean {
  return reply.visibility === 'ephemeral' && surface.capabilities.privateReplies;
}

/** The chart drawn for a surface that shows it inside the answer; a failure is logged and the answer goes without. */
async function postOptions(deps: AnswerDeps, surface: ChatSurface, reply: Reply): Promise<PostOptions> {
  if (!reply.chart || !deps.charts || surface.capabilities.charts !== 'inline') return {};
  try {
    return { chart: await deps.charts.render(reply.chart) };
  } catch (err) {
    deps.logger.warn({ err, title: reply.chart.title }, 'could not draw the chart of an answer');
    return {};
  }
}

/** A chart as an image after the answer; a failure is logged and does not fail the answer (the figures are there). */
async function attachChart(deps: AnswerDeps, surface: ChatSurface, reply: Reply, near: MessageRef): Promise<void> {
  if (!reply.chart || !deps.charts || surface.capabilities.charts !== 'file') return;
  try {
    const { png, altText, filename } = await deps.charts.render(reply.chart);
    await surface.attachFile({ filename, title: reply.chart.title, content: png, altText }, near);
  } catch (err) {
    deps.logger.warn({ err, title: reply.chart.title }, 'chart upload failed');
  }
}
