import { describe, expect, it } from 'vitest';
import { createVegaChartRenderer } from '../../../adapters/charts/vega-chart.renderer.js';
import { eachDay } from '../../../src/shared/day.js';
import type { ChartSpec } from '../../../src/shared/reply.types.js';

const days = eachDay('2026-06-01', '2026-06-30');
/** A budget chart: cumulative spend to the 9th, the amount, the forecast from the 9th on (NaN = not drawn). */
const spec: ChartSpec = {
  kind: 'lines',
  title: 'Budget payments-team — June 2026',
  currency: 'USD',
  labels: days,
  series: [
    { name: 'Actual (cumulative)', values: days.map((_, i) => (i < 9 ? 100 * (i + 1) : Number.NaN)) },
    { name: 'Budget', values: days.map(() => 2500) },
    { name: 'Forecast', values: days.map((_, i) => (i < 8 ? Number.NaN : 900 + 100 * (i - 8))) },
  ],
};

describe('a lines chart', () => {
  const renderer = createVegaChartRenderer({ width: 640 });

  it('draws each series as a line without the days it does not cover, and names their last values', async () => {
    const svg = await renderer.toSvg(spec);
    // Three lines: one path per series (Vega draws a line mark as one path per group).
    expect(svg.match(/role-mark.*?line/g)?.length ?? svg.match(/<path/g)?.length).toBeGreaterThanOrEqual(3);
    expect(svg).not.toContain('NaN');
    const out = await renderer.render(spec);
    expect(out.altText).toContain('Line chart of Budget payments-team');
    expect(out.altText).toContain('Actual (cumulative) 900.00 USD');
    expect(out.altText).toContain('Forecast 3,000.00 USD');
  });
});
