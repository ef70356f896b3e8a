// The benchmark's input: the simulator generator's real mix of the three feeds, either as a pre-serialised
// list (what the frame server blasts) or as an endless time-ordered stream (the heap run needs a million).
import { JourneyGenerator, generateFrames, type SimEvent, type SimFrame } from '../../src/simulator/generator';
import type { EpochMs, FeedName } from '../../src/core/types';

export const BENCH_SEED = 7;
/** Mean gap between call starts; the generator's own default, so the mix is the simulator's. */
export const MEAN_GAP_MS = 4000;

/** Pre-serialised frames of `journeys` journeys, ending about now so the store sees plausible times. */
export function benchFrames(journeys: number, seed = BENCH_SEED): SimFrame[] {
  const startAt = Date.now() - journeys * MEAN_GAP_MS;
  return generateFrames(seed, journeys, startAt, { meanGapMs: MEAN_GAP_MS });
}

export interface StreamedFrame { feed: FeedName; at: EpochMs; data: string }

/** Min-heap of pending events by (time, arrival order), so journeys that overlap come out in time order. */
class EventHeap {
  private readonly items: Array<{ e: SimEvent; order: number }> = [];

  get size(): number { return this.items.length; }
  peek(): SimEvent | undefined { return this.items[0]?.e; }

  push(e: SimEvent, order: number): void {
    const a = this.items;
    a.push({ e, order });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): SimEvent | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top?.e;
  }

  private less(x: { e: SimEvent; order: number }, y: { e: SimEvent; order: number }): boolean {
    return x.e.at < y.e.at || (x.e.at === y.e.at && x.order < y.order);
  }
}

/**
 * Endless, time-ordered frames from the journey generator. Journeys start MEAN_GAP_MS apart on average
 * (exponential gaps, like generateFrames); only the journeys still in progress are held in memory.
 */
export class FrameStream {
  private readonly generator: JourneyGenerator;
  private readonly heap = new EventHeap();
  private nextStart: number;
  private order = 0;
  private gapState: number;

  constructor(seed: number, startAt: EpochMs) {
    this.generator = new JourneyGenerator({ seed });
    this.nextStart = startAt;
    this.gapState = (seed ^ 0x2545f491) >>> 0 || 1;
  }

  next(): StreamedFrame {
    // A journey's events never precede its start, so everything before the next start is final.
    while (this.heap.size === 0 || (this.heap.peek() as SimEvent).at >= this.nextStart) {
      const journey = this.generator.next(Math.round(this.nextStart));
      for (const e of journey.events) this.heap.push(e, this.order++);
      this.nextStart += -Math.log(1 - this.random()) * MEAN_GAP_MS;
    }
    const e = this.heap.pop() as SimEvent;
    return { feed: e.feed, at: e.at, data: JSON.stringify(e.doc) };
  }

  /** xorshift32: the gap sequence only needs to be deterministic, not the generator's own stream. */
  private random(): number {
    let x = this.gapState;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.gapState = x;
    return x / 0x100000000;
  }
}
