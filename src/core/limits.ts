// The store's memory bounds in bytes and active calls: what they are, the ledger of kept frame memory, how the
// oldest active call is found, and the record of bounds hit that the log and the status tooltip show. Pure.
import type { KeptFrame } from './frameSlabs';
import type { EpochMs } from './types';

const MB = 1024 * 1024;

export interface MemoryLimits {
  /** Active calls kept; past it, the one whose last document is oldest ends as "unknown end". */
  maxActiveCalls: number;
  /** Frame bytes one call's timeline keeps; beyond it, its oldest middle entries are dropped. */
  callBytes: number;
  /** Frame memory the store keeps, counted as whole retained slabs; beyond it, ended calls go, then large timelines shrink. */
  storeBytes: number;
}

export const LIMIT_DEFAULTS: MemoryLimits = { maxActiveCalls: 20_000, callBytes: 2 * MB, storeBytes: 256 * MB };

/** Memory the store's frames pin: whole ArrayBuffers (a 16 KB slab, Node's 8 KB pool, a large frame's own). */
function memoryOf(frame: KeptFrame): ArrayBufferLike | undefined {
  return frame.slab?.buffer;
}

/**
 * The kept frames' memory, counting each slab they are in once, in full, while any of them is kept: a slab is
 * freed only when no frame in it is alive. O(1) per frame (one Map update).
 */
export class SlabLedger {
  private readonly held = new Map<ArrayBufferLike, number>();
  /** Bytes of every slab holding at least one kept frame. */
  bytes = 0;

  hold(frame: KeptFrame): void {
    const memory = memoryOf(frame);
    if (memory === undefined) return;
    const n = this.held.get(memory);
    if (n === undefined) this.bytes += memory.byteLength;
    this.held.set(memory, (n ?? 0) + 1);
  }

  release(frame: KeptFrame): void {
    const memory = memoryOf(frame);
    if (memory === undefined) return;
    const n = this.held.get(memory);
    if (n === undefined) return;
    if (n > 1) {
      this.held.set(memory, n - 1);
    } else {
      this.held.delete(memory);
      this.bytes -= memory.byteLength;
    }
  }

  /** Slabs held (for tests). */
  get slabs(): number {
    return this.held.size;
  }

  clear(): void {
    this.held.clear();
    this.bytes = 0;
  }
}

/** What the oldest-active search reads of a call. */
export interface ActiveCall {
  readonly lastDocumentAt: EpochMs;
  readonly isEnded: boolean;
}

/**
 * The active call whose last document is oldest, without a scan per call: one scan sorts the oldest `batch` calls,
 * and each later take pops the next of them that has neither ended nor received a document since (calls outside
 * the batch were newer then and only get newer). A new scan when the batch runs out.
 */
export class OldestActive<T extends ActiveCall> {
  private batch: { call: T; at: EpochMs }[] = [];
  private next = 0;

  take(active: Iterable<T>, size: number, except?: T): T | undefined {
    for (let pass = 0; pass < 2; pass++) {
      while (this.next < this.batch.length) {
        const { call, at } = this.batch[this.next++];
        if (!call.isEnded && call.lastDocumentAt === at && call !== except) return call;
      }
      if (pass === 0) this.rescan(active, size);
    }
    return undefined;
  }

  private rescan(active: Iterable<T>, size: number): void {
    const all: { call: T; at: EpochMs }[] = [];
    for (const call of active) all.push({ call, at: call.lastDocumentAt });
    all.sort((a, b) => a.at - b.at);
    this.batch = all.slice(0, Math.max(16, size >>> 4));
    this.next = 0;
  }

  clear(): void {
    this.batch = [];
    this.next = 0;
  }
}

/** How often each bound was hit, and since when: the store keeps one and exposes it read-only. */
export interface BoundsHit {
  /** Active calls ended as "unknown end" over maxActiveCalls. */
  readonly droppedCalls: number;
  /** Timelines that dropped entries over callMegabytes. */
  readonly trimmedCalls: number;
  /** Ended calls evicted early over storeMegabytes. */
  readonly evictedForStore: number;
  /** Timelines trimmed over storeMegabytes. */
  readonly trimmedForStore: number;
  /** When a bound was first hit (store clock); undefined when none was. */
  readonly since: EpochMs | undefined;
  /** Goes up with every hit, so a reader can tell something changed. */
  readonly revision: number;
}

export class BoundsRecord implements BoundsHit {
  droppedCalls = 0;
  trimmedCalls = 0;
  evictedForStore = 0;
  trimmedForStore = 0;
  since: EpochMs | undefined;
  revision = 0;

  hit(kind: 'droppedCalls' | 'trimmedCalls' | 'evictedForStore' | 'trimmedForStore', at: EpochMs): void {
    this[kind]++;
    this.since ??= at;
    this.revision++;
  }

  clear(): void {
    this.droppedCalls = this.trimmedCalls = this.evictedForStore = this.trimmedForStore = 0;
    this.since = undefined;
    this.revision++;
  }
}

/** Joins counted phrases, leaving out the zero ones. */
function counted(parts: [number, string, string][]): string {
  return parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`).join(', ');
}

/**
 * One plain sentence on the bounds hit (for the log and the status tooltip), or undefined when none was. `clock`
 * formats the time of the first hit.
 */
export function describeBounds(b: BoundsHit, clock: (at: EpochMs) => string): string | undefined {
  if (b.since === undefined) return undefined;
  const phrases = [
    b.droppedCalls > 0 ? `${counted([[b.droppedCalls, 'active call', 'active calls']])} ended as unknown end (streamLiner.limits.maxActiveCalls)` : '',
    b.trimmedCalls > 0 ? `${counted([[b.trimmedCalls, 'call timeline', 'call timelines']])} trimmed (streamLiner.limits.callMegabytes)` : '',
    b.evictedForStore + b.trimmedForStore > 0
      ? `${counted([[b.evictedForStore, 'ended call evicted', 'ended calls evicted'], [b.trimmedForStore, 'timeline trimmed', 'timelines trimmed']])} (streamLiner.limits.storeMegabytes)`
      : '',
  ].filter((p) => p !== '');
  return `Memory limits hit since ${clock(b.since)}: ${phrases.join('; ')}.`;
}
