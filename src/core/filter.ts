// Call filters: a list of criteria, OR-ed; values match case-insensitively as substrings. Pure, no vscode.
import type { AgentRefFacts, DocFacts } from './facts';
import type { CallFilter, CallRecord, FilterCriterion, FilterField } from './model';
import type { AgentRef } from './types';
import { TEXT_CAPS, treeText } from '../shared/sanitize';

/** Everything a filter can match on, lower-cased (the store keeps one per call and adds to it per document). */
export interface FilterIndex {
  number: string;
  /** `number` with only its digits, so "070-123" finds "070123". */
  numberDigits: string;
  direction: string;
  internal: boolean;
  /** Every agent offered the call: names, "name surname" and ids. */
  agents: string[];
  /** Every queue the call visited: names and ids. */
  queues: string[];
}

const FIELDS: readonly FilterField[] = ['number', 'agent', 'queue', 'direction'];
/** The document fields holding a queue object. */
const QUEUE_KEYS = ['queue', 'queue_first', 'queue_last'] as const;

function sameItems(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameNamed(a: { id: string | undefined; name: string | undefined }, b: { id: string | undefined; name: string | undefined } | undefined): boolean {
  return b !== undefined && a.id === b.id && a.name === b.name;
}

function sameAgentRef(a: AgentRefFacts | undefined, b: AgentRefFacts | undefined): boolean {
  return a === undefined || (b !== undefined && a.id === b.id && a.name === b.name && a.surname === b.surname);
}

/** A growing index: names are only ever added (a call's agent and queue lists only grow). */
export class FilterIndexBuilder {
  /**
   * Per kind, the values as given that are in the index already (lower-cased or stringified there): a call's
   * documents repeat the same few names and ids, so most are found here before they are lower-cased again. Lists,
   * not sets: a call has a dozen such values, and a set's tables for them were most of what indexing allocated.
   */
  private agentGiven: unknown[] | undefined;
  private queueGiven: unknown[] | undefined;
  /** The last two name/surname pairs combined, so documents repeating agent_first/agent_last make no new text. */
  private pairs: Array<string | undefined> | undefined;
  private pairNext = 0;
  /** The derived objects derived() indexed last (see there). */
  private lastAgents: CallRecord['activeAgents'] | undefined;
  private lastAgent: CallRecord['currentAgent'];
  private lastQueue: CallRecord['currentQueue'];
  /** The customer number `index.number` was lower-cased from. */
  private numberFrom: string | undefined;
  /** After seal(): no lookup lists; the few names a late document brings are looked for in the index's lists. */
  private sealed = false;
  private current: FilterIndex = { number: '', numberDigits: '', direction: 'unknown', internal: false, agents: [], queues: [] };
  /** Whether `current` was handed out by frozenIndex(): then a change goes to a copy (see own()). */
  private shared = false;
  /** Set when something was added since the caller last reset it. */
  grew = false;

  /** The index as it is now (it grows in place until frozenIndex() hands it out). */
  get index(): FilterIndex {
    return this.current;
  }

  /**
   * The index as it is now, for a holder that must see it unchanged (a day summary): a later addition makes the
   * builder a copy of its own, so no copy is made for the many calls that get no document after it.
   */
  frozenIndex(): FilterIndex {
    this.shared = true;
    return this.current;
  }

  /** The index to change: a copy of it if it was handed out. */
  private own(): FilterIndex {
    if (this.shared) {
      const ix = this.current;
      this.current = { ...ix, agents: ix.agents.slice(), queues: ix.queues.slice() };
      this.shared = false;
    }
    return this.current;
  }

  private add(given: unknown[] | undefined, kind: 'agents' | 'queues', value: unknown): void {
    if (typeof value === 'string' ? value.length === 0 : typeof value !== 'number' || !Number.isFinite(value)) return;
    if (given !== undefined) {
      if (given.includes(value)) return;
      given.push(value);
    }
    const s = typeof value === 'string' ? value.toLowerCase() : String(value);
    if (this.current[kind].includes(s)) return;
    this.own()[kind].push(s);
    this.grew = true;
  }

  agent(name: unknown, id?: unknown): void {
    const given = this.givenAgents();
    this.add(given, 'agents', name);
    if (id !== undefined) this.add(given, 'agents', id);
  }

  queue(name: unknown, id?: unknown): void {
    const given = this.givenQueues();
    this.add(given, 'queues', name);
    if (id !== undefined) this.add(given, 'queues', id);
  }

  /** The agents' values as given, made on first use (none after seal()). */
  private givenAgents(): unknown[] | undefined {
    return this.sealed ? undefined : (this.agentGiven ??= []);
  }

  private givenQueues(): unknown[] | undefined {
    return this.sealed ? undefined : (this.queueGiven ??= []);
  }

  /**
   * Drops the lookup lists once the call has ended: the index itself is all that reads need, and an ended call is
   * kept for minutes. The few names of documents that arrive after the end are looked for in the index's lists (and
   * a name pair may be combined again, which adds nothing new).
   */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.agentGiven = this.queueGiven = undefined;
    this.pairs = undefined;
    // Lists that grew by push keep spare slots; an ended call keeps exact copies.
    const ix = this.own();
    ix.agents = ix.agents.slice();
    ix.queues = ix.queues.slice();
  }

  private agentRef(ref: unknown): void {
    if (typeof ref !== 'object' || ref === null) return;
    const r = ref as AgentRef;
    this.agent(r.name, r.id);
    // The queues feed splits name and surname: match "name surname" too.
    if (typeof r.surname === 'string' && typeof r.name === 'string' && !this.combined(r.name, r.surname)) {
      this.agent(`${r.name} ${r.surname}`, r.surname);
    }
  }

  /** Whether this pair was combined just before (adding it again would add nothing); remembers it if not. */
  private combined(name: string, surname: string): boolean {
    const p = (this.pairs ??= [undefined, undefined, undefined, undefined]);
    if ((p[0] === name && p[1] === surname) || (p[2] === name && p[3] === surname)) return true;
    const at = this.pairNext;
    p[at] = name;
    p[at + 1] = surname;
    this.pairNext = at === 0 ? 2 : 0;
    return false;
  }

  private list(list: unknown, into: 'agent' | 'queue'): void {
    if (!Array.isArray(list)) return;
    const given = into === 'agent' ? this.givenAgents() : this.givenQueues();
    const kind = into === 'agent' ? 'agents' : 'queues';
    // An indexed loop: lists are of two kinds (the shared frozen empty one, and others), and a for-of over them
    // allocates an iterator per list.
    for (let i = 0; i < list.length; i++) this.add(given, kind, list[i]);
  }

  /**
   * Adds the names one document carries (read from its facts). `indexed` is an earlier document of the same key
   * that is in the index already: what the two share is skipped (a key's documents mostly repeat their names).
   */
  document(d: DocFacts | undefined, indexed?: DocFacts): void {
    if (!d) return;
    if (!sameItems(d.agent_list, indexed?.agent_list)) this.list(d.agent_list, 'agent');
    if (!sameItems(d.agent_list_answer, indexed?.agent_list_answer)) this.list(d.agent_list_answer, 'agent');
    if (!sameItems(d.agent_list_no_answer, indexed?.agent_list_no_answer)) this.list(d.agent_list_no_answer, 'agent');
    if (!sameAgentRef(d.agent_first, indexed?.agent_first)) this.agentRef(d.agent_first);
    if (!sameAgentRef(d.agent_last, indexed?.agent_last)) this.agentRef(d.agent_last);
    const agent = d.agent;
    if (agent !== undefined && !sameNamed(agent, indexed?.agent)) this.agent(agent.name, agent.id);
    if (!sameItems(d.queue_list, indexed?.queue_list)) this.list(d.queue_list, 'queue');
    for (const k of QUEUE_KEYS) {
      const q = d[k];
      if (q !== undefined && !sameNamed(q, indexed?.[k])) this.queue(q.name, q.id);
    }
  }

  /** Takes the call's derived fields (number, direction, current queue and agents). */
  derived(call: CallRecord): void {
    const ix = this.current;
    // The number is lower-cased (and its digits taken) only when it changes: once per call, not per document.
    const raw = call.customerNumber;
    const number = raw === this.numberFrom ? ix.number : raw.toLowerCase();
    if (ix.number !== number || ix.direction !== call.direction || ix.internal !== call.internal) {
      this.numberFrom = raw;
      const own = this.own();
      own.number = number;
      own.numberDigits = digits(number);
      own.direction = call.direction;
      own.internal = call.internal;
      this.grew = true;
    }
    // The store keeps a call's derived queue, agent and agent list objects while they name the same ones: the same
    // object as last time is in the index already.
    const agents = call.activeAgents;
    if (agents !== this.lastAgents) {
      this.lastAgents = agents;
      for (let i = 0; i < agents.length; i++) this.agent(agents[i].name, agents[i].id); // indexed: two kinds of array
    }
    const agent = call.currentAgent;
    if (agent && agent !== this.lastAgent) {
      this.lastAgent = agent;
      this.agent(agent.name, agent.id);
    }
    const queue = call.currentQueue;
    if (queue && queue !== this.lastQueue) {
      this.lastQueue = queue;
      this.queue(queue.name, queue.id);
    }
  }

  /** Every document and derived field of a call. */
  call(call: CallRecord): this {
    this.document(call.callFacts);
    for (const v of call.queueVisits.values()) {
      this.queue(v.queueName, v.queueId);
      this.document(v.facts);
    }
    for (const o of call.agentOffers.values()) {
      this.agent(o.agentName, o.agentId);
      this.document(o.facts);
    }
    this.derived(call);
    return this;
  }
}

function digits(text: string): string {
  return text.replace(/\D+/g, '');
}

function anyIncludes(values: readonly string[], part: string): boolean {
  for (let i = 0; i < values.length; i++) if (values[i].includes(part)) return true;
  return false;
}

function criterionMatches(index: FilterIndex, c: FilterCriterion): boolean {
  const value = typeof c.value === 'string' ? c.value.trim().toLowerCase() : '';
  if (value === '') return false;
  switch (c.field) {
    case 'number': {
      if (index.number.includes(value)) return true;
      const d = digits(value);
      return d.length > 0 && d.length === value.replace(/[\s\-().+/]/g, '').length && index.numberDigits.includes(d);
    }
    case 'direction': {
      // The feeds say incoming/outgoing; inbound/outbound are accepted as the same words.
      const dir = normaliseDirectionWord(value);
      if (dir === 'internal') return index.internal;
      if (dir === 'external') return !index.internal;
      return index.direction.includes(dir);
    }
    case 'agent':
      return anyIncludes(index.agents, value);
    case 'queue':
      return anyIncludes(index.queues, value);
    default:
      return false;
  }
}

/** True when the (pre-built) index matches any criterion, or the filter is empty. */
export function matchesIndex(index: FilterIndex, filter: CallFilter): boolean {
  if (filter.length === 0) return true;
  for (let i = 0; i < filter.length; i++) if (criterionMatches(index, filter[i])) return true;
  return false;
}

/** A copy keeping only well-formed criteria (known field, non-blank string value). */
export function sanitizeFilter(filter: unknown): FilterCriterion[] {
  if (!Array.isArray(filter)) return [];
  const out: FilterCriterion[] = [];
  for (const c of filter as unknown[]) {
    if (typeof c !== 'object' || c === null) continue;
    const { field, value } = c as { field?: unknown; value?: unknown };
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (!FIELDS.includes(field as FilterField)) continue;
    out.push({ field: field as FilterField, value: value.trim() });
  }
  return out;
}

/** "agent: Anna or queue: Sales"; "all calls" when empty. */
export function describeFilter(filter: CallFilter): string {
  if (filter.length === 0) return 'all calls';
  // Shown in the view's description and message (plain) and escaped again in the status tooltip; values may be feed names.
  return filter.map((c) => `${c.field}: ${treeText(c.value, TEXT_CAPS.treeDescription)}`).join(' or ');
}

function normaliseDirectionWord(value: string): string {
  const v = value.toLowerCase();
  if (v === 'inbound') return 'incoming';
  if (v === 'outbound') return 'outgoing';
  return v;
}
