import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { vocabularyOf } from '../../src/agent/understand/vocabulary.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { CommandService } from '../../src/conversation/run-command.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import type { CostSource } from '../../src/costs/cost-source.port.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { SyncService } from '../../src/costs/sync.service.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { Day } from '../../src/shared/day.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';
import type { CostLine } from './cost-source.contract.js';

/** A charge of a tagged resource: its tags (none: `{}`) and, where the vendor names resources, its name. */
export interface TaggedLine extends CostLine {
  tags: Record<string, string>;
  resource?: string;
}

/** What the vendor holds: the tagged lines of each account. */
export interface TaggedWorld {
  accounts: TaggedLine[][];
}

interface TaggedSourceSetup {
  source: CostSource;
  /** The vendor's ids of the world's accounts, in the same order. */
  accountIds: string[];
  close(): Promise<void>;
}

/** Builds a source that reads `tagKeys` on a vendor seeded with `world`, for syncs of exactly `range`. */
export type TaggedSourceFactory = (
  world: TaggedWorld,
  range: { from: Day; to: Day },
  tagKeys: string[],
) => Promise<TaggedSourceSetup>;

/** "Today" of the test: last month is May 2026. */
const NOW = new Date('2026-06-10T12:00:00Z');
/** The first sync of an account fetches this many days up to yesterday. */
const HISTORY_DAYS = 45;
/** The window of that first sync: 2026-04-26 … 2026-06-09. */
export const TAGS_SYNC_RANGE = { from: '2026-04-26', to: '2026-06-09' } as const;
const TAG_KEYS = ['team', 'env'];

const VM = 'Virtual Machines';
const STORAGE = 'Object Storage';
const DNS = 'DNS';

const line = (
  day: Day,
  service: string,
  region: string,
  billed: string,
  tags: Record<string, string>,
  extra: { effective?: string; resource?: string } = {},
): TaggedLine => ({
  day,
  service,
  region,
  billed,
  effective: extra.effective ?? billed,
  tags,
  ...(extra.resource ? { resource: extra.resource } : {}),
});

/**
 * Account 0: May lines with both tags, one tag, none (two of them on one day × service × region with different
 * tags), an amortised commitment, a charge without a region, and lines in April and June that last month leaves out.
 * Account 1: one line of another team.
 */
export const TAGGED_WORLD: TaggedWorld = {
  accounts: [
    [
      line('2026-04-30', VM, 'us-east-1', '9.99', { team: 'payments' }, { resource: 'vm-payments-1' }),
      line(
        '2026-05-01',
        VM,
        'us-east-1',
        '12.75',
        { team: 'payments', env: 'prod' },
        { effective: '41.2500000001', resource: 'vm-payments-1' },
      ),
      line('2026-05-01', VM, 'us-east-1', '0.25', {}, { resource: 'vm-untagged' }),
      line('2026-05-01', VM, 'eu-west-1', '5.5', { team: 'search', env: 'prod' }, { resource: 'vm-search-1' }),
      line('2026-05-02', STORAGE, 'eu-west-1', '3.0101516483', { team: 'search' }, { resource: 'bucket-search' }),
      line('2026-05-02', DNS, '', '0.4', { env: 'dev' }),
      line('2026-05-15', STORAGE, 'eu-west-1', '1.24', { team: 'payments', env: 'dev' }, { resource: 'bucket-pay' }),
      line('2026-05-31', VM, 'us-east-1', '2.5', { team: 'search' }, { resource: 'vm-search-2' }),
      line('2026-06-02', VM, 'us-east-1', '77', { team: 'payments' }, { resource: 'vm-payments-1' }),
    ],
    [line('2026-05-20', VM, 'eu-west-1', '7.1', { team: 'data' }, { resource: 'vm-data-1' })],
  ],
};

/** The key `cost by tag:<key>` gives a row without the tag. */
const UNTAGGED = '(untagged)';
/** The key `cost by resource` gives cost of no resource. */
const NO_RESOURCE = '(no resource)';

/** Effective cost of May 2026 per `keyOf` of a line (and its account's index), as exact decimals, over every account. */
function mayBy(keyOf: (l: TaggedLine, index: number) => string): Map<string, number> {
  const sums = new Map<string, bigint>();
  for (const [index, lines] of TAGGED_WORLD.accounts.entries()) {
    for (const l of lines.filter((x) => x.day >= '2026-05-01' && x.day <= '2026-05-31')) {
      sums.set(keyOf(l, index), (sums.get(keyOf(l, index)) ?? 0n) + toUnits(l.effective));
    }
  }
  return new Map([...sums].map(([k, units]) => [k, Number(unitsToDecimal(units))]));
}

interface Answer {
  rows: { key: string; label?: string; cost: number }[];
  totals: { currency: string; total: number }[];
}

/**
 * Tags from a billing API sync (README.md#tags-and-resources-from-api-syncs): after a sync through the real
 * SyncService into the real cost store, `cost by tag:<key> last month` equals the vendor's figures split by that
 * tag (untagged cost as `(untagged)`), for each configured key, and totals by service are what they are without tags.
 */
export function costSourceTagsContract(
  name: string,
  make: TaggedSourceFactory,
  options: {
    /** Where the source reads resources: the id it gives the resource of a line of the account at `index`. */
    resourceIdOf?: (line: TaggedLine, index: number) => string;
    /** The source names each resource: the line's `resource` (BigQuery's `resource.name`), which answers show. */
    resourceNames?: boolean;
  } = {},
) {
  describe(`CostSource tags: ${name}`, () => {
    let setup: TaggedSourceSetup;
    let store: TestCostStore;
    let commands: CommandService;

    beforeAll(async () => {
      setup = await make(TAGGED_WORLD, TAGS_SYNC_RANGE, TAG_KEYS);
      store = await createTestCostStore();
      const clock = fixedClock(NOW);
      const sync = new SyncService({
        sources: [setup.source],
        costs: store.repo,
        runs: new MemoryImportRunRepository(),
        clock,
        logger: silentLogger,
        historyDays: HISTORY_DAYS,
      });
      for (const account of setup.accountIds) {
        expect(await sync.window(setup.source.name, account)).toEqual(TAGS_SYNC_RANGE);
        await sync.sync(setup.source.name, account);
      }
      const costs = new CostQueryService(store.repo);
      commands = new CommandService({
        costs,
        forecast: new ForecastService(costs),
        clock,
        status: async () => ({ store: 'test', dataRange: null, imports: [], notes: [] }),
        names: vocabularyOf(store.repo),
      });
    });
    afterAll(async () => {
      await setup?.close();
      await store?.cleanup();
    });

    const ask = async (text: string): Promise<Answer> => {
      const parsed = parseCommand(text);
      if (!parsed.ok) throw new Error(`${text} did not parse`);
      return (await commands.run(parsed.command)).data as unknown as Answer;
    };
    const byKey = (answer: Answer) => Object.fromEntries(answer.rows.map((r) => [r.key, r.cost]));
    const expectFigures = (got: Record<string, number>, want: Map<string, number>) => {
      expect(Object.keys(got).sort()).toEqual([...want.keys()].sort());
      for (const [key, amount] of want) expect(got[key], key).toBeCloseTo(amount, 2);
    };
    const total = [...mayBy(() => 'all').values()][0]!;

    it('answers cost by tag:team last month with the vendor figures split by team', async () => {
      const answer = await ask('cost by tag:team last month');
      expectFigures(
        byKey(answer),
        mayBy((l) => l.tags.team ?? UNTAGGED),
      );
      expect(answer.totals[0]?.total).toBeCloseTo(total, 2);
    });

    it('answers each configured key on its own, untagged cost included', async () => {
      const answer = await ask('cost by tag:env last month');
      expectFigures(
        byKey(answer),
        mayBy((l) => l.tags.env ?? UNTAGGED),
      );
      expect(answer.totals[0]?.total).toBeCloseTo(total, 2);
    });

    it('filters on a tag value: the cost of that team alone', async () => {
      const answer = await ask('cost last month tag:team=search');
      expect(answer.totals[0]?.total).toBeCloseTo(mayBy((l) => l.tags.team ?? UNTAGGED).get('search')!, 2);
    });

    const { resourceIdOf, resourceNames } = options;
    if (resourceIdOf)
      it('answers cost by resource last month with the vendor figures per resource', async () => {
        const answer = await ask('cost by resource last month');
        expectFigures(
          byKey(answer),
          mayBy((l, index) => (l.resource ? resourceIdOf(l, index) : NO_RESOURCE)),
        );
        expect(answer.totals[0]?.total).toBeCloseTo(total, 2);
        if (!resourceNames) return;
        // Each resource shows by the name the vendor gave it, beside its id.
        const names = new Map<string, string>();
        for (const [index, lines] of TAGGED_WORLD.accounts.entries())
          for (const l of lines) if (l.resource) names.set(resourceIdOf(l, index), l.resource);
        for (const row of answer.rows.filter((r) => r.key !== NO_RESOURCE))
          expect(row.label, row.key).toBe(`${names.get(row.key)} (${row.key})`);
      });

    it('keeps totals by service equal to the bill (tag rows count nothing twice)', async () => {
      const answer = await ask('cost by service last month');
      expectFigures(
        byKey(answer),
        mayBy((l) => l.service),
      );
      expect(answer.totals[0]?.total).toBeCloseTo(total, 2);
    });
  });
}
