import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  renderEmail,
  renderHtml,
  renderHtmlTable,
  renderPlainText,
} from '../../../adapters/email/render-html.js';
import { money, percent, type Reply, text } from '../../../src/shared/reply.types.js';

const hostile = '<script>alert("x")</script> & \'quotes\'';

const reply: Reply = {
  kind: 'answer',
  title: `Cost spike: ${hostile}`,
  text: 'EC2 in 123456789012 cost more than usual.\nSee below.\n\nSecond <b>paragraph</b>.',
  fields: [{ label: 'Account <a>', value: 'prod & "main"' }],
  tables: [
    {
      columns: [
        { header: 'Service', align: 'left' },
        { header: 'Cost', align: 'right' },
        { header: 'Change', align: 'right' },
      ],
      rows: [
        [text('Amazon <EC2>'), money(1234.5, 'USD'), percent(0.1234)],
        [text('S3'), money(-0.004, 'USD'), percent(null)],
      ],
      footer: [text('Total'), money(1234.496, 'USD'), percent(-0.05)],
    },
  ],
  items: [
    {
      title: 'Stop <idle>',
      text: 'idle for 14 days',
      fields: [{ label: 'Saves', value: '60.74 USD' }],
      button: { actionId: 'tally.request_approval', label: 'Request', value: 'propose stop i-1' },
    },
  ],
  chart: { kind: 'trend', title: 'Daily <cost>', currency: 'USD', labels: [], series: [] },
  context: ['Metric: effective cost', 'Period: 2026-03-01 – 2026-03-07'],
  footnote: 'Data as of <today>',
  buttons: [{ actionId: 'tally.approve', label: 'Approve', value: 'apr_1' }],
  visibility: 'channel',
};

describe('email rendering', () => {
  it('escapes every piece of text, so no markup from the reply reaches the email', () => {
    const html = renderHtml(reply);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<EC2>');
    expect(html).not.toContain('<a>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).toContain('Amazon &lt;EC2&gt;');
    expect(html).toContain('prod &amp; &quot;main&quot;');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('is a complete document with the title, paragraphs and fields', () => {
    const html = renderHtml(reply);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<title>Cost spike: &lt;script&gt;/);
    expect(html).toMatch(/<h1[^>]*>Cost spike: &lt;script&gt;/);
    expect(html).toMatch(/<p[^>]*>EC2 in 123456789012 cost more than usual\.<br>See below\.<\/p>/);
    expect(html).toMatch(/<p[^>]*>Second &lt;b&gt;paragraph&lt;\/b&gt;\.<\/p>/);
    expect(html).toMatch(/<th scope="row"[^>]*>Account &lt;a&gt;<\/th><td[^>]*>prod &amp; &quot;main&quot;<\/td>/);
    expect(html).not.toMatch(/<(img|link|script|style)\b/);
  });

  it('renders tables with right-aligned, formatted amounts and a bold footer', () => {
    const html = renderHtmlTable(reply.tables![0]!);
    expect(renderHtml(reply)).toContain(html);
    const cells = (tag: string) =>
      [...html.matchAll(new RegExp(`<${tag} style="([^"]*)">([^<]*)</${tag}>`, 'g'))].map((m) => ({
        style: m[1]!,
        text: m[2]!,
      }));
    const tds = cells('td');
    // 1234.5 → "1,234.50 USD"; −0.004 rounds to −0.00 → "0.00 USD"; 0.1234 → "+12.3%"; no base → "new".
    expect(tds.map((c) => c.text)).toEqual(['Amazon &lt;EC2&gt;', '1,234.50 USD', '+12.3%', 'S3', '0.00 USD', 'new']);
    expect(tds.map((c) => c.style.includes('text-align:right'))).toEqual([false, true, true, false, true, true]);
    expect(html).toMatch(
      /<tfoot style="font-weight:bold;"><tr><th[^>]*>Total<\/th><th[^>]*text-align:right[^>]*>1,234.50 USD<\/th><th[^>]*>−5.0%<\/th><\/tr><\/tfoot>/,
    );
    expect(html).toMatch(/<th scope="col"[^>]*text-align:right[^>]*>Cost<\/th>/);
  });

  it('lists items, leaves buttons out, and writes the chart, context and footnote in small print', () => {
    const html = renderHtml(reply);
    expect(html).toMatch(/<ol[^>]*>\s*<li[^>]*><strong>Stop &lt;idle&gt;<\/strong><br>idle for 14 days/);
    expect(html).not.toContain('propose stop');
    expect(html).not.toContain('Approve');
    expect(html).toContain('Chart: Daily &lt;cost&gt; · Metric: effective cost · Period: 2026-03-01 – 2026-03-07</p>');
    expect(html).toMatch(/<p style="font-size:12px[^"]*">Data as of &lt;today&gt;<\/p>/);
  });

  it('renders only what a minimal reply has', () => {
    const html = renderHtml({ kind: 'notice', title: 'Hello', visibility: 'channel' });
    expect(html).toContain('<h1 style="font-size:20px;margin:0 0 12px;">Hello</h1>\n</body>');
    expect(html).not.toMatch(/<(table|ol|p)\b/);
  });

  it('gives a plain-text alternative like the shell’s, without buttons, with the chart line', () => {
    const plain = renderPlainText(reply);
    expect(plain.split('\n')[0]).toBe(`Cost spike: ${hostile}`);
    expect(plain).toMatch(/Amazon <EC2>\s+1,234\.50 USD\s+\+12\.3%/);
    expect(plain).toContain('Chart: Daily <cost> · Metric: effective cost · Period: 2026-03-01 – 2026-03-07');
    expect(plain).not.toContain('→');
    expect(plain).not.toContain('apr_1');
    expect(renderEmail(reply)).toEqual({ html: renderHtml(reply), text: plain });
  });
});
