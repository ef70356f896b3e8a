// Pure view model of the call timeline webview: CallRecord -> header summary, phase bar, timeline entries,
// and the message stream (snapshot, then deltas) the host posts. No vscode import: unit-tested directly.
import {
  isWebviewToHostMessage, type CallSummaryDto, type HostToWebviewMessage, type PhaseSegment, type TimelineEntryDto,
} from '../shared/messages';
import { displayJson, panelTitleText } from '../shared/sanitize';
import { Coalescer, type Scheduler } from './coalescer';
import type { CallOutcome, CallRecord, TimelineEntry } from './model';
import type {
  AgentRef, AgentsDocument, CallsDocument, EpochMs, FirstLastTotal, QueuesDocument,
} from './types';

type Clock = () => EpochMs;

// ---------------------------------------------------------------------------------------------------------
// Small readers that never trust the document's shape (decoded feed data may miss or mistype any field).

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** "Anna Grill" from an agent ref (the queues feed splits name and surname). */
function agentRefName(ref: AgentRef | undefined): string | undefined {
  const r = obj(ref);
  if (!r) return undefined;
  const name = [str(r.name), str(r.surname)].filter(Boolean).join(' ');
  return name || str(r.id);
}

function refName(ref: unknown): string | undefined {
  const r = obj(ref);
  return r ? str(r.name) ?? str(r.id) : undefined;
}

/** Seconds from a `duration.x` that may be a number or a {first,last,total} object. */
function seconds(value: number | FirstLastTotal | undefined, part: keyof FirstLastTotal = 'total'): number | undefined {
  if (typeof value === 'number') return num(value);
  const o = obj(value);
  return o ? num(o[part]) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Outcome and summary

/** Human text for an outcome: "answered", "abandoned", "voicemail", or "ended: <reason>". */
export function outcomeText(outcome: CallOutcome | undefined): string | undefined {
  if (!outcome) return undefined;
  if (outcome.kind === 'other') return `ended: ${outcome.reason || 'unknown'}`;
  return outcome.kind;
}

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

// ---------------------------------------------------------------------------------------------------------
// Phases: the call's journey (IVR, queues, ringing, talk, hold, end) as segments in time order.

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

/** Accessible text of the phase bar, e.g. "IVR Main 10 s, queue Support 20 s, …, ended: hangup". */
export function describePhases(phases: readonly PhaseSegment[]): string {
  return phases.map((p) => (p.kind === 'ended' ? p.label : `${p.kind} ${p.label} ${p.seconds} s${p.ongoing ? ' so far' : ''}`)).join(', ');
}

// ---------------------------------------------------------------------------------------------------------
// Timeline entries

const changedUnder = (changed: readonly string[], prefix: string): boolean =>
  changed.some((p) => p === prefix || p.startsWith(`${prefix}.`));

function callsText(doc: CallsDocument, changed: readonly string[], first: boolean): string {
  if (doc.active === 0) {
    const reason = str(doc.terminated_call_reason) ?? 'no reason given';
    const how = doc.answered === 1 ? ' (answered)' : doc.voicemail === 1 ? ' (voicemail)' : '';
    return `ended: ${reason}${how}`;
  }
  if (first) return `call started${str(doc.call_direction) ? ` (${str(doc.call_direction)})` : ''}`;
  if (changedUnder(changed, 'agent_last.answered') || changedUnder(changed, 'agent_first.answered')) {
    return `agent ${agentRefName(doc.agent_last) ?? agentRefName(doc.agent_first) ?? '?'} answered`;
  }
  if (changedUnder(changed, 'queue_last') || changedUnder(changed, 'queue_first')) {
    return `entered queue ${refName(doc.queue_last) ?? refName(doc.queue_first) ?? '?'}`;
  }
  if (changedUnder(changed, 'ivr_last') || changedUnder(changed, 'ivr_first')) {
    return `in IVR ${refName(doc.ivr_last) ?? refName(doc.ivr_first) ?? '?'}`;
  }
  return `call updated (${changed.length} field${changed.length === 1 ? '' : 's'})`;
}

function queuesText(doc: QueuesDocument, changed: readonly string[], first: boolean): string {
  const queue = refName(doc.queue) ?? '?';
  if (doc.active === 0) {
    const reason = str(obj(doc.queue)?.fail_reason) ?? (doc.answered === 1 ? 'answered' : doc.voicemail === 1 ? 'voicemail' : 'ended');
    return `left queue ${queue}: ${reason}`;
  }
  if (first) return `entered queue ${queue}`;
  if (changedUnder(changed, 'agent_last.answered') || changedUnder(changed, 'agent_first.answered')) {
    return `agent ${agentRefName(doc.agent_last) ?? agentRefName(doc.agent_first) ?? '?'} answered in queue ${queue}`;
  }
  return `queue ${queue} updated`;
}

function agentsText(doc: AgentsDocument, changed: readonly string[], first: boolean): string {
  const agent = refName(doc.agent) ?? '?';
  const answered = num(obj(doc.time)?.answered) !== undefined;
  if (doc.active === 0) {
    const reason = str(doc.agent_end_reason);
    return answered ? `agent ${agent} finished${reason ? `: ${reason}` : ''}` : `agent ${agent} did not answer${reason ? `: ${reason}` : ''}`;
  }
  if (answered && (first || changedUnder(changed, 'time.answered'))) return `agent ${agent} answered`;
  if (first) return `agent ${agent} ringing`;
  return `agent ${agent} updated`;
}

/** A short description of what a document says happened. `first`: the first document for its key. */
export function describeEntry(entry: TimelineEntry, first: boolean): string {
  const doc = entry.document;
  let text: string;
  if (entry.feed === 'calls') text = callsText(doc as CallsDocument, entry.changed, first);
  else if (entry.feed === 'queues') text = queuesText(doc as QueuesDocument, entry.changed, first);
  else text = agentsText(doc as AgentsDocument, entry.changed, first);
  return entry.late ? `late: ${text}` : text;
}

/** Timeline entries as DTOs, in arrival order; only those with seq > afterSeq (all by default). */
export function buildEntries(record: CallRecord, afterSeq = -1): TimelineEntryDto[] {
  const seen = new Set<string>();
  const out: TimelineEntryDto[] = [];
  for (const entry of record.timeline) {
    // After the cap dropped entries, a key's first kept entry is only "first" if it lists every field (id_call too).
    const first = !seen.has(entry.key) && (record.timelineDropped === 0 || entry.changed.includes('id_call'));
    seen.add(entry.key);
    if (entry.seq <= afterSeq) continue;
    out.push({
      seq: entry.seq,
      feed: entry.feed,
      receivedAt: entry.receivedAt,
      key: entry.key,
      first,
      description: describeEntry(entry, first),
      changed: [...entry.changed],
      late: entry.late === true,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The message stream for one panel: a snapshot when the webview (re)loads, then only what is new.

export class TimelineSync {
  /** Seqs the webview holds, so the cap's later drops can be named. */
  private sent = new Set<number>();
  private lastSeq = -1;
  private shown: 'nothing' | 'call' | 'missing' = 'nothing';

  constructor(readonly callId: string, private readonly now: Clock = Date.now) {}

  /** The full picture for a webview that has just said `ready`. */
  snapshot(record: CallRecord | undefined): HostToWebviewMessage {
    if (!record) {
      this.reset('missing');
      return { type: 'missing', callId: this.callId };
    }
    this.reset('call');
    const entries = buildEntries(record);
    this.remember(entries);
    const phases = buildPhases(record, this.now);
    return { type: 'snapshot', callId: this.callId, summary: buildSummary(record, phases, this.now), phases, entries, dropped: record.timelineDropped };
  }

  /** What changed since the last message, or undefined when there is nothing to tell. */
  update(record: CallRecord | undefined): HostToWebviewMessage | undefined {
    if (!record) {
      if (this.shown === 'missing') return undefined;
      this.reset('missing');
      return { type: 'missing', callId: this.callId };
    }
    if (this.shown !== 'call') return this.snapshot(record);
    const entries = buildEntries(record, this.lastSeq);
    const current = new Set(record.timeline.map((e) => e.seq));
    const removed = [...this.sent].filter((seq) => !current.has(seq));
    for (const seq of removed) this.sent.delete(seq);
    this.remember(entries);
    const phases = buildPhases(record, this.now);
    const message: HostToWebviewMessage = {
      type: 'update', callId: this.callId, summary: buildSummary(record, phases, this.now), phases, entries, dropped: record.timelineDropped,
    };
    if (removed.length > 0) message.removed = removed;
    return message;
  }

  /** The webview went away (hidden or reloading); the next message must be a snapshot. */
  forget(): void {
    this.reset('nothing');
  }

  private reset(shown: TimelineSync['shown']): void {
    this.shown = shown;
    this.sent = new Set();
    this.lastSeq = -1;
  }

  private remember(entries: readonly TimelineEntryDto[]): void {
    for (const e of entries) {
      this.sent.add(e.seq);
      if (e.seq > this.lastSeq) this.lastSeq = e.seq;
    }
  }
}

/** The document of one timeline entry, pretty-printed (clipboard, expanded row); undefined when the cap dropped it. */
export function entryJson(record: CallRecord | undefined, seq: number): string | undefined {
  const entry = record?.timeline.find((e) => e.seq === seq);
  return entry ? displayJson(entry.document) : undefined;
}

/** The panel's title: the customer's number when known (feed text, flattened and cut), else the call id. */
export function timelineTitle(record: CallRecord | undefined, callId: string): string {
  const number = panelTitleText(record?.customerNumber ?? '');
  return `Call ${number || panelTitleText(callId)}`;
}

// ---------------------------------------------------------------------------------------------------------
// One panel's conversation with its webview, without vscode: the adapter (src/vscode/timelinePanel.ts)
// only wires the webview's events and postMessage to it.

export interface TimelineSessionDeps {
  callId: string;
  getCall(id: string): CallRecord | undefined;
  /** Sends to the webview. */
  post(message: HostToWebviewMessage): void;
  /** Writes a document's pretty JSON to the clipboard (the webview has no clipboard access of its own). */
  copy(text: string, seq: number): void;
  /** A copy was asked for an entry the cap has dropped since. */
  copyUnavailable?(seq: number): void;
  setTitle?(title: string): void;
  /** Live updates are batched: at most one per this many ms (default 200). */
  coalesceMs?: number;
  scheduler?: Scheduler;
  now?: Clock;
}

/**
 * Protocol: the webview says `ready` (first load, reload after being hidden, restore after a window
 * reload); it gets a snapshot (or `missing`). Store changes for the call are coalesced and sent as
 * `update`s with only the new entries. Nothing is posted before `ready` or while hidden: the snapshot
 * that follows the next `ready` carries the current state anyway. Entries carry no documents: an expanded
 * row asks (`showDocument`) and gets its entry's pretty JSON back (`document`).
 */
export class TimelineSession {
  private readonly sync: TimelineSync;
  private readonly coalescer: Coalescer<true>;
  private ready = false;

  constructor(private readonly deps: TimelineSessionDeps) {
    this.sync = new TimelineSync(deps.callId, deps.now);
    this.coalescer = new Coalescer<true>({
      merge: () => true,
      flush: () => this.flush(),
      intervalMs: deps.coalesceMs ?? 200,
      scheduler: deps.scheduler,
    });
    deps.setTitle?.(timelineTitle(deps.getCall(deps.callId), deps.callId));
  }

  get callId(): string {
    return this.deps.callId;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** A message from the webview; anything unknown or malformed is ignored. */
  receive(raw: unknown): void {
    if (!isWebviewToHostMessage(raw)) return;
    if (raw.type === 'ready') {
      if (raw.callId !== undefined && raw.callId !== this.deps.callId) return;
      this.ready = true;
      const record = this.deps.getCall(this.deps.callId);
      this.deps.setTitle?.(timelineTitle(record, this.deps.callId));
      this.deps.post(this.sync.snapshot(record));
      return;
    }
    if (raw.callId !== this.deps.callId) return;
    const json = entryJson(this.deps.getCall(this.deps.callId), raw.seq);
    if (raw.type === 'showDocument') {
      this.deps.post(json === undefined ? { type: 'document', callId: raw.callId, seq: raw.seq } : { type: 'document', callId: raw.callId, seq: raw.seq, json });
    } else if (json === undefined) {
      this.deps.copyUnavailable?.(raw.seq);
    } else {
      this.deps.copy(json, raw.seq);
    }
  }

  /** The store changed this call (or everything). */
  changed(): void {
    if (this.ready) this.coalescer.push(true);
  }

  /** The panel was hidden: its webview is torn down and will say `ready` again when shown. */
  hidden(): void {
    this.ready = false;
    this.sync.forget();
  }

  dispose(): void {
    this.ready = false;
    this.coalescer.dispose();
  }

  private flush(): void {
    if (!this.ready) return;
    const record = this.deps.getCall(this.deps.callId);
    const message = this.sync.update(record);
    if (!message) return;
    this.deps.setTitle?.(timelineTitle(record, this.deps.callId));
    this.deps.post(message);
  }
}
