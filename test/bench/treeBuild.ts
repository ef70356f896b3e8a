// Tree model build for 10,000 active calls over 50 queues. The simulator has at most 8 queues, so each
// journey's documents are moved to one of 50 numbered queues (id and name rewritten in the serialised
// documents); only the documents up to the moment the call enters its first queue are ingested, so every
// call is active and waiting in a queue.
import { decodeFrame } from '../../src/core/decoder';
import { CallStore } from '../../src/core/store';
import type { NodeCache } from '../../src/core/treeModel';
import { JourneyGenerator } from '../../src/simulator/generator';
import type { FeedName, QueuesDocument } from '../../src/core/types';
import { BENCH_SEED } from './frames';
import { median } from './stats';
import { renderTree } from './view';

export const TREE_CALLS = 10_000;
export const TREE_QUEUES = 50;
const BUILDS = 9;

export interface TreeBuildResult { medianMs: number; coldMs: number; modelOnlyMs: number; rows: number; builds: number }

function rewriteQueue(data: string, from: { id: string; name: string }, q: number): string {
  const name = `Queue ${String(q + 1).padStart(2, '0')}`;
  return data
    .split(`"${from.name}"`).join(`"${name}"`)
    .replace(new RegExp(`"id":"?${from.id}"?(?=[,}])`, 'g'), `"id":${7000 + q}`);
}

export interface TreeFixture {
  store: CallStore;
  now: number;
  /** Applies one new document to call `i` (as traffic does before each refresh), so no cache is left warm. */
  touch(i: number): void;
}

export function populateTreeStore(): TreeFixture {
  const generator = new JourneyGenerator({ seed: BENCH_SEED + 2 });
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
  const store = new CallStore({ now: () => clock });
  let start = clock - TREE_CALLS * 100;
  const lastCalls: string[] = [];
  for (let calls = 0; calls < TREE_CALLS; start += 100) {
    const journey = generator.next(start);
    const entry = journey.events.find((e) => e.feed === 'queues');
    if (!entry) continue;
    const queue = (entry.doc as QueuesDocument).queue;
    if (!queue?.id || !queue.name) continue;
    const q = calls % TREE_QUEUES;
    for (const e of journey.events) {
      if (e.at > entry.at) break;
      const data = rewriteQueue(JSON.stringify(e.doc), { id: String(queue.id), name: queue.name }, q);
      const decoded = decodeFrame(data, e.feed as FeedName);
      if (!decoded.ok) throw new Error(`tree build: generator frame rejected (${decoded.reason})`);
      store.ingest(decoded.value, e.at);
      if (e.feed === 'calls') lastCalls[calls] = data;
    }
    calls++;
  }
  clock = start + 1000;
  const touch = (i: number): void => {
    const data = lastCalls[i % lastCalls.length];
    const decoded = decodeFrame(`${data.slice(0, -1)},"bench_touch":${i}}`, 'calls');
    if (!decoded.ok || !store.ingest(decoded.value, clock)) throw new Error('tree build: a touch document changed nothing');
  };
  return { store, now: clock, touch };
}

export function runTreeBuild(): TreeBuildResult {
  const { store, now, touch } = populateTreeStore();
  const expected = TREE_CALLS + TREE_QUEUES;
  if (store.activeCount !== TREE_CALLS) throw new Error(`tree build: ${store.activeCount} active calls in the store, expected ${TREE_CALLS}`);
  // The provider keeps one node cache across refreshes, and a refresh follows a change: each build comes after a
  // new document (so the store's group cache is rebuilt too). The first build (empty node cache) is the cold one.
  const cache: NodeCache = new Map();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < BUILDS; i++) {
    touch(i);
    const t0 = performance.now();
    rows = renderTree(store, cache, 'queue', now);
    times.push(performance.now() - t0);
    if (rows !== expected) throw new Error(`tree build: ${rows} rows built, expected ${expected} (${TREE_QUEUES} groups + ${TREE_CALLS} calls)`);
  }
  const modelOnly: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    touch(BUILDS + i);
    const t0 = performance.now();
    rows = renderTree(store, cache, 'queue', now, false);
    modelOnly.push(performance.now() - t0);
    if (rows !== expected) throw new Error(`tree build: ${rows} rows built (model only), expected ${expected}`);
  }
  return { medianMs: median(times), coldMs: times[0], modelOnlyMs: median(modelOnly), rows, builds: BUILDS };
}
