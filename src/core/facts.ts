// The facts of a document: the few fields the store, its derivations, the filter and the tree rows read, in a small
// object of one fixed shape. The store keeps a key's facts and its frame bytes; the whole document is decoded from
// the bytes only when a view reads it (a timeline panel, a tooltip, an export). Facts are taken from a decoded
// document here (factsOf); a frame scanner may produce the same object without building the document, and must
// produce exactly what factsOf gives for the document decodeFrame makes of the same frame.
import { anyNumber, anyString, obj, type Json } from './readers';
import type { FeedDocument, FeedName } from './types';

export interface QueueFacts {
  id: string | undefined;
  name: string | undefined;
  timestart: number | undefined;
  fail_reason: string | undefined;
}

export interface AgentRefFacts {
  id: string | undefined;
  name: string | undefined;
  surname: string | undefined;
  answered: number | undefined;
}

export interface AgentInfoFacts {
  id: string | undefined;
  name: string | undefined;
}

export interface IvrFacts {
  name: string | undefined;
  timestamp: number | undefined;
}

export interface TimeFacts {
  start: number;
  end: number | undefined;
  answered: number | undefined;
}

/**
 * Every field is present (undefined when the document has none), so every facts object has one hidden class. An
 * object field is undefined when the document has no such object; a field the feed's schema does not know (a
 * `queue` in a calls document) is undefined even when the document has one, as it would not be normalised.
 */
export interface DocFacts {
  id_call: string;
  active: 0 | 1;
  answered: 0 | 1 | undefined;
  voicemail: 0 | 1 | undefined;
  internal: 0 | 1 | undefined;
  call_direction: string | undefined;
  terminated_call_reason: string | undefined;
  time: TimeFacts;
  customer_number: string | undefined;
  duration_total: number | undefined;
  queue: QueueFacts | undefined;
  queue_first: QueueFacts | undefined;
  queue_last: QueueFacts | undefined;
  agent: AgentInfoFacts | undefined;
  agent_first: AgentRefFacts | undefined;
  agent_last: AgentRefFacts | undefined;
  ivr_first: IvrFacts | undefined;
  ivr_last: IvrFacts | undefined;
  agent_list: readonly string[] | undefined;
  agent_list_answer: readonly string[] | undefined;
  agent_list_no_answer: readonly string[] | undefined;
  queue_list: readonly string[] | undefined;
  ivr_list: readonly string[] | undefined;
}

/** The facts only some feeds' schemas know (decoder.ts FEED_SCHEMAS); every other fact is in all three. */
export const FEED_FACTS: Record<FeedName, ReadonlySet<keyof DocFacts>> = {
  calls: new Set<keyof DocFacts>([
    'terminated_call_reason', 'queue_first', 'queue_last', 'agent_first', 'agent_last', 'ivr_first', 'ivr_last',
    'queue_list', 'ivr_list',
  ]),
  queues: new Set<keyof DocFacts>(['queue', 'agent_first', 'agent_last']),
  agents: new Set<keyof DocFacts>(['queue', 'agent']),
};

/** FEED_FACTS as flags per feed, for factsOf (it runs for every document decoded). */
const feedKnows = (feed: FeedName) => {
  const known = FEED_FACTS[feed];
  return {
    calls: feed === 'calls', queue: known.has('queue'), agentRefs: known.has('agent_first'), agent: known.has('agent'),
  };
};
const KNOWS = { calls: feedKnows('calls'), queues: feedKnows('queues'), agents: feedKnows('agents') };

const flag = (v: unknown): 0 | 1 | undefined => (v === 0 || v === 1 ? v : undefined);
/**
 * The one empty list every facts object uses for an empty list (most documents have several), so a retained call
 * keeps no empty array object per list.
 */
export const NO_ITEMS: readonly string[] = Object.freeze([]);

const list = (v: unknown): readonly string[] | undefined => (Array.isArray(v) ? (v.length === 0 ? NO_ITEMS : (v as string[])) : undefined);

function queueFacts(v: unknown): QueueFacts | undefined {
  const q = obj(v);
  return q && { id: anyString(q.id), name: anyString(q.name), timestart: anyNumber(q.timestart), fail_reason: anyString(q.fail_reason) };
}

function agentRefFacts(v: unknown): AgentRefFacts | undefined {
  const a = obj(v);
  return a && { id: anyString(a.id), name: anyString(a.name), surname: anyString(a.surname), answered: anyNumber(a.answered) };
}

function agentInfoFacts(v: unknown): AgentInfoFacts | undefined {
  const a = obj(v);
  return a && { id: anyString(a.id), name: anyString(a.name) };
}

function ivrFacts(v: unknown): IvrFacts | undefined {
  const i = obj(v);
  return i && { name: anyString(i.name), timestamp: anyNumber(i.timestamp) };
}

/**
 * The facts of a document that decodeFrame accepted on `feed` (it is normalised: ids and texts are strings, flags
 * 0/1, times numbers, lists strings). Shares the document's lists, and nothing else of it.
 */
export function factsOf(feed: FeedName, doc: FeedDocument): DocFacts {
  const d = doc as unknown as Json;
  const k = KNOWS[feed];
  const time = d.time as Json;
  return {
    id_call: doc.id_call,
    active: doc.active,
    answered: flag(d.answered),
    voicemail: flag(d.voicemail),
    internal: flag(d.internal),
    call_direction: anyString(d.call_direction),
    terminated_call_reason: k.calls ? anyString(d.terminated_call_reason) : undefined,
    time: { start: time.start as number, end: anyNumber(time.end), answered: anyNumber(time.answered) },
    customer_number: anyString(obj(d.customer_target)?.number),
    duration_total: anyNumber(obj(d.duration)?.total),
    queue: k.queue ? queueFacts(d.queue) : undefined,
    queue_first: k.calls ? queueFacts(d.queue_first) : undefined,
    queue_last: k.calls ? queueFacts(d.queue_last) : undefined,
    agent: k.agent ? agentInfoFacts(d.agent) : undefined,
    agent_first: k.agentRefs ? agentRefFacts(d.agent_first) : undefined,
    agent_last: k.agentRefs ? agentRefFacts(d.agent_last) : undefined,
    ivr_first: k.calls ? ivrFacts(d.ivr_first) : undefined,
    ivr_last: k.calls ? ivrFacts(d.ivr_last) : undefined,
    agent_list: list(d.agent_list),
    agent_list_answer: list(d.agent_list_answer),
    agent_list_no_answer: list(d.agent_list_no_answer),
    queue_list: k.calls ? list(d.queue_list) : undefined,
    ivr_list: k.calls ? list(d.ivr_list) : undefined,
  };
}
