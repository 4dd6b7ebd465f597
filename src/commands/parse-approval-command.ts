import type { ActionKind } from '../actions/action.types.js';
import { BATCH_PHRASES } from '../actions/batch-phrases.js';
import { checkAwsRegion } from './aws-regions.js';
import type { ApprovalCommand, ParseResult } from './command.types.js';
import { echo } from './echo.js';

const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d{1,2})';
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const REGION_LIKE = new RegExp(`^${REGION}$`);

const VERBS: ReadonlyMap<string, { kind: ActionKind; id: RegExp }> = new Map([
  ['stop', { kind: 'stop_instance', id: /^i-[0-9a-f]{8,17}$/ }],
  ['resize', { kind: 'resize_instance', id: /^i-[0-9a-f]{8,17}$/ }],
  ['delete', { kind: 'delete_volume', id: /^vol-[0-9a-f]{8,17}$/ }],
  ['release', { kind: 'release_address', id: /^eipalloc-[0-9a-f]{8,17}$/ }],
]);

const PROPOSE_RE = new RegExp(
  `^propose\\s+(\\w+)\\s+(\\S+)(?:\\s+to\\s+([a-z0-9]+\\.[a-z0-9]+))?\\s+in\\s+${REGION}(?:\\s+(?:of\\s+)?account\\s+(\\d{12}))?\\s+because\\s+(.+)$`,
  'is',
);

const PROPOSE_BATCH_RE = new RegExp(
  `^propose\\s+(\\w+)\\s+all\\s+(.+?)(?:\\s+in\\s+${REGION})?\\s+(?:in\\s+|of\\s+)?account\\s+(\\d{12})(?:\\s+in\\s+${REGION})?\\s+because\\s+(.+)$`,
  'is',
);

const ok = (command: ApprovalCommand): ParseResult => ({ ok: true, command });
const invalid = (message: string, topic: string): ParseResult => ({ ok: false, reason: 'INVALID', message, topic });

/**
 * The approval commands of the command language: `recommendations`, `propose …`, `approvals`, `approval <id>`,
 * `approve <id>`, `reject <id> because …`, `cancel <id>`, `undo <id>` and `savings`. Returns null when the line is none of them.
 */
export function parseApprovalCommand(input: string): ParseResult | null {
  const line = input.trim().replace(/\s+/g, ' ');
  const [head = '', ...rest] = line.split(' ');
  const word = head.toLowerCase();
  switch (word) {
    case 'recommendations':
    case 'recommendation':
    case 'recs':
      return parseRecommendations(rest);
    case 'propose':
      return parsePropose(line);
    case 'approvals':
      return rest.length === 0 || (rest.length === 1 && rest[0]?.toLowerCase() === 'pending')
        ? ok({ kind: 'approvals' })
        : invalid('`approvals` takes no arguments; `approval <id>` shows one.', 'approvals');
    case 'approval':
      return rest.length === 1 && ID_RE.test(rest[0]!)
        ? ok({ kind: 'approval', id: rest[0]! })
        : invalid('Say which approval: `approval <id>`.', 'approvals');
    case 'approve':
      return rest.length === 1 && ID_RE.test(rest[0]!)
        ? ok({ kind: 'vote', id: rest[0]!, decision: 'approve' })
        : usageVote('approve');
    case 'reject': {
      const m = /^reject (\S+) because (.+)$/is.exec(line);
      return m && ID_RE.test(m[1]!)
        ? ok({ kind: 'vote', id: m[1]!, decision: 'reject', reason: m[2]!.trim() })
        : usageVote('reject');
    }
    case 'cancel':
      return rest.length === 1 && ID_RE.test(rest[0]!)
        ? ok({ kind: 'cancel', id: rest[0]! })
        : invalid('Usage: `cancel <id>`.', 'approvals');
    case 'undo':
      return (rest.length === 1 || rest.length === 2) && rest.every((w) => ID_RE.test(w))
        ? ok({ kind: 'undo', id: rest[0]!, ...(rest[1] ? { resourceId: rest[1] } : {}) })
        : invalid(
            'Usage: `undo <approval id>`, or `undo <batch id> <resource id>` for one item of a batch.',
            'approvals',
          );
    case 'savings':
      return rest.length === 0 ? ok({ kind: 'savings' }) : invalid('`savings` takes no arguments.', 'approvals');
    default:
      return null;
  }
}

function parseRecommendations(rest: string[]): ParseResult {
  let region: string | undefined;
  let refresh = false;
  let all = false;
  const words = [...rest];
  while (words.length > 0) {
    const typed = words.shift()!;
    const w = typed.toLowerCase();
    if (w === 'refresh') refresh = true;
    else if (w === 'all') all = true;
    else if ((w === 'in' || w === 'for') && words[0]) region = words.shift()!.toLowerCase();
    else if (REGION_LIKE.test(w)) region = w;
    else return invalid(`I do not understand ${echo(typed)} after recommendations.`, 'recommendations');
  }
  const problem = region === undefined ? null : checkAwsRegion(region);
  if (problem) return invalid(problem, 'recommendations');
  return ok({ kind: 'recommendations', ...(region ? { region } : {}), refresh, ...(all ? { all } : {}) });
}

function parsePropose(line: string): ParseResult {
  if (/^propose \w+ all /i.test(line)) return parseProposeBatch(line);
  const m = PROPOSE_RE.exec(line);
  if (!m) return invalid('A proposal names the action, the resource, its region and a reason.', 'propose');
  const [, verb = '', id = '', type, region = '', accountId, reason = ''] = m;
  const spec = VERBS.get(verb.toLowerCase());
  if (!spec) return invalid(`${echo(verb)} is not an action; use stop, resize, delete or release.`, 'propose');
  if (!spec.id.test(id)) return invalid(`${echo(id)} is not a resource id that ${verb} applies to.`, 'propose');
  const badRegion = checkAwsRegion(region.toLowerCase());
  if (badRegion) return invalid(badRegion, 'propose');
  if (spec.kind === 'resize_instance' && !type)
    return invalid('A resize names the new type: `propose resize i-… to t3.small in …`.', 'propose');
  if (spec.kind !== 'resize_instance' && type) return invalid(`Only resize takes "to <type>".`, 'propose');
  return ok({
    kind: 'propose',
    action: spec.kind,
    resourceId: id,
    region: region.toLowerCase(),
    ...(accountId ? { accountId } : {}),
    ...(type ? { instanceType: type } : {}),
    reason: reason.trim(),
  });
}

/**
 * `propose stop all idle instances [in <region>] in account <id> because …` (also `resize all oversized instances`,
 * `delete all unattached volumes`, `release all unassociated addresses`): one approval for them all.
 */
function parseProposeBatch(line: string): ParseResult {
  const m = PROPOSE_BATCH_RE.exec(line);
  const usage =
    'A batch names what, the account and a reason: `propose stop all idle instances in account 123456789012 because …`.';
  if (!m) return invalid(usage, 'propose');
  const [, verb = '', noun = '', regionBefore, accountId = '', regionAfter, reason = ''] = m;
  const kind = Object.entries(BATCH_PHRASES).find(([, p]) => p.verb === verb.toLowerCase())?.[0] as
    | ActionKind
    | undefined;
  if (!kind) return invalid(`${echo(verb)} is not an action; use stop, resize, delete or release.`, 'propose');
  const phrase = BATCH_PHRASES[kind];
  if (noun.toLowerCase() !== phrase.noun)
    return invalid(
      `\`${phrase.verb} all\` applies to ${phrase.noun}: \`propose ${phrase.verb} all ${phrase.noun} in account …\`.`,
      'propose',
    );
  const region = (regionBefore ?? regionAfter)?.toLowerCase();
  const badRegion = region ? checkAwsRegion(region) : null;
  if (badRegion) return invalid(badRegion, 'propose');
  return ok({ kind: 'propose_batch', action: kind, accountId, ...(region ? { region } : {}), reason: reason.trim() });
}

function usageVote(verb: 'approve' | 'reject'): ParseResult {
  return invalid(
    verb === 'approve' ? 'Usage: `approve <id>`.' : 'Usage: `reject <id> because <reason>` (a reason is required).',
    'approvals',
  );
}
