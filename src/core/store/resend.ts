// Re-send memory: the frames remembered per key and per call, and the id_call read from a frame's bytes, which
// let a re-sent frame be recognised by its bytes alone.
import { sameBytes, type KeptFrame } from '../frameSlabs';

/** Frame texts remembered per document key (re-sent older documents are duplicates too). */
export const SEEN_PER_KEY = 8;
/** Late-document texts remembered per call. */
export const LATE_SEEN_MAX = 16;
/** Frame bytes a key's older remembered frames may take besides its latest (duplicates are rarely older than that). */
const SEEN_BYTES = 64 * 1024;

const ID_CALL = Buffer.from('"id_call"');
const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The id_call of a frame as the decoder would make it, read from the first `"id_call"` in the bytes without
 * parsing: a string without escapes, or a plain integer (which the decoder turns into the same digits). Undefined
 * when it is not that simple; ingestKnownFrame then leaves the frame to the decoder.
 */
export function idCallHint(frame: Buffer): string | undefined {
  const n = frame.length;
  // Where the feeds put it, first in the object, before a search (Buffer.indexOf is a call into C++).
  let i = startsWithAt(frame, 1, ID_CALL) && frame[0] === 0x7b /* { */ ? 1 : frame.indexOf(ID_CALL);
  if (i < 0) return undefined;
  i += ID_CALL.length;
  while (i < n && isJsonSpace(frame[i])) i++;
  if (frame[i] !== 0x3a /* : */) return undefined;
  i++;
  while (i < n && isJsonSpace(frame[i])) i++;
  if (frame[i] === 0x22 /* " */) {
    const start = i + 1;
    for (let e = start; e < n; e++) {
      const b = frame[e];
      if (b === 0x22) return frame.toString('utf8', start, e);
      if (b === 0x5c /* \ */) return undefined;
    }
    return undefined;
  }
  // Digits only, no leading zero, short enough to be an exact double: String(number) gives the same text.
  let e = i;
  while (e < n && frame[e] >= 0x30 && frame[e] <= 0x39) e++;
  if (e === i || e - i > 15 || (frame[i] === 0x30 && e - i > 1)) return undefined;
  if (frame[e] === 0x2e /* . */ || frame[e] === 0x65 /* e */ || frame[e] === 0x45 /* E */) return undefined;
  return frame.toString('latin1', i, e);
}

function startsWithAt(frame: Buffer, at: number, bytes: Buffer): boolean {
  if (frame.length < at + bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (frame[at + k] !== bytes[k]) return false;
  return true;
}

/** Whether `list` holds a frame with exactly these bytes. */
export function hasFrame(list: readonly KeptFrame[], frame: Buffer): boolean {
  for (let i = 0; i < list.length; i++) if (sameBytes(list[i], frame)) return true;
  return false;
}

/**
 * `list` with a frame added that the caller has already found missing from it (ingest checks first), without the
 * oldest past `max`. A new array of exactly the length, as every key of every retained call keeps one: a pushed-to
 * array grows spare slots, which it would keep.
 */
export function remembered(list: readonly KeptFrame[], kept: KeptFrame, max: number): KeptFrame[] {
  let from = list.length >= max ? list.length - max + 1 : 0;
  // Older frames stay only while they are small: a large frame would be kept alive by the list alone.
  let bytes = 0;
  for (let i = list.length - 1; i >= from; i--) {
    bytes += list[i].len;
    if (bytes > SEEN_BYTES) {
      from = i + 1;
      break;
    }
  }
  const out = new Array<KeptFrame>(list.length - from + 1);
  for (let i = from; i < list.length; i++) out[i - from] = list[i];
  out[out.length - 1] = kept;
  return out;
}
