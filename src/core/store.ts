// The call store: merges the three feeds by id_call, keeps per-call timelines, derives state,
// groups, counters and per-queue figures, and emits change events. Knows nothing of the UI.
import { agentNamesOf, matchesFilter, queueNamesOf } from './filter';
import {
  NO_GROUP_KEY,
  type AgentOffer, type CallFilter, type CallGroup, type CallOutcome, type CallRecord, type CallState,
  type Counters, type GroupMode, type QueueStats, type QueueVisit, type StoreChange, type StoreOptions,
  type TimelineEntry,
} from './model';
import type { AgentsDocument, CallsDocument, DecodedDocument, EpochMs, FeedDocument, QueuesDocument } from './types';

const DEFAULTS = {
  timelineCap: 500,
  endedKeepMs: 15 * 60_000,
  endedMax: 500,
  maxActiveAgeMs: 4 * 3_600_000,
  serviceLevelSeconds: 20,
};
/** Ids of evicted calls remembered so a late duplicate cannot bring them back (bounded). */
const EVICTED_MEMORY = 5_000;
/** Entries kept from the start of a capped timeline; the rest of the cap holds the latest. */
const TIMELINE_HEAD_SHARE = 0.2;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface CallEntry extends Mutable<CallRecord> {
  queueVisits: Map<string, QueueVisit>;
  agentOffers: Map<string, AgentOffer>;
  timeline: TimelineEntry[];
  /** Latest document per entity key, for diffs and idempotency. */
  latest: Map<string, FeedDocument>;
  nextSeq: number;
  /** Group keys this call currently sits in (for change events). */
  queueKeys: string[];
  agentKeys: string[];
}

/** What the day's counters need to remember of an ended call: just enough to re-filter. */
interface EndedSummary {
  number: string;
  direction: string;
  agents: string;
  queues: string;
  answered: boolean;
  missed: boolean;
}

interface QueueDay {
  queueId: string;
  queueName: string;
  answered: number;
  abandoned: number;
  waitSumMs: number;
  waitCount: number;
  slAnswered: number;
  slWithin: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted leaf paths that differ between two JSON values (every leaf of `next` when there is no `prev`). */
export function changedPaths(prev: unknown, next: unknown, prefix = '', out: string[] = []): string[] {
  if (prev === next) return out;
  if (isRecord(next) && (prev === undefined || isRecord(prev))) {
    const p = (prev ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(next)) changedPaths(p[key], next[key], prefix ? `${prefix}.${key}` : key, out);
    if (prev !== undefined) {
      for (const key of Object.keys(p)) if (!(key in next)) out.push(prefix ? `${prefix}.${key}` : key);
    }
    return out;
  }
  if (Array.isArray(next) && Array.isArray(prev)) {
    if (next.length !== prev.length || next.some((v, i) => JSON.stringify(v) !== JSON.stringify(prev[i]))) out.push(prefix);
    return out;
  }
  out.push(prefix);
  return out;
}

function localMidnight(t: EpochMs): EpochMs {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function plausibleTime(docTime: number | undefined, receivedAt: EpochMs): EpochMs {
  // Feed times may run ahead of this machine's clock; never start a timer in the future.
  return docTime !== undefined && Number.isFinite(docTime) && docTime <= receivedAt ? docTime : receivedAt;
}

export class CallStore {
  private readonly calls = new Map<string, CallEntry>();
  /** Ended calls in end order (oldest first). */
  private readonly ended = new Map<string, CallEntry>();
  private readonly evicted = new Set<string>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private options: Required<Omit<StoreOptions, 'now'>>;
  private readonly now: () => EpochMs;
  private currentFilter: CallFilter = [];
  private dayStart: EpochMs;
  private todayEnded: EndedSummary[] = [];
  private todayAnswered = 0;
  private todayMissed = 0;
  private queueDays = new Map<string, QueueDay>();
  private groupCache = new Map<GroupMode, CallGroup[]>();

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.options = { ...DEFAULTS, ...stripUndefined(options) };
    this.dayStart = localMidnight(this.now());
  }

  get filter(): CallFilter { return this.currentFilter; }
  get activeCount(): number { return this.calls.size - this.ended.size; }
  get endedCount(): number { return this.ended.size; }

  onDidChange(listener: (change: StoreChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  setOptions(options: Partial<StoreOptions>): void {
    this.options = { ...this.options, ...stripUndefined(options) };
    this.sweep();
  }

  getCall(id: string): CallRecord | undefined {
    return this.calls.get(id);
  }

  /** Applies one decoded document. Returns false when it changed nothing (a duplicate). */
  ingest(decoded: DecodedDocument, receivedAt: EpochMs = this.now()): boolean {
    const doc = decoded.doc;
    const id = doc.id_call;
    this.rollDay(receivedAt);
    let entry = this.calls.get(id);
    if (!entry) {
      if (this.evicted.has(id)) return false;
      entry = this.createEntry(id, doc, receivedAt);
      this.calls.set(id, entry);
    }
    const key = entityKey(decoded);
    const prev = entry.latest.get(key);
    const changed = changedPaths(prev, doc);
    if (prev !== undefined && changed.length === 0) return false;

    const callEnded = entry.state === 'ended';
    const late = callEnded || (prev !== undefined && prev.active === 0);
    this.pushTimeline(entry, { seq: entry.nextSeq++, feed: decoded.feed, receivedAt, key, changed, document: doc, late: late || undefined });
    entry.lastDocumentAt = receivedAt;

    const before = { queueKeys: entry.queueKeys, agentKeys: entry.agentKeys, state: entry.state };
    const change = emptyChange();
    change.calls.add(id);
    if (!late) {
      entry.latest.set(key, doc);
      entry.unconfirmed = false;
      this.apply(entry, decoded, key, receivedAt);
      this.derive(entry, receivedAt);
      if (entry.state === 'ended' && !callEnded) this.finish(entry, receivedAt, change);
    } else if (entry.unconfirmed) {
      entry.unconfirmed = false;
    }
    this.noteGroups(change, before, entry);
    change.counters = true;
    this.groupCache.clear();
    this.emit(change);
    return true;
  }

  activeCalls(): CallRecord[] {
    const out: CallRecord[] = [];
    for (const c of this.calls.values()) if (c.state !== 'ended' && matchesFilter(c, this.currentFilter)) out.push(c);
    return out;
  }

  endedCalls(): CallRecord[] {
    const out: CallRecord[] = [];
    for (const c of this.ended.values()) if (matchesFilter(c, this.currentFilter)) out.push(c);
    return out.reverse();
  }

  groups(mode: GroupMode): CallGroup[] {
    const cached = this.groupCache.get(mode);
    if (cached) return cached;
    const now = this.now();
    const byKey = new Map<string, CallGroup>();
    const add = (key: string, label: string, call: CallEntry): void => {
      let g = byKey.get(key);
      if (!g) { g = { key, label, mode, calls: [], longestWaitMs: 0 }; byKey.set(key, g); }
      g.calls.push(call);
      if (call.waitingSince !== undefined && !call.unconfirmed) g.longestWaitMs = Math.max(g.longestWaitMs, now - call.waitingSince);
    };
    for (const call of this.calls.values()) {
      if (call.state === 'ended' || !matchesFilter(call, this.currentFilter)) continue;
      if (mode === 'queue') {
        if (call.currentQueue) add(call.currentQueue.id, call.currentQueue.name, call);
        else add(NO_GROUP_KEY, 'In IVR / no queue', call);
      } else if (call.activeAgents.length > 0) {
        for (const a of call.activeAgents) add(a.id, a.name, call);
      } else {
        add(NO_GROUP_KEY, 'No agent yet', call);
      }
    }
    const groups = [...byKey.values()].sort((a, b) => {
      if (a.key === NO_GROUP_KEY) return 1;
      if (b.key === NO_GROUP_KEY) return -1;
      return a.label.localeCompare(b.label);
    });
    for (const g of groups) g.calls.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
    this.groupCache.set(mode, groups);
    return groups;
  }

  counters(): Counters {
    this.rollDay(this.now());
    const c: Counters = { active: 0, waiting: 0, ringing: 0, talking: 0, answeredToday: 0, missedToday: 0, totalToday: 0 };
    for (const call of this.calls.values()) {
      if (call.state === 'ended' || !matchesFilter(call, this.currentFilter)) continue;
      c.active++;
      if (call.state === 'waiting') c.waiting++;
      else if (call.state === 'ringing') c.ringing++;
      else if (call.state === 'talking') c.talking++;
    }
    if (this.currentFilter.length === 0) {
      c.answeredToday = this.todayAnswered;
      c.missedToday = this.todayMissed;
      c.totalToday = this.todayEnded.length;
    } else {
      for (const s of this.todayEnded) {
        if (!summaryMatches(s, this.currentFilter)) continue;
        c.totalToday++;
        if (s.answered) c.answeredToday++;
        if (s.missed) c.missedToday++;
      }
    }
    return c;
  }

  queueStats(): QueueStats[] {
    this.rollDay(this.now());
    const now = this.now();
    const out = new Map<string, QueueStats>();
    const get = (id: string, name: string): QueueStats => {
      let s = out.get(id);
      if (!s) {
        const day = this.queueDays.get(id);
        s = {
          queueId: id, queueName: name, waiting: 0, longestWaitMs: 0,
          answeredToday: day?.answered ?? 0, abandonedToday: day?.abandoned ?? 0,
          averageWaitMs: day && day.waitCount > 0 ? day.waitSumMs / day.waitCount : 0,
          serviceLevel: day && day.slAnswered > 0 ? day.slWithin / day.slAnswered : undefined,
        };
        out.set(id, s);
      }
      return s;
    };
    for (const day of this.queueDays.values()) get(day.queueId, day.queueName);
    for (const call of this.calls.values()) {
      if (call.state === 'ended' || !call.currentQueue || !matchesFilter(call, this.currentFilter)) continue;
      const s = get(call.currentQueue.id, call.currentQueue.name);
      if (call.state === 'waiting') {
        s.waiting++;
        if (call.waitingSince !== undefined) s.longestWaitMs = Math.max(s.longestWaitMs, now - call.waitingSince);
      }
    }
    return [...out.values()].sort((a, b) => a.queueName.localeCompare(b.queueName));
  }

  longestWait(): { callId: string; waitedMs: number } | undefined {
    const now = this.now();
    let best: { callId: string; waitedMs: number } | undefined;
    for (const call of this.calls.values()) {
      if (call.state === 'ended' || call.unconfirmed || call.waitingSince === undefined) continue;
      if (!matchesFilter(call, this.currentFilter)) continue;
      const waited = now - call.waitingSince;
      if (!best || waited > best.waitedMs) best = { callId: call.id, waitedMs: waited };
    }
    return best;
  }

  setFilter(filter: CallFilter): void {
    this.currentFilter = filter.filter((c) => c.value.trim() !== '');
    this.groupCache.clear();
    this.emit({ ...emptyChange(), counters: true, all: true });
  }

  /** After a reconnect gap: active calls stay visible but unconfirmed until a new document arrives. */
  markReconnected(): void {
    let any = false;
    for (const call of this.calls.values()) {
      if (call.state !== 'ended') { call.unconfirmed = true; any = true; }
    }
    if (any) {
      this.groupCache.clear();
      this.emit({ ...emptyChange(), counters: true, all: true });
    }
  }

  /** Expires silent active calls and applies ended-call retention. Call about once a second. */
  sweep(): void {
    const now = this.now();
    this.rollDay(now);
    const change = emptyChange();
    for (const call of this.calls.values()) {
      if (call.state === 'ended' || now - call.lastDocumentAt <= this.options.maxActiveAgeMs) continue;
      const before = { queueKeys: call.queueKeys, agentKeys: call.agentKeys, state: call.state };
      call.state = 'ended';
      call.stateSince = now;
      call.outcome = { kind: 'other', reason: 'unknown_end' };
      call.activeAgents = [];
      call.waitingSince = undefined;
      change.calls.add(call.id);
      this.finish(call, now, change);
      this.noteGroups(change, before, call);
    }
    const cutoff = now - this.options.endedKeepMs;
    for (const call of this.ended.values()) {
      if (this.ended.size <= this.options.endedMax && (call.endedAt ?? now) >= cutoff) break;
      this.evict(call, change);
    }
    if (change.calls.size > 0) {
      change.counters = true;
      this.groupCache.clear();
      this.emit(change);
    }
  }

  clear(): void {
    this.calls.clear();
    this.ended.clear();
    this.evicted.clear();
    this.todayEnded = [];
    this.todayAnswered = 0;
    this.todayMissed = 0;
    this.queueDays.clear();
    this.groupCache.clear();
    this.emit({ ...emptyChange(), counters: true, all: true });
  }

  // ---- internals ----

  private createEntry(id: string, doc: FeedDocument, receivedAt: EpochMs): CallEntry {
    return {
      id, call: undefined, queueVisits: new Map(), agentOffers: new Map(), timeline: [], timelineDropped: 0,
      state: 'dialling', stateSince: receivedAt, direction: 'unknown', internal: false, customerNumber: '',
      activeAgents: [], startedAt: doc.time.start, unconfirmed: false, lastDocumentAt: receivedAt,
      latest: new Map(), nextSeq: 0, queueKeys: [], agentKeys: [],
    };
  }

  private pushTimeline(entry: CallEntry, item: TimelineEntry): void {
    const cap = this.options.timelineCap;
    if (entry.timeline.length >= cap && cap > 0) {
      // Keep the first entries (how the call began) and the latest; drop from the middle.
      const head = Math.max(1, Math.floor(cap * TIMELINE_HEAD_SHARE));
      entry.timeline.splice(head, 1);
      entry.timelineDropped++;
    }
    entry.timeline.push(item);
  }

  private apply(entry: CallEntry, decoded: DecodedDocument, key: string, receivedAt: EpochMs): void {
    const doc = decoded.doc;
    if (decoded.feed === 'calls') entry.call = decoded.doc;
    else if (decoded.feed === 'queues') {
      const q = decoded.doc.queue;
      const visit: QueueVisit = {
        key, queueId: q?.id ?? q?.name ?? 'unknown', queueName: q?.name ?? q?.id ?? 'Unknown queue',
        timestart: q?.timestart, doc: decoded.doc, ended: decoded.doc.active === 0,
      };
      entry.queueVisits.set(key, visit);
      if (visit.ended) this.countQueueVisit(entry, visit);
    } else {
      const a = decoded.doc.agent;
      entry.agentOffers.set(key, {
        key, agentId: a?.id ?? a?.name ?? 'unknown', agentName: a?.name ?? a?.id ?? 'Unknown agent',
        startedAt: decoded.doc.time.start, answeredAt: decoded.doc.time.answered, doc: decoded.doc,
        ended: decoded.doc.active === 0,
      });
    }
    if (entry.direction === 'unknown' && (doc.call_direction === 'incoming' || doc.call_direction === 'outgoing')) {
      entry.direction = doc.call_direction as 'incoming' | 'outgoing';
    }
    const number = doc.customer_target?.number;
    if (number) entry.customerNumber = number;
    if ((doc as CallsDocument).internal === 1) entry.internal = true;
    if (doc.time.start < entry.startedAt) entry.startedAt = doc.time.start;
    void receivedAt;
  }

  private derive(entry: CallEntry, receivedAt: EpochMs): void {
    const previous = entry.state;
    const activeOffers = [...entry.agentOffers.values()].filter((o) => !o.ended);
    const activeVisits = [...entry.queueVisits.values()].filter((v) => !v.ended);
    const call = entry.call;
    let state: CallState;
    let since: number | undefined;

    const allSubEnded = entry.queueVisits.size + entry.agentOffers.size > 0 && activeOffers.length === 0 && activeVisits.length === 0;
    if (call ? call.active === 0 : allSubEnded) state = 'ended';
    else if (activeOffers.some((o) => o.answeredAt !== undefined)) {
      state = 'talking';
      since = Math.max(...activeOffers.map((o) => o.answeredAt ?? 0));
    } else if (activeOffers.length > 0) {
      state = 'ringing';
      since = Math.min(...activeOffers.map((o) => o.startedAt));
    } else if (activeVisits.length > 0) {
      state = 'waiting';
      since = Math.max(...activeVisits.map((v) => v.timestart ?? 0));
    } else if (call) {
      ({ state, since } = stateFromCallsDoc(call));
    } else {
      state = 'dialling';
    }
    // With only queue documents after an answer, a transfer back into a queue still reads as waiting.
    if (state !== previous) {
      entry.state = state;
      entry.stateSince = plausibleTime(since, receivedAt);
    }
    const waiting = state === 'waiting' || state === 'ringing';
    if (!waiting) entry.waitingSince = undefined;
    else if (entry.waitingSince === undefined || !(previous === 'waiting' || previous === 'ringing')) {
      entry.waitingSince = plausibleTime(since, receivedAt);
    }

    // Current queue: the active visit with the latest timestart, or else queue_last.
    const currentVisit = activeVisits.sort((a, b) => (b.timestart ?? 0) - (a.timestart ?? 0))[0];
    const queueRef = currentVisit ? { id: currentVisit.queueId, name: currentVisit.queueName }
      : call?.queue_last && state !== 'ended' && (state === 'waiting' || entry.queueVisits.size === 0)
        ? { id: call.queue_last.id ?? call.queue_last.name ?? 'unknown', name: call.queue_last.name ?? call.queue_last.id ?? 'Unknown queue' }
        : undefined;
    entry.currentQueue = state === 'ended' ? undefined : queueRef;
    entry.activeAgents = state === 'ended' ? [] : activeOffers.map((o) => ({ id: o.agentId, name: o.agentName }));
    const answeredOffer = activeOffers.find((o) => o.answeredAt !== undefined) ?? activeOffers[0];
    entry.currentAgent = answeredOffer ? { id: answeredOffer.agentId, name: answeredOffer.agentName }
      : call?.agent_last ? { id: call.agent_last.id ?? call.agent_last.name ?? 'unknown', name: call.agent_last.name ?? call.agent_last.id ?? 'Unknown agent' }
        : undefined;
    if (entry.activeAgents.length === 0 && state === 'talking' && entry.currentAgent) entry.activeAgents = [entry.currentAgent];
    if (state === 'ended') entry.outcome = outcomeOf(entry);
  }

  private finish(entry: CallEntry, at: EpochMs, change: MutableChange): void {
    entry.endedAt = at;
    change.ended.add(entry.id);
    this.ended.set(entry.id, entry);
    const outcome = entry.outcome ?? { kind: 'other', reason: 'hangup' };
    const answered = outcome.kind === 'answered';
    const missed = !answered && entry.direction === 'incoming' && !entry.internal;
    this.todayEnded.push({
      number: entry.customerNumber.toLowerCase(), direction: entry.direction,
      agents: agentNamesOf(entry).join('\n').toLowerCase(), queues: queueNamesOf(entry).join('\n').toLowerCase(),
      answered, missed,
    });
    if (answered) this.todayAnswered++;
    if (missed) this.todayMissed++;
    // Calls-feed-only: count the last queue from the calls document when no queue document came.
    if (entry.queueVisits.size === 0 && entry.call?.queue_last) this.countCallsDocQueue(entry, entry.call);
    while (this.ended.size > this.options.endedMax) {
      const oldest = this.ended.values().next().value as CallEntry;
      this.evict(oldest, change);
    }
  }

  private evict(call: CallEntry, change: MutableChange): void {
    this.ended.delete(call.id);
    this.calls.delete(call.id);
    this.evicted.add(call.id);
    if (this.evicted.size > EVICTED_MEMORY) this.evicted.delete(this.evicted.values().next().value as string);
    change.calls.add(call.id);
  }

  private queueDay(id: string, name: string): QueueDay {
    let day = this.queueDays.get(id);
    if (!day) {
      day = { queueId: id, queueName: name, answered: 0, abandoned: 0, waitSumMs: 0, waitCount: 0, slAnswered: 0, slWithin: 0 };
      this.queueDays.set(id, day);
    }
    return day;
  }

  private countQueueVisit(entry: CallEntry, visit: QueueVisit): void {
    const d = visit.doc;
    const waitSeconds = (d.duration?.queue ?? 0) + (d.duration?.ring ?? 0);
    this.countQueueOutcome(visit.queueId, visit.queueName, d.queue?.fail_reason === 'queue_leave_abandon',
      d.answered === 1 && (d.duration?.talk ?? 0) > 0 || d.queue?.fail_reason === 'queue_pick', waitSeconds, entry.internal || d.internal === 1);
  }

  private countCallsDocQueue(entry: CallEntry, call: CallsDocument): void {
    const q = call.queue_last!;
    const waitSeconds = (call.duration?.queue?.last ?? 0) + (call.duration?.ring?.last ?? 0);
    this.countQueueOutcome(q.id ?? q.name ?? 'unknown', q.name ?? q.id ?? 'Unknown queue',
      q.fail_reason === 'queue_leave_abandon' || call.terminated_call_reason === 'queue_leave_abandon',
      call.answered === 1, waitSeconds, entry.internal);
  }

  private countQueueOutcome(id: string, name: string, abandoned: boolean, answered: boolean, waitSeconds: number, internal: boolean): void {
    const day = this.queueDay(id, name);
    if (answered) {
      day.answered++;
      if (!internal) {
        day.slAnswered++;
        if (waitSeconds <= this.options.serviceLevelSeconds) day.slWithin++;
      }
    } else if (abandoned) day.abandoned++;
    if (answered || abandoned) {
      day.waitSumMs += waitSeconds * 1000;
      day.waitCount++;
    }
  }

  private rollDay(now: EpochMs): void {
    const today = localMidnight(now);
    if (today === this.dayStart) return;
    this.dayStart = today;
    this.todayEnded = [];
    this.todayAnswered = 0;
    this.todayMissed = 0;
    this.queueDays = new Map();
  }

  private noteGroups(change: MutableChange,
    before: { queueKeys: string[]; agentKeys: string[] }, entry: CallEntry): void {
    const active = entry.state !== 'ended';
    entry.queueKeys = active ? [entry.currentQueue?.id ?? NO_GROUP_KEY] : [];
    entry.agentKeys = active ? (entry.activeAgents.length ? entry.activeAgents.map((a) => a.id) : [NO_GROUP_KEY]) : [];
    for (const k of before.queueKeys) change.queueGroups.add(k);
    for (const k of entry.queueKeys) change.queueGroups.add(k);
    for (const k of before.agentKeys) change.agentGroups.add(k);
    for (const k of entry.agentKeys) change.agentGroups.add(k);
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) {
      try { listener(change); } catch { /* a view's bug must not stop the stream */ }
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'now') (out as Record<string, unknown>)[k] = v;
  return out;
}

interface MutableChange extends StoreChange {
  calls: Set<string>; queueGroups: Set<string>; agentGroups: Set<string>; ended: Set<string>; counters: boolean; all: boolean;
}

function emptyChange(): MutableChange {
  return { calls: new Set(), queueGroups: new Set(), agentGroups: new Set(), ended: new Set(), counters: false, all: false };
}

/** Entity key within a call (feed-semantics.md, Identity). */
export function entityKey(decoded: DecodedDocument): string {
  switch (decoded.feed) {
    case 'calls': return 'call';
    case 'queues': {
      const q = (decoded.doc as QueuesDocument).queue;
      return `queue:${q?.id ?? q?.name ?? '?'}:${q?.timestart ?? '?'}`;
    }
    case 'agents': {
      const d = decoded.doc as AgentsDocument;
      return `agent:${d.agent?.id ?? d.agent?.name ?? '?'}:${d.time.start}`;
    }
  }
}

/** State when the calls feed is the only source (feed-semantics.md, rules 2-6). */
function stateFromCallsDoc(call: CallsDocument): { state: CallState; since?: number } {
  const qLast = call.queue_last;
  const answeredAt = call.agent_last?.answered;
  if (qLast && qLast.timestart !== undefined && (answeredAt === undefined || qLast.timestart > answeredAt) && !qLast.fail_reason) {
    return { state: 'waiting', since: qLast.timestart };
  }
  if (answeredAt !== undefined || call.answered === 1) return { state: 'talking', since: answeredAt };
  if ((call.ivr_first || call.ivr_last || (call.ivr_list?.length ?? 0) > 0) && !qLast && !call.agent_last) {
    return { state: 'ivr', since: call.ivr_last?.timestamp ?? call.ivr_first?.timestamp };
  }
  return { state: 'dialling' };
}

function outcomeOf(entry: CallEntry): CallOutcome {
  const call = entry.call;
  const answered = call ? call.answered === 1
    : [...entry.agentOffers.values()].some((o) => o.answeredAt !== undefined);
  if (answered) return { kind: 'answered' };
  const reasons = [call?.terminated_call_reason, call?.queue_first?.fail_reason, call?.queue_last?.fail_reason,
    ...[...entry.queueVisits.values()].map((v) => v.doc.queue?.fail_reason)];
  if (reasons.includes('queue_leave_abandon')) return { kind: 'abandoned' };
  const voicemail = call ? call.voicemail === 1 : [...entry.queueVisits.values()].some((v) => v.doc.voicemail === 1);
  if (voicemail) return { kind: 'voicemail' };
  const reason = call?.terminated_call_reason
    ?? [...entry.agentOffers.values()].map((o) => o.doc.agent_end_reason).find((r) => r !== undefined)
    ?? 'hangup';
  return { kind: 'other', reason };
}

function summaryMatches(s: EndedSummary, filter: CallFilter): boolean {
  return filter.some((c) => {
    const needle = c.value.trim().toLowerCase();
    if (!needle) return false;
    switch (c.field) {
      case 'number': return s.number.includes(needle);
      case 'direction': return s.direction.includes(needle);
      case 'agent': return s.agents.includes(needle);
      case 'queue': return s.queues.includes(needle);
      default: return false;
    }
  });
}
