import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Turn } from '../../../src/conversation/turn.types.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { type AdaptiveCard, renderCard, toAttachment } from '../render-card.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { handleTeamsError } from '../teams-errors.js';

/** A reply as one line of text, for invoke message responses and Submit fallbacks. */
export function replyText(reply: Reply): string {
  return [reply.title, reply.text].filter((s) => s?.trim()).join(': ');
}

/**
 * The card of a reply, with its chart drawn as a PNG and inlined when there is one. A chart that cannot be drawn is
 * logged and left out: the figures are in the card anyway.
 */
export async function replyCard(deps: TeamsDeps, reply: Reply, command?: string): Promise<AdaptiveCard> {
  const options = command ? { command } : {};
  if (!reply.chart || !deps.charts) return renderCard(reply, options);
  try {
    const chart = await deps.charts.render(reply.chart);
    const hosted = deps.hostChart ? { chartUrl: await deps.hostChart(chart.png) } : { chartPng: chart.png };
    return renderCard(reply, { ...options, ...hosted, chartAltText: chart.altText });
  } catch (err) {
    deps.logger.warn({ err, title: reply.chart.title }, 'could not draw the chart of a Teams answer');
    return renderCard(reply, options);
  }
}

/**
 * Posts a reply as an Adaptive Card into the turn's conversation. `sendActivity` answers the incoming activity, so
 * the card lands in its reply chain (`POST …/activities/{replyToId}`). `summary` is what Teams
 * shows in notifications instead of "sent a card".
 */
export async function postReply(ctx: TurnContext, deps: TeamsDeps, reply: Reply, command?: string): Promise<void> {
  const card = await replyCard(deps, reply, command);
  try {
    await ctx.sendActivity({ type: ActivityTypes.Message, summary: reply.title, attachments: [toAttachment(card)] });
  } catch (err) {
    handleTeamsError(err, 'teams.reply');
  }
}

/** Runs a turn through the core and posts its answer into the conversation. */
export async function answerTurn(ctx: TurnContext, deps: TeamsDeps, turn: Turn, command?: string): Promise<void> {
  const reply = await deps.handleTurn(turn);
  await postReply(ctx, deps, reply, command);
}
