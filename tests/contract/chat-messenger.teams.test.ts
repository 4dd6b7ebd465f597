// The ChatMessenger contract on Teams: TeamsMessenger (adapters/teams) with a real botbuilder CloudAdapter in anonymous
// mode, sending through stored conversation references to the loopback Bot Connector fake, cards drawn by the real
// Adaptive Card renderer.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { MemoryConversationRefStore } from '../../adapters/memory/memory-conversation-ref.store.js';
import { renderCard } from '../../adapters/teams/render-card.js';
import { createTeamsMessenger, saveConversationReferences } from '../../adapters/teams/teams-messenger.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { chatMessengerContract, type DeliveredMessage } from './chat-messenger.contract.js';

const CHANNEL = '19:approvals@thread.tacv2';
const ALICE = '6f1c2a4e-0b7d-4c55-9e0a-3d2f8b1c7a90';
const ALICE_CHAT = 'a:1alice-personal';
const BOT = { id: '28:tally-bot', name: 'Tally' };
const THREAD = ';messageid=';

chatMessengerContract('Teams', async () => {
  const connector = await startBotConnectorFake();
  const refs = new MemoryConversationRefStore();
  const inbound = (conversation: { id: string; conversationType: string }, from: { id: string; aadObjectId: string }) =>
    saveConversationReferences(refs, {
      type: 'message',
      id: '1731000000123',
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      conversation: {
        tenantId: 'tenant-1',
        isGroup: conversation.conversationType === 'channel',
        name: '',
        ...conversation,
      },
      from: { name: 'Someone', ...from },
      recipient: BOT,
      text: 'hello',
    });
  // What Teams sends when someone writes in the channel and when Alice writes to Tally in her personal chat.
  await inbound(
    { id: `${CHANNEL}${THREAD}1730000000001`, conversationType: 'channel' },
    { id: '29:bob', aadObjectId: 'bob-aad' },
  );
  await inbound({ id: ALICE_CHAT, conversationType: 'personal' }, { id: '29:alice', aadObjectId: ALICE });
  const messenger = createTeamsMessenger({
    adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
    appId: '',
    refs,
    render: (reply) => renderCard(reply),
    logger: silentLogger,
  });
  const accepted = (c: ConnectorCall) => c.status >= 200 && c.status < 300;
  const shown = (c: ConnectorCall) => JSON.stringify({ summary: c.body.summary, attachments: c.body.attachments });
  return {
    messenger,
    channel: CHANNEL,
    user: ALICE,
    group: { id: 'S0APPROVERS', members: [] },
    delivered() {
      const messages: DeliveredMessage[] = [];
      for (const c of connector.calls.filter(accepted)) {
        if (c.kind === 'send' || c.kind === 'reply') {
          const [conversation = '', thread] = c.conversationId.split(THREAD);
          const where = conversation === ALICE_CHAT ? `direct:${ALICE}` : conversation;
          const id = (c.reply as { id: string }).id;
          messages.push({ where, id, ...(thread ? { thread } : {}), shown: shown(c), updates: 0 });
        } else if (c.kind === 'update') {
          const message = messages.find((m) => m.id === c.activityId && m.where === c.conversationId.split(THREAD)[0]);
          if (message) {
            message.shown = shown(c);
            message.updates++;
          }
        }
      }
      return messages;
    },
    refuseNext(op) {
      const inChat = (id: string) => (body: Record<string, unknown>) =>
        ((body.conversation as { id?: string } | undefined)?.id ?? '').startsWith(id);
      if (op === 'update') connector.failNext('update', { status: 404, code: 'ActivityNotFoundInConversation' });
      // A proactive send replies to the continuation activity, so it arrives as a `reply`.
      if (op === 'post')
        connector.failNext('reply', { status: 403, code: 'BotNotInConversationRoster' }, inChat(CHANNEL));
      if (op === 'direct')
        connector.failNext('reply', { status: 403, code: 'ConversationBlockedByUser' }, inChat(ALICE_CHAT));
    },
    close: () => connector.close(),
  };
});
