import type { RiskLevel } from '../actions/action.types.js';
import { describeWindows, type Guardrails } from '../actions/guardrails.js';
import type { Approval } from '../approvals/approval.types.js';
import { notice } from '../approvals/approval-list-reply.js';
import type { ApprovalRepository } from '../approvals/approval-repository.port.js';
import { scopeOwner } from '../approvals/approval-scope.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { ApprovalCommand } from '../commands/command.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import { scopeAllows } from '../costs/view-scope.js';
import type { RecommendationService } from '../recommendations/recommendation.service.js';
import type { RecommendationList } from '../recommendations/recommendation.types.js';
import {
  conversationKey,
  type RecommendationDismissal,
  type RecommendationDismissalRepository,
} from '../recommendations/recommendation-dismissal.types.js';
import { RECENT_ACTION_DAYS, reviewRecommendations } from '../recommendations/recommendation-review.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Reply } from '../shared/reply.types.js';
import { recommendationsReply } from './replies/recommendations.reply.js';

/** Approvals read per state when recommendations are reviewed: more than are ever pending at once. */
const APPROVALS_READ = 500;
const DAY_MS = 86_400_000;

export interface RecommendationCommandDeps {
  recommendations: RecommendationService;
  /** Read only, for the actions under way or done on each resource; null where approvals are not available. */
  approvals: ApprovalRepository | null;
  dismissals: RecommendationDismissalRepository;
  audit: AuditLog;
  guardrails: Guardrails;
  /** Whether a risk level has approvers in the policy. */
  hasApprovers: (risk: RiskLevel) => boolean;
  /** A person's display name. */
  nameOf: (person: string) => string;
  /** The person of the policy behind a chat identity, else the identity's id. */
  personOf: (identity: { platform: 'slack' | 'teams' | 'shell' | 'cli' | 'agent'; id: string }) => string;
  clock: Clock;
}

/** Who asks, and where (the parts of a turn these commands use). */
export interface RecommendationCaller {
  user: { id: string };
  location: { platform: 'slack' | 'teams' | 'shell' | 'cli' | 'agent'; channel?: string };
}

type RecommendationCommand = Extract<ApprovalCommand, { kind: 'recommendations' | 'dismiss' | 'undismiss' }>;

/**
 * `recommendations [all]`, `dismiss`, `snooze` and `undismiss` (README "Recommendations and approvals"). The list is
 * reviewed as a proposal and the executor would see it (`reviewRecommendations`): protected resources and the
 * recommendations dismissed or snoozed in this conversation are left out and counted (`all` shows them, marked),
 * one that cannot be approved says why, one with an action under way or done lately says which. Dismissals belong to
 * the conversation they were made in (`conversationKey`) and are audited with their reason.
 */
export class RecommendationCommandService {
  constructor(private readonly deps: RecommendationCommandDeps) {}

  run(command: RecommendationCommand, caller: RecommendationCaller, scope?: ViewScope): Promise<Reply> {
    if (command.kind === 'recommendations') return this.list(command, caller, scope);
    if (command.kind === 'dismiss') return this.dismiss(command, caller);
    return this.undismiss(command.target, caller);
  }

  private async list(
    command: Extract<RecommendationCommand, { kind: 'recommendations' }>,
    caller: RecommendationCaller,
    scope: ViewScope | undefined,
  ): Promise<Reply> {
    const { deps } = this;
    const result = await deps.recommendations.list({
      ...(command.region ? { region: command.region } : {}),
      refresh: command.refresh,
    });
    const visible = inScope(result, scope);
    if (!visible) return outsideScope(result, scope!);
    const now = deps.clock.now();
    const [approvals, dismissals] = await Promise.all([
      this.recentApprovals(now),
      deps.dismissals.active(conversationKey(caller.location, caller.user.id), now),
    ]);
    const reviewed = reviewRecommendations(visible.recommendations, {
      guardrails: deps.guardrails,
      hasApprovers: deps.hasApprovers,
      approvals,
      dismissals,
      nameOf: deps.nameOf,
      now,
    });
    const isProtected = (r: (typeof reviewed)[number]) => r.refusal?.kind === 'protected';
    const listed = command.all ? reviewed : reviewed.filter((r) => !r.dismissal && !isProtected(r));
    const hiddenProtected = command.all ? [] : reviewed.filter((r) => !r.dismissal && isProtected(r));
    return recommendationsReply(visible, {
      review: {
        listed,
        hidden: {
          protected: hiddenProtected.length,
          protectedTags: [...new Set(hiddenProtected.map((r) => r.refusal?.tag ?? ''))],
          dismissed: command.all ? 0 : reviewed.filter((r) => r.dismissal).length,
        },
        all: command.all === true,
        now,
        ...(deps.guardrails.changeWindows.length ? { changeWindows: describeWindows(deps.guardrails) } : {}),
      },
    });
  }

  /** What is under way, and what succeeded in the last {@link RECENT_ACTION_DAYS} days, newest first. */
  private async recentApprovals(now: Date): Promise<Approval[]> {
    const repo = this.deps.approvals;
    if (!repo) return [];
    const since = new Date(now.getTime() - RECENT_ACTION_DAYS * DAY_MS).toISOString();
    const [open, done] = await Promise.all([
      repo.list({ states: ['PENDING', 'APPROVED', 'EXECUTING'], limit: APPROVALS_READ }),
      repo.list({ states: ['SUCCEEDED'], executionStartedFrom: since, limit: APPROVALS_READ }),
    ]);
    return [...open, ...done];
  }

  private async dismiss(
    command: Extract<RecommendationCommand, { kind: 'dismiss' }>,
    caller: RecommendationCaller,
  ): Promise<Reply> {
    const { deps } = this;
    const now = deps.clock.now();
    const by = deps.personOf({ platform: caller.location.platform, id: caller.user.id });
    const dismissal: RecommendationDismissal = {
      conversation: conversationKey(caller.location, caller.user.id),
      target: command.target,
      kind: command.hide,
      ...(command.reason ? { reason: command.reason } : {}),
      by,
      at: now.toISOString(),
      until: new Date(now.getTime() + command.days * DAY_MS).toISOString(),
    };
    await deps.dismissals.put(dismissal);
    const verb = command.hide === 'dismissed' ? 'Dismissed' : 'Snoozed';
    await this.audit(
      `recommendation.${command.hide}`,
      by,
      `${deps.nameOf(by)} ${verb.toLowerCase()} ${command.target} in ${dismissal.conversation} for ${command.days} days`,
      command.reason,
      dismissal,
    );
    const until = dismissal.until.slice(0, 10);
    return {
      kind: 'notice',
      title: `${verb} ${command.target}`,
      text:
        `${command.target} is hidden from \`recommendations\` in this conversation until ${until} (${command.days} days)` +
        `${command.reason ? `: ${command.reason}` : ''}. \`recommendations all\` shows it; \`undismiss ${command.target}\` brings it back.`,
      data: { ...dismissal },
      visibility: 'channel',
    };
  }

  private async undismiss(target: string, caller: RecommendationCaller): Promise<Reply> {
    const { deps } = this;
    const conversation = conversationKey(caller.location, caller.user.id);
    const removed = await deps.dismissals.remove(conversation, target);
    if (!removed)
      return {
        kind: 'notice',
        title: 'Nothing to undismiss',
        text: `${target} is not dismissed or snoozed in this conversation.`,
        visibility: 'ephemeral',
      };
    const by = deps.personOf({ platform: caller.location.platform, id: caller.user.id });
    await this.audit(
      'recommendation.undismissed',
      by,
      `${deps.nameOf(by)} brought back ${target} in ${conversation}`,
      undefined,
      removed,
    );
    return {
      kind: 'notice',
      title: `${target} is back`,
      text: `\`recommendations\` lists ${target} again in this conversation.`,
      visibility: 'channel',
    };
  }

  private audit(event: string, actor: string, what: string, why: string | undefined, d: RecommendationDismissal) {
    return this.deps.audit.append({
      id: newId('aud'),
      at: this.deps.clock.now().toISOString(),
      kind: 'recommendation',
      event,
      actor,
      what,
      ...(why ? { why } : {}),
      data: { target: d.target, conversation: d.conversation, kind: d.kind, until: d.until },
    });
  }
}

/** The list as the scope sees it (accounts and, for a tag scope, the resources with its tags); null when it sees no account. */
function inScope(result: RecommendationList, scope: ViewScope | undefined): RecommendationList | null {
  if (!scope) return result;
  const allowed = (accountId: string) => scopeAllows({ ...scope, tags: [] }, { provider: 'AWS', accountId });
  const accountIds = result.accountIds.filter(allowed);
  if (accountIds.length === 0) return null;
  return {
    ...result,
    accountIds,
    failures: result.failures.filter((f) => allowed(f.accountId)),
    recommendations: result.recommendations.filter((r) =>
      scopeAllows(scope, { provider: 'AWS', accountId: r.action.target.accountId, tags: r.action.facts.tags }),
    ),
  };
}

function outsideScope(result: RecommendationList, scope: ViewScope): Reply {
  const ids = result.accountIds;
  const are = ids.length === 1 ? `Account ${ids[0]} is` : `Accounts ${ids.join(', ')} are`;
  return notice('Outside your scope', `${are} outside ${scopeOwner(scope)}.`);
}
