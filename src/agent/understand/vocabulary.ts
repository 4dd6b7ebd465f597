import type { Dimension } from '../../costs/cost-query.types.js';
import type { CostRepository } from '../../costs/cost-repository.port.js';

/**
 * The names a question may use, read from the cost data (docs/architecture.md#questions-as-people-ask-them): the
 * values of each dimension actually present, account names, and tag keys with their values. Built at most once a
 * minute; questions in between share it.
 */
export interface Vocabulary {
  providers: string[];
  services: string[];
  categories: string[];
  regions: string[];
  charges: string[];
  accounts: { id: string; name: string }[];
  /** Tag key → its values. */
  tags: Map<string, string[]>;
}

/** How long a vocabulary is reused before the data is read again. */
const REFRESH_MS = 60_000;
/** Tag keys whose values are read (the rest are only known as keys). */
const MAX_TAG_KEYS = 40;

const EMPTY_VOCABULARY: Vocabulary = {
  providers: [],
  services: [],
  categories: [],
  regions: [],
  charges: [],
  accounts: [],
  tags: new Map(),
};

/**
 * The vocabulary of `repo`: read again when the data changes (an import or sync wrote a source: the sources' last
 * writes differ) and at least once a minute (wall time: a pinned clock would keep the first for good); questions in
 * between share it.
 */
export function vocabularyOf(repo: CostRepository): () => Promise<Vocabulary> {
  let cached: { at: number; version: string; vocabulary: Promise<Vocabulary> } | null = null;
  return async () => {
    const now = Date.now();
    const version = (await repo.sources()).map((s) => `${s.name}@${s.lastImport}`).join('|');
    if (!cached || cached.version !== version || now - cached.at > REFRESH_MS) {
      const vocabulary = read(repo);
      cached = { at: now, version, vocabulary };
      vocabulary.catch(() => {
        cached = null;
      });
    }
    return cached.vocabulary;
  };
}

async function read(repo: CostRepository): Promise<Vocabulary> {
  const range = await repo.dataRange();
  if (!range) return EMPTY_VOCABULARY;
  const values = async (d: Dimension) =>
    [...new Set((await repo.aggregate({ ...range, groupBy: [d], metrics: ['effective'] })).map((r) => r.keys[0] ?? ''))]
      .filter((v) => v !== '' && v !== '(untagged)')
      .sort();
  const [providers, services, categories, regions, charges, accounts, keys] = await Promise.all([
    values({ kind: 'provider' }),
    values({ kind: 'service' }),
    values({ kind: 'category' }),
    values({ kind: 'region' }),
    values({ kind: 'charge' }),
    repo.accounts(),
    repo.tagKeys(),
  ]);
  const tags = new Map<string, string[]>();
  for (const key of keys.slice(0, MAX_TAG_KEYS)) tags.set(key, await values({ kind: 'tag', key }));
  return {
    providers,
    services,
    categories,
    regions,
    charges,
    accounts: accounts.map((a) => ({ id: a.subAccountId, name: a.subAccountName })),
    tags,
  };
}
