import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TallyError } from '../shared/errors.js';

/**
 * The policy file (`TALLY_POLICY_FILE`, YAML). This part holds channel scopes: which cost data a chat channel may
 * see. Approval and notification rules join it with the approvals feature.
 *
 * @example
 * channels:
 *   C0PAYMENTS:              # a Slack channel id (or a Teams conversation id)
 *     providers: [AWS]
 *     accounts: ["483920175634"]
 */
const scopeSchema = z
  .object({
    providers: z.array(z.string().min(1)).min(1).optional(),
    accounts: z.array(z.coerce.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((s) => s.providers || s.accounts, { message: 'name at least one of providers or accounts' });

const policySchema = z
  .object({
    channels: z.record(z.string().min(1), scopeSchema).default({}),
  })
  .passthrough();

/** What a channel may see: allow-lists of providers and sub-account ids (absent = all). */
export interface ChannelScope {
  providers?: string[];
  subAccountIds?: string[];
}

export interface Policy {
  channels: ReadonlyMap<string, ChannelScope>;
}

export const EMPTY_POLICY: Policy = { channels: new Map() };

/** Parses the policy file's text; every problem is named by its path, e.g. `channels.C01.providers`. */
export function parsePolicy(text: string, source = 'TALLY_POLICY_FILE'): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    const e = err as { linePos?: { line: number; col: number }[]; message?: string };
    const at = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new TallyError('CONFIG_INVALID', `${source}: not valid YAML${at}`, {
      cause: err,
      metadata: { variables: [source] },
    });
  }
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new TallyError('CONFIG_INVALID', `${source} is invalid:\n${lines.join('\n')}`, {
      metadata: { variables: [source], paths: result.error.issues.map((i) => i.path.join('.')) },
    });
  }
  const channels = new Map<string, ChannelScope>();
  for (const [id, s] of Object.entries(result.data.channels)) {
    channels.set(id, {
      ...(s.providers ? { providers: s.providers } : {}),
      ...(s.accounts ? { subAccountIds: s.accounts } : {}),
    });
  }
  return { channels };
}
