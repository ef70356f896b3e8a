// The live state of a call that has not ended, derived from its facts (never its decoded documents).
import type { DocFacts } from '../facts';
import type { AgentOffer, CallRecord, CallState, QueueVisit } from '../model';
import type { AgentRef, EpochMs } from '../types';
import { visitAnswerIn } from './outcome';
import { num, obj, str } from '../readers';
import { agentRef, latestVisit, refId, type NamedRef } from './refs';

/** Which feeds the store has seen documents from (decides which fallbacks apply). */
export interface FeedsSeen {
  calls: boolean;
  queues: boolean;
  agents: boolean;
}

export interface LiveView {
  state: Exclude<CallState, 'ended'>;
  /** Best feed time for when the state began, if the documents tell. */
  since?: EpochMs;
  waitingSince?: EpochMs;
  currentQueue?: NamedRef;
  currentAgent?: NamedRef;
  activeAgents: readonly NamedRef[];
}

function hasIvr(doc: DocFacts | undefined): boolean {
  return !!doc && (doc.ivr_first !== undefined || doc.ivr_last !== undefined || (doc.ivr_list !== undefined && doc.ivr_list.length > 0));
}

/**
 * Derived live state of a call that has not ended. Runs on every document of an active call, so it walks the
 * offers once without building intermediate arrays, and works out fallbacks only in the branches that use them.
 */
export function deriveLive(call: CallRecord, seen: FeedsSeen, out: LiveView = { state: 'dialling', activeAgents: NO_AGENTS }): LiveView {
  // Latest talking offer (by answer time) and ringing offers (earliest start, latest start); ties go to the later one.
  let talking: AgentOffer | undefined;
  let ringing: AgentOffer | undefined;
  let ringingSince = Infinity;
  let live = 0;
  for (const o of call.agentOffers.values()) {
    if (o.ended) continue;
    live++;
    if (o.answeredAt !== undefined) {
      if (!talking || o.answeredAt >= (talking.answeredAt as number)) talking = o;
    } else {
      if (!ringing || o.startedAt >= ringing.startedAt) ringing = o;
      if (o.startedAt < ringingSince) ringingSince = o.startedAt;
    }
  }
  const visit = latestVisit(call.queueVisits.values(), true);
  const ql = call.callFacts?.queue_last;
  out.currentQueue = visit ? sameOr(call.currentQueue, visit.queueId, visit.queueName) : fallbackQueue(call, ql);

  // 1. The agents feed knows best: talking, else ringing (ring-all rings several).
  if (live > 0) {
    const activeAgents = liveAgents(call, live);
    if (talking) return into(out, 'talking', talking.answeredAt, offerRef(call, talking), activeAgents);
    const ringingView = into(out, 'ringing', ringingSince, offerRef(call, ringing as AgentOffer), activeAgents);
    return waitingFrom(ringingView, queueWaitStart(visit, ql) ?? ringingSince);
  }
  // 2. An active queue visit: waiting, unless (no agents feed) its document shows an agent answered in it.
  if (visit) {
    const answered = seen.agents ? undefined : visitAnswerIn(visit.facts, visit.timestart);
    if (answered !== undefined) {
      const agent = keptAgent(call.currentAgent, visit.facts.agent_last, visit.facts.agent_first);
      return into(out, 'talking', answered, agent, only(call, agent));
    }
    const agent = keptAgent(call.currentAgent, call.callFacts?.agent_last, visit.facts.agent_last);
    return waitingFrom(into(out, 'waiting', visit.timestart, agent, NO_AGENTS), visit.timestart);
  }
  // 3. The calls document alone; 4. otherwise dialling out / connecting.
  return fromCallsDocument(out, call, seen) ?? into(out, 'dialling', undefined, keptAgent(call.currentAgent, call.callFacts?.agent_last), NO_AGENTS);
}

/**
 * The state the calls document alone shows, if any: waiting if queue_last started after agent_last answered (covers
 * a transfer into another queue after an answer), talking if an agent answered, ringing if one was offered, ivr.
 */
function fromCallsDocument(out: LiveView, call: CallRecord, seen: FeedsSeen): LiveView | undefined {
  const doc = call.callFacts;
  if (!doc) return undefined;
  const ql = doc.queue_last;
  const al = doc.agent_last;
  const answeredAt = num(al?.answered);
  const qStart = ql ? num(ql.timestart) : undefined;
  if (ql && ql.fail_reason === undefined && qStart !== undefined && (answeredAt === undefined || qStart > answeredAt)) {
    return waitingFrom(into(out, 'waiting', qStart, keptAgent(call.currentAgent, al), NO_AGENTS), qStart);
  }
  const agent = keptAgent(call.currentAgent, al);
  if (answeredAt !== undefined && agent) return into(out, 'talking', answeredAt, agent, only(call, agent));
  if (agent && !seen.agents && doc.voicemail !== 1) {
    return waitingFrom(into(out, 'ringing', undefined, agent, only(call, agent)), queueWaitStart(undefined, ql));
  }
  if (hasIvr(doc) && !ql && !agent) {
    const ivrAt = num(doc.ivr_last?.timestamp) ?? num(doc.ivr_first?.timestamp);
    return into(out, 'ivr', ivrAt, keptAgent(call.currentAgent, al), NO_AGENTS);
  }
  return undefined;
}

/** Whether `ref` names exactly this id and name. */
const names = (ref: NamedRef | undefined, id: string, name: string): boolean => ref !== undefined && ref.id === id && ref.name === name;

/**
 * agentRef(ref) (or, when that names nobody, agentRef(orElse)), or `previous` when it names the same agent: the
 * comparison reads the fields, so most documents make no ref and no joined name.
 */
function keptAgent(previous: NamedRef | undefined, ref: unknown, orElse?: unknown): NamedRef | undefined {
  const r = obj<AgentRef>(ref);
  const first = str(r?.name);
  const surname = str(r?.surname);
  const id = str(r?.id);
  if (id === undefined && first === undefined && surname === undefined) return orElse === undefined ? undefined : keptAgent(previous, orElse);
  if (previous !== undefined && sameAgent(previous, id, first, surname)) return previous;
  return agentRef(r);
}

/** Whether `ref` is what agentRef makes of these fields (one of them is set). */
function sameAgent(ref: NamedRef, id: string | undefined, first: string | undefined, surname: string | undefined): boolean {
  const name = ref.name;
  if (id === undefined) return ref.id.length === name.length + 5 && ref.id.startsWith('name:') && ref.id.endsWith(name) && isJoined(name, first, surname);
  return ref.id === id && (first === undefined && surname === undefined ? name === id : isJoined(name, first, surname));
}

/** Whether `text` is agentRef's display name of `first` and `surname` (not both undefined). */
function isJoined(text: string, first: string | undefined, surname: string | undefined): boolean {
  if (first === undefined || surname === undefined) return text === (first ?? surname);
  return text.length === first.length + 1 + surname.length && text.startsWith(first) && text.charCodeAt(first.length) === 32 && text.endsWith(surname);
}

/** The list of just `agent`: the call's current one when it is that already. */
function only(call: CallRecord, agent: NamedRef | undefined): readonly NamedRef[] {
  if (agent === undefined) return NO_AGENTS;
  const current = call.activeAgents;
  return current.length === 1 && current[0] === agent ? current : [agent];
}

/**
 * Fills `out` (the store passes one it reuses, so a document makes no view object) with a state that is not waiting
 * for a queue; waitingFrom adds that. The caller has set out.currentQueue.
 */
function into(out: LiveView, state: LiveView['state'], since: EpochMs | undefined, agent: NamedRef | undefined, agents: readonly NamedRef[]): LiveView {
  out.state = state;
  out.since = since;
  out.waitingSince = undefined;
  out.currentAgent = agent;
  out.activeAgents = agents;
  return out;
}

/** The view, waiting in a queue since `at`. */
function waitingFrom(view: LiveView, at: EpochMs | undefined): LiveView {
  view.waitingSince = at;
  return view;
}

/**
 * `previous` when it already names this id and name, else a new reference: the call keeps what the last document
 * derived, so a document naming the same queue or agent makes no new object.
 */
function sameOr(previous: NamedRef | undefined, id: string, name: string): NamedRef {
  return names(previous, id, name) ? (previous as NamedRef) : { id, name };
}

/** The one empty list of agents, shared by every state without one. */
const NO_AGENTS: readonly NamedRef[] = Object.freeze([]);

const offerRef = (call: CallRecord, o: AgentOffer): NamedRef => sameOr(call.currentAgent, o.agentId, o.agentName);

/** Without an active visit: queue_last (calls feed), else the latest visit; the current ref while it names the same. */
function fallbackQueue(call: CallRecord, ql: unknown): NamedRef | undefined {
  const r = obj<{ id?: unknown; name?: unknown }>(ql);
  const id = refId(r);
  if (id !== undefined) return sameOr(call.currentQueue, id, str(r!.name) ?? id);
  const v = latestVisit(call.queueVisits.values(), false);
  return v ? sameOr(call.currentQueue, v.queueId, v.queueName) : undefined;
}

/** A queue the call is still in: an active visit's start, or (calls feed) queue_last's without a fail_reason. */
function queueWaitStart(visit: QueueVisit | undefined, ql: { timestart: number | undefined; fail_reason: string | undefined } | undefined): EpochMs | undefined {
  return visit ? visit.timestart : ql && ql.fail_reason === undefined ? num(ql.timestart) : undefined;
}

/** The agents of the live offers, talking ones first, then ringing ones, each agent once (in offer order). */
function liveAgents(call: CallRecord, live: number): readonly NamedRef[] {
  // The call's current list when the offers still give the same agents in the same order (most documents).
  const previous = call.activeAgents;
  let same = true;
  let n = 0;
  for (let pass = 0; pass < 2 && same; pass++) {
    const answered = pass === 0;
    for (const o of call.agentOffers.values()) {
      if (o.ended || (o.answeredAt !== undefined) !== answered) continue;
      if (live > 1 && listed(previous, n, o.agentId)) continue;
      const p = previous[n];
      if (p === undefined || p.id !== o.agentId || p.name !== o.agentName) {
        same = false;
        break;
      }
      n++;
    }
  }
  if (same && n === previous.length) return previous;
  const out: NamedRef[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const answered = pass === 0;
    for (const o of call.agentOffers.values()) {
      if (o.ended || (o.answeredAt !== undefined) !== answered) continue;
      if (live > 1 && listed(out, out.length, o.agentId)) continue;
      out.push({ id: o.agentId, name: o.agentName });
    }
  }
  return out;
}

/** Whether one of the first `n` refs has this id (a plain loop, so no closure is made per offer). */
function listed(refs: readonly NamedRef[], n: number, id: string): boolean {
  for (let i = 0; i < n; i++) if (refs[i].id === id) return true;
  return false;
}

