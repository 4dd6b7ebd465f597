import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import { contactsOf } from '../approvals/approvers.js';
import type { Budget } from '../budgets/budget.types.js';
import type { AlertTarget } from './alert-routing.js';

/** Slack channel ids (`C…` public, `G…` private, `D…` a DM); anything else a budget names is a Teams conversation. */
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const TEAMS_USER = /^(29:\S+|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$/i;

/** The platform of a budget's channel: a Slack channel id, else a Teams conversation id (`19:…@thread.tacv2`). */
function channelPlatform(channel: string): 'slack' | 'teams' {
  return SLACK_CHANNEL.test(channel) ? 'slack' : 'teams';
}

/** An owner's ids and addresses: a person of the policy, or a Slack or Teams user id. */
function ownerContacts(people: ApprovalPolicy, owner: string) {
  if (people.people.some((p) => p.key === owner)) return contactsOf(people, owner);
  if (SLACK_USER.test(owner)) return contactsOf(people, `slack:${owner}`);
  if (TEAMS_USER.test(owner)) return contactsOf(people, `teams:${owner}`);
  return {};
}

/**
 * Everyone a budget alert goes to (docs/budgets.md#alerts): the budget's channel, each owner by direct message on
 * every platform the policy knows them on (`slack/@U…`, `teams/@<AAD id>`), and for a critical alert (100% of the
 * spend) each owner's email address and phone number where the policy has them. Each target once.
 */
export function budgetAlertTargets(budget: Budget, critical: boolean, people: ApprovalPolicy): AlertTarget[] {
  const targets = new Map<string, AlertTarget>();
  const add = (target: AlertTarget) => targets.set(`${target.channel} ${target.to}`, target);
  if (budget.channel) add({ channel: 'chat', to: `${channelPlatform(budget.channel)}/${budget.channel}` });
  for (const owner of budget.owners) {
    const contacts = ownerContacts(people, owner);
    if (contacts.slack) add({ channel: 'chat', to: `slack/@${contacts.slack}` });
    if (contacts.teams) add({ channel: 'chat', to: `teams/@${contacts.teams}` });
    if (critical && contacts.email) add({ channel: 'email', to: contacts.email });
    if (critical && contacts.phone) add({ channel: 'sms', to: contacts.phone });
  }
  return [...targets.values()];
}
