// A manual clock for SimulatorServer: records every requested delay; fires timers on advance(),
// or (auto mode) on the next turn of the event loop, so waits cost no real time.
import type { SimulatorClock } from '../../src/simulator/options';

interface Timer { at: number; seq: number; fn: () => void }

export class FakeClock implements SimulatorClock {
  readonly delays: number[] = [];
  private time = 1_000_000;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(private readonly auto = false) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.delays.push(ms);
    this.timers.set(id, { at: this.time + ms, seq: id, fn });
    if (this.auto) {
      setImmediate(() => {
        const timer = this.timers.get(id);
        if (!timer) return;
        this.timers.delete(id);
        this.time = Math.max(this.time, timer.at);
        timer.fn();
      });
    }
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in time order (timers they add included). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = until;
  }
}
