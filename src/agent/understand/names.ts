import type { CostFilter } from '../../costs/cost-query.types.js';
import { SERVICE_ALIASES } from '../service-aliases.js';
import type { Vocabulary } from './vocabulary.js';
import { use, type Word } from './words.js';

/** What the names of a question resolved to, and what could be read two ways. */
export interface FoundNames {
  filter: CostFilter;
  /** How a name was read, when it needed reading ("prod: tag env=prod"), said in the answer. */
  readings: string[];
  /** Two plausible readings of one word: Tally asks (docs/architecture.md#questions-as-people-ask-them). */
  ambiguous: { word: string; readings: { label: string; filter: CostFilter }[] } | null;
}

const PROVIDER_WORDS: [string[], string][] = [
  [['amazon web services', 'aws', 'amazon'], 'AWS'],
  [['microsoft azure', 'azure', 'microsoft'], 'Microsoft'],
  [['google cloud platform', 'google cloud', 'gcp', 'google'], 'Google Cloud'],
];
/** Everyday words for FOCUS ServiceCategory values. */
const CATEGORY_WORDS: [string[], string][] = [
  [
    ['artificial intelligence', 'machine learning', 'ai/machine learning', 'ai/ml', 'ai', 'ml'],
    'AI and Machine Learning',
  ],
  [['storage'], 'Storage'],
  [['compute'], 'Compute'],
  [['databases', 'database', 'db', 'dbs'], 'Databases'],
  [['networking', 'network', 'networks'], 'Networking'],
  [['analytics'], 'Analytics'],
  [['security'], 'Security'],
];
const CHARGE_WORDS: [string[], string][] = [
  [['taxes', 'tax', 'vat'], 'Tax'],
  [['credits', 'credit', 'promotional credits'], 'Credit'],
  [['purchases', 'purchase', 'upfront fees'], 'Purchase'],
];
const EXCLUDING = new Set(['excluding', 'excl', 'ex', 'without', 'minus', 'except', 'before', 'pre', 'not']);
const KUBERNETES = ['managed kubernetes', 'kubernetes', 'k8s'];
/** Words that mean a tag value ("production" is written `prod` in most tags). */
const VALUE_SYNONYMS: Record<string, string[]> = {
  production: ['prod', 'production'],
  prod: ['prod', 'production'],
  development: ['dev', 'development'],
  dev: ['dev', 'development'],
  staging: ['staging', 'stage', 'stg'],
  'machine learning': ['ml'],
};
const NON_PROD = ['non-prod', 'non prod', 'nonprod', 'non-production', 'non production'];

/** The n-gram of `n` words at `i`, as typed and hyphen-joined: "us east 1" → ["us east 1", "us-east-1"]. */
function grams(words: Word[], i: number, n: number): string[] {
  const slice = words.slice(i, i + n);
  if (slice.length < n || slice.some((w) => w.used)) return [];
  const spaced = slice.map((w) => w.text).join(' ');
  return [...new Set([spaced, slice.map((w) => w.text).join('-'), slice.map((w) => w.typed).join(' ')])];
}

/**
 * Resolves the names of a question against the data's own values (case-insensitive; misspellings were corrected
 * with the data's names in `wordsOf`): providers by everyday name, services by name or alias ("Kubernetes" is every
 * managed-Kubernetes service), categories across clouds, charge categories ("excluding tax"), accounts by id or name,
 * regions, and tag values ("payments team" → tag team=payments, "prod" → the env-like tag that has it). Marks the
 * words it used.
 */
export function findNames(words: Word[], v: Vocabulary): FoundNames {
  const filter: CostFilter = {};
  const readings: string[] = [];
  let ambiguous: FoundNames['ambiguous'] = null;
  const add = <K extends 'providers' | 'services' | 'categories' | 'regions' | 'charges' | 'subAccountIds'>(
    key: K,
    values: string[],
  ) => {
    filter[key] = [...new Set([...(filter[key] ?? []), ...values])];
  };
  const addTag = (key: string, values: string[]) => {
    filter.tags = [...(filter.tags ?? []), ...values.map((value) => ({ key, value }))];
  };
  const lower = (xs: string[]) => new Map(xs.map((x) => [x.toLowerCase(), x]));
  const services = lower(v.services);
  const categories = lower(v.categories);
  const regions = lower(v.regions);
  const accountsByName = new Map(
    v.accounts.flatMap((a) => [[a.name.toLowerCase(), a.id] as const, [a.id.toLowerCase(), a.id] as const]),
  );
  const tagValue = (text: string): { key: string; value: string }[] => {
    const wanted = (Object.hasOwn(VALUE_SYNONYMS, text) ? VALUE_SYNONYMS[text] : undefined) ?? [text];
    const hits: { key: string; value: string }[] = [];
    for (const [key, values] of v.tags)
      for (const value of values) if (wanted.includes(value.toLowerCase())) hits.push({ key, value });
    return hits;
  };

  const shortNames = new Map(
    v.services.map(
      (x) => [x.toLowerCase().replace(/^(amazon|aws|azure|google cloud|google|microsoft)\s+/, ''), x] as const,
    ),
  );
  /** Word positions a service was read from. */
  const serviceAt = new Set<number>();
  for (let n = 4; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      for (const g of grams(words, i, n)) {
        const servicesBefore = filter.services?.length ?? 0;
        const before = words[i - 1]?.text ?? '';
        const matched = (() => {
          // Non-production: every value of an env-like key but prod.
          if (NON_PROD.includes(g)) {
            const key = [...v.tags].find(([, values]) => values.some((x) => x.toLowerCase() === 'prod'))?.[0];
            if (!key) return false;
            const others = v.tags.get(key)!.filter((x) => x.toLowerCase() !== 'prod');
            addTag(key, others);
            readings.push(`${g}: tag ${key}=${others.join(' or ')}`);
            return true;
          }
          const charge = CHARGE_WORDS.find(([ws]) => ws.includes(g))?.[1];
          if (charge && v.charges.includes(charge)) {
            if (EXCLUDING.has(before)) {
              filter.exclude = { ...filter.exclude, charges: [...(filter.exclude?.charges ?? []), charge] };
              use(words, i - 1, i);
            } else add('charges', [charge]);
            return true;
          }
          const provider = PROVIDER_WORDS.find(([ws]) => ws.includes(g))?.[1];
          if (provider) {
            add('providers', [provider]);
            return true;
          }
          if (KUBERNETES.includes(g)) {
            // "the storefront-eks k8s cluster": the cluster's tag says which; the word only says what it is.
            if (words[i + n]?.text === 'cluster') return true;
            const k8s = v.services.filter((s) => /kubernetes/i.test(s));
            if (!k8s.length) return false;
            add('services', k8s);
            return true;
          }
          const account = accountsByName.get(g);
          if (account) {
            add('subAccountIds', [account]);
            return true;
          }
          const region = regions.get(g);
          if (region) {
            add('regions', [region]);
            return true;
          }
          const service = services.get(g) ?? (n >= 2 ? shortNames.get(g) : undefined);
          const category =
            categories.get(g) ??
            categories.get(CATEGORY_WORDS.find(([ws]) => ws.includes(g))?.[1]?.toLowerCase() ?? '');
          // "machine learning team", "ml team": a team, not the category.
          const teamNext = ['team', 'teams'].includes(words[i + n]?.text ?? '') || before === 'team';
          const tags = tagValue(g);
          if (teamNext && tags.length) {
            for (const t of tags) addTag(t.key, [t.value]);
            if (before === 'team') use(words, i - 1, i);
            else use(words, i + n, i + n + 1);
            return true;
          }
          // "S3 storage", "EC2 compute": a word that describes the service just named, not a category of its own.
          if (category && serviceAt.has(i - 1)) return true;
          if (service && category && !ambiguous) {
            ambiguous = {
              word: g,
              readings: [
                { label: `the ${category} category (every cloud)`, filter: { categories: [category] } },
                { label: `the service ${service}`, filter: { services: [service] } },
              ],
            };
            add('categories', [category]);
            return true;
          }
          if (category && n <= 3) {
            add('categories', [category]);
            return true;
          }
          if (service) {
            add('services', [service]);
            return true;
          }
          const alias = Object.hasOwn(SERVICE_ALIASES, g) ? SERVICE_ALIASES[g] : undefined;
          if (alias) {
            const found = v.services.filter((s) => alias.some((p) => s.toLowerCase().includes(p)));
            if (found.length) {
              add('services', found);
              return true;
            }
          }
          if (tags.length) {
            const keys = [...new Set(tags.map((t) => t.key))];
            const accountsLike = v.accounts.filter((a) => a.name.toLowerCase().split(/[-_ ]/).includes(g));
            if (accountsLike.length && !ambiguous && g.length > 2) {
              ambiguous = {
                word: g,
                readings: [
                  { label: `tag ${tags[0]!.key}=${tags[0]!.value}`, filter: { tags: [tags[0]!] } },
                  {
                    label: `accounts ${accountsLike.map((a) => a.name).join(', ')}`,
                    filter: { subAccountIds: accountsLike.map((a) => a.id) },
                  },
                ],
              };
            }
            for (const t of tags) addTag(t.key, [t.value]);
            if (keys.length === 1 && g !== tags[0]!.value.toLowerCase())
              readings.push(`${g}: tag ${tags[0]!.key}=${tags[0]!.value}`);
            // "team payments", "cost center CC-1002", "cluster storefront-eks": the key's word is part of the name.
            const keyWord = (w: string | undefined) =>
              !!w &&
              keys.some(
                (k) => k.toLowerCase().includes(w) || (w === 'center' || w === 'centre' ? k.includes('center') : false),
              );
            if (keyWord(before)) use(words, i - 1, i);
            if (keyWord(words[i + n]?.text)) use(words, i + n, i + n + 1);
            return true;
          }
          return false;
        })();
        if (matched) {
          if ((filter.services?.length ?? 0) > servicesBefore) for (let k = i; k < i + n; k++) serviceAt.add(k);
          use(words, i, i + n);
          break;
        }
      }
    }
  }
  // "staging and dev": several values of one tag key read as that tag, not as accounts named like them.
  const amb = ambiguous as FoundNames['ambiguous'];
  const tagKeyOf = amb?.readings[0]?.filter.tags?.[0]?.key;
  if (tagKeyOf && (filter.tags ?? []).filter((t) => t.key === tagKeyOf).length > 1) ambiguous = null;
  return { filter, readings, ambiguous };
}

/** Words the names above know, so that misspelling correction never turns one into another ("aks" into "aws"). */
export const NAME_WORDS: string[] = [
  ...PROVIDER_WORDS.flatMap(([ws]) => ws),
  ...CATEGORY_WORDS.flatMap(([ws]) => ws),
  ...CHARGE_WORDS.flatMap(([ws]) => ws),
  ...Object.keys(SERVICE_ALIASES),
  ...Object.keys(VALUE_SYNONYMS),
  ...KUBERNETES,
  ...NON_PROD,
];
