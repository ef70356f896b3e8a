// What an ended call came to: its outcome, the agent to show for it, and when an agent answered in a queue visit.
import type { DocFacts } from '../facts';
import type { AgentOffer, CallOutcome, CallRecord } from '../model';
import type { EpochMs } from '../types';
import { num, str } from '../readers';
import { ABANDON_REASON, agentRef, latestVisit, type NamedRef } from './refs';
import { byTimestart } from './visitStats';

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
