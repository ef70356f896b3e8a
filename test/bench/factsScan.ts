// `npm run bench:facts-scan`: what reading a frame's facts in WebAssembly costs, against `toString` + `JSON.parse`
// and today's decoder, on the benchmark's stream. A research diagnostic for the ingest ratio (README, Performance),
// not product code: the scanner is test/bench/wasm/scanFacts.ts (AssemblyScript, built into scanFacts.wasm).
// Before timing anything it checks the scanner against JSON.parse: every fact of every frame of the stream, and
// accept/reject on 20,000 frames with random edits and cuts; any difference exits 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrame } from '../../src/core/decoder';
import type { FeedName } from '../../src/core/types';
import { benchFrames } from './frames';
import { printAlternatingRounds } from './stats';

const JOURNEYS = 12_000;
const ROUNDS = 7;
const MUTATED = 20_000;
/** The key paths the store and the tree read (see the facts list in the README's plan). */
const PATHS = [
  'id_call', 'active', 'answered', 'call_direction', 'internal', 'voicemail', 'terminated_call_reason',
  'time.start', 'time.end', 'time.answered', 'customer_target.number',
  'queue.id', 'queue.name', 'queue.timestart', 'queue.fail_reason', 'agent.id', 'agent.name',
  'queue_first.id', 'queue_last.id', 'queue_last.name', 'queue_last.timestart', 'queue_last.fail_reason',
  'agent_first.id', 'agent_last.id', 'agent_last.name', 'agent_last.surname', 'agent_last.answered',
  'agent_list', 'queue_list', 'duration.total', 'ivr_last.name',
];
// The scanner's memory layout (scanFacts.ts).
const INPUT = 65536;
const FACT_KEYS = 1024;
const FACT_KIND = 2048;
const FACT_NUM = 4096;
const FACT_STR = 8192;
const FACT_START = 9216;
const FACT_END = 10240;
const KIND = { none: 0, string: 1, number: 2, true: 3, false: 4, null: 5, container: 6 } as const;

/** The part of the WebAssembly API used here (the host tsconfig has no DOM lib, where its types live). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface ScannerExports {
  memory: { buffer: ArrayBuffer };
  scan(len: number): number;
  setFactCount(n: number): void;
  indexFacts(): void;
}

/** FNV-1a over UTF-8 bytes and the path mix, as in scanFacts.ts. */
const fnv = (text: string): number => {
  let h = 2166136261;
  for (const b of Buffer.from(text)) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
};
const mix = (parent: number, key: number): number => Math.imul((parent ^ Math.imul(key, 0x9e3779b1)) >>> 0, 16777619) >>> 0;

class FactScanner {
  private readonly exports: ScannerExports;
  private readonly bytes: Uint8Array;
  private readonly ints: Int32Array;
  private readonly numbers: Float64Array;
  private readonly strings: string[] = [];
  /** The latest frame's facts, by PATHS index: a string, a number, or a KIND for the other kinds. */
  readonly values: unknown[] = new Array<unknown>(PATHS.length);

  constructor(wasm: Buffer) {
    this.exports = new wasmApi.Instance(new wasmApi.Module(wasm), {}).exports as ScannerExports;
    const buffer = this.exports.memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.ints = new Int32Array(buffer);
    this.numbers = new Float64Array(buffer);
    const keys = new Uint32Array(buffer);
    PATHS.forEach((path, i) => {
      const [a, b] = path.split('.');
      keys[FACT_KEYS / 4 + i] = b === undefined ? fnv(a) : mix(fnv(a), fnv(b));
    });
    this.exports.setFactCount(PATHS.length);
    this.exports.indexFacts();
  }

  /** Validates `frame` and reads its facts into `values`; false when it is not JSON. */
  read(frame: Buffer): boolean {
    if (INPUT + frame.length > this.bytes.length) return false; // the prototype's memory holds frames up to ~15 MB
    this.bytes.set(frame, INPUT);
    if (this.exports.scan(frame.length) !== 1) return false;
    for (let i = 0; i < PATHS.length; i++) {
      const kind = this.bytes[FACT_KIND + i];
      if (kind === KIND.string) {
        const start = this.ints[FACT_START / 4 + i] - INPUT;
        const end = this.ints[FACT_END / 4 + i] - INPUT;
        const id = this.ints[FACT_STR / 4 + i];
        // A string with escapes is not interned: JSON.parse reads that one value.
        this.values[i] = id < 0 ? JSON.parse(frame.toString('utf8', start, end)) : (this.strings[id] ??= frame.toString('utf8', start + 1, end - 1));
      } else if (kind === KIND.number) {
        const n = this.numbers[FACT_NUM / 8 + i];
        this.values[i] = Number.isNaN(n) ? JSON.parse(frame.toString('latin1', this.ints[FACT_START / 4 + i] - INPUT, this.ints[FACT_END / 4 + i] - INPUT)) : n;
      } else {
        this.values[i] = kind === KIND.none ? undefined : kind;
      }
    }
    return true;
  }

  get interned(): number {
    return this.strings.length;
  }
}

/** What the scanner should report for one path of a parsed document. */
function expected(doc: Record<string, unknown>, path: string): unknown {
  const [a, b] = path.split('.');
  const top = doc[a];
  const v = b === undefined ? top : typeof top === 'object' && top !== null && !Array.isArray(top) ? (top as Record<string, unknown>)[b] : undefined;
  if (v === undefined) return undefined;
  if (v === true) return KIND.true;
  if (v === false) return KIND.false;
  if (v === null) return KIND.null;
  return typeof v === 'object' ? KIND.container : v;
}

function jsonAccepts(frame: Buffer): boolean {
  try {
    JSON.parse(frame.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const scanner = new FactScanner(readFileSync(join(__dirname, 'wasm', 'scanFacts.wasm')));
const frames: Array<{ feed: FeedName; bytes: Buffer }> = benchFrames(JOURNEYS).map((f) => ({ feed: f.feed, bytes: Buffer.from(f.data) }));
const problems: string[] = [];

for (const f of frames) {
  if (!scanner.read(f.bytes)) {
    problems.push(`rejected a frame JSON.parse accepts: ${f.bytes.toString().slice(0, 80)}`);
    continue;
  }
  const doc = JSON.parse(f.bytes.toString('utf8')) as Record<string, unknown>;
  PATHS.forEach((path, i) => {
    if (scanner.values[i] !== expected(doc, path)) problems.push(`${path}: ${String(scanner.values[i])} instead of ${String(expected(doc, path))}`);
  });
}
let seed = 7;
const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const alphabet = Buffer.from('{}[]",:\\ 0123456789-+.eEtrufalsnå\n');
let rejected = 0;
for (let i = 0; i < MUTATED; i++) {
  const edited = Buffer.from(frames[i % frames.length].bytes);
  for (let k = 0; k < i % 3; k++) edited[Math.floor(random() * edited.length)] = alphabet[Math.floor(random() * alphabet.length)];
  const frame = i % 7 === 0 ? edited.subarray(0, Math.floor(random() * edited.length)) : edited;
  const accepts = jsonAccepts(frame);
  if (!accepts) rejected++;
  if (scanner.read(frame) !== accepts) problems.push(`accept/reject differs from JSON.parse on: ${frame.toString().slice(0, 80)}`);
}
if (problems.length > 0) {
  console.error(`the scanner disagrees with JSON.parse (${problems.length}): ${problems.slice(0, 5).join(' | ')}`);
  process.exit(1);
}
console.log(`Checked: ${PATHS.length} facts of each of ${frames.length} frames equal JSON.parse's; accept/reject equal on ${MUTATED} edited frames (${rejected} rejected). ${scanner.interned} distinct strings interned.`);

let sink = 0;
const RUNNERS: Record<string, () => void> = {
  'toString + JSON.parse': () => {
    for (const f of frames) sink += (JSON.parse(f.bytes.toString('utf8')) as { active: number }).active;
  },
  'decodeFrame (today)': () => {
    for (const f of frames) if (decodeFrame(f.bytes, f.feed).ok) sink++;
  },
  [`wasm scan + ${PATHS.length} facts`]: () => {
    for (const f of frames) if (scanner.read(f.bytes)) sink++;
  },
};
printAlternatingRounds(RUNNERS, frames.length, ROUNDS);
if (sink < 0) console.log('unreachable');
