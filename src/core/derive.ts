// Derivations from what the store holds for one call (rules: docs/protocol.md, best source first).
// Pure functions over a CallRecord's facts (never its decoded documents); the store decides when to call them.
import type { DocFacts } from './facts';
import type { AgentOffer, CallOutcome, CallRecord, CallState, QueueVisit } from './model';
import type { AgentRef, EpochMs } from './types';

export const ABANDON_REASON = 'queue_leave_abandon';

/** Which feeds the store has seen documents from (decides which fallbacks apply). */
export interface FeedsSeen {
  calls: boolean;
  queues: boolean;
  agents: boolean;
}

export interface NamedRef {
  id: string;
  name: string;
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

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = <T extends object>(v: unknown): T | undefined =>
  (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as T) : undefined);

/** Id and display name of an agent object from any feed; undefined when it names nobody. */
export function agentRef(ref: unknown): NamedRef | undefined {
  const r = obj<AgentRef>(ref);
  if (!r) return undefined;
  const first = str(r.name);
  const surname = str(r.surname);
  const name = first !== undefined && surname !== undefined ? `${first} ${surname}` : first ?? surname ?? '';
  const id = str(r.id) ?? (name ? `name:${name}` : undefined);
  return id === undefined ? undefined : { id, name: name || id };
}

/** The id a queue/ivr object goes by: its id, else `name:` and its name; undefined when it names nothing. */
export function refId(ref: { id?: unknown; name?: unknown } | undefined): string | undefined {
  const name = str(ref?.name);
  return str(ref?.id) ?? (name ? `name:${name}` : undefined);
}

function latestVisit(visits: Iterable<QueueVisit>, activeOnly: boolean): QueueVisit | undefined {
  let best: QueueVisit | undefined;
  for (const v of visits) {
    if (activeOnly && v.ended) continue;
    if (!best || (v.timestart ?? -Infinity) >= (best.timestart ?? -Infinity)) best = v;
  }
  return best;
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
  const doc = call.callFacts;
  const ql = doc?.queue_last;
  const al = doc?.agent_last;
  const currentQueue = visit ? sameOr(call.currentQueue, visit.queueId, visit.queueName) : fallbackQueue(call, ql);

  // 1. The agents feed knows best: talking, else ringing (ring-all rings several).
  if (live > 0) {
    const activeAgents = liveAgents(call, live);
    if (talking) {
      return into(out, 'talking', talking.answeredAt, undefined, currentQueue, offerRef(call, talking), activeAgents);
    }
    const o = ringing as AgentOffer;
    return into(out, 'ringing', ringingSince, queueWaitStart(visit, ql) ?? ringingSince, currentQueue, offerRef(call, o), activeAgents);
  }
  // 2. An active queue visit: waiting, unless (no agents feed) its document shows an agent answered in it.
  if (visit) {
    const answered = seen.agents ? undefined : visitAnswerIn(visit.facts, visit.timestart);
    if (answered !== undefined) {
      const agent = keptAgent(call.currentAgent, visit.facts.agent_last, visit.facts.agent_first);
      return into(out, 'talking', answered, undefined, currentQueue, agent, only(call, agent));
    }
    return into(out, 'waiting', visit.timestart, visit.timestart, currentQueue, keptAgent(call.currentAgent, al, visit.facts.agent_last), NO_AGENTS);
  }
  // 3. The calls document alone: waiting if queue_last started after agent_last answered (covers a transfer
  //    into another queue after an answer), talking if an agent answered, ringing if one was offered.
  if (doc) {
    const answeredAt = num(al?.answered);
    const qStart = ql ? num(ql.timestart) : undefined;
    if (ql && ql.fail_reason === undefined && qStart !== undefined && (answeredAt === undefined || qStart > answeredAt)) {
      return into(out, 'waiting', qStart, qStart, currentQueue, keptAgent(call.currentAgent, al), NO_AGENTS);
    }
    const agent = keptAgent(call.currentAgent, al);
    if (answeredAt !== undefined && agent) {
      return into(out, 'talking', answeredAt, undefined, currentQueue, agent, only(call, agent));
    }
    if (agent && !seen.agents && doc.voicemail !== 1) {
      return into(out, 'ringing', undefined, queueWaitStart(visit, ql), currentQueue, agent, only(call, agent));
    }
    if (hasIvr(doc) && !ql && !agent) {
      const ivrAt = num(doc.ivr_last?.timestamp) ?? num(doc.ivr_first?.timestamp);
      return into(out, 'ivr', ivrAt, undefined, currentQueue, keptAgent(call.currentAgent, al), NO_AGENTS);
    }
  }
  // 4. Otherwise dialling out / connecting.
  return into(out, 'dialling', undefined, undefined, currentQueue, keptAgent(call.currentAgent, al), NO_AGENTS);
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

/** Fills `out` (the store passes one it reuses: a new view object per document was garbage). */
function into(
  out: LiveView, state: LiveView['state'], since: EpochMs | undefined, waitingSince: EpochMs | undefined,
  currentQueue: NamedRef | undefined, currentAgent: NamedRef | undefined, activeAgents: readonly NamedRef[],
): LiveView {
  out.state = state;
  out.since = since;
  out.waitingSince = waitingSince;
  out.currentQueue = currentQueue;
  out.currentAgent = currentAgent;
  out.activeAgents = activeAgents;
  return out;
}

/**
 * `previous` when it already names this id and name, else a new reference: the call keeps what the last document
 * derived, and a new object per document for the same queue or agent was garbage that lived until the next one.
 */
function sameOr(previous: NamedRef | undefined, id: string, name: string): NamedRef {
  return names(previous, id, name) ? (previous as NamedRef) : { id, name };
}

/** The one empty list of agents (most states have none): one array less per document. */
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

/** Whether one of the first `n` refs has this id (a loop: a closure per offer was garbage). */
function listed(refs: readonly NamedRef[], n: number, id: string): boolean {
  for (let i = 0; i < n; i++) if (refs[i].id === id) return true;
  return false;
}

/** When an agent answered within a visit that began at `timestart`, per its queues document's agent objects. */
export function visitAnswerIn(doc: Pick<DocFacts, 'agent_first' | 'agent_last'>, timestart: EpochMs | undefined): EpochMs | undefined {
  const start = timestart ?? -Infinity;
  const first = num(doc.agent_first?.answered);
  const last = num(doc.agent_last?.answered);
  let best: number | undefined;
  if (first !== undefined && first >= start) best = first;
  if (last !== undefined && last >= start && (best === undefined || last < best)) best = last;
  return best;
}

/** The agent to show for an ended call: the last one who answered, else the calls feed's agent_last. */
export function finalAgent(call: CallRecord): NamedRef | undefined {
  let best: AgentOffer | undefined;
  for (const o of call.agentOffers.values()) {
    if (o.answeredAt !== undefined && (!best || o.answeredAt >= (best.answeredAt ?? 0))) best = o;
  }
  if (best) return { id: best.agentId, name: best.agentName };
  return agentRef(call.callFacts?.agent_last) ?? agentRef(latestVisit(call.queueVisits.values(), false)?.facts.agent_last);
}

const saysAnswered = (d: DocFacts): boolean => d.answered === 1;
const saysVoicemail = (d: DocFacts): boolean => d.voicemail === 1;

function anyDoc(call: CallRecord, pick: (d: DocFacts) => boolean): boolean {
  if (call.callFacts && pick(call.callFacts)) return true;
  for (const v of call.queueVisits.values()) if (pick(v.facts)) return true;
  for (const o of call.agentOffers.values()) if (pick(o.facts)) return true;
  return false;
}

/**
 * Outcome of an ended call: answered (the answered flag, or an agent offer with an answer time); abandoned
 * (terminated_call_reason or a queue fail_reason is queue_leave_abandon); voicemail; otherwise `other` with the
 * terminated reason as given (without a calls document: the last queue's fail_reason, else 'unknown').
 */
export function outcomeOf(call: CallRecord): CallOutcome {
  const doc = call.callFacts;
  let answered = anyDoc(call, saysAnswered);
  if (!answered) for (const o of call.agentOffers.values()) if (o.answeredAt !== undefined) answered = true;
  if (answered) return { kind: 'answered' };
  const reason = str(doc?.terminated_call_reason);
  const failReasons: string[] = [];
  for (const q of [doc?.queue_first, doc?.queue_last]) {
    const f = str(q?.fail_reason);
    if (f) failReasons.push(f);
  }
  const visits = [...call.queueVisits.values()].sort(byTimestart);
  for (const v of visits) {
    const f = str(v.facts.queue?.fail_reason);
    if (f) failReasons.push(f);
  }
  if (reason === ABANDON_REASON || failReasons.includes(ABANDON_REASON)) return { kind: 'abandoned' };
  if (anyDoc(call, saysVoicemail)) return { kind: 'voicemail' };
  return { kind: 'other', reason: reason ?? failReasons[failReasons.length - 1] ?? 'unknown' };
}

/**
 * What the day's per-queue figures read of an ended call: a few facts per visit, offer and calls document (the store
 * keeps documents as bytes only).
 */
export interface VisitStatsInput {
  visits: Iterable<VisitFacts>;
  offers: Iterable<OfferFacts>;
  call?: CallFacts;
}

export interface VisitFacts {
  readonly queueId: string;
  readonly queueName: string;
  readonly timestart?: EpochMs;
  /** The queue object of the visit's document (id, name, timestart, fail_reason), if it has one. */
  readonly queue: unknown;
  /** The document's time.end. */
  readonly leftAt?: EpochMs;
  /** When an agent answered in the visit, per the document's agent_first / agent_last (visitAnswerIn). */
  readonly answerAt?: EpochMs;
}

export interface OfferFacts {
  /** The queue object of the offer's document, if it has one. */
  readonly queue: unknown;
  readonly answeredAt?: EpochMs;
}

export type CallFacts = Pick<DocFacts, 'queue_first' | 'queue_last' | 'agent_first' | 'agent_last' | 'terminated_call_reason'>;

/** One queue visit of an ended call, for the day's per-queue figures. */
export interface VisitStat {
  id: string;
  name: string;
  answered: boolean;
  abandoned: boolean;
  /** Entry to answer (answered) or to leaving (abandoned), ms. */
  waitMs?: number;
}

interface VisitDraft {
  id: string; name: string; timestart?: number; failReason?: string; answeredAt?: number; leftAt?: number;
}

// visitStats' helpers are module functions: closures inside it would be made again for every ended call.

/**
 * The draft for the queue object `ref` names (one per queue id and start time), created on first sight. A call has
 * a few visits: a scan of them costs less than a Map keyed by a made-up "id@timestart" string.
 */
function visitDraft(drafts: VisitDraft[], ref: unknown): VisitDraft | undefined {
  const r = obj<{ id?: unknown; name?: unknown; timestart?: unknown; fail_reason?: unknown }>(ref);
  const id = refId(r);
  if (id === undefined) return undefined;
  return draftFor(drafts, id, str(r!.name) ?? id, num(r!.timestart), str(r!.fail_reason));
}

/** The draft for this queue id and start time, created on first sight (with every field, so one shape for all). */
function draftFor(drafts: VisitDraft[], id: string, name: string, timestart: number | undefined, fail: string | undefined): VisitDraft {
  let d: VisitDraft | undefined;
  for (let i = 0; i < drafts.length; i++) {
    if (drafts[i].id === id && drafts[i].timestart === timestart) {
      d = drafts[i];
      break;
    }
  }
  if (!d) drafts.push((d = { id, name, timestart, failReason: undefined, answeredAt: undefined, leftAt: undefined }));
  if (fail) d.failReason = fail;
  return d;
}

/** Records an answer at `at` in the visit, if it came after the visit began; the earliest answer wins. */
function answerIn(d: VisitDraft | undefined, at: number | undefined): void {
  if (!d || at === undefined || (d.timestart !== undefined && at < d.timestart)) return;
  if (d.answeredAt === undefined || at < d.answeredAt) d.answeredAt = at;
}

/** A calls-feed agent's answer counts in the latest visit that started before it, if that is queue_first/last. */
function answerFollowed(sorted: readonly VisitDraft[], first: VisitDraft | undefined, last: VisitDraft | undefined, ref: unknown): void {
  const at = num(obj<AgentRef>(ref)?.answered);
  if (at === undefined) return;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const d = sorted[i];
    if (d.timestart === undefined || d.timestart > at) continue;
    if (d === first || d === last) answerIn(d, at);
    return;
  }
}

const byTimestart = (a: { timestart?: number }, b: { timestart?: number }): number => (a.timestart ?? 0) - (b.timestart ?? 0);

/**
 * The queue visits of an ended call from whatever feeds were on: queues-feed visits, the calls feed's
 * queue_first/queue_last, and the queue named by agent offers. A visit is answered when an agent answered
 * after it started (and before the next visit); abandoned when it left with queue_leave_abandon.
 */
export function visitStats(input: VisitStatsInput, endedAt: EpochMs): VisitStat[] {
  const drafts: VisitDraft[] = [];
  for (const v of input.visits) {
    // A visit's own queue object, else its id and name (never empty: see the store's Visit).
    const d = v.queue !== undefined ? visitDraft(drafts, v.queue) : draftFor(drafts, v.queueId, v.queueName, num(v.timestart), undefined);
    answerIn(d, v.answerAt);
    if (d) d.leftAt = v.leftAt ?? d.leftAt;
  }
  const doc = input.call;
  const first = visitDraft(drafts, doc?.queue_first);
  const last = visitDraft(drafts, doc?.queue_last);
  for (const o of input.offers) answerIn(visitDraft(drafts, o.queue), o.answeredAt);
  const sorted = drafts.sort(byTimestart);
  // calls feed only: agent_first/agent_last answers fall in the visit they follow (the latest that started before).
  answerFollowed(sorted, first, last, doc?.agent_first);
  answerFollowed(sorted, first, last, doc?.agent_last);
  const terminated = str(doc?.terminated_call_reason);
  return sorted.map((d, i) => {
    const next = sorted[i + 1]?.timestart;
    const answered = d.answeredAt !== undefined;
    const abandoned = !answered && (d.failReason === ABANDON_REASON
      || (d.failReason === undefined && i === sorted.length - 1 && terminated === ABANDON_REASON));
    let waitMs: number | undefined;
    if (d.timestart !== undefined) {
      if (answered) waitMs = d.answeredAt! - d.timestart;
      else if (abandoned) waitMs = (d.leftAt ?? next ?? endedAt) - d.timestart;
      if (waitMs !== undefined) waitMs = Math.max(0, waitMs);
    }
    return { id: d.id, name: d.name, answered, abandoned, waitMs };
  });
}
