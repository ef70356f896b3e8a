// The frame scanner's WebAssembly instance, set up once: its fact slots (which feed path lands in which slot), and the
// feeds' known keys defined in it from the decoder's own schema (decoder.ts schemaPaths).
import { MAX_DEPTH, schemaPaths, type SchemaRuleKind } from '../decoder';
import { FEED_FACTS, type DocFacts } from '../facts';
import { FEED_NAMES, MAX_FRAME_BYTES, type FeedName } from '../types';
import { FRAME_SCAN_WASM_BASE64 } from './frameScanWasm';
import { R_FLAG, R_LIST, R_NUM, R_NUMTEXT, R_OBJ, R_OBJNUM, R_TEXT, REQUIRED_SLOTS } from './layout';

// ----- The fact slots: what a feed's path gives, and in which slot of the scanner it lands. The first
// REQUIRED_SLOTS are the required ones (scan() checks they are present). An object fact's fields follow its own slot.

type Accessor = 'text' | 'flag' | 'number' | 'list' | 'object';
const FACT_SLOTS: ReadonlyArray<readonly [path: string, accessor: Accessor]> = [
  ['id_call', 'text'], ['active', 'flag'], ['time', 'object'], ['time.start', 'number'],
  ['answered', 'flag'], ['voicemail', 'flag'], ['internal', 'flag'], ['call_direction', 'text'],
  ['terminated_call_reason', 'text'], ['time.end', 'number'], ['time.answered', 'number'],
  ['customer_target.number', 'text'], ['duration.total', 'number'],
  ['queue', 'object'], ['queue.id', 'text'], ['queue.name', 'text'], ['queue.timestart', 'number'], ['queue.fail_reason', 'text'],
  ['queue_first', 'object'], ['queue_first.id', 'text'], ['queue_first.name', 'text'], ['queue_first.timestart', 'number'], ['queue_first.fail_reason', 'text'],
  ['queue_last', 'object'], ['queue_last.id', 'text'], ['queue_last.name', 'text'], ['queue_last.timestart', 'number'], ['queue_last.fail_reason', 'text'],
  ['agent', 'object'], ['agent.id', 'text'], ['agent.name', 'text'],
  ['agent_first', 'object'], ['agent_first.id', 'text'], ['agent_first.name', 'text'], ['agent_first.surname', 'text'], ['agent_first.answered', 'number'],
  ['agent_last', 'object'], ['agent_last.id', 'text'], ['agent_last.name', 'text'], ['agent_last.surname', 'text'], ['agent_last.answered', 'number'],
  ['ivr_first', 'object'], ['ivr_first.name', 'text'], ['ivr_first.timestamp', 'number'],
  ['ivr_last', 'object'], ['ivr_last.name', 'text'], ['ivr_last.timestamp', 'number'],
  ['agent_list', 'list'], ['agent_list_answer', 'list'], ['agent_list_no_answer', 'list'], ['queue_list', 'list'], ['ivr_list', 'list'],
];
/** What decodeFrame requires of every document, in the scanner's first slots. */
const REQUIRED_FACTS = ['id_call', 'active', 'time', 'time.start'];
export const ID_CALL = 0, ACTIVE = 1, TIME_START = 3, ANSWERED = 4, VOICEMAIL = 5, INTERNAL = 6, CALL_DIRECTION = 7;
export const TERMINATED = 8, TIME_END = 9, TIME_ANSWERED = 10, CUSTOMER_NUMBER = 11, DURATION_TOTAL = 12;
export const QUEUE = 13, QUEUE_FIRST = 18, QUEUE_LAST = 23, AGENT = 28, AGENT_FIRST = 31, AGENT_LAST = 36;
export const IVR_FIRST = 41, IVR_LAST = 44, AGENT_LIST = 47, AGENT_LIST_ANSWER = 48, AGENT_LIST_NO_ANSWER = 49, QUEUE_LIST = 50, IVR_LIST = 51;
/** The named slots above, checked against FACT_SLOTS when the module loads. */
const NAMED_SLOTS: Record<string, number> = {
  id_call: ID_CALL, active: ACTIVE, 'time.start': TIME_START, answered: ANSWERED, voicemail: VOICEMAIL,
  internal: INTERNAL, call_direction: CALL_DIRECTION, terminated_call_reason: TERMINATED, 'time.end': TIME_END,
  'time.answered': TIME_ANSWERED, 'customer_target.number': CUSTOMER_NUMBER, 'duration.total': DURATION_TOTAL,
  queue: QUEUE, queue_first: QUEUE_FIRST, queue_last: QUEUE_LAST, agent: AGENT, agent_first: AGENT_FIRST,
  agent_last: AGENT_LAST, ivr_first: IVR_FIRST, ivr_last: IVR_LAST, agent_list: AGENT_LIST,
  agent_list_answer: AGENT_LIST_ANSWER, agent_list_no_answer: AGENT_LIST_NO_ANSWER, queue_list: QUEUE_LIST, ivr_list: IVR_LIST,
};
/** The fields after an object fact's slot, in order (queueFacts, agentRefFacts, ... below read them so). */
const OBJECT_FIELDS: Record<string, readonly string[]> = {
  queue: ['id', 'name', 'timestart', 'fail_reason'], queue_first: ['id', 'name', 'timestart', 'fail_reason'],
  queue_last: ['id', 'name', 'timestart', 'fail_reason'], agent: ['id', 'name'],
  agent_first: ['id', 'name', 'surname', 'answered'], agent_last: ['id', 'name', 'surname', 'answered'],
  ivr_first: ['name', 'timestamp'], ivr_last: ['name', 'timestamp'],
};

/** The scanner's rule (layout.ts R_*) for each decoder rule. */
const RULE_CODES: Record<SchemaRuleKind, number> = {
  id: R_TEXT, text: R_TEXT, flag: R_FLAG, ts: R_NUM, num: R_NUM, numOrText: R_NUMTEXT, list: R_LIST, obj: R_OBJ, objOrNum: R_OBJNUM,
};
/** Which decoder rules give a value the fact's accessor (facts.ts) reads. */
const ACCESSOR_RULES: Record<Accessor, readonly SchemaRuleKind[]> = {
  text: ['id', 'text'], flag: ['flag'], number: ['ts', 'num'], list: ['list'], object: ['obj'],
};


/** The part of the WebAssembly API used here (the host tsconfig has no DOM lib, where its types live). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
interface ScanExports {
  memory: { buffer: ArrayBuffer };
  layout(i: number): number;
  generation(): number;
  setMaxDepth(depth: number): void;
  defineKey(node: number, len: number, rule: number, slot: number, child: number): number;
  scan(len: number, root: number): number;
}

export interface Scanner {
  exports: ScanExports;
  bytes: Uint8Array;
  ints: Int32Array;
  nums: Float64Array;
  /** Offsets (bytes / 4 or / 8 for the typed views) from layout(). */
  kind: number; num8: number; a4: number; s4: number; e4: number; items: number; input: number; gen4: number;
  /** Root node per feed; 0 when the feed's schema does not fit the facts (every frame then falls back). */
  roots: Record<FeedName, number>;
}

/** Checks the slot tables above agree with each other and with the layout. */
function checkSlots(slotCount: number): void {
  if (FACT_SLOTS.length > slotCount) throw new Error('frame scanner slots');
  if (REQUIRED_FACTS.some((path, slot) => FACT_SLOTS[slot][0] !== path) || REQUIRED_FACTS.length !== REQUIRED_SLOTS) throw new Error('required slots');
  for (const [name, slot] of Object.entries(NAMED_SLOTS)) if (FACT_SLOTS[slot]?.[0] !== name) throw new Error(`fact slot ${name}`);
  for (const [name, fields] of Object.entries(OBJECT_FIELDS)) {
    fields.forEach((field, i) => {
      if (FACT_SLOTS[NAMED_SLOTS[name] + 1 + i]?.[0] !== `${name}.${field}`) throw new Error(`fact slot ${name}.${field}`);
    });
  }
}

const RESTRICTED = new Set<string>(Object.values(FEED_FACTS).flatMap((set) => [...set]));
const SLOT_OF = new Map(FACT_SLOTS.map(([path, accessor], slot) => [path, { slot, accessor }]));

/** Whether `feed`'s documents have the fact at the top-level field `top` (FEED_FACTS, or every feed has it). */
const feedHas = (feed: FeedName, top: string): boolean => !RESTRICTED.has(top) || FEED_FACTS[feed].has(top as keyof DocFacts);

/** Defines the known keys of each feed's schema in the wasm, one node per object path. */
class KeyTable {
  private nextNode = FEED_NAMES.length + 1;

  constructor(private readonly exports: ScanExports, private readonly keyIn: number, private readonly keyMax: number) {}

  /** Defines `feed`'s keys under node `root`; false when its schema does not fit the facts (its frames fall back). */
  defineFeed(feed: FeedName, root: number): boolean {
    const bytes = new Uint8Array(this.exports.memory.buffer);
    const nodes = new Map<string, number>([['', root]]);
    const paths: Array<{ path: readonly string[]; rule: SchemaRuleKind }> = [
      // Validated before the schema runs (decodeFrame): a string or finite number, and 0/1/true/false.
      { path: ['id_call'], rule: 'id' }, { path: ['active'], rule: 'flag' }, ...schemaPaths(feed),
    ];
    let fits = true;
    const used = new Set<number>();
    for (const { path, rule } of paths) {
      const parent = nodes.get(path.slice(0, -1).join('.'));
      if (parent === undefined) throw new Error(`schema path ${path.join('.')} before its parent`);
      const dotted = path.join('.');
      let child = 0;
      if (rule === 'obj' || rule === 'objOrNum') nodes.set(dotted, (child = this.nextNode++));
      const fact = SLOT_OF.get(dotted);
      let slot = -1;
      if (fact && feedHas(feed, path[0])) {
        if (!ACCESSOR_RULES[fact.accessor].includes(rule)) fits = false;
        slot = fact.slot;
        used.add(slot);
      }
      const key = Buffer.from(path[path.length - 1], 'utf8');
      if (key.length > this.keyMax) throw new Error(`schema key ${dotted}`);
      bytes.set(key, this.keyIn);
      if (this.exports.defineKey(parent, key.length, RULE_CODES[rule], slot, child) !== 0) throw new Error(`schema key ${dotted}`);
    }
    // Every fact the feed has must be a known path with a fitting rule.
    return fits && FACT_SLOTS.every(([path], slot) => !feedHas(feed, path.split('.')[0]) || used.has(slot));
  }
}

/** A fresh instance with every known path of every feed defined. Throws on anything unexpected (caught by load). */
function createScanner(): Scanner {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('no WebAssembly');
  const exports = new api.Instance(new api.Module(Buffer.from(FRAME_SCAN_WASM_BASE64, 'base64')), {}).exports as ScanExports;
  const buffer = exports.memory.buffer;
  const [kind, num, a, s, e, keyIn, items, input, slotCount, keyMax, heapBase, pad, gen] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => exports.layout(i));
  if (heapBase > kind || pad < 16 || input + MAX_FRAME_BYTES + pad > buffer.byteLength) throw new Error('frame scanner layout');
  checkSlots(slotCount);
  exports.setMaxDepth(MAX_DEPTH);
  // id_call is interned too: a call's frames (its updates, in all three feeds) repeat it, so a lookup in the table
  // replaces decoding it again; the table stays bounded (cleared at its limit, frameScan.as.ts intern).
  const keys = new KeyTable(exports, keyIn, keyMax);
  const roots = {} as Record<FeedName, number>;
  FEED_NAMES.forEach((feed, f) => {
    roots[feed] = keys.defineFeed(feed, f + 1) ? f + 1 : 0;
  });
  return {
    exports, bytes: new Uint8Array(buffer), ints: new Int32Array(buffer), nums: new Float64Array(buffer),
    kind, num8: num / 8, a4: a / 4, s4: s / 4, e4: e / 4, items, input, gen4: gen / 4, roots,
  };
}

let scanner: Scanner | null | undefined;
/** The scanner, made on first use; null when the wasm cannot run here (every frame then goes to the decoder). */
export function load(): Scanner | null {
  if (scanner === undefined) {
    try {
      scanner = createScanner();
    } catch {
      scanner = null;
    }
  }
  return scanner;
}
