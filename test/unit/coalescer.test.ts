import * as assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { Coalescer, type Scheduler } from '../../src/core/coalescer';

/** A manual clock: timers fire in time order when the test advances it. */
class ManualScheduler implements Scheduler {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; seq: number; fn: () => void }>();
  now(): number { return this.time; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, seq: id, fn });
    return id;
  }
  clearTimeout(handle: unknown): void { this.timers.delete(handle as number); }
  get pending(): number { return this.timers.size; }
  /** Moves to `t`, firing every timer due on the way. */
  advanceTo(t: number): void {
    for (;;) {
      let next: [number, { at: number; seq: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= t && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[1].seq < next[1].seq))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = Math.max(this.time, t);
  }
}

function counting(scheduler: Scheduler) {
  const flushes: { at: number; count: number }[] = [];
  const c = new Coalescer<number>({
    scheduler,
    merge: (pending, next) => (pending ?? 0) + next,
    flush: (n) => flushes.push({ at: scheduler.now(), count: n }),
  });
  return { c, flushes };
}

test('10,000 updates over 1,000 ms make at most 5 flushes, the last within 250 ms of the last update', () => {
  const clock = new ManualScheduler();
  const { c, flushes } = counting(clock);
  let lastUpdate = 0;
  for (let i = 0; i < 10_000; i++) {
    const t = i * 0.1; // spread evenly over 0..999.9 ms
    clock.advanceTo(t);
    c.push(1);
    lastUpdate = t;
  }
  clock.advanceTo(lastUpdate + 5000);
  assert.ok(flushes.length <= 5, `flushes: ${flushes.length}`);
  assert.ok(flushes.length >= 2, 'it does flush during the burst, not only at the end');
  const last = flushes[flushes.length - 1];
  assert.ok(last.at >= lastUpdate && last.at - lastUpdate <= 250, `last flush ${last.at - lastUpdate} ms after the last update`);
  // Nothing is lost: every update is in exactly one flush.
  assert.equal(flushes.reduce((s, f) => s + f.count, 0), 10_000);
  assert.equal(clock.pending, 0);
  // And flushes are at least 250 ms apart.
  for (let i = 1; i < flushes.length; i++) assert.ok(flushes[i].at - flushes[i - 1].at >= 250);
});

test('plain count: one update gives one flush; a later update after quiet time flushes at once', () => {
  const clock = new ManualScheduler();
  const { c, flushes } = counting(clock);
  c.push(1);
  assert.equal(flushes.length, 0, 'never flushes inside push');
  clock.advanceTo(0);
  assert.deepEqual(flushes, [{ at: 0, count: 1 }]);
  clock.advanceTo(10_000);
  assert.equal(flushes.length, 1, 'no flush without updates');
  c.push(2);
  c.push(3);
  clock.advanceTo(10_000);
  assert.deepEqual(flushes[1], { at: 10_000, count: 5 });
  assert.equal(c.flushCount, 2);
});

test('flushNow flushes pending work immediately; dispose drops it and cancels the timer', () => {
  const clock = new ManualScheduler();
  const { c, flushes } = counting(clock);
  c.push(1);
  clock.advanceTo(0);
  c.push(4);
  assert.equal(c.isPending, true);
  c.flushNow();
  assert.equal(flushes.length, 2);
  assert.equal(flushes[1].count, 4);
  assert.equal(clock.pending, 0);
  c.push(7);
  c.dispose();
  assert.equal(clock.pending, 0);
  clock.advanceTo(2000);
  c.push(1);
  assert.equal(flushes.length, 2);
});

test('an error in flush does not stop later flushes', () => {
  const clock = new ManualScheduler();
  const errors: unknown[] = [];
  let calls = 0;
  const c = new Coalescer<number>({
    scheduler: clock, merge: (_p, n) => n, onError: (e) => errors.push(e),
    flush: () => { calls++; if (calls === 1) throw new Error('boom'); },
  });
  c.push(1);
  clock.advanceTo(0);
  c.push(2);
  clock.advanceTo(300);
  assert.equal(calls, 2);
  assert.equal(errors.length, 1);
});

test('works with node:test mock timers and the default scheduler', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const seen: number[] = [];
    const c = new Coalescer<number>({ merge: (p, n) => (p ?? 0) + n, flush: (n) => seen.push(n) });
    for (let i = 0; i < 100; i++) {
      c.push(1);
      mock.timers.tick(10); // 100 updates over 1 s
    }
    mock.timers.tick(250);
    assert.ok(seen.length <= 5, `flushes: ${seen.length}`);
    assert.equal(seen.reduce((a, b) => a + b, 0), 100);
    c.dispose();
  } finally {
    mock.timers.reset();
  }
});
