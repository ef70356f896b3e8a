// CallStore.ingestKnownFrame: a frame whose exact bytes a call's key already holds is applied without decoding,
// with exactly the effect that decoding and ingesting it has. Checked against a store that decodes every frame.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import type { StoreChange } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import type { FeedName } from '../../src/core/types';
import { generateFrames } from '../../src/simulator/generator';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

/** A change as plain data, so two stores' events compare with deepEqual. */
const plain = (c: StoreChange) => ({
  calls: [...c.calls].sort(), queueGroups: [...c.queueGroups].sort(), agentGroups: [...c.agentGroups].sort(),
  ended: [...c.ended].sort(), counters: c.counters, all: c.all,
});

/** Two stores on one clock: `decoding` decodes every frame, `known` tries ingestKnownFrame first. */
function pair() {
  const clock = { now: T0 };
  const decoding = new CallStore({ now: () => clock.now });
  const known = new CallStore({ now: () => clock.now });
  const events = { decoding: [] as ReturnType<typeof plain>[], known: [] as ReturnType<typeof plain>[] };
  decoding.onDidChange((c) => events.decoding.push(plain(c)));
  known.onDidChange((c) => events.known.push(plain(c)));
  let hits = 0;
  let confirmed = 0;
  const feedBoth = (feed: FeedName, bytes: Buffer): { decoding: boolean; known: boolean } => {
    const r = decodeFrame(bytes, feed);
    const a = r.ok ? decoding.ingest(r.value, clock.now) : false;
    let b = known.ingestKnownFrame(feed, bytes, clock.now);
    if (b === undefined) {
      const again = decodeFrame(bytes, feed);
      b = again.ok ? known.ingest(again.value, clock.now) : false;
    } else {
      hits++;
      if (b) confirmed++;
    }
    return { decoding: a, known: b };
  };
  return { clock, decoding, known, events, feedBoth, get hits() { return hits; }, get confirmed() { return confirmed; } };
}

/** What a view can read of a store, as plain data. */
function readable(store: CallStore) {
  const call = (id: string) => {
    const c = store.getCall(id)!;
    return {
      id, state: c.state, unconfirmed: c.unconfirmed, revision: c.revision, outcome: c.outcome, endedAt: c.endedAt,
      queue: c.currentQueue, agent: c.currentAgent, agents: c.activeAgents, timeline: c.timeline.map((e) => [e.seq, e.feed, e.key, e.late === true]),
    };
  };
  return {
    counters: store.counters(),
    active: store.activeCalls().map((c) => call(c.id)),
    ended: store.endedCalls().map((c) => call(c.id)),
    queueGroups: store.groups('queue').map((g) => [g.key, g.calls.map((c) => c.id)]),
    agentGroups: store.groups('agent').map((g) => [g.key, g.calls.map((c) => c.id)]),
    queueStats: store.queueStats(),
  };
}

describe('CallStore.ingestKnownFrame', () => {
  it('on the simulator stream with reconnects and sweeps, changes and returns exactly what decode + ingest does', () => {
    const p = pair();
    const frames = generateFrames(11, 400, T0);
    let reconnects = 0;
    frames.forEach((f, i) => {
      p.clock.now = Math.max(p.clock.now, f.at);
      const r = p.feedBoth(f.feed, Buffer.from(f.data));
      assert.equal(r.known, r.decoding, `frame ${i}: both stores answer alike`);
      if (i % 700 === 350) {
        p.decoding.markReconnected();
        p.known.markReconnected();
        reconnects++;
        // After a gap the feeds send every live call again: the same bytes, which now confirm the calls.
        for (const g of frames.slice(Math.max(0, i - 40), i + 1)) {
          const again = p.feedBoth(g.feed, Buffer.from(g.data));
          assert.equal(again.known, again.decoding);
        }
      }
      if (i % 97 === 0) {
        p.decoding.sweep();
        p.known.sweep();
      }
    });
    assert.ok(reconnects >= 2);
    assert.deepEqual(p.events.known, p.events.decoding);
    assert.deepEqual(readable(p.known), readable(p.decoding));
    assert.ok(p.hits > frames.length / 20, `re-sent frames applied from their bytes: ${p.hits} of ${frames.length}`);
    assert.ok(p.confirmed > 0, 'some re-sends after a reconnect confirmed a call');
  });

  const callDoc = (extra: Record<string, unknown> = {}) => ({
    id_call: 'k1', active: 1, call_direction: 'incoming', time: { start: T0 }, customer_target: { number: '+46701234567' }, ...extra,
  });
  const queueDoc = { id_call: 'k1', active: 1, time: { start: T0 }, queue: { id: '7', name: 'Sales', timestart: T0 + 1000 } };

  it('knows only bytes a key of the call holds, on the same feed', () => {
    const p = pair();
    const bytes = Buffer.from(JSON.stringify(callDoc()));
    assert.equal(p.known.ingestKnownFrame('calls', bytes, T0), undefined, 'unknown call');
    assert.deepEqual(p.feedBoth('calls', bytes), { decoding: true, known: true });
    assert.equal(p.known.ingestKnownFrame('calls', bytes, T0), false, 'a re-send changes nothing');
    assert.equal(p.known.ingestKnownFrame('calls', Buffer.from(JSON.stringify(callDoc({ answered: 0 }))), T0), undefined, 'new bytes');
    assert.equal(p.known.ingestKnownFrame('calls', Buffer.from(`${bytes.toString()} `), T0), undefined, 'one byte more');
    assert.equal(p.known.ingestKnownFrame('agents', bytes, T0), undefined, 'the same bytes on another feed');
    const queued = Buffer.from(JSON.stringify(queueDoc));
    assert.deepEqual(p.feedBoth('queues', queued), { decoding: true, known: true });
    assert.equal(p.known.ingestKnownFrame('queues', queued, T0), false);
    assert.equal(p.known.ingestKnownFrame('calls', queued, T0), undefined, 'a queues frame is not a calls frame');
  });

  it('after a reconnect, known bytes confirm the call as a decoded re-send does', () => {
    const p = pair();
    const bytes = Buffer.from(JSON.stringify(callDoc()));
    p.feedBoth('calls', bytes);
    p.known.markReconnected();
    assert.equal(p.known.getCall('k1')!.unconfirmed, true);
    p.clock.now = T0 + 5000;
    assert.equal(p.known.ingestKnownFrame('calls', bytes, p.clock.now), true);
    const call = p.known.getCall('k1')!;
    assert.equal(call.unconfirmed, false);
    assert.equal(call.lastDocumentAt, T0 + 5000);
    assert.equal(p.known.ingestKnownFrame('calls', bytes, p.clock.now), false, 'confirmed once');
  });

  it('reads the id only as a hint: a nested id_call, a numeric id, an escaped or missing one give the same results', () => {
    const p = pair();
    const frames: Array<[FeedName, string]> = [
      ['calls', JSON.stringify(callDoc({ id_call: 'other' }))],
      // The first "id_call" in the bytes is a nested one, naming a call the store knows.
      ['calls', `{"extra":{"id_call":"other"},${JSON.stringify(callDoc()).slice(1)}`],
      ['calls', JSON.stringify({ ...callDoc(), id_call: 4711 })],
      ['calls', JSON.stringify({ ...callDoc(), id_call: 'kå' })],
      // The same id written with an escape: not read from the bytes.
      ['calls', JSON.stringify({ ...callDoc(), id_call: 'kå' }).replace('"kå"', '"k\\u00e5"')],
      ['calls', `{ "id_call" : 12.0, "active": 1, "time": {"start": ${T0}} }`],
      ['calls', '{"active":1,"time":{"start":1}}'],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [feed, text] of frames) {
        const r = p.feedBoth(feed, Buffer.from(text));
        assert.equal(r.known, r.decoding, text);
      }
    }
    assert.deepEqual(p.events.known, p.events.decoding);
    assert.deepEqual(readable(p.known), readable(p.decoding));
    // In rounds 2 and 3, the frames whose first "id_call" is their own, a string without escapes or an integer.
    assert.equal(p.hits, 6);
    assert.ok(p.known.getCall('4711') && p.known.getCall('kå') && p.known.getCall('12'));
  });
});

