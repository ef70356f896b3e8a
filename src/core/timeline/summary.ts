// The timeline header's summary of a call: who, when, how long, and how it ended.
import type { CallSummaryDto, PhaseSegment } from '../../shared/messages';
import type { CallRecord } from '../model';
import type { CallsDocument } from '../types';
import { outcomeText } from '../outcomeText';
import { num, obj } from '../readers';
import { agentRefName, refName, seconds, type Clock } from './readers';
import { buildPhases } from './phases';

function firstLastQueues(record: CallRecord): { first?: string; last?: string } {
  const call = record.callFacts;
  const first = refName(call?.queue_first);
  const last = refName(call?.queue_last);
  if (first || last) return { first: first ?? last, last: last ?? first };
  const visits = [...record.queueVisits.values()].sort((a, b) => (a.timestart ?? 0) - (b.timestart ?? 0));
  return { first: visits[0]?.queueName, last: visits[visits.length - 1]?.queueName };
}

function firstLastAgents(record: CallRecord): { first?: string; last?: string } {
  const call = record.callFacts;
  const first = agentRefName(call?.agent_first);
  const last = agentRefName(call?.agent_last);
  if (first || last) return { first: first ?? last, last: last ?? first };
  const offers = [...record.agentOffers.values()].sort((a, b) => a.startedAt - b.startedAt);
  // The agents who answered describe the call better than every agent a ring-all queue rang.
  const answered = offers.filter((o) => o.answeredAt !== undefined);
  const pick = answered.length > 0 ? answered : offers;
  return { first: pick[0]?.agentName, last: pick[pick.length - 1]?.agentName };
}

/** Header facts. Durations come from the calls feed's cooked figures when it has them, else from the phases. */
export function buildSummary(record: CallRecord, phases: readonly PhaseSegment[] = buildPhases(record), now: Clock = Date.now): CallSummaryDto {
  const queues = firstLastQueues(record);
  const agents = firstLastAgents(record);
  const d = obj(record.call?.duration) as CallsDocument['duration'];
  const sum = (kind: PhaseSegment['kind']): number | undefined => {
    const parts = phases.filter((p) => p.kind === kind);
    return parts.length > 0 ? Math.round(parts.reduce((s, p) => s + p.seconds, 0)) : undefined;
  };
  // A live call's cooked durations are often zero until its next event; the phases are current.
  const pick = (feed: number | undefined, derived: number | undefined): number | undefined =>
    feed !== undefined && (feed > 0 || record.state === 'ended' || derived === undefined) ? feed : derived;
  const queue = pick(seconds(d?.queue), sum('queue'));
  const ring = pick(seconds(d?.ring), sum('ring') ?? sum('dial'));
  const talk = pick(seconds(d?.talk), sum('talk'));
  const hold = pick(num(d?.hold), sum('hold'));
  const derivedWait = queue === undefined && ring === undefined ? undefined : (queue ?? 0) + (ring ?? 0);
  const derivedTotal = phases.length > 0 ? Math.round(phases.reduce((s, p) => s + p.seconds, 0)) : undefined;
  return {
    id: record.id,
    customerNumber: record.customerNumber,
    direction: record.direction,
    state: record.state,
    outcome: outcomeText(record.outcome),
    unconfirmed: record.unconfirmed,
    internal: record.internal,
    stateSince: record.stateSince,
    asOf: now(),
    transfers: num(record.call?.transfers),
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    currentQueue: record.currentQueue?.name || record.currentQueue?.id,
    currentAgent: record.currentAgent?.name || record.currentAgent?.id,
    firstQueue: queues.first,
    lastQueue: queues.last,
    firstAgent: agents.first,
    lastAgent: agents.last,
    durations: {
      queue, ring, talk, hold,
      wait: pick(num(d?.wait_time), derivedWait),
      total: pick(num(d?.total), derivedTotal),
    },
  };
}
