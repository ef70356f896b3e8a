// Reconnect gaps: calls active before a gap are unconfirmed (and left out of the wait alerts) until a new document
// confirms them; calls that ended unseen expire via sweep() after maxActiveAgeMs as 'unknown_end'. On a fake clock.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallRecord } from '../../src/core/model';
import {
  ANNA, BO, SALES, SUPPORT, T0, StoreHarness, agentDoc, asAgent, asCalls, asQueue, callsDoc, queueDoc,
} from '../support/storeJourney';

const S = 1000;
const MIN = 60 * S;
const MAX_AGE = 30 * MIN;

const queueRef = (q: typeof SUPPORT, timestart: number) => ({ id: q.id, name: q.name, strategy: 'rrmemory', timestart });

/** Four active calls: A waits in Support, B rings Bo, C talks to Anna, D waits in Sales. */
function fourCalls(): StoreHarness {
  const h = new StoreHarness({ maxActiveAgeMs: MAX_AGE, endedKeepMs: 24 * 60 * MIN });
  h.at(T0, asCalls(callsDoc('A', { queue_last: queueRef(SUPPORT, T0) })), asQueue(queueDoc('A', SUPPORT, T0)));
  h.at(T0 + 5 * S, asCalls(callsDoc('B', { time: { start: T0 + 5 * S } })), asQueue(queueDoc('B', SALES, T0 + 5 * S)),
    asAgent(agentDoc('B', BO, T0 + 10 * S)));
  h.at(T0 + 10 * S, asCalls(callsDoc('C', { time: { start: T0 + 10 * S } })),
    asAgent(agentDoc('C', ANNA, T0 + 10 * S, { time: { start: T0 + 10 * S, answered: T0 + 12 * S } })));
  h.at(T0 + 30 * S, asCalls(callsDoc('D', { time: { start: T0 + 30 * S } })), asQueue(queueDoc('D', SALES, T0 + 30 * S)));
  return h;
}

const states = (h: StoreHarness) =>
  Object.fromEntries(['A', 'B', 'C', 'D'].map((id) => [id, h.store.getCall(id)?.state]));
const unconfirmed = (h: StoreHarness) => h.store.activeCalls().filter((c) => c.unconfirmed).map((c) => c.id);

describe('store: reconnect gap', () => {
  it('active calls become unconfirmed, are left out of the wait figures, and are confirmed by a new document or expire', () => {
    const h = fourCalls();
    h.time = T0 + 60 * S;
    assert.deepEqual(states(h), { A: 'waiting', B: 'ringing', C: 'talking', D: 'waiting' });
    assert.deepEqual(h.store.longestWait(), { callId: 'A', waitedMs: 60 * S });
    h.take();

    h.store.markReconnected();
    const [change] = h.take();
    assert.equal(change.all, true);
    assert.deepEqual(unconfirmed(h), ['A', 'B', 'C', 'D']);
    assert.equal(h.store.longestWait(), undefined, 'unconfirmed calls raise no wait alert');
    assert.ok(h.store.groups('queue').every((g) => g.longestWaitMs === 0));
    assert.ok(h.store.groups('agent').every((g) => g.longestWaitMs === 0));
    const support = h.store.queueStats().find((q) => q.queueId === SUPPORT.id)!;
    assert.deepEqual([support.waiting, support.longestWaitMs], [1, 0], 'still listed as waiting, but with no known wait');
    assert.equal(h.store.counters().active, 4, 'unconfirmed calls are still shown');

    // During the gap A and C ended; B was answered; D is still waiting. After the gap the feed sends what it has now.
    const back = T0 + 120 * S;
    h.at(back, asAgent(agentDoc('B', BO, T0 + 10 * S, { time: { start: T0 + 10 * S, answered: T0 + 90 * S } })));
    let b = h.store.getCall('B')!;
    assert.equal(b.unconfirmed, false, 'a new document confirms the call');
    assert.equal(b.state, 'talking');
    assert.deepEqual(unconfirmed(h), ['A', 'C', 'D']);
    h.at(back + S, asCalls(callsDoc('D', { time: { start: T0 + 30 * S }, queue_last: queueRef(SALES, T0 + 30 * S) })));
    assert.equal(h.store.getCall('D')!.unconfirmed, false);
    assert.deepEqual(h.store.longestWait(), { callId: 'D', waitedMs: back + S - (T0 + 30 * S) }, 'confirmed waits count again');
    // A's final document arrives (the feed re-sends it): ended, confirmed.
    h.at(back + 2 * S, asCalls(callsDoc('A', { active: 0, time: { start: T0, end: T0 + 90 * S }, terminated_call_reason: 'queue_leave_abandon', queue_last: queueRef(SUPPORT, T0) })));
    const a = h.store.getCall('A')!;
    assert.equal(a.state, 'ended');
    assert.equal(a.unconfirmed, false);
    assert.deepEqual(a.outcome, { kind: 'abandoned' });
    assert.deepEqual(unconfirmed(h), ['C']);
    h.take();

    // C never hears anything again: it expires after maxActiveAgeMs without a document (not a moment before).
    const cLast = h.store.getCall('C')!.lastDocumentAt;
    h.time = cLast + MAX_AGE;
    h.store.sweep();
    assert.equal(h.store.getCall('C')!.state, 'talking');
    assert.equal(h.take().length, 0, 'nothing changed, nothing emitted');
    h.time = cLast + MAX_AGE + 1;
    h.store.sweep();
    const c = h.store.getCall('C')!;
    assert.equal(c.state, 'ended');
    assert.deepEqual(c.outcome, { kind: 'other', reason: 'unknown_end' });
    assert.equal(c.unconfirmed, false);
    assert.equal(c.endedAt, cLast + MAX_AGE + 1);
    const expiry = h.take();
    assert.equal(expiry.length, 1);
    assert.deepEqual([...expiry[0].ended], ['C']);
    // An expiry is not a call that ended today as far as the feed told us: only A is counted.
    assert.deepEqual([h.store.counters().totalToday, h.store.counters().missedToday], [1, 1]);

    // B and D stay active while documents keep coming, and also expire once they stop: nothing stays active forever.
    b = h.store.getCall('B')!;
    assert.equal(b.state, 'talking');
    assert.equal(h.store.activeCount, 2);
    h.time = back + S + MAX_AGE + 1;
    h.store.sweep();
    assert.equal(h.store.activeCount, 0);
    assert.deepEqual(h.store.activeCalls(), []);
    for (const id of ['B', 'D']) assert.deepEqual(h.store.getCall(id)!.outcome, { kind: 'other', reason: 'unknown_end' });
    assert.deepEqual(h.store.counters(), { active: 0, waiting: 0, ringing: 0, talking: 0, answeredToday: 0, missedToday: 1, totalToday: 1 });
    assert.deepEqual(h.store.groups('queue'), []);
  });

  it('a document arriving for an expired call is recorded (late) but does not reopen it', () => {
    const h = fourCalls();
    h.store.markReconnected();
    h.time = T0 + 30 * S + MAX_AGE + 1;
    h.store.sweep();
    assert.equal(h.store.activeCount, 0);
    const c: CallRecord = h.store.getCall('C')!;
    const entries = c.timeline.length;
    assert.deepEqual(h.at(h.time + S, asAgent(agentDoc('C', ANNA, T0 + 10 * S, { time: { start: T0 + 10 * S, answered: T0 + 12 * S }, duration: { talk: 5 } }))), [true]);
    const after = h.store.getCall('C')!;
    assert.equal(after.state, 'ended');
    assert.equal(after.timeline.length, entries + 1);
    assert.equal(after.timeline.at(-1)!.late, true);
    assert.equal(h.store.activeCount, 0);
    // Its final document then refines the record but still does not reopen it or count it today.
    assert.deepEqual(h.at(h.time + S, asCalls(callsDoc('C', { active: 0, answered: 1, time: { start: T0 + 10 * S, end: T0 + 40 * S } }))), [true]);
    assert.equal(h.store.getCall('C')!.state, 'ended');
    assert.deepEqual(h.store.getCall('C')!.outcome, { kind: 'other', reason: 'unknown_end' });
    assert.equal(h.store.activeCount, 0);
    assert.equal(h.store.counters().totalToday, 0);
  });

  it('without the calls feed, a call whose every queue/agent document ended is ended by sweep() after endGraceMs', () => {
    const h = new StoreHarness({ endGraceMs: 5 * S, maxActiveAgeMs: MAX_AGE });
    h.at(T0, asQueue(queueDoc('Q', SUPPORT, T0)));
    h.at(T0 + 20 * S, asQueue(queueDoc('Q', SUPPORT, T0, { active: 0, time: { start: T0, end: T0 + 20 * S }, queue: { fail_reason: 'queue_leave_abandon' } })));
    assert.equal(h.store.getCall('Q')!.state !== 'ended', true, 'another visit may still follow');
    h.time = T0 + 25 * S;
    h.store.sweep();
    assert.notEqual(h.store.getCall('Q')!.state, 'ended');
    h.time = T0 + 25 * S + 1;
    h.store.sweep();
    const q = h.store.getCall('Q')!;
    assert.equal(q.state, 'ended');
    assert.deepEqual(q.outcome, { kind: 'abandoned' });
    assert.equal(q.endedAt, T0 + 20 * S);
    assert.equal(h.store.activeCount, 0);
    assert.equal(h.store.counters().missedToday, 1);
  });
  it('an unchanged document re-sent after the reconnect confirms the call, without a timeline entry', () => {
    const h = fourCalls();
    h.time = T0 + 60 * S;
    const before = h.store.getCall('A')!.timeline.length;
    // Identical re-send before any gap: a duplicate, nothing changes.
    assert.deepEqual(h.at(T0 + 61 * S, asQueue(queueDoc('A', SUPPORT, T0))), [false]);
    h.store.markReconnected();
    h.take();
    assert.equal(h.store.getCall('A')!.unconfirmed, true);
    // The server sends the same document again after the gap: the call is live.
    assert.deepEqual(h.at(T0 + 62 * S, asQueue(queueDoc('A', SUPPORT, T0))), [true]);
    assert.equal(h.store.getCall('A')!.unconfirmed, false);
    assert.equal(h.store.getCall('A')!.timeline.length, before);
    assert.ok(h.take().some((c) => c.calls.has('A')));
    assert.deepEqual(unconfirmed(h).sort(), ['B', 'C', 'D']);
    // Once confirmed, a further identical copy is a plain duplicate again.
    assert.deepEqual(h.at(T0 + 63 * S, asQueue(queueDoc('A', SUPPORT, T0))), [false]);
  });
});
