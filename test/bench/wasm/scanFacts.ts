// AssemblyScript, not TypeScript: a research prototype for the ingest ratio (see README, Performance), excluded from
// tsc and eslint. One pass over a frame's bytes in WebAssembly memory validates the JSON grammar (RFC 8259; bytes
// >= 0x80 only inside strings, as toString('utf8') + JSON.parse accept them) and records the values found at the
// key paths the caller registered (depth 1 or 2: "id_call", "queue.timestart"): their kind, a number when it is a
// plain integer, and an interned id for a string without escapes, so the caller makes each distinct string once.
// Not bounded yet (the intern table has 65,536 slots and no eviction): a product version must be.
// Build: npx --yes -p assemblyscript@0.28.20 asc test/bench/wasm/scanFacts.ts -O3 --runtime stub --noAssert \
//          --initialMemory 256 -o test/bench/wasm/scanFacts.wasm
// Measure: npm run bench:facts-scan (test/bench/factsScan.ts).
const INPUT: i32 = 65536;          // frame bytes
const FACT_KEYS: i32 = 1024;       // u32 hashes of the fact paths, set by the caller (up to 64)
const FACT_KIND: i32 = 2048;       // u8 per slot
const FACT_NUM: i32 = 4096;        // f64 per slot
const FACT_STR: i32 = 8192;        // i32 intern id per slot
const FACT_START: i32 = 9216;      // i32 per slot
const FACT_END: i32 = 10240;       // i32 per slot
const TABLE: i32 = 131072;         // intern table: 8192 slots x (hash u32, offset i32, len i32, id i32)
const TABLE_SLOTS: i32 = 65536;
const ARENA: i32 = 2097152;        // interned bytes
let arenaEnd: i32 = ARENA;
let nextId: i32 = 0;
let factCount: i32 = 0;
let newStrings: i32 = 0;

let pos: i32 = 0;
let end: i32 = 0;
let strHash: u32 = 0;
let strEscaped: bool = false;
let strStart: i32 = 0;
let strEnd: i32 = 0;

@inline function byteAt(i: i32): i32 { return <i32>load<u8>(i); }

export function setFactCount(n: i32): void { factCount = n; }
export function newCount(): i32 { return newStrings; }

function skipWs(): void {
  while (pos < end) {
    const c = byteAt(pos);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pos++;
    else break;
  }
}

@inline function isHex(h: i32): bool {
  return (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
}

function str(): bool {
  pos++;
  strStart = pos;
  strEscaped = false;
  let h: u32 = 2166136261;
  while (pos < end) {
    const c = byteAt(pos);
    if (c == 0x22) { strEnd = pos; strHash = h; pos++; return true; }
    if (c == 0x5c) {
      strEscaped = true;
      pos++;
      if (pos >= end) return false;
      const e = byteAt(pos);
      if (e == 0x75) {
        if (pos + 4 >= end) return false;
        if (!isHex(byteAt(pos + 1)) || !isHex(byteAt(pos + 2)) || !isHex(byteAt(pos + 3)) || !isHex(byteAt(pos + 4))) return false;
        pos += 5;
      } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
        pos++;
      } else return false;
    } else if (c < 0x20) {
      return false;
    } else {
      h = (h ^ <u32>c) * 16777619;
      pos++;
    }
  }
  return false;
}

function digits(): i32 {
  let d = 0;
  while (pos < end) {
    const c = byteAt(pos);
    if (c < 0x30 || c > 0x39) break;
    pos++;
    d++;
  }
  return d;
}

let numValue: f64 = 0;

function num(): bool {
  const start = pos;
  let neg = false;
  if (byteAt(pos) == 0x2d) { pos++; neg = true; }
  if (pos >= end) return false;
  const c = byteAt(pos);
  let simple = true;
  if (c == 0x30) pos++;
  else if (c >= 0x31 && c <= 0x39) digits();
  else return false;
  if (pos < end && byteAt(pos) == 0x2e) { simple = false; pos++; if (digits() == 0) return false; }
  if (pos < end && (byteAt(pos) | 0x20) == 0x65) {
    simple = false;
    pos++;
    if (pos < end && (byteAt(pos) == 0x2b || byteAt(pos) == 0x2d)) pos++;
    if (digits() == 0) return false;
  }
  if (simple && pos - start <= 16) {
    let v: f64 = 0;
    for (let i = neg ? start + 1 : start; i < pos; i++) v = v * 10 + <f64>(byteAt(i) - 0x30);
    numValue = neg ? -v : v;
  } else numValue = NaN; // the caller parses these itself
  return true;
}

function word(a: i32, b: i32, c: i32, d: i32, n: i32): bool {
  if (pos + n > end) return false;
  if (byteAt(pos) != a || byteAt(pos + 1) != b || byteAt(pos + 2) != c || byteAt(pos + 3) != d) return false;
  if (n == 5 && byteAt(pos + 4) != 0x65) return false;
  pos += n;
  return true;
}

function intern(): i32 {
  if (strEscaped) return -1;
  const len = strEnd - strStart;
  let slot = <i32>(strHash & <u32>(TABLE_SLOTS - 1));
  while (true) {
    const base = TABLE + slot * 16;
    const id = load<i32>(base + 12) - 1;
    if (id < 0) break;
    if (load<u32>(base) == strHash && load<i32>(base + 8) == len) {
      const off = load<i32>(base + 4);
      let same = true;
      for (let i = 0; i < len; i++) if (load<u8>(off + i) != load<u8>(strStart + i)) { same = false; break; }
      if (same) return id;
    }
    slot = (slot + 1) & (TABLE_SLOTS - 1);
  }
  const base = TABLE + slot * 16;
  memory.copy(arenaEnd, strStart, len);
  store<u32>(base, strHash);
  store<i32>(base + 4, arenaEnd);
  store<i32>(base + 8, len);
  store<i32>(base + 12, nextId + 1);
  arenaEnd += len;
  newStrings++;
  return nextId++;
}

const FACT_INDEX: i32 = 12288;     // 256 slots x (hash u32, slot+1 i32)
export function indexFacts(): void {
  memory.fill(FACT_INDEX, 0, 256 * 8);
  for (let i = 0; i < factCount; i++) {
    const h = load<u32>(FACT_KEYS + i * 4);
    let s = <i32>(h & 255);
    while (load<i32>(FACT_INDEX + s * 8 + 4) != 0) s = (s + 1) & 255;
    store<u32>(FACT_INDEX + s * 8, h);
    store<i32>(FACT_INDEX + s * 8 + 4, i + 1);
  }
}
@inline function factSlot(pathHash: u32): i32 {
  let s = <i32>(pathHash & 255);
  while (true) {
    const v = load<i32>(FACT_INDEX + s * 8 + 4);
    if (v == 0) return -1;
    if (load<u32>(FACT_INDEX + s * 8) == pathHash) return v - 1;
    s = (s + 1) & 255;
  }
}

@inline function mix(parent: u32, key: u32): u32 { return (parent ^ (key * 0x9e3779b1)) * 16777619; }

/** One value; `path` is the hash of the key path leading to it (0 past depth 2). */
function value(depth: i32, path: u32): bool {
  if (depth > 64) return false;
  skipWs();
  if (pos >= end) return false;
  const c = byteAt(pos);
  const slot = path != 0 ? factSlot(path) : -1;
  const start = pos;
  if (c == 0x7b) {
    pos++;
    skipWs();
    if (pos < end && byteAt(pos) == 0x7d) { pos++; }
    else {
      while (true) {
        skipWs();
        if (pos >= end || byteAt(pos) != 0x22 || !str()) return false;
        const key = strHash;
        skipWs();
        if (pos >= end || byteAt(pos) != 0x3a) return false;
        pos++;
        const childPath: u32 = depth == 0 ? key : depth == 1 ? mix(path, key) : 0;
        if (!value(depth + 1, childPath)) return false;
        skipWs();
        if (pos >= end) return false;
        const d = byteAt(pos);
        pos++;
        if (d == 0x2c) continue;
        if (d != 0x7d) return false;
        break;
      }
    }
    if (slot >= 0) store<u8>(FACT_KIND + slot, 6);
  } else if (c == 0x5b) {
    pos++;
    skipWs();
    if (pos < end && byteAt(pos) == 0x5d) { pos++; }
    else {
      while (true) {
        if (!value(depth + 1, 0)) return false;
        skipWs();
        if (pos >= end) return false;
        const d = byteAt(pos);
        pos++;
        if (d == 0x2c) continue;
        if (d != 0x5d) return false;
        break;
      }
    }
    if (slot >= 0) store<u8>(FACT_KIND + slot, 6);
  } else if (c == 0x22) {
    if (!str()) return false;
    if (slot >= 0) { store<u8>(FACT_KIND + slot, 1); store<i32>(FACT_STR + slot * 4, intern()); }
  } else if (c == 0x74) { if (!word(0x74, 0x72, 0x75, 0x65, 4)) return false; if (slot >= 0) store<u8>(FACT_KIND + slot, 3); }
  else if (c == 0x66) { if (!word(0x66, 0x61, 0x6c, 0x73, 5)) return false; if (slot >= 0) store<u8>(FACT_KIND + slot, 4); }
  else if (c == 0x6e) { if (!word(0x6e, 0x75, 0x6c, 0x6c, 4)) return false; if (slot >= 0) store<u8>(FACT_KIND + slot, 5); }
  else {
    if (!num()) return false;
    if (slot >= 0) { store<u8>(FACT_KIND + slot, 2); store<f64>(FACT_NUM + slot * 8, numValue); }
  }
  if (slot >= 0) { store<i32>(FACT_START + slot * 4, start); store<i32>(FACT_END + slot * 4, pos); }
  return true;
}

export function scan(len: i32): i32 {
  memory.fill(FACT_KIND, 0, factCount);
  newStrings = 0;
  pos = INPUT;
  end = INPUT + len;
  if (!value(0, 0)) return 0;
  skipWs();
  return pos == end ? 1 : 0;
}
