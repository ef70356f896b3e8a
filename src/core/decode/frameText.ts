// A raw frame as bytes and text: its size before anything is decoded, its UTF-8 text, and a copy of its own.

export type RawFrame = string | Buffer | ArrayBuffer | Buffer[];
/** A frame in one piece (a fragmented message is joined first). */
export type WholeFrame = Exclude<RawFrame, Buffer[]>;

/**
 * The frame's bytes as a Buffer of their own. A ws message is a view into the socket's read chunk, which
 * keeping would pin; the copy (from Node's pool for small frames) lives outside the JS heap.
 */
export function ownBytes(raw: WholeFrame, text: string): Buffer {
  if (typeof raw === 'string') return Buffer.from(text, 'utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(new Uint8Array(raw));
  return Buffer.from(raw);
}

/** Byte length without decoding; undefined for an unsupported frame type. */
export function byteLength(raw: RawFrame, maxBytes: number): number | undefined {
  if (typeof raw === 'string') {
    // UTF-8 needs at least 1 and at most 3 bytes per UTF-16 unit: skip the exact count when the answer is clear.
    if (raw.length > maxBytes) return raw.length;
    if (raw.length * 3 <= maxBytes) return raw.length;
    return Buffer.byteLength(raw, 'utf8');
  }
  if (Array.isArray(raw)) {
    let n = 0;
    for (const part of raw) {
      if (!(part instanceof Uint8Array)) return undefined;
      n += part.byteLength;
    }
    return n;
  }
  if (raw instanceof ArrayBuffer || raw instanceof Uint8Array) return raw.byteLength;
  return undefined;
}

export function toText(raw: WholeFrame): string {
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  // Another Uint8Array view (a Buffer is handled above).
  const view = raw as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');
}
