import ms, { type StringValue } from 'ms';
import { z } from 'zod';
import { RISK_LEVELS, type RiskLevel } from '../actions/action.types.js';
import type { Guardrails } from '../actions/guardrails.js';
import type { ApprovalPolicy, ApprovalTier, RiskRule } from '../approvals/approval-policy.types.js';
import { DEFAULT_UNDO_POLICY } from '../approvals/undo/undo.types.js';

/**
 * The zod schema of the `approvals:` and `guardrails:` parts of the policy file (README.md#policy-file), with their
 * defaults and bounds ({@link APPROVAL_LIMITS}).
 * `src/config/policy.ts` runs it; every problem is reported with its path, e.g. `approvals.risk.medium.quorum`.
 */

const HOUR = 3_600_000;

/**
 * The bounds checked at load (README.md#policy-file lists them): a value past them is a typo or a unit mistake, and
 * would otherwise pass validation and fail every proposal later (a timer past the last date JavaScript can hold).
 */
export const APPROVAL_LIMITS = {
  /** The longest remindAfter, escalateAfter or expireAfter: 365 days. */
  durationMs: 365 * 24 * HOUR,
  /** The largest quorum. */
  quorum: 100,
  /** The most tiers of one level. */
  tiers: 10,
  /** The most entries of one approver list (a tier's, a level's or a group's). */
  approvers: 200,
  /** The most people, and the most groups. */
  people: 1000,
  /** The most protected tags, and the most change windows. */
  guardrailList: 100,
  /** The largest dailyLimitPerAccount. */
  dailyLimitPerAccount: 10_000,
  /** The largest maxBatch (one message lists every item). */
  maxBatch: 100,
} as const;

/** Per-level defaults, used for every key a level leaves out. `tiers` default to none (nobody may approve). */
const RISK_DEFAULTS: Readonly<
  Record<RiskLevel, { quorum: number; remindAfterMs: number; escalateAfterMs: number; expireAfterMs: number }>
> = {
  low: { quorum: 1, remindAfterMs: 4 * HOUR, escalateAfterMs: 24 * HOUR, expireAfterMs: 72 * HOUR },
  medium: { quorum: 2, remindAfterMs: 4 * HOUR, escalateAfterMs: 24 * HOUR, expireAfterMs: 72 * HOUR },
  high: { quorum: 2, remindAfterMs: 2 * HOUR, escalateAfterMs: 8 * HOUR, expireAfterMs: 48 * HOUR },
};

/** The guardrails in force when the file has no `guardrails:` (or leaves a key out). */
function defaultGuardrails(): Guardrails {
  return { protectedTags: [{ key: 'tally:protected' }], changeWindows: [], dailyLimitPerAccount: 20 };
}

/**
 * The approval policy in force without a policy file: every level has the defaults of {@link RISK_DEFAULTS},
 * `requesterMayVote: false`, `onExpiry: 'reject'` and no approvers (`tiers: []`), so proposals are refused until
 * approvers are configured. A fresh object on every call.
 */
export function defaultApprovalPolicy(): ApprovalPolicy {
  const policy = {
    risk: defaultRisk({}),
    people: [],
    groups: {},
    channels: {},
    quorumAfterEscalation: false,
    guardrails: defaultGuardrails(),
  };
  return policy;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A Slack user id (`U…`, `W…` on Enterprise Grid), a Teams AAD object id (GUID) or a Bot Framework id (`29:…`). */
const PLATFORM_USER_ID =
  /^(?:[UW][A-Z0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+:\S+)$/;
const SLACK_GROUP = /^slack-group:S[A-Z0-9]+$/;
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const KEY_MESSAGE = 'use letters, digits, `_`, `.` and `-` (starting with a letter or digit)';

/** YAML `key:` with nothing after it is null; treat it like a missing key. */
const orDefault = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema);

/** A positive duration of at most 365 days (`90s`, `30m`, `4h`, `3d`; a bare number is milliseconds), in ms. */
export const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  let n: number | undefined;
  try {
    n = typeof v === 'number' ? v : ms(v as StringValue);
  } catch {
    n = undefined; // ms throws on an empty or over-long string
  }
  if (n === undefined || !Number.isFinite(n) || n <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a positive duration (e.g. 90s, 30m, 4h, 3d)` });
    return z.NEVER;
  }
  if (n > APPROVAL_LIMITS.durationMs) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is longer than the longest duration, 365d` });
    return z.NEVER;
  }
  return Math.ceil(n);
});

/** One approver entry: a people key, a `@group`, a `slack-group:S…` or a platform user id. */
export const approverEntry = z
  .string()
  .min(1)
  .refine((s) => !s.startsWith('slack-group:') || SLACK_GROUP.test(s), 'write a Slack user group as slack-group:S…');
const quorum = z.number().int().min(1).max(APPROVAL_LIMITS.quorum);
const approvers = z.array(approverEntry).min(1).max(APPROVAL_LIMITS.approvers);
const tierSchema = z.object({ approvers, quorum: quorum.optional() }).strict();

const ruleSchema = z
  .object({
    approvers: approvers.optional(),
    quorum: quorum.optional(),
    tiers: z.array(tierSchema).max(APPROVAL_LIMITS.tiers).optional(),
    requesterMayVote: z.boolean().optional(),
    remindAfter: duration.optional(),
    escalateAfter: duration.optional(),
    expireAfter: duration.optional(),
    onExpiry: z.enum(['reject', 'approve']).optional(),
  })
  .strict();
type RawRule = z.infer<typeof ruleSchema>;

const personSchema = z
  .object({
    name: z.string().min(1).optional(),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'a Slack user id looks like U0123ABC')
      .optional(),
    teams: z.string().min(1).optional(),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'use E.164 (+15550100), quoted so YAML keeps the +')
      .optional(),
    // Where times (a scheduled execution) are shown to this person: docs/architecture.md#execution.
    tz: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Berlin)').optional(),
  })
  .strict();

/** `approvals.undo`: who may undo an executed action and how many must ask (docs/architecture.md#undo). */
const undoSchema = z
  .object({
    by: z.array(approverEntry).min(1).max(APPROVAL_LIMITS.approvers).optional(),
    quorum: quorum.optional(),
  })
  .strict();

const approvalsObject = z
  .object({
    channel: z.string().min(1).optional(),
    teamsChannel: z.string().min(1).optional(),
    quorumAfterEscalation: z.boolean().optional(),
    undo: orDefault(undoSchema.optional()),
    people: orDefault(
      z
        .record(z.string().regex(KEY, KEY_MESSAGE), orDefault(personSchema.default({})))
        .refine((r) => Object.keys(r).length <= APPROVAL_LIMITS.people, `at most ${APPROVAL_LIMITS.people} people`)
        .default({}),
    ),
    groups: orDefault(
      z
        .record(z.string().regex(KEY, KEY_MESSAGE), approvers)
        .refine((r) => Object.keys(r).length <= APPROVAL_LIMITS.people, `at most ${APPROVAL_LIMITS.people} groups`)
        .default({}),
    ),
    risk: orDefault(
      z
        .object({
          low: orDefault(ruleSchema.optional()),
          medium: orDefault(ruleSchema.optional()),
          high: orDefault(ruleSchema.optional()),
        })
        .strict()
        .default({}),
    ),
  })
  .strict();

/** `approvals:` → everything of {@link ApprovalPolicy} but `guardrails`. */
export const approvalsSchema = orDefault(
  approvalsObject
    .default({ people: {}, groups: {}, risk: {} })
    .superRefine(
      (a, ctx) => {
        for (const p of approvalProblems(a)) ctx.addIssue({ code: 'custom', ...p });
      },
      { when: () => true }, // also after other issues, so one run names every bad path
    )
    .transform((a): Omit<ApprovalPolicy, 'guardrails'> => {
      const policy = {
        risk: defaultRisk(a.risk),
        people: Object.entries(a.people).map(([key, p]) => ({ key, ...p })),
        groups: a.groups,
        channels: { ...(a.channel ? { slack: a.channel } : {}), ...(a.teamsChannel ? { teams: a.teamsChannel } : {}) },
        quorumAfterEscalation: a.quorumAfterEscalation ?? false,
        ...(a.undo ? { undo: { by: a.undo.by ?? DEFAULT_UNDO_POLICY.by, quorum: a.undo.quorum ?? 1 } } : {}),
      };
      return policy;
    }),
);

function defaultRisk(raw: Partial<Record<RiskLevel, RawRule | undefined>>): Record<RiskLevel, RiskRule> {
  const rule = (level: RiskLevel): RiskRule => {
    const r = raw[level] ?? {};
    const d = RISK_DEFAULTS[level];
    return {
      tiers: tiersOf(r, d.quorum).map((t) => ({ approvers: t.approvers, quorum: t.quorum ?? d.quorum })),
      requesterMayVote: r.requesterMayVote ?? false,
      remindAfterMs: r.remindAfter ?? d.remindAfterMs,
      escalateAfterMs: r.escalateAfter ?? d.escalateAfterMs,
      expireAfterMs: r.expireAfter ?? d.expireAfterMs,
      onExpiry: r.onExpiry ?? 'reject',
    };
  };
  return { low: rule('low'), medium: rule('medium'), high: rule('high') };
}

/** The tiers as written: the `approvers`/`quorum` shorthand is one tier; a tier without quorum takes the level's. */
function tiersOf(r: RawRule, levelQuorum: number): (Omit<ApprovalTier, 'quorum'> & { quorum?: number })[] {
  if (r.tiers) return r.tiers.map((t) => ({ approvers: t.approvers, quorum: t.quorum ?? r.quorum ?? levelQuorum }));
  return r.approvers ? [{ approvers: r.approvers, quorum: r.quorum ?? levelQuorum }] : [];
}

type Path = (string | number)[];
type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const strings = (v: unknown): [number, string][] =>
  Array.isArray(v) ? [...v.entries()].filter((x): x is [number, string] => typeof x[1] === 'string') : [];
const isQuorum = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * The entries of `list` (at `path`) that name nobody: an unknown `@group` or a name that is neither a key of
 * `approvals.people` nor a user id. `approvals` is the raw `approvals:` value (read defensively).
 */
export function approverEntryProblems(
  approvals: unknown,
  list: unknown,
  path: Path,
): { path: Path; message: string }[] {
  const a = rec(approvals);
  const [people, groups] = [rec(a.people), rec(a.groups)];
  const problems: { path: Path; message: string }[] = [];
  for (const [i, e] of strings(list)) {
    if (e.startsWith('@')) {
      if (!Object.hasOwn(groups, e.slice(1)))
        problems.push({ path: [...path, i], message: `unknown group ${e} (define it in approvals.groups)` });
    } else if (!e.startsWith('slack-group:') && !Object.hasOwn(people, e) && !PLATFORM_USER_ID.test(e)) {
      problems.push({
        path: [...path, i],
        message: `"${e}" is not a key of approvals.people, a @group, a slack-group:S… or a user id`,
      });
    }
  }
  return problems;
}

/**
 * Checks that need the whole `approvals:` object: known groups, known people or plausible ids, one owner per
 * platform id, reachable quorums. It reads the value defensively because it also runs when other keys failed, so
 * that one run names every bad path.
 */
function approvalProblems(value: unknown): { path: Path; message: string }[] {
  const a = rec(value);
  const [people, groups, risk] = [rec(a.people), rec(a.groups), rec(a.risk)];
  const problems: { path: Path; message: string }[] = [];
  const issue = (path: Path, message: string) => problems.push({ path, message });
  const checkEntries = (list: unknown, path: Path) => problems.push(...approverEntryProblems(a, list, path));
  for (const [g, members] of Object.entries(groups)) checkEntries(members, ['groups', g]);
  // `requester` and `approvers` are the undo's own words; the other entries name people as approvers do.
  for (const [i, e] of strings(rec(a.undo).by))
    if (e !== 'requester' && e !== 'approvers')
      for (const p of approverEntryProblems(a, [e], ['undo', 'by'])) issue(['undo', 'by', i], p.message);
  const owners = new Map<string, string>();
  for (const [key, p] of Object.entries(people)) {
    for (const platform of ['slack', 'teams'] as const) {
      const id = rec(p)[platform];
      if (typeof id !== 'string') continue;
      const other = owners.get(`${platform}:${id.toLowerCase()}`);
      if (other) issue(['people', key, platform], `${id} is already the ${platform} id of ${other}`);
      else owners.set(`${platform}:${id.toLowerCase()}`, key);
    }
  }
  for (const level of RISK_LEVELS) {
    if (risk[level] === undefined || risk[level] === null) continue;
    const r = rec(risk[level]);
    const at = (...rest: Path) => ['risk', level, ...rest];
    if (r.approvers !== undefined && r.tiers !== undefined) issue(at('approvers'), 'give approvers or tiers, not both');
    if (r.quorum !== undefined && r.approvers === undefined && r.tiers === undefined) {
      issue(at('quorum'), 'a quorum needs approvers or tiers');
    }
    if (r.onExpiry === 'approve' && level !== 'low') issue(at('onExpiry'), 'approve on expiry is allowed for low only');
    checkEntries(r.approvers, at('approvers'));
    const tiers: unknown[] = Array.isArray(r.tiers) ? r.tiers : [];
    for (const [ti, t] of tiers.entries()) checkEntries(rec(t).approvers, at('tiers', ti, 'approvers'));
    for (const q of quorumProblems(people, level, r)) issue(at(...q.path), q.message);
  }
  return problems;
}

/** Quorum ≤ the distinct people named up to that tier, unless a group (of unknown size) is among them. */
function quorumProblems(people: Loose, level: RiskLevel, r: Loose): { path: Path; message: string }[] {
  const ownerOf = (e: string) =>
    Object.entries(people).find(([, p]) => {
      const { slack, teams } = rec(p);
      return slack === e || (typeof teams === 'string' && teams.toLowerCase() === e.toLowerCase());
    })?.[0] ?? e;
  const tiers = Array.isArray(r.tiers)
    ? r.tiers.map((t) => ({ approvers: rec(t).approvers, quorum: rec(t).quorum }))
    : r.approvers !== undefined
      ? [{ approvers: r.approvers, quorum: undefined }]
      : [];
  const named = new Set<string>();
  let sized = true;
  for (const [ti, t] of tiers.entries()) {
    for (const [, e] of strings(t.approvers)) {
      if (e.startsWith('@') || e.startsWith('slack-group:')) sized = false;
      else named.add(Object.hasOwn(people, e) ? e : ownerOf(e));
    }
    const q = t.quorum ?? r.quorum ?? RISK_DEFAULTS[level].quorum;
    if (!sized || !isQuorum(q)) return [];
    if (q <= named.size) continue;
    const written = t.quorum !== undefined ? ['tiers', ti, 'quorum'] : r.quorum !== undefined ? ['quorum'] : null;
    const path = written ?? (Array.isArray(r.tiers) ? ['tiers', ti] : ['approvers']);
    const whose = Array.isArray(r.tiers) ? `tiers 0..${ti} name` : 'approvers name';
    const dflt = written ? '' : ` (the default for ${level})`;
    const who = `${named.size} ${named.size === 1 ? 'person' : 'people'}`;
    return [{ path, message: `quorum ${q}${dflt} can never be reached: ${whose} only ${who}` }];
  }
  return [];
}

const hhmm = z
  .string()
  .regex(/^\d{1,2}:\d{2}$/, 'use HH:MM')
  .transform((s, ctx) => {
    const [h = 0, m = 0] = s.split(':').map(Number);
    if (h > 24 || m > 59 || (h === 24 && m > 0)) ctx.addIssue({ code: 'custom', message: `${s} is not a time of day` });
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false; // RangeError: Invalid time zone specified
  }
}

const windowSchema = z
  .object({
    days: z
      .array(z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(WEEKDAYS)))
      .min(1)
      .default([...WEEKDAYS]),
    from: hhmm,
    to: hhmm,
    tz: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Berlin)').default('UTC'),
  })
  .strict()
  .superRefine(
    (w, ctx) => {
      const message = 'must be later than from (use two windows to span midnight)';
      if (w.to <= w.from) ctx.addIssue({ code: 'custom', path: ['to'], message });
    },
    // Compare only two valid times, but also when days or tz are bad, so one run names every bad path.
    { when: (p) => p.issues.every((i) => i.path?.[0] !== 'from' && i.path?.[0] !== 'to') },
  );

const tagRule = z
  .string()
  .min(1)
  .transform((s, ctx) => {
    const i = s.indexOf('=');
    if (i === 0) ctx.addIssue({ code: 'custom', message: 'write a tag as key or key=value' });
    return i < 0 ? { key: s } : { key: s.slice(0, i), value: s.slice(i + 1) };
  });

/** `guardrails:` → {@link Guardrails}; a key left out takes {@link defaultGuardrails}. */
export const guardrailsSchema = orDefault(
  z
    .object({
      protectedTags: orDefault(z.array(tagRule).max(APPROVAL_LIMITS.guardrailList).optional()),
      changeWindows: orDefault(z.array(windowSchema).max(APPROVAL_LIMITS.guardrailList).optional()),
      dailyLimitPerAccount: z.number().int().min(1).max(APPROVAL_LIMITS.dailyLimitPerAccount).optional(),
      maxBatch: z.number().int().min(1).max(APPROVAL_LIMITS.maxBatch).optional(),
    })
    .strict()
    .default({})
    .transform((g): Guardrails => {
      const d = defaultGuardrails();
      return {
        protectedTags: g.protectedTags ?? d.protectedTags,
        changeWindows: g.changeWindows ?? d.changeWindows,
        dailyLimitPerAccount: g.dailyLimitPerAccount ?? d.dailyLimitPerAccount,
        ...(g.maxBatch ? { maxBatch: g.maxBatch } : {}),
      };
    }),
);
