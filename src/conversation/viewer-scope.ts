import type { Identity } from '../approvals/approval.types.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { GroupMembers } from '../approvals/approvers.js';
import { eligibleVoters, personOf } from '../approvals/approvers.js';
import type { AccessPolicy, ScopeTag, ViewScope } from '../costs/view-scope.js';
import { intersectScopes, NOTHING } from '../costs/view-scope.js';
import type { TurnLocation } from './turn.types.js';

/** What the scopes are read from: the policy file's `channels:`, `access:` and `approvals.people`/`groups`. */
export interface ViewerScopePolicy {
  channels: ReadonlyMap<string, ViewScope>;
  access: AccessPolicy;
  approvals: ApprovalPolicy;
}

/** How long a Slack user group's members are reused before they are asked for again. */
export const GROUP_CACHE_MS = 60_000;

/**
 * Who sees what (docs/architecture.md#who-sees-what). A viewer's scope is the intersection of the channel's scope
 * (`channels:`) and the person's (`access.scopes`): in a direct message or the App Home only the person's applies,
 * in a channel both. Admins (`access.admins`) have no personal scope. The shell and `tally ask` run on the server:
 * without `--as` they see everything; with `--as <person>` that person's scope applies.
 * A failure to read a Slack user group is not caught: the turn is answered with an apology, never with more data.
 */
export class ViewerScopes {
  private readonly groups = new Map<string, { at: number; members: Promise<string[]> }>();

  constructor(
    private readonly policy: ViewerScopePolicy,
    private readonly groupMembers: GroupMembers = async () => [],
    private readonly now: () => number = Date.now,
  ) {}

  /** The scope of `user` at `location`; undefined when nothing narrows the view. */
  async of(user: { id: string }, location: TurnLocation): Promise<ViewScope | undefined> {
    const channel = location.channel ? this.policy.channels.get(location.channel) : undefined;
    return intersectScopes(channel, await this.personal({ platform: location.platform, id: user.id }));
  }

  /** The person's own scope, wherever they are; undefined for admins and when no rule and no default limits them. */
  async personal(identity: Identity): Promise<ViewScope | undefined> {
    const { access, approvals } = this.policy;
    const person = personOf(approvals, identity);
    if (isOperator(identity, person)) return undefined;
    if (await this.named(access.admins, person)) return undefined;
    const matched: ViewScope[] = [];
    for (const rule of access.rules) if (await this.named(rule.who, person)) matched.push(rule.scope);
    if (matched.length > 0) return unionOf(matched);
    return access.others === 'none' ? NOTHING : undefined;
  }

  /** Whether the identity is an admin of the policy (`access.admins`), or the operator at the server. */
  async isAdmin(identity: Identity): Promise<boolean> {
    const person = personOf(this.policy.approvals, identity);
    return isOperator(identity, person) || (await this.named(this.policy.access.admins, person));
  }

  private async named(entries: string[], person: string): Promise<boolean> {
    if (entries.length === 0) return false;
    return (await eligibleVoters(this.policy.approvals, entries, (p, g) => this.members(p, g))).has(person);
  }

  private members(platform: 'slack' | 'teams', groupId: string): Promise<string[]> {
    const key = `${platform}:${groupId}`;
    const cached = this.groups.get(key);
    if (cached && this.now() - cached.at < GROUP_CACHE_MS) return cached.members;
    const members = this.groupMembers(platform, groupId);
    this.groups.set(key, { at: this.now(), members });
    members.catch(() => this.groups.delete(key));
    return members;
  }
}

/** The shell or `tally ask` without `--as <person>`: whoever runs Tally on the server. */
function isOperator(identity: Identity, person: string): boolean {
  return (identity.platform === 'shell' || identity.platform === 'cli') && person.startsWith(`${identity.platform}:`);
}

/**
 * What any of the scopes allows, per dimension: a dimension one of them leaves open is open; a tag stays required
 * only when every scope requires it (with the values of all).
 */
function unionOf(scopes: ViewScope[]): ViewScope {
  const either = (lists: (string[] | undefined)[]) =>
    lists.some((l) => l === undefined) ? undefined : [...new Set(lists.flat() as string[])];
  const providers = either(scopes.map((s) => s.providers));
  const subAccountIds = either(scopes.map((s) => s.subAccountIds));
  const keys = (scopes[0]?.tags ?? [])
    .map((t) => t.key)
    .filter((k) => scopes.every((s) => s.tags?.some((t) => t.key === k)));
  const tags: ScopeTag[] = keys.map((key) => ({
    key,
    values: [...new Set(scopes.flatMap((s) => s.tags?.find((t) => t.key === key)?.values ?? []))],
  }));
  return {
    ...(providers ? { providers } : {}),
    ...(subAccountIds ? { subAccountIds } : {}),
    ...(tags.length ? { tags } : {}),
    of: 'you',
  };
}
