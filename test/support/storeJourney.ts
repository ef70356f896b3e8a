// Builders for hand-written feed documents and a small harness around CallStore (manual clock, recorded
// change events). Shared by the store, gap and filter tests.
import { CallStore } from '../../src/core/store';
import type { StoreChange, StoreOptions } from '../../src/core/model';
import type { AgentsDocument, CallsDocument, DecodedDocument, QueuesDocument } from '../../src/core/types';

/** 10:00 local time on an ordinary day, so "today" is the same local day whatever the machine's time zone. */
export const T0 = new Date(2026, 2, 2, 10, 0, 0).getTime();

export interface QueueDef { id: string; name: string; strategy?: string }
export interface AgentDef { id: string; name: string; surname?: string }

export const SUPPORT: QueueDef = { id: '6660', name: 'Support', strategy: 'ringall' };
export const SALES: QueueDef = { id: '6661', name: 'Sales', strategy: 'rrmemory' };
export const ANNA: AgentDef = { id: '39940', name: 'Anna Grill' };
export const BO: AgentDef = { id: '39941', name: 'Bo Ek' };
export const CIA: AgentDef = { id: '39942', name: 'Cia Lund' };

export function callsDoc(id: string, over: Partial<CallsDocument> = {}): CallsDocument {
  return {
    id_call: id, active: 1, answered: 0, internal: 0, voicemail: 0, call_direction: 'incoming',
    time: { start: T0 }, customer_target: { number: '0046701234567' }, queue_list: [], agent_list: [],
    agent_list_answer: [], agent_list_no_answer: [], ivr_list: [], transfers: 0, ...over,
  };
}

export function queueDoc(id: string, q: QueueDef, timestart: number, over: Partial<QueuesDocument> = {}): QueuesDocument {
  const { queue, ...rest } = over;
  return {
    id_call: id, active: 1, answered: 0, call_direction: 'incoming', time: { start: T0 },
    customer_target: { number: '0046701234567' },
    queue: { id: q.id, name: q.name, strategy: q.strategy ?? 'rrmemory', timestart, ...queue }, ...rest,
  };
}

export function agentDoc(id: string, a: AgentDef, start: number, over: Partial<AgentsDocument> & { answered?: 0 | 1 } = {}): AgentsDocument {
  const { time, ...rest } = over;
  return {
    id_call: id, active: 1, answered: 0, call_direction: 'incoming', internal: 0,
    time: { start, ...time }, customer_target: { number: '0046701234567' },
    agent: { id: a.id, name: a.name, time_zone: 'Europe/Stockholm' }, ...rest,
  };
}

export const asCalls = (doc: CallsDocument): DecodedDocument => ({ feed: 'calls', doc });
export const asQueue = (doc: QueuesDocument): DecodedDocument => ({ feed: 'queues', doc });
export const asAgent = (doc: AgentsDocument): DecodedDocument => ({ feed: 'agents', doc });

/** A store on a manual clock that records every change event. */
export class StoreHarness {
  time: number;
  readonly changes: StoreChange[] = [];
  readonly store: CallStore;

  constructor(options: Omit<StoreOptions, 'now'> = {}, start = T0) {
    this.time = start;
    this.store = new CallStore({ ...options, now: () => this.time });
    this.store.onDidChange((c) => this.changes.push(c));
  }

  /** Moves the clock to `at` (ms) and ingests each document received at that time; returns ingest's results. */
  at(at: number, ...docs: DecodedDocument[]): boolean[] {
    this.time = at;
    return docs.map((d) => this.store.ingest(d, at));
  }

  advance(ms: number): void {
    this.time += ms;
  }

  /** Change events since the last call (and forgets them). */
  take(): StoreChange[] {
    return this.changes.splice(0);
  }
}

/** Sorted group keys with their call ids, for compact assertions. */
export function groupShape(groups: ReadonlyArray<{ key: string; calls: ReadonlyArray<{ id: string }> }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of groups) out[g.key] = g.calls.map((c) => c.id);
  return out;
}
