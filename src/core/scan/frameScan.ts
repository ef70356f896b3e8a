// The frame scanner: one raw frame (a Buffer of UTF-8 JSON) of a feed -> its DocFacts (facts.ts), without building
// the JS document, or undefined meaning "use decodeFrame". The scan itself is WebAssembly (frameScan.as.ts, embedded
// by frameScanWasm.ts, set up by scanner.ts); this half copies each frame into its memory and turns the slots it
// fills into a facts object.
//
// The contract, for every frame f and feed: scanFacts(f, feed) is undefined, or it is deepStrictEqual to
// factsOf(feed, r.value.doc) where r = decodeFrame(f, feed), and then r.ok is true and r.dropped is undefined. So it
// gives facts only for frames the decoder accepts without dropping anything, and leaves to the decoder every frame
// it would reject or drop from, and what this scanner does not decode itself (see frameScan.as.ts; here: a BOM, a
// blank id_call, a frame above MAX_FRAME_BYTES). Never throws.
import { NO_ITEMS, type AgentInfoFacts, type AgentRefFacts, type DocFacts, type IvrFacts, type QueueFacts, type TimeFacts } from '../facts';
import { FEED_NAMES, MAX_FRAME_BYTES, type FeedName } from '../types';
import {
  E_DEEP, E_DUPLICATE, E_ESCAPED_KEY, E_ESCAPED_NUMBER, E_HOSTILE, E_ITEMS, E_JSON, E_MISSING, E_NOT_OBJECT, E_NUMBER, E_OK,
  E_TYPE, INTERN_MAX, ITEM_BYTES, K_LIST, K_NONE, K_NUM, K_NUM_TEXT, K_OBJ, K_STR, K_STR_ESC, K_STR_RAW,
} from './layout';
import {
  ACTIVE, AGENT, AGENT_FIRST, AGENT_LAST, AGENT_LIST, AGENT_LIST_ANSWER, AGENT_LIST_NO_ANSWER, ANSWERED, CALL_DIRECTION,
  CUSTOMER_NUMBER, DURATION_TOTAL, ID_CALL, INTERNAL, IVR_FIRST, IVR_LAST, IVR_LIST, load, QUEUE, QUEUE_FIRST, QUEUE_LAST,
  QUEUE_LIST, TERMINATED, TIME_ANSWERED, TIME_END, TIME_START, VOICEMAIL, type Scanner,
} from './scanner';

/** Why scanFacts returned undefined (the first problem it met; the decoder then has the final word). */
export type ScanFallback =
  | 'invalid_json' | 'not_an_object' | 'too_deeply_nested' | 'hostile_key' | 'escaped_key' | 'duplicate_key'
  | 'wrong_type' | 'number' | 'escaped_number' | 'missing_required' | 'too_many_items'
  | 'frame_too_large' | 'bom' | 'blank_id' | 'unavailable';

/** What each scan() result code (layout.ts E_*) means. */
export const SCAN_CODES: Readonly<Record<number, ScanFallback | 'ok'>> = {
  [E_OK]: 'ok', [E_JSON]: 'invalid_json', [E_NOT_OBJECT]: 'not_an_object', [E_DEEP]: 'too_deeply_nested',
  [E_HOSTILE]: 'hostile_key', [E_ESCAPED_KEY]: 'escaped_key', [E_DUPLICATE]: 'duplicate_key', [E_TYPE]: 'wrong_type',
  [E_NUMBER]: 'number', [E_ESCAPED_NUMBER]: 'escaped_number', [E_MISSING]: 'missing_required', [E_ITEMS]: 'too_many_items',
};

export interface FrameScanStats {
  /** Frames given to scanFacts. */
  frames: number;
  /** Frames it returned facts for. */
  facts: number;
  /** Frames it left to the decoder, by cause. */
  fallbacks: Partial<Record<ScanFallback, number>>;
}

// ----- Per-frame state (one scan at a time: nothing here calls out). The scanner's views and offsets are copied
// into module variables when it loads, so the readers below index typed arrays directly.

/** Interned strings by id (up to the module's INTERN_MAX); cleared when its table is (its generation changes). */
let strings: Array<string | undefined> = new Array<string | undefined>(INTERN_MAX);
let generation = 0;
const EMPTY = Buffer.alloc(0);
let frame: Buffer = EMPTY;
let B: Uint8Array = new Uint8Array(0);
let I: Int32Array = new Int32Array(0);
let F: Float64Array = new Float64Array(0);
let KIND = 0, NUM8 = 0, A4 = 0, S4 = 0, E4 = 0, ITEMS = 0, INPUT = 0, GEN4 = 0;
let views: Scanner | undefined;
/** Set when a value turns out not to be what the decoder would keep (a number JS parses to Infinity). */
let bad = false;

function useViews(s: Scanner): void {
  views = s;
  B = s.bytes;
  I = s.ints;
  F = s.nums;
  KIND = s.kind; NUM8 = s.num8; A4 = s.a4; S4 = s.s4; E4 = s.e4; ITEMS = s.items; INPUT = s.input; GEN4 = s.gen4;
}

const stats = { frames: 0, facts: 0, fallbacks: {} as Partial<Record<ScanFallback, number>> };

function fallback(cause: ScanFallback): undefined {
  stats.fallbacks[cause] = (stats.fallbacks[cause] ?? 0) + 1;
  return undefined;
}

/** The text of a number token or numeric string at byte offsets [s, e) of the wasm memory. */
function numberText(s: number, e: number): number {
  const n = Number(frame.toString('latin1', s - INPUT, e - INPUT));
  if (!Number.isFinite(n)) bad = true;
  return n;
}

/** A string value (kind K_STR*) at wasm offsets; `id` is its intern id for K_STR. */
function stringValue(kind: number, id: number, s: number, e: number): string {
  if (kind === K_STR) {
    let v = strings[id];
    if (v === undefined) strings[id] = v = frame.toString('utf8', s - INPUT, e - INPUT);
    return v;
  }
  if (kind === K_STR_RAW) return frame.toString('utf8', s - INPUT, e - INPUT);
  return JSON.parse(frame.toString('utf8', s - INPUT, e - INPUT)) as string;
}

/** A text fact: strings as sent, numbers stringified (the decoder's normaliseId). */
function text(slot: number): string | undefined {
  const k = B[KIND + slot];
  if (k === K_NONE) return undefined;
  if (k <= K_STR_ESC) return stringValue(k, I[A4 + slot], I[S4 + slot], I[E4 + slot]);
  if (k === K_NUM) return String(F[NUM8 + slot]);
  if (k === K_NUM_TEXT) return String(numberText(I[S4 + slot], I[E4 + slot]));
  bad = true;
  return undefined;
}

/** A number fact (ts/num: numbers, and numeric strings, which the scanner already turned into numbers). */
function num(slot: number): number | undefined {
  const k = B[KIND + slot];
  if (k === K_NONE) return undefined;
  if (k === K_NUM) return small(F[NUM8 + slot]);
  if (k === K_NUM_TEXT) return numberText(I[S4 + slot], I[E4 + slot]);
  bad = true;
  return undefined;
}

/**
 * A number read from the scanner's Float64Array is a double, which a facts field keeps as a boxed number even when
 * it is a whole one (a duration, a flag): as an int32 it is kept unboxed. -0 stays a double (it is not an int32).
 */
function small(v: number): number {
  return (v | 0) === v && (v !== 0 || 1 / v > 0) ? v | 0 : v;
}

/**
 * A flag fact: the scanner stores 1 or 0 (true/false), or the number as sent (0, -0, 1), which is what the decoder
 * keeps: normaliseFlag(-0) is 0, and 0 === -0, so the walk leaves the -0 in place (factsOf then reads -0).
 */
function flag(slot: number): 0 | 1 | undefined {
  const k = B[KIND + slot];
  if (k === K_NONE) return undefined;
  if (k === K_NUM) return small(F[NUM8 + slot]) as 0 | 1;
  bad = true;
  return undefined;
}

/** A list fact (the decoder's textList: strings kept, finite numbers stringified, other items left out). */
function list(slot: number): readonly string[] | undefined {
  const k = B[KIND + slot];
  if (k === K_NONE) return undefined;
  if (k !== K_LIST) {
    bad = true;
    return undefined;
  }
  const count = I[S4 + slot];
  if (count === 0) return NO_ITEMS;
  const out = new Array<string>(count);
  // An item (ITEM_BYTES): kind, intern id, start, end (as i32s) and a number (f64) at +16.
  let at = ITEMS + I[A4 + slot] * ITEM_BYTES;
  for (let i = 0; i < count; i++, at += ITEM_BYTES) {
    const ik = B[at];
    const w = at >> 2;
    if (ik === K_NUM) out[i] = String(F[(at + 16) >> 3]);
    else if (ik === K_NUM_TEXT) out[i] = String(numberText(I[w + 2], I[w + 3]));
    else out[i] = stringValue(ik, I[w + 1], I[w + 2], I[w + 3]);
  }
  return out;
}

const has = (slot: number): boolean => B[KIND + slot] === K_OBJ;

/**
 * The queue and agent objects of recent frames, by a hash of their fields: a call's documents repeat the same queue
 * (its visit's, in every queues and agents document) and the same agents, and one shared, never-changed object per
 * value means fewer short-lived objects and less for the store to keep. Facts objects are read-only to everyone.
 */
const SHARED_SLOTS = 256;
const sharedQueues = new Array<QueueFacts | undefined>(SHARED_SLOTS);
const sharedAgentRefs = new Array<AgentRefFacts | undefined>(SHARED_SLOTS);
const sharedAgentInfos = new Array<AgentInfoFacts | undefined>(SHARED_SLOTS);

/** A slot for a text and a number (the low bits of both: ids differ in their last characters, times in their last ms). */
function slotOf(t: string | undefined, n: number | undefined): number {
  const a = t === undefined || t.length === 0 ? 0 : t.charCodeAt(t.length - 1) * 31 + t.length;
  return ((n === undefined ? 0 : n | 0) + a) & (SHARED_SLOTS - 1);
}

/** Same number, as Object.is says (so -0 and 0 stay apart, as a strict deep equality keeps them). */
const sameNumber = (a: number | undefined, b: number | undefined): boolean => a === b && (a !== 0 || Object.is(a, b));

function queueFacts(b: number): QueueFacts | undefined {
  if (!has(b)) return undefined;
  const id = text(b + 1);
  const name = text(b + 2);
  const timestart = num(b + 3);
  const fail_reason = text(b + 4);
  const at = slotOf(id, timestart);
  const c = sharedQueues[at];
  if (c !== undefined && c.id === id && c.name === name && sameNumber(c.timestart, timestart) && c.fail_reason === fail_reason) return c;
  return (sharedQueues[at] = Object.freeze({ id, name, timestart, fail_reason }) as QueueFacts);
}
function agentRefFacts(b: number): AgentRefFacts | undefined {
  if (!has(b)) return undefined;
  const id = text(b + 1);
  const name = text(b + 2);
  const surname = text(b + 3);
  const answered = num(b + 4);
  const at = slotOf(id ?? name, answered);
  const c = sharedAgentRefs[at];
  if (c !== undefined && c.id === id && c.name === name && c.surname === surname && sameNumber(c.answered, answered)) return c;
  return (sharedAgentRefs[at] = Object.freeze({ id, name, surname, answered }) as AgentRefFacts);
}
function agentInfoFacts(b: number): AgentInfoFacts | undefined {
  if (!has(b)) return undefined;
  const id = text(b + 1);
  const name = text(b + 2);
  const at = slotOf(id ?? name, undefined);
  const c = sharedAgentInfos[at];
  if (c !== undefined && c.id === id && c.name === name) return c;
  return (sharedAgentInfos[at] = Object.freeze({ id, name }) as AgentInfoFacts);
}
/**
 * A time object as recent frames had it: every document of a key repeats its start (and, once they are known, its
 * end and answer times), so most frames' time equals one seen just before, and each time is three boxed numbers.
 */
const sharedTimes = new Array<TimeFacts | undefined>(SHARED_SLOTS);
function timeFacts(): TimeFacts {
  const start = num(TIME_START) as number;
  const end = num(TIME_END);
  const answered = num(TIME_ANSWERED);
  const at = ((start | 0) + (end === undefined ? 0 : end | 0)) & (SHARED_SLOTS - 1);
  const c = sharedTimes[at];
  if (c !== undefined && sameNumber(c.start, start) && sameNumber(c.end, end) && sameNumber(c.answered, answered)) return c;
  return (sharedTimes[at] = Object.freeze({ start, end, answered }) as TimeFacts);
}

/**
 * A list with the items of a recent one: a call's documents repeat its agent, queue and menu lists (they change only
 * when an agent is offered the call), and interned items make the comparison a few identity checks.
 */
const sharedLists = new Array<readonly string[] | undefined>(SHARED_SLOTS);
function sharedList(slot: number): readonly string[] | undefined {
  if (B[KIND + slot] !== K_LIST || I[S4 + slot] === 0) return list(slot);
  const count = I[S4 + slot];
  const base = ITEMS + I[A4 + slot] * ITEM_BYTES;
  // Interned items compare without a string made: their ids are in the items (see list below).
  const at = (count * 31 + I[(base >> 2) + 1] * 7 + I[(base >> 2) + 3] - I[(base >> 2) + 2]) & (SHARED_SLOTS - 1);
  const c = sharedLists[at];
  if (c !== undefined && c.length === count) {
    let i = 0;
    for (let w = base >> 2; i < count; i++, w += ITEM_BYTES >> 2) {
      if (B[w << 2] !== K_STR || strings[I[w + 1]] !== c[i]) break;
    }
    if (i === count) return c;
  }
  const items = list(slot);
  return items === undefined ? items : (sharedLists[at] = Object.freeze(items));
}

function ivrFacts(b: number): IvrFacts | undefined {
  return has(b) ? { name: text(b + 1), timestamp: num(b + 2) } : undefined;
}

/**
 * The facts of `raw`, a frame of `feed`, exactly as factsOf(feed, decodeFrame(raw, feed).value.doc) gives them, or
 * undefined: then use decodeFrame (which may still accept the frame). Facts are given only for frames the decoder
 * accepts with nothing dropped. Strings (id_call too) may be shared between facts of different frames.
 */
export function scanFacts(raw: Buffer, feed: FeedName): DocFacts | undefined {
  stats.frames++;
  const s = load();
  const root = s?.roots[feed];
  if (!s || !root) return fallback('unavailable');
  if (raw.length > MAX_FRAME_BYTES) return fallback('frame_too_large');
  if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return fallback('bom');
  if (views !== s) useViews(s);
  B.set(raw, INPUT);
  const code = s.exports.scan(raw.length, root);
  if (code !== 0) return fallback((SCAN_CODES[code] as ScanFallback | undefined) ?? 'invalid_json');
  const gen = I[GEN4];
  if (gen !== generation) {
    generation = gen;
    strings = new Array<string | undefined>(INTERN_MAX);
  }
  frame = raw;
  bad = false;
  try {
    const id = text(ID_CALL);
    if (id === undefined || id.trim() === '') return fallback('blank_id');
    const facts: DocFacts = {
      id_call: id,
      active: flag(ACTIVE) === 1 ? 1 : 0, // decodeFrame assigns normaliseFlag's 0|1 (a -0 becomes 0)
      answered: flag(ANSWERED),
      voicemail: flag(VOICEMAIL),
      internal: flag(INTERNAL),
      call_direction: text(CALL_DIRECTION),
      terminated_call_reason: text(TERMINATED),
      time: timeFacts(),
      customer_number: text(CUSTOMER_NUMBER),
      duration_total: num(DURATION_TOTAL),
      queue: queueFacts(QUEUE),
      queue_first: queueFacts(QUEUE_FIRST),
      queue_last: queueFacts(QUEUE_LAST),
      agent: agentInfoFacts(AGENT),
      agent_first: agentRefFacts(AGENT_FIRST),
      agent_last: agentRefFacts(AGENT_LAST),
      ivr_first: ivrFacts(IVR_FIRST),
      ivr_last: ivrFacts(IVR_LAST),
      agent_list: sharedList(AGENT_LIST),
      agent_list_answer: sharedList(AGENT_LIST_ANSWER),
      agent_list_no_answer: sharedList(AGENT_LIST_NO_ANSWER),
      queue_list: sharedList(QUEUE_LIST),
      ivr_list: sharedList(IVR_LIST),
    };
    if (bad) return fallback('number');
    stats.facts++;
    return facts;
  } catch {
    // Defensive: nothing above should throw (every slice was validated in wasm).
    return fallback('invalid_json');
  } finally {
    frame = EMPTY;
  }
}

/** Counts since the last reset (for logs and the benchmark). */
export function frameScanStats(): FrameScanStats {
  return { frames: stats.frames, facts: stats.facts, fallbacks: { ...stats.fallbacks } };
}

export function resetFrameScanStats(): void {
  stats.frames = 0;
  stats.facts = 0;
  stats.fallbacks = {};
}

/** Whether the WebAssembly scanner loaded and fits every feed's schema (false: scanFacts always falls back). */
export function frameScanAvailable(): boolean {
  const s = load();
  return s !== null && FEED_NAMES.every((feed) => s.roots[feed] !== 0);
}
