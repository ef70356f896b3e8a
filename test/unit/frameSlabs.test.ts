import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameRef, FrameSlabs, SLAB_BYTES, WHOLE_SLAB, packPlace, placeLen, placeOff, sameBytes, type KeptFrame } from '../../src/core/frameSlabs';
import { RecordedEntry } from '../../src/core/timeline';

const bytes = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);
const read = (k: KeptFrame): Buffer => (k.slab as Buffer).subarray(k.off, k.off + k.len);

test('FrameSlabs copies frames one after another into a slab, and starts a new slab when one does not fit', () => {
  const slabs = new FrameSlabs(100);
  const kept: FrameRef[] = [];
  for (let i = 0; i < 5; i++) kept.push(slabs.keep(bytes(30, 0x41 + i)));
  // 30 + 30 + 30 fit in 100; the fourth starts a second slab.
  assert.equal(kept[0].slab, kept[2].slab);
  assert.deepEqual(kept.slice(0, 3).map((k) => k.off), [0, 30, 60]);
  assert.notEqual(kept[3].slab, kept[0].slab);
  assert.deepEqual(kept.slice(3).map((k) => k.off), [0, 30]);
  kept.forEach((k, i) => assert.ok(read(k).equals(bytes(30, 0x41 + i)), `frame ${i} is intact`));
});

test('FrameSlabs gives a frame larger than half a slab a buffer of its own, and later frames do not overwrite it', () => {
  const slabs = new FrameSlabs(100);
  const small = slabs.keep(bytes(10, 0x61));
  const big = slabs.keep(bytes(80, 0x62));
  assert.notEqual(big.slab, small.slab);
  assert.equal(big.off, 0);
  assert.equal(big.slab.length, 80);
  const after = slabs.keep(bytes(20, 0x63));
  assert.equal(after.slab, small.slab, 'the slab being filled goes on after the large frame');
  assert.equal(after.off, 10);
  assert.ok(read(big).equals(bytes(80, 0x62)));
  assert.ok(read(small).equals(bytes(10, 0x61)));
  assert.ok(read(after).equals(bytes(20, 0x63)));
});

test('FrameSlabs keeps a copy: the source buffer can be reused (a socket reads its next chunk into it)', () => {
  const slabs = new FrameSlabs();
  const source = Buffer.from('{"id_call":"a"}');
  slabs.copy(source);
  const at = { slab: slabs.slab, off: slabs.offset, len: source.length };
  source.fill(0x20);
  assert.equal(read(at).toString(), '{"id_call":"a"}');
});

test('sameBytes: equal bytes only, of the same length, and never for a kept document without bytes', () => {
  const slabs = new FrameSlabs(64);
  slabs.keep(bytes(7, 0x30)); // something before, so the offset is not 0
  const k = slabs.keep(Buffer.from('abcdef'));
  assert.ok(sameBytes(k, Buffer.from('abcdef')));
  assert.ok(!sameBytes(k, Buffer.from('abcdeg')));
  assert.ok(!sameBytes(k, Buffer.from('abcde')));
  assert.ok(!sameBytes(k, Buffer.from('abcdefg')));
  assert.ok(sameBytes(FrameRef.whole(Buffer.from('xy')), Buffer.from('xy')));
  assert.ok(!sameBytes({ slab: undefined, off: 0, len: 0 }, Buffer.alloc(0)));
});

test('packPlace: a whole buffer, a slab place, and a place too large to pack; an entry keeps each one readable', () => {
  const slab = Buffer.alloc(SLAB_BYTES);
  assert.equal(packPlace(slab, 0, slab.length), WHOLE_SLAB);
  for (const [off, len] of [[0, 1], [1, 0], [900, 906], [SLAB_BYTES - 8192, 8192], [SLAB_BYTES - 1, 1]]) {
    const place = packPlace(slab, off, len);
    assert.ok(place !== undefined && place >= 0, `${off}+${len}`);
    assert.equal(placeOff(place), off);
    assert.equal(placeLen(slab, place), len);
  }
  const big = Buffer.alloc(1 << 17);
  assert.equal(packPlace(big, 1 << 16, 10), undefined, 'an offset past the packed range');
  assert.equal(packPlace(big, 0, 1 << 16), undefined, 'a length past the packed range');
  // A timeline entry given a place that does not pack keeps a copy of the bytes, and reads the same document.
  const text = JSON.stringify({ id_call: 'p1', active: 1, time: { start: 1 } });
  big.write(text, 1 << 16);
  const e = new RecordedEntry(0, { feed: 'calls', at: 1, key: 'call', doc: undefined, slab: big, off: 1 << 16, len: Buffer.byteLength(text) });
  assert.equal(e.off, 0);
  assert.equal(e.len, Buffer.byteLength(text));
  assert.notEqual(e.slab, big);
  assert.deepEqual(e.document, JSON.parse(text));
  assert.ok(sameBytes(e, Buffer.from(text)));
  // A packed one reads its bytes in place.
  slab.write(text, 100);
  const f = new RecordedEntry(1, { feed: 'calls', at: 2, key: 'call', doc: undefined, slab, off: 100, len: Buffer.byteLength(text) }, e);
  assert.equal(f.slab, slab);
  assert.equal(f.off, 100);
  assert.deepEqual(f.document, JSON.parse(text));
  assert.deepEqual(f.changed, [], 'the same document as the previous one');
});
