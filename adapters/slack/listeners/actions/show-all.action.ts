import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { stringify } from 'csv-stringify/sync';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import type { Reply } from '../../../../src/shared/reply.types.js';
import { cellText } from '../../../shell/render-text.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn } from '../../slack-turn.js';
import { failSafely } from '../fail-safely.js';

/**
 * "Show all" under a truncated table: the command runs again and its full tables are uploaded into the thread as CSV
 * files (a message cannot hold them: Block Kit limits).
 */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.SHOW_ALL }, async (args) =>
    showAll(args, deps),
  );
}

export async function showAll(
  { ack, body, action, client, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>,
  deps: SlackListenerDeps,
): Promise<void> {
  await ack();
  if (!(await deps.dedupe.claim(`slack:action:${body.trigger_id}`, DEDUPE_TTL_SECONDS))) return;
  const channel = body.channel?.id;
  if (!channel || !action.value) return;
  const threadTs = body.message?.thread_ts ?? body.message?.ts;
  const tell = async (text: string) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
  await failSafely(deps.logger, { channel, user: body.user.id, action: action.action_id }, tell, async () => {
    const reply = await deps.handleTurn(
      slackTurn({ team: body.team?.id, channel, user: body.user.id, text: action.value ?? '', threadTs }),
    );
    for (const table of reply.tables ?? []) {
      const currency = /\(([A-Z]{3})\)/.exec(table.columns.map((c) => c.header).join(' '))?.[1];
      await client.filesUploadV2({
        channel_id: channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        content: tableCsv(table),
        filename: `tally${currency ? `-${currency}` : ''}.csv`,
        title: `${reply.title}${currency ? ` (${currency})` : ''}`,
      });
    }
  });
}

function tableCsv(table: NonNullable<Reply['tables']>[number]): string {
  const rows = table.rows.map((r) => r.map((c) => (c.kind === 'money' ? c.amount.toFixed(2) : cellText(c))));
  return stringify([table.columns.map((c) => c.header), ...rows]);
}
