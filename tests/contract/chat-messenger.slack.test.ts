// The ChatMessenger contract on Slack: SlackMessenger (adapters/slack) against the loopback fake of Slack's Web API.
import { createSlackMessenger } from '../../adapters/slack/slack-messenger.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { type SlackCall, startSlackFake } from '../support/slack-fake.js';
import { chatMessengerContract, type DeliveredMessage } from './chat-messenger.contract.js';

const ok = (call: SlackCall) => typeof call.reply === 'object' && call.reply.ok === true;
const shown = (call: SlackCall) => JSON.stringify({ text: call.body.text, blocks: call.body.blocks });

chatMessengerContract('Slack', async () => {
  const fake = await startSlackFake();
  fake.setUsergroup('S0APPROVERS', ['U0ALICE', 'U0BOB']);
  const messenger = createSlackMessenger({
    botToken: 'xoxb-contract',
    apiUrl: fake.url,
    retries: 0,
    logger: silentLogger,
  });
  return {
    messenger,
    channel: 'C0APPROVALS',
    user: 'U0ALICE',
    group: { id: 'S0APPROVERS', members: ['U0ALICE', 'U0BOB'] },
    delivered() {
      // Direct messages go to the DM channel `conversations.open` returned for the user.
      const dmOf = new Map<string, string>();
      for (const c of fake.callsTo('conversations.open').filter(ok)) {
        const reply = c.reply as { channel: { id: string } };
        dmOf.set(reply.channel.id, String(c.body.users));
      }
      const messages: DeliveredMessage[] = [];
      for (const c of fake.calls.filter(ok)) {
        const reply = c.reply as { channel: string; ts: string };
        if (c.method === 'chat.postMessage') {
          const dm = dmOf.get(reply.channel);
          const thread = typeof c.body.thread_ts === 'string' ? { thread: c.body.thread_ts } : {};
          messages.push({
            where: dm ? `direct:${dm}` : reply.channel,
            id: reply.ts,
            ...thread,
            shown: shown(c),
            updates: 0,
          });
        } else if (c.method === 'chat.update') {
          const message = messages.find(
            (m) => m.id === c.body.ts && !m.where.startsWith('direct:') && m.where === c.body.channel,
          );
          if (message) {
            message.shown = shown(c);
            message.updates++;
          }
        }
      }
      return messages;
    },
    refuseNext(op) {
      if (op === 'post') fake.failNext('chat.postMessage', { error: 'not_in_channel' });
      if (op === 'update') fake.failNext('chat.update', { error: 'message_not_found' });
      if (op === 'direct') fake.failNext('conversations.open', { error: 'user_not_found' });
    },
    close: () => fake.close(),
  };
});
