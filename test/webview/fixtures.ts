// Test calls for the timeline: documents on all three feeds, encoded as frames and ingested through the
// real decoder and CallStore, so the webview tests see exactly what the extension would hold. The main
// journey has an IVR, two queues, a missed ring, a transfer and hold.
import { decodeFrame } from '../../src/core/decoder';
import type { CallRecord } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import type { AgentsDocument, CallsDocument, FeedDocument, FeedName, QueuesDocument } from '../../src/core/types';
import { COMMAND_LINK, CONTROL_CHARACTERS, DIRECTION_CONTROLS, HUGE_NAME, PHISHING_LINK, RAW_HTML } from '../support/hostileCorpus';

export const T0 = 1_700_000_000_000;
const s = (sec: number): number => T0 + sec * 1000;

export interface Arrival { feed: FeedName; at: number; doc: FeedDocument }

/** Feeds the arrivals (in order) through decodeFrame and a CallStore; returns the store and the call. */
export function ingest(id: string, arrivals: readonly Arrival[], timelineCap?: number): { store: CallStore; record: CallRecord } {
  let clock = arrivals[0]?.at ?? T0;
  const store = new CallStore({ now: () => clock, timelineCap });
  for (const a of arrivals) {
    clock = a.at;
    const decoded = decodeFrame(JSON.stringify(a.doc), a.feed);
    if (!decoded.ok) throw new Error(`fixture document rejected: ${decoded.reason} ${decoded.detail}`);
    store.ingest(decoded.value, a.at);
  }
  const record = store.getCall(id);
  if (!record) throw new Error(`fixture call ${id} not in the store`);
  return { store, record };
}

/** The CallRecord the store builds from the arrivals. */
export function recordFrom(id: string, arrivals: readonly Arrival[], timelineCap?: number): CallRecord {
  return ingest(id, arrivals, timelineCap).record;
}

// ---- The transfer call -----------------------------------------------------------------------------------

export const CALL_ID = 'c0ffee-42';
export const NUMBER = '+46701234567';
const base = { id_call: CALL_ID, call_direction: 'incoming', customer_target: { number: NUMBER }, customer_telavox: { id: '5555', name: 'Acme AB' }, recorded: 0 as const };
const SUPPORT = { id: '6667', name: 'Support', phone: '004599999997', strategy: 'rrmemory', timestart: s(12) };
const BILLING = { id: '6668', name: 'Billing', phone: '004599999996', strategy: 'ringall', timestart: s(110) };
const IVR = { id: '9999', name: 'Main menu', phone: '004599999999', timestamp: T0 };

/**
 * The journey, in seconds from T0: IVR "Main menu" 0-12, queue Support 12-30, Anna rings 30-40 (no answer),
 * Support again 40-42, Ben rings 42-50, Ben talks 50-110 (last 10 s on hold), transfer to queue Billing
 * 110-125, Cara rings 125-131, Cara talks 131-191, hang-up.
 */
export const EXPECTED_PHASES: ReadonlyArray<{ kind: string; label: string; seconds: number }> = [
  { kind: 'ivr', label: 'Main menu', seconds: 12 },
  { kind: 'queue', label: 'Support', seconds: 18 },
  { kind: 'ring', label: 'Anna', seconds: 10 },
  { kind: 'queue', label: 'Support', seconds: 2 },
  { kind: 'ring', label: 'Ben', seconds: 8 },
  { kind: 'talk', label: 'Ben', seconds: 50 },
  { kind: 'hold', label: 'Ben', seconds: 10 },
  { kind: 'queue', label: 'Billing', seconds: 15 },
  { kind: 'ring', label: 'Cara', seconds: 6 },
  { kind: 'talk', label: 'Cara', seconds: 60 },
];

function callsDoc(extra: Partial<CallsDocument>): CallsDocument {
  return { ...base, active: 1, answered: 0, time: { start: T0 }, ivr_first: IVR, ivr_last: IVR, ivr_list: ['Main menu'], ...extra };
}

function queueDoc(queue: typeof SUPPORT, extra: Partial<QueuesDocument>): QueuesDocument {
  return { ...base, active: 1, answered: 0, time: { start: queue.timestart }, queue, ivr: { id: IVR.id, name: IVR.name }, ...extra };
}

function agentDoc(id: string, name: string, start: number, queue: typeof SUPPORT, extra: Partial<AgentsDocument>): AgentsDocument {
  return { ...base, active: 1, answered: 0, time: { start }, agent: { id, name, phone: '0046111', time_zone: 'Europe/Stockholm' }, queue, ...extra };
}

const benRef = { id: '5555', name: 'Ben', phone: '004599999993', answered: s(50) };
const caraRef = { id: '6666', name: 'Cara', phone: '004599999992', answered: s(131) };

/** All documents of the transfer call in arrival order, with their receive times. */
export function transferCallArrivals(): Arrival[] {
  const a: Arrival[] = [];
  const add = (feed: FeedName, at: number, doc: FeedDocument): void => void a.push({ feed, at: s(at), doc });
  add('calls', 0.2, callsDoc({}));
  add('calls', 12.1, callsDoc({ queue_first: SUPPORT, queue_last: SUPPORT, queue_list: ['Support'] }));
  add('queues', 12.2, queueDoc(SUPPORT, {}));
  add('agents', 30.1, agentDoc('39940', 'Anna', s(30), SUPPORT, {}));
  add('agents', 40.1, agentDoc('39940', 'Anna', s(30), SUPPORT, { active: 0, time: { start: s(30), end: s(40) }, agent_end_reason: 'no_answer', duration: { total: 10, ring: 10, talk: 0, hold: 0 } }));
  add('agents', 42.1, agentDoc('39941', 'Ben', s(42), SUPPORT, {}));
  add('agents', 50.1, agentDoc('39941', 'Ben', s(42), SUPPORT, { answered: 1, time: { start: s(42), answered: s(50) } }));
  add('queues', 50.2, queueDoc(SUPPORT, { answered: 1, agent_first: { ...benRef, surname: 'Berg' }, agent_last: { ...benRef, surname: 'Berg' }, agent_list: ['Anna', 'Ben'], agent_list_answer: ['Ben'], agent_list_no_answer: ['Anna'] }));
  add('calls', 50.3, callsDoc({ answered: 1, queue_first: SUPPORT, queue_last: SUPPORT, agent_first: benRef, agent_last: benRef }));
  add('agents', 110.1, agentDoc('39941', 'Ben', s(42), SUPPORT, { active: 0, answered: 1, transfer: 1, time: { start: s(42), answered: s(50), end: s(110) }, agent_end_reason: 'transfer', duration: { total: 68, ring: 8, talk: 60, hold: 10 } }));
  add('queues', 110.2, queueDoc(SUPPORT, { active: 0, answered: 1, transfer: 1, time: { start: s(12), end: s(110) }, agent_first: { ...benRef, surname: 'Berg' }, agent_last: { ...benRef, surname: 'Berg' }, duration: { total: 98, queue: 20, ring: 18, talk: 60, hold: 10 } }));
  add('queues', 110.3, queueDoc(BILLING, {}));
  add('calls', 110.4, callsDoc({ answered: 1, transfers: 1, queue_first: SUPPORT, queue_last: BILLING, queue_list: ['Support', 'Billing'], agent_first: { ...benRef, to_transfer: 1 } as never, agent_last: benRef }));
  add('agents', 125.1, agentDoc('39942', 'Cara', s(125), BILLING, {}));
  add('agents', 131.1, agentDoc('39942', 'Cara', s(125), BILLING, { answered: 1, time: { start: s(125), answered: s(131) } }));
  add('calls', 131.2, callsDoc({ answered: 1, transfers: 1, queue_first: SUPPORT, queue_last: BILLING, agent_first: benRef, agent_last: { ...caraRef, from_transfer: 1 } as never }));
  add('agents', 191.1, agentDoc('39942', 'Cara', s(125), BILLING, { active: 0, answered: 1, time: { start: s(125), answered: s(131), end: s(191) }, agent_end_reason: 'agent_hangup', duration: { total: 66, ring: 6, talk: 60, hold: 0 } }));
  add('queues', 191.2, queueDoc(BILLING, { active: 0, answered: 1, time: { start: s(110), end: s(191) }, agent_first: caraRef, agent_last: caraRef, duration: { total: 81, queue: 15, ring: 6, talk: 60, hold: 0 } }));
  add('calls', 191.3, callsDoc({
    active: 0, answered: 1, transfers: 1, terminated_call_reason: 'hangup', time: { start: T0, end: s(191) },
    queue_first: SUPPORT, queue_last: BILLING, queue_list: ['Support', 'Billing'], agent_first: benRef, agent_last: caraRef,
    agent_list: ['Anna', 'Ben', 'Cara'], agent_list_answer: ['Ben', 'Cara'], agent_list_no_answer: ['Anna'],
    offered_and_answered: 2, offered_and_not_answered: 1,
    duration: { queue: { first: 20, last: 15, total: 35 }, ring: { first: 18, last: 6, total: 24 }, talk: { first: 60, last: 60, total: 120 }, total: 191, wait_time: 59, before_queue: 12, hold: 10 },
  }));
  return a;
}

/** The whole transfer call, ended. */
export function endedTransferCall(cap?: number): CallRecord {
  return recordFrom(CALL_ID, transferCallArrivals(), cap);
}

/** The transfer call as it stood after the first `n` documents (live, Ben talking when n = 9). */
export function liveTransferCall(n: number): CallRecord {
  return recordFrom(CALL_ID, transferCallArrivals().slice(0, n));
}

/** Only the calls feed's documents of the same call (the phases then come from cooked durations). */
export function callsOnlyTransferCall(): CallRecord {
  return recordFrom(CALL_ID, transferCallArrivals().filter((a) => a.feed === 'calls'));
}

// ---- Hostile data ----------------------------------------------------------------------------------------

export const HOSTILE = {
  img: '<img src=x onerror=window.__pwned=1>',
  script: '</script><script>window.__pwned=2</script>',
  rtl: '\u202Eevil\u202C name',
  long: 'x'.repeat(10_000),
};

/** A call whose names, number and an unknown field carry markup, an RTL override and a 10 kB string. */
export function hostileCall(): CallRecord {
  const id = 'hostile-1';
  const q = { id: '1', name: HOSTILE.img, timestart: s(5) };
  const calls = (extra: Partial<CallsDocument>): CallsDocument => ({
    id_call: id, active: 1, call_direction: 'incoming', time: { start: T0 }, customer_target: { number: HOSTILE.script },
    customer_telavox: { id: '1', name: HOSTILE.rtl }, note: HOSTILE.long, ...extra,
  });
  return recordFrom(id, [
    { feed: 'calls', at: s(0.1), doc: calls({}) },
    { feed: 'queues', at: s(5.1), doc: { id_call: id, active: 1, time: { start: s(5) }, queue: q } },
    { feed: 'agents', at: s(9.1), doc: { id_call: id, active: 1, time: { start: s(9) }, agent: { id: '7', name: HOSTILE.rtl + HOSTILE.script }, queue: q } },
    { feed: 'calls', at: s(9.2), doc: calls({ queue_first: q, queue_last: q, [HOSTILE.img]: HOSTILE.script }) },
  ]);
}

/**
 * A call whose number, queue, agent and customer names come from the shared hostile corpus: links, command links,
 * icon syntax, markup, every direction control, control characters and a 10 kB name.
 */
export function corpusCall(): CallRecord {
  const id = 'corpus-1';
  const q = { id: '2', name: `${DIRECTION_CONTROLS.join('')}Queue ${RAW_HTML}`, timestart: s(5) };
  const agentName = `\u202eAnna ${PHISHING_LINK} ${CONTROL_CHARACTERS.join('')}`;
  const calls = (extra: Partial<CallsDocument>): CallsDocument => ({
    id_call: id, active: 1, call_direction: 'incoming', time: { start: T0 },
    customer_target: { number: `\u202e+4670${COMMAND_LINK}` }, customer_telavox: { id: '1', name: HUGE_NAME }, ...extra,
  });
  return recordFrom(id, [
    { feed: 'calls', at: s(0.1), doc: calls({}) },
    { feed: 'queues', at: s(5.1), doc: { id_call: id, active: 1, time: { start: s(5) }, queue: q } },
    { feed: 'agents', at: s(9.1), doc: { id_call: id, active: 1, time: { start: s(9) }, agent: { id: '7', name: agentName }, queue: q } },
    { feed: 'calls', at: s(9.2), doc: calls({ queue_first: q, queue_last: q, agent_first: { id: '7', name: HUGE_NAME } }) },
  ]);
}

/** A long call for the render-speed check: `n` documents alternating over the feeds. */
export function bigCall(n: number, cap?: number): CallRecord {
  const id = 'big-1';
  const arrivals: Arrival[] = [];
  for (let i = 0; i < n; i++) {
    const doc: CallsDocument = { id_call: id, active: 1, time: { start: T0 }, customer_target: { number: '+4611' }, counter: i, payload: { list: [i, i + 1], text: `entry ${i}` } };
    arrivals.push({ feed: 'calls', at: s(i), doc });
  }
  return recordFrom(id, arrivals, cap);
}
