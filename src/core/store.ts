// The call store: merges the three feeds by id_call, keeps a capped per-call timeline, derives state, and answers
// the views' queries, with one change event per document. Pure (no vscode). This file is its public API and the
// ingest steps; its parts live in src/core/store/: call entries and keys (callEntry.ts, keys.ts), re-send memory
// (resend.ts), derived fields (derived.ts), retention and memory bounds (retention.ts, bounds.ts), today's figures
// (today.ts), filter and counters (matching.ts), groups and queries (queries.ts), change events (changes.ts).
//
// Cost per document: a frame whose bytes a key of its call holds is applied before it is decoded (ingestKnownFrame);
// otherwise a byte comparison with the frames recently seen for the same key, then a comparison of its facts
// (facts.ts) with the latest one's, and only when those are equal a structural comparison of the two documents
// (either match is a duplicate), one derivation over the facts of the call's own visits and offers (documents are
// kept as frame bytes and decoded when a view reads them; the timeline's changed paths are computed when read),
// O(1) counter updates. Groups, ended lists and per-queue figures are rebuilt lazily behind dirty flags.
// Memory is bounded: timelines are capped by entries and bytes, active calls by count, kept frames by bytes
// (limits.ts; StoreBounds applies them), ended calls are evicted by age and count (with every per-call
// structure), evicted ids are remembered in a bounded set, and today's summaries are capped.
import { outcomeOf } from './derive';
import { sameJson } from './diff';
import { factsOf, type DocFacts } from './facts';
import { FrameRef, FrameSlabs } from './frameSlabs';
import type { BoundsHit } from './limits';
import type {
  CallFilter, CallGroup, CallOutcome, CallRecord, Counters, GroupMode, QueueStats, StoreChange, StoreOptions,
} from './model';
import { Arrival } from './store/arrival';
import { StoreBounds, type BoundsHost } from './store/bounds';
import { CallEntry } from './store/callEntry';
import { ChangeEvents, noteGroups, type ChangeDraft } from './store/changes';
import { CallDeriver } from './store/derived';
import { decodedDoc, validDocument, validFacts } from './store/input';
import { entityKey, newKey, type KeyState } from './store/keys';
import { CallMatcher, LiveCounters } from './store/matching';
import { STORE_DEFAULTS, cleanOptions, type Options } from './store/options';
import { CallQueries } from './store/queries';
import { LATE_SEEN_MAX, SEEN_PER_KEY, hasFrame, idCallHint, remembered } from './store/resend';
import { EVICTED_MAX, EndedQueue, RecentIds } from './store/retention';
import { TodayFigures } from './store/today';
import { RecordedEntry } from './timeline';
import type { DecodedDocument, EpochMs, FeedName } from './types';

export { STORE_DEFAULTS } from './store/options';
export { RecentIds } from './store/retention';
export { entityKey } from './store/keys';

export class CallStore {
  private opts: Options;
  private readonly now: () => EpochMs;
  private readonly calls = new Map<string, CallEntry>();
  /** Active calls in start order. sweep() looks at each once a second, which costs less than re-ordering on every document. */
  private readonly active = new Map<string, CallEntry>();
  /** Ended calls in end order, oldest first. */
  private readonly ended = new EndedQueue();
  private readonly evicted = new RecentIds(EVICTED_MAX);
  /** Where the bytes of frames given as views of a socket's buffer are copied. */
  private readonly slabs = new FrameSlabs();
  /** The byte and active-call bounds, with the ledger of kept frame memory every timeline reports to. */
  private readonly bounds: StoreBounds<CallEntry> = new StoreBounds<CallEntry>(this.boundsHost());
  private readonly events = new ChangeEvents();
  private readonly matcher = new CallMatcher();
  private readonly live = new LiveCounters(this.matcher);
  private readonly deriver = new CallDeriver();
  private readonly today: TodayFigures;
  private readonly queries: CallQueries;
  /** The Arrival reused for each document (see arrival()). */
  private readonly spareArrival = new Arrival();

  constructor(options: StoreOptions = {}) {
    this.now = typeof options.now === 'function' ? options.now : Date.now;
    this.opts = { ...STORE_DEFAULTS, ...cleanOptions(options) };
    this.today = new TodayFigures(this.now, this.matcher, this.opts);
    this.queries = new CallQueries({ active: this.active, ended: this.ended, matcher: this.matcher, now: this.now });
  }

  get filter(): CallFilter {
    return this.matcher.filter;
  }

  get activeCount(): number {
    return this.active.size;
  }

  get endedCount(): number {
    return this.ended.size;
  }

  /** The memory bounds hit so far (how many, since when), for the log and the status tooltip. */
  get boundsHit(): BoundsHit {
    return this.bounds.record;
  }

  /** Goes up with every memory bound hit: a cheap check before reading boundsHit. */
  get boundsRevision(): number {
    return this.bounds.revision;
  }

  /** Bytes of the slabs that kept frames are in (each counted whole while any frame in it is kept). */
  get keptFrameBytes(): number {
    return this.bounds.ledger.bytes;
  }

  private boundsHost(): BoundsHost<CallEntry> {
    const ended = this.ended;
    return {
      active: this.active, calls: this.calls,
      get endedCount() { return ended.size; },
      evictOldestEnded: () => this.evictOldest(),
    };
  }

  /**
   * Calls `listener` after every change. With `transient`, the listener promises to read the change only during the
   * call (views that fold it into their own state do): while every listener is transient the store hands out one
   * reused change object instead of a new one per document.
   */
  onDidChange(listener: (change: StoreChange) => void, options?: { transient?: boolean }): { dispose(): void } {
    return this.events.listen(listener, options?.transient === true);
  }

  getCall(id: string): CallRecord | undefined {
    return this.calls.get(id);
  }

  // -------------------------------------------------------------------------------------------------------
  // Ingest

  /**
   * A frame with exactly the bytes of a frame the store has applied for one of its calls (a re-send, which the
   * feeds make at every event of a call) changes what ingest of its decoded document would change, and no more:
   * nothing, or, after a reconnect, confirms the call. This applies it without decoding it. Returns undefined when
   * the bytes are not known: the caller decodes the frame and ingests it.
   *
   * The id_call read from the bytes is only a hint for where to look (it may be a nested field's, or missing): a
   * byte-for-byte match with a frame that a key of that call remembers is what makes the frame known, because a
   * frame decodes the same way every time on its feed.
   */
  ingestKnownFrame(feed: FeedName, frame: Buffer, receivedAt?: EpochMs): boolean | undefined {
    const id = idCallHint(frame);
    const entry = id === undefined ? undefined : this.calls.get(id);
    if (!entry) return undefined;
    const states: Iterable<KeyState> = feed === 'queues' ? entry.queueVisits.values()
      : feed === 'agents' ? entry.agentOffers.values() : entry.callKey ? [entry.callKey] : [];
    for (const ks of states) {
      if (hasFrame(ks.seen, frame)) return this.confirmResend(entry, ks, this.arrivalTime(receivedAt));
    }
    return undefined;
  }

  /** Applies one decoded document. Returns false (and emits nothing) when it changed nothing. */
  ingest(decoded: DecodedDocument, receivedAt?: EpochMs): boolean {
    if (!validDocument(decoded)) return false;
    const a = this.arrival().start(decoded.feed, factsOf(decoded.feed, decoded.doc), this.arrivalTime(receivedAt));
    a.frame = decoded.frame;
    a.doc = decoded.doc;
    return this.apply(a);
  }

  /**
   * Applies a frame by its facts, without its document: `facts` must be what factsOf gives for the document
   * decodeFrame makes of `frame` on `feed` (a frame scanner's result). The document is decoded from the bytes only
   * if a view reads it, or to tell a duplicate whose facts equal the key's latest. `frame` may be a socket's buffer:
   * the store keeps a copy of it, never the buffer itself. Returns false when nothing changed.
   */
  ingestFacts(feed: FeedName, facts: DocFacts, frame: Buffer, receivedAt?: EpochMs): boolean {
    if (!validFacts(feed, facts) || !Buffer.isBuffer(frame)) return false;
    const a = this.arrival().start(feed, facts, this.arrivalTime(receivedAt));
    a.frame = frame;
    a.copy = true;
    return this.apply(a);
  }

  /** The caller's arrival time when it is a finite number, else the store's clock. */
  private arrivalTime(receivedAt: EpochMs | undefined): EpochMs {
    return typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? receivedAt : this.now();
  }

  /** The reused Arrival, or a new one for a listener that ingests while a change is delivered. */
  private arrival(): Arrival {
    return this.events.emitting ? new Arrival() : this.spareArrival;
  }

  /** Ingest's work for a document given as facts with its frame, its decoded document, or both. */
  private apply(a: Arrival): boolean {
    try {
      const id = a.facts.id_call;
      const entry = this.calls.get(id);
      // An evicted call is never in `calls`: only an unknown id needs the (large) evicted set.
      if (!entry && this.evicted.has(id)) return false;
      const ks = entry?.keyStateOf(a.feed, a.facts);
      a.entry = entry;
      a.ks = ks;
      a.key = ks ? ks.key : entityKey(a.feed, a.facts);
      const resent = this.resent(a);
      if (resent !== undefined) return resent;
      this.place(a);
      this.deriver.seen[a.feed] = true;
      // Late: the key already ended, or the call ended and this is not a final document for a still-open key.
      if (entry && (ks?.ended || (entry.isEnded && a.facts.active === 1))) return this.applyLate(a, entry);
      return this.applyCurrent(a);
    } finally {
      a.clear();
    }
  }

  /**
   * What confirming a re-sent document changed (see confirmResend), or false for an older one re-sent; undefined for
   * a new document. A document given without bytes that could be an older one gets `a.serialised`.
   */
  private resent(a: Arrival): boolean | undefined {
    const { entry, ks, frame } = a;
    if (ks && frame !== undefined && hasFrame(ks.seen, frame)) return this.confirmResend(entry, ks, a.at);
    // Equal facts are rare for different bytes (every event changes a time or a flag): only then are documents compared.
    if (ks && sameJson(ks.facts, a.facts) && sameJson(ks.doc, a.doc ?? decodedDoc(frame as Buffer, a.feed))) {
      if (frame !== undefined) ks.seen = remembered(ks.seen, a.copy ? this.slabs.keep(frame) : FrameRef.whole(frame), SEEN_PER_KEY);
      return this.confirmResend(entry, ks, a.at);
    }
    // Only a document of a known key, or of an ended call, could be a re-sent older one.
    if (!entry || (!ks && !entry.isEnded)) return undefined;
    // Callers other than the decoder give no bytes: theirs are made here, and only they still need the key's check
    // (the decoder's were checked above).
    let bytes = frame;
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(a.doc));
      if (ks && hasFrame(ks.seen, bytes)) return false;
      a.serialised = FrameRef.whole(bytes);
    }
    return hasFrame(entry.lateSeen, bytes) ? false : undefined;
  }

  /** Where the entry's bytes are kept: a socket's view is copied into a slab (keeping it would pin the read buffer). */
  private place(a: Arrival): void {
    const frame = a.frame;
    if (frame === undefined) return;
    if (a.copy) {
      this.slabs.copy(frame);
      a.slab = this.slabs.slab;
      a.off = this.slabs.offset;
    } else {
      a.slab = frame;
    }
    a.len = frame.length;
  }

  /** A late document: recorded in the timeline and remembered as a re-send, without changing the call. */
  private applyLate(a: Arrival, entry: CallEntry): boolean {
    const recorded = this.record(entry, a, true);
    if (entry.isEnded) entry.buffer.trim();
    const kept = a.slab !== undefined ? recorded : a.serialised;
    if (kept !== undefined) {
      entry.lateSeen = remembered(entry.lateSeen, kept, LATE_SEEN_MAX);
      if (a.ks) a.ks.seen = remembered(a.ks.seen, kept, SEEN_PER_KEY);
    }
    entry.revision++;
    const late = this.events.draft();
    late.calls.add(entry.id);
    if (this.bounds.afterRecord(this.opts, entry, a.at)) this.evictedNow(late);
    this.events.emit(late);
    return true;
  }

  /** A new document for its key: it becomes the key's latest, and the call is re-derived (and may end). */
  private applyCurrent(a: Arrival): boolean {
    const change = this.events.draft();
    change.calls.add(a.facts.id_call);
    const entry = this.callOf(a, change);
    const wasActive = !entry.isEnded;
    if (wasActive) noteGroups(entry, change);
    this.live.uncount(entry);
    /** The key's facts before this document (in the filter index already, when there is one). */
    const indexed = a.ks?.facts;
    this.takeKey(a, entry, this.record(entry, a, false));
    if (wasActive) this.afterActiveDocument(entry, a.at, change);
    this.matcher.grow(entry, a.facts, indexed);
    if (!wasActive) {
      // An ended call is kept for minutes as it is now: without spare slots (finish trimmed it once already).
      entry.buffer.trim();
      // A final document for a still-open key of an ended call (feeds arrive in any order) refines today's figures.
      if (this.today.lateFinal(entry)) change.counters = true;
    }
    this.live.count(entry);
    if (this.bounds.afterRecord(this.opts, entry, a.at)) this.evictedNow(change);
    this.queries.dirty();
    this.events.emit(change);
    return true;
  }

  /** The call the document names, or a new active one (past maxActiveCalls, the oldest active call ends). */
  private callOf(a: Arrival, change: ChangeDraft): CallEntry {
    let entry = a.entry;
    if (entry) {
      entry.revision++;
      return entry;
    }
    const id = a.facts.id_call;
    entry = new CallEntry(id, a.at, this.opts.timelineCap, this.bounds.ledger);
    entry.startedAt = a.facts.time.start;
    this.calls.set(id, entry);
    this.active.set(id, entry);
    if (this.active.size > this.opts.maxActiveCalls) this.dropOldestActive(entry, a.at, change);
    return entry;
  }

  /** Makes `latest` its key's latest document (a new key's first) and remembers its bytes as a re-send. */
  private takeKey(a: Arrival, entry: CallEntry, latest: RecordedEntry): void {
    let state = a.ks;
    // A key's latest entry keeps its frame even after the timeline drops it: the ledger counts it as the key's too.
    this.bounds.ledger.hold(latest);
    if (state) {
      this.bounds.ledger.release(state.entry);
      state.update(latest, a.facts);
    } else {
      state = newKey(a.feed, a.key, latest, a.facts);
      entry.addKey(state, this.bounds.ledger);
    }
    const kept = a.slab !== undefined ? latest : a.serialised;
    if (kept !== undefined) state.seen = remembered(state.seen, kept, SEEN_PER_KEY);
  }

  /** An active call took a document: re-derived, confirmed, and ended when its documents say so. */
  private afterActiveDocument(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    entry.lastDocumentAt = at;
    entry.unconfirmed = false;
    this.deriver.refresh(entry, at);
    const callFacts = entry.callFacts;
    if (callFacts?.active === 0) {
      this.finish(entry, outcomeOf(entry), callFacts.time.end ?? at, at, change);
    } else if (!callFacts && entry.allKeysEnded()) {
      // All known documents ended and there is no calls document: the call ends after endGraceMs.
      entry.pendingSince ??= at;
      if (this.opts.endGraceMs <= 0) this.finishDerived(entry, at, change);
    } else {
      entry.pendingSince = undefined;
    }
    if (!entry.isEnded) noteGroups(entry, change);
    change.counters = true;
  }

  /** A timeline entry that keeps where the frame's bytes are, or the document when there are none. */
  private record(entry: CallEntry, a: Arrival, late: boolean): RecordedEntry {
    const e = new RecordedEntry(entry.seq++, a, a.ks?.entry);
    if (late) e.late = true;
    entry.buffer.push(e);
    return e;
  }

  /** Past maxActiveCalls: the active call whose last document is oldest ends as unknown end, not counted today. */
  private dropOldestActive(fresh: CallEntry | undefined, at: EpochMs, change: ChangeDraft): void {
    this.bounds.dropActive(this.opts, fresh, at, (victim) => {
      noteGroups(victim, change);
      this.live.uncount(victim);
      this.expire(victim, at, change);
    });
  }

  /** Ended calls were evicted for the store's byte bound during `change`. */
  private evictedNow(change: ChangeDraft): void {
    change.counters = true;
    this.queries.dirty();
  }

  /**
   * A re-sent, unchanged document changes nothing, except that after a reconnect it proves the call is
   * still live: the server sent it again now. Returns whether anything changed.
   */
  private confirmResend(entry: CallEntry | undefined, ks: KeyState, at: EpochMs): boolean {
    if (!entry || entry.isEnded || !entry.unconfirmed || ks.ended || ks.facts.active !== 1) return false;
    entry.unconfirmed = false;
    entry.lastDocumentAt = at;
    entry.revision++;
    const change = this.events.draft();
    change.calls.add(entry.id);
    noteGroups(entry, change);
    change.counters = true;
    this.queries.dirty();
    this.events.emit(change);
    return true;
  }

  // -------------------------------------------------------------------------------------------------------
  // Ending, expiry, retention

  /** Ends a call with a received end (counted today). */
  private finish(entry: CallEntry, outcome: CallOutcome, endedAt: EpochMs, localAt: EpochMs, change: ChangeDraft): void {
    entry.end(outcome, endedAt, localAt);
    this.retire(entry, change);
    this.today.ended(entry, localAt);
    this.trimEnded();
  }

  /** Ends a call nothing was received for the end of (expired, or dropped for maxActiveCalls): not counted today. */
  private expire(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    entry.end({ kind: 'other', reason: 'unknown_end' }, at, at);
    this.retire(entry, change);
    this.trimEnded();
  }

  /** An ended call leaves the active ones for the ended queue. */
  private retire(entry: CallEntry, change: ChangeDraft): void {
    this.active.delete(entry.id);
    this.ended.push(entry);
    change.endedCall(entry.id);
    change.calls.add(entry.id);
    change.counters = true;
  }

  private trimEnded(): void {
    while (this.ended.size > this.opts.endedMax) this.evictOldest();
  }

  /** Ends a call without a calls document, at the latest end its documents name. */
  private finishDerived(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    let end: number | undefined;
    for (const s of entry.keyStates()) {
      const e = s.facts.time.end;
      if (typeof e === 'number' && (end === undefined || e > end)) end = e;
    }
    this.finish(entry, outcomeOf(entry), end ?? at, at, change);
  }

  /** Evicts the call that ended first (ended calls leave memory in the order they ended). */
  private evictOldest(): void {
    const entry = this.ended.shift();
    if (!entry) return;
    this.calls.delete(entry.id);
    this.evicted.add(entry.id);
    this.today.evicted(entry);
    entry.release(this.bounds.ledger);
    this.queries.endedChanged();
  }

  /** Expiry and retention; call about once a second. */
  sweep(): void {
    const now = this.now();
    this.today.catchUp(now);
    const change = this.events.draft();
    const grace = Math.min(this.opts.endGraceMs, this.opts.maxActiveAgeMs);
    const due: CallEntry[] = [];
    for (const entry of this.active.values()) if (now - entry.lastDocumentAt > grace) due.push(entry);
    for (const entry of due) {
      const expired = now - entry.lastDocumentAt > this.opts.maxActiveAgeMs;
      if (!expired && entry.pendingSince === undefined) continue;
      noteGroups(entry, change);
      this.live.uncount(entry);
      if (expired) this.expire(entry, now, change);
      else this.finishDerived(entry, now, change);
    }
    let evicted = false;
    for (let oldest = this.ended.oldest(); oldest && now - oldest.endedLocal > this.opts.endedKeepMs; oldest = this.ended.oldest()) {
      this.evictOldest();
      evicted = true;
    }
    if (change.ended.size > 0 || evicted) {
      this.queries.dirty();
      if (evicted) change.counters = true;
      this.events.emit(change);
    }
  }

  /** After a reconnect gap: every active call is unconfirmed until a new document for it arrives. */
  markReconnected(): void {
    for (const entry of this.active.values()) {
      entry.unconfirmed = true;
      entry.revision++;
    }
    this.queries.dirty();
    this.events.emitAll();
  }

  setFilter(filter: CallFilter): void {
    this.matcher.set(filter);
    this.today.setFilter(this.matcher.filter);
    this.live.reset();
    for (const entry of this.active.values()) {
      entry.counted = undefined;
      this.live.count(entry);
    }
    this.queries.dirty();
    this.events.emitAll();
  }

  setOptions(options: Partial<StoreOptions>): void {
    const before = this.opts.timelineCap;
    this.opts = { ...this.opts, ...cleanOptions(options) };
    if (this.opts.timelineCap !== before) {
      for (const entry of this.calls.values()) {
        entry.buffer.setCap(this.opts.timelineCap);
        entry.revision++;
      }
    }
    this.today.setOptions(this.opts);
    // Lowered bounds apply at once (emitAll below announces what changed).
    const now = this.now();
    if (this.active.size > this.opts.maxActiveCalls) this.dropOldestActive(undefined, now, this.events.draft());
    for (const entry of this.calls.values()) this.bounds.afterRecord(this.opts, entry, now);
    this.trimEnded();
    this.queries.dirty();
    this.events.emitAll();
  }

  clear(): void {
    this.calls.clear();
    this.active.clear();
    this.ended.clear();
    this.evicted.clear();
    this.bounds.clear();
    this.deriver.clear();
    this.live.reset();
    this.today.clear(this.now());
    this.queries.dirty();
    this.events.emitAll();
  }

  // -------------------------------------------------------------------------------------------------------
  // Queries (src/core/store/queries.ts answers them)

  counters(): Counters {
    const d = this.today.figures(this.now());
    const live = this.live;
    return {
      active: live.active, waiting: live.waiting, ringing: live.ringing, talking: live.talking,
      answeredToday: d.answered, missedToday: d.missed, totalToday: d.total,
    };
  }

  activeCalls(): CallRecord[] {
    return this.queries.activeCalls();
  }

  endedCalls(): CallRecord[] {
    return this.queries.endedCalls();
  }

  groups(mode: GroupMode): CallGroup[] {
    return this.queries.groups(mode);
  }

  /** The confirmed active call (matching the filter) that has waited longest, if any is waiting or ringing. */
  longestWait(): { callId: string; waitedMs: number } | undefined {
    return this.queries.longestWait();
  }

  /** Per queue, today (calls ended since local midnight) plus who waits there now; follows the filter. */
  queueStats(): QueueStats[] {
    const now = this.now();
    return this.queries.queueStats(this.today.figures(now), now);
  }
}
