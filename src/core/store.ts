// The call store: merges the three feeds by id_call, keeps a capped per-call timeline, derives state, and answers
// the views' queries, with one change event per document. Pure (no vscode). This file is its public API; its parts
// live in src/core/store/: ingest's steps (apply.ts), call entries and keys (callEntry.ts, keys.ts), re-send memory
// (resend.ts), derived fields (derived.ts), ending and eviction (lifecycle.ts), retention and memory bounds
// (retention.ts, bounds.ts), today's figures (today.ts), filter and counters (matching.ts), groups and queries
// (queries.ts), change events (changes.ts), and the state they share (parts.ts).
//
// Cost per document: a byte comparison with the frames recently seen for the same key, then a comparison of its facts
// (facts.ts) with the latest one's, and only when those are equal a structural comparison of the two documents
// (either match is a duplicate), one derivation over the facts of the call's own visits and offers (documents are
// kept as frame bytes and decoded when a view reads them; the timeline's changed paths are computed when read),
// O(1) counter updates. Groups, ended lists and per-queue figures are rebuilt lazily behind dirty flags.
// Memory is bounded: timelines are capped by entries and bytes, active calls by count, kept frames by bytes
// (limits.ts; StoreBounds applies them), ended calls are evicted by age and count (with every per-call
// structure), evicted ids are remembered in a bounded set, and today's summaries are capped.
import { factsOf, type DocFacts } from './facts';
import type { BoundsHit } from './limits';
import type {
  CallFilter, CallGroup, CallRecord, Counters, GroupMode, QueueStats, StoreChange, StoreOptions,
} from './model';
import { Arrival } from './store/arrival';
import { DocumentApplier } from './store/apply';
import { ChangeDraft } from './store/changes';
import { validDocument, validFacts } from './store/input';
import { CallLifecycle } from './store/lifecycle';
import { cleanOptions } from './store/options';
import { StoreParts } from './store/parts';
import type { DecodedDocument, EpochMs, FeedName } from './types';

export { STORE_DEFAULTS } from './store/options';
export { RecentIds } from './store/retention';
export { entityKey } from './store/keys';

export class CallStore {
  private readonly parts: StoreParts;
  private readonly life: CallLifecycle;
  private readonly applier: DocumentApplier;

  constructor(options: StoreOptions = {}) {
    this.parts = new StoreParts(options, () => this.life.evictOldest());
    this.life = new CallLifecycle(this.parts);
    this.applier = new DocumentApplier(this.parts, this.life);
  }

  get filter(): CallFilter {
    return this.parts.matcher.filter;
  }

  get activeCount(): number {
    return this.parts.active.size;
  }

  get endedCount(): number {
    return this.parts.ended.size;
  }

  /** The memory bounds hit so far (how many, since when), for the log and the status tooltip. */
  get boundsHit(): BoundsHit {
    return this.parts.bounds.record;
  }

  /** Goes up with every memory bound hit: a cheap check before reading boundsHit. */
  get boundsRevision(): number {
    return this.parts.bounds.revision;
  }

  /** Bytes of the slabs that kept frames are in (each counted whole while any frame in it is kept). */
  get keptFrameBytes(): number {
    return this.parts.bounds.ledger.bytes;
  }

  /** Calls `listener` after every change, until disposed; each change is an object of its own. */
  onDidChange(listener: (change: StoreChange) => void): { dispose(): void } {
    return this.parts.events.listen(listener);
  }

  getCall(id: string): CallRecord | undefined {
    return this.parts.calls.get(id);
  }

  // -------------------------------------------------------------------------------------------------------
  // Ingest (src/core/store/apply.ts does the work)

  /** Applies one decoded document. Returns false (and emits nothing) when it changed nothing. */
  ingest(decoded: DecodedDocument, receivedAt?: EpochMs): boolean {
    if (!validDocument(decoded)) return false;
    const a = new Arrival(decoded.feed, factsOf(decoded.feed, decoded.doc), this.parts.arrivalTime(receivedAt));
    a.frame = decoded.frame;
    a.doc = decoded.doc;
    return this.applier.apply(a);
  }

  /**
   * Applies a frame by its facts, without its document: `facts` must be what factsOf gives for the document
   * decodeFrame makes of `frame` on `feed` (a frame scanner's result). The document is decoded from the bytes only
   * if a view reads it, or to tell a duplicate whose facts equal the key's latest. `frame` may be a socket's buffer:
   * the store keeps a copy of it, never the buffer itself. Returns false when nothing changed.
   */
  ingestFacts(feed: FeedName, facts: DocFacts, frame: Buffer, receivedAt?: EpochMs): boolean {
    if (!validFacts(feed, facts) || !Buffer.isBuffer(frame)) return false;
    const a = new Arrival(feed, facts, this.parts.arrivalTime(receivedAt));
    a.frame = frame;
    a.copy = true;
    return this.applier.apply(a);
  }

  // -------------------------------------------------------------------------------------------------------
  // Lifecycle and settings

  /** Expiry and retention; call about once a second. */
  sweep(): void {
    const p = this.parts;
    const now = p.now();
    p.today.catchUp(now);
    const change = new ChangeDraft();
    this.life.endDue(now, change);
    const evicted = this.life.evictOld(now);
    if (change.ended.size > 0 || evicted) {
      p.queries.dirty();
      if (evicted) change.counters = true;
      p.events.emit(change);
    }
  }

  /** After a reconnect gap: every active call is unconfirmed until a new document for it arrives. */
  markReconnected(): void {
    const p = this.parts;
    for (const entry of p.active.values()) {
      entry.unconfirmed = true;
      entry.revision++;
    }
    p.queries.dirty();
    p.events.emitAll();
  }

  setFilter(filter: CallFilter): void {
    const p = this.parts;
    p.matcher.set(filter);
    p.today.setFilter(p.matcher.filter);
    p.live.reset();
    for (const entry of p.active.values()) {
      entry.counted = undefined;
      p.live.count(entry);
    }
    p.queries.dirty();
    p.events.emitAll();
  }

  setOptions(options: Partial<StoreOptions>): void {
    const p = this.parts;
    const before = p.opts.timelineCap;
    p.opts = { ...p.opts, ...cleanOptions(options) };
    if (p.opts.timelineCap !== before) {
      for (const entry of p.calls.values()) {
        entry.buffer.setCap(p.opts.timelineCap);
        entry.revision++;
      }
    }
    p.today.setOptions(p.opts);
    // Lowered bounds apply at once (emitAll below announces what changed).
    const now = p.now();
    if (p.active.size > p.opts.maxActiveCalls) this.life.dropOldestActive(undefined, now, new ChangeDraft());
    for (const entry of p.calls.values()) p.bounds.afterRecord(p.opts, entry, now);
    this.life.trimEnded();
    p.queries.dirty();
    p.events.emitAll();
  }

  clear(): void {
    const p = this.parts;
    p.calls.clear();
    p.active.clear();
    p.ended.clear();
    p.evicted.clear();
    p.bounds.clear();
    p.deriver.clear();
    p.live.reset();
    p.today.clear(p.now());
    p.queries.dirty();
    p.events.emitAll();
  }

  // -------------------------------------------------------------------------------------------------------
  // Queries (src/core/store/queries.ts answers them)

  counters(): Counters {
    const d = this.parts.today.figures(this.parts.now());
    const live = this.parts.live;
    return {
      active: live.active, waiting: live.waiting, ringing: live.ringing, talking: live.talking,
      answeredToday: d.answered, missedToday: d.missed, totalToday: d.total,
    };
  }

  activeCalls(): CallRecord[] {
    return this.parts.queries.activeCalls();
  }

  endedCalls(): CallRecord[] {
    return this.parts.queries.endedCalls();
  }

  groups(mode: GroupMode): CallGroup[] {
    return this.parts.queries.groups(mode);
  }

  /** The confirmed active call (matching the filter) that has waited longest, if any is waiting or ringing. */
  longestWait(): { callId: string; waitedMs: number } | undefined {
    return this.parts.queries.longestWait();
  }

  /** Per queue, today (calls ended since local midnight) plus who waits there now; follows the filter. */
  queueStats(): QueueStats[] {
    const now = this.parts.now();
    return this.parts.queries.queueStats(this.parts.today.figures(now), now);
  }
}
