import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessenger } from '../../src/approvals/chat-messenger.port.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Reply } from '../../src/shared/reply.types.js';

/** A message as the chat platform holds it, read from what the platform's fake recorded. */
export interface DeliveredMessage {
  /** The channel it is in, or `direct:<user id>` for a direct message. */
  where: string;
  /** The platform's id of the message. */
  id: string;
  /** The message whose thread (Slack) or reply chain (Teams) it is in. */
  thread?: string;
  /** What the platform shows of its latest version (its text and blocks, or its card), as text. */
  shown: string;
  /** How many times it was replaced. */
  updates: number;
}

/** One messenger on its platform's loopback fake. */
export interface ChatMessengerSetup {
  messenger: ChatMessenger;
  /** A channel the bot may post in. */
  channel: string;
  /** A user the bot may write to directly. */
  user: string;
  /** A user group and its members as the platform lists them (Teams has no user groups: `[]`). */
  group: { id: string; members: string[] };
  /** Every message the platform holds now, in the order they were first posted. */
  delivered(): DeliveredMessage[];
  /** The platform refuses the next call that carries out `op` (with a 4xx answer, so that no client retries). */
  refuseNext(op: 'post' | 'update' | 'direct'): void;
  close(): Promise<void>;
}

/** An approval card: a title, a field and two buttons, all of which a platform renders. */
function card(title: string): Reply {
  return {
    kind: 'notice',
    title,
    text: 'Stop i-0abc (t3.large) in us-east-1 · saves $60.74 per month',
    fields: [{ label: 'Approvals', value: '0 of 2' }],
    buttons: [
      { actionId: ACTIONS.APPROVE, label: 'Approve', value: 'apr_contract', style: 'primary' },
      { actionId: ACTIONS.REJECT, label: 'Reject', value: 'apr_contract', style: 'danger' },
    ],
    visibility: 'channel',
  };
}

async function refusal(work: Promise<unknown>): Promise<TallyError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TallyError);
  return err as TallyError;
}

/**
 * The ChatMessenger contract (src/approvals/chat-messenger.port.ts): proactive messages on one platform. `post`
 * returns the platform's id of a new message, `update` replaces that message in place, a post with `thread` lands in
 * the thread of a message, `direct` writes to a user, and every platform failure is a TallyError `CHAT_FAILED`.
 * Run against Slack's Web API fake and the Bot Connector fake.
 */
export function chatMessengerContract(name: string, make: () => Promise<ChatMessengerSetup>) {
  describe(`ChatMessenger contract: ${name}`, () => {
    let setup: ChatMessengerSetup;
    beforeEach(async () => {
      setup = await make();
    });
    afterEach(async () => {
      await setup.close();
    });

    it('names its platform', () => {
      expect(['slack', 'teams']).toContain(setup.messenger.platform);
    });

    it('posts a new message to a channel and returns the channel and the id the platform gave it', async () => {
      const posted = await setup.messenger.post(setup.channel, card('Approval needed: first'));
      expect(posted.channel).toBe(setup.channel);
      expect(posted.messageId).not.toBe('');
      const delivered = setup.delivered();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({ where: setup.channel, id: posted.messageId, updates: 0 });
      expect(delivered[0]?.thread).toBeUndefined();
      expect(delivered[0]?.shown).toContain('Approval needed: first');
    });

    it('gives each post an id of its own', async () => {
      const one = await setup.messenger.post(setup.channel, card('Approval needed: one'));
      const two = await setup.messenger.post(setup.channel, card('Approval needed: two'));
      expect(one.messageId).not.toBe(two.messageId);
      expect(setup.delivered().map((m) => [m.id, m.shown.includes('one'), m.shown.includes('two')])).toEqual([
        [one.messageId, true, false],
        [two.messageId, false, true],
      ]);
    });

    it('updates a message in place: the same message shows the new content, and nothing new is posted', async () => {
      const posted = await setup.messenger.post(setup.channel, card('Approval needed: 0 of 2'));
      await setup.messenger.update(posted, card('Approved: 2 of 2'));
      await setup.messenger.update(posted, card('SUCCEEDED: stopped'));
      const delivered = setup.delivered();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({ where: setup.channel, id: posted.messageId, updates: 2 });
      expect(delivered[0]?.shown).toContain('SUCCEEDED: stopped');
      expect(delivered[0]?.shown).not.toContain('Approval needed');
    });

    it('posts into the thread of a message, and returns an id that can be updated too', async () => {
      const parent = await setup.messenger.post(setup.channel, card('Approval needed: parent'));
      const entry = await setup.messenger.post(setup.channel, card('Alice approved (1 of 2)'), parent.messageId);
      expect(entry.channel).toBe(setup.channel);
      expect(entry.messageId).not.toBe(parent.messageId);
      await setup.messenger.update(entry, card('Alice approved (1 of 2), edited'));
      const byId = new Map(setup.delivered().map((m) => [m.id, m]));
      expect(byId.get(parent.messageId)?.thread).toBeUndefined();
      expect(byId.get(entry.messageId)).toMatchObject({ where: setup.channel, thread: parent.messageId, updates: 1 });
      expect(byId.get(entry.messageId)?.shown).toContain('edited');
      expect(byId.get(parent.messageId)?.shown).not.toContain('Alice approved');
    });

    it('writes to a user directly, not in a channel', async () => {
      await setup.messenger.direct(setup.user, card('Reminder: your vote is needed'));
      const delivered = setup.delivered();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({ where: `direct:${setup.user}`, updates: 0 });
      expect(delivered[0]?.shown).toContain('Reminder: your vote is needed');
    });

    it("lists a user group's members as the platform does", async () => {
      expect(await setup.messenger.groupMembers(setup.group.id)).toEqual(setup.group.members);
    });

    it('turns a refused post, update or direct message into CHAT_FAILED, and the next call works again', async () => {
      setup.refuseNext('post');
      expect((await refusal(setup.messenger.post(setup.channel, card('refused post')))).code).toBe('CHAT_FAILED');
      const posted = await setup.messenger.post(setup.channel, card('Approval needed: kept'));

      setup.refuseNext('update');
      const update = await refusal(setup.messenger.update(posted, card('refused update')));
      expect(update.code).toBe('CHAT_FAILED');

      setup.refuseNext('direct');
      expect((await refusal(setup.messenger.direct(setup.user, card('refused direct')))).code).toBe('CHAT_FAILED');

      const delivered = setup.delivered();
      expect(delivered.map((m) => [m.id, m.updates])).toEqual([[posted.messageId, 0]]);
      expect(delivered[0]?.shown).toContain('Approval needed: kept');
      await setup.messenger.update(posted, card('Approved'));
      await setup.messenger.direct(setup.user, card('Approved, as you asked'));
      expect(setup.delivered().map((m) => [m.where, m.updates])).toEqual([
        [setup.channel, 1],
        [`direct:${setup.user}`, 0],
      ]);
    });
  });
}
