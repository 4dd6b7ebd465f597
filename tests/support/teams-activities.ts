// Builders of the activities Teams sends a bot, shaped as the Bot Connector delivers them, with
// overrides. Ids are unique per process run, so deduplication in a long-lived Redis never mistakes one test's
// activity for another's.
import { randomBytes } from 'node:crypto';

export type TeamsActivity = Record<string, unknown> & { id: string; type: string };

/** Identity of the fake tenant, team, bot and user. */
export const TEAMS = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  botAppId: '00000000-0000-0000-0000-0000000000b0',
  botName: 'Tally',
  userAadId: '6b7c8d9e-0000-4000-8000-00000000a11c',
  userId: '29:1user-ada',
  userName: 'Ada Lovelace',
  teamId: '19:team-general@thread.tacv2',
  channelId: '19:finops-channel@thread.tacv2',
  groupChatId: '19:group-chat-1@thread.v2',
} as const;

const RUN = randomBytes(3).toString('hex');
let counter = 0;

/** A fresh activity id, like Teams' millisecond ids (with this run's tag, so ids never repeat across runs). */
export function activityId(): string {
  counter += 1;
  return `${Date.now()}${String(counter).padStart(4, '0')}-${RUN}`;
}

/** Options every builder takes. */
export interface ActivityOptions {
  /** Where replies go: the Bot Connector fake's `serviceUrl`. */
  serviceUrl: string;
  id?: string;
  /** The user: `{ id, name, aadObjectId }`. @defaultValue Ada, {@link TEAMS} */
  from?: { id: string; name?: string; aadObjectId?: string };
  /** The bot's app id; the recipient is `28:<botAppId>`. @defaultValue {@link TEAMS}.botAppId */
  botAppId?: string;
  /** `expectReplies` makes the replies the HTTP body of the request. */
  deliveryMode?: 'normal' | 'expectReplies';
  /** Anything else to set or replace. */
  extra?: Record<string, unknown>;
}

function base(type: string, o: ActivityOptions): TeamsActivity {
  return {
    type,
    id: o.id ?? activityId(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: o.from ?? { id: TEAMS.userId, name: TEAMS.userName, aadObjectId: TEAMS.userAadId },
    recipient: { id: `28:${o.botAppId ?? TEAMS.botAppId}`, name: TEAMS.botName },
    locale: 'en-US',
    ...(o.deliveryMode ? { deliveryMode: o.deliveryMode } : {}),
  };
}

const tenantData = () => ({ tenant: { id: TEAMS.tenantId } });

/** `<at>Tally</at> text` with its mention entity (what Teams sends when the bot is @mentioned). */
function mentioned(text: string, o: ActivityOptions) {
  const at = `<at>${TEAMS.botName}</at>`;
  return {
    text: `${at} ${text}`,
    textFormat: 'plain',
    entities: [
      {
        type: 'mention',
        text: at,
        mentioned: { id: `28:${o.botAppId ?? TEAMS.botAppId}`, name: TEAMS.botName },
      },
    ],
  };
}

/** A message in the user's personal (1:1) chat with the bot; no mention needed. */
export function personalMessage(o: ActivityOptions & { text: string; conversationId?: string }): TeamsActivity {
  return {
    ...base('message', o),
    text: o.text,
    textFormat: 'plain',
    conversation: { conversationType: 'personal', tenantId: TEAMS.tenantId, id: o.conversationId ?? 'a:1personal-ada' },
    channelData: tenantData(),
    ...o.extra,
  };
}

/**
 * A channel post mentioning the bot. A new post starts its reply chain: Teams names the chain in the conversation
 * id, `<channel>;messageid=<id of the root post>`. Give `root` for a reply in an existing chain.
 */
export function channelMessage(
  o: ActivityOptions & { text: string; channel?: string; root?: string; mention?: boolean },
): TeamsActivity {
  const id = o.id ?? activityId();
  const root = o.root ?? id;
  const channel = o.channel ?? TEAMS.channelId;
  return {
    ...base('message', { ...o, id }),
    ...(o.mention === false ? { text: o.text, textFormat: 'plain' } : mentioned(o.text, o)),
    ...(o.root ? { replyToId: o.root } : {}),
    conversation: {
      conversationType: 'channel',
      isGroup: true,
      tenantId: TEAMS.tenantId,
      id: `${channel};messageid=${root}`,
    },
    channelData: {
      teamsChannelId: channel,
      teamsTeamId: TEAMS.teamId,
      channel: { id: channel },
      team: { id: TEAMS.teamId },
      tenant: { id: TEAMS.tenantId },
    },
    ...o.extra,
  };
}

/** A reply in the reply chain started by `root` (a follow-up in a channel thread). */
export function threadReply(o: ActivityOptions & { text: string; root: string; channel?: string }): TeamsActivity {
  return channelMessage(o);
}

/** A message in a group chat mentioning the bot (group chats have no reply chains). */
export function groupChatMessage(
  o: ActivityOptions & { text: string; chat?: string; mention?: boolean },
): TeamsActivity {
  return {
    ...base('message', o),
    ...(o.mention === false ? { text: o.text, textFormat: 'plain' } : mentioned(o.text, o)),
    conversation: {
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: TEAMS.tenantId,
      id: o.chat ?? TEAMS.groupChatId,
    },
    channelData: tenantData(),
    ...o.extra,
  };
}

/**
 * A click on an `Action.Execute` (Universal Actions): an `adaptiveCard/action` invoke from the message holding the
 * card (`replyToId`), in `conversationId` (a channel reply chain, a chat). `trigger: 'automatic'` is a card refresh.
 */
export function cardAction(
  o: ActivityOptions & {
    verb: string;
    data?: Record<string, unknown>;
    trigger?: 'manual' | 'automatic';
    /** The id of the message holding the card. */
    replyToId?: string;
    conversationId?: string;
    conversationType?: 'personal' | 'channel' | 'groupChat';
  },
): TeamsActivity {
  const type = o.conversationType ?? 'personal';
  return {
    ...base('invoke', o),
    name: 'adaptiveCard/action',
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
    value: {
      action: { type: 'Action.Execute', verb: o.verb, data: o.data ?? {} },
      trigger: o.trigger ?? 'manual',
    },
    conversation: {
      conversationType: type,
      tenantId: TEAMS.tenantId,
      ...(type === 'personal' ? {} : { isGroup: true }),
      id: o.conversationId ?? 'a:1personal-ada',
    },
    channelData: tenantData(),
    ...o.extra,
  };
}

/**
 * The bot added to a conversation: `conversationUpdate` with the bot in `membersAdded` (a team's channel, a group
 * chat, or a personal chat).
 */
export function conversationUpdate(
  o: ActivityOptions & { conversationId?: string; conversationType?: 'personal' | 'channel' | 'groupChat' },
): TeamsActivity {
  const type = o.conversationType ?? 'channel';
  const bot = { id: `28:${o.botAppId ?? TEAMS.botAppId}`, name: TEAMS.botName };
  return {
    ...base('conversationUpdate', o),
    membersAdded: [bot],
    conversation: {
      conversationType: type,
      tenantId: TEAMS.tenantId,
      ...(type === 'personal' ? {} : { isGroup: true }),
      id:
        o.conversationId ??
        (type === 'channel' ? TEAMS.channelId : type === 'groupChat' ? TEAMS.groupChatId : 'a:1personal-ada'),
    },
    channelData:
      type === 'channel'
        ? { team: { id: TEAMS.teamId }, eventType: 'teamMemberAdded', tenant: { id: TEAMS.tenantId } }
        : tenantData(),
    ...o.extra,
  };
}
