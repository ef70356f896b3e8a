import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntry } from '../../src/core/model';
import { RecordedEntry, TimelineBuffer } from '../../src/core/timeline';

const entry = (seq: number): TimelineEntry => ({ seq, feed: 'calls', receivedAt: seq, key: 'call', changed: [], document: { id_call: 'x', active: 1, time: { start: 0 } } as TimelineEntry['document'] });
const seqs = (b: TimelineBuffer): number[] => b.toArray().map((e) => e.seq);

test('TimelineBuffer keeps the first fifth and a ring of the latest, and trim() changes nothing a reader sees', () => {
  const b = new TimelineBuffer(10); // 2 first entries, 8 latest
  for (let i = 0; i < 1; i++) b.push(entry(i));
  b.trim();
  assert.deepEqual(seqs(b), [0]);
  for (let i = 1; i < 6; i++) b.push(entry(i));
  assert.deepEqual(seqs(b), [0, 1, 2, 3, 4, 5]);
  b.trim();
  for (let i = 6; i < 14; i++) b.push(entry(i));
  assert.deepEqual(seqs(b), [0, 1, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.equal(b.dropped, 4);
  b.trim();
  assert.deepEqual(seqs(b), [0, 1, 6, 7, 8, 9, 10, 11, 12, 13]);
  b.setCap(5);
  assert.deepEqual(seqs(b), [0, 10, 11, 12, 13]);
  assert.equal(b.dropped, 9);
});

test('TimelineBuffer: trim() of a call that ended early keeps every entry, and later late entries go on after them', () => {
  const b = new TimelineBuffer(500);
  for (let i = 0; i < 9; i++) b.push(entry(i));
  const before = b.toArray();
  b.trim();
  assert.equal(b.toArray(), before, 'the cached view is still valid: nothing changed');
  b.push(entry(9));
  b.trim();
  assert.deepEqual(seqs(b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(b.length, 10);
});

test('RecordedEntry gives back its receive time exactly: now, far from now, and not in whole milliseconds', () => {
  const now = Date.now();
  for (const at of [now, now + 1, now - 86_400_000, 0, 1_800_000_000_000, 4_102_444_800_000, now + 0.5, -5]) {
    const e = new RecordedEntry(0, {
      feed: 'calls', at, key: 'call', doc: { id_call: 'x', active: 1, time: { start: 0 } } as TimelineEntry['document'],
      slab: undefined, off: 0, len: 0,
    });
    assert.ok(Object.is(e.receivedAt, at), `${at}`);
  }
});
