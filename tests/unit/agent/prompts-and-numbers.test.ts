import { describe, expect, it } from 'vitest';
import { checkNumbers } from '../../../src/agent/number-guard.js';
import { renderPrompt } from '../../../src/agent/prompt-loader.js';

describe('prompt loader', () => {
  it('fills the system prompt and keeps its rules', async () => {
    const text = await renderPrompt('system', { today: '2026-06-10', dataFrom: '2025-05-18', dataTo: '2026-06-09' });
    expect(text).toContain('Today is 2026-06-10');
    expect(text).toContain('2025-05-18 to 2026-06-09');
    expect(text).toMatch(/cannot approve, reject, vote on\s+or execute anything/);
    expect(text).not.toContain('{{');
  });

  it('refuses a missing variable', async () => {
    await expect(renderPrompt('system', { today: 'x', dataFrom: 'y' } as never)).rejects.toThrow(/dataTo/);
  });
});

describe('number guard', () => {
  const tools = [{ total: 1234.5678, rows: [{ key: 'EC2', cost: 812.3 }], ratio: 0.1234 }];

  it('accepts figures that tools produced, after rounding', () => {
    expect(checkNumbers('EC2 cost *812.30 USD* of 1,234.57 USD, up 12.3% on 2026-05-01 (top 5).', tools)).toEqual({
      ok: true,
      unknown: [],
    });
  });

  it('names figures no tool produced', () => {
    const r = checkNumbers('That is 999.99 USD, 40% more.', tools);
    expect(r.ok).toBe(false);
    expect(r.unknown).toEqual(['999.99 USD', '40%']);
  });
});
