// Re-send memory: the frames remembered per key and per call, which let a re-sent frame be recognised by its bytes
// before its facts or document are compared.
import { sameBytes, type KeptFrame } from '../frameSlabs';

/** Frame texts remembered per document key (re-sent older documents are duplicates too). */
export const SEEN_PER_KEY = 8;
/** Late-document texts remembered per call. */
export const LATE_SEEN_MAX = 16;
/** Frame bytes a key's older remembered frames may take besides its latest (duplicates are rarely older than that). */
const SEEN_BYTES = 64 * 1024;

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
