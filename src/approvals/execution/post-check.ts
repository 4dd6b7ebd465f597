import type { RollbackInfo, TargetRef } from '../../actions/action.types.js';
import type { Clock } from '../../shared/clock.js';
import { TallyError } from '../../shared/errors.js';
import type { Approval, Verification } from '../approval.types.js';
import type { Auditor } from '../approval-events.js';
import { type Look, lookAfterAction } from './expected-state.js';
import type { PostCheckCloud } from './post-check.port.js';

export interface PostCheckConfig {
  cloud: PostCheckCloud;
  audit: Auditor;
  clock: Clock;
  /** Told which resource an action changed, so that cached views of it (the recommendations' scans) are dropped. */
  changed?: (target: TargetRef) => void;
  /** Waits between two looks; tests pass one that returns at once. @defaultValue a timer */
  delay?: (ms: number) => Promise<void>;
  /** Between two looks, in milliseconds. @defaultValue 15000 (as EC2's waiters) */
  intervalMs?: number;
  /** The longest wait for the expected state, in milliseconds; 0 looks once. @defaultValue 600000 (10 minutes) */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The check after an action (docs/architecture.md#after-the-action): looks at the resource until it is as the
 * action should leave it, every `intervalMs` for at most `maxWaitMs` (a bounded, waiter-like poll), and says what it
 * found. A state no wait can change (the instance is gone, the snapshot failed) ends the wait at once. Audited
 * (`execution.verified`, or `execution.unconfirmed` with the reason), and the resource is reported `changed` either way.
 */
export class PostCheck {
  private readonly delay: (ms: number) => Promise<void>;
  private readonly intervalMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly config: PostCheckConfig) {
    const { intervalMs = 15_000, maxWaitMs = 600_000 } = config;
    if (!(intervalMs > 0) || !(maxWaitMs >= 0))
      throw new TallyError(
        'CONFIG_INVALID',
        'The check after an action needs intervalMs above 0 and maxWaitMs of 0 or more.',
      );
    this.delay = config.delay ?? sleep;
    this.intervalMs = intervalMs;
    this.maxWaitMs = maxWaitMs;
  }

  async verify(approval: Approval, rollback: RollbackInfo): Promise<Verification> {
    const verification = await this.poll(approval, rollback);
    this.config.changed?.(approval.action.target);
    await this.config.audit({
      kind: 'execution',
      event: verification.confirmed ? 'execution.verified' : 'execution.unconfirmed',
      approvalId: approval.id,
      actor: 'tally',
      what: verification.confirmed ? `confirmed: ${verification.state}` : `not confirmed: ${verification.reason}`,
      data: { state: verification.state, confirmed: verification.confirmed },
    });
    return verification;
  }

  private async poll(approval: Approval, rollback: RollbackInfo): Promise<Verification> {
    const looks = Math.floor(this.maxWaitMs / this.intervalMs) + 1;
    for (let n = 1; ; n++) {
      const look = await this.look(approval, rollback);
      const at = this.config.clock.now().toISOString();
      if (look.ok) return { at, confirmed: true, state: look.found };
      if (look.final || n >= looks) {
        const after = look.final ? '' : ` after ${durationText(this.maxWaitMs)}`;
        return { at, confirmed: false, state: look.found, reason: `${look.found}, not ${look.want}${after}` };
      }
      await this.delay(this.intervalMs);
    }
  }

  /** One look; a cloud failure (throttled, denied) is a look that found nothing, so the next look tries again. */
  private async look(approval: Approval, rollback: RollbackInfo): Promise<Look> {
    try {
      return await lookAfterAction(approval, rollback, this.config.cloud);
    } catch (err) {
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      return { ok: false, found: `the look failed (${code})`, want: 'the expected state', final: false };
    }
  }
}

/** `10 min`, `45 s`. */
function durationText(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
