/**
 * Refused by {@link WorkQueue.run} when the queue already holds as much waiting work as it may: the work was not
 * queued and will not run. The chat core tells the person Tally is busy (`apology.ts`); nothing is logged as a failure.
 */
export class QueueFull extends Error {
  /**
   * @param waiting - the works waiting, the bound.
   * @param inARow - refusals since the queue last accepted work, this one included (1: the queue has just filled up).
   */
  constructor(
    readonly waiting: number,
    readonly inARow: number,
  ) {
    super(`the answer queue is full (${waiting} waiting)`);
    this.name = 'QueueFull';
  }
}

/**
 * Runs at most `concurrency` answers at a time, in arrival order, with at most `maxWaiting` more waiting for their
 * turn (docs/architecture.md#the-chat-core). Under a burst of commands this keeps the event loop free to acknowledge
 * new requests within Slack's 3 seconds while earlier answers are still being worked out, and bounds what a flood
 * can hold in memory: beyond the bound, work is refused at once with {@link QueueFull} instead of being queued.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private refusedInARow = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {}

  /** Whether {@link run} would refuse work now. */
  private get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /**
   * Counts a refusal when {@link run} would refuse work now, and says how it stands; null when work would be accepted.
   * For a platform that answers a refused event in its acknowledgement, before any work exists.
   */
  refuseIfFull(): { waiting: number; inARow: number } | null {
    return this.full ? { waiting: this.waiting.length, inARow: ++this.refusedInARow } : null;
  }

  /**
   * Runs `work` now when fewer than `concurrency` run, else once earlier work is done.
   * @throws QueueFull (as a rejection, before anything is queued) when `maxWaiting` works are already waiting.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const refused = this.refuseIfFull();
    if (refused) throw new QueueFull(refused.waiting, refused.inARow);
    this.refusedInARow = 0;
    if (this.running < this.concurrency) this.running++;
    else {
      // Woken by the work that finishes, which hands over its place: `running` already counts this one.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
