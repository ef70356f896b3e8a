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
import { hasOwn } from './diff';
import {
  MAX_FRAME_BYTES,
  type DecodeResult, type DecodedDocument, type FeedDocument, type FeedName, type RejectReason,
} from './types';

/** Deepest nesting accepted (the known schema is 3 levels deep; later code recurses into documents). */
export const MAX_DEPTH = 32;
/** Longest `detail` text: a rejection never echoes a whole frame. */
export const DETAIL_MAX = 120;

/** `__proto__`, `constructor` or `prototype`: checked by length first, as almost every key fails that. */
function isHostileKey(key: string): boolean {
  const n = key.length;
  return (n === 9 && (key === '__proto__' || key === 'prototype')) || (n === 11 && key === 'constructor');
}
const NUMERIC_TEXT = /^-?\d{1,20}(\.\d{1,20})?$/;

type Json = Record<string, unknown>;

/** How one known field is normalised. */
type Rule =
  | 'id' | 'flag' | 'ts' | 'num' | 'text' | 'list' | 'numOrText'
  | { obj: Schema; orNum?: boolean };
type Schema = ReadonlyMap<string, Rule>;

const DROP = Symbol('drop');

// ---------------------------------------------------------------------------------------------------------
// Schemas (Maps, so a key such as "constructor" never finds Object.prototype members).

const schema = (entries: Record<string, Rule>): Schema => new Map(Object.entries(entries));

const IVR = schema({ id: 'id', name: 'text', phone: 'text', timestamp: 'ts' });
const QUEUE = schema({ id: 'id', name: 'text', phone: 'text', strategy: 'text', timestart: 'ts', fail_reason: 'text' });
const AGENT_REF = schema({
  id: 'id', name: 'text', surname: 'text', phone: 'text', answered: 'ts', to_transfer: 'num', from_transfer: 'num',
});
const AGENT_INFO = schema({ id: 'id', name: 'text', phone: 'text', time_zone: 'text' });
const FLT: Rule = { obj: schema({ first: 'num', last: 'num', total: 'num' }), orNum: true };
const ON_HOOKED: Rule = { obj: schema({ no_wait_request: 'num', answer_wait_request: 'num', customer_no_answer: 'num' }) };
const TRANSFER: Rule = { obj: schema({ type: 'text', answered: 'flag' }) };

const COMMON: Record<string, Rule> = {
  // id_call, active and time.start are validated before the schema runs.
  answered: 'flag', recorded: 'flag', voicemail: 'flag', internal: 'flag', transfer: 'flag',
  call_direction: 'text',
  time: { obj: schema({ start: 'ts', end: 'ts', answered: 'ts' }) },
  customer_target: { obj: schema({ number: 'text' }) },
  customer_telavox: { obj: schema({ id: 'id', name: 'text' }) },
  agent_list: 'list', agent_list_answer: 'list', agent_list_no_answer: 'list',
  simultaneous_device_calls: 'num',
};

const FEED_SCHEMAS: Record<FeedName, Schema> = {
  calls: schema({
    ...COMMON,
    offered_and_answered: 'num', offered_and_not_answered: 'num', terminated_call_reason: 'text', transfers: 'num',
    on_hooked_calls: ON_HOOKED, queue_list: 'list', ivr_list: 'list',
    duration: { obj: schema({ queue: FLT, ring: FLT, talk: FLT, total: 'num', wait_time: 'num', before_queue: 'num', hold: 'num' }) },
    menu_digit: { obj: schema({ dialed_number: 'numOrText', destination: 'text', type: 'text' }) },
    ivr_first: { obj: IVR }, ivr_last: { obj: IVR },
    queue_first: { obj: QUEUE }, queue_last: { obj: QUEUE },
    agent_first: { obj: AGENT_REF }, agent_last: { obj: AGENT_REF },
    redirected: { obj: schema({ total: 'num', no_reason: 'num', no_answer: 'num', no_reachable: 'num', user_busy: 'num', unconditional: 'num' }) },
    transfer_first: TRANSFER, transfer_last: TRANSFER,
  }),
  queues: schema({
    ...COMMON,
    on_hooked_calls: ON_HOOKED,
    agent_first: { obj: AGENT_REF }, agent_last: { obj: AGENT_REF },
    queue: { obj: QUEUE }, ivr: { obj: IVR },
    duration: { obj: schema({ total: 'num', queue: 'num', ring: 'num', talk: 'num', hold: 'num' }) },
  }),
  agents: schema({
    ...COMMON,
    // An integer 0/1 in the agents feed (an object in the other two).
    on_hooked_calls: 'num', agent_end_reason: 'text',
    agent: { obj: AGENT_INFO }, ivr: { obj: IVR }, queue: { obj: QUEUE },
    duration: { obj: schema({ total: 'num', ring: 'num', talk: 'num', hold: 'num' }) },
  }),
};

/** How a known path is normalised, as schemaPaths lists it: an object rule is 'obj' ('objOrNum' when a number
 * or numeric string is also accepted in place of the object). */
export type SchemaRuleKind = 'id' | 'text' | 'flag' | 'ts' | 'num' | 'list' | 'numOrText' | 'obj' | 'objOrNum';

/**
 * Every known path of `feed`'s schema with its rule, each object's path before its children's, for code that must
 * agree with this decoder without copying its schema (the frame scanner, src/core/scan). id_call, active and the
 * presence of time.start are checked before the schema runs and are not listed unless the schema names them.
 */
export function schemaPaths(feed: FeedName): Array<{ path: readonly string[]; rule: SchemaRuleKind }> {
  const out: Array<{ path: readonly string[]; rule: SchemaRuleKind }> = [];
  const walk = (rules: Schema, parent: readonly string[]): void => {
    for (const [key, rule] of rules) {
      const path = [...parent, key];
      if (typeof rule === 'string') {
        out.push({ path, rule });
      } else {
        out.push({ path, rule: rule.orNum ? 'objOrNum' : 'obj' });
        walk(rule.obj, path);
      }
    }
  };
  walk(FEED_SCHEMAS[feed], []);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Small value readers, exported for other core code that must not trust document shapes either.

/** 0/1/true/false -> 0|1; anything else -> undefined. */
export function normaliseFlag(value: unknown): 0 | 1 | undefined {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  return undefined;
}

/** A finite number, or a plain decimal numeric string converted; else undefined. */
export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A string id, or a finite number stringified; else undefined. */
export function normaliseId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
// Frame -> text

type RawFrame = string | Buffer | ArrayBuffer | Buffer[];
/** A frame in one piece (a fragmented message is joined first). */
type WholeFrame = Exclude<RawFrame, Buffer[]>;

/**
 * The frame's bytes as a Buffer of their own. A ws message is a view into the socket's read chunk, which
 * keeping would pin; the copy (from Node's pool for small frames) lives outside the JS heap.
 */
function ownBytes(raw: WholeFrame, text: string): Buffer {
  if (typeof raw === 'string') return Buffer.from(text, 'utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(new Uint8Array(raw));
  return Buffer.from(raw);
}

/** Byte length without decoding; undefined for an unsupported frame type. */
function byteLength(raw: RawFrame, maxBytes: number): number | undefined {
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

function toText(raw: WholeFrame): string {
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  // Another Uint8Array view (a Buffer is handled above).
  const view = raw as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------
// Normalisation (in place on the freshly parsed object: nobody else holds a reference to it yet)

class Walk {
  dropped: string[] | undefined;
  tooDeep = false;
  /** Keys from the document root to the object being walked; joined into a path only when something drops. */
  private readonly keys: string[] = [];

  /** Ready for the next document (one Walk serves every decode: it runs on every frame, and nothing in it calls out). */
  reset(): void {
    this.dropped = undefined;
    this.tooDeep = false;
    this.keys.length = 0;
  }

  /** Records `key` of the object being walked as dropped, with its dotted path. */
  drop(key: string): void {
    (this.dropped ??= []).push(this.keys.length === 0 ? key : `${this.keys.join('.')}.${key}`);
  }

  /** Walks an unknown subtree at `key` (push/pop inline, not a callback: a closure over loop variables would
   * make V8 allocate a context on every iteration of the loops below). */
  private sanitizeAt(key: string, value: unknown, depth: number): void {
    this.keys.push(key);
    this.sanitize(value, depth);
    this.keys.pop();
  }

  /** Unknown subtree: delete hostile keys, enforce the depth bound. */
  sanitize(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.tooDeep = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) this.sanitize(item, depth + 1);
        if (this.tooDeep) return;
      }
      return;
    }
    const o = value as Json;
    // for-in skips building a key array per object (this walk runs on every document); the own-property check
    // keeps keys that something else put on Object.prototype out of the walk, as Object.keys did.
    for (const key in o) {
      if (!hasOwn(o, key)) continue;
      if (isHostileKey(key)) {
        this.dropHostile(o, key);
        continue;
      }
      const item = o[key];
      if (typeof item === 'object' && item !== null) this.sanitizeAt(key, item, depth + 1);
      if (this.tooDeep) return;
    }
  }

  /** Removes a prototype-reaching key and records it. */
  dropHostile(o: Json, key: string): void {
    delete o[key];
    this.drop(key);
  }

  object(o: Json, rules: Schema, depth: number): void {
    for (const key in o) {
      if (!hasOwn(o, key)) continue;
      if (isHostileKey(key)) {
        this.dropHostile(o, key);
        continue;
      }
      const value = o[key];
      const rule = rules.get(key);
      if (rule === undefined) {
        if (typeof value === 'object' && value !== null) {
          this.sanitizeAt(key, value, depth + 1);
          if (this.tooDeep) return;
        }
        continue;
      }
      const next = this.apply(rule, value, key, depth + 1);
      if (next === DROP) {
        delete o[key];
        this.drop(key);
      } else if (next !== value) {
        o[key] = next;
      }
    }
  }

  apply(rule: Rule, value: unknown, key: string, depth: number): unknown {
    switch (rule) {
      case 'id':
      case 'text':
        if (typeof value === 'string') return value;
        return normaliseId(value) ?? DROP;
      case 'flag':
        return normaliseFlag(value) ?? DROP;
      case 'ts':
      case 'num':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        return toFiniteNumber(value) ?? DROP;
      case 'numOrText':
        return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : DROP;
      case 'list':
        return Array.isArray(value) ? textList(value) : DROP;
      default:
        if (isRecord(value)) {
          this.keys.push(key);
          this.object(value, rule.obj, depth);
          this.keys.pop();
          return value;
        }
        return rule.orNum ? toFiniteNumber(value) ?? DROP : DROP;
    }
  }
}

const WALK = new Walk();

/** A list of names: strings kept, numbers stringified, anything else left out. Copies only when needed. */
function textList(list: unknown[]): string[] {
  let clean = true;
  for (const item of list) {
    if (typeof item !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return list as string[];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
  }
  return out;
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
