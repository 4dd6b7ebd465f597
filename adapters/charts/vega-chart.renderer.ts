import { existsSync } from 'node:fs';
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { OTHER_SERIES } from '../../src/costs/chart-spec.js';
import type { ChartRenderer, RenderedChart } from '../../src/reports/chart-renderer.port.js';
import { TallyError } from '../../src/shared/errors.js';
import { formatMoney } from '../../src/shared/money.js';
import type { ChartSpec } from '../../src/shared/reply.types.js';

/** Options of {@link createVegaChartRenderer}. */
export interface VegaChartRendererConfig {
  /**
   * Width of the PNG in pixels.
   * @defaultValue 800
   */
  width?: number;
  /**
   * Height of the plot area of a trend chart in pixels; bar charts grow with their number of bars.
   * @defaultValue 360
   */
  height?: number;
  /**
   * Font files given to resvg. System fonts are loaded too, so text still renders when these are absent.
   * @defaultValue DejaVu Sans (regular and bold) from `/usr/share/fonts/truetype/dejavu/` when present
   *   (Debian package `fonts-dejavu-core`, installed by the Dockerfile)
   */
  fontFiles?: string[];
}

const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
const DEFAULT_FONTS = [`${DEJAVU_DIR}/DejaVuSans.ttf`, `${DEJAVU_DIR}/DejaVuSans-Bold.ttf`];
const FONT_FAMILY = 'DejaVu Sans';
/** Tableau 20 without its greys, so that grey means only `Other`. */
// biome-ignore format: two rows of ten colours read better than twenty lines
const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#a0cbe8',
  '#ffbe7d', '#ff9d9a', '#8cd17d', '#b6992d', '#f1ce63', '#499894', '#86bcb6', '#d37295', '#fabfd2', '#d4a6c8',
];
const OTHER_COLOUR = '#9d9d9d';
/** Trends of at most this many days are drawn as stacked bars; longer ones as stacked areas. */
const MAX_BAR_DAYS = 14;
const ALT_TEXT_ITEMS = 3;

/**
 * Vega may fetch data, images and links through its loader. Charts carry inline values only, so any load is a
 * bug: refuse it instead of reaching the network from a Slack request.
 */
const refuse = (uri: string) => Promise.reject(new Error(`chart tried to load ${uri}`));
const NO_NETWORK: vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** Advance widths of DejaVu Sans in em, by character class (from its `hmtx` table, rounded). */
// biome-ignore format: a table reads better in rows
const EM_WIDTHS: [RegExp, number][] = [
  [/[ijlIJ.,:;'!|\s]/, 0.31], [/[frt()[\]\-/"]/, 0.39], [/[cksvxyz]/, 0.56], [/\d/, 0.64], [/m/, 0.97], [/w/, 0.82],
  [/[MW]/, 0.93], [/[DGHNOQU]/, 0.76], [/[A-Z]/, 0.66], [/[—…%@]/, 1],
];
const DEFAULT_EM_WIDTH = 0.62;

type TextItem = { fontSize?: number; fontWeight?: string | number; limit?: number };

/** Draws a {@link ChartSpec} with Vega-Lite → Vega (SVG, headless) → resvg (PNG). No network, no browser. */
export class VegaChartRenderer implements ChartRenderer {
  private readonly width: number;
  private readonly height: number;
  private readonly fontFiles: string[];

  constructor(config: VegaChartRendererConfig = {}) {
    this.width = positiveInt(config.width ?? 800, 'width');
    this.height = positiveInt(config.height ?? 360, 'height');
    const missing = config.fontFiles?.filter((f) => !existsSync(f)) ?? [];
    if (missing.length > 0) {
      throw new TallyError('CONFIG_INVALID', `Chart font files not found: ${missing.join(', ')}.`);
    }
    this.fontFiles = config.fontFiles ?? DEFAULT_FONTS.filter((f) => existsSync(f));
    useDejaVuTextMetrics();
  }

  async render(spec: ChartSpec): Promise<RenderedChart> {
    const svg = await this.toSvg(spec);
    let png: Buffer;
    try {
      // renderAsync rasterises on the libuv thread pool, so a Slack request's event loop is not blocked.
      const image = await renderAsync(svg, {
        font: { fontFiles: this.fontFiles, loadSystemFonts: true, defaultFontFamily: FONT_FAMILY },
        fitTo: { mode: 'width', value: this.width },
        background: 'white',
      });
      png = image.asPng();
    } catch (err) {
      handleChartError(err, 'rasterise');
    }
    return { png, altText: altText(spec), filename: filename(spec) };
  }

  /** The chart as an SVG string; exposed for debugging layouts. */
  async toSvg(spec: ChartSpec): Promise<string> {
    let view: vega.View | undefined;
    try {
      const vl =
        spec.labels.length === 0 || spec.series.length === 0
          ? emptySpec(spec, this.width, this.height)
          : spec.kind === 'bars'
            ? barsSpec(spec, this.width)
            : spec.kind === 'lines'
              ? linesSpec(spec, this.width, this.height)
              : trendSpec(spec, this.width, this.height);
      // Vega-Lite warns about every step-sized bar chart ("Dropping fit-y"); only errors are worth a log line.
      const compiled = compile(vl, { logger: vega.logger(vega.Error) }).spec;
      view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: NO_NETWORK, logLevel: vega.Error });
      return await view.toSVG();
    } catch (err) {
      return handleChartError(err, 'draw');
    } finally {
      view?.finalize();
    }
  }
}

/** A Vega chart renderer; see {@link VegaChartRendererConfig} for the defaults. */
export function createVegaChartRenderer(config: VegaChartRendererConfig = {}): VegaChartRenderer {
  return new VegaChartRenderer(config);
}

/** The title and a line saying there is nothing to draw (Vega draws nothing at all for empty data). */
function emptySpec(spec: ChartSpec, width: number, height: number): TopLevelSpec {
  return {
    ...frame(spec, width),
    height: Math.min(height, 120),
    data: { values: [{ note: 'No cost data to chart.' }] },
    mark: { type: 'text', fontSize: 14, color: '#555' },
    encoding: { text: { field: 'note' } },
  };
}

function trendSpec(spec: ChartSpec, width: number, height: number): TopLevelSpec {
  const names = spec.series.map((s) => s.name);
  const bars = spec.labels.length <= MAX_BAR_DAYS;
  return {
    ...frame(spec, width),
    height,
    // Fit the width only: a long legend (many series) makes the image taller instead of being cut off.
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values: toData(spec) },
    mark: bars ? { type: 'bar' } : { type: 'area', interpolate: 'monotone', line: { strokeWidth: 1 }, opacity: 0.85 },
    encoding: {
      // Bars sit on a band per day (ticks centred); areas on a continuous UTC time axis.
      x: {
        field: 'label',
        type: bars ? 'ordinal' : 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        axis: { format: '%b %d', labelAngle: 0, labelOverlap: true, grid: false },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        stack: 'zero',
        title: `Cost per day (${spec.currency})`,
        axis: { format: ',.2~f', tickCount: 5 },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, range: colours(names) },
        legend: { orient: 'right', symbolType: 'square', labelLimit: 0, labelExpr: truncateLabel(30) },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** Lines over days, not stacked (a budget: cumulative spend, the amount, the forecast); NaN values are not drawn. */
function linesSpec(spec: ChartSpec, width: number, height: number): TopLevelSpec {
  const names = spec.series.map((s) => s.name);
  const values = spec.series.flatMap((s, order) =>
    spec.labels.flatMap((label, i) => {
      const value = s.values[i];
      return value !== undefined && Number.isFinite(value) ? [{ label, series: s.name, order, value }] : [];
    }),
  );
  return {
    ...frame(spec, width),
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: {
        field: 'label',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        axis: { format: '%b %d', labelAngle: 0, labelOverlap: true, grid: false },
      },
      y: { field: 'value', type: 'quantitative', title: spec.currency, axis: { format: ',.2~f', tickCount: 5 } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, range: colours(names) },
        legend: { orient: 'right', labelLimit: 0 },
      },
      strokeDash: { field: 'series', type: 'nominal', legend: null },
    },
  };
}

function barsSpec(spec: ChartSpec, width: number): TopLevelSpec {
  const series = spec.series[0];
  const values = toData({ ...spec, series: series ? [series] : [] });
  const max = Math.max(0, ...values.map((d) => d.value));
  const min = Math.min(0, ...values.map((d) => d.value));
  const pad = (max - min) * 0.16;
  const axis = { labelLimit: 0, labelExpr: truncateLabel(40) };
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis } as const;
  const x = {
    field: 'value',
    type: 'quantitative',
    title: `${series?.name ?? 'Cost'} (${spec.currency})`,
    // Room beyond the longest bars (both sides when there are credits) for the amounts printed there.
    scale: { domainMin: min < 0 ? min - pad : 0, domainMax: max > 0 ? max + pad : 0, nice: true },
    axis: { format: ',.2~f', tickCount: 5, labelOverlap: true },
  } as const;
  return {
    ...frame(spec, width),
    height: { step: 26 },
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    encoding: { y, x },
    layer: [
      { mark: { type: 'bar', color: PALETTE[0] } },
      {
        // Amounts sit just past the end of each bar: right of it, or left of it for a credit (negative).
        mark: {
          type: 'text',
          align: { expr: "datum.value < 0 ? 'right' : 'left'" },
          dx: { expr: 'datum.value < 0 ? -4 : 4' },
        },
        encoding: { text: { field: 'value', format: ',.2f' } },
      },
    ],
  };
}

/**
 * Without node-canvas, Vega guesses every character to be 0.8 em wide, which leaves wide gaps beside legends and
 * axis labels. `textMetrics.width` is Vega's documented hook for a custom measure (vl-convert uses it). It is not
 * in vega's typings, and it is global to the process: harmless, since charts are Vega's only use here. If a future
 * vega stops exporting it, charts fall back to the guess (looser layout, still correct).
 */
function useDejaVuTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text: unknown) => number } })
    .textMetrics;
  if (metrics) metrics.width = measureText;
}

function measureText(item: TextItem, text: unknown): number {
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  let em = 0;
  for (const ch of String(text ?? '').trim()) em += EM_WIDTHS.find(([re]) => re.test(ch))?.[1] ?? DEFAULT_EM_WIDTH;
  const width = em * size * (bold ? 1.1 : 1);
  // Vega truncates text to `limit` itself; report at most the limit so its bounds match the truncated text.
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/**
 * What every chart shares: size, white background, the installed font, and the title. Titles read
 * `What — when`; the part after the dash becomes a grey subtitle so that long periods never run off the image.
 */
function frame(spec: ChartSpec, width: number) {
  const [what = '', ...when] = spec.title.split(' — ');
  return {
    width,
    background: 'white',
    padding: 16,
    title: {
      text: what,
      ...(when.length > 0 ? { subtitle: when.join(' — '), subtitleColor: '#555', subtitleFontSize: 13 } : {}),
      anchor: 'start',
      fontSize: 16,
      offset: 12,
    },
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#333', titleColor: '#333', labelSeparation: 6 },
      legend: { labelFontSize: 12 },
    },
  } as const;
}

/**
 * A Vega expression cutting a label at `chars` characters, ending in `…`; the scale keeps the full value. Vega's
 * pixel `labelLimit` is off: it would measure with its own 0.8 em guess (see `useDejaVuTextMetrics`).
 */
function truncateLabel(chars: number): string {
  return `truncate(datum.label, ${chars})`;
}

function toData(spec: ChartSpec): { label: string; series: string; order: number; value: number }[] {
  return spec.series.flatMap((s, order) =>
    spec.labels.map((label, i) => ({ label, series: s.name, order, value: s.values[i] ?? 0 })),
  );
}

function colours(names: readonly string[]): string[] {
  let next = 0;
  return names.map((n) => (n === OTHER_SERIES ? OTHER_COLOUR : (PALETTE[next++ % PALETTE.length] ?? OTHER_COLOUR)));
}

/** One sentence: the chart kind, the title (which names the period) and the top items with their totals. */
function altText(spec: ChartSpec): string {
  const items = (
    spec.kind === 'bars'
      ? spec.labels.map((name, i) => ({ name, total: spec.series[0]?.values[i] ?? 0 }))
      : spec.series
          .filter((s) => s.name !== OTHER_SERIES)
          .map((s) => ({ name: s.name, total: s.values.reduce((a, b) => a + b, 0) }))
  ).sort((a, b) => b.total - a.total);
  const top = items.slice(0, ALT_TEXT_ITEMS).map((t) => `${t.name} ${formatMoney(t.total, spec.currency)}`);
  const more = items.length > top.length ? ` and ${items.length - top.length} more` : '';
  const listed = top.length > 0 ? `; largest: ${top.join(', ')}${more}` : '; no data';
  if (spec.kind === 'bars') return `Horizontal bar chart of ${spec.title} in ${spec.currency}${listed}.`;
  if (spec.kind === 'lines') {
    const ends = spec.series.map((s) => {
      const last = [...s.values].reverse().find((v) => Number.isFinite(v));
      return `${s.name} ${last === undefined ? 'none' : formatMoney(last, spec.currency)}`;
    });
    return `Line chart of ${spec.title}, ${spec.labels[0]} to ${spec.labels.at(-1)}, in ${spec.currency}; last values: ${ends.join(', ')}.`;
  }
  const [first, last] = [spec.labels[0], spec.labels.at(-1)];
  const range = first && last && !spec.title.includes(first) ? `, ${first} to ${last}` : '';
  const shape = spec.labels.length <= MAX_BAR_DAYS ? 'Stacked bar chart' : 'Stacked area chart';
  return `${shape} of ${spec.title}${range}, daily cost in ${spec.currency}${listed}.`;
}

/** `Cost by service — last month` → `cost-by-service-last-month.png`. */
function filename(spec: ChartSpec): string {
  const slug = spec.title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80);
  return `${slug.replace(/^-|-$/g, '') || `${spec.kind}-chart`}.png`;
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TallyError('CONFIG_INVALID', `Chart ${name} must be a positive whole number of pixels, got ${value}.`);
  }
  return value;
}

/** Maps a Vega or resvg failure to a TallyError; the vendor error stays as `cause`. */
function handleChartError(err: unknown, operation: 'draw' | 'rasterise'): never {
  throw new TallyError('INTERNAL', `Could not ${operation} the chart.`, { cause: err, metadata: { operation } });
}
