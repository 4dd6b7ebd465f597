import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/shared/collect-garbage.js';

const MB = 1024 * 1024;

/** About `mb` MB of small objects, kept alive until the caller drops them. */
function garbage(mb: number): { id: number; text: string }[][] {
  const pages: { id: number; text: string }[][] = [];
  for (let p = 0; p < mb; p++) pages.push(Array.from({ length: 8_000 }, (_, i) => ({ id: i, text: `row ${p}-${i}` })));
  return pages;
}

describe('collectGarbage', () => {
  it('frees what is no longer referenced, so that a native phase after a long JavaScript one starts from a small heap', () => {
    let held: unknown[] | null = garbage(80);
    collectGarbage();
    const holding = getHeapStatistics().used_heap_size;
    expect(held.length).toBe(80);
    held = null;
    collectGarbage();
    const after = getHeapStatistics().used_heap_size;
    // The dropped objects (tens of MB in V8's old generation by now) are gone at once, not at some later collection.
    expect(holding - after).toBeGreaterThan(40 * MB);
  });
});
