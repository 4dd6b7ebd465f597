import type { AuditLog } from '../audit/audit.types.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval, ApprovalMessageRef } from './approval.types.js';
import type { ApprovalPolicy } from './approval-policy.types.js';
import { approvalReply, type WhenOf } from './approval-reply.js';
import { contactsOf, displayName } from './approvers.js';
import type { ChatMessenger } from './chat-messenger.port.js';
import { formatInZones, isScheduled, zonesFor } from './execution/execution-schedule.js';

/**
 * Chat messages about approvals: the approval message (posted once, updated in place), thread entries, and direct
 * messages. A failed delivery is logged and audited but never fails the vote or execution that caused it.
 */
export class ApprovalMessages {
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

  /**
   * When an approval waiting for a change window runs, in the approvers' time zones (see {@link zonesFor}); null
   * when it does not wait (any more).
   */
  readonly scheduleText: WhenOf = (approval) =>
    isScheduled(approval) && approval.scheduledFor
      ? formatInZones(new Date(approval.scheduledFor), zonesFor(this.deps.policy, approval))
      : null;

  /** The approval message as it should look now. */
  render(approval: Approval): Reply {
    return approvalReply(approval, this.nameOf, this.scheduleText);
  }

  /** Posts the approval message where it was proposed and in the policy's approval channel. */
  async publish(approval: Approval): Promise<ApprovalMessageRef[]> {
    const refs: ApprovalMessageRef[] = [];
    for (const messenger of this.deps.messengers) {
      const channels = new Set<string>();
      if (approval.origin.platform === messenger.platform && approval.origin.channel)
        channels.add(approval.origin.channel);
      const policyChannel = this.deps.policy.channels[messenger.platform];
      if (policyChannel) channels.add(policyChannel);
      // Top level, not in the thread it was proposed from: approvers must see it, and votes thread under it.
      for (const channel of channels) {
        const posted = await this.attempt(approval, 'message.posted', `approval message in ${channel}`, () =>
          messenger.post(channel, this.render(approval)),
        );
        if (posted) refs.push({ platform: messenger.platform, channel: posted.channel, messageId: posted.messageId });
      }
    }
    return refs;
  }

  /** Updates every approval message in place. */
  async refresh(approval: Approval): Promise<void> {
    const reply = this.render(approval);
    for (const ref of approval.messages) {
      const messenger = this.messenger(ref.platform);
      if (!messenger) continue;
      await this.attempt(approval, 'message.updated', `approval message in ${ref.channel} (${approval.state})`, () =>
        messenger.update({ channel: ref.channel, messageId: ref.messageId }, reply),
      );
    }
  }

  /** A thread entry under every approval message (one per vote, escalation, outcome). */
  async note(approval: Approval, text: string): Promise<void> {
    const reply: Reply = { kind: 'notice', title: text, visibility: 'channel' };
    for (const ref of approval.messages) {
      const messenger = this.messenger(ref.platform);
      if (!messenger) continue;
      await this.attempt(approval, 'message.thread', text, () => messenger.post(ref.channel, reply, ref.messageId));
    }
  }

  /** A direct message to a person on every platform the policy knows them on. Returns how many were sent. */
  async direct(approval: Approval, person: string, reply: Reply): Promise<number> {
    const contacts = contactsOf(this.deps.policy, person);
    let sent = 0;
    for (const messenger of this.deps.messengers) {
      const userId = contacts[messenger.platform];
      if (!userId) continue;
      const ok = await this.attempt(approval, 'message.direct', `direct message to ${this.nameOf(person)}`, () =>
        messenger.direct(userId, reply),
      );
      if (ok !== null) sent++;
    }
    return sent;
  }

  /** Members of a platform user group, for approver lists that name one. */
  async groupMembers(platform: 'slack' | 'teams', groupId: string): Promise<string[]> {
    const messenger = this.messenger(platform);
    return messenger ? messenger.groupMembers(groupId) : [];
  }

  private messenger(platform: string): ChatMessenger | undefined {
    return this.deps.messengers.find((m) => m.platform === platform);
  }

  private async attempt<T>(approval: Approval, event: string, what: string, send: () => Promise<T>) {
    try {
      const result = (await send()) ?? (true as T);
      await this.audit(approval, event, what);
      return result;
    } catch (err) {
      this.deps.logger.warn({ err, approvalId: approval.id, event }, 'approval message not delivered');
      await this.audit(approval, `${event}.failed`, what, err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  private audit(approval: Approval, event: string, what: string, why?: string) {
    return this.deps.audit.append({
      id: newId('aud'),
      at: this.deps.clock.now().toISOString(),
      kind: 'message',
      event,
      approvalId: approval.id,
      actor: 'tally',
      what,
      ...(why ? { why } : {}),
    });
  }
}
