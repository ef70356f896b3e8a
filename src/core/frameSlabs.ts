// Frame bytes the store keeps, copied into shared slabs. A kept frame is a slab, an offset and a length, held as
// fields by whatever keeps it (a timeline entry), not a Buffer object of its own: so a retained call keeps no view
// object per frame, and a native allocation is made per slab, not per few frames.

/** Where a kept frame's bytes are. `slab` is undefined for an entry that keeps a document instead of bytes. */
export interface KeptFrame {
  readonly slab: Buffer | undefined;
  readonly off: number;
  readonly len: number;
}

/** A kept frame that is not a timeline entry's (a duplicate's other bytes, a document's own serialisation). */
export class FrameRef implements KeptFrame {
  constructor(readonly slab: Buffer, readonly off: number, readonly len: number) {}

  static whole(bytes: Buffer): FrameRef {
    return new FrameRef(bytes, 0, bytes.length);
  }
}

/**
 * 16 KB: the allocation costs about as much as Node's 8 KB pool for twice the frames. A slab is freed once no kept
 * frame in it is alive, so a long-lived frame pins at most this much (Node's pool pinned 8 KB the same way).
 */
export const SLAB_BYTES = 16 * 1024;

/** Appends frames to the current slab, starting a new one when a frame does not fit. */
export class FrameSlabs {
  /** The slab of the latest copy. */
  slab: Buffer = Buffer.alloc(0);
  /** The latest copy's offset in `slab`. */
  offset = 0;
  /** The slab being filled, and how much of it is. */
  private current: Buffer = this.slab;
  private used = 0;

  constructor(private readonly size = SLAB_BYTES) {}

  /** Copies `frame` into a slab; `slab` and `offset` then say where (no object is made per frame). */
  copy(frame: Buffer): void {
    const len = frame.length;
    // A frame larger than half a slab gets a buffer of its own, so a slab is never mostly left empty for it.
    if (len > this.size >>> 1) {
      this.slab = Buffer.allocUnsafeSlow(len);
      this.slab.set(frame, 0);
      this.offset = 0;
      return;
    }
    if (this.used + len > this.current.length) {
      this.current = Buffer.allocUnsafeSlow(this.size);
      this.used = 0;
    }
    this.current.set(frame, this.used);
    this.slab = this.current;
    this.offset = this.used;
    this.used += len;
  }

  /** A copy of `frame` as a FrameRef (for the rare frames that are kept but are not a timeline entry's). */
  keep(frame: Buffer): FrameRef {
    this.copy(frame);
    return new FrameRef(this.slab, this.offset, frame.length);
  }
}

/** Whether a kept frame holds exactly `frame`'s bytes (the length check first: most frames differ in length). */
export function sameBytes(kept: KeptFrame, frame: Buffer): boolean {
  return kept.slab !== undefined && kept.len === frame.length && frame.compare(kept.slab, kept.off, kept.off + kept.len) === 0;
}

/**
 * A kept frame's place in its slab as one small integer, for objects kept per frame (a timeline entry): -1 for the
 * whole slab, else offset * PLACE_SPAN + length. Offsets and lengths in a slab stay below PLACE_SPAN, as a slab is
 * SLAB_BYTES and a frame larger than half of one gets a buffer of its own.
 */
const PLACE_SPAN = 1 << 15;
export const WHOLE_SLAB = -1;

/** The packed place, or undefined when it does not pack (the caller then keeps a copy of its own). */
export function packPlace(slab: Buffer, off: number, len: number): number | undefined {
  if (off === 0 && len === slab.length) return WHOLE_SLAB;
  return off < PLACE_SPAN && len < PLACE_SPAN ? off * PLACE_SPAN + len : undefined;
}

export function placeOff(place: number): number {
  return place === WHOLE_SLAB ? 0 : Math.floor(place / PLACE_SPAN);
}

export function placeLen(slab: Buffer, place: number): number {
  return place === WHOLE_SLAB ? slab.length : place % PLACE_SPAN;
}
