// Tolerant decoder: one raw frame -> a normalised, typed document, or a rejection with a reason. Never throws.
//
// What it does, and the documented choices for data it does not like:
// - The byte length is checked BEFORE anything is decoded or parsed (frame_too_large).
// - Rejections (distinct reasons): invalid_json, not_an_object (arrays, null, numbers, strings), missing_id_call
//   (absent, empty/blank, or not a string/number), invalid_time_start (time missing or not an object, start not a
//   finite number; a plain decimal numeric string such as "1699758055451" IS accepted and turned into a number),
//   invalid_active (absent, or not 0/1/true/false), frame_too_large, too_deeply_nested (> MAX_DEPTH levels: later
//   code walks documents recursively).
// - Ids (id_call, customer_telavox.id, agent/queue/ivr ids, *_first/*_last ids) become strings; numbers are
//   accepted and stringified. An optional id of another type is dropped.
// - Top-level flags active/answered/voicemail/recorded/internal/transfer and transfer_first/last.answered:
//   0/1/true/false -> 0|1. An optional flag with any other value is dropped (never guessed).
// - Timestamps (time.end, time.answered, queue timestart, ivr timestamp, `answered` inside agent objects) and
//   counts/durations: finite numbers, or numeric strings converted to numbers; anything else is dropped.
// - Text fields the store and views read (names, phone numbers, reasons, direction): strings kept as sent
//   (hostile text such as "<img onerror>" or U+202E is NOT altered here: views must escape; reasons never seen
//   are kept as given), numbers stringified, anything else dropped. List fields keep string/number items only.
// - A known object field that is not a plain object (null, array, string) is dropped; an absent one is fine.
// - Unknown extra fields are kept as sent, at any level, so the timeline can show them.
// - `__proto__`, `constructor` and `prototype` keys are deleted at every level: JSON.parse makes them harmless
//   own properties, but a later merge or assignment copy could turn them into prototype pollution.
// - Every dropped path is listed in `dropped` on the result so the caller can log it.
import { byteLength, ownBytes, toText, type RawFrame, type WholeFrame } from './decode/frameText';
import { FEED_SCHEMAS, MAX_DEPTH } from './decode/schema';
import { normaliseFlag, normaliseId, toFiniteNumber } from './decode/values';
import { isRecord } from './readers';
import { WALK } from './decode/walk';
import {
  MAX_FRAME_BYTES,
  type DecodeResult, type DecodedDocument, type FeedDocument, type FeedName, type RejectReason,
} from './types';

export { MAX_DEPTH, schemaPaths, type SchemaRuleKind } from './decode/schema';

/** Longest `detail` text: a rejection never echoes a whole frame. */
export const DETAIL_MAX = 120;

function truncate(text: string, max = DETAIL_MAX): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A short, safe description of a bad value for `detail`. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value, 24))}`;
  return `${typeof value} ${truncate(String(value), 24)}`;
}

function reject(reason: RejectReason, detail: string): DecodeResult {
  return { ok: false, reason, detail: truncate(detail) };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Decodes one raw frame from `feed`. Never throws: every problem becomes `{ ok: false, reason, detail }` with a
 * short detail. On success `value.frame` holds the frame's exact bytes: equal bytes, equal document (the
 * store's duplicate check; no hash, so no collisions).
 */
export function decodeFrame(raw: RawFrame, feed: FeedName, maxBytes: number = MAX_FRAME_BYTES): DecodeResult {
  try {
    const size = byteLength(raw, maxBytes);
    if (size === undefined) return reject('invalid_json', `unsupported frame type: ${describe(raw)}`);
    if (size > maxBytes) return reject('frame_too_large', `frame of ${size} bytes exceeds the ${maxBytes}-byte bound`);
    // Joined once: the joined Buffer is already the frame's own copy.
    const joined = Array.isArray(raw) ? Buffer.concat(raw) : undefined;
    const whole = toText(joined ?? (raw as WholeFrame));
    const text = whole.charCodeAt(0) === 0xfeff ? whole.slice(1) : whole;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return reject('invalid_json', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isRecord(parsed)) return reject('not_an_object', `expected a JSON object, got ${describe(parsed)}`);
    const doc = parsed;

    const id = normaliseId(doc.id_call);
    if (id === undefined) return reject('missing_id_call', `id_call is ${describe(doc.id_call)}`);
    if (id.trim() === '') return reject('missing_id_call', 'id_call is empty');
    doc.id_call = id;

    const time = doc.time;
    if (!isRecord(time)) return reject('invalid_time_start', `time is ${describe(time)}`);
    const start = toFiniteNumber(time.start);
    if (start === undefined) return reject('invalid_time_start', `time.start is ${describe(time.start)}`);

    const active = normaliseFlag(doc.active);
    if (active === undefined) return reject('invalid_active', `active is ${describe(doc.active)}`);
    doc.active = active;

    const walk = WALK;
    walk.reset();
    walk.object(doc, FEED_SCHEMAS[feed], 0);
    if (walk.tooDeep) return reject('too_deeply_nested', `nested deeper than ${MAX_DEPTH} levels`);

    const value = { feed, doc: doc as FeedDocument, frame: joined ?? ownBytes(raw as WholeFrame, whole) } as DecodedDocument;
    return walk.dropped ? { ok: true, value, dropped: walk.dropped.slice(0, 50) } : { ok: true, value };
  } catch (error) {
    // Defensive: nothing above should throw, but a decoder must never take the stream down.
    return reject('invalid_json', `decoder error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
