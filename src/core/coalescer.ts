// Turns a burst of updates into a few flushes: at most one flush per interval (default 250 ms, so about
// 4 per second whatever the message rate), and the last update always lands within one interval.
// Pure: timers come from an injectable scheduler so tests run on a fake clock.

import { systemScheduler, type Scheduler } from './clock';

export { systemScheduler, type Scheduler } from './clock';

/** `I` is one update, `P` what is pending between flushes (the same type unless the merge folds updates into a summary). */
export interface CoalescerOptions<I, P = I> {
  /** Folds an update into what is pending (pending is undefined after each flush). */
  merge(pending: P | undefined, next: I): P;
  /** Receives everything merged since the previous flush. Errors are caught so one bad flush can't stop later ones. */
  flush(pending: P): void;
  /** Minimum time between two flushes (default 250 ms). */
  intervalMs?: number;
  scheduler?: Scheduler;
  onError?(err: unknown): void;
}

export class Coalescer<I, P = I> {
  private pending: P | undefined;
  private hasPending = false;
  private timer: unknown;
  private timerSet = false;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly scheduler: Scheduler;
  /** How many flushes ran (for tests and diagnostics). */
  flushCount = 0;

  constructor(private readonly options: CoalescerOptions<I, P>) {
    this.intervalMs = Math.max(0, options.intervalMs ?? 250);
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Records an update. The flush is always deferred (never runs inside the caller), at the earliest allowed moment. */
  push(value: I): void {
    if (this.disposed) return;
    this.pending = this.options.merge(this.hasPending ? this.pending : undefined, value);
    this.hasPending = true;
    if (this.timerSet) return;
    const delay = Math.max(0, this.lastFlushAt + this.intervalMs - this.scheduler.now());
    this.timerSet = true;
    this.timer = this.scheduler.setTimeout(() => this.fire(), delay);
  }

  /** True while an update is waiting for its flush. */
  get isPending(): boolean {
    return this.hasPending;
  }

  /** Flushes now if anything is pending (e.g. when a view becomes visible) and restarts the interval. */
  flushNow(): void {
    if (this.timerSet) {
      this.scheduler.clearTimeout(this.timer);
      this.timerSet = false;
    }
    this.fire();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timerSet) this.scheduler.clearTimeout(this.timer);
    this.timerSet = false;
    this.hasPending = false;
    this.pending = undefined;
  }

  private fire(): void {
    this.timerSet = false;
    if (this.disposed || !this.hasPending) return;
    const value = this.pending as P;
    this.pending = undefined;
    this.hasPending = false;
    this.lastFlushAt = this.scheduler.now();
    this.flushCount++;
    try {
      this.options.flush(value);
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}
