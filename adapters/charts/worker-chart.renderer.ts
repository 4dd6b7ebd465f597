import { Worker } from 'node:worker_threads';
import type { ChartRenderer, RenderedChart } from '../../src/reports/chart-renderer.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { ChartSpec } from '../../src/shared/reply.types.js';

type WorkerReply =
  | { id: number; ok: true; png: Uint8Array; altText: string; filename: string }
  | { id: number; ok: false; message: string };

/**
 * A ChartRenderer that draws in one worker thread (`chart-worker.js`, next to this file once compiled). The worker is
 * started on first use and restarted if it dies; requests queue in the worker in order.
 */
export class WorkerChartRenderer implements ChartRenderer {
  private worker: Worker | null = null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: RenderedChart) => void; reject: (e: Error) => void }>();

  render(spec: ChartSpec): Promise<RenderedChart> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensureWorker().postMessage({ id, spec });
    });
  }

  /** Stops the worker; pending renders fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./chart-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (msg: WorkerReply) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.ok) p.resolve({ png: msg.png, altText: msg.altText, filename: msg.filename });
      else p.reject(new TallyError('INTERNAL', `chart rendering failed: ${msg.message}`));
    });
    const failAll = (err: Error) => {
      for (const p of this.pending.values())
        p.reject(new TallyError('INTERNAL', 'chart worker stopped', { cause: err }));
      this.pending.clear();
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`exit ${code}`)));
    this.worker = worker;
    return worker;
  }
}
