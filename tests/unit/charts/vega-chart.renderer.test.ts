import { describe, expect, it } from 'vitest';
import { createVegaChartRenderer } from '../../../adapters/charts/vega-chart.renderer.js';
import { eachDay } from '../../../src/shared/day.js';
import type { ChartSpec } from '../../../src/shared/reply.types.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always follows the 8-byte signature (bytes 16–23, big-endian). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function trendSpec(seriesCount: number, days = eachDay('2026-04-01', '2026-04-30')): ChartSpec {
  const series = Array.from({ length: seriesCount }, (_, k) => ({
    name: k === 0 ? 'Amazon EC2' : `Service ${k}`,
    values: days.map((_, d) => (k === 0 ? 41.152 : 10 + k + d)),
  }));
  return { kind: 'trend', title: 'Daily cost by service — last 30 days', currency: 'USD', labels: days, series };
}

const barsSpec: ChartSpec = {
  kind: 'bars',
  title: 'Cost by account — last month (2026-04-01 to 2026-04-30)',
  currency: 'EUR',
  labels: ['Production Payments (111111111111)', 'Data Platform (222222222222)', 'Credits'],
  series: [{ name: 'Cost', values: [65432.1, 1234.56, -50] }],
};

describe('VegaChartRenderer', () => {
  const renderer = createVegaChartRenderer({ width: 640 });

  it('renders a trend as a PNG of the configured width, described in its alt text', async () => {
    const out = await renderer.render(trendSpec(6));

    expect([...out.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = pngSize(out.png);
    expect(Math.abs(width - 640)).toBeLessThanOrEqual(8);
    expect(height).toBeGreaterThan(100);
    // 30 days × 41.152 = 1,234.56
    expect(out.altText).toContain('Amazon EC2 1,234.56 USD');
    expect(out.altText).toMatch(/^Stacked area chart of Daily cost by service — last 30 days.*\.$/);
    expect(out.filename).toBe('daily-cost-by-service-last-30-days.png');
  });

  it('renders a short trend as stacked bars', async () => {
    const out = await renderer.render(trendSpec(3, eachDay('2026-04-01', '2026-04-07')));

    expect([...out.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(out.altText).toMatch(/^Stacked bar chart/);
  });

  it('renders a breakdown as horizontal bars, credits included', async () => {
    const out = await renderer.render(barsSpec);

    expect([...out.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const { width, height } = pngSize(out.png);
    expect(Math.abs(width - 640)).toBeLessThanOrEqual(8);
    expect(height).toBeGreaterThan(0);
    expect(out.altText).toContain('Horizontal bar chart of Cost by account');
    expect(out.altText).toContain('Production Payments (111111111111) 65,432.10 EUR');
  });

  it('renders 20 series, and a chart without data', async () => {
    const many = await renderer.render(trendSpec(20));
    const none = await renderer.render({ kind: 'trend', title: 'Nothing', currency: 'USD', labels: [], series: [] });

    expect(pngSize(many.png).width).toBeGreaterThan(0);
    expect(pngSize(none.png).height).toBeGreaterThan(0);
    expect(none.altText).toContain('no data');
  });

  it('draws text with the configured fonts (SVG carries DejaVu Sans and the labels)', async () => {
    const svg = await renderer.toSvg(barsSpec);

    expect(svg).toContain('DejaVu Sans');
    expect(svg).toContain('Data Platform (222222222222)');
    expect(svg).toContain('Cost (EUR)');
    expect(svg).not.toMatch(/<image|href="http/);
  });

  it('rejects bad options with CONFIG_INVALID', () => {
    expect(() => createVegaChartRenderer({ width: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => createVegaChartRenderer({ fontFiles: ['/nonexistent/font.ttf'] })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
