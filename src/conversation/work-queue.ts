/**
 * Runs at most `concurrency` answers at a time, in arrival order. Under a burst of commands this keeps the event loop
 * free to acknowledge new requests within Slack's 3 seconds while earlier answers are still being worked out.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
