import type { ApprovalMessageRef } from '../approvals/approval.types.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import { contactsOf, displayName } from '../approvals/approvers.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { BudgetChange } from './budget-change.types.js';
import { budgetChangeReply } from './budget-change-reply.js';

/**
 * Chat messages about budget changes, as `ApprovalMessages` sends them for actions: the request's card (posted where
 * it was requested and in the policy's approval channel, updated in place), thread entries, direct messages, and the
 * note in the budget's channel. A failed delivery is logged and audited, never fails the vote that caused it.
 */
export class BudgetChangeMessages {
  constructor(
    private readonly deps: {
      messengers: ChatMessenger[];
      policy: ApprovalPolicy;
      audit: AuditLog;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  readonly nameOf = (person: string) => displayName(this.deps.policy, person);

  render(change: BudgetChange): Reply {
    return budgetChangeReply(change, this.nameOf);
  }

  /** Posts the card top level where it was requested and in the policy's approval channel. */
  async publish(change: BudgetChange): Promise<ApprovalMessageRef[]> {
    const refs: ApprovalMessageRef[] = [];
    for (const messenger of this.deps.messengers) {
      const channels = new Set<string>();
      if (change.origin.platform === messenger.platform && change.origin.channel) channels.add(change.origin.channel);
      const policyChannel = this.deps.policy.channels[messenger.platform];
      if (policyChannel) channels.add(policyChannel);
      for (const channel of channels) {
        const posted = await this.attempt(change, 'message.posted', `budget change request in ${channel}`, () =>
          messenger.post(channel, this.render(change)),
        );
        if (posted) refs.push({ platform: messenger.platform, channel: posted.channel, messageId: posted.messageId });
      }
    }
    return refs;
  }

  /** Updates every card in place. */
  async refresh(change: BudgetChange): Promise<void> {
    const reply = this.render(change);
    for (const ref of change.messages) {
      const messenger = this.messenger(ref.platform);
      if (!messenger) continue;
      await this.attempt(change, 'message.updated', `budget change card in ${ref.channel} (${change.state})`, () =>
        messenger.update({ channel: ref.channel, messageId: ref.messageId }, reply),
      );
    }
  }

  /**
   * A thread entry under every card, and in the thread it was requested from (an alert's "Request increase") when
   * that is another one.
   */
  async note(change: BudgetChange, text: string): Promise<void> {
    const reply: Reply = { kind: 'notice', title: text, visibility: 'channel' };
    const threads = change.messages.map((m) => ({ platform: m.platform, channel: m.channel, thread: m.messageId }));
    const { platform, channel, thread } = change.origin;
    if ((platform === 'slack' || platform === 'teams') && channel && thread)
      threads.push({ platform, channel, thread });
    const seen = new Set<string>();
    for (const t of threads) {
      const key = `${t.platform}|${t.channel}|${t.thread}`;
      const messenger = this.messenger(t.platform);
      if (seen.has(key) || !messenger) continue;
      seen.add(key);
      await this.attempt(change, 'message.thread', text, () => messenger.post(t.channel, reply, t.thread));
    }
  }

  /** A message in the budget's own channel (on every platform whose channel id it could be). */
  async toChannel(change: BudgetChange, channel: string, reply: Reply): Promise<void> {
    for (const messenger of this.deps.messengers) {
      if (!channelOf(messenger.platform, channel)) continue;
      await this.attempt(change, 'message.posted', `budget change outcome in ${channel}`, () =>
        messenger.post(channel, reply),
      );
    }
  }

  /** A direct message to a person on every platform the policy knows them on. */
  async direct(change: BudgetChange, person: string, reply: Reply): Promise<void> {
    const contacts = contactsOf(this.deps.policy, person);
    for (const messenger of this.deps.messengers) {
      const userId = contacts[messenger.platform];
      if (!userId) continue;
      await this.attempt(change, 'message.direct', `direct message to ${this.nameOf(person)}`, () =>
        messenger.direct(userId, reply),
      );
    }
  }

  async groupMembers(platform: 'slack' | 'teams', groupId: string): Promise<string[]> {
    const messenger = this.messenger(platform);
    return messenger ? messenger.groupMembers(groupId) : [];
  }

  private messenger(platform: string): ChatMessenger | undefined {
    return this.deps.messengers.find((m) => m.platform === platform);
  }

  private async attempt<T>(change: BudgetChange, event: string, what: string, send: () => Promise<T>) {
    try {
      const result = (await send()) ?? (true as T);
      await this.audit(change, event, what);
      return result;
    } catch (err) {
      this.deps.logger.warn({ err, approvalId: change.id, event }, 'budget change message not delivered');
      await this.audit(change, `${event}.failed`, what, err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  private audit(change: BudgetChange, event: string, what: string, why?: string) {
    return this.deps.audit.append({
      id: newId('aud'),
      at: this.deps.clock.now().toISOString(),
      kind: 'message',
      event,
      approvalId: change.id,
      actor: 'tally',
      what,
      ...(why ? { why } : {}),
    });
  }
}

/** A Slack channel id (`C…`, `G…`) belongs to Slack; anything else (a Teams conversation id) to Teams. */
function channelOf(platform: 'slack' | 'teams', channel: string): boolean {
  const slack = /^[CG][A-Z0-9]+$/.test(channel);
  return platform === 'slack' ? slack : !slack;
}
