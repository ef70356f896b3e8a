// A capped per-call timeline: keeps the first entries and a ring of the latest, counting what was dropped in
// between. push() is O(1); the array view is rebuilt only when read after a change.
import { diffPaths, leafPaths } from './diff';
import type { TimelineEntry } from './model';
import type { EpochMs, FeedDocument, FeedName } from './types';

/**
 * A timeline entry as the store records it. `changed` is worked out from the previous document for the same
 * key only when something reads it (a timeline panel, an export): most entries are never read, and the diff
 * was the largest part of ingesting a document. Documents are never mutated after decoding, so the result is
 * the same as diffing on arrival.
 */
export class RecordedEntry implements TimelineEntry {
  late?: boolean;
  private changedPaths: string[] | undefined;

  constructor(
    readonly seq: number,
    readonly feed: FeedName,
    readonly receivedAt: EpochMs,
    readonly key: string,
    readonly document: FeedDocument,
    /** The latest document for `key` before this one; dropped once `changed` is computed. */
    private previous: FeedDocument | undefined,
  ) {}

  get changed(): string[] {
    if (this.changedPaths === undefined) {
      this.changedPaths = this.previous ? diffPaths(this.previous, this.document) : leafPaths(this.document);
      this.previous = undefined;
    }
    return this.changedPaths;
  }

  set changed(paths: string[]) {
    this.changedPaths = paths;
    this.previous = undefined;
  }
}

export class TimelineBuffer {
  private readonly head: TimelineEntry[] = [];
  private readonly tail: TimelineEntry[] = [];
  /** Index of the oldest entry in `tail` once the ring is full. */
  private tailStart = 0;
  private view: TimelineEntry[] | undefined;
  dropped = 0;

  constructor(private cap: number) {
    this.cap = Math.max(0, Math.floor(cap));
  }

  /** A fifth of the cap (at least one entry) keeps how the call began; the rest holds the latest entries. */
  private get headCap(): number {
    return this.cap === 0 ? 0 : Math.max(1, Math.floor(this.cap / 5));
  }

  private get tailCap(): number {
    return this.cap - this.headCap;
  }

  get length(): number {
    return this.head.length + this.tail.length;
  }

  push(entry: TimelineEntry): void {
    this.view = undefined;
    if (this.head.length < this.headCap) {
      this.head.push(entry);
      return;
    }
    const tailCap = this.tailCap;
    if (tailCap === 0) {
      this.dropped++;
      return;
    }
    if (this.tail.length < tailCap) {
      this.tail.push(entry);
      return;
    }
    this.tail[this.tailStart] = entry;
    this.tailStart = (this.tailStart + 1) % tailCap;
    this.dropped++;
  }

  /** Entries in arrival order: the first ones, then the latest ones. Cached until the next push. */
  toArray(): TimelineEntry[] {
    if (this.view) return this.view;
    const out = this.head.slice();
    for (let i = 0; i < this.tail.length; i++) out.push(this.tail[(this.tailStart + i) % this.tail.length]);
    this.view = out;
    return out;
  }

  /** Applies a new cap, keeping the first and the latest entries within it. */
  setCap(cap: number): void {
    const entries = this.toArray();
    const dropped = this.dropped;
    this.cap = Math.max(0, Math.floor(cap));
    this.head.length = 0;
    this.tail.length = 0;
    this.tailStart = 0;
    this.dropped = dropped;
    for (const e of entries) this.push(e);
  }
}
