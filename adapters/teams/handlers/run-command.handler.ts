import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { teamsTurn } from '../teams-turn.js';
import { onCardClick } from './card-click.js';
import { answerTurn } from './post-reply.js';

/** Command buttons (verb `run`, `data.command`): Show all, a follow-up, Request approval. */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.RUN, (click) => runCommand(click, deps));
}

/** Runs the button's command as the clicker's turn and answers in the card's conversation (its reply chain). */
export async function runCommand(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onCardClick(click, deps, async () => {
    const command = typeof click.data.command === 'string' ? click.data.command.trim() : '';
    if (!command) return click.respond.message('This button names no command.');
    await answerTurn(click.ctx, deps, teamsTurn(click.ctx.activity, command), command);
    await click.respond.message('Answered in the conversation.');
  });
}
