// Call filters: OR-ed criteria (number, agent, queue, direction), case-insensitive substrings, any agent ever offered
// the call (including the queues feed's split name + surname), counters and groups following the filter,
// describeFilter, and the change event on setFilter.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import { factsOf, type DocFacts } from '../../src/core/facts';
import { FilterIndexBuilder, describeFilter } from '../../src/core/filter';
import type { CallFilter, CallRecord, Counters } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import { generateFrames } from '../../src/simulator/generator';
import {
  ANNA, BO, CIA, SALES, SUPPORT, T0, StoreHarness, agentDoc, asAgent, asCalls, asQueue, callsDoc, queueDoc,
} from '../support/storeJourney';

const S = 1000;

/**
 * F1: incoming from 0046701234567, ring-all in Support: Anna and Bo ring, Anna answers, Bo's offer ends unanswered.
 * F2: outgoing to 004681112233, Cia talking.
 * F3: queues feed only, waiting in Sales, agent refs split into name + surname ("Dana" "Grill").
 * F4: internal call, no queue, no agent yet.
 */
function sample(): StoreHarness {
  const h = new StoreHarness();
  const sup = { id: SUPPORT.id, name: SUPPORT.name, strategy: 'ringall', timestart: T0 };
  h.at(T0, asCalls(callsDoc('F1', { queue_last: sup, agent_list: [ANNA.name, BO.name] })), asQueue(queueDoc('F1', SUPPORT, T0)),
    asAgent(agentDoc('F1', ANNA, T0, { queue: sup })), asAgent(agentDoc('F1', BO, T0, { queue: sup })));
  h.at(T0 + 10 * S, asAgent(agentDoc('F1', ANNA, T0, { time: { start: T0, answered: T0 + 10 * S }, queue: sup })),
    asAgent(agentDoc('F1', BO, T0, { active: 0, time: { start: T0, end: T0 + 10 * S }, queue: sup })));
  h.at(T0 + 20 * S, asCalls(callsDoc('F2', { call_direction: 'outgoing', customer_target: { number: '004681112233' }, time: { start: T0 + 20 * S } })),
    asAgent(agentDoc('F2', CIA, T0 + 20 * S, { call_direction: 'outgoing', customer_target: { number: '004681112233' }, time: { start: T0 + 20 * S, answered: T0 + 25 * S } })));
  h.at(T0 + 30 * S, asQueue(queueDoc('F3', SALES, T0 + 30 * S, {
    customer_target: { number: '0046731110000' }, time: { start: T0 + 30 * S },
    agent_first: { id: '39950', name: 'Dana', surname: 'Grill' }, agent_last: { id: '39950', name: 'Dana', surname: 'Grill' },
  })));
  h.at(T0 + 40 * S, asCalls(callsDoc('F4', { internal: 1, customer_target: { number: '1001' }, time: { start: T0 + 40 * S } })));
  return h;
}

const ids = (h: StoreHarness) => h.store.activeCalls().map((c) => c.id);
const live = (c: Counters) => [c.active, c.waiting, c.ringing, c.talking];

describe('filter: matching in the store', () => {
  const cases: Array<[string, CallFilter, string[]]> = [
    ['no filter', [], ['F1', 'F2', 'F3', 'F4']],
    ['agent offered but not answered', [{ field: 'agent', value: 'bo' }], ['F1']],
    ['agent, case-insensitive', [{ field: 'agent', value: 'ANNA GR' }], ['F1']],
    ["the queues feed's name + surname", [{ field: 'agent', value: 'dana grill' }], ['F3']],
    ['surname alone', [{ field: 'agent', value: 'grill' }], ['F1', 'F3']],
    ['agent id', [{ field: 'agent', value: '39942' }], ['F2']],
    ['queue substring', [{ field: 'queue', value: 'SAL' }], ['F3']],
    ['queue by id', [{ field: 'queue', value: SUPPORT.id }], ['F1']],
    ['number substring', [{ field: 'number', value: '8111' }], ['F2']],
    ['number typed with separators', [{ field: 'number', value: '701-234' }], ['F1']],
    ['direction', [{ field: 'direction', value: 'Outgoing' }], ['F2']],
    ['inbound means incoming', [{ field: 'direction', value: 'Inbound' }], ['F1', 'F3', 'F4']],
    ['outbound means outgoing', [{ field: 'direction', value: 'outbound' }], ['F2']],
    ['internal', [{ field: 'direction', value: 'internal' }], ['F4']],
    ['external', [{ field: 'direction', value: 'external' }], ['F1', 'F2', 'F3']],
    ['any criterion matches (OR)', [{ field: 'agent', value: 'cia' }, { field: 'queue', value: 'support' }], ['F1', 'F2']],
    ['nothing matches', [{ field: 'agent', value: 'zed' }], []],
  ];
  for (const [name, filter, expected] of cases) {
    it(`${name}: ${describeFilter(filter)}`, () => {
      const h = sample();
      h.store.setFilter(filter);
      assert.deepEqual(ids(h), expected);
      assert.equal(h.store.counters().active, expected.length);
    });
  }

  it('malformed criteria are dropped (an all-malformed filter shows everything)', () => {
    const h = sample();
    h.store.setFilter([{ field: 'colour', value: 'red' }, { field: 'agent', value: '   ' }, null] as unknown as CallFilter);
    assert.deepEqual(h.store.filter, []);
    assert.deepEqual(ids(h), ['F1', 'F2', 'F3', 'F4']);
  });
});

describe('filter: the index a call grows document by document', () => {
  /** The facts of a calls document with `fields`, as the store takes them (decoded, so numbers in lists and ids are text). */
  const doc = (fields: Record<string, unknown>): DocFacts => {
    const r = decodeFrame(JSON.stringify({ id_call: 'X', active: 1, time: { start: T0 }, ...fields }), 'calls');
    assert.ok(r.ok);
    return factsOf('calls', r.value.doc);
  };
  const anna = { id: 'a1', name: 'Anna', surname: 'Berg' };
  const bo = { id: 'a2', name: 'Bo', surname: 'Ek' };
  const cy = { name: 'Cy', surname: 'Dahl' };

  it('takes each value once, lower-cased, with every agent object\'s "name surname", however documents repeat and alternate them', () => {
    const b = new FilterIndexBuilder();
    b.document(doc({ agent_list: ['Anna', 'ANNA', 'anna', 7], agent_first: anna, agent_last: bo, queue_first: { id: 5, name: 'Sales' } }));
    assert.deepEqual(b.index.agents, ['anna', '7', 'a1', 'anna berg', 'berg', 'bo', 'a2', 'bo ek', 'ek']);
    assert.deepEqual(b.index.queues, ['sales', '5']);
    assert.equal(b.grew, true);
    b.grew = false;
    // The same agents again, swapped, then a third pair between two repeats of the first.
    b.document(doc({ agent_first: bo, agent_last: anna, agent_list: ['BO'] }));
    assert.equal(b.grew, false);
    b.document(doc({ agent_first: cy, agent_last: anna }));
    b.document(doc({ agent_first: bo, agent_last: cy }));
    b.document(doc({ agent_first: anna, agent_last: { name: 'Anna', surname: 'Lind' } }));
    assert.deepEqual(b.index.agents, ['anna', '7', 'a1', 'anna berg', 'berg', 'bo', 'a2', 'bo ek', 'ek', 'cy', 'cy dahl', 'dahl', 'anna lind', 'lind']);
    // An empty name and surname still make the one-space text, as any other pair does.
    b.document(doc({ agent_last: { name: '', surname: '' } }));
    assert.deepEqual(b.index.agents.slice(-1), [' ']);
  });

  it('an index handed out by frozenIndex stays as it was: a later addition goes to a copy, made once', () => {
    const b = new FilterIndexBuilder();
    b.document(doc({ agent_list: ['Anna'], queue_first: { id: 5, name: 'Sales' } }));
    const frozen = b.frozenIndex();
    assert.equal(frozen, b.index, 'no copy while nothing changes');
    b.document(doc({ agent_list: ['Anna'], queue_first: { id: 5, name: 'Sales' } }));
    assert.equal(b.index, frozen, 'values it has already: still no copy');
    b.document(doc({ agent_list: ['Bo'], queue_first: { id: 6, name: 'Support' } }));
    assert.notEqual(b.index, frozen);
    assert.deepEqual(frozen.agents, ['anna']);
    assert.deepEqual(frozen.queues, ['sales', '5']);
    assert.deepEqual(b.index.agents, ['anna', 'bo']);
    assert.deepEqual(b.index.queues, ['sales', '5', 'support', '6']);
    const copy = b.index;
    b.document(doc({ agent_list: ['Cy'] }));
    assert.equal(b.index, copy, 'the copy is the builder\'s own: it grows in place');
    // The derived fields and seal() change a handed-out index through a copy too.
    const before = b.frozenIndex();
    b.derived({ customerNumber: '+46 70', direction: 'incoming', internal: false, activeAgents: [] } as unknown as CallRecord);
    assert.equal(before.number, '');
    assert.equal(b.index.number, '+46 70');
    const sealedFrom = b.frozenIndex();
    const lists = [sealedFrom.agents, sealedFrom.queues];
    b.seal();
    assert.deepEqual([sealedFrom.agents, sealedFrom.queues], lists);
    assert.equal(sealedFrom.agents, lists[0], 'seal() did not replace the handed-out lists');
    assert.deepEqual(b.index.agents, ['anna', 'bo', 'cy']);
  });

  it('a later document of the same key adds what differs from the indexed earlier one, and skips what it repeats', () => {
    const b = new FilterIndexBuilder();
    const first = doc({ agent_list: ['Anna'], agent_first: anna, queue_first: { id: 5, name: 'Sales' } });
    b.document(first);
    b.grew = false;
    b.document(doc({ agent_list: ['Anna'], agent_first: anna, queue_first: { id: 5, name: 'Sales' } }), first);
    assert.equal(b.grew, false);
    // One more list item, a changed agent_first surname, a new agent_last, a renamed queue: each is added.
    const later = doc({ agent_list: ['Anna', 'Cy'], agent_first: { ...anna, surname: 'Lind' }, agent_last: bo, queue_first: { id: 5, name: 'Sales EU' } });
    b.document(later, first);
    assert.deepEqual(b.index.agents, ['anna', 'a1', 'anna berg', 'berg', 'cy', 'anna lind', 'lind', 'bo', 'a2', 'bo ek', 'ek']);
    assert.deepEqual(b.index.queues, ['sales', '5', 'sales eu']);
    // Given as the indexed document, what it holds is skipped: a builder that never saw it does not learn it.
    const fresh = new FilterIndexBuilder();
    fresh.document(later, later);
    assert.deepEqual(fresh.index.agents, []);
    assert.deepEqual(fresh.index.queues, []);
  });

  it('derived(): a call\'s queue, agent and agent list are added when they are new objects, skipped when the same', () => {
    const b = new FilterIndexBuilder();
    const anna = { id: 'a1', name: 'Anna' };
    const sales = { id: 'q1', name: 'Sales' };
    const call = { customerNumber: '+46 70', direction: 'incoming', internal: false, activeAgents: [anna], currentAgent: anna, currentQueue: sales } as unknown as CallRecord;
    b.derived(call);
    assert.deepEqual(b.index.agents, ['anna', 'a1']);
    assert.deepEqual(b.index.queues, ['sales', 'q1']);
    b.grew = false;
    b.derived(call);
    assert.equal(b.grew, false);
    const bo = { id: 'a2', name: 'Bo' };
    b.derived({ ...call, activeAgents: [anna, bo] } as CallRecord);
    assert.deepEqual(b.index.agents, ['anna', 'a1', 'bo', 'a2']);
    b.derived({ ...call, currentAgent: { id: 'a3', name: 'Cy' }, currentQueue: { id: 'q2', name: 'Support' } } as CallRecord);
    assert.deepEqual(b.index.agents, ['anna', 'a1', 'bo', 'a2', 'cy', 'a3']);
    assert.deepEqual(b.index.queues, ['sales', 'q1', 'support', 'q2']);
  });

  it('after seal() (the call ended) later documents still add each value once, and new ones are added', () => {
    const b = new FilterIndexBuilder();
    b.document(doc({ agent_list: ['Anna', 7], agent_first: anna, queue_first: { id: 5, name: 'Sales' } }));
    const agents = b.index.agents.slice();
    const queues = b.index.queues.slice();
    b.seal();
    b.grew = false;
    b.document(doc({ agent_list: ['ANNA', 7], agent_first: anna, queue_first: { id: 5, name: 'SALES' } }));
    assert.equal(b.grew, false, 'nothing new');
    assert.deepEqual(b.index.agents, agents);
    assert.deepEqual(b.index.queues, queues);
    b.seal();
    b.document(doc({ agent_last: bo, queue_list: ['Support', 'sales'] }));
    assert.equal(b.grew, true);
    assert.deepEqual(b.index.agents, [...agents, 'bo', 'a2', 'bo ek', 'ek']);
    assert.deepEqual(b.index.queues, [...queues, 'support']);
  });
});

describe('filter: counters, groups and events follow the filter', () => {
  it('live counters, groups, longest wait and today figures follow the filter; setFilter emits all=true', () => {
    const h = sample();
    h.time = T0 + 60 * S;
    assert.deepEqual(live(h.store.counters()), [4, 1, 0, 2]);
    h.take();
    h.store.setFilter([{ field: 'queue', value: 'sales' }, { field: 'direction', value: 'internal' }]);
    const events = h.take();
    assert.equal(events.length, 1);
    assert.equal(events[0].all, true);
    assert.equal(events[0].counters, true);
    assert.deepEqual(live(h.store.counters()), [2, 1, 0, 0]);
    assert.deepEqual(h.store.groups('queue').map((g) => [g.key, g.calls.map((c) => c.id)]), [[SALES.id, ['F3']], ['__none__', ['F4']]]);
    assert.deepEqual(h.store.longestWait(), { callId: 'F3', waitedMs: 30 * S });
    assert.deepEqual(h.store.queueStats().map((q) => q.queueId), [SALES.id]);

    // End F1 (answered) and F2 (answered) and F4 (internal, unanswered): only F4 matches the filter.
    h.at(T0 + 70 * S, asCalls(callsDoc('F1', { active: 0, answered: 1, time: { start: T0, end: T0 + 70 * S } })));
    h.at(T0 + 71 * S, asCalls(callsDoc('F2', { active: 0, answered: 1, call_direction: 'outgoing', customer_target: { number: '004681112233' }, time: { start: T0 + 20 * S, end: T0 + 71 * S } })));
    h.at(T0 + 72 * S, asCalls(callsDoc('F4', { active: 0, internal: 1, customer_target: { number: '1001' }, time: { start: T0 + 40 * S, end: T0 + 72 * S }, terminated_call_reason: 'no_answer' })));
    let c = h.store.counters();
    assert.deepEqual([c.answeredToday, c.missedToday, c.totalToday], [0, 0, 1]);
    assert.deepEqual(h.store.endedCalls().map((x) => x.id), ['F4']);
    h.store.setFilter([{ field: 'agent', value: 'anna' }]);
    c = h.store.counters();
    assert.deepEqual([c.answeredToday, c.missedToday, c.totalToday], [1, 0, 1]);
    assert.deepEqual(h.store.endedCalls().map((x) => x.id), ['F1']);
    h.store.setFilter([]);
    c = h.store.counters();
    assert.deepEqual([c.answeredToday, c.missedToday, c.totalToday, c.active], [2, 0, 3, 1]);
    assert.deepEqual(h.store.endedCalls().map((x) => x.id), ['F4', 'F2', 'F1']);
  });

  it('a call starts matching when a later document names the agent, and keeps matching after the offer ends', () => {
    const h = new StoreHarness();
    h.store.setFilter([{ field: 'agent', value: 'bo ek' }]);
    h.at(T0, asCalls(callsDoc('G')), asQueue(queueDoc('G', SUPPORT, T0)));
    assert.deepEqual(live(h.store.counters()), [0, 0, 0, 0]);
    h.take();
    h.at(T0 + S, asAgent(agentDoc('G', BO, T0 + S)));
    assert.deepEqual(live(h.store.counters()), [1, 0, 1, 0]);
    assert.deepEqual(h.store.groups('agent').map((g) => g.key), [BO.id]);
    h.at(T0 + 5 * S, asAgent(agentDoc('G', BO, T0 + S, { active: 0, time: { start: T0 + S, end: T0 + 5 * S } })));
    assert.deepEqual(live(h.store.counters()), [1, 1, 0, 0], 'back to waiting, still matching');
    h.at(T0 + 9 * S, asCalls(callsDoc('G', { active: 0, time: { start: T0, end: T0 + 9 * S }, terminated_call_reason: 'queue_leave_abandon' })));
    const c = h.store.counters();
    assert.deepEqual([c.active, c.missedToday, c.totalToday], [0, 1, 1]);
  });
});

describe('filter: describeFilter', () => {
  it('describeFilter', () => {
    assert.equal(describeFilter([]), 'all calls');
    assert.equal(describeFilter([{ field: 'agent', value: 'Anna' }, { field: 'queue', value: 'Sales' }]), 'agent: Anna or queue: Sales');
    const long = 'x'.repeat(60);
    assert.equal(describeFilter([{ field: 'number', value: long }]), `number: ${'x'.repeat(39)}…`);
    assert.equal(describeFilter([{ field: 'agent', value: 'Anna\u202e annA\n' }]), 'agent: Anna annA');
  });
});

describe('filter: the store\'s incremental index on the simulator stream', () => {
  it('skipping what a key\'s documents and the call\'s derived fields repeat builds exactly the index that adding everything builds', () => {
    const T = Date.UTC(2026, 11, 3, 9, 0, 0);
    const frames = generateFrames(23, 300, T);
    const stores = [new CallStore({ now: () => T }), new CallStore({ now: () => T })];
    for (const s of stores) s.setFilter([{ field: 'agent', value: 'zz-none' }]); // every call gets an index
    const proto = FilterIndexBuilder.prototype;
    const skipping = proto.document;
    const every = function (this: FilterIndexBuilder, d: DocFacts | undefined): void {
      skipping.call(this, d);
    };
    // derived() skips the derived objects it indexed last: forget them, so every document's are added again.
    const skippingDerived = proto.derived;
    const everyDerived = function (this: FilterIndexBuilder, call: Parameters<typeof skippingDerived>[0]): void {
      Object.assign(this, { lastAgents: undefined, lastAgent: undefined, lastQueue: undefined });
      skippingDerived.call(this, call);
    };
    let documents = 0;
    const ids = new Set<string>();
    for (const f of frames) {
      const a = decodeFrame(f.data, f.feed);
      const b = decodeFrame(f.data, f.feed);
      if (!a.ok || !b.ok) continue;
      stores[0].ingest(a.value, f.at);
      proto.document = every;
      proto.derived = everyDerived;
      try {
        stores[1].ingest(b.value, f.at);
      } finally {
        proto.document = skipping;
        proto.derived = skippingDerived;
      }
      documents++;
      ids.add(a.value.doc.id_call);
    }
    assert.ok(documents > 1000, `${documents} documents`);
    const indexOf = (s: CallStore, id: string) => (s.getCall(id) as unknown as { indexer?: FilterIndexBuilder }).indexer?.index;
    assert.ok(ids.size > 50);
    let indexes = 0;
    for (const id of ids) {
      if (!stores[0].getCall(id)) continue; // evicted (more than the ended calls kept)
      indexes++;
      assert.ok(indexOf(stores[0], id), id);
      assert.deepEqual(indexOf(stores[0], id), indexOf(stores[1], id), id);
    }
    assert.ok(indexes > 50, `${indexes} calls compared`);
  });
});
