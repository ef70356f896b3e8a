// What is kept of calls that ended: the queue they leave memory in, and the ids of those already evicted.
import type { CallEntry } from './callEntry';

/** Ids of evicted calls remembered so a late document cannot bring them back. */
export const EVICTED_MAX = 20_000;

/**
 * Ended calls in the order they ended: they leave memory in that order too (by age or count), so a queue is enough.
 * An array with a moving head, not a Map: a Map's deleted entries fill its table until it re-allocates it, again
 * and again while calls come and go.
 */
export class EndedQueue {
  private items: (CallEntry | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(entry: CallEntry): void {
    this.items.push(entry);
  }

  oldest(): CallEntry | undefined {
    return this.items[this.head];
  }

  shift(): CallEntry | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head++] = undefined;
    // Drop the consumed front once it is most of the array (amortised O(1)).
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  newestFirst(): CallEntry[] {
    const out: CallEntry[] = [];
    for (let i = this.items.length - 1; i >= this.head; i--) out.push(this.items[i] as CallEntry);
    return out;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * The last `max` ids added. A ring keeps their order, so forgetting the oldest never iterates the Set (an ordered
 * table whose deleted slots stay at its front until it rehashes, so finding its oldest walks all of them).
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly ring: string[] = [];
  private next = 0;

  constructor(private readonly max: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    if (this.ring.length < this.max) {
      this.ring.push(id);
    } else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.max;
    }
    this.ids.add(id);
  }

  clear(): void {
    this.ids.clear();
    this.ring.length = 0;
    this.next = 0;
  }
}
