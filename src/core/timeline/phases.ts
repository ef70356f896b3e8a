// The phase bar: a call's journey in order (menus, queues, ringing, talking, hold) with proportional widths.
import type { PhaseSegment } from '../../shared/messages';
import type { CallRecord } from '../model';
import type { CallsDocument, EpochMs } from '../types';
import { outcomeText } from '../outcomeText';
import { num, obj } from '../readers';
import { agentRefName, refName, seconds, type Clock } from './readers';

interface VisitFact { name: string; start: EpochMs; end?: EpochMs }
interface OfferFact { agent: string; start: EpochMs; answered?: EpochMs; end?: EpochMs; holdSec: number }
interface IvrFact { name: string; at: EpochMs }
interface JourneyFacts {
  start: EpochMs;
  ivrs: IvrFact[];
  visits: VisitFact[];
  offers: OfferFact[];
  /** Hold known only for the whole call (calls feed), given to the last talk. */
  callHoldSec: number;
}

/** Facts from the queues and agents feeds (exact times), with the calls feed filling what they lack. */
function journeyFacts(record: CallRecord): JourneyFacts {
  // The whole calls document only for its durations; the rest comes from the facts (documents are decoded on read).
  const d = obj(record.call?.duration) as CallsDocument['duration'];
  const facts = record.callFacts;
  const ivrs: IvrFact[] = [];
  for (const ref of [facts?.ivr_first, facts?.ivr_last]) {
    const at = num(obj(ref)?.timestamp);
    const name = refName(ref) ?? 'IVR';
    if (at !== undefined && !ivrs.some((i) => i.at === at)) ivrs.push({ name, at });
  }

  const visits: VisitFact[] = [];
  for (const v of record.queueVisits.values()) {
    const start = v.timestart ?? v.facts.time.start;
    visits.push({ name: v.queueName || v.queueId || 'queue', start, end: v.ended ? v.facts.time.end ?? record.endedAt : undefined });
  }
  const offers: OfferFact[] = [];
  for (const o of record.agentOffers.values()) {
    offers.push({
      agent: o.agentName || o.agentId || 'agent',
      start: o.startedAt,
      answered: o.answeredAt,
      end: o.ended ? o.facts.time.end ?? record.endedAt : undefined,
      holdSec: num(obj(o.doc.duration)?.hold) ?? 0,
    });
  }

  // Calls feed only: rebuild the first and last queue visit and agent from their times and cooked durations.
  if (facts && visits.length === 0) {
    const refs = [{ ref: facts.queue_first, part: 'first' as const }, { ref: facts.queue_last, part: 'last' as const }];
    for (const { ref, part } of refs) {
      const start = num(obj(ref)?.timestart);
      if (start === undefined || visits.some((v) => v.start === start)) continue;
      const wait = seconds(d?.queue, part);
      visits.push({ name: refName(ref) ?? 'queue', start, end: wait !== undefined ? start + wait * 1000 : undefined });
    }
  }
  if (facts && offers.length === 0) {
    const refs = [{ ref: facts.agent_first, part: 'first' as const }, { ref: facts.agent_last, part: 'last' as const }];
    for (const { ref, part } of refs) {
      const answered = num(obj(ref)?.answered);
      const name = agentRefName(ref);
      if (!name || offers.some((o) => o.answered === answered && o.agent === name)) continue;
      const ring = seconds(d?.ring, part) ?? 0;
      const talk = seconds(d?.talk, part);
      if (answered !== undefined) {
        offers.push({ agent: name, start: answered - ring * 1000, answered, end: talk !== undefined && talk > 0 ? answered + talk * 1000 : undefined, holdSec: 0 });
      }
    }
  }
  const agentHold = offers.some((o) => o.holdSec > 0);
  return {
    start: record.startedAt,
    ivrs,
    visits: visits.sort((a, b) => a.start - b.start),
    offers: offers.sort((a, b) => a.start - b.start),
    callHoldSec: agentHold ? 0 : num(d?.hold) ?? 0,
  };
}

interface RawSegment { kind: PhaseSegment['kind']; label: string; from: EpochMs; to: EpochMs; offers: OfferFact[] }

const uniqueNames = (offers: readonly OfferFact[]): string => [...new Set(offers.map((o) => o.agent))].join(', ');

/** What the call was doing at instant t (best source first, as in feed-semantics.md). */
function phaseAt(t: EpochMs, facts: JourneyFacts, outgoing: boolean, customer: string): Omit<RawSegment, 'from' | 'to'> {
  const talking = facts.offers.filter((o) => o.answered !== undefined && o.answered <= t && t < (o.end ?? Infinity));
  if (talking.length > 0) return { kind: 'talk', label: uniqueNames(talking), offers: talking };
  const ringing = facts.offers.filter((o) => o.start <= t && t < (o.answered ?? o.end ?? Infinity));
  if (ringing.length > 0) {
    return outgoing && facts.visits.length === 0
      ? { kind: 'dial', label: customer || 'customer', offers: [] }
      : { kind: 'ring', label: uniqueNames(ringing), offers: [] };
  }
  const answeredBefore = (from: EpochMs): boolean => facts.offers.some((o) => o.answered !== undefined && o.answered >= from && o.answered <= t);
  // The latest queue the call entered, while its wait there is not over (answer, its end).
  for (let i = facts.visits.length - 1; i >= 0; i--) {
    const v = facts.visits[i];
    if (v.start > t) continue;
    if (t < (v.end ?? Infinity) && !answeredBefore(v.start)) return { kind: 'queue', label: v.name, offers: [] };
    break;
  }
  const firstStep = Math.min(facts.visits[0]?.start ?? Infinity, facts.offers[0]?.start ?? Infinity);
  const ivr = [...facts.ivrs].reverse().find((i) => i.at <= t);
  if (ivr && t < firstStep) return { kind: 'ivr', label: ivr.name, offers: [] };
  if (outgoing && !facts.offers.some((o) => o.answered !== undefined && o.answered <= t)) {
    return { kind: 'dial', label: customer || 'customer', offers: [] };
  }
  return { kind: 'other', label: 'connecting', offers: [] };
}

const roundSeconds = (ms: number): number => Math.round(ms / 100) / 10;

/**
 * The phase bar: segments in journey order, from the documents' times (ivr_first.timestamp, queue timestart,
 * agent time.start/answered/end, time.end) with the cooked durations (duration.*) where times are missing.
 * Hold is only known as a length, so it follows the talk it belongs to. Ended calls get a final `ended` marker.
 */
export function buildPhases(record: CallRecord, now: Clock = Date.now): PhaseSegment[] {
  const facts = journeyFacts(record);
  const ended = record.state === 'ended';
  const start = facts.start;
  const end = Math.max(start, ended ? endTime(record, facts) : now());
  const outgoing = record.direction === 'outgoing';

  const points = new Set<number>([start, end]);
  const add = (t: number | undefined): void => {
    if (t !== undefined && t > start && t < end) points.add(t);
  };
  for (const i of facts.ivrs) add(i.at);
  for (const v of facts.visits) { add(v.start); add(v.end); }
  for (const o of facts.offers) { add(o.start); add(o.answered); add(o.end); }
  const sorted = [...points].sort((a, b) => a - b);

  const raw: RawSegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i];
    const to = sorted[i + 1];
    const phase = phaseAt((from + to) / 2, facts, outgoing, record.customerNumber);
    const prev = raw[raw.length - 1];
    if (prev && prev.kind === phase.kind && prev.label === phase.label) {
      prev.to = to;
      for (const o of phase.offers) if (!prev.offers.includes(o)) prev.offers.push(o);
    } else {
      raw.push({ ...phase, from, to });
    }
  }
  // A sliver under a second (two feeds' clocks a few ms apart) is noise: give its time to its neighbour.
  const kept: RawSegment[] = [];
  for (const seg of raw) {
    const prev = kept[kept.length - 1];
    if (prev && (seg.to - seg.from < 1000 || (prev.kind === seg.kind && prev.label === seg.label))) prev.to = seg.to;
    else if (prev && prev.to - prev.from < 1000 && kept.length === 1) kept[0] = { ...seg, from: prev.from };
    else kept.push(seg);
  }

  const timed = splitHold(kept, facts);
  const totalMs = end - start;
  const segments: PhaseSegment[] = timed.map((s) => ({
    kind: s.kind,
    label: s.label,
    seconds: roundSeconds(s.to - s.from),
    share: totalMs > 0 ? (s.to - s.from) / totalMs : 1 / timed.length,
    startedAt: s.from,
  }));
  if (!ended && segments.length > 0) segments[segments.length - 1].ongoing = true;
  if (ended) segments.push({ kind: 'ended', label: outcomeText(record.outcome) ?? 'ended', seconds: 0, share: 0, startedAt: end });
  return segments;
}

/** When an ended call ended by the documents' clock (time.end), not when its last document arrived. */
function endTime(record: CallRecord, facts: JourneyFacts): EpochMs {
  const callEnd = record.callFacts?.time.end;
  if (callEnd !== undefined) return callEnd;
  const ends = [...facts.visits, ...facts.offers].map((x) => x.end).filter((t): t is number => t !== undefined);
  return ends.length > 0 ? Math.max(...ends) : record.endedAt ?? record.lastDocumentAt;
}

/** Cuts each talk's hold time off its end as a `hold` segment (the feeds give hold only as a length). */
function splitHold(segments: RawSegment[], facts: JourneyFacts): RawSegment[] {
  const holdFor = new Map<RawSegment, number>();
  for (const offer of facts.offers) {
    if (offer.holdSec <= 0) continue;
    const last = [...segments].reverse().find((s) => s.kind === 'talk' && s.offers.includes(offer));
    if (last) holdFor.set(last, (holdFor.get(last) ?? 0) + offer.holdSec * 1000);
  }
  if (facts.callHoldSec > 0) {
    const last = [...segments].reverse().find((s) => s.kind === 'talk');
    if (last) holdFor.set(last, (holdFor.get(last) ?? 0) + facts.callHoldSec * 1000);
  }
  const out: RawSegment[] = [];
  for (const seg of segments) {
    const hold = Math.min(holdFor.get(seg) ?? 0, seg.to - seg.from);
    if (hold <= 0) {
      out.push(seg);
      continue;
    }
    const cut = seg.to - hold;
    if (cut > seg.from) out.push({ ...seg, to: cut });
    out.push({ kind: 'hold', label: seg.label, from: cut, to: seg.to, offers: seg.offers });
  }
  return out;
}
