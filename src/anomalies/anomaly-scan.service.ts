import { createHash } from 'node:crypto';
import type { AggregateRow, CostFilter, Dimension } from '../costs/cost-query.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import { addDays, type Day, daysBetween } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import type { Anomaly, AnomalyDimension, Contributor } from './anomaly.types.js';
import {
  type DetectorOptions,
  detectWithModel,
  previousMonthIndex,
  resolveDetectorOptions,
  type SeriesAnomaly,
  SeriesModel,
  severityOf,
} from './anomaly-detector.js';

/**
 * Scans the cost store for anomalies (issue 6): daily effective-cost series per currency for every service, every
 * account (sub-account), every service × account pair and the grand total, run through the detector, then reduced to
 * one anomaly per underlying event.
 *
 * Deduplication (one event shows in a pair, its service total, its account total and maybe the grand total), per
 * currency and day:
 * 1. an account whose anomaly no single service explains (the largest same-direction service deviation is under
 *    {@link DOMINANCE} of it) is an account-wide event: reported on the account, with its services as contributors,
 *    and its same-direction pairs count as explained;
 * 2. every other finding is named by its service: a service whose total or whose pair with some account is
 *    anomalous is reported once on the service (amounts of the service total, all accounts), the account as its
 *    top contributor; a service total that account-wide events already explain (≥ half) is not reported again;
 * 3. the grand total is reported only when the events above explain less than half of its deviation.
 */

/** Options of {@link AnomalyScanService}. */
export interface AnomalyScanOptions {
  /** Detector tuning; see {@link DetectorOptions} for the defaults. */
  detector?: Partial<DetectorOptions>;
  /**
   * Contributors listed per dimension (accounts, services, regions) of an anomaly.
   * @defaultValue 3
   */
  contributors?: number;
}

/** What to scan: the inclusive days to report anomalies on, and which costs count. */
export interface ScanRequest {
  from: Day;
  to: Day;
  filter?: CostFilter;
}

/** A single service explaining at least this share of an account's deviation makes it a service event. */
const DOMINANCE = 0.6;
/** Contributors smaller than this share of the anomaly's |impact| are left out. */
const MIN_CONTRIBUTOR_SHARE = 0.05;
const SEP = '\u0000';

/** A daily series with its detections and (built on demand) its baseline model. */
interface Track {
  values: Float64Array;
  /** See `previousMonthIndex`; shared by every series of a scan. */
  calendar: Int32Array;
  model?: SeriesModel;
  hits: Map<number, SeriesAnomaly>;
}

/** The series of one currency. Pairs are indexed both ways; both maps hold the same tracks. */
interface Frame {
  currency: string;
  total: Track;
  services: Map<string, Track>;
  accounts: Map<string, Track>;
  byService: Map<string, Map<string, Track>>;
  byAccount: Map<string, Map<string, Track>>;
}

/** A reported event before it becomes an {@link Anomaly}. */
interface Event {
  currency: string;
  index: number;
  dimension: AnomalyDimension;
  key: string;
  track: Track;
  actual: number;
  expected: number;
  /** The largest change size among the series that flagged it (see `changeSize`). */
  size: number;
}

/** Finds anomalies in the stored costs. Reads the repository only through `aggregate`, `dataRange` and `accounts`. */
export class AnomalyScanService {
  private readonly detector: DetectorOptions;
  private readonly contributors: number;

  constructor(
    private readonly costs: CostRepository,
    options: AnomalyScanOptions = {},
  ) {
    this.detector = resolveDetectorOptions(options.detector);
    this.contributors = options.contributors ?? 3;
  }

  /** Days of history read before `from`: the baselines, spreads, runs and monthly look-back all need them. */
  get historyDays(): number {
    const { weeks, spreadDays, maxRunDays, months } = this.detector;
    return Math.max(7 * weeks + spreadDays, months * 31 + 7 * weeks) + maxRunDays;
  }

  /** Anomalies on the days `from`..`to`, sorted by day, then by |impact|, largest first. */
  async scan(request: ScanRequest): Promise<Anomaly[]> {
    const { from, to } = request;
    if (from > to) throw new TallyError('USAGE', `The scan starts (${from}) after it ends (${to}).`);
    const data = await this.costs.dataRange();
    if (!data || data.from > to || data.to < from) return [];
    const grid = gridOf(addDays(from, -this.historyDays), to, data);
    const query = (groupBy: Dimension[], filter = request.filter) =>
      this.costs.aggregate({
        from: grid.start,
        to,
        groupBy,
        byDay: true,
        metrics: ['effective'],
        ...(filter ? { filter } : {}),
      });
    const frames = buildFrames(await query([{ kind: 'account' }, { kind: 'service' }]), grid);
    const window = { from: daysBetween(grid.start, from), to: grid.length - 1, previousMonth: grid.calendar };
    const events: Event[] = [];
    for (const frame of frames.values()) {
      const days = new Set<number>();
      for (const track of tracksOf(frame)) {
        for (const hit of detectWithModel(this.modelOf(track), window)) {
          track.hits.set(hit.index, hit);
          days.add(hit.index);
        }
      }
      for (const i of [...days].sort((a, b) => a - b)) events.push(...this.eventsOn(frame, i));
    }
    if (events.length === 0) return [];
    // Regions only for the services and accounts that have an anomaly: the store then sums far fewer rollups.
    const keysOf = (d: AnomalyDimension) => [...new Set(events.filter((e) => e.dimension === d).map((e) => e.key))];
    const services = events.some((e) => e.dimension === 'total') ? request.filter?.services : keysOf('service');
    const accountKeys = keysOf('account');
    const [serviceRegions, accountRegions, names] = await Promise.all([
      services?.length === 0
        ? []
        : query([{ kind: 'service' }, { kind: 'region' }], narrow(request.filter, { services })),
      accountKeys.length === 0
        ? []
        : query([{ kind: 'account' }, { kind: 'region' }], narrow(request.filter, { subAccountIds: accountKeys })),
      this.costs.accounts(),
    ]);
    const regions = { service: regionTracks(serviceRegions, grid), account: regionTracks(accountRegions, grid) };
    const accounts = new Map(names.map((a) => [a.subAccountId, a]));
    const anomalies = events.map((e) => this.anomalyOf(e, addDays(grid.start, e.index), frames, regions, accounts));
    return anomalies.sort((a, b) =>
      a.day === b.day ? Math.abs(b.impact) - Math.abs(a.impact) : a.day < b.day ? -1 : 1,
    );
  }

  /** The events of one currency on day `i` (the deduplication rule of this file's header). */
  private eventsOn(frame: Frame, i: number): Event[] {
    const events: Event[] = [];
    const explained = new Set<Track>();
    // Services that explain an account's anomaly, with its size: reported on the service even if no series of it is.
    const named = new Map<string, number>();
    for (const [account, track] of frame.accounts) {
      const hit = track.hits.get(i);
      if (!hit) continue;
      const pairs = [...(frame.byAccount.get(account)?.entries() ?? [])];
      const same = pairs.filter(([, p]) => Math.sign(this.impactAt(p, i)) === Math.sign(hit.impact));
      const top = same.reduce<[string, number]>(
        (best, [service, p]) =>
          Math.abs(this.impactAt(p, i)) > best[1] ? [service, Math.abs(this.impactAt(p, i))] : best,
        ['', 0],
      );
      if (top[1] >= DOMINANCE * Math.abs(hit.impact)) {
        named.set(top[0], Math.max(named.get(top[0]) ?? 0, hit.size));
        continue;
      }
      events.push(this.event(frame, i, 'account', account, track, hit.size));
      for (const [, p] of same) explained.add(p);
    }
    for (const [service, track] of frame.services) {
      const own = track.hits.get(i);
      const pairs = [...(frame.byService.get(service)?.values() ?? [])];
      const flagged = pairs.filter((p) => p.hits.has(i) && !explained.has(p));
      if (!own && flagged.length === 0 && !named.has(service)) continue;
      if (own && flagged.length === 0) {
        const covered = pairs.filter((p) => explained.has(p)).reduce((sum, p) => sum + this.impactAt(p, i), 0);
        if (Math.sign(covered) === Math.sign(own.impact) && Math.abs(covered) >= 0.5 * Math.abs(own.impact)) continue;
      }
      const size = Math.max(own?.size ?? 0, named.get(service) ?? 0, ...flagged.map((p) => p.hits.get(i)?.size ?? 0));
      events.push(this.event(frame, i, 'service', service, track, size));
    }
    const total = frame.total.hits.get(i);
    if (total) {
      const covered = events.reduce((sum, e) => sum + (e.actual - e.expected), 0);
      const explainedEnough =
        Math.sign(covered) === Math.sign(total.impact) && Math.abs(covered) >= 0.5 * Math.abs(total.impact);
      if (!explainedEnough) events.push(this.event(frame, i, 'total', 'total', frame.total, total.size));
    }
    return events;
  }

  private event(frame: Frame, index: number, dimension: AnomalyDimension, key: string, track: Track, size: number) {
    const hit = track.hits.get(index);
    const expected = hit?.expected ?? this.modelOf(track).expectedAt(index);
    const actual = track.values[index]!;
    return { currency: frame.currency, index, dimension, key, track, actual, expected, size: size || 0 };
  }

  private modelOf(track: Track): SeriesModel {
    track.model ??= new SeriesModel(track.values, this.detector, track.calendar);
    return track.model;
  }

  /** actual − expected of a series on day `i`; 0 without a baseline. */
  private impactAt(track: Track, i: number): number {
    const hit = track.hits.get(i);
    if (hit) return hit.impact;
    const expected = this.modelOf(track).expectedAt(i);
    const actual = track.values[i]!;
    return Number.isNaN(expected) || Number.isNaN(actual) ? 0 : actual - expected;
  }

  private anomalyOf(
    e: Event,
    day: Day,
    frames: Map<string, Frame>,
    regions: { service: Map<string, Map<string, Track>>; account: Map<string, Map<string, Track>> },
    accounts: Map<string, { subAccountName: string; provider: string }>,
  ): Anomaly {
    const frame = frames.get(e.currency)!;
    const impact = e.actual - e.expected;
    const label = (dimension: Contributor['dimension'], key: string) =>
      dimension === 'account' ? accounts.get(key)?.subAccountName || key : key || '(none)';
    const top = (dimension: Contributor['dimension'], tracks: Map<string, Track> | undefined): Contributor[] =>
      [...(tracks ?? new Map<string, Track>())]
        .map(([key, track]) => ({
          dimension,
          key,
          label: label(dimension, key),
          impact: this.impactAt(track, e.index),
        }))
        .filter(
          (c) =>
            Math.sign(c.impact) === Math.sign(impact) && Math.abs(c.impact) >= MIN_CONTRIBUTOR_SHARE * Math.abs(impact),
        )
        .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact))
        .slice(0, this.contributors);
    const regionKey = `${e.currency}${SEP}${e.key}`;
    const contributors =
      e.dimension === 'service'
        ? [...top('account', frame.byService.get(e.key)), ...top('region', regions.service.get(regionKey))]
        : e.dimension === 'account'
          ? [...top('service', frame.byAccount.get(e.key)), ...top('region', regions.account.get(regionKey))]
          : [
              ...top('service', frame.services),
              ...top('account', frame.accounts),
              ...top('region', sumRegions(regions.service, e.currency)),
            ];
    const provider = this.providerOf(e, frame, accounts);
    return {
      id: anomalyId(day, e.dimension, e.key, e.currency),
      day,
      dimension: e.dimension,
      key: e.key,
      label: e.dimension === 'total' ? 'Total' : label(e.dimension, e.key),
      ...(provider ? { provider } : {}),
      currency: e.currency,
      actual: e.actual,
      expected: e.expected,
      impact,
      relative: Math.abs(e.expected) < 0.005 ? null : impact / Math.abs(e.expected),
      direction: impact > 0 ? 'spike' : 'drop',
      severity: severityOf(impact, e.size, this.detector.minImpact),
      contributors,
    };
  }

  /** The provider of an account, of a service used by one provider's accounts, or of a single-provider total. */
  private providerOf(e: Event, frame: Frame, accounts: Map<string, { provider: string }>): string | undefined {
    const ids =
      e.dimension === 'account'
        ? [e.key]
        : [...(e.dimension === 'service' ? (frame.byService.get(e.key)?.keys() ?? []) : frame.accounts.keys())];
    const providers = new Set(ids.map((id) => accounts.get(id)?.provider).filter((p): p is string => !!p));
    return providers.size === 1 ? [...providers][0] : undefined;
  }
}

/** `anm_` + 16 hex digits of SHA-256 over day, dimension, key and currency: the same event always gets the same id. */
export function anomalyId(day: Day, dimension: AnomalyDimension, key: string, currency: string): string {
  return `anm_${createHash('sha256').update([day, dimension, key, currency].join(SEP), 'utf8').digest('hex').slice(0, 16)}`;
}

/** The days of a scan: history start, length, month calendar, and a blank series (NaN where there is no data). */
interface Grid {
  start: Day;
  length: number;
  calendar: Int32Array;
  blank: Float64Array;
}

function gridOf(start: Day, to: Day, data: { from: Day; to: Day }): Grid {
  const length = daysBetween(start, to) + 1;
  const blank = new Float64Array(length);
  const first = daysBetween(start, data.from);
  const last = daysBetween(start, data.to);
  for (let i = 0; i < length; i++) if (i < first || i > last) blank[i] = Number.NaN;
  return { start, length, calendar: previousMonthIndex(start, length), blank };
}

/** The user's filter with one allow-list narrowed to `keys` (already inside the user's list when it has one). */
function narrow(filter: CostFilter | undefined, keys: Pick<CostFilter, 'services' | 'subAccountIds'>): CostFilter {
  const out: CostFilter = { ...(filter ?? {}) };
  if (keys.services) out.services = keys.services;
  if (keys.subAccountIds) out.subAccountIds = keys.subAccountIds;
  return out;
}

/** Every series of a frame that is scanned (pairs, services, accounts, total). */
function* tracksOf(frame: Frame): Iterable<Track> {
  yield frame.total;
  yield* frame.services.values();
  yield* frame.accounts.values();
  for (const pairs of frame.byService.values()) yield* pairs.values();
}

const newTrack = (grid: Grid): Track => ({ values: grid.blank.slice(), calendar: grid.calendar, hits: new Map() });

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** Per currency: pair, service, account and total series from rows grouped by (account, service, day). */
function buildFrames(rows: AggregateRow[], grid: Grid): Map<string, Frame> {
  const frames = new Map<string, Frame>();
  const dayIndex = new Map<Day, number>();
  for (const row of rows) {
    if (!row.day) continue;
    const i = getOrAdd(dayIndex, row.day, () => daysBetween(grid.start, row.day!));
    const frame = getOrAdd(frames, row.currency, () => ({
      currency: row.currency,
      total: newTrack(grid),
      services: new Map(),
      accounts: new Map(),
      byService: new Map(),
      byAccount: new Map(),
    }));
    const [account = '', service = ''] = row.keys;
    const v = row.effective;
    frame.total.values[i]! += v;
    getOrAdd(frame.services, service, () => newTrack(grid)).values[i]! += v;
    // Rows without a sub-account (taxes) belong to their service and the total only.
    if (account === '') continue;
    getOrAdd(frame.accounts, account, () => newTrack(grid)).values[i]! += v;
    const pair = getOrAdd(
      getOrAdd(frame.byService, service, () => new Map()),
      account,
      () => newTrack(grid),
    );
    pair.values[i]! += v;
    getOrAdd(frame.byAccount, account, () => new Map()).set(service, pair);
  }
  return frames;
}

/** `currency␀owner` → region → series, from rows grouped by (service or account, region, day). */
function regionTracks(rows: AggregateRow[], grid: Grid): Map<string, Map<string, Track>> {
  const out = new Map<string, Map<string, Track>>();
  for (const row of rows) {
    if (!row.day) continue;
    const [owner = '', region = ''] = row.keys;
    const byRegion = getOrAdd(out, `${row.currency}${SEP}${owner}`, () => new Map<string, Track>());
    getOrAdd(byRegion, region, () => newTrack(grid)).values[daysBetween(grid.start, row.day)]! += row.effective;
  }
  return out;
}

/** Region totals of one currency, summed over the services. */
function sumRegions(byOwner: Map<string, Map<string, Track>>, currency: string): Map<string, Track> {
  const out = new Map<string, Track>();
  for (const [key, regions] of byOwner) {
    if (!key.startsWith(`${currency}${SEP}`)) continue;
    for (const [region, track] of regions) {
      const sum = getOrAdd(out, region, () => ({
        ...track,
        values: new Float64Array(track.values.length),
        hits: new Map(),
      }));
      for (let i = 0; i < track.values.length; i++) sum.values[i]! += track.values[i]!;
    }
  }
  return out;
}
