// Property test: thousands of simulator journeys (overlapping, frames in time order) through decodeFrame and the
// store, driven by the frames' own clock. Checks, against an independent reading of the documents:
// - the documents agree across feeds (test/support/journeyInvariants.ts);
// - at the end of every moment each touched call's state is what the feed-semantics rules give;
// - every call ends exactly once (ids in change.ended over all events) with the outcome its final documents give;
// - nothing is left active after the simulator drains;
// - today's answered/missed/total equal the recount from the final calls documents.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import { localDay } from '../../src/core/dayStats';
import type { CallOutcome, CallState } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import type { AgentsDocument, CallsDocument, FeedName, FeedDocument, QueuesDocument } from '../../src/core/types';
import { generateFrames } from '../../src/simulator/generator';
import { agentKey, checkJourneyFrames, queueKey } from '../support/journeyInvariants';

/** 08:00 local: the runs below span under four hours, so every call ends "today" on the store's clock. */
const T0 = new Date(2026, 2, 2, 8, 0, 0).getTime();
const RUNS: Array<{ seed: number; count: number }> = [
  { seed: 1101, count: 800 }, { seed: 2202, count: 800 }, { seed: 3303, count: 800 },
];

interface Journey {
  frames: Array<{ at: number; feed: FeedName; doc: FeedDocument }>;
  calls?: CallsDocument;
  queues: Map<string, QueuesDocument>;
  agents: Map<string, AgentsDocument>;
}

/** The state feed-semantics.md gives for a call at a moment, from the latest document of each entity. */
function expectedState(j: Journey): CallState {
  const c = j.calls!;
  if (c.active === 0) return 'ended';
  const agents = [...j.agents.values()].filter((a) => a.active === 1);
  if (agents.some((a) => a.time.answered !== undefined)) return 'talking';
  if (agents.length > 0) return 'ringing';
  if ([...j.queues.values()].some((q) => q.active === 1)) return 'waiting';
  if ((c.ivr_list?.length ?? 0) > 0 && j.queues.size === 0 && j.agents.size === 0) return 'ivr';
  return 'dialling';
}

function expectedOutcome(final: Journey): CallOutcome {
  const c = final.calls!;
  if (c.answered === 1) return { kind: 'answered' };
  const fails = [c.queue_first?.fail_reason, c.queue_last?.fail_reason, ...[...final.queues.values()].map((q) => q.queue?.fail_reason)];
  if (c.terminated_call_reason === 'queue_leave_abandon' || fails.includes('queue_leave_abandon')) return { kind: 'abandoned' };
  if (c.voicemail === 1) return { kind: 'voicemail' };
  return { kind: 'other', reason: c.terminated_call_reason! };
}

function replay(seed: number, count: number): void {
  const frames = generateFrames(seed, count, T0);
  const day = localDay(T0);
  assert.ok(frames.every((f) => f.at >= day.start && f.at < day.next), 'precondition: the run stays within one local day');

  let clock = T0;
  // endedMax/endedKeepMs large: nothing is evicted, so every call's record can be read at the end.
  const store = new CallStore({ now: () => clock, endedMax: count + 1, endedKeepMs: 24 * 3_600_000 });
  const endedEvents = new Map<string, number>();
  store.onDidChange((change) => {
    for (const id of change.ended) endedEvents.set(id, (endedEvents.get(id) ?? 0) + 1);
  });
  const journeys = new Map<string, Journey>();
  let touched = new Set<string>();
  const mismatches: string[] = [];

  const checkMoment = (): void => {
    for (const id of touched) {
      const j = journeys.get(id)!;
      const rec = store.getCall(id)!;
      const want = expectedState(j);
      if (rec.state !== want && mismatches.length < 10) mismatches.push(`${id} at ${clock}: store ${rec.state}, documents say ${want}`);
    }
    touched = new Set();
    const c = store.counters();
    assert.equal(c.active, store.activeCount, 'live counter = active calls (no filter)');
    assert.ok(c.waiting + c.ringing + c.talking <= c.active);
    assert.equal(store.groups('queue').reduce((n, g) => n + g.calls.length, 0), store.activeCount, 'each active call in one queue group');
  };

  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (f.at !== clock && touched.size > 0) checkMoment();
    clock = f.at;
    const decoded = decodeFrame(f.data, f.feed);
    assert.ok(decoded.ok, `frame ${i} decodes`);
    const { doc } = decoded.value;
    let j = journeys.get(doc.id_call);
    if (!j) journeys.set(doc.id_call, (j = { frames: [], queues: new Map(), agents: new Map() }));
    j.frames.push({ at: f.at, feed: f.feed, doc });
    if (f.feed === 'calls') j.calls = doc as CallsDocument;
    else if (f.feed === 'queues') j.queues.set(queueKey(doc as QueuesDocument), doc as QueuesDocument);
    else j.agents.set(agentKey(doc as AgentsDocument), doc as AgentsDocument);
    store.ingest(decoded.value, f.at);
    touched.add(doc.id_call);
  }
  checkMoment();
  assert.deepEqual(mismatches, [], 'derived state agrees with the documents at every moment');

  assert.equal(journeys.size, count);
  assert.equal(store.activeCount, 0, 'nothing left active after the simulator drains');
  assert.deepEqual(store.activeCalls(), []);
  store.sweep();
  assert.equal(store.activeCount, 0);

  let answered = 0;
  let missed = 0;
  for (const [id, j] of journeys) {
    // Cross-feed agreement of the documents as decoded (queue_list, agent_list_answer, wait_time, offers > 1 s, ...).
    checkJourneyFrames(j.frames);
    assert.equal(endedEvents.get(id), 1, `${id} ends exactly once`);
    const rec = store.getCall(id)!;
    assert.equal(rec.state, 'ended');
    assert.deepEqual(rec.outcome, expectedOutcome(j), id);
    assert.equal(rec.endedAt, j.calls!.time.end, id);
    // Recount with the store's definitions: answered = answered flag; missed = inbound, not internal, unanswered.
    if (j.calls!.answered === 1) answered++;
    else if (j.calls!.call_direction === 'incoming' && j.calls!.internal !== 1) missed++;
  }
  assert.equal(endedEvents.size, count, 'no id ended that the simulator did not send');
  const c = store.counters();
  assert.deepEqual({ answered: c.answeredToday, missed: c.missedToday, total: c.totalToday }, { answered, missed, total: count });
  assert.ok(answered > 0 && missed > 0 && answered + missed < count, 'the run covers answered, missed and other calls');
  assert.deepEqual({ active: c.active, waiting: c.waiting, ringing: c.ringing, talking: c.talking }, { active: 0, waiting: 0, ringing: 0, talking: 0 });
}

describe('property: simulator journeys through decodeFrame and the store', () => {
  for (const { seed, count } of RUNS) {
    it(`seed ${seed}: ${count} overlapping journeys`, () => replay(seed, count));
  }
  it('covers at least 2000 journeys in all', () => {
    assert.ok(RUNS.reduce((n, r) => n + r.count, 0) >= 2000);
  });
});
