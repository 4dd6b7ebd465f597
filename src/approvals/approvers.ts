import type { Actor, Identity } from './approval.types.js';
import type { ApprovalPolicy, Person, RiskRule } from './approval-policy.types.js';

/**
 * Who is who in the approval policy: identities map to persons, approver entries expand to persons.
 * A person is a key of `policy.people` (`alice`), or `platform:id` (`slack:U0123`) for someone the policy does not
 * name. Votes are counted per person, so Alice voting from Slack and from Teams is one vote.
 */

/** Where to reach a person; absent fields are unknown. */
export interface Contacts {
  name?: string;
  slack?: string;
  teams?: string;
  email?: string;
  phone?: string;
}

/** Fetches the members (platform user ids) of a platform user group, e.g. a Slack user group `S0123ABC`. */
export type GroupMembers = (platform: 'slack' | 'teams', groupId: string) => Promise<string[]>;

const SLACK_GROUP_PREFIX = 'slack-group:';
const CONTACT_FIELDS = ['name', 'slack', 'teams', 'email', 'phone'] as const;

/** Teams AAD object ids are GUIDs, compared without case; Slack ids are upper-case and compared as they are. */
function sameId(platform: 'slack' | 'teams', a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return platform === 'teams' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function personWithId(policy: ApprovalPolicy, platform: 'slack' | 'teams', id: string): Person | undefined {
  return policy.people.find((p) => sameId(platform, p[platform], id));
}

/**
 * The person behind an identity: the people key whose `slack`/`teams` id it is; for the shell and the CLI the
 * identity id is a people key (the shell runs "as" a person); otherwise `platform:id`.
 *
 * @example personOf(policy, { platform: 'slack', id: 'U0ALICE' }) // 'alice'
 * @example personOf(policy, { platform: 'slack', id: 'U0NOBODY' }) // 'slack:U0NOBODY'
 */
export function personOf(policy: ApprovalPolicy, identity: Identity): string {
  const { platform, id } = identity;
  if (platform === 'slack' || platform === 'teams') {
    const person = personWithId(policy, platform, id);
    if (person) return person.key;
  } else if ((platform === 'shell' || platform === 'cli') && policy.people.some((p) => p.key === id)) {
    return id;
  }
  return `${platform}:${id}`;
}

/**
 * Expands approver entries to the persons who may vote (in the form {@link personOf} returns): a people key stays,
 * `@group` expands recursively (a cycle is expanded once), `slack-group:S…` expands through `groupMembers`, and a
 * raw platform id becomes the person who has it on its platform, or `slack:<id>` / `teams:<id>` when nobody in the
 * policy has it: one platform, told by the id's shape ({@link platformOfId}), so a raw id is one voter.
 * An unknown `@group` (the policy changed since the approval copied its rule) adds nobody.
 * A failure of `groupMembers` is not caught.
 */
export async function eligibleVoters(
  policy: ApprovalPolicy,
  entries: string[],
  groupMembers: GroupMembers,
): Promise<Set<string>> {
  const voters = new Set<string>();
  const seen = new Set<string>();
  const expand = async (list: readonly string[]): Promise<void> => {
    for (const entry of list) {
      if (entry.startsWith('@') || entry.startsWith(SLACK_GROUP_PREFIX)) {
        if (seen.has(entry)) continue;
        seen.add(entry);
        if (entry.startsWith('@')) {
          const members = Object.hasOwn(policy.groups, entry.slice(1)) ? policy.groups[entry.slice(1)] : undefined;
          await expand(members ?? []);
        } else {
          const ids = await groupMembers('slack', entry.slice(SLACK_GROUP_PREFIX.length));
          for (const id of ids) voters.add(personOf(policy, { platform: 'slack', id }));
        }
      } else {
        for (const person of personsOfEntry(policy, entry)) voters.add(person);
      }
    }
  };
  await expand(entries);
  return voters;
}

/** A people key, a `slack:`/`teams:` person, or a raw id (on the platform its shape names). */
function personsOfEntry(policy: ApprovalPolicy, entry: string): string[] {
  if (policy.people.some((p) => p.key === entry)) return [entry];
  const prefixed = /^(slack|teams):(.+)$/.exec(entry);
  if (prefixed) return [personOf(policy, { platform: prefixed[1] as 'slack' | 'teams', id: prefixed[2] ?? '' })];
  return [personOf(policy, { platform: platformOfId(entry), id: entry })];
}

/**
 * The platform of a raw user id written in the policy: a Slack user id (`U…`, `W…` on Enterprise Grid: upper-case
 * letters and digits) is Slack's; anything else (an AAD object id, a `29:…` id) is Teams'.
 *
 * @example platformOfId('U0CAROL') // 'slack'
 * @example platformOfId('29:1carol') // 'teams'
 */
function platformOfId(id: string): 'slack' | 'teams' {
  return /^[UW][A-Z0-9]+$/.test(id) ? 'slack' : 'teams';
}

/**
 * Whether a person string names someone of `policy.people`. Anyone else (`slack:U0X`, `teams:29:…`, `shell:local`)
 * is an identity the policy ties to no person: the same human may have other identities Tally cannot see.
 */
export function isPolicyPerson(policy: ApprovalPolicy, person: string): boolean {
  return policy.people.some((p) => p.key === person);
}

/**
 * Whether `person` is the requester, through any of their identities: the person stored on the approval, or the
 * person the request's identity is today (so someone named in the policy since the proposal is recognised).
 * See docs/architecture.md#votes-and-compare-and-set.
 */
export function isRequester(policy: ApprovalPolicy, requester: Actor, person: string): boolean {
  return person === requester.person || person === personOf(policy, requester.via);
}

/**
 * The approver entries asked while `tier` is the current tier: those of tiers 0..tier (escalation adds approvers,
 * it does not replace them), without repeats. A tier past the last counts as the last.
 */
export function tierEntries(rule: RiskRule, tier: number): string[] {
  return [...new Set(rule.tiers.slice(0, Math.max(0, tier + 1)).flatMap((t) => t.approvers))];
}

/**
 * The rule as an approval copies it (docs/architecture.md#votes-and-compare-and-set):
 * - every tier after the first needs at least tier 0's quorum, so escalation adds approvers without lowering the
 *   bar, unless `lowerAfterEscalation` (the policy's `quorumAfterEscalation: true`) lets each tier's quorum apply as
 *   written;
 * - when the requester is not a person of the policy and may not vote, every tier needs one approval more: the
 *   requester may be an approver under another identity (a Teams `29:` id, a second account, the shell without
 *   `--as`), and one human is one vote at most, so the quorum is still met by that many people besides them.
 * The quorums are written into the tiers, so the stored approval alone says what each tier needs.
 *
 * @example ruleForApproval({ tiers: [{ approvers: ['@finops'], quorum: 2 }, { approvers: ['dave'], quorum: 1 }], … },
 *   { requesterKnown: true, lowerAfterEscalation: false })
 *   // tiers: [{ approvers: ['@finops'], quorum: 2 }, { approvers: ['dave'], quorum: 2 }]
 */
export function ruleForApproval(
  rule: RiskRule,
  options: { requesterKnown: boolean; lowerAfterEscalation: boolean },
): RiskRule {
  const floor = options.lowerAfterEscalation ? 1 : (rule.tiers[0]?.quorum ?? 1);
  const extra = options.requesterKnown || rule.requesterMayVote ? 0 : 1;
  return {
    ...rule,
    tiers: rule.tiers.map((t, i) => ({ ...t, quorum: (i === 0 ? t.quorum : Math.max(t.quorum, floor)) + extra })),
  };
}

/** How to reach a person: the policy's contacts for a people key, the platform id for `slack:U1` / `teams:…`. */
export function contactsOf(policy: ApprovalPolicy, person: string): Contacts {
  const known = policy.people.find((p) => p.key === person) ?? idPerson(policy, person);
  if (known) {
    const contacts: Contacts = {};
    for (const field of CONTACT_FIELDS) if (known[field] !== undefined) contacts[field] = known[field];
    return contacts;
  }
  const prefixed = /^(slack|teams):(.+)$/.exec(person);
  if (prefixed?.[1] === 'slack') return { slack: prefixed[2] };
  if (prefixed?.[1] === 'teams') return { teams: prefixed[2] };
  return {};
}

/** The policy person behind a `slack:`/`teams:` person string, if the policy has that id after all. */
function idPerson(policy: ApprovalPolicy, person: string): Person | undefined {
  const prefixed = /^(slack|teams):(.+)$/.exec(person);
  if (!prefixed?.[2]) return undefined;
  return personWithId(policy, prefixed[1] as 'slack' | 'teams', prefixed[2]);
}

/** A person's name for messages: the policy's `name`, else the people key, else the person string as it is. */
export function displayName(policy: ApprovalPolicy, person: string): string {
  const known = policy.people.find((p) => p.key === person);
  return known ? (known.name ?? known.key) : person;
}
