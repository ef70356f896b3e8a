// The frame scanner (src/core/scan) against its contract: for every frame f and feed, scanFacts(f, feed) is
// undefined, or deepStrictEqual to factsOf(feed, decodeFrame(f, feed).value.doc) with the decode ok and nothing
// dropped. Checked on the simulator's stream, on edited frames of every kind the decoder treats specially, on hand-
// written rejections/drops/normalisations, and the committed wasm module is checked to be what build:wasm makes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_DEPTH, decodeFrame, schemaPaths } from '../../src/core/decoder';
import { factsOf } from '../../src/core/facts';
import { frameScanAvailable, frameScanStats, resetFrameScanStats, scanFacts } from '../../src/core/scan/frameScan';
import { FEED_NAMES, MAX_FRAME_BYTES, type FeedName, type RejectReason } from '../../src/core/types';
import { generateFrames } from '../../src/simulator/generator';

const ROOT = join(__dirname, '..', '..');

/**
 * Asserts the contract for one frame; returns whether the scanner gave facts. `label` goes into the message.
 */
function check(frame: Buffer, feed: FeedName, label = ''): boolean {
  const facts = scanFacts(frame, feed);
  if (facts === undefined) return false;
  const r = decodeFrame(frame, feed);
  const where = `${label} ${feed}: ${frame.toString('utf8').slice(0, 300)}`;
  if (!r.ok) assert.fail(`scanner gave facts for a frame the decoder rejects (${r.reason}: ${r.detail}) ${where}`);
  assert.equal(r.dropped, undefined, `scanner gave facts for a frame the decoder drops ${String(r.dropped)} from: ${where}`);
  assert.deepStrictEqual(facts, factsOf(feed, r.value.doc), where);
  return true;
}

/** A deterministic PRNG (as in test/bench/factsScan.ts). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const streamFrames = (seed: number, journeys: number): Array<{ feed: FeedName; data: string }> =>
  generateFrames(seed, journeys, Date.now() - journeys * 4000, { meanGapMs: 4000 });

test('the WebAssembly scanner loads and fits every feed\'s schema', () => {
  assert.equal(frameScanAvailable(), true);
});

describe('the simulator\'s stream', () => {
  for (const seed of [7, 11, 2024]) {
    test(`seed ${seed}, 3,000 journeys: the contract holds on every frame, facts for >= 99%`, () => {
      resetFrameScanStats();
      const frames = streamFrames(seed, 3000);
      let scanned = 0;
      for (const f of frames) if (check(Buffer.from(f.data), f.feed, `seed ${seed}`)) scanned++;
      const stats = frameScanStats();
      assert.equal(stats.frames, frames.length);
      assert.equal(stats.facts, scanned);
      assert.ok(scanned >= 0.99 * frames.length, `facts for ${scanned} of ${frames.length} frames: ${JSON.stringify(stats.fallbacks)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// Edited frames.

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `path` in a parsed document (creating objects on the way), returning it. */
function setPath(doc: Json, path: readonly string[], value: unknown): Json {
  let o = doc;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(o[key])) o[key] = {};
    o = o[key] as Json;
  }
  o[path[path.length - 1]] = value;
  return doc;
}

/** Start offsets of every string token (keys and values) in JSON text. */
function stringTokens(text: string): Array<{ start: number; end: number; key: boolean }> {
  const out: Array<{ start: number; end: number; key: boolean }> = [];
  const re = /"(?:[^"\\]|\\.)*"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + m[0].length;
    out.push({ start: m.index, end, key: /^\s*:/.test(text.slice(end, end + 3)) });
  }
  return out;
}

/** Offsets just after each '{' of JSON text (outside strings): where a member can be inserted. */
function objectStarts(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') out.push(i + 1);
  }
  return out;
}

const NUMBERS = ['0', '1', '-0', '2', '-1', '12', '1.5', '1.0', '1e0', '1E2', '-2.5e-3', '1e400', '-1e400', '1e308', '1e307', '9007199254740993',
  '123456789012345', '1234567890123456', '0.0000001', '10e-1', '00', '01', '-', '1.', '.5', '+1', '1e', '0x10'];
const VALUES = ['null', 'true', 'false', '{}', '[]', '"x"', '"abc"', '""', '"  "', '"123"', '"-12.5"', '"0012"', '"1e5"', '"1.5.5"',
  '"12345678901234567890123"', '"\\u0031\\u0032"', '[1,"a",{},null,true,2.5,1e400,[]]', '{"a":1}', '[{"__proto__":1}]', ...NUMBERS];

/** Known paths of each feed with their rules, and a few the feed does not know. */
const KNOWN = Object.fromEntries(FEED_NAMES.map((feed) => [feed, schemaPaths(feed).map((p) => p.path)])) as Record<FeedName, (readonly string[])[]>;
const EXTRA_PATHS: (readonly string[])[] = [['id_call'], ['active'], ['time'], ['time', 'start'], ['queue'], ['queue', 'id'], ['agent', 'name'],
  ['ivr_first', 'name'], ['terminated_call_reason'], ['queue_list'], ['unknown_field'], ['duration', 'ring', 'first']];

type Category =
  | 'byte edits' | 'truncated' | 'numbers as ids' | 'true/false flags' | 'numeric strings' | 'escapes' | 'non-ASCII'
  | 'invalid UTF-8' | 'hostile keys' | 'duplicate keys' | 'deep nesting' | 'wrong types on known paths' | 'numbers'
  | 'list items' | 'BOM and whitespace' | 'other feed';

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** One edit of a stream frame (its text and feed) in `category`; returns the edited bytes and the feed to scan as. */
function edit(category: Category, text: string, feed: FeedName, rand: () => number): { bytes: Buffer; feed: FeedName } {
  const utf8 = (t: string): { bytes: Buffer; feed: FeedName } => ({ bytes: Buffer.from(t, 'utf8'), feed });
  const doc = (): Json => JSON.parse(text) as Json;
  const insertMember = (member: string): string => {
    const at = pick(rand, objectStarts(text));
    const empty = text[at] === '}';
    return `${text.slice(0, at)}${member}${empty ? '' : ','}${text.slice(at)}`;
  };
  switch (category) {
    case 'byte edits': {
      const b = Buffer.from(text, 'utf8');
      const alphabet = Buffer.from('{}[]",:\\ 0123456789-+.eEtrufalsnå\n\t\u0001');
      const n = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) b[Math.floor(rand() * b.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      return { bytes: b, feed };
    }
    case 'truncated': {
      const b = Buffer.from(text, 'utf8');
      return { bytes: b.subarray(0, Math.floor(rand() * b.length)), feed };
    }
    case 'numbers as ids': {
      const d = doc();
      const ids = [['id_call'], ['queue', 'id'], ['queue_first', 'id'], ['queue_last', 'id'], ['agent', 'id'], ['agent_first', 'id'],
        ['agent_last', 'id'], ['customer_target', 'number'], ['call_direction'], ['agent_last', 'name'], ['terminated_call_reason']];
      const path = pick(rand, ids);
      setPath(d, path, pick(rand, [0, 1, 42, -0, 123456789, 1.5, 1e21, -7, 2 ** 53 + 2]));
      return utf8(JSON.stringify(d).replace(/"id_call":0\b/, pick(rand, ['"id_call":0', '"id_call":-0', '"id_call":1e400', '"id_call":0.0'])));
    }
    case 'true/false flags': {
      const d = doc();
      const flags = ['active', 'answered', 'voicemail', 'internal', 'recorded', 'transfer'];
      for (const f of flags) if (rand() < 0.5) d[f] = pick(rand, [true, false, 0, 1, 2, '1', null]);
      if (rand() < 0.3) setPath(d, ['transfer_first', 'answered'], pick(rand, [true, false, 3]));
      return utf8(JSON.stringify(d));
    }
    case 'numeric strings': {
      const d = doc();
      const paths = [['time', 'start'], ['time', 'end'], ['time', 'answered'], ['duration', 'total'], ['queue', 'timestart'],
        ['queue_last', 'timestart'], ['agent_last', 'answered'], ['ivr_last', 'timestamp'], ['duration', 'ring'], ['duration', 'queue', 'first']];
      const path = pick(rand, paths);
      setPath(d, path, pick(rand, ['1699758055451', '-12', '0012', '12.5', '-0', '1e5', '12.', 'abc', '', ' 12', '123456789012345678901',
        '1234567890123456789.12345678901234567890', '9999999999999999', '0.1']));
      return utf8(JSON.stringify(d));
    }
    case 'escapes': {
      const tokens = stringTokens(text);
      const t = pick(rand, tokens);
      const inner = text.slice(t.start + 1, t.end - 1);
      if (inner.length === 0) return utf8(text);
      const i = Math.floor(rand() * inner.length);
      const code = inner.charCodeAt(i);
      const esc = pick(rand, [`\\u${code.toString(16).padStart(4, '0')}`, '\\n', '\\"', '\\\\', '\\/', '\\ud83d\\ude00', '\\ud800', '\\u0000']);
      const replaced = esc.startsWith('\\u') && esc.length === 6 ? esc : `${inner[i]}${esc}`;
      return utf8(`${text.slice(0, t.start + 1)}${inner.slice(0, i)}${replaced}${inner.slice(i + 1)}${text.slice(t.end - 1)}`);
    }
    case 'non-ASCII': {
      const tokens = stringTokens(text).filter((t) => !t.key || rand() < 0.2);
      const t = pick(rand, tokens);
      const add = pick(rand, ['å', 'Ö', '€', '😀', '\u202e', '\u2028', '\u00a0', '\ufeff', 'ｘ']);
      const at = t.start + 1 + Math.floor(rand() * (t.end - t.start - 1));
      const out = `${text.slice(0, at)}${add}${text.slice(at)}`;
      return utf8(rand() < 0.2 ? out.replace(/"id_call":"[^"]*"/, `"id_call":"${add}"`) : out);
    }
    case 'invalid UTF-8': {
      const b = Buffer.from(text, 'utf8');
      const tokens = stringTokens(text);
      const t = pick(rand, tokens);
      const at = Buffer.byteLength(text.slice(0, t.start + 1)) + (rand() < 0.5 ? 0 : 1);
      const junk = Buffer.from(pick(rand, [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]]));
      const out = Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
      if (rand() < 0.1) return { bytes: Buffer.concat([junk, b]), feed };
      return { bytes: out, feed };
    }
    case 'hostile keys': {
      const key = pick(rand, ['__proto__', 'constructor', 'prototype']);
      return utf8(insertMember(`"${key}":${pick(rand, ['1', '{}', '{"polluted":true}', 'null', '"x"', '[]'])}`));
    }
    case 'duplicate keys': {
      if (rand() < 0.5) {
        const key = pick(rand, ['active', 'id_call', 'time', 'answered', 'queue', 'agent_list', 'duration', 'agent', 'queue_last', 'x']);
        const v = pick(rand, ['0', '1', '"dup"', '{"start":1,"end":2}', '["a"]', '{"id":"7"}']);
        return utf8(rand() < 0.5 ? `${text.slice(0, -1)},"${key}":${v}}` : `{"${key}":${v},${text.slice(1)}`);
      }
      // A member of a nested object repeated inside it.
      const tokens = stringTokens(text).filter((t) => t.key);
      const t = pick(rand, tokens);
      const key = text.slice(t.start, t.end);
      const at = pick(rand, objectStarts(text));
      return utf8(`${text.slice(0, at)}${key}:${pick(rand, ['1', '"y"', 'null'])},${text.slice(at)}`.replace(/,}/g, '}'));
    }
    case 'deep nesting': {
      const depth = MAX_DEPTH - 3 + Math.floor(rand() * 6);
      const open = pick(rand, ['[', '{"a":']);
      const close = open === '[' ? ']' : '}';
      const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
      return utf8(insertMember(`"deep":${nested}`));
    }
    case 'wrong types on known paths': {
      const d = doc();
      const paths = [...KNOWN[feed], ...EXTRA_PATHS];
      const path = pick(rand, paths);
      const raw = JSON.stringify(setPath(d, path, '@@V@@'));
      return utf8(raw.replace('"@@V@@"', pick(rand, VALUES)));
    }
    case 'numbers': {
      const re = /:(-?\d+)([,}\]])/g;
      const matches = [...text.matchAll(re)];
      if (matches.length === 0) return utf8(text);
      const m = pick(rand, matches);
      const at = (m.index ?? 0) + 1;
      return utf8(`${text.slice(0, at)}${pick(rand, NUMBERS)}${text.slice(at + m[1].length)}`);
    }
    case 'list items': {
      const d = doc();
      const lists = ['agent_list', 'agent_list_answer', 'agent_list_no_answer', 'queue_list', 'ivr_list'];
      const items = ['"a"', '"Per Holm"', '1', '-0', '2.5', '1e400', 'null', 'true', '{}', '[]', '{"__proto__":1}', '"\\u00e5"', '""', '"å"'];
      const list = `[${Array.from({ length: Math.floor(rand() * 5) }, () => pick(rand, items)).join(',')}]`;
      const raw = JSON.stringify(setPath(d, [pick(rand, lists)], '@@V@@'));
      return utf8(raw.replace('"@@V@@"', list));
    }
    case 'BOM and whitespace': {
      const ws = (): string => pick(rand, ['', ' ', '\n', '\t', '\r\n', '  ']);
      const body = text.replace(/([,:{}[\]])/g, (c) => (rand() < 0.1 ? `${ws()}${c}${ws()}` : c));
      return utf8(`${pick(rand, ['', '', '\ufeff', ' ', '\u00a0', '\ufeff '])}${ws()}${body}${ws()}${pick(rand, ['', '', '\u0000', 'x', ' '])}`);
    }
    case 'other feed':
      return { bytes: Buffer.from(text, 'utf8'), feed: pick(rand, FEED_NAMES.filter((f) => f !== feed)) };
  }
}

const CATEGORIES: readonly Category[] = [
  'byte edits', 'truncated', 'numbers as ids', 'true/false flags', 'numeric strings', 'escapes', 'non-ASCII', 'invalid UTF-8',
  'hostile keys', 'duplicate keys', 'deep nesting', 'wrong types on known paths', 'numbers', 'list items', 'BOM and whitespace', 'other feed',
];
/** Categories whose edits the scanner decodes itself in some cases (so the facts side of the contract is tested). */
const SCANNED_SOMETIMES: readonly Category[] = [
  'byte edits', 'numbers as ids', 'true/false flags', 'numeric strings', 'escapes', 'non-ASCII', 'invalid UTF-8', 'duplicate keys',
  'deep nesting', 'wrong types on known paths', 'numbers', 'list items', 'BOM and whitespace', 'other feed',
];
/** Categories with edits it must always leave to the decoder in some cases. */
const FALLS_BACK_SOMETIMES: readonly Category[] = CATEGORIES;

/** FRAME_SCAN_EDITS / FRAME_SCAN_SEED run a longer or different fuzz locally (the defaults are the suite's). */
const EDITS = Number(process.env.FRAME_SCAN_EDITS ?? 24_000);
const EDIT_SEED = Number(process.env.FRAME_SCAN_SEED ?? 12345);

test(`${EDITS} edited and truncated frames: the contract holds on every one, and every kind of edit is exercised`, (t) => {
  const frames = [...streamFrames(5, 400), ...streamFrames(99, 400)];
  const rand = prng(EDIT_SEED);
  const counts = new Map<Category, { frames: number; facts: number }>(CATEGORIES.map((c) => [c, { frames: 0, facts: 0 }]));
  for (let i = 0; i < EDITS; i++) {
    const f = frames[Math.floor(rand() * frames.length)];
    const category = CATEGORIES[i % CATEGORIES.length];
    const { bytes, feed } = edit(category, f.data, f.feed, rand);
    const c = counts.get(category)!;
    c.frames++;
    if (check(bytes, feed, category)) c.facts++;
  }
  const summary = JSON.stringify(Object.fromEntries(counts));
  t.diagnostic(`frames / scanned by category: ${[...counts].map(([c, n]) => `${c} ${n.frames}/${n.facts}`).join(', ')}`);
  for (const category of CATEGORIES) {
    const c = counts.get(category)!;
    assert.ok(c.frames >= EDITS / CATEGORIES.length - 1, `${category}: ${c.frames} frames (${summary})`);
    if (SCANNED_SOMETIMES.includes(category)) assert.ok(c.facts > 0, `${category}: never scanned (${summary})`);
    if (FALLS_BACK_SOMETIMES.includes(category)) assert.ok(c.facts < c.frames, `${category}: never fell back (${summary})`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Hand-written cases.

const BASE: Record<FeedName, Json> = {
  calls: {
    id_call: 'c-1', active: 1, answered: 0, call_direction: 'incoming', time: { start: 1700000000000 }, terminated_call_reason: 'hangup',
    customer_target: { number: '0046700000000' }, duration: { total: 5, ring: { first: 1, last: 2, total: 3 } },
    queue_first: { id: '6661', name: 'Sales', timestart: 1700000000100 }, queue_last: { id: 6661, name: 'Sales', fail_reason: 'queue_pick' },
    agent_first: { id: 1, name: 'Per', surname: 'Holm', answered: 1700000000200 }, ivr_last: { name: 'Menu', timestamp: 1700000000050 },
    agent_list: ['Per Holm', 'Sara'], queue_list: ['Sales'], ivr_list: [], queue: { id: 'not a calls fact' },
  },
  queues: {
    id_call: 'q-1', active: 0, time: { start: 1700000000000, end: 1700000001000 }, queue: { id: 7, name: 'Support', timestart: 1700000000000 },
    agent_last: { id: '9', name: 'Sara', answered: 1700000000500 }, agent_list_answer: ['Sara'], terminated_call_reason: 'not a queues fact',
  },
  agents: {
    id_call: 'a-1', active: 1, internal: 1, time: { start: 1700000000000, answered: 1700000000300 }, agent: { id: '9', name: 'Sara' },
    queue: { id: '7', name: 'Support' }, on_hooked_calls: 0, agent_list_no_answer: ['Per'],
  },
};
const frameOf = (doc: Json | string): Buffer => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc), 'utf8');
const withValue = (feed: FeedName, path: readonly string[], raw: string): Buffer =>
  frameOf(JSON.stringify(setPath(structuredClone(BASE[feed]), path, '@@V@@')).replace('"@@V@@"', raw));

describe('hand-written frames', () => {
  test('the base documents are scanned, with exactly factsOf\'s facts', () => {
    for (const feed of FEED_NAMES) assert.equal(check(frameOf(BASE[feed]), feed), true, feed);
  });

  const rejections: Array<[RejectReason, FeedName, Buffer]> = [
    ['invalid_json', 'calls', frameOf('{"id_call":"x","active":1,"time":{"start":1}')],
    ['invalid_json', 'calls', frameOf('{"id_call":"x","active":1,"time":{"start":01}}')],
    ['invalid_json', 'calls', frameOf('{"id_call":"x","active":1,"time":{"start":1},}')],
    ['invalid_json', 'calls', frameOf('{"id_call":"x\u0001","active":1,"time":{"start":1}}')],
    ['invalid_json', 'calls', frameOf('')],
    ['not_an_object', 'calls', frameOf('[{"id_call":"x","active":1,"time":{"start":1}}]')],
    ['not_an_object', 'calls', frameOf('null')],
    ['not_an_object', 'queues', frameOf('"text"')],
    ['missing_id_call', 'calls', frameOf({ ...BASE.calls, id_call: undefined })],
    ['missing_id_call', 'calls', withValue('calls', ['id_call'], '"  "')],
    ['missing_id_call', 'calls', withValue('calls', ['id_call'], '"\\u00a0"')],
    ['missing_id_call', 'calls', withValue('calls', ['id_call'], '"\u2028"')],
    ['missing_id_call', 'agents', withValue('agents', ['id_call'], 'null')],
    ['missing_id_call', 'agents', withValue('agents', ['id_call'], '{}')],
    ['missing_id_call', 'agents', withValue('agents', ['id_call'], '1e400')],
    ['invalid_time_start', 'calls', withValue('calls', ['time'], '5')],
    ['invalid_time_start', 'calls', withValue('calls', ['time'], '{}')],
    ['invalid_time_start', 'queues', withValue('queues', ['time', 'start'], '"soon"')],
    ['invalid_time_start', 'queues', withValue('queues', ['time', 'start'], '1e400')],
    ['invalid_active', 'calls', withValue('calls', ['active'], '2')],
    ['invalid_active', 'agents', withValue('agents', ['active'], '"1"')],
    ['invalid_active', 'agents', frameOf({ ...BASE.agents, active: undefined })],
    ['too_deeply_nested', 'calls', withValue('calls', ['x'], `${'['.repeat(MAX_DEPTH + 1)}1${']'.repeat(MAX_DEPTH + 1)}`)],
    ['too_deeply_nested', 'queues', withValue('queues', ['queue', 'x'], `${'{"a":'.repeat(MAX_DEPTH)}1${'}'.repeat(MAX_DEPTH)}`)],
    ['frame_too_large', 'calls', frameOf({ ...BASE.calls, pad: 'x'.repeat(MAX_FRAME_BYTES) })],
  ];
  for (const [reason, feed, frame] of rejections) {
    test(`rejected (${reason}): undefined`, () => {
      const r = decodeFrame(frame, feed);
      assert.equal(r.ok ? 'ok' : r.reason, reason);
      assert.equal(scanFacts(frame, feed), undefined);
    });
  }

  test('the deepest nesting the decoder accepts is scanned', () => {
    const frame = withValue('calls', ['x'], `${'['.repeat(MAX_DEPTH)}1${']'.repeat(MAX_DEPTH)}`);
    assert.equal(decodeFrame(frame, 'calls').ok, true);
    assert.equal(check(frame, 'calls'), true);
  });

  const drops: Array<[string, FeedName, Buffer]> = [
    ['an id that is an object', 'calls', withValue('calls', ['queue_first', 'id'], '{}')],
    ['a flag of 2', 'calls', withValue('calls', ['answered'], '2')],
    ['a flag that is a string', 'agents', withValue('agents', ['internal'], '"1"')],
    ['a nested flag of true-ish text', 'calls', withValue('calls', ['transfer_first', 'answered'], '"yes"')],
    ['a timestamp that is not numeric', 'calls', withValue('calls', ['time', 'end'], '"abc"')],
    ['time.end an object', 'calls', withValue('calls', ['time', 'end'], '{}')],
    ['a known object that is a string', 'calls', withValue('calls', ['queue_first'], '"x"')],
    ['a known object that is null', 'queues', withValue('queues', ['queue'], 'null')],
    ['a known object that is an array', 'agents', withValue('agents', ['agent'], '[]')],
    ['a list that is a string', 'calls', withValue('calls', ['agent_list'], '"Per"')],
    ['duration.ring.first not numeric', 'calls', withValue('calls', ['duration', 'ring', 'first'], '"abc"')],
    ['duration.ring a string', 'calls', withValue('calls', ['duration', 'ring'], '"abc"')],
    ['a count that overflows', 'calls', withValue('calls', ['duration', 'total'], '1e400')],
    ['a text that overflows', 'calls', withValue('calls', ['call_direction'], '-1e999')],
    ['numOrText true', 'calls', withValue('calls', ['menu_digit', 'dialed_number'], 'true')],
    ['on_hooked_calls an object in agents', 'agents', withValue('agents', ['on_hooked_calls'], '{}')],
    ['__proto__ at the top', 'calls', frameOf(`{"__proto__":{"x":1},${JSON.stringify(BASE.calls).slice(1)}`)],
    ['constructor in an unknown object', 'queues', withValue('queues', ['extra'], '{"constructor":1}')],
    ['prototype in a known object', 'agents', withValue('agents', ['agent', 'prototype'], '"p"')],
  ];
  for (const [what, feed, frame] of drops) {
    test(`dropped (${what}): undefined`, () => {
      const r = decodeFrame(frame, feed);
      assert.ok(r.ok && r.dropped !== undefined, `the decoder should drop: ${JSON.stringify(r)}`);
      assert.equal(scanFacts(frame, feed), undefined);
    });
  }

  const normalised: Array<[string, FeedName, Buffer]> = [
    ['id_call a number', 'calls', withValue('calls', ['id_call'], '12345')],
    ['id_call -0', 'calls', withValue('calls', ['id_call'], '-0')],
    ['id_call 1.5e3', 'queues', withValue('queues', ['id_call'], '1.5e3')],
    ['id_call with escapes', 'agents', withValue('agents', ['id_call'], '"a\\u0062c\\n"')],
    ['active true', 'calls', withValue('calls', ['active'], 'true')],
    ['active false', 'agents', withValue('agents', ['active'], 'false')],
    ['answered -0', 'calls', withValue('calls', ['answered'], '-0')],
    ['active -0', 'calls', withValue('calls', ['active'], '-0')],
    ['a queue id number', 'queues', withValue('queues', ['queue', 'id'], '7')],
    ['a name number', 'agents', withValue('agents', ['agent', 'name'], '3.25')],
    ['time.start a numeric string', 'calls', withValue('calls', ['time', 'start'], '"1700000000000"')],
    ['time.end a numeric string with a fraction', 'calls', withValue('calls', ['time', 'end'], '"1700000000000.5"')],
    ['duration.total "-0"', 'calls', withValue('calls', ['duration', 'total'], '"-0"')],
    ['a timestamp 1.5e12', 'queues', withValue('queues', ['queue', 'timestart'], '1.5e12')],
    ['a 17-digit integer', 'queues', withValue('queues', ['time', 'end'], '12345678901234567')],
    ['list items numbers and others', 'calls', withValue('calls', ['agent_list'], '["a",1,-0,2.5,null,true,{},[],"b"]')],
    ['a list item that overflows', 'calls', withValue('calls', ['queue_list'], '["a",1e999]')],
    ['strings with escapes and non-ASCII', 'calls', withValue('calls', ['queue_last', 'name'], '"S\\u00e4lj \\"x\\" å 😀"')],
    ['an unknown field of any shape', 'agents', withValue('agents', ['extra'], '{"a":[1,{"b":null}],"c":"\\u0000"}')],
    ['a field another feed knows, of a wrong type', 'agents', withValue('agents', ['queue_first'], '"x"')],
  ];
  for (const [what, feed, frame] of normalised) {
    test(`normalised (${what}): factsOf's facts or undefined`, () => {
      const r = decodeFrame(frame, feed);
      assert.ok(r.ok && r.dropped === undefined, `the decoder should accept without drops: ${JSON.stringify(r)}`);
      check(frame, feed, what);
    });
  }

  test('the normalisations the scanner decodes itself are scanned', () => {
    assert.equal(scanFacts(withValue('calls', ['id_call'], '12345'), 'calls')?.id_call, '12345');
    assert.equal(scanFacts(withValue('calls', ['active'], 'true'), 'calls')?.active, 1);
    assert.equal(scanFacts(withValue('agents', ['active'], 'false'), 'agents')?.active, 0);
    assert.equal(scanFacts(withValue('queues', ['queue', 'id'], '7'), 'queues')?.queue?.id, '7');
    assert.equal(scanFacts(withValue('calls', ['time', 'start'], '"1700000000000"'), 'calls')?.time.start, 1700000000000);
    assert.equal(scanFacts(withValue('calls', ['time', 'end'], '"1700000000000.5"'), 'calls')?.time.end, 1700000000000.5);
    assert.equal(Object.is(scanFacts(withValue('calls', ['duration', 'total'], '"-0"'), 'calls')?.duration_total, -0), true);
    assert.deepEqual(scanFacts(withValue('calls', ['agent_list'], '["a",1,-0,2.5,null,true,{},[],"b"]'), 'calls')?.agent_list, ['a', '1', '0', '2.5', 'b']);
    assert.equal(scanFacts(withValue('calls', ['queue_last', 'name'], '"S\\u00e4lj"'), 'calls')?.queue_last?.name, 'Sälj');
    assert.equal(scanFacts(withValue('agents', ['id_call'], '"a\\u0062c"'), 'agents')?.id_call, 'abc');
  });

  test('keys in a changing order, spaced, escaped or repeated: facts stay exact (the scanner predicts key order)', () => {
    const rand = prng(5);
    const shuffled = (doc: unknown): unknown => {
      if (!isRecord(doc)) return doc;
      const entries = Object.entries(doc).map(([k, v]): [string, unknown] => [k, shuffled(v)]);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [entries[i], entries[j]] = [entries[j], entries[i]];
      }
      return Object.fromEntries(entries);
    };
    for (let i = 0; i < 600; i++) {
      for (const feed of FEED_NAMES) {
        const text = JSON.stringify(i % 3 === 0 ? BASE[feed] : shuffled(BASE[feed]));
        // Now and then a space before a colon, a key written with an escape, or a known key twice.
        const variant = i % 7 === 1 ? text.replace('"time":', '"time" :')
          : i % 7 === 3 ? text.replace('"active":', '"\\u0061ctive":')
            : i % 7 === 5 ? text.replace('"time":', '"active":0,"time":') : text;
        const scanned = check(frameOf(variant), feed, `order ${i}`);
        if (variant === text) assert.equal(scanned, true, variant);
        if (i % 7 === 3 || i % 7 === 5) assert.equal(scanned, false, variant);
      }
    }
  });

  test('what it leaves to the decoder even though nothing is dropped', () => {
    const cases: Array<[FeedName, Buffer]> = [
      ['calls', frameOf(`\ufeff${JSON.stringify(BASE.calls)}`)],
      ['calls', frameOf(`{"active":0,${JSON.stringify(BASE.calls).slice(1)}`)],
      ['calls', withValue('calls', ['answered'], '1.0')],
      ['calls', withValue('calls', ['time', 'end'], '"\\u0031"')],
      ['calls', frameOf(`{"n\\u0061me":1,${JSON.stringify(BASE.calls).slice(1)}`)],
      ['calls', withValue('calls', ['agent_list'], '[{"__proto__":1}]')],
    ];
    for (const [feed, frame] of cases) {
      const r = decodeFrame(frame, feed);
      assert.ok(r.ok && r.dropped === undefined, frame.toString());
      assert.equal(scanFacts(frame, feed), undefined, frame.toString());
    }
  });

  test('the intern table is bounded: 30,000 distinct names later, facts are still exact', () => {
    for (let i = 0; i < 30_000; i++) {
      const frame = withValue('calls', ['agent_list'], JSON.stringify([`name ${i}`, `other ${i % 97}`, 'Per Holm']));
      assert.equal(check(frame, 'calls'), true);
    }
    assert.equal(check(frameOf(BASE.calls), 'calls'), true);
  });

  test('never throws, whatever the bytes', () => {
    const rand = prng(99);
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.alloc(Math.floor(rand() * 64));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rand() * 256);
      if (i % 2 === 0) bytes.write('{"id_call":"x","active":1,"time":{"start":1}', 0);
      for (const feed of FEED_NAMES) check(bytes, feed, 'random bytes');
    }
  });
});

test('the committed frameScanWasm.ts is what npm run build:wasm makes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'frame-scan-test-'));
  try {
    const out = join(dir, 'frameScanWasm.ts');
    execFileSync(process.execPath, [join(ROOT, 'test', 'harness', 'build-wasm.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(ROOT, 'src', 'core', 'scan', 'frameScanWasm.ts'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('scanFacts: shared queue and agent objects', () => {
  const frame = (doc: unknown) => Buffer.from(JSON.stringify(doc));
  const queuesDoc = (queue: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    ({ id_call: 'sh1', active: 1, time: { start: 1_800_000_000_000 }, queue, ...extra });

  test('equal objects in different frames are one frozen object; any field that differs makes another, with its values', () => {
    const q = { id: '7', name: 'Sales', timestart: 1_800_000_001_000 };
    const a = scanFacts(frame(queuesDoc(q, { agent_first: { id: 'a1', name: 'Anna', answered: 1_800_000_002_000 } })), 'queues')!;
    const b = scanFacts(frame(queuesDoc(q, { answered: 1, agent_first: { id: 'a1', name: 'Anna', answered: 1_800_000_002_000 } })), 'queues')!;
    assert.ok(a && b);
    assert.equal(a.queue, b.queue, 'the same queue object');
    assert.equal(a.agent_first, b.agent_first, 'the same agent object');
    assert.ok(Object.isFrozen(a.queue));
    for (const [change, field] of [[{ fail_reason: 'queue_leave_abandon' }, 'fail_reason'], [{ name: 'Sales EU' }, 'name'], [{ timestart: 1_800_000_001_001 }, 'timestart'], [{ id: '8' }, 'id']] as const) {
      const c = scanFacts(frame(queuesDoc({ ...q, ...change })), 'queues')!;
      assert.notEqual(c.queue, a.queue, field);
      assert.deepEqual(c.queue, { ...a.queue, ...change }, field);
      const r = decodeFrame(frame(queuesDoc({ ...q, ...change })), 'queues');
      assert.ok(r.ok);
      assert.deepStrictEqual(c, factsOf('queues', r.value.doc), `${field}: what factsOf gives`);
    }
    const zero = scanFacts(frame(queuesDoc({ ...q, timestart: 0 })), 'queues')!;
    const minusZero = scanFacts(Buffer.from(JSON.stringify(queuesDoc({ ...q, timestart: 0 })).replace('"timestart":0', '"timestart":-0')), 'queues')!;
    assert.ok(Object.is(zero.queue!.timestart, 0));
    assert.ok(Object.is(minusZero.queue!.timestart, -0), '-0 is not taken for 0');
  });

  test('equal times and lists in different frames are one frozen object; any value that differs makes another', () => {
    const callsDoc = (over: Record<string, unknown>) =>
      ({ id_call: 'sh2', active: 1, time: { start: 1_800_000_000_000 }, agent_list: ['Anna', 'Bo'], queue_list: ['Sales'], ...over });
    const scan = (over: Record<string, unknown>, text?: (json: string) => string) => {
      const json = JSON.stringify(callsDoc(over));
      const bytes = Buffer.from(text ? text(json) : json);
      const facts = scanFacts(bytes, 'calls')!;
      const r = decodeFrame(bytes, 'calls');
      assert.ok(facts && r.ok);
      assert.deepStrictEqual(facts, factsOf('calls', r.value.doc), 'what factsOf gives');
      return facts;
    };
    const a = scan({});
    const b = scan({ answered: 1 });
    assert.equal(a.time, b.time, 'the same time object');
    assert.equal(a.agent_list, b.agent_list, 'the same agent list');
    assert.equal(a.queue_list, b.queue_list, 'the same queue list');
    assert.ok(Object.isFrozen(a.time) && Object.isFrozen(a.agent_list));
    for (const time of [{ start: 1_800_000_000_001 }, { start: 1_800_000_000_000, end: 1_800_000_009_000 }, { start: 1_800_000_000_000, answered: 1_800_000_001_000 }]) {
      const c = scan({ time });
      assert.notEqual(c.time, a.time, JSON.stringify(time));
    }
    for (const agent_list of [['Anna'], ['Anna', 'Bo', 'Cia'], ['Bo', 'Anna'], ['Anna', 'Bob']]) {
      const c = scan({ agent_list });
      assert.notEqual(c.agent_list, a.agent_list, agent_list.join());
      assert.deepEqual(c.agent_list, agent_list);
    }
    // Items that are not plain strings (a number, an escaped text) still give the decoder's list.
    assert.deepEqual(scan({ agent_list: ['Anna', 1] }).agent_list, ['Anna', '1']);
    assert.deepEqual(scan({}, (j) => j.replace('"Bo"', '"B\\u006f"')).agent_list, ['Anna', 'Bo']);
    // -0 and whole numbers keep their values (whole ones are kept unboxed, -0 as it is).
    const minusZero = scan({ duration: { total: 0 } }, (j) => j.replace('"total":0', '"total":-0'));
    assert.ok(Object.is(minusZero.duration_total, -0));
    assert.equal(scan({ duration: { total: 42 } }).duration_total, 42);
    assert.equal(scan({ duration: { total: 2.5 } }).duration_total, 2.5);
  });
});
