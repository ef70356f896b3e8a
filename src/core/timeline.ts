// A capped per-call timeline: keeps the first entries and a ring of the latest, counting what was dropped in
// between, and the bytes of the frames it keeps. push() is O(1); the array view is rebuilt only when read after a change.
import { decodeFrame } from './decoder';
import { diffPaths, leafPaths } from './diff';
import { WHOLE_SLAB, packPlace, placeLen, placeOff, type KeptFrame } from './frameSlabs';
import type { SlabLedger } from './limits';
import type { TimelineEntry } from './model';
import type { EpochMs, FeedDocument, FeedName } from './types';

/** What a timeline entry is recorded from: the document's feed, arrival, key, and where its bytes are. */
export interface EntrySource {
  readonly feed: FeedName;
  /** When the document was received. */
  readonly at: EpochMs;
  readonly key: string;
  /** The document, kept only when `slab` is undefined. */
  readonly doc: FeedDocument | undefined;
  /** Where the frame's bytes are: `len` bytes at `off` in `slab` (undefined: the entry keeps `doc` instead). */
  readonly slab: Buffer | undefined;
  readonly off: number;
  readonly len: number;
}

/**
 * A timeline entry as the store records it. Two costs are deferred to the moment something reads the entry (a
 * timeline panel, an export), because most entries are never read:
 * - `changed` is diffed against the previous document for the same key on first read;
 * - `document` is decoded from the frame's bytes (outside the JS heap, in a slab: see frameSlabs.ts) on every read
 *   and not kept, so a retained call holds neither parsed documents nor frame texts on the heap, and the garbage
 *   collector never copies bytes outside it. Decoding is deterministic, so a decoded document equals the one
 *   ingested. An entry without bytes (a caller that gave a document only) keeps it.
 * Entries hold no reference to other entries, so a long call cannot chain its dropped history into memory: the
 * previous document's place in its slab is copied instead.
 */
export class RecordedEntry implements TimelineEntry, KeptFrame {
  // Declared, not initialised: only the few entries that have one get the field, so the others are smaller.
  declare late?: boolean;
  /** Kept only when there are no bytes. */
  private declare readonly doc: FeedDocument | undefined;
  /** Where in `slab` the frame is (see packPlace): one field, not two, as every retained call keeps its entries. */
  private readonly place: number;
  /**
   * Before `changed` is read: the key's previous document, as the slab of its bytes (at previousPlace) or the
   * document itself when it has no bytes. After: the changed paths (an array; a document never is one).
   */
  private previous: Buffer | FeedDocument | string[] | undefined;
  private previousPlace = WHOLE_SLAB;
  /** Where the decoder's frame bytes of the document are kept (undefined: the document is kept instead). */
  readonly slab: Buffer | undefined;

  /** `receivedAt` - AT_BASE when that is a small integer (no boxed number per entry), else undefined. */
  private readonly at: number | undefined;
  /** `receivedAt` itself, only for the rare time far from AT_BASE or not in whole milliseconds. */
  private declare readonly atExact: EpochMs;

  readonly feed: FeedName;
  readonly key: string;

  constructor(
    readonly seq: number,
    source: EntrySource,
    /** The entry of the key's previous document: where its bytes are is kept (or its document, when it has none). */
    previous?: RecordedEntry,
  ) {
    this.feed = source.feed;
    this.key = source.key;
    const { at: receivedAt, off, len } = source;
    let slab = source.slab;
    const dt = receivedAt - AT_BASE;
    if (Number.isInteger(dt) && dt > -AT_SPAN && dt < AT_SPAN) this.at = dt;
    else this.atExact = receivedAt;
    let place = WHOLE_SLAB;
    if (slab !== undefined) {
      const packed = packPlace(slab, off, len);
      if (packed === undefined) slab = Buffer.from(slab.subarray(off, off + len)); // a place that does not pack
      else place = packed;
    } else {
      this.doc = source.doc;
    }
    this.slab = slab;
    this.place = place;
    if (previous?.slab !== undefined) {
      this.previous = previous.slab;
      this.previousPlace = previous.place;
    } else {
      this.previous = previous?.document;
    }
  }

  get receivedAt(): EpochMs {
    return this.at === undefined ? this.atExact : AT_BASE + this.at;
  }

  get off(): number {
    return placeOff(this.place);
  }

  get len(): number {
    return this.slab === undefined ? 0 : placeLen(this.slab, this.place);
  }

  get document(): FeedDocument {
    // Not kept once decoded: a view that reads an ended call does not bring its documents back into memory (views
    // keep what they derive per revision of the call).
    return this.doc ?? redecode(bytesAt(this.slab as Buffer, this.place), this.feed);
  }

  get changed(): string[] {
    const p = this.previous;
    if (Array.isArray(p)) return p;
    const previous = Buffer.isBuffer(p) ? redecode(bytesAt(p, this.previousPlace), this.feed) : p;
    const paths = previous ? diffPaths(previous, this.document) : leafPaths(this.document);
    this.previous = paths;
    return paths;
  }

  set changed(paths: string[]) {
    this.previous = paths;
  }
}

/**
 * Receive times are kept as whole milliseconds from this moment (the module's load, in whole ms) while they are
 * within about 12 days of it: a small integer in an object field needs no box, a time as such a number does.
 */
const AT_BASE = Math.floor(Date.now());
const AT_SPAN = 2 ** 30;

function bytesAt(slab: Buffer, place: number): Buffer {
  if (place === WHOLE_SLAB) return slab;
  const off = placeOff(place);
  return slab.subarray(off, off + placeLen(slab, place));
}

/** The document a frame decoded to when it was ingested (it decoded then, and decoding is deterministic). */
function redecode(frame: Buffer, feed: FeedName): FeedDocument {
  const result = decodeFrame(frame, feed);
  if (result.ok) return result.value.doc;
  // Unreachable for bytes the decoder accepted; an empty-looking document beats a throw inside a view.
  return { id_call: '', active: 0, time: { start: 0 } } as FeedDocument;
}

/** Bytes a timeline entry's frame keeps (0 for an entry without bytes). */
function bytesOf(entry: TimelineEntry): number {
  return (entry as Partial<KeptFrame>).slab === undefined ? 0 : (entry as RecordedEntry).len;
}

export class TimelineBuffer {
  private head: TimelineEntry[] = [];
  private readonly tail: TimelineEntry[] = [];
  /** Index of the oldest entry in `tail` once the ring is full. */
  private tailStart = 0;
  private view: TimelineEntry[] | undefined;
  /** The first entries are complete: once the ring has begun, or entries were dropped, a push never goes there. */
  private sealed = false;
  dropped = 0;
  /** Frame bytes of the entries kept (each entry's own bytes, not its slab's). */
  bytes = 0;

  constructor(private cap: number, private readonly ledger?: SlabLedger) {
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

  private kept(entry: TimelineEntry): void {
    this.bytes += bytesOf(entry);
    this.ledger?.hold(entry as TimelineEntry & KeptFrame);
  }

  private gone(entry: TimelineEntry): void {
    this.bytes -= bytesOf(entry);
    this.ledger?.release(entry as TimelineEntry & KeptFrame);
  }

  push(entry: TimelineEntry): void {
    this.view = undefined;
    if (!this.sealed && this.head.length < this.headCap) {
      this.head.push(entry);
      this.kept(entry);
      return;
    }
    this.sealed = true;
    const tailCap = this.tailCap;
    if (tailCap === 0) {
      this.dropped++;
      return;
    }
    this.kept(entry);
    if (this.tail.length < tailCap) {
      this.tail.push(entry);
      return;
    }
    this.gone(this.tail[this.tailStart]);
    this.tail[this.tailStart] = entry;
    this.tailStart = (this.tailStart + 1) % tailCap;
    this.dropped++;
  }

  /** Drops every entry (an evicted call's), keeping the count of dropped ones. */
  clear(): void {
    for (const e of this.head) this.gone(e);
    for (const e of this.tail) this.gone(e);
    this.dropped += this.length;
    this.head = [];
    this.tail.length = 0;
    this.tailStart = 0;
    this.view = undefined;
  }

  /**
   * Drops the oldest middle entries until the kept frames take at most `maxBytes` (the entries between the very
   * first and the latest, oldest first), counted in `dropped` as the cap's are. Returns how many were dropped.
   */
  trimToBytes(maxBytes: number): number {
    if (this.bytes <= maxBytes) return 0;
    const tail = this.latestInOrder();
    let h = 1;
    const headEnd = tail.length > 0 ? this.head.length : this.head.length - 1;
    while (this.bytes > maxBytes && h < headEnd) this.gone(this.head[h++]);
    if (h > 1) this.head.splice(1, h - 1);
    let n = 0;
    while (this.bytes > maxBytes && n < tail.length - 1) this.gone(tail[n++]);
    this.tail.length = 0;
    for (let i = n; i < tail.length; i++) this.tail.push(tail[i]);
    this.tailStart = 0;
    const dropped = n + h - 1;
    if (dropped > 0) {
      this.sealed = true;
      this.dropped += dropped;
      this.view = undefined;
    }
    return dropped;
  }

  /** Drops the spare slots of the first entries' list (grown by push), for a call that is not expected to grow. */
  trim(): void {
    if (this.head.length < this.headCap) this.head = this.head.slice();
  }

  private latestInOrder(): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    for (let i = 0; i < this.tail.length; i++) out.push(this.tail[(this.tailStart + i) % this.tail.length]);
    return out;
  }

  /** Entries in arrival order: the first ones, then the latest ones. Cached until the next push. */
  toArray(): TimelineEntry[] {
    if (this.view) return this.view;
    const out = this.head.concat(this.latestInOrder());
    this.view = out;
    return out;
  }

  /** Applies a new cap, keeping the first and the latest entries within it. */
  setCap(cap: number): void {
    const entries = this.toArray();
    const dropped = this.dropped;
    for (const e of entries) this.gone(e);
    this.cap = Math.max(0, Math.floor(cap));
    this.head.length = 0;
    this.tail.length = 0;
    this.tailStart = 0;
    this.sealed = false;
    this.dropped = dropped;
    for (const e of entries) this.push(e);
  }
}
