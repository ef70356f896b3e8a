// AssemblyScript, not TypeScript (excluded from tsc and eslint): the WebAssembly half of the frame scanner. The JS
// half (frameScan.ts) copies one frame's bytes into this module's memory and calls scan(); one pass over the bytes
//  - validates the whole frame as JSON exactly as JSON.parse does (RFC 8259; bytes >= 0x80 only inside strings, as
//    JSON.parse of toString('utf8') accepts them: an invalid UTF-8 sequence becomes U+FFFD, which is valid there),
//  - follows the decoder's schema of the feed (a tree of known keys the JS half defines once with defineKey, taken
//    from decoder.ts schemaPaths), checks every known key's value against its rule the way the decoder does, and
//    records the values of the fact slots (kind, an exact number for a plain integer of up to 15 digits, an
//    interned string id, byte offsets),
//  - and gives up (a non-zero code, the caller uses the decoder) on anything the decoder rejects or drops and on
//    what it does not decode itself: hostile keys (__proto__, constructor, prototype) anywhere, escaped keys, a
//    known key twice in one object, nesting deeper than the decoder's MAX_DEPTH, a flag written as 1.0, a numeric
//    string with escapes at a number path, a number that might overflow to Infinity.
// No allocation: --runtime stub, everything lives at fixed offsets (layout.ts, shared with the JS half); there is no
// static data.
// Speed: strings are skipped 16 bytes at a time (simd128, --enable simd), integers read 8 digits at a time, and a
// key is first compared as raw bytes with the key its object had at that place last time (object()).
// Build: npm run build:wasm (test/harness/build-wasm.mjs), which embeds the result in frameScanWasm.ts.

import {
  SLOTS, SLOT_KIND, SLOT_NUM, SLOT_A, SLOT_S, SLOT_E, KEY_IN, KEY_IN_MAX, GEN_AT, PATHS, PATH_SLOTS, KEYS,
  KEYS_END, NODE_LENS, NODES, KEY_AT, NEXT_AT, NODE_FIRST, ITEMS, ITEM_MAX, ITABLE, ITABLE_SLOTS, INTERN_MAX,
  INTERN_LEN_MAX, IARENA, IARENA_END, INPUT, PAD, K_STR, K_STR_RAW, K_STR_ESC, K_NUM, K_NUM_TEXT, K_OBJ, K_LIST,
  R_NONE, R_TEXT, R_FLAG, R_NUM, R_NUMTEXT, R_LIST, R_OBJ, R_OBJNUM, E_OK, E_JSON, E_NOT_OBJECT, E_DEEP,
  E_HOSTILE, E_ESCAPED_KEY, E_DUPLICATE, E_TYPE, E_NUMBER, E_ESCAPED_NUMBER, E_MISSING, E_ITEMS, ITEM_BYTES,
  REQUIRED_SLOTS,
} from './layout';

/** The decoder's MAX_DEPTH: a container nested deeper than this (the document is depth 0) is rejected. */
let maxDepth: i32 = 32;

export function layout(i: i32): i32 {
  switch (i) {
    case 0: return SLOT_KIND;
    case 1: return SLOT_NUM;
    case 2: return SLOT_A;
    case 3: return SLOT_S;
    case 4: return SLOT_E;
    case 5: return KEY_IN;
    case 6: return ITEMS;
    case 7: return INPUT;
    case 8: return SLOTS;
    case 9: return KEY_IN_MAX;
    case 10: return <i32>__heap_base;
    case 11: return PAD;
    case 12: return GEN_AT;
    default: return -1;
  }
}

let end: i32 = 0;
let err: i32 = 0;
let stamp: i32 = 0;
let itemCount: i32 = 0;

let sStart: i32 = 0;
let sEnd: i32 = 0;
let sEsc: bool = false;

let numValue: f64 = 0;
let numSimple: bool = false;
let numFinite: bool = false;

let nextId: i32 = 0;
let arenaEnd: i32 = IARENA;
let gen: i32 = 0;
let needClear: bool = false;

// The grammar's functions take the position (a byte address) and return the position after what they read, or 0
// (addresses of the frame are never 0) on failure, after setting err; positions stay in locals, not globals.
@inline function byteAt(i: i32): i32 { return <i32>load<u8>(i); }
@inline function fail(code: i32): bool { err = code; return false; }
@inline function failAt(code: i32): i32 { err = code; return 0; }
@inline function isDigit(c: i32): bool { return <u32>(c - 0x30) < 10; }

export function generation(): i32 { return gen; }
export function setMaxDepth(d: i32): void { maxDepth = d; }

// ----- Hashing and comparing bytes, 8 at a time. The loads may read up to 7 bytes past a string, which the memory
// layout allows everywhere a string can be (the frame has PAD bytes after it); those bytes are masked off.

@inline function lowBytes(len: i32): u64 { return (<u64>1 << (<u64>len << 3)) - 1; }

/** A hash of the bytes [start, start + len). */
function hashBytes(start: i32, len: i32): u32 {
  let h: u64 = <u64>len * 0x9e3779b97f4a7c15;
  let p = start;
  let n = len;
  while (n >= 8) {
    h = (h ^ load<u64>(p)) * 0x9e3779b97f4a7c15;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) h = (h ^ (load<u64>(p) & lowBytes(n))) * 0x9e3779b97f4a7c15;
  h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9;
  return <u32>(h ^ (h >> 32));
}

/** Whether the bytes at a and b are equal for len bytes. */
@inline function sameBytes(a: i32, b: i32, len: i32): bool {
  let n = len;
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  return n == 0 || ((load<u64>(a) ^ load<u64>(b)) & lowBytes(n)) == 0;
}

// ----- The known-key table: (node, key) -> rule, slot, child node. Node 0 means "not a known object". An entry
// (32 bytes) holds the node, the key's length, its first and last 8 bytes (w0, w1: for keys of up to 16 bytes they
// are the whole key; shorter keys are zero-padded, w1 is 0 for keys of up to 8), the rule, slot and child packed
// (rule | (slot + 1) << 4 | child << 12), and the stamp of the last scan that met the key (duplicates).

@inline function word0(start: i32, len: i32): u64 {
  return len >= 8 ? load<u64>(start) : load<u64>(start) & lowBytes(len);
}
@inline function word1(start: i32, len: i32): u64 { return len > 8 ? load<u64>(start + len - 8) : 0; }
@inline function keyIndex(node: i32, len: i32, w0: u64, w1: u64): i32 {
  const h = (w0 * 0x9e3779b97f4a7c15) ^ (w1 * 0xc2b2ae3d27d4eb4f) ^ ((<u64>node << 32 | <u64>len) * 0x165667b19e3779f9);
  return <i32>(h >> 54) & (PATH_SLOTS - 1);
}
@inline function lenBit(len: i32): u64 { return <u64>1 << <u64>(len < 63 ? len : 63); }
let keysEnd: i32 = KEYS;
let pathCount: i32 = 0;

/** The entry's address for `node`'s key at [start, start + len), or 0. */
@inline function lookup(node: i32, start: i32, len: i32): i32 {
  return find(node, start, len, word0(start, len), word1(start, len));
}
function find(node: i32, start: i32, len: i32, w0: u64, w1: u64): i32 {
  let i = keyIndex(node, len, w0, w1);
  while (true) {
    const e = PATHS + i * 32;
    const n = load<i32>(e);
    if (n == 0) return 0;
    if (n == node && load<i32>(e + 4) == len && load<u64>(e + 8) == w0 && load<u64>(e + 16) == w1) {
      if (len <= 16 || sameBytes(load<i32>(KEY_AT + i * 4) + 1, start, len)) return e;
    }
    i = (i + 1) & (PATH_SLOTS - 1);
  }
}

/** Adds key KEY_IN[0..len) to `node`; returns 0, or -1 when a table is full or the key is bad. */
export function defineKey(node: i32, len: i32, rule: i32, slot: i32, child: i32): i32 {
  if (node <= 0 || node >= NODES || child < 0 || child >= NODES || len < 0 || len > KEY_IN_MAX) return -1;
  if (keysEnd + len + 3 > KEYS_END || pathCount >= PATH_SLOTS / 2) return -1;
  if (slot < -1 || slot >= SLOTS || rule < R_TEXT || rule > R_OBJNUM) return -1;
  // A key is matched as the raw bytes `"key":` (object()), so it must be one JSON writes without escapes.
  for (let k = 0; k < len; k++) {
    const c = byteAt(KEY_IN + k);
    if (c == 0x22 || c == 0x5c || c < 0x20) return -1;
  }
  if ((len == 9 || len == 11) && hostile(KEY_IN, len)) return -1;
  if (lookup(node, KEY_IN, len) != 0) return -1;
  const w0 = word0(KEY_IN, len);
  const w1 = word1(KEY_IN, len);
  let i = keyIndex(node, len, w0, w1);
  while (load<i32>(PATHS + i * 32) != 0) i = (i + 1) & (PATH_SLOTS - 1);
  const e = PATHS + i * 32;
  store<u8>(keysEnd, 0x22);
  memory.copy(keysEnd + 1, KEY_IN, len);
  store<u16>(keysEnd + 1 + len, 0x3a22);  // '":'
  store<i32>(e, node);
  store<i32>(e + 4, len);
  store<u64>(e + 8, w0);
  store<u64>(e + 16, w1);
  store<i32>(e + 24, rule | ((slot + 1) << 4) | (child << 12));
  store<i32>(e + 28, 0);
  store<i32>(KEY_AT + i * 4, keysEnd);
  store<u64>(NODE_LENS + node * 8, load<u64>(NODE_LENS + node * 8) | lenBit(len));
  keysEnd += len + 3;
  pathCount++;
  return 0;
}

// ----- Strings and interning.

/**
 * A string at p (its opening quote) up to its closing quote: sets sStart/sEnd (the bytes inside the quotes) and
 * sEsc, and returns the position after it (0: not a valid string). Runs of plain bytes are skipped 16 at a time
 * (the loads may read up to 15 bytes past the frame's end, into PAD, but nothing found there counts).
 */
function str(p: i32): i32 {
  const e = end;
  p++;
  sStart = p;
  sEsc = false;
  const quotes = i8x16.splat(0x22);
  const backslashes = i8x16.splat(0x5c);
  const controls = i8x16.splat(0x20);
  while (true) {
    while (true) {
      if (p >= e) return 0;
      const v = v128.load(p);
      const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)), i8x16.lt_u(v, controls)));
      if (m != 0) {
        p += ctz(m);
        break;
      }
      p += 16;
    }
    if (p >= e) return 0;
    const c = byteAt(p);
    if (c == 0x22) {
      sEnd = p;
      return p + 1;
    }
    if (c < 0x20) return 0;
    // A backslash.
    sEsc = true;
    p++;
    if (p >= e) return 0;
    const x = byteAt(p);
    if (x == 0x75) {
      if (p + 4 >= e) return 0;
      if (!isHex(byteAt(p + 1)) || !isHex(byteAt(p + 2)) || !isHex(byteAt(p + 3)) || !isHex(byteAt(p + 4))) return 0;
      p += 5;
    } else if (x == 0x22 || x == 0x5c || x == 0x2f || x == 0x62 || x == 0x66 || x == 0x6e || x == 0x72 || x == 0x74) {
      p++;
    } else return 0;
  }
}

@inline function isHex(h: i32): bool {
  return (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
}

function clearIntern(): void {
  memory.fill(ITABLE, 0, ITABLE_SLOTS * 16);
  nextId = 0;
  arenaEnd = IARENA;
  gen++;
  store<i32>(GEN_AT, gen);
  needClear = false;
}

/** The intern id of the string just read (no escapes), or -1 (too long, or the table is full until the next scan). */
function intern(): i32 {
  const len = sEnd - sStart;
  if (len > INTERN_LEN_MAX) return -1;
  const sHash = hashBytes(sStart, len);
  let i = <i32>(sHash & <u32>(ITABLE_SLOTS - 1));
  while (true) {
    const e = ITABLE + i * 16;
    const id = load<i32>(e + 12) - 1;
    if (id < 0) break;
    if (load<u32>(e) == sHash && load<i32>(e + 8) == len && sameBytes(load<i32>(e + 4), sStart, len)) return id;
    i = (i + 1) & (ITABLE_SLOTS - 1);
  }
  if (nextId >= INTERN_MAX || arenaEnd + len > IARENA_END) {
    // Cleared before the next frame, never during one: ids handed out for this frame stay valid.
    needClear = true;
    return -1;
  }
  const e = ITABLE + i * 16;
  memory.copy(arenaEnd, sStart, len);
  store<u32>(e, sHash);
  store<i32>(e + 4, arenaEnd);
  store<i32>(e + 8, len);
  store<i32>(e + 12, nextId + 1);
  arenaEnd += len;
  return nextId++;
}

/** Records the string just read as the value of `slot` (kind, id, offsets) or of item address `item` when >= 0. */
function putString(kindAt: i32, aAt: i32, sAt: i32, eAt: i32): void {
  if (sEsc) {
    store<u8>(kindAt, <u8>K_STR_ESC);
    store<i32>(sAt, sStart - 1);
    store<i32>(eAt, sEnd + 1);
    return;
  }
  const id = intern();
  store<u8>(kindAt, <u8>(id >= 0 ? K_STR : K_STR_RAW));
  store<i32>(aAt, id);
  store<i32>(sAt, sStart);
  store<i32>(eAt, sEnd);
}

// ----- Numbers.

/**
 * A JSON number at p; returns the position after it (0: not a number). numSimple: an integer of up to 15 digits,
 * its exact value in numValue (-0 for "-0"); otherwise numFinite says whether its magnitude is certainly below 1e308
 * (so JSON.parse gives a finite number).
 */
function num(p: i32): i32 {
  const e = end;
  let neg = false;
  if (byteAt(p) == 0x2d) { p++; neg = true; }
  if (p >= e) return 0;
  let c = byteAt(p);
  let intDigits = 0;
  let zero = false;
  let v: i64 = 0;  // the integer part while it has up to 15 digits (exact as an f64); wraps harmlessly beyond
  if (c == 0x30) {
    p++;
    intDigits = 1;
    zero = true;
  } else if (<u32>(c - 0x31) < 9) {
    const ds = p;
    // 8 digits at a time while they last (timestamps have 13): the bytes are digits when each is 0x30..0x39.
    while (p + 8 <= e) {
      const w = load<u64>(p);
      if (((w & 0xf0f0f0f0f0f0f0f0) | (((w + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) != 0x3333333333333333) break;
      // The 8 digits' value (the first digit is the lowest byte): pairs, then fours, then all eight.
      let d = w & 0x0f0f0f0f0f0f0f0f;
      d = ((d * 10) + (d >> 8)) & 0x00ff00ff00ff00ff;
      d = ((d * 100) + (d >> 16)) & 0x0000ffff0000ffff;
      d = ((d * 10000) + (d >> 32)) & 0x00000000ffffffff;
      v = v * 100000000 + <i64>d;
      p += 8;
    }
    c = byteAt(p);
    while (p < e && isDigit(c)) {
      v = v * 10 + <i64>(c - 0x30);
      p++;
      c = byteAt(p);
    }
    intDigits = p - ds;
  } else return 0;
  let simple = true;
  if (p < e && byteAt(p) == 0x2e) {
    simple = false;
    p++;
    const fs = p;
    while (p < e && isDigit(byteAt(p))) p++;
    if (p == fs) return 0;
  }
  let exp: i32 = 0;
  if (p < e && (byteAt(p) | 0x20) == 0x65) {
    simple = false;
    p++;
    let expNeg = false;
    if (p < e && (byteAt(p) == 0x2b || byteAt(p) == 0x2d)) { expNeg = byteAt(p) == 0x2d; p++; }
    const ds = p;
    while (p < e) {
      const d = byteAt(p);
      if (!isDigit(d)) break;
      if (exp < 100000) exp = exp * 10 + (d - 0x30);
      p++;
    }
    if (p == ds) return 0;
    if (expNeg) exp = -exp;
  }
  if (simple && intDigits <= 15) {
    const f = <f64>v;
    numValue = neg ? -f : f;
    numSimple = true;
    numFinite = true;
  } else {
    numSimple = false;
    // |value| < 10^(intDigits + exp) (or < 10^exp for 0.xxx); 10^308 is below the largest double.
    const magnitude = zero ? exp : intDigits + exp;
    numFinite = magnitude <= 308;
  }
  return p;
}

/** Stores the number just read (bytes [start, stop)) as a slot's or item's value. */
function putNumber(kindAt: i32, numAt: i32, sAt: i32, eAt: i32, start: i32, stop: i32): bool {
  if (numSimple) {
    store<u8>(kindAt, <u8>K_NUM);
    store<f64>(numAt, numValue);
    return true;
  }
  if (!numFinite) return fail(E_NUMBER);
  store<u8>(kindAt, <u8>K_NUM_TEXT);
  store<i32>(sAt, start);
  store<i32>(eAt, stop);
  return true;
}

/**
 * The string just read at a number path: the decoder's NUMERIC_TEXT (/^-?\d{1,20}(\.\d{1,20})?$/) becomes a
 * number, anything else is dropped. Escaped strings are left to the decoder.
 */
function numericString(slot: i32): bool {
  if (sEsc) return fail(E_ESCAPED_NUMBER);
  let i = sStart;
  const neg = i < sEnd && byteAt(i) == 0x2d;
  if (neg) i++;
  const intStart = i;
  while (i < sEnd && byteAt(i) >= 0x30 && byteAt(i) <= 0x39) i++;
  const intDigits = i - intStart;
  if (intDigits < 1 || intDigits > 20) return fail(E_TYPE);
  let fraction = false;
  if (i < sEnd) {
    if (byteAt(i) != 0x2e) return fail(E_TYPE);
    i++;
    const fracStart = i;
    while (i < sEnd && byteAt(i) >= 0x30 && byteAt(i) <= 0x39) i++;
    const fracDigits = i - fracStart;
    if (fracDigits < 1 || fracDigits > 20 || i != sEnd) return fail(E_TYPE);
    fraction = true;
  }
  if (slot < 0) return true;
  if (!fraction && intDigits <= 15) {
    let v: f64 = 0;
    for (let j = intStart; j < sEnd; j++) v = v * 10 + <f64>(byteAt(j) - 0x30);
    store<u8>(SLOT_KIND + slot, <u8>K_NUM);
    store<f64>(SLOT_NUM + slot * 8, neg ? -v : v);
  } else {
    store<u8>(SLOT_KIND + slot, <u8>K_NUM_TEXT);
    store<i32>(SLOT_S + slot * 4, sStart);
    store<i32>(SLOT_E + slot * 4, sEnd);
  }
  return true;
}

// ----- Grammar.

function wsRun(p: i32): i32 {
  const e = end;
  while (p < e) {
    const c = byteAt(p);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) p++;
    else break;
  }
  return p;
}
/** The position after the whitespace at p (frames seldom have any: one test for the usual case). */
@inline function ws(p: i32): i32 { return byteAt(p) > 0x20 ? p : wsRun(p); }

/** Whether `word` (true/false/null: 4 or 5 bytes, a little-endian u32 of the first 4 and an "e") is at p. */
@inline function word(p: i32, first4: u32, len: i32): bool {
  return p + len <= end && load<u32>(p) == first4 && (len == 4 || byteAt(p + 4) == 0x65);
}

function hostile(start: i32, len: i32): bool {
  // "__proto__" / "prototype" (9 bytes), "constructor" (11 bytes).
  if (len == 9) {
    if (load<u64>(start) == 0x5f6f746f72705f5f && byteAt(start + 8) == 0x5f) return true;  // "__proto__"
    if (load<u64>(start) == 0x7079746f746f7270 && byteAt(start + 8) == 0x65) return true;  // "prototype"
    return false;
  }
  if (len == 11) {
    return load<u64>(start) == 0x63757274736e6f63 && load<u16>(start + 8) == 0x6f74 && byteAt(start + 10) == 0x72; // "constructor"
  }
  return false;
}

/** An object at p whose known keys are `node`'s (0: none). */
/** Whether the n bytes at a and b are equal, 16 at a time (the loads may read up to 15 bytes past either). */
@inline function samePattern(a: i32, b: i32, n: i32): bool {
  while (n > 16) {
    if (i8x16.bitmask(i8x16.eq(v128.load(a), v128.load(b))) != 0xffff) return false;
    a += 16;
    b += 16;
    n -= 16;
  }
  const need = (1 << n) - 1;
  return (i8x16.bitmask(i8x16.eq(v128.load(a), v128.load(b))) & need) == need;
}

/**
 * An object at p whose known keys are `node`'s (0: none). Frames of a feed write their keys in the same order, so
 * each key is first compared, as the raw bytes `"key":`, with the known key that followed the previous known key
 * last time (pred); only when it is not that one is it read as a string and looked up.
 */
function object(p: i32, depth: i32, node: i32): i32 {
  if (depth > maxDepth) return failAt(E_DEEP);
  const e = end;
  p = ws(p + 1);
  if (p < e && byteAt(p) == 0x7d) return p + 1;
  const lens = load<u64>(NODE_LENS + node * 8);
  let prevAt = NODE_FIRST + node * 4;  // where the entry of the next known key is remembered
  let pred = load<i32>(prevAt);
  while (true) {
    p = ws(p);
    if (p >= e || byteAt(p) != 0x22) return failAt(E_JSON);
    let en = 0;
    if (pred != 0) {
      // The pattern has no '"', '\\' or control bytes inside the quotes: a match is exactly that unescaped key.
      const n = load<i32>(pred + 4) + 3;
      if (p + n <= e && load<i32>(pred) == node && samePattern(load<i32>(KEY_AT + ((pred - PATHS) >> 3)), p, n)) {
        en = pred;
        p += n;
      }
    }
    if (en == 0) {
      p = str(p);
      if (p == 0) return failAt(E_JSON);
      if (sEsc) return failAt(E_ESCAPED_KEY);
      const ks = sStart;
      const klen = sEnd - ks;
      if ((klen == 9 || klen == 11) && hostile(ks, klen)) return failAt(E_HOSTILE);
      if ((lens & lenBit(klen)) != 0) {
        en = lookup(node, ks, klen);
        if (en != 0) store<i32>(prevAt, en);
      }
      p = ws(p);
      if (p >= e || byteAt(p) != 0x3a) return failAt(E_JSON);
      p++;
    }
    let rule = R_NONE;
    let slot = -1;
    let child = 0;
    if (en != 0) {
      if (load<i32>(en + 28) == stamp) return failAt(E_DUPLICATE);
      store<i32>(en + 28, stamp);
      const info = load<i32>(en + 24);
      rule = info & 15;
      slot = ((info >> 4) & 127) - 1;
      child = info >>> 12;
      prevAt = NEXT_AT + ((en - PATHS) >> 3);
      pred = load<i32>(prevAt);
    }
    p = value(p, depth + 1, rule, slot, child);
    if (p == 0) return 0;
    p = ws(p);
    if (p >= e) return failAt(E_JSON);
    const d = byteAt(p);
    p++;
    if (d == 0x2c) continue;
    if (d != 0x7d) return failAt(E_JSON);
    return p;
  }
}

/** An array at p, only validated. */
function array(p: i32, depth: i32): i32 {
  if (depth > maxDepth) return failAt(E_DEEP);
  const e = end;
  p = ws(p + 1);
  if (p < e && byteAt(p) == 0x5d) return p + 1;
  while (true) {
    p = value(p, depth + 1, R_NONE, -1, 0);
    if (p == 0) return 0;
    p = ws(p);
    if (p >= e) return failAt(E_JSON);
    const d = byteAt(p);
    p++;
    if (d == 0x2c) continue;
    if (d != 0x5d) return failAt(E_JSON);
    return p;
  }
}

/** A list field's array at p: its strings and numbers become items of `slot` (when >= 0). */
function list(p: i32, depth: i32, slot: i32): i32 {
  if (depth > maxDepth) return failAt(E_DEEP);
  const e = end;
  const first = itemCount;
  p = ws(p + 1);
  if (p < e && byteAt(p) == 0x5d) {
    p++;
  } else {
    while (true) {
      p = ws(p);
      if (p >= e) return failAt(E_JSON);
      const c = byteAt(p);
      if (c == 0x22 || c == 0x2d || isDigit(c)) {
        const start = p;
        p = c == 0x22 ? str(p) : num(p);
        if (p == 0) return failAt(E_JSON);
        if (slot >= 0) {
          if (itemCount >= ITEM_MAX) return failAt(E_ITEMS);
          const it = ITEMS + itemCount * ITEM_BYTES;
          if (c == 0x22) putString(it, it + 4, it + 8, it + 12);
          else if (!putNumber(it, it + 16, it + 8, it + 12, start, p)) return 0;
          itemCount++;
        }
      } else {
        p = value(p, depth + 1, R_NONE, -1, 0);
        if (p == 0) return 0;
      }
      p = ws(p);
      if (p >= e) return failAt(E_JSON);
      const d = byteAt(p);
      p++;
      if (d == 0x2c) continue;
      if (d != 0x5d) return failAt(E_JSON);
      break;
    }
  }
  if (slot >= 0) {
    store<u8>(SLOT_KIND + slot, <u8>K_LIST);
    store<i32>(SLOT_A + slot * 4, first);
    store<i32>(SLOT_S + slot * 4, itemCount - first);
  }
  return p;
}

/** One value at p (whitespace first), checked against `rule` and recorded in `slot` when >= 0. */
function value(p: i32, depth: i32, rule: i32, slot: i32, child: i32): i32 {
  p = ws(p);
  if (p >= end) return failAt(E_JSON);
  const c = byteAt(p);
  if (c == 0x22) {
    const q = str(p);
    if (q == 0) return failAt(E_JSON);
    if (rule == R_NONE) return q;
    if (rule == R_TEXT || rule == R_NUMTEXT) {
      if (slot >= 0) putString(SLOT_KIND + slot, SLOT_A + slot * 4, SLOT_S + slot * 4, SLOT_E + slot * 4);
      return q;
    }
    if (rule == R_NUM || rule == R_OBJNUM) return numericString(slot) ? q : 0;
    return failAt(E_TYPE);
  }
  if (c == 0x7b) {
    if (rule == R_NONE) return object(p, depth, 0);
    if (rule != R_OBJ && rule != R_OBJNUM) return failAt(E_TYPE);
    const q = object(p, depth, child);
    if (q != 0 && slot >= 0) store<u8>(SLOT_KIND + slot, <u8>K_OBJ);
    return q;
  }
  if (c == 0x5b) {
    if (rule == R_NONE) return array(p, depth);
    if (rule != R_LIST) return failAt(E_TYPE);
    return list(p, depth, slot);
  }
  if (c == 0x74 || c == 0x66) {
    const yes = c == 0x74;
    // "true" / "fals" + "e" as little-endian u32s.
    if (!(yes ? word(p, 0x65757274, 4) : word(p, 0x736c6166, 5))) return failAt(E_JSON);
    if (rule == R_NONE) return p + (yes ? 4 : 5);
    if (rule != R_FLAG) return failAt(E_TYPE);
    if (slot >= 0) {
      store<u8>(SLOT_KIND + slot, <u8>K_NUM);
      store<f64>(SLOT_NUM + slot * 8, yes ? 1 : 0);
    }
    return p + (yes ? 4 : 5);
  }
  if (c == 0x6e) {
    if (!word(p, 0x6c6c756e, 4)) return failAt(E_JSON);
    return rule == R_NONE ? p + 4 : failAt(E_TYPE);
  }
  const q = num(p);
  if (q == 0) return failAt(E_JSON);
  if (rule == R_NONE) return q;
  if (rule == R_FLAG) {
    if (!numSimple) return failAt(E_NUMBER);
    if (numValue != 0 && numValue != 1) return failAt(E_TYPE);
    if (slot >= 0) {
      store<u8>(SLOT_KIND + slot, <u8>K_NUM);
      // As parsed: the decoder keeps a -0 flag as -0 (normaliseFlag's 0 === -0, so it does not replace it);
      // active, which it always assigns, is made 0|1 by the JS half.
      store<f64>(SLOT_NUM + slot * 8, numValue);
    }
    return q;
  }
  if (rule == R_LIST || rule == R_OBJ) return failAt(E_TYPE);
  if (slot < 0) return numSimple || numFinite ? q : failAt(E_NUMBER);
  return putNumber(SLOT_KIND + slot, SLOT_NUM + slot * 8, SLOT_S + slot * 4, SLOT_E + slot * 4, p, q) ? q : 0;
}

/**
 * Scans the frame at INPUT[0..len) with the known keys of root node `root`. 0: the slots hold the facts (every
 * slot 0..3, id_call, active, time and time.start, is present); otherwise why the caller must use the decoder.
 */
export function scan(len: i32, root: i32): i32 {
  if (needClear) clearIntern();
  if (stamp == 0x7fffffff) {
    for (let i = 0; i < PATH_SLOTS; i++) store<i32>(PATHS + i * 32 + 28, 0);
    stamp = 0;
  }
  stamp++;
  memory.fill(SLOT_KIND, 0, SLOTS);
  itemCount = 0;
  err = E_OK;
  end = INPUT + len;
  let p = ws(INPUT);
  if (p >= end) return E_JSON;
  if (byteAt(p) != 0x7b) {
    p = value(p, 0, R_NONE, -1, 0);
    if (p == 0) return E_JSON;
    return ws(p) == end ? E_NOT_OBJECT : E_JSON;
  }
  p = object(p, 0, root);
  if (p == 0) return err;
  if (ws(p) != end) return E_JSON;
  for (let i = 0; i < REQUIRED_SLOTS; i++) if (load<u8>(SLOT_KIND + i) == 0) return E_MISSING;
  return E_OK;
}
