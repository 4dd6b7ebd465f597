import type { DigestCommand } from '../commands/command.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import { describeScope } from '../costs/view-scope.js';
import { ACTIONS } from '../shared/action-ids.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Reply, ReplyItem } from '../shared/reply.types.js';
import type { DigestService } from './digest.service.js';
import type { DigestScheduler, DigestSubscription, DigestSubscriptionRepository } from './digest.types.js';
import type { DigestSubscribeCommand } from './digest-cron.js';
import { cadenceOf, cronOf, formatLocal, nextRunOf, scheduleText } from './digest-cron.js';

export interface DigestSubscriptionServiceDeps {
  repo: DigestSubscriptionRepository;
  /** The job scheduler; null without Redis, and then subscribing answers that digests need it. */
  scheduler: DigestScheduler | null;
  /** Builds the digest for `digest now`. */
  digests: DigestService;
  clock: Clock;
}

/** Who sends a digest command, and from where (the turn's user and location). */
export interface DigestRequester {
  platform: DigestSubscription['platform'];
  /** The chat channel; absent in the shell and `tally ask`. */
  channel?: string;
  user: string;
}

/** The `channel` of a subscription made without one (shell, CLI): it is emailed only. */
const NO_CHANNEL = '';

/**
 * `digest subscribe | list | unsubscribe | now`: keeps a channel's digest subscriptions and their job schedulers in
 * step. A subscription fires at its local time in its own time zone (cron and zone go to the scheduler together).
 */
export class DigestSubscriptionService {
  constructor(private readonly deps: DigestSubscriptionServiceDeps) {}

  /** Runs a digest command; `scope` narrows `digest now` to what the asker may see here. */
  async run(command: DigestCommand, who: DigestRequester, scope?: ViewScope): Promise<Reply> {
    switch (command.action) {
      case 'subscribe': {
        const reply = await this.subscribe(command, who);
        // The digest shows what the channel and the subscriber may both see, each time it is built.
        return scope && reply.kind !== 'notice'
          ? {
              ...reply,
              context: [
                ...(reply.context ?? []),
                `The digest shows only what you may see here. ${describeScope(scope)}`,
              ],
            }
          : reply;
      }
      case 'list':
        return this.list(who);
      case 'unsubscribe':
        return command.id ? this.unsubscribeOne(command.id, who) : this.unsubscribeChannel(who);
      case 'show':
        return this.deps.digests.build(scope ? { scope } : {});
    }
  }

  /** Upserts the scheduler of every stored subscription (idempotent; run at start so Redis always has them). */
  async reschedule(): Promise<number> {
    const { scheduler } = this.deps;
    if (!scheduler) return 0;
    const all = await this.deps.repo.list();
    for (const s of all) await scheduler.upsert(s);
    return all.length;
  }

  private async subscribe(command: DigestSubscribeCommand, who: DigestRequester): Promise<Reply> {
    const { scheduler } = this.deps;
    if (!scheduler)
      return notice(
        'Scheduled digests need Redis',
        'Digests are sent by the job queue: set REDIS_URL and restart Tally. `digest now` works without it.',
      );
    if (!who.channel && command.emails.length === 0)
      return notice(
        'No channel to post the digest to',
        'Here there is no chat channel. Subscribe from a Slack or Teams channel, or have it emailed: ' +
          '`digest subscribe weekly mon 09:00 Europe/Berlin to finops@example.com`.',
      );
    const channel = who.channel ?? NO_CHANNEL;
    const cron = cronOf(command);
    const same = (await this.deps.repo.list({ channel })).find(
      (s) =>
        s.platform === who.platform && s.cron === cron && s.tz === command.tz && sameEmails(s.emails, command.emails),
    );
    if (same)
      return notice('Already subscribed', `${same.id} already sends this digest: ${same.schedule}.`, {
        subscription: same,
      });
    const subscription: DigestSubscription = {
      id: newId('dig'),
      platform: who.platform,
      channel,
      cron,
      tz: command.tz,
      schedule: scheduleText(command),
      emails: [...command.emails],
      createdBy: who.user,
      createdAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.repo.save(subscription);
    try {
      await scheduler.upsert(subscription);
    } catch (err) {
      // No schedule, no subscription: a failed upsert must not leave one that never fires.
      await this.deps.repo.remove(subscription.id);
      throw err;
    }
    return this.subscribed(subscription);
  }

  private subscribed(s: DigestSubscription): Reply {
    const run = nextRunOf(s.cron, s.tz, this.deps.clock.now());
    const next = formatLocal(run, s.tz);
    const cadence = cadenceOf(s.cron);
    const emails = s.emails.join(', ');
    return {
      kind: 'answer',
      title: 'Digest subscribed',
      text:
        s.channel === NO_CHANNEL
          ? `A ${cadence} cost digest will be emailed to ${emails}. Next one: ${next}.`
          : `This channel gets a ${cadence} cost digest${emails ? `, also emailed to ${emails}` : ''}. Next one: ${next}.`,
      fields: [
        { label: 'Schedule', value: s.schedule },
        { label: 'Next digest', value: next },
        { label: 'Id', value: s.id },
      ],
      context: ['`digest list` shows the subscriptions here; `digest unsubscribe <id>` removes one.'],
      data: { subscription: s, nextRun: run.toISOString() },
      visibility: 'channel',
    };
  }

  private async list(who: DigestRequester): Promise<Reply> {
    const subs = await this.visibleTo(who);
    if (subs.length === 0)
      return {
        kind: 'answer',
        title: 'Digest subscriptions',
        text: `${who.channel ? 'This channel has' : 'There are'} no digest subscriptions. Try \`digest subscribe weekly mon 09:00 Europe/Berlin\`.`,
        data: { subscriptions: [] },
        visibility: 'channel',
      };
    const now = this.deps.clock.now();
    const runs = subs.map((s) => nextRunOf(s.cron, s.tz, now));
    return {
      kind: 'answer',
      title: 'Digest subscriptions',
      items: subs.map((s, i) => listItem(s, runs[i]!, !who.channel)),
      data: { subscriptions: subs.map((s, i) => ({ ...s, nextRun: runs[i]!.toISOString() })) },
      visibility: 'channel',
    };
  }

  private async unsubscribeOne(id: string, who: DigestRequester): Promise<Reply> {
    const s = await this.deps.repo.get(id);
    if (!s || (who.channel !== undefined && !inChannel(s, who)))
      return notice(
        'No such digest subscription',
        `${id} is not a digest subscription of this channel: see \`digest list\`.`,
      );
    await this.remove([s]);
    return removed([s]);
  }

  private async unsubscribeChannel(who: DigestRequester): Promise<Reply> {
    if (!who.channel)
      return notice(
        'Which subscription?',
        'Here there is no channel: `digest list` shows them all, then `digest unsubscribe <id>`.',
      );
    const subs = await this.visibleTo(who);
    if (subs.length === 0) return notice('Nothing to unsubscribe', 'This channel has no digest subscriptions.');
    await this.remove(subs);
    return removed(subs);
  }

  /** The scheduler goes first: a subscription without a scheduler is harmless, a scheduler without one is noise. */
  private async remove(subs: DigestSubscription[]): Promise<void> {
    for (const s of subs) {
      await this.deps.scheduler?.remove(s.id);
      await this.deps.repo.remove(s.id);
    }
  }

  /** The requester's channel's subscriptions; all of them where there is no channel (shell, CLI). */
  private async visibleTo(who: DigestRequester): Promise<DigestSubscription[]> {
    if (!who.channel) return this.deps.repo.list();
    return (await this.deps.repo.list({ channel: who.channel })).filter((s) => inChannel(s, who));
  }
}

function inChannel(s: DigestSubscription, who: DigestRequester): boolean {
  return s.channel === who.channel && s.platform === who.platform;
}

function sameEmails(a: string[], b: string[]): boolean {
  const norm = (list: string[]) => [...new Set(list.map((e) => e.toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}

function listItem(s: DigestSubscription, next: Date, showChannel: boolean): ReplyItem {
  return {
    title: `${s.id}: ${s.schedule}`,
    fields: [
      { label: 'Next digest', value: formatLocal(next, s.tz) },
      ...(showChannel
        ? [{ label: 'Channel', value: s.channel === NO_CHANNEL ? 'none (email only)' : `${s.platform} ${s.channel}` }]
        : []),
      { label: 'Emails', value: s.emails.length ? s.emails.join(', ') : 'none' },
      { label: 'Created', value: `${s.createdAt.slice(0, 10)} by ${s.createdBy}` },
    ],
    button: {
      actionId: ACTIONS.RUN_COMMAND,
      label: 'Unsubscribe',
      value: `digest unsubscribe ${s.id}`,
      style: 'danger',
    },
  };
}

function removed(subs: DigestSubscription[]): Reply {
  return {
    kind: 'answer',
    title: subs.length === 1 ? 'Digest unsubscribed' : `${subs.length} digests unsubscribed`,
    text: subs.map((s) => `${s.id}: ${s.schedule}`).join('\n'),
    data: { removed: subs.map((s) => s.id) },
    visibility: 'channel',
  };
}

function notice(title: string, text: string, data?: Record<string, unknown>): Reply {
  return { kind: 'notice', title, text, ...(data ? { data } : {}), visibility: 'ephemeral' };
}
