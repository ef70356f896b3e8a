import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallStore } from '../../src/core/store';
import type { AgentsDocument, CallsDocument, QueuesDocument } from '../../src/core/types';
import { compareGroups, NO_AGENT_LABEL, NO_QUEUE_LABEL, noGroupLabel } from '../../src/core/groupOrder';
import { NO_GROUP_KEY, type CallGroup, type CallRecord, type GroupMode } from '../../src/core/model';
import {
  buildTree, callTooltipMarkdown, describeCall, describeGroup, describeMore, ENDED_GROUP_ID, nodeTooltip, UNCONFIRMED_NOTE, type CallNode, type GroupNode, type MoreNode, type NodeCache, type TreeStore,
} from '../../src/core/treeModel';

const NOW = 1_800_000_000_000;

function call(id: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    id, queueVisits: new Map(), agentOffers: new Map(), timeline: [], timelineDropped: 0,
    state: 'waiting', stateSince: NOW - 30_000, direction: 'incoming', internal: false,
    customerNumber: `+4670000${id}`, activeAgents: [], startedAt: NOW - 60_000, unconfirmed: false,
    lastDocumentAt: NOW - 1000, waitingSince: NOW - 30_000, ...over,
  };
}

/** A store stand-in that groups like the contract says: by queue or by every active agent; the catch-all last. */
class FakeStore implements TreeStore {
  active: CallRecord[] = [];
  ended: CallRecord[] = [];
  filter: (c: CallRecord) => boolean = () => true;
  groups(mode: GroupMode): CallGroup[] {
    const map = new Map<string, CallGroup>();
    const add = (key: string, label: string, c: CallRecord) => {
      let g = map.get(key);
      if (!g) map.set(key, (g = { key, label, mode, calls: [], longestWaitMs: 0 }));
      g.calls.push(c);
    };
    for (const c of this.active.filter(this.filter)) {
      if (mode === 'queue') {
        if (c.currentQueue) add(c.currentQueue.id, c.currentQueue.name, c);
        else add(NO_GROUP_KEY, noGroupLabel(mode), c);
      } else if (c.activeAgents.length) {
        for (const a of c.activeAgents) add(a.id, a.name, c);
      } else if (c.currentAgent) add(c.currentAgent.id, c.currentAgent.name, c);
      else add(NO_GROUP_KEY, noGroupLabel(mode), c);
    }
    return [...map.values()].sort(compareGroups);
  }
  endedCalls(): CallRecord[] {
    return this.ended.filter(this.filter);
  }
}

const support = { id: 'q1', name: 'Support' };
const sales = { id: 'q2', name: 'Sales' };
const anna = { id: 'a1', name: 'Anna' };
const bo = { id: 'a2', name: 'Bo' };
const cia = { id: 'a3', name: 'Cia' };

function sample(): FakeStore {
  const s = new FakeStore();
  s.active = [
    call('1', { currentQueue: support, startedAt: NOW - 90_000, waitingSince: NOW - 72_000 }),
    call('2', { currentQueue: support, state: 'ringing', activeAgents: [anna, bo, cia], startedAt: NOW - 80_000, waitingSince: NOW - 40_000 }),
    call('3', { currentQueue: support, state: 'talking', activeAgents: [anna], currentAgent: anna, waitingSince: undefined, startedAt: NOW - 70_000 }),
    call('4', { currentQueue: sales, startedAt: NOW - 50_000, waitingSince: NOW - 5000 }),
    call('5', { state: 'ivr', waitingSince: undefined, startedAt: NOW - 10_000 }),
    call('6', { state: 'dialling', direction: 'outgoing', waitingSince: undefined, customerNumber: '', startedAt: NOW - 5000 }),
  ];
  s.ended = [call('9', { state: 'ended', endedAt: NOW - 120_000, outcome: { kind: 'answered' }, waitingSince: undefined })];
  return s;
}

const labels = (groups: GroupNode[]) => groups.map((g) => `${g.id}=${g.name} (${g.count})`);
const rowIds = (g: GroupNode) => g.children.map((r) => r.id);

test('queue mode: groups by queue with counts, sorted by name, catch-all and ended groups last', () => {
  const tree = buildTree(sample(), { mode: 'queue', now: NOW });
  assert.deepEqual(labels(tree), [
    'queue:q2=Sales (1)', 'queue:q1=Support (3)', `queue:${NO_GROUP_KEY}=${NO_QUEUE_LABEL} (2)`, 'ended=Recently ended (1)',
  ]);
  const supportGroup = tree[1];
  assert.deepEqual(rowIds(supportGroup), ['queue:q1/call:1', 'queue:q1/call:2', 'queue:q1/call:3'], 'oldest first');
  const view = describeGroup(supportGroup);
  assert.equal(view.label, 'Support (3)');
  assert.equal(view.description, 'longest 1:12', 'the longest current wait of the group');
  assert.equal(view.contextValue, 'streamLiner.group.queue');
  assert.equal(describeGroup(tree[2]).label, 'In IVR / no queue (2)');
  assert.equal(describeGroup(tree[3]).contextValue, 'streamLiner.group.ended');
  // Every node knows its parent (getParent/reveal).
  for (const g of tree) for (const r of g.children) assert.equal(r.parent, g);
});

test('agent mode: a ring-all call sits under every agent it rings, with distinct row ids', () => {
  const tree = buildTree(sample(), { mode: 'agent', now: NOW });
  assert.deepEqual(labels(tree), [
    'agent:a1=Anna (2)', 'agent:a2=Bo (1)', 'agent:a3=Cia (1)', `agent:${NO_GROUP_KEY}=${NO_AGENT_LABEL} (4)`, 'ended=Recently ended (1)',
  ]);
  const rows = tree.flatMap((g) => g.children.map((r) => r.id));
  for (const agent of ['a1', 'a2', 'a3']) assert.ok(rows.includes(`agent:${agent}/call:2`), agent);
  assert.equal(new Set(rows).size, rows.length, 'row ids are unique');
  assert.equal(describeGroup(tree[0]).contextValue, 'streamLiner.group.agent');
  // The row under an agent names the queue, not the agent.
  const ringing = tree[1].children[0] as CallNode;
  assert.match(describeCall(ringing, NOW).description ?? '', /ringing 30 s · Support$/);
});

test('ids and node objects are stable across builds; gone nodes leave the cache', () => {
  const store = sample();
  const cache: NodeCache = new Map();
  const first = buildTree(store, { mode: 'queue', now: NOW }, cache);
  const row = first[1].children[1];
  store.active = store.active.map((c) => (c.id === '2' ? { ...c, state: 'talking' } : c));
  const second = buildTree(store, { mode: 'queue', now: NOW + 1000 }, cache);
  assert.equal(second[1], first[1], 'same group object');
  assert.equal(second[1].children[1], row, 'same row object');
  assert.equal((row as CallNode).call.state, 'talking', 'row points at the new record');
  store.active = store.active.filter((c) => c.id !== '4');
  const third = buildTree(store, { mode: 'queue', now: NOW + 2000 }, cache);
  assert.ok(!third.some((g) => g.id === 'queue:q2'));
  assert.equal(cache.has('queue:q2'), false);
  assert.equal(cache.has('queue:q2/call:4'), false);
  assert.equal(cache.size, third.reduce((n, g) => n + 1 + g.children.length, 0));
});

test('the filter (applied by the store) decides what the tree shows', () => {
  const store = sample();
  store.filter = (c) => c.currentQueue?.id === 'q1';
  const tree = buildTree(store, { mode: 'queue', now: NOW });
  assert.deepEqual(labels(tree), ['queue:q1=Support (3)']);
  store.filter = () => false;
  assert.deepEqual(buildTree(store, { mode: 'queue', now: NOW }), []);
});

test('the ended group shows outcome and total duration; it can be hidden', () => {
  const store = sample();
  store.ended.push(call('10', { state: 'ended', endedAt: NOW - 5000, outcome: { kind: 'other', reason: 'queue_leave_timeout' }, waitingSince: undefined, startedAt: NOW - 65_000 }));
  const tree = buildTree(store, { mode: 'queue', now: NOW });
  const ended = tree[tree.length - 1];
  assert.equal(ended.id, ENDED_GROUP_ID);
  const v = describeCall(ended.children[1] as CallNode, NOW);
  assert.equal(v.contextValue, 'streamLiner.call.ended');
  assert.equal(v.description, '↓ queue leave timeout · 1:00 · 5 s ago');
  assert.match(describeCall(ended.children[0] as CallNode, NOW).description ?? '', /^↓ answered · /);
  assert.equal(ended.children[0].id, 'ended/call:9');
  assert.ok(!buildTree(store, { mode: 'queue', now: NOW, endedVisible: false }).some((g) => g.id === ENDED_GROUP_ID));
});

test('a group over the cap shows the first rows and a "…N more" row', () => {
  const store = new FakeStore();
  for (let i = 0; i < 12; i++) store.active.push(call(String(100 + i), { currentQueue: support, startedAt: NOW - 100_000 + i }));
  const tree = buildTree(store, { mode: 'queue', now: NOW, cap: 5 });
  const rows = tree[0].children;
  assert.equal(rows.length, 6);
  assert.equal(tree[0].count, 12, 'the label counts every call');
  const more = rows[5] as MoreNode;
  assert.equal(more.kind, 'more');
  assert.equal(more.id, 'queue:q1/more');
  assert.equal(describeMore(more).label, '…7 more');
  assert.equal(describeMore(more).contextValue, 'streamLiner.more');
  assert.deepEqual(rows.slice(0, 5).map((r) => r.id), ['100', '101', '102', '103', '104'].map((id) => `queue:q1/call:${id}`));
});

test('call rows: label, state icon and colour, direction arrow, elapsed, where, context value, command data', () => {
  const tree = buildTree(sample(), { mode: 'queue', now: NOW });
  const waiting = describeCall(tree[1].children[0] as CallNode, NOW);
  assert.equal(waiting.label, '+46700001');
  assert.equal(waiting.icon, 'watch');
  assert.equal(waiting.color, 'charts.orange');
  assert.equal(waiting.description, '↓ waiting 30 s · Support');
  assert.equal(waiting.contextValue, 'streamLiner.call.active');
  assert.match(waiting.ariaLabel, /^Call \+46700001, incoming, waiting for 30 s, Support$/);
  const talking = describeCall(tree[1].children[2] as CallNode, NOW);
  assert.equal(talking.color, 'charts.green');
  assert.equal(talking.description, '↓ talking 30 s · Anna');
  const ringAll = describeCall(tree[1].children[1] as CallNode, NOW);
  assert.equal(ringAll.color, 'charts.blue');
  assert.equal(ringAll.description, '↓ ringing 30 s · Anna +2');
  const none = tree[2];
  const ivr = describeCall(none.children[0] as CallNode, NOW);
  assert.equal(ivr.color, 'charts.yellow');
  const out = describeCall(none.children[1] as CallNode, NOW);
  assert.equal(out.label, 'Unknown number');
  assert.equal(out.color, 'charts.purple');
  assert.match(out.description ?? '', /^↑ dialling out 30 s/);
  // An incoming call in that state has not been dialled out: it is still connecting.
  const incoming = { ...(none.children[1] as CallNode), call: { ...(none.children[1] as CallNode).call, direction: 'incoming' as const } };
  assert.match(describeCall(incoming, NOW).description ?? '', /^↓ connecting 30 s/);
  assert.equal(describeCall(incoming, NOW).icon, 'call-incoming');
  // Elapsed time moves with the clock.
  assert.equal(describeCall(tree[1].children[0] as CallNode, NOW + 35_000).description, '↓ waiting 1:05 · Support');
});

test('unconfirmed calls look different and say why', () => {
  const store = sample();
  store.active[0] = { ...store.active[0], unconfirmed: true };
  const tree = buildTree(store, { mode: 'queue', now: NOW });
  const v = describeCall(tree[1].children[0] as CallNode, NOW);
  assert.equal(v.icon, 'question');
  assert.equal(v.color, 'disabledForeground');
  assert.match(v.description ?? '', /^unconfirmed · /);
  const tip = nodeTooltip(tree[1].children[0], NOW) ?? '';
  assert.ok(tip.includes('Not confirmed since the connection was restored'), tip);
  assert.ok(UNCONFIRMED_NOTE.includes('it may have ended during the gap'));
});

test('the call tooltip holds the key facts, with feed text escaped', () => {
  const c = call('7', {
    currentQueue: support,
    customerNumber: '+46 [x](command:evil)',
    call: {
      id_call: '7', active: 1, time: { start: NOW - 60_000 },
      ivr_list: ['Main menu', 'Support <b>menu</b>'], menu_digit: { dialed_number: 2, destination: 'Support' },
      queue_list: ['Support'], agent_list: ['Anna', 'Bo'], agent_list_answer: ['Anna'], transfers: 1,
      duration: { wait_time: 30, talk: { total: 65 }, total: 100 },
    },
  });
  const md = callTooltipMarkdown(c, NOW);
  assert.ok(md.includes('IVR path: Main menu › Support \\<b\\>menu\\<\\/b\\>'), md);
  assert.match(md, /Menu digit: 2 → Support/);
  assert.match(md, /Queues: Support/);
  assert.match(md, /Agents offered: Anna, Bo/);
  assert.match(md, /Answered by: Anna/);
  assert.match(md, /Transfers: 1/);
  assert.match(md, /talk 1:05/);
  assert.match(md, /total 1:40/);
  assert.ok(!md.includes('[x]('), 'no live link from feed text');
  assert.ok(md.includes('\\[x\\]\\(command\\:evil\\)'), md);
});

test('queue group tooltip shows the queue figures for today', () => {
  const tree = buildTree(sample(), { mode: 'queue', now: NOW });
  const md = describeGroup(tree[1], {
    queueId: 'q1', queueName: 'Support', waiting: 1, longestWaitMs: 72_000, answeredToday: 40, abandonedToday: 3,
    averageWaitMs: 25_000, serviceLevel: 0.8,
  }).tooltip ?? '';
  for (const part of ['Waiting now: 1', 'Longest wait now: 1:12', 'Answered: 40', 'Abandoned: 3', 'Service level: 80 %', 'Average wait: 25 s']) {
    assert.ok(md.includes(part), `${part} in ${md}`);
  }
});

test('10,000 calls over 50 queues: every group and row is built', () => {
  const store = new FakeStore();
  for (let i = 0; i < 10_000; i++) {
    const q = i % 50;
    store.active.push(call(String(i), { currentQueue: { id: `q${q}`, name: `Queue ${q}` }, startedAt: NOW - i }));
  }
  const cache: NodeCache = new Map();
  const tree = buildTree(store, { mode: 'queue', now: NOW }, cache);
  assert.equal(tree.length, 50);
  assert.equal(tree.reduce((n, g) => n + 1 + g.children.length, 0), 10_050);
  // Sorted oldest first within a group even though the store gave newest first.
  const starts = tree[0].children.map((r) => (r as CallNode).call.startedAt);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
});

// ---- Against the real CallStore ----

function realStore() {
  let now = NOW;
  const store = new CallStore({ now: () => now });
  const t0 = NOW - 60_000;
  const base = (id: string) => ({ id_call: id, active: 1 as const, call_direction: 'incoming', time: { start: t0 }, customer_target: { number: `+4631${id}` } });
  const calls = (id: string, extra: Partial<CallsDocument> = {}) => store.ingest({ feed: 'calls', doc: { ...base(id), ...extra } as CallsDocument }, t0);
  const queue = (id: string, q: { id: string; name: string }) =>
    store.ingest({ feed: 'queues', doc: { ...base(id), queue: { ...q, timestart: t0 + 1000 } } as QueuesDocument }, t0 + 1000);
  const offer = (id: string, a: { id: string; name: string }, answered?: number) =>
    store.ingest({ feed: 'agents', doc: { ...base(id), time: { start: t0 + 2000, ...(answered ? { answered } : {}) }, agent: a, queue: { id: 'q1', name: 'Support' } } as AgentsDocument }, t0 + 2000);
  return { store, calls, queue, offer, tick: (ms: number) => { now += ms; } };
}

test('real store: ring-all under each agent, queue grouping, catch-all, ended group', () => {
  const s = realStore();
  s.calls('100'); s.queue('100', support); s.offer('100', anna); s.offer('100', bo);   // ring-all
  s.calls('101'); s.queue('101', sales);                                             // waiting
  s.calls('102', { ivr_list: ['Main'], ivr_first: { id: 'i1', name: 'Main' } });      // IVR, no queue
  s.calls('103'); s.store.ingest({ feed: 'calls', doc: { id_call: '103', active: 0, answered: 1, call_direction: 'incoming', time: { start: NOW - 60_000, end: NOW - 1000 }, customer_target: { number: '+4631103' } } as CallsDocument }, NOW - 1000);

  const byQueue = buildTree(s.store, { mode: 'queue', now: NOW });
  assert.deepEqual(byQueue.map((g) => `${g.id} ${describeGroup(g).label}`), [
    'queue:q2 Sales (1)', 'queue:q1 Support (1)', `queue:${NO_GROUP_KEY} ${NO_QUEUE_LABEL} (1)`, 'ended Recently ended (1)',
  ]);
  const byAgent = buildTree(s.store, { mode: 'agent', now: NOW });
  const ids = byAgent.flatMap((g) => [g.id, ...g.children.map((r) => r.id)]);
  assert.ok(ids.includes('agent:a1/call:100') && ids.includes('agent:a2/call:100'), ids.join(' '));
  assert.ok(ids.includes(`agent:${NO_GROUP_KEY}/call:101`));
  const ringRow = byAgent.find((g) => g.id === 'agent:a1')!.children[0] as CallNode;
  assert.equal(describeCall(ringRow, NOW).color, 'charts.blue', 'ringing');
  assert.equal(describeCall(ringRow, NOW).label, '+4631100');
  const ended = byAgent[byAgent.length - 1];
  assert.match(describeCall(ended.children[0] as CallNode, NOW).description ?? '', /^↓ answered · /);
});

test('real store: the filter and unconfirmed marking after a reconnect show in the tree', () => {
  const s = realStore();
  s.calls('200'); s.queue('200', support);
  s.calls('201'); s.queue('201', sales);
  s.store.setFilter([{ field: 'queue', value: 'sales' }]);
  assert.deepEqual(buildTree(s.store, { mode: 'queue', now: NOW }).map((g) => g.id), ['queue:q2']);
  s.store.setFilter([]);
  s.store.markReconnected();
  const tree = buildTree(s.store, { mode: 'queue', now: NOW });
  const row = tree[0].children[0] as CallNode;
  assert.equal(describeCall(row, NOW).icon, 'question');
  assert.equal(tree[0].longestWaitMs, 0, 'unconfirmed calls do not count towards the longest wait');
});

test('real store: a row keeps its clock-free text while the call is unchanged, and follows every change and the clock', () => {
  const s = realStore();
  s.calls('300'); s.queue('300', support);
  const cache = new Map();
  const rowOf = () => buildTree(s.store, { mode: 'queue', now: NOW }, cache)[0].children[0] as CallNode;
  const row = rowOf();
  const first = describeCall(row, NOW);
  assert.equal(first.description, '↓ waiting 59 s · Support');
  assert.equal(first.ariaLabel, 'Call +4631300, incoming, waiting for 59 s, Support');
  const parts = row.parts;
  assert.ok(parts, 'the clock-free parts are kept on the row');

  // Only the clock moved: the same parts, a new elapsed time.
  assert.equal(describeCall(rowOf(), NOW + 61_000).description, '↓ waiting 2:00 · Support');
  assert.equal(rowOf().parts, parts);
  // A re-sent document changes nothing, so nothing is rebuilt.
  assert.equal(s.store.ingest({ feed: 'calls', doc: { id_call: '300', active: 1, call_direction: 'incoming', time: { start: NOW - 60_000 }, customer_target: { number: '+4631300' } } as CallsDocument }, NOW), false);
  assert.equal(rowOf().parts, parts);

  // An agent answers: the row says so at once.
  s.offer('300', anna, NOW - 5_000);
  const talking = describeCall(rowOf(), NOW);
  assert.notEqual(rowOf().parts, parts);
  assert.equal(talking.description, '↓ talking 5 s · Anna');
  assert.equal(talking.ariaLabel, 'Call +4631300, incoming, talking for 5 s, Anna');

  // A reconnect gap marks it unconfirmed (no document arrives for the call).
  s.store.markReconnected();
  assert.equal(describeCall(rowOf(), NOW).description, 'unconfirmed · ↓ talking 5 s · Anna');
  assert.match(describeCall(rowOf(), NOW).ariaLabel, /, unconfirmed$/);
});

test('a group without a name shows its key, cleaned like a name', () => {
  const store = new FakeStore();
  store.active = [call('1', { currentQueue: { id: '\u202eq1\n', name: '' } })];
  const [group] = buildTree(store, { mode: 'queue', now: NOW });
  assert.equal(describeGroup(group).label, 'q1 (1)');
});
