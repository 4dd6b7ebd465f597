import { ACTIONS } from '../../shared/action-ids.js';
import { deliver } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';
import { readShowAll, tableCsv, tableCurrency, tablePage } from '../replies/table-pages.reply.js';

/**
 * "Show all" under a cut table: the command runs again as the clicker's turn. Where the surface takes files, each
 * full table goes into the thread as a CSV file (a message cannot hold it); elsewhere the next page is posted, with
 * "Show more" while rows remain. An answer without tables (usage, an error) is delivered as any answer.
 */
export const showAllClick: ClickHandler = {
  actionId: ACTIONS.SHOW_ALL,
  async run({ answer, click, surface }) {
    const value = readShowAll(click.value);
    const reply = await answer.queue.run(() => answer.handleTurn(turnOf(click, value.command)));
    const tables = reply.tables ?? [];
    if (!tables.some((t) => t.rows.length > 0)) return deliver(answer, surface, reply);
    if (!surface.capabilities.files) {
      if (value.from >= Math.max(...tables.map((t) => t.rows.length))) return deliver(answer, surface, reply);
      return deliver(answer, surface, tablePage(reply, value));
    }
    for (const table of tables) {
      const currency = tableCurrency(table);
      await surface.attachFile({
        filename: `tally${currency ? `-${currency}` : ''}.csv`,
        title: `${reply.title}${currency ? ` (${currency})` : ''}`,
        content: tableCsv(table),
      });
    }
  },
};
