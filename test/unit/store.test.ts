// CallStore: a hand-written multi-queue, multi-agent, transfer journey checked at every moment; idempotency and
// late documents; derived states and outcomes; grouping; today's counters and per-queue figures; timeline cap,
// ended-call retention and change events.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import { factsOf, type DocFacts } from '../../src/core/facts';
import { NO_GROUP_KEY, type CallRecord, type Counters, type StoreChange } from '../../src/core/model';
import { CallStore, RecentIds, entityKey } from '../../src/core/store';
import { RecordedEntry } from '../../src/core/timeline';
import type { CallsDocument, DecodedDocument, FeedDocument, FeedName } from '../../src/core/types';
import {
  ANNA, BO, CIA, SALES, SUPPORT, T0, StoreHarness, agentDoc, asAgent, asCalls, asQueue, callsDoc, groupShape, queueDoc,
} from '../support/storeJourney';

const S = 1000;
const ID = 'c1';
const ref = (x: { id: string; name: string }) => ({ id: x.id, name: x.name });
const supportRef = { id: SUPPORT.id, name: SUPPORT.name, strategy: 'ringall', timestart: T0 + 5 * S };
const salesRef = { id: SALES.id, name: SALES.name, strategy: 'rrmemory', timestart: T0 + 60 * S };
const ivr = { ivr_list: ['Main menu'], ivr_first: { id: '9999', name: 'Main menu', timestamp: T0 + 200 }, ivr_last: { id: '9999', name: 'Main menu', timestamp: T0 + 200 } };

/** The journey's documents at each of its moments: start, enters Support (ring-all), Anna answers, transfer into
 *  Sales, Cia answers, end. Each moment re-sends the full current document of every entity, calls doc first. */
function journey(): Array<{ at: number; docs: DecodedDocument[] }> {
  const m2 = T0 + 5 * S; const m3 = T0 + 15 * S; const m4 = T0 + 60 * S; const m5 = T0 + 70 * S; const m6 = T0 + 100 * S;
  const annaAnswered = { id: ANNA.id, name: ANNA.name, answered: m3 };
  const ciaAnswered = { id: CIA.id, name: CIA.name, answered: m5 };
  const supportAnswered = queueDoc(ID, SUPPORT, m2, { answered: 1, agent_list: [ANNA.name, BO.name], agent_list_answer: [ANNA.name] });
  const supportEnded = queueDoc(ID, SUPPORT, m2, { active: 0, answered: 1, time: { start: T0, end: m4 }, agent_list: [ANNA.name, BO.name], agent_list_answer: [ANNA.name] });
  const annaTalking = agentDoc(ID, ANNA, m2, { answered: 1, time: { start: m2, answered: m3 }, queue: supportRef });
  const boEnded = agentDoc(ID, BO, m2, { active: 0, time: { start: m2, end: m3 }, agent_end_reason: 'answered_elsewhere', queue: supportRef });
  const ciaTalking = agentDoc(ID, CIA, m4 + 2 * S, { answered: 1, transfer: 1, time: { start: m4 + 2 * S, answered: m5 }, queue: salesRef });
  const base = { ...ivr, agent_list: [ANNA.name, BO.name] };
  return [
    { at: T0, docs: [asCalls(callsDoc(ID, { ...ivr }))] },
    {
      at: m2,
      docs: [
        asCalls(callsDoc(ID, { ...base, queue_list: [SUPPORT.name], queue_first: supportRef, queue_last: supportRef, agent_first: ref(ANNA), agent_last: ref(BO) })),
        asQueue(queueDoc(ID, SUPPORT, m2, { agent_list: [ANNA.name, BO.name] })),
        asAgent(agentDoc(ID, ANNA, m2, { queue: supportRef })),
        asAgent(agentDoc(ID, BO, m2, { queue: supportRef })),
      ],
    },
    {
      at: m3,
      docs: [
        asCalls(callsDoc(ID, {
          ...base, answered: 1, queue_list: [SUPPORT.name], queue_first: supportRef, queue_last: supportRef, agent_first: annaAnswered,
          agent_last: annaAnswered, agent_list_answer: [ANNA.name], agent_list_no_answer: [BO.name], offered_and_answered: 1, offered_and_not_answered: 1,
        })),
        asQueue(supportAnswered),
        asAgent(annaTalking),
        asAgent(boEnded),
      ],
    },
    {
      at: m4,
      docs: [
        asCalls(callsDoc(ID, {
          ...base, answered: 1, transfers: 1, transfer_first: { type: 'blind' }, transfer_last: { type: 'blind' }, queue_list: [SUPPORT.name, SALES.name],
          queue_first: supportRef, queue_last: salesRef, agent_first: annaAnswered, agent_last: annaAnswered, agent_list_answer: [ANNA.name],
          agent_list_no_answer: [BO.name], offered_and_answered: 1, offered_and_not_answered: 1,
        })),
        asQueue(supportEnded),
        asAgent(agentDoc(ID, ANNA, m2, { active: 0, answered: 1, time: { start: m2, answered: m3, end: m4 }, agent_end_reason: 'blind_transferred', queue: supportRef })),
        asAgent(boEnded),
        asQueue(queueDoc(ID, SALES, m4, { transfer: 1 })),
      ],
    },
    {
      at: m5,
      docs: [
        asCalls(callsDoc(ID, {
          ...base, answered: 1, transfers: 1, transfer_first: { type: 'blind', answered: 1 }, transfer_last: { type: 'blind', answered: 1 },
          queue_list: [SUPPORT.name, SALES.name], queue_first: supportRef, queue_last: salesRef, agent_first: annaAnswered, agent_last: ciaAnswered,
          agent_list: [ANNA.name, BO.name, CIA.name], agent_list_answer: [ANNA.name, CIA.name], agent_list_no_answer: [BO.name],
          offered_and_answered: 2, offered_and_not_answered: 1,
        })),
        asQueue(queueDoc(ID, SALES, m4, { transfer: 1, answered: 1, agent_list: [CIA.name], agent_list_answer: [CIA.name] })),
        asAgent(ciaTalking),
      ],
    },
    {
      at: m6,
      docs: [
        asCalls(callsDoc(ID, {
          ...base, active: 0, answered: 1, time: { start: T0, end: m6 }, terminated_call_reason: 'hangup', transfers: 1,
          transfer_first: { type: 'blind', answered: 1 }, transfer_last: { type: 'blind', answered: 1 }, queue_list: [SUPPORT.name, SALES.name],
          queue_first: supportRef, queue_last: salesRef, agent_first: annaAnswered, agent_last: ciaAnswered,
          agent_list: [ANNA.name, BO.name, CIA.name], agent_list_answer: [ANNA.name, CIA.name], agent_list_no_answer: [BO.name],
          offered_and_answered: 2, offered_and_not_answered: 1,
        })),
        asQueue(queueDoc(ID, SALES, m4, { active: 0, transfer: 1, answered: 1, time: { start: T0, end: m6 }, agent_list: [CIA.name], agent_list_answer: [CIA.name] })),
        asAgent(agentDoc(ID, CIA, m4 + 2 * S, { active: 0, answered: 1, transfer: 1, time: { start: m4 + 2 * S, answered: m5, end: m6 }, agent_end_reason: 'hangup', queue: salesRef })),
      ],
    },
  ];
}

const live = (c: Counters) => ({ active: c.active, waiting: c.waiting, ringing: c.ringing, talking: c.talking });
const today = (c: Counters) => ({ answered: c.answeredToday, missed: c.missedToday, total: c.totalToday });
const union = (changes: StoreChange[], field: 'calls' | 'queueGroups' | 'agentGroups' | 'ended'): Set<string> =>
  new Set(changes.flatMap((c) => [...c[field]]));
const entriesFor = (call: CallRecord, key: string) => call.timeline.filter((e) => e.key === key);
const lastChanged = (call: CallRecord, feed: string, key?: string) =>
  call.timeline.filter((e) => e.feed === feed && (key === undefined || e.key.startsWith(key))).at(-1)!.changed;

describe('store: multi-queue, multi-agent transfer journey', () => {
  it('derives state, groups, counters, current queue/agent, outcome and timeline at every moment', () => {
    const h = new StoreHarness();
    const s = h.store;
    const moments = journey();
    const step = (i: number): CallRecord => {
      const results = h.at(moments[i].at, ...moments[i].docs);
      // Moment 3 re-sends Bo's final offer document unchanged: a duplicate.
      const expected = moments[i].docs.map((_, j) => !(i === 3 && j === 3));
      assert.deepEqual(results, expected, `moment ${i}: which documents are new`);
      return s.getCall(ID)!;
    };

    // 1. Start, in the IVR.
    let c = step(0);
    assert.equal(c.state, 'ivr');
    assert.equal(c.direction, 'incoming');
    assert.equal(c.customerNumber, '0046701234567');
    assert.equal(c.currentQueue, undefined);
    assert.deepEqual(groupShape(s.groups('queue')), { [NO_GROUP_KEY]: [ID] });
    assert.deepEqual(groupShape(s.groups('agent')), { [NO_GROUP_KEY]: [ID] });
    assert.deepEqual(live(s.counters()), { active: 1, waiting: 0, ringing: 0, talking: 0 });
    assert.equal(c.timeline.length, 1);
    assert.ok(c.timeline[0].changed.includes('time.start') && c.timeline[0].changed.includes('ivr_first.name'));
    let changes = h.take();
    assert.equal(changes.length, 1);
    assert.deepEqual([...changes[0].calls], [ID]);

    // 2. Enters Support (ring-all): Anna and Bo ring at once; the call is under each of them.
    c = step(1);
    assert.equal(c.state, 'ringing');
    assert.deepEqual(c.currentQueue, ref(SUPPORT));
    assert.deepEqual(c.activeAgents.map((a) => a.id).sort(), [ANNA.id, BO.id]);
    assert.equal(c.waitingSince, T0 + 5 * S);
    assert.deepEqual(groupShape(s.groups('queue')), { [SUPPORT.id]: [ID] });
    assert.deepEqual(groupShape(s.groups('agent')), { [ANNA.id]: [ID], [BO.id]: [ID] });
    assert.deepEqual(s.groups('agent').map((g) => g.label), [ANNA.name, BO.name]);
    assert.deepEqual(live(s.counters()), { active: 1, waiting: 0, ringing: 1, talking: 0 });
    assert.equal(c.timeline.length, 5);
    assert.equal(c.queueVisits.size, 1);
    assert.equal(c.agentOffers.size, 2);
    changes = h.take();
    assert.equal(changes.length, 4, 'one change event per effective document');
    assert.ok(union(changes, 'agentGroups').has(ANNA.id) && union(changes, 'agentGroups').has(BO.id));
    assert.ok(union(changes, 'queueGroups').has(SUPPORT.id) && union(changes, 'queueGroups').has(NO_GROUP_KEY));

    // 3. Anna answers; Bo's offer ends unanswered.
    h.advance(0);
    c = step(2);
    assert.equal(c.state, 'talking');
    assert.equal(c.stateSince, T0 + 15 * S);
    assert.deepEqual(c.currentAgent, ref(ANNA));
    assert.deepEqual(c.activeAgents, [ref(ANNA)]);
    assert.deepEqual(c.currentQueue, ref(SUPPORT));
    assert.equal(c.waitingSince, undefined);
    assert.deepEqual(groupShape(s.groups('agent')), { [ANNA.id]: [ID] });
    assert.deepEqual(groupShape(s.groups('queue')), { [SUPPORT.id]: [ID] });
    assert.deepEqual(live(s.counters()), { active: 1, waiting: 0, ringing: 0, talking: 1 });
    assert.equal(c.timeline.length, 9);
    const annaChanged = lastChanged(c, 'agents', `agent:${ANNA.id}@`);
    assert.ok(annaChanged.includes('time.answered') && annaChanged.includes('answered'), annaChanged.join());
    assert.ok(!annaChanged.includes('time.start'), 'unchanged leaves are not listed');
    assert.ok(lastChanged(c, 'calls').includes('answered'));
    assert.ok(lastChanged(c, 'calls').includes('agent_last.answered'));
    const boChanged = lastChanged(c, 'agents', `agent:${BO.id}@`);
    assert.ok(boChanged.includes('active') && boChanged.includes('time.end'), boChanged.join());
    assert.deepEqual(union(h.take(), 'agentGroups'), new Set([ANNA.id, BO.id]));

    // 4. Blind transfer into Sales: waiting there (answered is already 1), no agent rings.
    c = step(3);
    assert.equal(c.state, 'waiting');
    assert.deepEqual(c.currentQueue, ref(SALES));
    assert.deepEqual(c.currentAgent, ref(ANNA), 'current agent falls back to agent_last');
    assert.deepEqual(c.activeAgents, []);
    assert.equal(c.waitingSince, T0 + 60 * S);
    assert.deepEqual(groupShape(s.groups('queue')), { [SALES.id]: [ID] });
    assert.deepEqual(groupShape(s.groups('agent')), { [NO_GROUP_KEY]: [ID] });
    assert.deepEqual(live(s.counters()), { active: 1, waiting: 1, ringing: 0, talking: 0 });
    assert.equal(c.timeline.length, 13, "Bo's re-sent final document is a duplicate, the other four are new");
    assert.equal(c.queueVisits.size, 2);
    changes = h.take();
    assert.equal(changes.length, 4);
    for (const k of [SUPPORT.id, SALES.id]) assert.ok(union(changes, 'queueGroups').has(k), k);
    for (const k of [ANNA.id, NO_GROUP_KEY]) assert.ok(union(changes, 'agentGroups').has(k), k);
    h.advance(5 * S);
    assert.deepEqual(s.longestWait(), { callId: ID, waitedMs: 5 * S });
    assert.equal(s.groups('queue')[0].longestWaitMs, 5 * S);

    // 5. Cia answers in Sales.
    c = step(4);
    assert.equal(c.state, 'talking');
    assert.deepEqual(c.currentAgent, ref(CIA));
    assert.deepEqual(c.currentQueue, ref(SALES));
    assert.deepEqual(groupShape(s.groups('agent')), { [CIA.id]: [ID] });
    assert.deepEqual(live(s.counters()), { active: 1, waiting: 0, ringing: 0, talking: 1 });
    assert.equal(s.longestWait(), undefined);
    assert.equal(c.timeline.length, 16);
    assert.deepEqual(today(s.counters()), { answered: 0, missed: 0, total: 0 });
    h.take();

    // 6. End.
    c = step(5);
    assert.equal(c.state, 'ended');
    assert.deepEqual(c.outcome, { kind: 'answered' });
    assert.equal(c.endedAt, T0 + 100 * S);
    assert.deepEqual(c.currentAgent, ref(CIA));
    assert.equal(s.activeCount, 0);
    assert.equal(s.endedCount, 1);
    assert.deepEqual(s.activeCalls(), []);
    assert.deepEqual(s.endedCalls().map((x) => x.id), [ID]);
    assert.deepEqual(s.groups('queue'), []);
    assert.deepEqual(s.groups('agent'), []);
    assert.deepEqual(live(s.counters()), { active: 0, waiting: 0, ringing: 0, talking: 0 });
    assert.deepEqual(today(s.counters()), { answered: 1, missed: 0, total: 1 });
    assert.equal(c.timeline.length, 19);
    assert.ok(['active', 'time.end', 'terminated_call_reason'].every((p) => lastChanged(c, 'calls').includes(p)));
    assert.deepEqual(c.timeline.map((e) => e.seq), Array.from({ length: 19 }, (_, i) => i));
    assert.equal(entriesFor(c, 'call').length, 6);
    changes = h.take();
    assert.deepEqual(union(changes, 'ended'), new Set([ID]));
    assert.equal(changes.filter((x) => x.ended.has(ID)).length, 1, 'ended exactly once');
    const stats = s.queueStats();
    assert.deepEqual(stats.map((q) => [q.queueName, q.answeredToday, q.abandonedToday, q.averageWaitMs, q.serviceLevel, q.waiting]), [
      ['Sales', 1, 0, 10 * S, 1, 0],
      ['Support', 1, 0, 10 * S, 1, 0],
    ]);
  });
});

describe('store: document keys', () => {
  it('merges the documents of a call under exactly the keys entityKey names (missing ids, name-only agents, repeats)', () => {
    const h = new StoreHarness();
    const docs: DecodedDocument[] = [];
    const queues = [{ id: 'q1', name: 'Sales' }, { id: '?', name: 'Odd' }, { name: 'No id' }];
    const agents = [{ id: 'a1', name: 'Anna' }, { name: 'Bo' }, { id: 'Bo', name: 'Not Bo' }, {}];
    for (let round = 0; round < 2; round++) {
      for (const [i, q] of queues.entries()) {
        for (const timestart of [T0, T0 + S, undefined]) {
          const doc = queueDoc('keys', q as { id: string; name: string }, 0, { duration: { queue: round * 10 + i } });
          if (timestart === undefined) delete (doc.queue as { timestart?: number }).timestart;
          else doc.queue!.timestart = timestart;
          if (q.id === undefined) delete (doc.queue as { id?: string }).id;
          docs.push(asQueue(doc));
        }
      }
      for (const [i, a] of agents.entries()) {
        for (const start of [T0, T0 + 2 * S]) {
          const doc = agentDoc('keys', a as { id: string; name: string }, start, { duration: { ring: round * 10 + i } });
          if (a.id === undefined) delete (doc.agent as { id?: string }).id;
          if (a.name === undefined) delete (doc.agent as { name?: string }).name;
          docs.push(asAgent(doc));
        }
      }
    }
    for (const d of docs) h.store.ingest(d, T0 + 3 * S);
    const c = h.store.getCall('keys')!;
    const expected = (feed: FeedName) => [...new Set(docs.filter((d) => d.feed === feed).map((d) => entityKey(feed, d.doc)))].sort();
    assert.deepEqual([...c.queueVisits.keys()].sort(), expected('queues'));
    assert.deepEqual([...c.agentOffers.keys()].sort(), expected('agents'));
    // 'q1' and '?' and a missing id are three queues... but a missing id and '?' share a key: 2 x 3 timestarts.
    assert.equal(c.queueVisits.size, 6);
    // Bo by name and the agent whose id is 'Bo' share a key; an agent with neither is '?': 3 x 2 starts.
    assert.equal(c.agentOffers.size, 6);
    // Each key's latest document is the second round's.
    for (const v of c.queueVisits.values()) assert.ok(v.doc.duration!.queue! >= 10, v.key);
    for (const o of c.agentOffers.values()) assert.ok(o.doc.duration!.ring! >= 10, o.key);
    assert.equal(c.timeline.length, docs.length);
    // The second round's documents were merged with their key's earlier ones: only fields that differ are listed
    // (a key's documents differ in duration, and in the id or name of the two agents or queues that share it).
    const differ = new Set(['duration.queue', 'duration.ring', 'agent.id', 'agent.name', 'queue.id', 'queue.name']);
    for (const e of c.timeline.slice(docs.length / 2)) {
      assert.ok(e.changed.length > 0 && e.changed.every((p) => differ.has(p)), `${e.key}: ${e.changed.join(', ')}`);
    }
  });
});

describe('store: idempotency and late documents', () => {
  it('the same document twice changes nothing, decoded or not', () => {
    const h = new StoreHarness();
    const raw = JSON.stringify(callsDoc('d1'));
    const decoded = decodeFrame(raw, 'calls');
    assert.ok(decoded.ok);
    assert.equal(h.store.ingest(decoded.value, T0), true);
    const before = h.store.getCall('d1')!.timeline.length;
    h.take();
    const again = decodeFrame(raw, 'calls');
    assert.ok(again.ok);
    assert.equal(h.store.ingest(again.value, T0 + 1), false);
    // A structurally equal copy without frame bytes (the diff is empty).
    assert.equal(h.store.ingest(asCalls(callsDoc('d1')), T0 + 2), false);
    // Same content, different key order: still nothing new.
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()));
    assert.notEqual(reordered, raw);
    const r = decodeFrame(reordered, 'calls');
    assert.ok(r.ok);
    assert.equal(h.store.ingest(r.value, T0 + 3), false);
    assert.equal(h.take().length, 0, 'no change event');
    assert.equal(h.store.getCall('d1')!.timeline.length, before);
    assert.equal(h.store.getCall('d1')!.lastDocumentAt, T0);
  });

  it('a re-sent older document for a key is a duplicate too', () => {
    const h = new StoreHarness();
    const first = asQueue(queueDoc('d2', SUPPORT, T0));
    const second = asQueue(queueDoc('d2', SUPPORT, T0, { answered: 1 }));
    const fp = (d: DecodedDocument) => ({ ...d, frame: Buffer.from(JSON.stringify(d.doc)) });
    assert.deepEqual(h.at(T0, fp(first), fp(second)), [true, true]);
    assert.deepEqual(h.at(T0 + S, fp(first)), [false], 'replayed older document');
    assert.equal(h.store.getCall('d2')!.timeline.length, 2);
  });

  it('a re-send of any of the latest 8 documents of a key is a duplicate, found by its bytes', () => {
    const h = new StoreHarness();
    const fp = (d: DecodedDocument) => ({ ...d, frame: Buffer.from(JSON.stringify(d.doc)) });
    const versions = Array.from({ length: 10 }, (_, i) => fp(asQueue(queueDoc('d3', SUPPORT, T0, { duration: { queue: i } }))));
    assert.deepEqual(h.at(T0, ...versions), versions.map(() => true));
    // The 8 latest (versions 2..9) are remembered bytes: each re-send changes nothing.
    assert.deepEqual(h.at(T0 + S, ...versions.slice(2)), versions.slice(2).map(() => false), 're-sends of remembered bytes');
    assert.equal(h.store.getCall('d3')!.timeline.length, 10);
  });

  it('a late document for an ended key is recorded as late and does not bring the call back', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('L')), asQueue(queueDoc('L', SUPPORT, T0)));
    h.at(T0 + 10 * S, asCalls(callsDoc('L', { active: 0, time: { start: T0, end: T0 + 10 * S }, terminated_call_reason: 'queue_leave_abandon' })),
      asQueue(queueDoc('L', SUPPORT, T0, { active: 0, time: { start: T0, end: T0 + 10 * S }, queue: { fail_reason: 'queue_leave_abandon' } })));
    const ended = h.store.getCall('L')!;
    assert.equal(ended.state, 'ended');
    const totalsBefore = h.store.counters();
    h.take();

    // The calls document re-sent with active 1 (replayed), and a still-active queue document for the ended visit.
    const late = [asCalls(callsDoc('L', { answered: 1 })), asQueue(queueDoc('L', SUPPORT, T0, { answered: 1 }))];
    assert.deepEqual(h.at(T0 + 20 * S, ...late), [true, true]);
    // A new key (an agent offer) arriving active after the call ended is late too.
    assert.deepEqual(h.at(T0 + 21 * S, asAgent(agentDoc('L', ANNA, T0 + 2 * S))), [true]);
    const c = h.store.getCall('L')!;
    assert.equal(c.state, 'ended');
    assert.deepEqual(c.outcome, { kind: 'abandoned' });
    assert.equal(c.endedAt, T0 + 10 * S);
    assert.equal(h.store.activeCount, 0);
    assert.deepEqual(h.store.activeCalls(), []);
    assert.deepEqual(h.store.counters(), totalsBefore);
    const tail = c.timeline.slice(-3);
    assert.deepEqual(tail.map((e) => e.late), [true, true, true]);
    assert.deepEqual(tail.map((e) => e.feed), ['calls', 'queues', 'agents']);
    assert.ok(tail[0].changed.includes('answered'));
    assert.ok(c.timeline.slice(0, -3).every((e) => e.late === undefined));
    const changes = h.take();
    assert.equal(changes.length, 3);
    assert.ok(changes.every((ch) => ch.ended.size === 0 && ch.calls.has('L') && !ch.all));
    // The same late document again is a duplicate.
    assert.deepEqual(h.at(T0 + 30 * S, late[0]), [false]);
    assert.equal(h.store.getCall('L')!.timeline.length, c.timeline.length);
  });

  it('rejects malformed decoded input without throwing', () => {
    const s = new CallStore({ now: () => T0 });
    for (const bad of [null, {}, { feed: 'calls' }, { feed: 'x', doc: callsDoc('z') }, { feed: 'calls', doc: { ...callsDoc('z'), active: 2 } },
      { feed: 'calls', doc: { ...callsDoc('z'), time: {} } }, { feed: 'calls', doc: { ...callsDoc('z'), id_call: '' } }]) {
      assert.equal(s.ingest(bad as unknown as DecodedDocument), false);
    }
    assert.equal(s.activeCount, 0);
  });
});

/** A call known from the calls feed only (one document), to test the fallbacks and the outcomes. */
function callsOnly(doc: CallsDocument): CallRecord {
  const s = new CallStore({ now: () => T0 + 60 * S });
  assert.ok(s.ingest(asCalls(doc), T0 + 60 * S));
  return s.getCall(doc.id_call)!;
}

describe('store: derived state', () => {
  it('all feeds: ivr, waiting, ringing, talking, ended', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('s', { ...ivr })));
    assert.equal(h.store.getCall('s')!.state, 'ivr');
    h.at(T0 + 5 * S, asCalls(callsDoc('s', { ...ivr, queue_list: [SALES.name], queue_first: salesRef, queue_last: salesRef })),
      asQueue(queueDoc('s', SALES, T0 + 5 * S)));
    let c = h.store.getCall('s')!;
    assert.equal(c.state, 'waiting');
    assert.equal(c.waitingSince, T0 + 5 * S);
    h.at(T0 + 7 * S, asAgent(agentDoc('s', BO, T0 + 7 * S)));
    assert.equal(h.store.getCall('s')!.state, 'ringing');
    assert.equal(h.store.getCall('s')!.waitingSince, T0 + 5 * S, 'the wait started when the call entered the queue');
    h.at(T0 + 9 * S, asAgent(agentDoc('s', BO, T0 + 7 * S, { time: { start: T0 + 7 * S, answered: T0 + 9 * S } })));
    c = h.store.getCall('s')!;
    assert.equal(c.state, 'talking');
    assert.deepEqual(c.currentAgent, ref(BO));
    h.at(T0 + 20 * S, asCalls(callsDoc('s', { active: 0, answered: 1, time: { start: T0, end: T0 + 20 * S }, terminated_call_reason: 'hangup' })));
    assert.equal(h.store.getCall('s')!.state, 'ended');
  });

  it('dialling out: an outgoing call not yet answered', () => {
    const c = callsOnly(callsDoc('o', { call_direction: 'outgoing', customer_target: { number: '0046812345' } }));
    assert.equal(c.state, 'dialling');
    assert.equal(c.direction, 'outgoing');
    assert.equal(c.waitingSince, undefined);
  });

  it('calls feed only: waiting when queue_last.timestart is after agent_last.answered (answered, then transferred)', () => {
    const transferred = callsOnly(callsDoc('t', {
      answered: 1, transfers: 1, queue_first: supportRef, queue_last: salesRef,
      agent_first: { ...ref(ANNA), answered: T0 + 15 * S }, agent_last: { ...ref(ANNA), answered: T0 + 15 * S },
    }));
    assert.equal(transferred.state, 'waiting');
    assert.deepEqual(transferred.currentQueue, ref(SALES));
    assert.equal(transferred.waitingSince, salesRef.timestart);

    const talking = callsOnly(callsDoc('t2', {
      answered: 1, queue_first: salesRef, queue_last: salesRef,
      agent_first: { ...ref(ANNA), answered: T0 + 65 * S }, agent_last: { ...ref(ANNA), answered: T0 + 65 * S },
    }));
    assert.equal(talking.state, 'talking');
    assert.deepEqual(talking.currentAgent, ref(ANNA));

    const queued = callsOnly(callsDoc('t3', { queue_first: supportRef, queue_last: supportRef }));
    assert.equal(queued.state, 'waiting');
    assert.deepEqual(queued.currentQueue, ref(SUPPORT));

    const inIvr = callsOnly(callsDoc('t4', { ...ivr }));
    assert.equal(inIvr.state, 'ivr');
  });

  const ended = (over: Partial<CallsDocument>) => callsOnly(callsDoc('e', { active: 0, time: { start: T0, end: T0 + 30 * S }, ...over }));

  it('outcomes: answered, abandoned (reason or queue fail_reason), voicemail, other reasons kept as given', () => {
    assert.deepEqual(ended({ answered: 1, terminated_call_reason: 'hangup' }).outcome, { kind: 'answered' });
    assert.deepEqual(ended({ terminated_call_reason: 'queue_leave_abandon' }).outcome, { kind: 'abandoned' });
    assert.deepEqual(ended({ terminated_call_reason: 'hangup', queue_last: { ...salesRef, fail_reason: 'queue_leave_abandon' } }).outcome, { kind: 'abandoned' });
    assert.deepEqual(ended({ voicemail: 1, terminated_call_reason: 'hangup' }).outcome, { kind: 'voicemail' });
    assert.deepEqual(ended({ terminated_call_reason: 'queue_leave_timeout' }).outcome, { kind: 'other', reason: 'queue_leave_timeout' });
    assert.deepEqual(ended({ terminated_call_reason: 'brand_new_reason_2027' }).outcome, { kind: 'other', reason: 'brand_new_reason_2027' });
    assert.equal(ended({ terminated_call_reason: 'no_answer' }).endedAt, T0 + 30 * S);
  });

  it("abandoned from the queues feed's fail_reason when the calls document says otherwise", () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('qa', { queue_first: supportRef, queue_last: supportRef })), asQueue(queueDoc('qa', SUPPORT, T0 + 5 * S)));
    h.at(T0 + 40 * S,
      asQueue(queueDoc('qa', SUPPORT, T0 + 5 * S, { active: 0, time: { start: T0, end: T0 + 40 * S }, queue: { fail_reason: 'queue_leave_abandon' } })),
      asCalls(callsDoc('qa', { active: 0, time: { start: T0, end: T0 + 40 * S }, terminated_call_reason: 'hangup', queue_first: supportRef, queue_last: supportRef })));
    assert.deepEqual(h.store.getCall('qa')!.outcome, { kind: 'abandoned' });
  });
});

describe('store: derived references', () => {
  it('a call keeps its queue, agent and agent list objects while documents name the same ones, and replaces them when they change', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('r1')), asQueue(queueDoc('r1', SUPPORT, T0)));
    const c = h.store.getCall('r1')!;
    const queue = c.currentQueue;
    assert.deepEqual(queue, { id: SUPPORT.id, name: SUPPORT.name });
    // Ring-all: Anna and Bo ring.
    h.at(T0 + S, asAgent(agentDoc('r1', ANNA, T0 + S)), asAgent(agentDoc('r1', BO, T0 + S)));
    const ringing = c.activeAgents;
    assert.deepEqual(ringing.map((a) => a.id).sort(), [ANNA.id, BO.id].sort());
    assert.equal(c.currentQueue, queue, 'same queue: same object');
    // A document that changes nothing the call derives (the queue's wait so far): the same objects.
    h.at(T0 + 2 * S, asQueue(queueDoc('r1', SUPPORT, T0, { duration: { queue: 2 } })));
    assert.equal(c.activeAgents, ringing);
    assert.equal(c.currentQueue, queue);
    const agent = c.currentAgent;
    // Anna answers: the list and the agent change; Bo's offer ends.
    h.at(T0 + 3 * S, asAgent(agentDoc('r1', ANNA, T0 + S, { time: { start: T0 + S, answered: T0 + 3 * S } })),
      asAgent(agentDoc('r1', BO, T0 + S, { active: 0, time: { start: T0 + S, end: T0 + 3 * S }, agent_end_reason: 'answered_elsewhere' })));
    assert.equal(c.state, 'talking');
    assert.deepEqual(c.activeAgents, [{ id: ANNA.id, name: ANNA.name }]);
    assert.notEqual(c.activeAgents, ringing);
    assert.deepEqual(c.currentAgent, { id: ANNA.id, name: ANNA.name });
    assert.ok(agent === undefined || agent.id !== ANNA.id || c.currentAgent === agent);
    const talking = c.activeAgents;
    h.at(T0 + 4 * S, asQueue(queueDoc('r1', SUPPORT, T0, { duration: { queue: 3 } })));
    assert.equal(c.activeAgents, talking, 'unchanged again: kept');
    // The same agent under a new name (the feed renamed her): a new object with the new name.
    h.at(T0 + 5 * S, asAgent(agentDoc('r1', { id: ANNA.id, name: 'Anna G.' }, T0 + S, { time: { start: T0 + S, answered: T0 + 3 * S } })));
    assert.deepEqual(c.activeAgents, [{ id: ANNA.id, name: 'Anna G.' }]);
    assert.deepEqual(c.currentAgent, { id: ANNA.id, name: 'Anna G.' });
  });
});

describe('store: derived references from the calls feed alone', () => {
  it('keeps the queue, agent and agent list objects while the calls documents name the same ones', () => {
    const h = new StoreHarness();
    const q = { id: SUPPORT.id, name: SUPPORT.name, timestart: T0 };
    const answered = (over: Partial<CallsDocument> = {}) => asCalls(callsDoc('cf', { answered: 1, queue_first: q, queue_last: q, agent_last: { id: ANNA.id, name: ANNA.name, answered: T0 + 5 * S }, ...over }));
    h.at(T0 + 5 * S, answered());
    const c = h.store.getCall('cf')!;
    assert.equal(c.state, 'talking');
    const [queue, agent, agents] = [c.currentQueue, c.currentAgent, c.activeAgents];
    assert.deepEqual(agents, [{ id: ANNA.id, name: ANNA.name }]);
    h.at(T0 + 6 * S, answered({ duration: { total: 6 } }));
    assert.equal(c.currentQueue, queue);
    assert.equal(c.currentAgent, agent);
    assert.equal(c.activeAgents, agents);
    h.at(T0 + 9 * S, answered({ agent_last: { id: BO.id, name: BO.name, answered: T0 + 9 * S } }));
    assert.deepEqual(c.currentAgent, { id: BO.id, name: BO.name });
    assert.deepEqual(c.activeAgents, [{ id: BO.id, name: BO.name }]);
    assert.equal(c.currentQueue, queue);
  });
});

describe('store: derived agent references made from names', () => {
  it('keeps the agent object while documents name the same agent by name and surname, or by name alone', () => {
    const h = new StoreHarness();
    // The queues feed alone: its visit's agent_last (name and surname apart) names who answered.
    const per = { id: '77', name: 'Per', surname: 'Holm', answered: T0 + 5 * S };
    h.at(T0 + 5 * S, asQueue(queueDoc('nm', SUPPORT, T0, { answered: 1, agent_first: per, agent_last: per })));
    const c = h.store.getCall('nm')!;
    assert.equal(c.state, 'talking');
    const agent = c.currentAgent;
    assert.deepEqual(agent, { id: '77', name: 'Per Holm' });
    h.at(T0 + 6 * S, asQueue(queueDoc('nm', SUPPORT, T0, { answered: 1, agent_first: per, agent_last: per, duration: { queue: 5 } })));
    assert.equal(c.currentAgent, agent, 'same agent: same object');
    // Same id and first name, another surname: another name, so another object.
    const perHolmberg = { ...per, surname: 'Holmberg' };
    h.at(T0 + 7 * S, asQueue(queueDoc('nm', SUPPORT, T0, { answered: 1, agent_first: perHolmberg, agent_last: perHolmberg })));
    assert.deepEqual(c.currentAgent, { id: '77', name: 'Per Holmberg' });
    assert.notEqual(c.currentAgent, agent);
    // A name of the same length, not joined by a space, is another name too.
    const joinedOtherwise = { id: '77', name: 'Per_Holm', answered: T0 + 5 * S };
    h.at(T0 + 8 * S, asQueue(queueDoc('nm', SUPPORT, T0, { answered: 1, agent_first: joinedOtherwise, agent_last: joinedOtherwise })));
    assert.deepEqual(c.currentAgent, { id: '77', name: 'Per_Holm' });
    h.at(T0 + 9 * S, asQueue(queueDoc('nm', SUPPORT, T0, { answered: 1, agent_first: per, agent_last: per })));
    assert.deepEqual(c.currentAgent, { id: '77', name: 'Per Holm' });

    // The calls feed alone, an agent without an id: named by its name, and kept while that stays.
    const cia = { name: 'Cia', answered: T0 + 5 * S };
    h.at(T0 + 5 * S, asCalls(callsDoc('nm2', { answered: 1, agent_last: cia })));
    const d = h.store.getCall('nm2')!;
    const named = d.currentAgent;
    assert.deepEqual(named, { id: 'name:Cia', name: 'Cia' });
    h.at(T0 + 6 * S, asCalls(callsDoc('nm2', { answered: 1, agent_last: cia, duration: { total: 6 } })));
    assert.equal(d.currentAgent, named);
    h.at(T0 + 7 * S, asCalls(callsDoc('nm2', { answered: 1, agent_last: { name: 'Cian', answered: T0 + 5 * S } })));
    assert.deepEqual(d.currentAgent, { id: 'name:Cian', name: 'Cian' });
  });
});

describe('store: grouping', () => {
  it('groups by queue and by agent, the no-group last, with counts and the longest current wait', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('g1')), asQueue(queueDoc('g1', SUPPORT, T0)));
    h.at(T0 + 10 * S, asCalls(callsDoc('g2')), asQueue(queueDoc('g2', SUPPORT, T0 + 10 * S)));
    h.at(T0 + 20 * S, asCalls(callsDoc('g3')), asQueue(queueDoc('g3', SALES, T0 + 20 * S)), asAgent(agentDoc('g3', ANNA, T0 + 25 * S)));
    h.at(T0 + 30 * S, asCalls(callsDoc('g4', { call_direction: 'outgoing' })));
    h.at(T0 + 31 * S, asCalls(callsDoc('g5')), asAgent(agentDoc('g5', ANNA, T0 + 31 * S, { time: { start: T0 + 31 * S, answered: T0 + 32 * S } })));
    h.time = T0 + 60 * S;
    const byQueue = h.store.groups('queue');
    assert.deepEqual(byQueue.map((g) => [g.key, g.label, g.calls.map((c) => c.id), g.longestWaitMs]), [
      [SALES.id, 'Sales', ['g3'], 40 * S],
      [SUPPORT.id, 'Support', ['g1', 'g2'], 60 * S],
      [NO_GROUP_KEY, 'In IVR / no queue', ['g4', 'g5'], 0],
    ]);
    const byAgent = h.store.groups('agent');
    assert.deepEqual(byAgent.map((g) => [g.key, g.calls.map((c) => c.id), g.longestWaitMs]), [
      [ANNA.id, ['g3', 'g5'], 40 * S],
      [NO_GROUP_KEY, ['g1', 'g2', 'g4'], 60 * S],
    ]);
    assert.ok(byQueue.every((g) => g.mode === 'queue') && byAgent.every((g) => g.mode === 'agent'));
    assert.deepEqual(h.store.longestWait(), { callId: 'g1', waitedMs: 60 * S });
    assert.deepEqual(h.store.counters().active, 5);
    h.time = T0 + 90 * S;
    assert.equal(h.store.groups('queue')[1].longestWaitMs, 90 * S, 'waits grow with the clock');
  });
});

describe("store: today's counters", () => {
  const endCall = (h: StoreHarness, id: string, at: number, over: Partial<CallsDocument>) =>
    h.at(at, asCalls(callsDoc(id, { active: 0, time: { start: at - 30 * S, end: at }, ...over })));

  it('missed = inbound, not internal, ended unanswered; answered and total; internal and outgoing are not missed', () => {
    const h = new StoreHarness();
    endCall(h, 'a', T0 + S, { answered: 1, terminated_call_reason: 'hangup' });
    endCall(h, 'b', T0 + 2 * S, { terminated_call_reason: 'queue_leave_abandon' });
    endCall(h, 'c', T0 + 3 * S, { terminated_call_reason: 'no_answer' });
    endCall(h, 'd', T0 + 4 * S, { voicemail: 1, terminated_call_reason: 'hangup' });
    endCall(h, 'e', T0 + 5 * S, { internal: 1, terminated_call_reason: 'no_answer' });
    endCall(h, 'f', T0 + 6 * S, { call_direction: 'outgoing', terminated_call_reason: 'no_answer' });
    endCall(h, 'g', T0 + 7 * S, { internal: 1, answered: 1, terminated_call_reason: 'hangup' });
    assert.deepEqual(today(h.store.counters()), { answered: 2, missed: 3, total: 7 });
  });

  it('today starts at local midnight: a rollover resets the figures; only calls that ended today count', () => {
    const lateEvening = new Date(2026, 2, 2, 23, 59, 0).getTime();
    const h = new StoreHarness({ endedKeepMs: 24 * 3_600_000 }, lateEvening);
    // Started yesterday evening, still active across midnight.
    h.at(lateEvening, asCalls(callsDoc('x', { time: { start: lateEvening } })));
    endCall(h, 'y', lateEvening + 10 * S, { answered: 1 });
    endCall(h, 'z', lateEvening + 20 * S, { terminated_call_reason: 'queue_leave_abandon' });
    assert.deepEqual(today(h.store.counters()), { answered: 1, missed: 1, total: 2 });
    assert.equal(h.store.queueStats().length, 0);
    const midnight = new Date(2026, 2, 3, 0, 0, 0).getTime();
    h.time = midnight - 1;
    assert.deepEqual(today(h.store.counters()), { answered: 1, missed: 1, total: 2 });
    h.time = midnight;
    assert.deepEqual(today(h.store.counters()), { answered: 0, missed: 0, total: 0 }, 'new day');
    assert.equal(h.store.endedCount, 2, 'ended calls stay listed; only the day figures reset');
    // The call that started yesterday ends today: it counts today.
    h.at(midnight + 5 * S, asCalls(callsDoc('x', { active: 0, answered: 1, time: { start: lateEvening, end: midnight + 5 * S } })));
    assert.deepEqual(today(h.store.counters()), { answered: 1, missed: 0, total: 1 });
    h.store.sweep();
    assert.deepEqual(today(h.store.counters()), { answered: 1, missed: 0, total: 1 });
  });

  it("a queue's final document after the call ended refines today's per-queue figures (once, before they are read)", () => {
    const h = new StoreHarness();
    const enter = T0 + 5 * S;
    // The calls feed names no queue; only the queues feed knows the visit, and its final document comes last.
    h.at(T0, asCalls(callsDoc('r', { time: { start: T0 } })));
    h.at(enter, asQueue(queueDoc('r', SUPPORT, enter, { time: { start: T0 } })));
    h.at(T0 + 40 * S, asCalls(callsDoc('r', { active: 0, terminated_call_reason: 'hangup', time: { start: T0, end: T0 + 40 * S } })));
    const before = h.store.queueStats().find((q) => q.queueId === SUPPORT.id);
    assert.equal(before?.abandonedToday ?? 0, 0, 'the open visit is not abandoned yet');
    h.take();
    h.at(T0 + 41 * S, asQueue(queueDoc('r', SUPPORT, enter, {
      active: 0, time: { start: T0, end: T0 + 40 * S }, queue: { id: SUPPORT.id, name: SUPPORT.name, timestart: enter, fail_reason: 'queue_leave_abandon' },
    })));
    assert.ok(h.take().some((c) => c.counters), 'the change says the counters may have changed');
    const after = h.store.queueStats().find((q) => q.queueId === SUPPORT.id);
    assert.equal(after?.abandonedToday, 1);
    assert.equal(after?.averageWaitMs, 35 * S, 'entered at +5 s, left at the end (+40 s)');
    assert.deepEqual(h.store.queueStats(), h.store.queueStats(), 'reading again changes nothing');
    assert.equal(h.store.queueStats().find((q) => q.queueId === SUPPORT.id)?.abandonedToday, 1, 'counted once');
  });

  it("with a filter, a late document that makes an ended call match counts it in today's figures once", () => {
    const h = new StoreHarness();
    h.store.setFilter([{ field: 'queue', value: 'support' }]);
    // Only the calls feed so far: no queue is named, so the call does not match.
    h.at(T0, asCalls(callsDoc('fl', { time: { start: T0 } })));
    h.at(T0 + 40 * S, asCalls(callsDoc('fl', { active: 0, answered: 1, terminated_call_reason: 'hangup', time: { start: T0, end: T0 + 40 * S } })));
    assert.equal(today(h.store.counters()).total, 0, 'read: its summary is made, not counted');
    // The queues feed's final names Support: the summary is refined and now matches.
    h.at(T0 + 41 * S, asQueue(queueDoc('fl', SUPPORT, T0 + 5 * S, { active: 0, answered: 1, time: { start: T0, end: T0 + 40 * S } })));
    assert.equal(today(h.store.counters()).total, 1);
    assert.equal(today(h.store.counters()).total, 1, 'reading again changes nothing');
    // Rebuilt from the summaries (another filter, then this one again): the same.
    h.store.setFilter([{ field: 'queue', value: 'sales' }]);
    assert.equal(today(h.store.counters()).total, 0);
    h.store.setFilter([{ field: 'queue', value: 'support' }]);
    assert.equal(today(h.store.counters()).total, 1);
  });

  it('per queue today: waiting, longest wait, answered, abandoned, average wait, service level without internal calls', () => {
    const h = new StoreHarness({ serviceLevelSeconds: 20 });
    const visit = (id: string, q: typeof SUPPORT, enter: number, opts: { answerAfter?: number; abandonAfter?: number; internal?: 0 | 1 }) => {
      const qs = { id: q.id, name: q.name, strategy: 'rrmemory', timestart: enter };
      const base = { internal: opts.internal ?? 0, queue_first: qs, queue_last: qs };
      h.at(enter, asCalls(callsDoc(id, { ...base, time: { start: enter } })), asQueue(queueDoc(id, q, enter, { time: { start: enter } })));
      if (opts.answerAfter !== undefined) {
        const at = enter + opts.answerAfter;
        h.at(at, asAgent(agentDoc(id, ANNA, enter, { time: { start: enter, answered: at }, queue: qs })));
        const end = at + 60 * S;
        h.at(end, asCalls(callsDoc(id, { ...base, active: 0, answered: 1, time: { start: enter, end }, terminated_call_reason: 'hangup' })),
          asQueue(queueDoc(id, q, enter, { active: 0, answered: 1, time: { start: enter, end } })),
          asAgent(agentDoc(id, ANNA, enter, { active: 0, time: { start: enter, answered: at, end }, queue: qs })));
      } else if (opts.abandonAfter !== undefined) {
        const end = enter + opts.abandonAfter;
        const failed = { ...qs, fail_reason: 'queue_leave_abandon' };
        h.at(end, asCalls(callsDoc(id, { ...base, queue_first: failed, queue_last: failed, active: 0, time: { start: enter, end }, terminated_call_reason: 'queue_leave_abandon' })),
          asQueue(queueDoc(id, q, enter, { active: 0, time: { start: enter, end }, queue: { fail_reason: 'queue_leave_abandon' } })));
      }
    };
    visit('q1', SUPPORT, T0, { answerAfter: 10 * S });
    visit('q2', SUPPORT, T0 + 100 * S, { answerAfter: 30 * S });
    visit('q3', SUPPORT, T0 + 200 * S, { abandonAfter: 50 * S });
    visit('q4', SUPPORT, T0 + 300 * S, { answerAfter: 40 * S, internal: 1 });
    visit('q5', SALES, T0 + 400 * S, { answerAfter: 5 * S });
    visit('w1', SUPPORT, T0 + 500 * S, {});
    visit('w2', SUPPORT, T0 + 520 * S, {});
    h.time = T0 + 600 * S;
    const stats = h.store.queueStats();
    const support = stats.find((q) => q.queueId === SUPPORT.id)!;
    const sales = stats.find((q) => q.queueId === SALES.id)!;
    assert.deepEqual(stats.map((q) => q.queueName), ['Sales', 'Support']);
    assert.equal(support.waiting, 2);
    assert.equal(support.longestWaitMs, 100 * S);
    assert.equal(support.answeredToday, 3);
    assert.equal(support.abandonedToday, 1);
    assert.equal(support.averageWaitMs, (10 + 30 + 50 + 40) * S / 4);
    // External answered visits: 10 s (within 20 s) and 30 s (not); the internal 40 s one is left out.
    assert.equal(support.serviceLevel, 1 / 2);
    assert.deepEqual([sales.waiting, sales.longestWaitMs, sales.answeredToday, sales.abandonedToday, sales.averageWaitMs, sales.serviceLevel],
      [0, 0, 1, 0, 5 * S, 1]);
    h.store.setOptions({ serviceLevelSeconds: 30 });
    assert.equal(h.store.queueStats().find((q) => q.queueId === SUPPORT.id)!.serviceLevel, 1);
    assert.deepEqual(today(h.store.counters()), { answered: 4, missed: 1, total: 5 });
  });
});

describe('store: timeline cap and ended-call retention', () => {
  it('beyond the cap keeps the first and the latest entries with a count of the dropped ones', () => {
    const h = new StoreHarness({ timelineCap: 5 });
    for (let i = 0; i < 12; i++) h.at(T0 + i * S, asCalls(callsDoc('cap', { duration: { total: i } })));
    const c = h.store.getCall('cap')!;
    assert.equal(c.timeline.length, 5);
    assert.equal(c.timelineDropped, 7);
    assert.equal(c.timeline[0].seq, 0, 'the first entry is kept');
    assert.deepEqual(c.timeline.map((e) => e.seq), [0, 8, 9, 10, 11]);
    assert.equal((c.timeline.at(-1)!.document as CallsDocument).duration!.total, 11);
    assert.deepEqual(c.timeline[1].changed, ['duration.total']);
    h.store.setOptions({ timelineCap: 3 });
    const after = h.store.getCall('cap')!;
    assert.deepEqual(after.timeline.map((e) => e.seq), [0, 10, 11]);
    assert.equal(after.timelineDropped, 9);
  });

  it('a call with more than 256 queue visits and agent offers drops the ended ones updated least recently, never open ones', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('many')));
    // 200 agent offers, ended but for a45, then 100 queue visits of which every other one is still open.
    for (let i = 0; i < 200; i++) {
      const start = T0 + i;
      const over = i === 45 ? {} : { active: 0 as const, time: { start, end: start + 1 } };
      h.at(T0 + S, asAgent(agentDoc('many', { id: `a${i}`, name: `Agent ${i}` }, start, over)));
    }
    for (let i = 0; i < 100; i++) {
      const q = { id: `q${i}`, name: `Queue ${i}` };
      h.at(T0 + 2 * S, asQueue(queueDoc('many', q, T0 + i, i % 2 === 0 ? { active: 0, time: { start: T0, end: T0 + i } } : {})));
    }
    const c = h.store.getCall('many')!;
    assert.equal(1 + c.queueVisits.size + c.agentOffers.size, 256, 'the call key and 255 visits and offers');
    // 301 keys: the 45 oldest ended ones went, which are the first offers; every visit stays.
    assert.equal(c.queueVisits.size, 100);
    assert.deepEqual([...c.agentOffers.values()].map((o) => o.agentId).slice(0, 2), ['a45', 'a46']);
    // a45 ends now, so it was updated most recently of the ended keys: older ended ones go first, open ones never.
    h.at(T0 + 3 * S, asAgent(agentDoc('many', { id: 'a45', name: 'Agent 45' }, T0 + 45, { active: 0, time: { start: T0 + 45, end: T0 + 99 } })));
    for (let i = 100; i < 260; i++) h.at(T0 + 4 * S, asQueue(queueDoc('many', { id: `q${i}`, name: `Queue ${i}` }, T0 + i)));
    assert.equal(1 + c.queueVisits.size + c.agentOffers.size, 256);
    assert.equal([...c.queueVisits.values()].filter((v) => !v.ended).length, 210, 'all open visits');
    assert.deepEqual([...c.agentOffers.values()].map((o) => o.agentId), ['a45'], 'the recently updated offer outlives older ended keys');
    assert.equal([...c.queueVisits.values()].filter((v) => v.ended).length, 44);
    assert.equal(c.call?.id_call, 'many', 'the call key stays');
  });

  const endAt = (h: StoreHarness, id: string, at: number) => {
    h.at(at - 5 * S, asCalls(callsDoc(id, { time: { start: at - 5 * S } })));
    h.at(at, asCalls(callsDoc(id, { active: 0, answered: 1, time: { start: at - 5 * S, end: at } })));
  };

  it('ended calls are kept for endedKeepMs (sweep on a fake clock), then evicted for good', () => {
    const h = new StoreHarness({ endedKeepMs: 60 * S });
    endAt(h, 'r1', T0 + 10 * S);
    endAt(h, 'r2', T0 + 40 * S);
    h.time = T0 + 70 * S;
    h.store.sweep();
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['r2', 'r1']);
    h.take();
    h.time = T0 + 70 * S + 1;
    h.store.sweep();
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['r2']);
    assert.equal(h.store.getCall('r1'), undefined);
    assert.equal(h.take().length, 1, 'an eviction is announced');
    h.time = T0 + 101 * S;
    h.store.sweep();
    assert.equal(h.store.endedCount, 0);
    assert.equal(h.store.getCall('r2'), undefined);
    // A late document for an evicted call does not bring it back.
    assert.deepEqual(h.at(T0 + 102 * S, asCalls(callsDoc('r2', { answered: 1 }))), [false]);
    assert.equal(h.store.getCall('r2'), undefined);
    assert.equal(h.store.activeCount, 0);
    assert.deepEqual(today(h.store.counters()), { answered: 2, missed: 0, total: 2 }, "today's figures outlive the list");
  });

  it('ended calls are kept bounded by count, oldest first', () => {
    const h = new StoreHarness({ endedMax: 3 });
    for (let i = 1; i <= 5; i++) endAt(h, `n${i}`, T0 + i * 10 * S);
    assert.equal(h.store.endedCount, 3);
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['n5', 'n4', 'n3']);
    assert.equal(h.store.getCall('n1'), undefined);
    assert.equal(h.store.getCall('n2'), undefined);
    h.store.setOptions({ endedMax: 1 });
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['n5']);
    assert.equal(h.store.getCall('n3'), undefined);
  });

  it('an evicted call releases its history: a record still held shows an ended call with no timeline, visits or offers', () => {
    const h = new StoreHarness({ endedMax: 1 });
    h.at(T0, asQueue(queueDoc('held', SUPPORT, T0)));
    h.at(T0 + S, asAgent(agentDoc('held', ANNA, T0 + S)));
    endAt(h, 'held', T0 + 10 * S);
    const held = h.store.getCall('held');
    assert.ok(held);
    assert.equal(held.state, 'ended');
    assert.equal(held.timeline.length, 4);
    assert.equal(held.queueVisits.size, 1);
    assert.equal(held.agentOffers.size, 1);
    endAt(h, 'next', T0 + 20 * S);
    assert.equal(h.store.getCall('held'), undefined, 'evicted');
    // What the record referenced is released, so it can die young even while the record lingers in old space.
    assert.equal(held.timeline.length, 0);
    assert.equal(held.timelineDropped, 4, 'the released entries are counted as dropped');
    assert.equal(held.queueVisits.size, 0);
    assert.equal(held.agentOffers.size, 0);
    assert.equal(held.call, undefined);
    assert.equal(held.state, 'ended', 'what the record says of the call stays');
    assert.deepEqual(today(h.store.counters()), { answered: 2, missed: 0, total: 2 }, "today's figures were settled before the release");
  });

  it('over hundreds of ended calls, count and age evict in the order the calls ended, and clear() empties the list', () => {
    const h = new StoreHarness({ endedMax: 50, endedKeepMs: 100 * S });
    for (let i = 1; i <= 300; i++) {
      endAt(h, `m${i}`, T0 + i * S);
      if (i % 40 === 0 && i >= 50) {
        assert.equal(h.store.endedCount, 50);
        assert.deepEqual(h.store.endedCalls().map((c) => c.id), Array.from({ length: 50 }, (_, k) => `m${i - k}`), `after ${i}`);
      }
    }
    // By age: the calls that ended more than 100 s before now go, oldest first, however many that is.
    h.time = T0 + 370 * S;
    h.store.sweep();
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), Array.from({ length: 31 }, (_, k) => `m${300 - k}`));
    for (let k = 1; k < 270; k++) assert.equal(h.store.getCall(`m${k}`), undefined, `m${k} left memory`);
    assert.ok(h.store.getCall('m270'));
    h.store.clear();
    assert.equal(h.store.endedCount, 0);
    assert.deepEqual(h.store.endedCalls(), []);
    endAt(h, 'after-clear', T0 + 400 * S);
    assert.deepEqual(h.store.endedCalls().map((c) => c.id), ['after-clear']);
  });
});

describe('store: remembered evicted ids', () => {
  it('keeps the last max ids, forgets the oldest first, ignores a repeat, and clears', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c']) ids.add(id);
    assert.deepEqual(['a', 'b', 'c'].map((id) => ids.has(id)), [true, true, true]);
    ids.add('b'); // a repeat is not a new arrival: 'a' stays
    ids.add('d');
    assert.deepEqual(['a', 'b', 'c', 'd'].map((id) => ids.has(id)), [false, true, true, true]);
    for (const id of ['e', 'f', 'g']) ids.add(id);
    assert.deepEqual(['b', 'c', 'd', 'e', 'f', 'g'].map((id) => ids.has(id)), [false, false, false, true, true, true]);
    ids.clear();
    assert.equal(ids.has('g'), false);
    for (const id of ['x', 'y', 'z', 'w']) ids.add(id);
    assert.deepEqual(['x', 'y', 'z', 'w'].map((id) => ids.has(id)), [false, true, true, true], 'the ring restarts after clear');
  });
});

/** The parsed document behind a timeline entry (private); undefined once released. */
const held = (e: unknown) => (e as { doc?: unknown }).doc;

describe('store: timeline entries keep text once superseded', () => {

  it('entries with frame bytes keep only the bytes, the store reads the facts; each re-decodes to exactly what was ingested', () => {
    const h = new StoreHarness();
    // Numeric ids and a boolean flag: what the entries re-decode must be the normalised document, not the raw frame.
    const frames = [
      { ...callsDoc('t1'), agent_last: { id: 5555, name: 'Anna', answered: undefined } },
      { ...callsDoc('t1', { answered: 1 }), agent_last: { id: 5555, name: 'Anna', answered: T0 + 9 * S }, recorded: true },
      { ...callsDoc('t1', { answered: 1, duration: { total: 40 } }), agent_last: { id: 5555, name: 'Anna', answered: T0 + 9 * S } },
    ].map((d) => JSON.stringify(d));
    const ingested: DecodedDocument[] = [];
    frames.forEach((text, i) => {
      const r = decodeFrame(text, 'calls');
      assert.ok(r.ok);
      ingested.push(r.value);
      assert.equal(h.store.ingest(r.value, T0 + i * S), true);
    });
    const timeline = h.store.getCall('t1')!.timeline;
    assert.equal(timeline.length, 3);
    assert.equal(held(timeline[0]), undefined, 'superseded: frame bytes only');
    assert.equal(held(timeline[1]), undefined, 'superseded: frame bytes only');
    assert.equal(held(timeline[2]), undefined, 'the latest too: the store reads its facts');
    assert.deepEqual(h.store.getCall('t1')!.callFacts, factsOf('calls', ingested[2].doc), 'the latest document\'s facts');
    timeline.forEach((e, i) => assert.deepEqual(e.document, ingested[i].doc, `entry ${i} re-decodes to the ingested document`));
    assert.equal(held(timeline[0]), undefined, 'reading a released entry does not keep its document again');
    assert.equal((timeline[0].document as CallsDocument).agent_last?.id, '5555', 'normalised (id as a string)');
    assert.equal(timeline[1].document.recorded, 1, 'normalised (flag as 0/1)');
    // Changed paths are diffed against the previous document, also when both sides come back from frame bytes.
    assert.ok(timeline[0].changed.includes('id_call'), 'a first document changes every field');
    assert.deepEqual([...timeline[1].changed].sort(), ['agent_last.answered', 'answered', 'recorded']);
    assert.deepEqual([...timeline[2].changed].sort(), ['duration.total', 'recorded']);
  });

  it('documents ingested without frame bytes (no decoder) keep their parsed document', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('t2')));
    h.at(T0 + S, asCalls(callsDoc('t2', { answered: 1 })));
    const timeline = h.store.getCall('t2')!.timeline;
    assert.notEqual(held(timeline[0]), undefined);
    assert.deepEqual(timeline[1].changed, ['answered']);
  });

  it('a late document is recorded as frame bytes at once and diffed against the key\'s final document', () => {
    const h = new StoreHarness();
    const ingest = (over: Partial<CallsDocument>, at: number) => {
      const r = decodeFrame(JSON.stringify(callsDoc('t3', over)), 'calls');
      assert.ok(r.ok);
      return h.store.ingest(r.value, at);
    };
    assert.equal(ingest({}, T0), true);
    assert.equal(ingest({ active: 0, time: { start: T0, end: T0 + 5 * S } }, T0 + 5 * S), true);
    assert.equal(ingest({ duration: { total: 3 } }, T0 + 6 * S), true, 'late, recorded');
    const late = h.store.getCall('t3')!.timeline.at(-1)!;
    assert.equal(late.late, true);
    assert.equal(held(late), undefined);
    assert.equal(late.document.active, 1);
    assert.deepEqual([...late.changed].sort(), ['active', 'duration.total', 'time.end']);
  });
});

describe('store: calls keep their documents as bytes only, and the store reads their facts', () => {
  /** Through the decoder, as the feed client does (frame bytes included). */
  const framed = (feed: FeedName, doc: FeedDocument): DecodedDocument => {
    const r = decodeFrame(JSON.stringify(doc), feed);
    assert.ok(r.ok);
    return r.value;
  };
  const end = { active: 0 as const, time: { start: T0, end: T0 + 40 * S } };
  const visit = { id: SUPPORT.id, name: SUPPORT.name, strategy: 'ringall', timestart: T0 + S };
  const anna = { id: ANNA.id, name: ANNA.name, answered: T0 + 5 * S };
  /** A call through Support, answered by Anna after 4 s; `open` leaves Anna's offer open (no final document yet). */
  function answeredCall(id: string, open = false): DecodedDocument[] {
    // An offer still open when the call ends was opened before the end (an active document after it is late).
    if (open) return [agentDocOf(id, 1), ...answeredCall(id).slice(0, 2)];
    return [
      framed('calls', callsDoc(id, { answered: 1, ...end, queue_list: [SUPPORT.name], queue_first: visit, queue_last: visit, agent_last: anna, agent_list_answer: [ANNA.name] })),
      framed('queues', queueDoc(id, SUPPORT, T0 + S, { answered: 1, ...end, agent_last: anna, agent_list_answer: [ANNA.name] })),
      agentDocOf(id, 0),
    ];
  }
  const agentDocOf = (id: string, active: 0 | 1) => framed('agents', agentDoc(id, ANNA, T0 + 2 * S, {
    answered: 1, active, queue: visit, time: { start: T0 + 2 * S, answered: T0 + 5 * S, ...(active === 0 ? { end: T0 + 40 * S } : {}) },
  }));
  const agentFinal = (id: string) => agentDocOf(id, 0);
  const latestHeld = (call: CallRecord) => call.timeline.filter((e) => held(e) !== undefined).length;
  const supportStats = (s: CallStore) => s.queueStats().find((q) => q.queueId === SUPPORT.id);

  it('an ended call holds no parsed document; what it exposes decodes to what was ingested, and today counts it', () => {
    const h = new StoreHarness();
    const docs = answeredCall('s1');
    h.at(T0 + 41 * S, ...docs);
    const call = h.store.getCall('s1')!;
    assert.equal(latestHeld(call), 0, 'frame bytes only');
    assert.deepEqual(call.call, docs[0].doc);
    assert.deepEqual(call.callFacts, factsOf('calls', docs[0].doc));
    assert.deepEqual(call.queueVisits.values().next().value?.doc, docs[1].doc);
    assert.deepEqual(call.queueVisits.values().next().value?.facts, factsOf('queues', docs[1].doc));
    assert.deepEqual(call.agentOffers.values().next().value?.doc, docs[2].doc);
    assert.deepEqual(call.timeline.map((e) => e.document), docs.map((d) => d.doc));
    const stats = supportStats(h.store);
    assert.equal(stats?.answeredToday, 1);
    assert.equal(stats?.averageWaitMs, 4 * S);
    assert.equal(h.store.counters().answeredToday, 1);
    assert.equal(call.outcome?.kind, 'answered');
  });

  it('ingestFacts keeps its own copy of a frame (a socket\'s buffer is reused), and a re-sent frame changes nothing', () => {
    const h = new StoreHarness();
    const text = JSON.stringify(callsDoc('c9', { answered: 1, agent_last: { id: ANNA.id, name: ANNA.name } }));
    const r = decodeFrame(text, 'calls');
    assert.ok(r.ok);
    const socketBuffer = Buffer.from(text);
    assert.equal(h.store.ingestFacts('calls', factsOf('calls', r.value.doc), socketBuffer, T0), true);
    socketBuffer.fill(0x20); // the socket reads its next chunk into the same memory
    const call = h.store.getCall('c9')!;
    assert.deepEqual(call.call, r.value.doc, 'decoded from the kept copy');
    assert.deepEqual(call.timeline[0].document, r.value.doc);
    assert.equal(h.store.ingestFacts('calls', factsOf('calls', r.value.doc), Buffer.from(text), T0 + S), false, 'a re-send');
    assert.equal(call.timeline.length, 1);
    assert.equal(h.store.ingestFacts('calls', { ...factsOf('calls', r.value.doc), active: 2 } as unknown as DocFacts, Buffer.from(text), T0), false, 'facts that no decoder makes are refused');
  });

  it('an offer that ends after its call: today\'s figures count its final document', () => {
    const h = new StoreHarness();
    h.at(T0 + 41 * S, ...answeredCall('s3', true));
    const call = h.store.getCall('s3')!;
    assert.equal(call.state, 'ended');
    h.at(T0 + 42 * S, agentFinal('s3'));
    assert.equal(latestHeld(call), 0);
    assert.equal(supportStats(h.store)?.answeredToday, 1);
    assert.equal(supportStats(h.store)?.averageWaitMs, 4 * S);
    assert.equal(h.store.counters().answeredToday, 1);
  });

  it("today's figures count a call once with its late final, even when the call is evicted before they are read", () => {
    const h = new StoreHarness({ endedMax: 1 });
    h.at(T0 + 41 * S, ...answeredCall('e1', true));
    assert.equal(h.store.getCall('e1')?.state, 'ended');
    h.take();
    h.at(T0 + 42 * S, agentFinal('e1'));
    assert.ok(h.take().some((c) => c.counters), 'a final after the end says the counters may have changed');
    // Two more calls end: e1 is evicted (endedMax 1) before anything has read today's figures.
    h.at(T0 + 43 * S, ...answeredCall('e2'));
    h.at(T0 + 44 * S, ...answeredCall('e3'));
    assert.equal(h.store.getCall('e1'), undefined, 'evicted');
    assert.equal(h.store.counters().answeredToday, 3, 'each call counted once');
    assert.equal(supportStats(h.store)?.answeredToday, 3);
    assert.equal(supportStats(h.store)?.averageWaitMs, 4 * S, "e1's wait comes from its offer's final document too");
    h.at(T0 + 45 * S, ...answeredCall('e4'));
    assert.equal(h.store.counters().answeredToday, 4, 'a call that ends after a read is added at the next read');
  });

  it('a final document for a new key of an ended call is applied and kept as bytes too', () => {
    const h = new StoreHarness();
    const docs = answeredCall('s4');
    h.at(T0 + 41 * S, ...docs);
    const call = h.store.getCall('s4')!;
    // Bo was offered the call too; the agents feed says so only now.
    const bo = framed('agents', agentDoc('s4', BO, T0 + 2 * S, { active: 0, time: { start: T0 + 2 * S, end: T0 + 5 * S }, agent_end_reason: 'answered_elsewhere' }));
    assert.equal(h.store.ingest(bo, T0 + 43 * S), true);
    assert.equal(call.agentOffers.size, 2);
    assert.equal(latestHeld(call), 0);
    assert.equal(supportStats(h.store)?.answeredToday, 1);
    assert.deepEqual(call.agentOffers.get([...call.agentOffers.keys()][1])?.doc, bo.doc);
  });

  it('documents that come after the end (drifting feeds) are applied from facts, without decoding any kept document', () => {
    const h = new StoreHarness();
    const reference = new StoreHarness(); // the same documents, through the path that gives parsed documents only
    const docs = answeredCall('d1');
    h.at(T0 + 41 * S, ...docs);
    reference.at(T0 + 41 * S, ...docs.map((d) => ({ feed: d.feed, doc: d.doc }) as DecodedDocument));
    assert.equal(latestHeld(h.store.getCall('d1')!), 0);
    // Count the kept documents decoded again from their bytes while the late ones are applied and today is read.
    const proto = RecordedEntry.prototype;
    const getter = Object.getOwnPropertyDescriptor(proto, 'document')!;
    let decoded = 0;
    Object.defineProperty(proto, 'document', {
      configurable: true,
      get(this: RecordedEntry) {
        if (held(this) === undefined) decoded++;
        return getter.get!.call(this);
      },
    });
    try {
      const late = [
        framed('agents', agentDoc('d1', BO, T0 + 2 * S, { active: 0, time: { start: T0 + 2 * S, end: T0 + 5 * S }, queue: visit })),
        framed('queues', queueDoc('d1', SALES, T0 + 30 * S, { active: 0, time: { start: T0, end: T0 + 35 * S }, queue: { fail_reason: 'queue_leave_abandon' } })),
      ];
      for (const d of late) {
        assert.equal(h.store.ingest(d, T0 + 43 * S), true);
        reference.store.ingest({ feed: d.feed, doc: d.doc } as DecodedDocument, T0 + 43 * S);
      }
      const salesStats = (s: CallStore) => s.queueStats().find((q) => q.queueId === SALES.id);
      assert.equal(salesStats(h.store)?.abandonedToday, 1, 'the late visit counts today');
      assert.deepEqual(salesStats(h.store), salesStats(reference.store));
      assert.deepEqual(supportStats(h.store), supportStats(reference.store));
      assert.equal(decoded, 0, 'no kept document was decoded again');
    } finally {
      Object.defineProperty(proto, 'document', getter);
    }
    assert.equal(latestHeld(h.store.getCall('d1')!), 0, 'the late documents are bytes only too');
    assert.equal(h.store.getCall('d1')!.agentOffers.size, 2);
  });
});

describe('store: change events', () => {
  it('name the calls, queue groups, agent groups and ended calls that changed', () => {
    const h = new StoreHarness();
    h.at(T0, asCalls(callsDoc('ev1')), asQueue(queueDoc('ev1', SUPPORT, T0)));
    h.at(T0, asCalls(callsDoc('ev2')));
    h.take();
    h.at(T0 + S, asAgent(agentDoc('ev1', ANNA, T0 + S)));
    let [ch] = h.take();
    assert.deepEqual([...ch.calls], ['ev1']);
    assert.deepEqual([...ch.queueGroups], [SUPPORT.id]);
    assert.deepEqual([...ch.agentGroups].sort(), [ANNA.id, NO_GROUP_KEY].sort());
    assert.equal(ch.ended.size, 0);
    assert.equal(ch.counters, true);
    assert.equal(ch.all, false);

    h.at(T0 + 2 * S, asQueue(queueDoc('ev1', SUPPORT, T0, { active: 0, time: { start: T0, end: T0 + 2 * S } })),
      asQueue(queueDoc('ev1', SALES, T0 + 2 * S)));
    const moved = h.take();
    assert.ok(moved.some((c) => c.queueGroups.has(SUPPORT.id)) && moved.some((c) => c.queueGroups.has(SALES.id)));
    assert.ok(moved.every((c) => c.calls.size === 1 && c.calls.has('ev1')));

    h.at(T0 + 3 * S, asCalls(callsDoc('ev1', { active: 0, time: { start: T0, end: T0 + 3 * S } })));
    [ch] = h.take();
    assert.deepEqual([...ch.ended], ['ev1']);
    assert.ok(ch.queueGroups.has(SALES.id) && ch.agentGroups.has(ANNA.id), 'the groups it left');

    h.store.markReconnected();
    h.store.setOptions({ endedMax: 10 });
    h.store.clear();
    assert.deepEqual(h.take().map((c) => c.all), [true, true, true]);
  });

  it('every change is an object of its own that later documents leave as it was, nested ingests included', () => {
    const s = new CallStore({ now: () => T0 });
    const kept: StoreChange[] = [];
    s.onDidChange((c) => kept.push(c));
    s.ingest(asCalls(callsDoc('t1')), T0);
    s.ingest(asQueue(queueDoc('t2', SUPPORT, T0)), T0);
    assert.notEqual(kept[0], kept[1]);
    assert.deepEqual(kept.map((c) => [[...c.calls].join(), [...c.queueGroups].join()]), [['t1', NO_GROUP_KEY], ['t2', `${NO_GROUP_KEY},${SUPPORT.id}`]]);

    // A listener that ingests while it is called: the outer change still names its own call for the listeners after it.
    let nested = true;
    const order: string[] = [];
    s.onDidChange((c) => {
      const mine = [...c.calls].join();
      if (nested) {
        nested = false;
        s.ingest(asCalls(callsDoc('t8')), T0);
      }
      order.push(`first:${mine}`);
    });
    s.onDidChange((c) => { order.push(`second:${[...c.calls].join()}`); });
    s.ingest(asCalls(callsDoc('t7')), T0);
    assert.deepEqual(order, ['first:t8', 'second:t8', 'first:t7', 'second:t7']);
    assert.deepEqual(kept.map((c) => [...c.calls].join()), ['t1', 't2', 't7', 't8'], 'the kept changes are untouched');
  });

  it('a throwing listener does not stop the others; a disposed listener hears nothing', () => {
    const s = new CallStore({ now: () => T0 });
    const heard: string[] = [];
    s.onDidChange(() => { throw new Error('broken view'); });
    const sub = s.onDidChange((c) => heard.push([...c.calls].join()));
    assert.equal(s.ingest(asCalls(callsDoc('l1')), T0), true);
    sub.dispose();
    assert.equal(s.ingest(asCalls(callsDoc('l2')), T0), true);
    assert.deepEqual(heard, ['l1']);
  });
});
