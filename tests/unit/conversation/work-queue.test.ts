import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/conversation/work-queue.js';

describe('WorkQueue', () => {
  it('runs at most N at once, in arrival order, and passes results and errors through', async () => {
    const queue = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const job = (i: number) => async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      if (i === 3) throw new Error('boom');
      return i * 10;
    };
    const all = Promise.allSettled([0, 1, 2, 3, 4].map((i) => queue.run(job(i))));
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    await flush();
    expect(started).toEqual([0, 1]);
    while (started.length < 5 || release.length) {
      release.shift()?.();
      await flush();
    }
    const results = await all;
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([0, 10, 20, 'failed', 40]);
  });
});
