import { type Activity, TurnContext } from 'botbuilder';
import type { Identity } from '../../src/approvals/approval.types.js';
import type { Turn } from '../../src/conversation/turn.types.js';

/** The `;messageid=` suffix Teams adds to a channel conversation id to name a reply chain. */
const MESSAGE_ID = /;messageid=([^;]+)/i;

/** A Teams conversation id split into the conversation itself and the reply chain it names, if any. */
export function splitConversationId(conversationId: string): { conversation: string; replyChain?: string } {
  const replyChain = MESSAGE_ID.exec(conversationId)?.[1];
  const conversation = conversationId.replace(MESSAGE_ID, '');
  return replyChain ? { conversation, replyChain } : { conversation };
}

/** The tenant of an activity: `conversation.tenantId`, else `channelData.tenant.id`. */
function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return activity.conversation?.tenantId ?? (typeof fromChannelData === 'string' ? fromChannelData : undefined);
}

/** Who sent an activity, as the approvals `Identity`: the AAD object id (what the policy lists), else the `29:` id. */
export function teamsIdentity(activity: Partial<Activity>): Identity {
  const from = activity.from;
  const id = from?.aadObjectId ?? from?.id ?? 'unknown';
  return { platform: 'teams', id, ...(from?.name ? { name: from.name } : {}) };
}

/** Whether the activity @mentions the bot (its recipient). */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
}

/**
 * The text of a message without the bot's `<at>Tally</at>` mention (team and group chats include it), whitespace
 * collapsed. `removeRecipientMention` edits `activity.text` in place, so it works on a copy.
 */
export function messageText(activity: Partial<Activity>): string {
  const copy = { ...activity, text: activity.text ?? '' };
  const text = TurnContext.removeRecipientMention(copy) ?? copy.text;
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Where a Teams activity happened, as a Turn location: the tenant, the conversation id without `;messageid=`, and
 * the reply chain (the `;messageid=` value; for a channel post without one, the post itself starts the chain).
 * Personal and group chats have no reply chains, so the whole chat is one conversation of the agent's memory.
 */
export function teamsLocation(activity: Partial<Activity>): Turn['location'] {
  const { conversation, replyChain } = splitConversationId(activity.conversation?.id ?? '');
  const workspace = tenantOf(activity);
  const isChannel = activity.conversation?.conversationType === 'channel';
  // A card action (invoke) comes from the message holding the card (`replyToId`), not from a post of its own.
  const root = activity.type === 'invoke' ? (activity.replyToId ?? activity.id) : activity.id;
  const thread = replyChain ?? (isChannel ? root : undefined);
  return {
    platform: 'teams',
    ...(workspace ? { workspace } : {}),
    channel: conversation,
    ...(thread ? { thread } : {}),
  };
}

/** A Turn from a Teams activity and the text to run (a message without the mention, or a button's command). */
export function teamsTurn(activity: Partial<Activity>, text: string): Turn {
  const { id, name } = teamsIdentity(activity);
  return { user: { id, ...(name ? { name } : {}) }, location: teamsLocation(activity), text };
}
