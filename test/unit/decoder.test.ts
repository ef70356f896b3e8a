import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DETAIL_MAX, MAX_DEPTH, decodeFrame } from '../../src/core/decoder';
import { MAX_FRAME_BYTES, REJECT_REASONS, type DecodeResult, type FeedName, type RejectReason } from '../../src/core/types';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixtureText = (feed: FeedName): string => readFileSync(join(FIXTURES, `${feed}.json`), 'utf8');

/** Every leaf of a parsed JSON value as [dotted path, value]. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null) return [[prefix, value]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function get(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], root);
}

function ok(result: DecodeResult): Record<string, unknown> {
  if (!result.ok) assert.fail(`expected a document, got ${result.reason}: ${result.detail}`);
  return result.value.doc as Record<string, unknown>;
}

function rejected(result: DecodeResult, reason: RejectReason): void {
  assert.equal(result.ok, false, 'expected a rejection');
  if (result.ok) return;
  assert.equal(result.reason, reason, result.detail);
  assert.ok(result.detail.length > 0 && result.detail.length <= DETAIL_MAX + 1, `detail too long: ${result.detail.length}`);
}

const base = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id_call: 'c-1', active: 1, time: { start: 1_700_000_000_000 }, ...extra,
});
const frame = (o: unknown): string => JSON.stringify(o);

describe('decodeFrame: playbook examples', () => {
  for (const feed of ['calls', 'queues', 'agents'] as const) {
    test(`${feed}.json decodes without loss (every leaf, ids as strings)`, () => {
      const text = fixtureText(feed);
      const expected = JSON.parse(text) as unknown;
      const doc = ok(decodeFrame(text, feed));
      const expectedLeaves = leaves(expected);
      assert.ok(expectedLeaves.length > 15);
      for (const [path, value] of expectedLeaves) {
        const isId = path === 'id_call' || path.endsWith('.id');
        assert.equal(get(doc, path), isId ? String(value) : value, path);
      }
      assert.deepEqual(leaves(doc).map(([p]) => p).sort(), expectedLeaves.map(([p]) => p).sort(), 'no leaf added or lost');
    });

    test(`${feed}.json decodes the same from a Buffer, an ArrayBuffer and Buffer fragments`, () => {
      const text = fixtureText(feed);
      const want = ok(decodeFrame(text, feed));
      const buf = Buffer.from(text, 'utf8');
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      const parts = [buf.subarray(0, 7), buf.subarray(7, 100), buf.subarray(100)];
      for (const raw of [buf, ab, parts]) assert.deepEqual(ok(decodeFrame(raw, feed)), want);
    });
  }

  test('ids become strings wherever the playbook puts them', () => {
    const calls = ok(decodeFrame(fixtureText('calls'), 'calls'));
    for (const p of ['ivr_first.id', 'ivr_last.id', 'queue_first.id', 'queue_last.id', 'agent_first.id', 'agent_last.id', 'customer_telavox.id']) {
      assert.equal(typeof get(calls, p), 'string', p);
    }
    const queues = ok(decodeFrame(fixtureText('queues'), 'queues'));
    for (const p of ['queue.id', 'ivr.id', 'agent_first.id', 'agent_last.id']) assert.equal(typeof get(queues, p), 'string', p);
    const agents = ok(decodeFrame(fixtureText('agents'), 'agents'));
    for (const p of ['agent.id', 'queue.id', 'ivr.id']) assert.equal(typeof get(agents, p), 'string', p);
  });

  test('the two slips in the field descriptions, fixed by hand, decode too', () => {
    // "total": 45 lacked a comma in the duration description; an agent_last example had a trailing comma.
    const duration = { queue: { first: 10, last: 10, total: 20 }, ring: { first: 10, last: 10, total: 20 }, talk: { first: 10, last: 10, total: 20 }, total: 45, wait_time: 26, hold: 5 };
    const agentLast = { id: 6666, name: 'Agent Name B', phone: '004599999992', answered: 1699758071921 };
    const doc = ok(decodeFrame(frame(base({ duration, agent_last: agentLast })), 'calls'));
    assert.deepEqual(doc.duration, duration);
    assert.deepEqual(doc.agent_last, { ...agentLast, id: '6666' });
  });

  test("frame: the frame's exact bytes, so equal frames give equal bytes and one byte more does not", () => {
    const a = decodeFrame(frame(base()), 'calls');
    const b = decodeFrame(frame(base()), 'calls');
    const c = decodeFrame(frame(base({ x: 1 })), 'calls');
    assert.ok(a.ok && b.ok && c.ok);
    assert.ok(a.value.frame && b.value.frame && c.value.frame);
    assert.equal(a.value.frame.toString('utf8'), frame(base()));
    assert.ok(a.value.frame.equals(b.value.frame));
    assert.ok(!a.value.frame.equals(c.value.frame));
  });

  test('frame: a copy of the received bytes, not a view into them (a socket reuses its read buffer)', () => {
    const text = frame(base({ name: 'Åsa Ödegård' }));
    const chunk = Buffer.from(`xx${text}yy`);
    const received = chunk.subarray(2, 2 + Buffer.byteLength(text));
    const decoded = decodeFrame(received, 'calls');
    assert.ok(decoded.ok && decoded.value.frame);
    chunk.fill(0);
    assert.equal(decoded.value.frame.toString('utf8'), text);
    const parts = decodeFrame([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))], 'calls');
    assert.ok(parts.ok && parts.value.frame);
    assert.equal(parts.value.frame.toString('utf8'), text);
  });
});

describe('decodeFrame: normalisation', () => {
  test('top-level flags 0/1/true/false -> 0|1 on every feed', () => {
    for (const feed of ['calls', 'queues', 'agents'] as const) {
      const doc = ok(decodeFrame(frame(base({ active: true, answered: false, voicemail: true, recorded: 0, internal: 1, transfer: true })), feed));
      assert.deepEqual([doc.active, doc.answered, doc.voicemail, doc.recorded, doc.internal, doc.transfer], [1, 0, 1, 0, 1, 1], feed);
    }
  });

  test('answered inside agent objects and time.answered stay timestamps; transfer_*.answered is a flag', () => {
    const doc = ok(decodeFrame(frame(base({
      agent_first: { id: 1, answered: 1699758071921 }, agent_last: { id: '2', answered: 1699758071999 },
      transfer_first: { type: 'blind', answered: true }, transfer_last: { type: 'attended', answered: 0 },
    })), 'calls'));
    assert.equal(get(doc, 'agent_first.answered'), 1699758071921);
    assert.equal(get(doc, 'agent_last.answered'), 1699758071999);
    assert.equal(get(doc, 'transfer_first.answered'), 1);
    assert.equal(get(doc, 'transfer_last.answered'), 0);
    const agent = ok(decodeFrame(frame(base({ time: { start: 1, answered: 1697795907796 }, agent: { id: 39940 } })), 'agents'));
    assert.equal(get(agent, 'time.answered'), 1697795907796);
    assert.equal(get(agent, 'agent.id'), '39940');
  });

  test('ids given as numbers or strings compare equal after decoding', () => {
    const a = ok(decodeFrame(frame(base({ id_call: 42, queue: { id: 6667, timestart: 5 } })), 'queues'));
    const b = ok(decodeFrame(frame(base({ id_call: '42', queue: { id: '6667', timestart: 5 } })), 'queues'));
    assert.equal(a.id_call, '42');
    assert.deepEqual(a.queue, b.queue);
  });

  test('unknown extra fields are kept at every level; unseen reason values are kept as strings', () => {
    const doc = ok(decodeFrame(frame(base({
      brand_new: { nested: [1, { deep: 'x' }] }, terminated_call_reason: 'reason_from_the_future',
      queue_last: { id: 1, fail_reason: 'queue_leave_by_teleport', colour: 'blue' },
    })), 'calls'));
    assert.deepEqual(doc.brand_new, { nested: [1, { deep: 'x' }] });
    assert.equal(doc.terminated_call_reason, 'reason_from_the_future');
    assert.equal(get(doc, 'queue_last.fail_reason'), 'queue_leave_by_teleport');
    assert.equal(get(doc, 'queue_last.colour'), 'blue');
  });

  test('absent conditional objects are fine: the smallest valid document', () => {
    const doc = ok(decodeFrame(frame(base()), 'calls'));
    assert.deepEqual(doc, base());
  });

  test('time.start as a plain numeric string is accepted and becomes a number', () => {
    const doc = ok(decodeFrame(frame(base({ time: { start: '1699758055451', end: '1699758100859' } })), 'calls'));
    assert.deepEqual(doc.time, { start: 1699758055451, end: 1699758100859 });
  });

  test('optional fields of the wrong type are dropped (and listed), never passed on', () => {
    const result = decodeFrame(frame(base({
      answered: 'yes', voicemail: 2, call_direction: { x: 1 }, queue_last: 'Queue A', agent_first: null,
      duration: { total: 'long', ring: { first: 'x', last: 3 } }, agent_list: ['A', 7, null, { n: 1 }, 'B'],
      customer_target: { number: 46701234 }, time: { start: 1, end: 'later' }, menu_digit: { dialed_number: [1] },
    })), 'calls');
    const doc = ok(result);
    for (const k of ['answered', 'voicemail', 'call_direction', 'queue_last', 'agent_first']) assert.equal(k in doc, false, k);
    assert.deepEqual(doc.duration, { ring: { last: 3 } });
    assert.deepEqual(doc.agent_list, ['A', '7', 'B']);
    assert.equal(get(doc, 'customer_target.number'), '46701234');
    assert.deepEqual(doc.time, { start: 1 });
    assert.deepEqual(doc.menu_digit, {});
    assert.ok(result.ok && result.dropped?.includes('queue_last') && result.dropped.includes('duration.total'));
  });

  test('on_hooked_calls is an object in calls/queues and a number in agents', () => {
    const hooked = { no_wait_request: 3, answer_wait_request: 5, customer_no_answer: 2 };
    assert.deepEqual(ok(decodeFrame(frame(base({ on_hooked_calls: hooked })), 'queues')).on_hooked_calls, hooked);
    assert.equal(ok(decodeFrame(frame(base({ on_hooked_calls: 1 })), 'agents')).on_hooked_calls, 1);
    assert.equal('on_hooked_calls' in ok(decodeFrame(frame(base({ on_hooked_calls: hooked })), 'agents')), false);
  });
});

describe('decodeFrame: prototype pollution', () => {
  const hostile = [
    '{"id_call":"p","active":1,"time":{"start":1},"__proto__":{"polluted":"yes"}}',
    '{"id_call":"p","active":1,"time":{"start":1,"__proto__":{"polluted":"yes"}}}',
    '{"id_call":"p","active":1,"time":{"start":1},"queue_last":{"id":1,"__proto__":{"polluted":"yes"}}}',
    '{"id_call":"p","active":1,"time":{"start":1},"extra":{"a":[{"__proto__":{"polluted":"yes"}}]}}',
    '{"id_call":"p","active":1,"time":{"start":1},"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"id_call":"p","active":1,"time":{"start":1},"\\u005f_proto__":{"polluted":"yes"}}',
  ];
  for (const [i, text] of hostile.entries()) {
    test(`hostile key case ${i + 1} pollutes nothing and is removed`, () => {
      const result = decodeFrame(text, 'calls');
      const doc = ok(result);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      assert.equal(Object.getPrototypeOf(doc), Object.prototype);
      assert.equal(Object.getPrototypeOf(doc.time), Object.prototype);
      assert.equal(JSON.stringify(doc).includes('polluted'), false, 'hostile subtree dropped');
      // Copying the decoded document with assignment cannot reach a prototype either.
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(doc)) copy[k] = v;
      assert.equal(Object.getPrototypeOf(copy), Object.prototype);
      assert.ok(result.ok && (result.dropped?.length ?? 0) > 0);
    });
  }
});

describe('decodeFrame: a polluted Object.prototype in the host', () => {
  test('keys inherited from Object.prototype are not walked, copied or reported as dropped', () => {
    // Another extension in the same host could have done this; the walk must see only the frame's own keys.
    const proto = Object.prototype as Record<string, unknown>;
    proto.voicemail = true;
    proto.answered = 'yes';
    proto.queue_last = { id: 1, name: 'Injected' };
    try {
      const result = decodeFrame(frame(base()), 'calls');
      const doc = ok(result) as unknown as Record<string, unknown>;
      for (const key of ['voicemail', 'answered', 'queue_last']) {
        assert.equal(Object.prototype.hasOwnProperty.call(doc, key), false, `${key} was not in the frame`);
      }
      assert.ok(result.ok && result.dropped === undefined, 'nothing of the frame was dropped');
    } finally {
      delete proto.voicemail;
      delete proto.answered;
      delete proto.queue_last;
    }
  });
});

describe('decodeFrame: bad frames and hostile text', () => {
  const big = 'x'.repeat(MAX_FRAME_BYTES);
  const cases: [string, string | Buffer | ArrayBuffer | Buffer[], RejectReason][] = [
    ['empty frame', '', 'invalid_json'],
    ['not JSON', 'hello', 'invalid_json'],
    ['truncated', '{"id_call":"a",', 'invalid_json'],
    ['trailing comma', '{"id_call":"a","active":1,"time":{"start":1},}', 'invalid_json'],
    ['invalid UTF-8 bytes', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'invalid_json'],
    ['array', '[1,2]', 'not_an_object'],
    ['null', 'null', 'not_an_object'],
    ['number', '42', 'not_an_object'],
    ['string', '"text"', 'not_an_object'],
    ['boolean', 'true', 'not_an_object'],
    ['no id_call', frame({ active: 1, time: { start: 1 } }), 'missing_id_call'],
    ['empty id_call', frame(base({ id_call: '' })), 'missing_id_call'],
    ['blank id_call', frame(base({ id_call: '   ' })), 'missing_id_call'],
    ['null id_call', frame(base({ id_call: null })), 'missing_id_call'],
    ['object id_call', frame(base({ id_call: { a: 1 } })), 'missing_id_call'],
    ['no time', frame({ id_call: 'a', active: 1 }), 'invalid_time_start'],
    ['time not an object', frame(base({ time: 5 })), 'invalid_time_start'],
    ['time.start missing', frame(base({ time: { end: 5 } })), 'invalid_time_start'],
    ['time.start text', frame(base({ time: { start: 'soon' } })), 'invalid_time_start'],
    ['time.start null', frame(base({ time: { start: null } })), 'invalid_time_start'],
    ['time.start infinite', '{"id_call":"a","active":1,"time":{"start":1e400}}', 'invalid_time_start'],
    ['no active', frame({ id_call: 'a', time: { start: 1 } }), 'invalid_active'],
    ['active 2', frame(base({ active: 2 })), 'invalid_active'],
    ['active "yes"', frame(base({ active: 'yes' })), 'invalid_active'],
    ['active null', frame(base({ active: null })), 'invalid_active'],
    ['too large string', `{"id_call":"a","active":1,"time":{"start":1},"pad":"${big}"}`, 'frame_too_large'],
    ['too large and not JSON (size is checked first)', `${big}x`, 'frame_too_large'],
    ['too large in fragments', [Buffer.alloc(MAX_FRAME_BYTES / 2, 0x20), Buffer.alloc(MAX_FRAME_BYTES / 2 + 1, 0x20)], 'frame_too_large'],
    ['too deeply nested', `{"id_call":"a","active":1,"time":{"start":1},"x":${'['.repeat(MAX_DEPTH + 5)}${']'.repeat(MAX_DEPTH + 5)}}`, 'too_deeply_nested'],
  ];
  for (const [name, raw, reason] of cases) {
    test(`rejects ${name} as ${reason}`, () => rejected(decodeFrame(raw, 'calls'), reason));
  }

  test('the corpus covers every rejection reason', () => {
    assert.deepEqual([...new Set(cases.map((c) => c[2]))].sort(), [...REJECT_REASONS].sort());
  });

  test('the size bound counts bytes, not characters', () => {
    const text = (n: number): string => frame(base({ name: 'é'.repeat(n) })); // 2 bytes per character
    const limit = 200;
    const fits = text(60);
    assert.ok(Buffer.byteLength(fits) <= limit);
    ok(decodeFrame(fits, 'calls', limit));
    const over = text(100);
    assert.ok(over.length <= limit && Buffer.byteLength(over) > limit);
    rejected(decodeFrame(over, 'calls', limit), 'frame_too_large');
  });

  test('detail never echoes a big frame', () => {
    const huge = `{"id_call":"a", ${'"k":"v",'.repeat(100_000)} oops}`;
    const result = decodeFrame(huge, 'calls');
    rejected(result, 'invalid_json');
    assert.ok(!result.ok && result.detail.length <= DETAIL_MAX + 1);
  });

  test('an unsupported frame type is rejected, not thrown', () => {
    rejected(decodeFrame(123 as unknown as string, 'calls'), 'invalid_json');
    rejected(decodeFrame([Buffer.from('{}'), 'x'] as unknown as Buffer[], 'calls'), 'invalid_json');
  });

  const hostileNames = [
    '<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>', '\u202Eevil\u202C', 'n'.repeat(10_240),
    '"quoted" & \'single\'', '\u0000nul',
  ];
  for (const name of hostileNames) {
    test(`hostile text is kept as sent (views escape it): ${JSON.stringify(name.slice(0, 24))}`, () => {
      const doc = ok(decodeFrame(frame(base({
        customer_telavox: { id: 1, name }, agent_first: { id: 2, name }, queue_last: { id: 3, name }, agent_list: [name],
      })), 'calls'));
      assert.equal(get(doc, 'customer_telavox.name'), name);
      assert.equal(get(doc, 'agent_first.name'), name);
      assert.equal(get(doc, 'queue_last.name'), name);
      assert.deepEqual(doc.agent_list, [name]);
    });
  }

  test('never throws on mangled playbook frames (deterministic fuzz)', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const feeds = ['calls', 'queues', 'agents'] as const;
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const feed = feeds[i % 3];
      let text = fixtureText(feed);
      const op = rnd(4);
      if (op === 0) text = text.slice(0, rnd(text.length));
      else if (op === 1) {
        const at = rnd(text.length);
        text = text.slice(0, at) + String.fromCharCode(rnd(0x3000)) + text.slice(at + 1);
      } else if (op === 2) {
        const at = rnd(text.length);
        text = text.slice(0, at) + text.slice(at + 1 + rnd(20));
      } else {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const keys = Object.keys(parsed);
        const junk = [null, [], {}, 'x', -1, true, 1e308, { __proto__: 1 }];
        parsed[keys[rnd(keys.length)]] = junk[rnd(junk.length)];
        text = JSON.stringify(parsed);
      }
      const result = decodeFrame(text, feed);
      const key = result.ok ? 'ok' : result.reason;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!result.ok) assert.ok(REJECT_REASONS.includes(result.reason));
      else JSON.stringify(result.value.doc);
    }
    assert.ok((counts.get('ok') ?? 0) > 100 && (counts.get('invalid_json') ?? 0) > 100, JSON.stringify([...counts]));
  });
});
