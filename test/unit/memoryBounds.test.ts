// The store's memory bounds: active calls by count (the oldest by last document ends as unknown end, dropped and
// not counted today), a call's timeline by bytes, all kept frames by whole slabs; the record of bounds hit and the
// text the log and the status tooltip show; the settings that set them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import { factsOf } from '../../src/core/facts';
import { SLAB_BYTES } from '../../src/core/frameSlabs';
import { SlabLedger, describeBounds } from '../../src/core/limits';
import type { Counters } from '../../src/core/model';
import { statusView } from '../../src/core/statusModel';
import { CallStore } from '../../src/core/store';
import type { CallsDocument, FeedDocument, FeedName } from '../../src/core/types';
import { ConnectionController } from '../../src/app/connectionController';
import { Log } from '../../src/app/log';
import { decideSettingsChange, readSettings, storeOptionsFrom, type ConfigReader } from '../../src/app/settings';
import { SUPPORT, StoreHarness, T0, asCalls, callsDoc, queueDoc } from '../support/storeJourney';

const S = 1000;
const today = (c: Counters) => ({ answered: c.answeredToday, missed: c.missedToday, total: c.totalToday });
const clock = (at: number) => `t+${(at - T0) / S}s`;

/** Ingests a document as the feed client's decoder hands it over: with its frame bytes. */
function ingestFrame(h: StoreHarness, at: number, doc: FeedDocument, feed: FeedName = 'calls'): boolean {
  h.time = at;
  const r = decodeFrame(Buffer.from(JSON.stringify(doc)), feed);
  assert.ok(r.ok);
  return h.store.ingest(r.value, at);
}

/** A calls document of about `bytes` bytes (a padding field), distinct per `n`. */
function padded(id: string, n: number, bytes: number, over: Partial<CallsDocument> = {}): CallsDocument {
  const doc = callsDoc(id, { duration: { total: n }, ...over });
  const pad = bytes - JSON.stringify(doc).length - 12;
  return { ...doc, note: 'x'.repeat(Math.max(0, pad)) } as CallsDocument;
}

describe('memory bounds: active calls', () => {
  it('past maxActiveCalls the call whose last document is oldest ends as unknown end, counted as dropped, not today', () => {
    const h = new StoreHarness({ maxActiveCalls: 3 });
    h.at(T0, asCalls(callsDoc('a')));
    h.at(T0 + S, asCalls(callsDoc('b')));
    h.at(T0 + 2 * S, asCalls(callsDoc('c')));
    // 'a' started first, but its last document is newer than b's.
    h.at(T0 + 3 * S, asCalls(callsDoc('a', { duration: { total: 3 } })));
    h.take();
    h.at(T0 + 4 * S, asCalls(callsDoc('d')));
    assert.equal(h.store.activeCount, 3);
    assert.deepEqual(h.store.activeCalls().map((c) => c.id).sort(), ['a', 'c', 'd']);
    const b = h.store.getCall('b')!;
    assert.equal(b.state, 'ended');
    assert.deepEqual(b.outcome, { kind: 'other', reason: 'unknown_end' });
    assert.deepEqual(h.take().flatMap((c) => [...c.ended]), ['b'], 'the end is announced');
    // b was an unanswered incoming call: counted, it would be missed.
    assert.deepEqual(today(h.store.counters()), { answered: 0, missed: 0, total: 0 });
    assert.equal(h.store.counters().active, 3);
    const hit = h.store.boundsHit;
    assert.equal(hit.droppedCalls, 1);
    assert.equal(hit.since, T0 + 4 * S);
    // Then 'c' (its last document is now the oldest), and so on, one per new call.
    h.at(T0 + 5 * S, asCalls(callsDoc('e')));
    assert.equal(h.store.getCall('c')!.state, 'ended');
    assert.equal(h.store.boundsHit.droppedCalls, 2);
    assert.equal(h.store.boundsHit.since, T0 + 4 * S, 'since the first hit');
  });

  it('over many calls the cap holds and the dropped ones are always the stalest; lowering the setting applies at once', () => {
    const h = new StoreHarness({ maxActiveCalls: 50, endedMax: 10_000 });
    for (let i = 0; i < 400; i++) {
      h.at(T0 + i * S, asCalls(callsDoc(`m${i}`)));
      // Every fifth call keeps talking: a new document for an older call makes it fresh again.
      if (i % 5 === 0 && i >= 40) h.at(T0 + i * S, asCalls(callsDoc(`m${i - 40}`, { duration: { total: i } })));
      assert.ok(h.store.activeCount <= 50);
    }
    const active = h.store.activeCalls();
    const oldestKept = Math.min(...active.map((c) => c.lastDocumentAt));
    for (const ended of h.store.endedCalls()) assert.ok(ended.lastDocumentAt <= oldestKept, `${ended.id} was not staler than every kept call`);
    h.store.setOptions({ maxActiveCalls: 10 });
    assert.equal(h.store.activeCount, 10);
    assert.deepEqual(today(h.store.counters()), { answered: 0, missed: 0, total: 0 });
  });
});

describe('memory bounds: one call', () => {
  it('a timeline beyond callBytes drops its oldest middle entries, keeps the first and the latest, and counts them', () => {
    const h = new StoreHarness({ callBytes: 10_000 });
    for (let i = 0; i < 30; i++) ingestFrame(h, T0 + i * S, padded('big', i, 2000));
    const c = h.store.getCall('big')!;
    const seqs = c.timeline.map((e) => e.seq);
    assert.equal(seqs[0], 0, 'the first entry stays');
    assert.equal(seqs.at(-1), 29, 'the latest entry stays');
    assert.ok(c.timeline.length <= 5, `${c.timeline.length} entries of 2 kB within 10 kB`);
    assert.deepEqual(seqs.slice(1), Array.from({ length: seqs.length - 1 }, (_, k) => 30 - seqs.length + 1 + k), 'the latest ones, in order');
    assert.equal(c.timelineDropped, 30 - c.timeline.length, 'shown as the entry cap shows it');
    assert.equal((c.timeline.at(-1)!.document as CallsDocument).duration!.total, 29);
    assert.deepEqual(c.timeline.at(-1)!.changed, ['duration.total']);
    assert.equal(h.store.boundsHit.trimmedCalls, 1, 'one call trimmed, however often');
    // A small call next to it is untouched.
    for (let i = 0; i < 5; i++) ingestFrame(h, T0 + (40 + i) * S, callsDoc('small', { duration: { total: i } }));
    assert.equal(h.store.getCall('small')!.timelineDropped, 0);
  });

  it('the documents of 1 MB each: the call keeps its first and latest one, and a key no longer remembers older large frames', () => {
    const h = new StoreHarness();
    for (let i = 0; i < 6; i++) ingestFrame(h, T0 + i * S, padded('huge', i, 1_000_000));
    const c = h.store.getCall('huge')!;
    assert.deepEqual(c.timeline.map((e) => e.seq), [0, 5]);
    assert.equal(c.timelineDropped, 4);
    assert.ok(h.store.keptFrameBytes <= 2 * 1_000_000 + SLAB_BYTES, `${h.store.keptFrameBytes} bytes kept`);
  });
});

describe('memory bounds: the store', () => {
  it('counts whole slabs: frames copied into one 16 KB slab count 16 KB once; a slab is freed when its last frame goes', () => {
    const store = new CallStore({ timelineCap: 5 });
    const feed = (id: string, n: number) => {
      const frame = Buffer.from(JSON.stringify(callsDoc(id, { duration: { total: n } })));
      const r = decodeFrame(frame, 'calls');
      assert.ok(r.ok);
      store.ingestFacts('calls', factsOf('calls', r.value.doc), frame, T0);
    };
    feed('s1', 0);
    assert.equal(store.keptFrameBytes, SLAB_BYTES);
    feed('s2', 0);
    assert.equal(store.keptFrameBytes, SLAB_BYTES, 'a second frame in the same slab');
    // Enough frames to fill several slabs; the cap then drops the middle ones of s1, but s2's first frame and every
    // kept frame still pin their slabs.
    for (let n = 1; n < 200; n++) feed('s1', n);
    const ledger = (store as unknown as { parts: { bounds: { ledger: SlabLedger } } }).parts.bounds.ledger;
    assert.equal(store.keptFrameBytes, ledger.slabs * SLAB_BYTES, 'whole slabs');
    assert.ok(ledger.slabs >= 2 && ledger.slabs <= 4, `${ledger.slabs} slabs hold 6 frames`);
  });

  it("counts a key's latest frame after the timeline dropped it, and nothing once every call is evicted", () => {
    const h = new StoreHarness({ timelineCap: 3, endedMax: 10 });
    // Frames over half a slab get buffers of their own, so the counted bytes are the frames' sizes.
    ingestFrame(h, T0, padded('k', 0, 10_000));
    ingestFrame(h, T0, { ...queueDoc('k', SUPPORT, T0), note: 'q'.repeat(20_000) } as FeedDocument, 'queues');
    for (let i = 1; i < 6; i++) ingestFrame(h, T0 + i * S, padded('k', i, 10_000));
    const c = h.store.getCall('k')!;
    assert.ok(!c.timeline.some((e) => e.feed === 'queues'), 'the cap dropped the queue document from the timeline');
    assert.equal(c.queueVisits.size, 1);
    const timelineBytes = c.timeline.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.document)), 0);
    assert.ok(h.store.keptFrameBytes >= timelineBytes + 20_000, `${h.store.keptFrameBytes} counts the visit's frame too`);
    ingestFrame(h, T0 + 10 * S, padded('k', 99, 10_000, { active: 0, time: { start: T0, end: T0 + 10 * S } }));
    ingestFrame(h, T0 + 11 * S, { ...queueDoc('k', SUPPORT, T0, { active: 0, time: { start: T0, end: T0 + 10 * S } }), note: 'q'.repeat(20_000) } as FeedDocument, 'queues');
    assert.equal(h.store.getCall('k')!.state, 'ended');
    assert.ok(h.store.keptFrameBytes > 0);
    h.store.setOptions({ endedMax: 0 });
    assert.equal(h.store.getCall('k'), undefined);
    assert.equal(h.store.keptFrameBytes, 0, 'every hold was released');
  });

  it('SlabLedger holds each ArrayBuffer once, whatever view of it a frame keeps', () => {
    const ledger = new SlabLedger();
    const slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    const a = { slab, off: 0, len: 10 };
    const b = { slab: slab.subarray(100, 200), off: 0, len: 100 };
    ledger.hold(a);
    ledger.hold(b);
    assert.equal(ledger.bytes, SLAB_BYTES);
    ledger.release(a);
    assert.equal(ledger.bytes, SLAB_BYTES, 'still pinned by b');
    ledger.release(b);
    assert.equal(ledger.bytes, 0);
    ledger.release(b);
    assert.equal(ledger.bytes, 0, 'a second release changes nothing');
    ledger.hold({ slab: undefined, off: 0, len: 0 });
    assert.equal(ledger.bytes, 0, 'a document kept without bytes');
  });

  it('beyond storeBytes ended calls are evicted oldest first, then the largest timelines are trimmed', () => {
    const h = new StoreHarness({ storeBytes: 400_000, callBytes: 1_000_000, endedMax: 100 });
    // Three ended calls of about 100 kB each (own buffers: frames over half a slab).
    for (const [k, id] of ['e1', 'e2', 'e3'].entries()) {
      ingestFrame(h, T0 + k * S, padded(id, 0, 100_000));
      ingestFrame(h, T0 + k * S + 1, padded(id, 1, 10_000, { active: 0, answered: 1, time: { start: T0, end: T0 + k * S + 1 } }));
    }
    assert.equal(h.store.endedCount, 3);
    assert.deepEqual(today(h.store.counters()), { answered: 3, missed: 0, total: 3 });
    // An active call grows: past 400 kB the ended calls go first, oldest first.
    for (let i = 0; i < 3; i++) ingestFrame(h, T0 + (10 + i) * S, padded('grow', i, 30_000));
    assert.ok(h.store.keptFrameBytes <= 400_000);
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['e3', 'e2'], 'e1 evicted first');
    assert.equal(h.store.boundsHit.evictedForStore, 1);
    for (let i = 3; i < 25; i++) ingestFrame(h, T0 + (10 + i) * S, padded('grow', i, 30_000));
    assert.equal(h.store.endedCount, 0, 'every ended call went before any timeline was trimmed');
    assert.equal(h.store.boundsHit.evictedForStore, 3);
    assert.deepEqual(today(h.store.counters()), { answered: 3, missed: 0, total: 3 }, "today's figures outlive the eviction");
    // Then the largest timeline, 'grow', is trimmed: first and latest kept, within the bound.
    for (let i = 25; i < 40; i++) ingestFrame(h, T0 + (10 + i) * S, padded('grow', i, 30_000));
    ingestFrame(h, T0 + 60 * S, callsDoc('other'));
    const grow = h.store.getCall('grow')!;
    assert.ok(grow.timelineDropped > 0);
    assert.equal(grow.timeline[0].seq, 0);
    assert.equal(grow.timeline.at(-1)!.seq, 39);
    assert.equal(h.store.getCall('other')!.timelineDropped, 0, 'the smaller timeline is left alone');
    assert.ok(h.store.keptFrameBytes <= 400_000, `${h.store.keptFrameBytes} bytes kept`);
    assert.equal(h.store.boundsHit.trimmedForStore, 1);
  });
});

describe('memory bounds: what the user is told', () => {
  it('the log and tooltip sentence names each bound hit, how many, and since when; nothing when none was', () => {
    const none = { droppedCalls: 0, trimmedCalls: 0, evictedForStore: 0, trimmedForStore: 0, since: undefined, revision: 0 };
    assert.equal(describeBounds(none, clock), undefined);
    assert.equal(
      describeBounds({ ...none, droppedCalls: 1200, trimmedCalls: 1, evictedForStore: 3, trimmedForStore: 2, since: T0 + 5 * S, revision: 9 }, clock),
      'Memory limits hit since t+5s: 1,200 active calls ended as unknown end (streamLiner.limits.maxActiveCalls); ' +
      '1 call timeline trimmed (streamLiner.limits.callMegabytes); 3 ended calls evicted, 2 timelines trimmed (streamLiner.limits.storeMegabytes).',
    );
    assert.equal(describeBounds({ ...none, trimmedForStore: 1, since: T0, revision: 1 }, clock),
      'Memory limits hit since t+0s: 1 timeline trimmed (streamLiner.limits.storeMegabytes).');
  });

  it('the status tooltip says so once a bound was hit, and not before', () => {
    const h = new StoreHarness({ maxActiveCalls: 100 });
    const tooltip = () => statusView({
      status: { state: 'connected' }, counters: h.store.counters(), filterActive: false, alertMs: 0, now: h.time, bounds: h.store.boundsHit,
    }).tooltip;
    h.at(T0, asCalls(callsDoc('first')));
    assert.doesNotMatch(tooltip(), /Memory limits/);
    for (let i = 0; i < 100; i++) h.at(T0 + S, asCalls(callsDoc(`n${i}`)));
    // Markdown-escaped, as every text in the tooltip; the clock is T0's local time.
    assert.ok(tooltip().endsWith('\n\n$(warning) Memory limits hit since 10\\:00\\:01\\: 1 active call ended as unknown end ' +
      '\\(streamLiner\\.limits\\.maxActiveCalls\\)\\.'), tooltip());
  });

  it('the log says it at the first hit, then with the periodic summary when the counts changed', () => {
    const lines: string[] = [];
    const channel = {
      info: () => undefined, debug: () => undefined, trace: () => undefined, dispose: () => undefined,
      warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m),
    };
    const settings = readSettings({ get: <T>(key: string) => (key === 'limits.maxActiveCalls' ? 100 : undefined) as T | undefined, inspect: () => undefined });
    const controller = new ConnectionController({
      log: new Log(channel), settings: () => settings, setContext: () => undefined, setInterval: () => 0, clearInterval: () => undefined,
    });
    try {
      const ingest = (id: string) => controller.store.ingest(asCalls(callsDoc(id)), Date.now());
      for (let i = 0; i < 100; i++) ingest(`c${i}`);
      assert.deepEqual(lines, []);
      ingest('over1');
      ingest('over2');
      assert.equal(lines.length, 1, 'the first hit, at once, and not again for every drop');
      assert.match(lines[0], /^Memory limits hit since .+: 1 active call ended as unknown end \(streamLiner\.limits\.maxActiveCalls\)\.$/);
      (controller as unknown as { logBoundsIfChanged(): void }).logBoundsIfChanged();
      assert.match(lines[1], /: 2 active calls ended as unknown end/);
      (controller as unknown as { logBoundsIfChanged(): void }).logBoundsIfChanged();
      assert.equal(lines.length, 2, 'no change, no line');
    } finally {
      controller.dispose();
    }
  });
});

describe('memory bounds: settings', () => {
  const reader = (values: Record<string, unknown>): ConfigReader => ({ get: <T>(key: string) => values[key] as T | undefined, inspect: () => undefined });

  it('reads the three limits with their defaults, clamps and rounds bad values, and hands them to the store in bytes', () => {
    const d = readSettings(reader({}));
    assert.deepEqual([d.maxActiveCalls, d.callMegabytes, d.storeMegabytes], [20_000, 2, 256]);
    const o = storeOptionsFrom(d);
    assert.deepEqual([o.maxActiveCalls, o.callBytes, o.storeBytes], [20_000, 2 * 1024 * 1024, 256 * 1024 * 1024]);
    const set = readSettings(reader({ 'limits.maxActiveCalls': 5000, 'limits.callMegabytes': 8, 'limits.storeMegabytes': 1024 }));
    assert.deepEqual([set.maxActiveCalls, set.callMegabytes, set.storeMegabytes], [5000, 8, 1024]);
    const bad = readSettings(reader({ 'limits.maxActiveCalls': 3, 'limits.callMegabytes': 'lots', 'limits.storeMegabytes': 1e9 }));
    assert.deepEqual([bad.maxActiveCalls, bad.callMegabytes, bad.storeMegabytes], [100, 2, 4096]);
    assert.equal(readSettings(reader({ 'limits.callMegabytes': 2.6 })).callMegabytes, 3);
  });

  it('a change of any limit updates the store in place, without a reconnect', () => {
    const d = readSettings(reader({}));
    for (const change of [{ maxActiveCalls: 500 }, { callMegabytes: 4 }, { storeMegabytes: 64 }]) {
      const decision = decideSettingsChange(d, { ...d, ...change }, true);
      assert.equal(decision.updateStore, true, JSON.stringify(change));
      assert.equal(decision.restartConnection, false);
    }
  });

  it('package.json declares them as integers with the same defaults and bounds, and a description', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { type: string; default: number; minimum: number; maximum: number; description: string }> } };
    };
    const texts = JSON.parse(readFileSync(join(__dirname, '../../package.nls.json'), 'utf8')) as Record<string, string>;
    const props = pkg.contributes.configuration.properties;
    const expect: [string, number, number, number][] = [
      ['streamLiner.limits.maxActiveCalls', 20_000, 100, 1_000_000],
      ['streamLiner.limits.callMegabytes', 2, 1, 64],
      ['streamLiner.limits.storeMegabytes', 256, 16, 4096],
    ];
    for (const [key, def, min, max] of expect) {
      const p = props[key];
      assert.ok(p, key);
      assert.deepEqual([p.type, p.default, p.minimum, p.maximum], ['integer', def, min, max], key);
      const description = texts[/^%(.+)%$/.exec(p.description)?.[1] ?? ''] ?? '';
      assert.ok(description.length > 40, `${key}: ${description}`);
    }
  });
});
