import { type Activity, CardFactory, type CloudAdapter, type ConversationReference, TurnContext } from 'botbuilder';
import type { ChatMessenger, PostedMessage } from '../../src/approvals/chat-messenger.port.js';
import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { handleTeamsError } from './teams-errors.js';
import { splitConversationId } from './teams-turn.js';

/** An Adaptive Card as a plain object (`{ type: 'AdaptiveCard', version, body, actions }`), built by the renderer. */
export type TeamsCard = object;

export interface TeamsMessengerConfig {
  /** The adapter that serves `/api/messages`; proactive sends go through its connector. */
  adapter: CloudAdapter;
  /** `MICROSOFT_APP_ID`; `''` when authentication is off (anonymous, the Bot Framework Emulator). */
  appId: string;
  /** Where the references captured on install and first contact are kept ({@link saveConversationReferences}). */
  refs: ConversationRefStore;
  /** Renders a reply as an Adaptive Card (charts included, hence it may be async). */
  render: (reply: Reply) => TeamsCard | Promise<TeamsCard>;
  logger: Logger;
}

/** What Teams appends to a channel's conversation id to address one reply chain. */
const MESSAGE_ID_SUFFIX = ';messageid=';

/** A Teams conversation id without its reply-chain part: `19:x@thread.tacv2;messageid=17` → `19:x@thread.tacv2`. */
const baseConversationId = (conversationId: string) => splitConversationId(conversationId).conversation;

/** The store key of a conversation's reference (a channel, a group chat, a personal chat): `teams/conv/<id>`. */
export function conversationRefKey(conversationId: string): string {
  return `teams/conv/${baseConversationId(conversationId)}`;
}

/**
 * The store key of a person's personal chat with the bot: `teams/user/<AAD object id>`, lower-cased, because the
 * policy may spell a GUID in either case (approvers.ts compares Teams ids case-insensitively). A `29:…` Teams user
 * id works too: personal chats are saved under both.
 */
export function userRefKey(userId: string): string {
  return `teams/user/${userId.toLowerCase()}`;
}

/**
 * Remembers where an inbound activity came from, so that Tally can write there later. Call it
 * on install (`installationUpdate`, `conversationUpdate`) and on every message: the conversation's reference is
 * saved under {@link conversationRefKey} (without the reply chain, without the activity id), and a personal chat's
 * also under {@link userRefKey} of the sender's AAD object id and of their `29:…` id. A channel's reference keeps no
 * user: proactive posts there are addressed to nobody in particular.
 */
export async function saveConversationReferences(
  refs: ConversationRefStore,
  activity: Partial<Activity>,
): Promise<void> {
  const conversationId = activity.conversation?.id;
  if (!conversationId || !activity.serviceUrl) return;
  const { activityId: _activityId, user, ...reference } = TurnContext.getConversationReference(activity);
  const personal = activity.conversation?.conversationType === 'personal';
  const stored = JSON.stringify({
    ...reference,
    conversation: { ...reference.conversation, id: baseConversationId(conversationId) },
    ...(personal ? { user } : {}),
  });
  await refs.save(conversationRefKey(conversationId), stored);
  if (!personal) return;
  for (const userId of new Set([activity.from?.aadObjectId, activity.from?.id])) {
    if (userId) await refs.save(userRefKey(userId), stored);
  }
}

/** A proactive send Tally could not even start (no reference, an unreadable one, no id in the answer). */
function chatFailed(operation: string, reason: string, key?: string): TallyError {
  return new TallyError('CHAT_FAILED', `Teams ${operation} failed: ${reason}`, {
    metadata: { operation, reason, ...(key ? { key } : {}) },
  });
}

/**
 * Proactive Teams messages from stored conversation references: approval requests and their in-place updates,
 * thread entries, alerts, digests, reminders and escalations. Each send continues the stored conversation
 * (`continueConversationAsync`) and posts the reply as an Adaptive Card. Teams has no user groups here:
 * approvers are listed one by one by AAD object id, so {@link TeamsMessenger.groupMembers} is always empty.
 * Every failure is a TallyError `CHAT_FAILED` with metadata `{ operation, … }`.
 */
export class TeamsMessenger implements ChatMessenger {
  readonly platform = 'teams' as const;

  constructor(private readonly config: TeamsMessengerConfig) {}

  /**
   * Posts a card to a conversation, or into the reply chain `thread` of a channel (conversation id
   * `<channel>;messageid=<thread>`). The message id is the activity id the connector answers with.
   */
  async post(channel: string, reply: Reply, thread?: string): Promise<PostedMessage> {
    const operation = 'teams.post';
    const reference = await this.reference(conversationRefKey(channel), operation);
    const conversationId = thread ? `${baseConversationId(channel)}${MESSAGE_ID_SUFFIX}${thread}` : channel;
    const activity = await this.message(reply);
    let id: string | undefined;
    await this.continue(operation, withConversation(reference, conversationId), async (ctx) => {
      id = (await ctx.sendActivity(activity))?.id;
    });
    if (!id) throw chatFailed(operation, 'no activity id');
    return { channel, messageId: id };
  }

  /** Replaces the card of a message posted before (`PUT …/activities/{id}`). */
  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const operation = 'teams.update';
    const reference = await this.reference(conversationRefKey(message.channel), operation);
    const { attachments } = await this.message(reply);
    await this.continue(operation, withConversation(reference, message.channel), async (ctx) => {
      await ctx.updateActivity({ id: message.messageId, type: 'message', attachments });
    });
  }

  /**
   * Writes to a person in their personal chat with Tally, found by AAD object id. The reference exists once the
   * person has installed the app or written to Tally; without it this fails (`reason: 'no conversation reference'`).
   */
  async direct(userId: string, reply: Reply): Promise<void> {
    const operation = 'teams.direct';
    const reference = await this.reference(userRefKey(userId), operation);
    const activity = await this.message(reply);
    await this.continue(operation, reference, async (ctx) => {
      await ctx.sendActivity(activity);
    });
  }

  /** Always `[]`: Teams approvers are people listed by AAD object id; there are no user groups to expand. */
  async groupMembers(_groupId: string): Promise<string[]> {
    return [];
  }

  /** The stored reference under `key`, parsed; a missing or unreadable one is a `CHAT_FAILED`. */
  private async reference(key: string, operation: string): Promise<Partial<ConversationReference>> {
    const stored = await this.config.refs.get(key);
    if (stored === null) throw chatFailed(operation, 'no conversation reference', key);
    let parsed: Partial<ConversationReference> | null = null;
    try {
      parsed = JSON.parse(stored) as Partial<ConversationReference> | null;
    } catch {
      // Reported below as an unreadable reference.
    }
    if (typeof parsed?.serviceUrl !== 'string' || typeof parsed.conversation?.id !== 'string') {
      throw chatFailed(operation, 'invalid conversation reference', key);
    }
    return parsed;
  }

  private async message(reply: Reply): Promise<Partial<Activity>> {
    const card = await this.config.render(reply);
    // `summary` is what Teams shows in notifications and the activity feed instead of "sent a card".
    return { type: 'message', summary: reply.title, attachments: [CardFactory.adaptiveCard(card)] };
  }

  /** Runs `logic` in the stored conversation; a connector failure becomes `CHAT_FAILED`. */
  private async continue(
    operation: string,
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    this.config.logger.debug({ operation, conversation: reference.conversation?.id }, 'teams proactive send');
    try {
      await this.config.adapter.continueConversationAsync(this.config.appId, reference, logic);
    } catch (err) {
      handleTeamsError(err, operation);
    }
  }
}

function withConversation(
  reference: Partial<ConversationReference>,
  conversationId: string,
): Partial<ConversationReference> {
  return { ...reference, conversation: { ...reference.conversation!, id: conversationId } };
}

/**
 * A {@link TeamsMessenger} on the adapter that serves `/api/messages`.
 * @example
 * const messenger = createTeamsMessenger({ adapter, appId: config.teams.appId ?? '', refs: stores.conversationRefs,
 *   render: (reply) => renderCard(reply), logger });
 * await messenger.post('19:abc@thread.tacv2', alertReply);
 */
export function createTeamsMessenger(config: TeamsMessengerConfig): TeamsMessenger {
  return new TeamsMessenger(config);
}
