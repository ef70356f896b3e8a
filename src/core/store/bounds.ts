// Applies the store's memory bounds (limits.ts) to its calls: the active-call cap, the per-call timeline bytes and
// the bytes of every kept frame, recording each bound hit. The store calls it after a new call or a recorded
// document; the work is O(1) unless a bound is exceeded.
import { BoundsRecord, OldestActive, SlabLedger, type ActiveCall, type BoundsHit, type MemoryLimits } from '../limits';
import type { TimelineBuffer } from '../timeline';
import type { EpochMs } from '../types';

/** What the bounds read and change of a call. */
export interface BoundedCall extends ActiveCall {
  readonly buffer: TimelineBuffer;
  /** Bits of the byte bounds that trimmed the call (each call is counted once per bound). */
  trimmedBy: number;
}

/** The store's side: its calls, and the two ways it lets go of one. */
export interface BoundsHost<T extends BoundedCall> {
  readonly active: ReadonlyMap<string, T>;
  readonly calls: ReadonlyMap<string, T>;
  readonly endedCount: number;
  /** Evicts the call that ended first. */
  evictOldestEnded(): void;
}

const BY_CALL = 1;
const BY_STORE = 2;
/** Past the store bound, memory is brought down to this share of it, so the work is not repeated for every frame. */
const STORE_TARGET = 0.9;
/** Most timelines trimmed for one excess (each trim halves the largest timeline). */
const MAX_TRIMS = 64;

export class StoreBounds<T extends BoundedCall> {
  readonly ledger = new SlabLedger();
  private readonly hits = new BoundsRecord();
  private readonly oldest = new OldestActive<T>();

  constructor(private readonly host: BoundsHost<T>) {}

  /** The bounds hit so far, as a copy (a reader cannot change the store's counts). */
  get record(): BoundsHit {
    const h = this.hits;
    return Object.freeze({
      droppedCalls: h.droppedCalls, trimmedCalls: h.trimmedCalls, evictedForStore: h.evictedForStore,
      trimmedForStore: h.trimmedForStore, since: h.since, revision: h.revision,
    });
  }

  get revision(): number {
    return this.hits.revision;
  }

  /**
   * While more calls are active than allowed: ends (with `end`) the one whose last document is oldest, never
   * `fresh` (the call just added, if any). The store checks the count first, so this runs only past the bound.
   */
  dropActive(limits: MemoryLimits, fresh: T | undefined, at: EpochMs, end: (call: T) => void): void {
    while (this.host.active.size > limits.maxActiveCalls) {
      const victim = this.oldest.take(this.host.active.values(), limits.maxActiveCalls, fresh);
      if (!victim) return;
      end(victim);
      this.hits.hit('droppedCalls', at);
    }
  }

  /** After a document was recorded for `call`. Returns whether ended calls were evicted to meet the store bound. */
  afterRecord(limits: MemoryLimits, call: T, at: EpochMs): boolean {
    if (call.buffer.bytes > limits.callBytes && call.buffer.trimToBytes(limits.callBytes) > 0) this.trimmed(call, BY_CALL, at);
    return this.ledger.bytes > limits.storeBytes ? this.meetStore(limits, at) : false;
  }

  /** Ended calls go first, oldest first; then the largest timelines are halved. Returns whether any call was evicted. */
  meetStore(limits: MemoryLimits, at: EpochMs): boolean {
    const target = limits.storeBytes * STORE_TARGET;
    let evicted = false;
    while (this.ledger.bytes > target && this.host.endedCount > 0) {
      this.host.evictOldestEnded();
      this.hits.hit('evictedForStore', at);
      evicted = true;
    }
    for (let i = 0; i < MAX_TRIMS && this.ledger.bytes > target; i++) {
      const largest = this.largest();
      if (!largest || largest.buffer.trimToBytes(Math.floor(largest.buffer.bytes / 2)) === 0) break;
      this.trimmed(largest, BY_STORE, at);
    }
    return evicted;
  }

  private largest(): T | undefined {
    let best: T | undefined;
    for (const call of this.host.calls.values()) if (!best || call.buffer.bytes > best.buffer.bytes) best = call;
    return best;
  }

  private trimmed(call: T, bit: number, at: EpochMs): void {
    if ((call.trimmedBy & bit) !== 0) return;
    call.trimmedBy |= bit;
    this.hits.hit(bit === BY_CALL ? 'trimmedCalls' : 'trimmedForStore', at);
  }

  clear(): void {
    this.ledger.clear();
    this.hits.clear();
    this.oldest.clear();
  }
}
