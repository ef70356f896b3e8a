// Injectable timers, and a tracked set of pending ones so a test can assert that nothing leaks.

import { systemScheduler, type Scheduler } from '../core/clock';

export type { Scheduler } from '../core/clock';
export const realScheduler: Scheduler = systemScheduler;

/** One named slot per timer: setting it again replaces the old one, so two timers of a kind can never overlap. */
export class TimerSlots<K extends string> {
  private readonly handles = new Map<K, unknown>();

  constructor(private readonly scheduler: Scheduler) {}

  set(key: K, ms: number, fn: () => void): void {
    this.clear(key);
    const handle = this.scheduler.setTimeout(() => {
      if (this.handles.get(key) !== handle) return;
      this.handles.delete(key);
      fn();
    }, Math.max(0, ms));
    this.handles.set(key, handle);
  }

  has(key: K): boolean {
    return this.handles.has(key);
  }

  clear(key: K): void {
    if (!this.handles.has(key)) return;
    this.scheduler.clearTimeout(this.handles.get(key));
    this.handles.delete(key);
  }

  clearAll(): void {
    for (const key of [...this.handles.keys()]) this.clear(key);
  }

  get size(): number {
    return this.handles.size;
  }
}
