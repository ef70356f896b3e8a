// Ingest's steps for one document: is it a re-send (by its bytes, or by equal facts and document), where its bytes
// are kept, then either a late document (recorded, nothing else changes) or its key's new latest document (the
// call is re-derived, may end, and is counted again). One change event per document that changed anything.
import { outcomeOf } from '../derive';
import { sameJson } from '../diff';
import { FrameRef } from '../frameSlabs';
import { RecordedEntry } from '../timeline';
import type { EpochMs } from '../types';
import { Arrival } from './arrival';
import { CallEntry } from './callEntry';
import { ChangeDraft, noteGroups } from './changes';
import { decodedDoc } from './input';
import { entityKey, newKey, type KeyState } from './keys';
import type { CallLifecycle } from './lifecycle';
import type { StoreParts } from './parts';
import { LATE_SEEN_MAX, SEEN_PER_KEY, hasFrame, remembered } from './resend';

export class DocumentApplier {
  constructor(private readonly p: StoreParts, private readonly life: CallLifecycle) {}

  /** Ingest's work for a document given as facts with its frame, its decoded document, or both. */
  apply(a: Arrival): boolean {
    const id = a.facts.id_call;
    const entry = this.p.calls.get(id);
    // An evicted call is never in `calls`: only an unknown id needs the (large) evicted set.
    if (!entry && this.p.evicted.has(id)) return false;
    const ks = entry?.keyStateOf(a.feed, a.facts);
    a.entry = entry;
    a.ks = ks;
    a.key = ks ? ks.key : entityKey(a.feed, a.facts);
    const resent = this.resent(a);
    if (resent !== undefined) return resent;
    this.place(a);
    this.p.deriver.seen[a.feed] = true;
    // Late: the key already ended, or the call ended and this is not a final document for a still-open key.
    if (entry && (ks?.ended || (entry.isEnded && a.facts.active === 1))) return this.applyLate(a, entry);
    return this.applyCurrent(a);
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
      if (frame !== undefined) ks.seen = remembered(ks.seen, a.copy ? this.p.slabs.keep(frame) : FrameRef.whole(frame), SEEN_PER_KEY);
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
      this.p.slabs.copy(frame);
      a.slab = this.p.slabs.slab;
      a.off = this.p.slabs.offset;
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
    const late = new ChangeDraft();
    late.calls.add(entry.id);
    if (this.p.bounds.afterRecord(this.p.opts, entry, a.at)) this.evictedNow(late);
    this.p.events.emit(late);
    return true;
  }

  /** A new document for its key: it becomes the key's latest, and the call is re-derived (and may end). */
  private applyCurrent(a: Arrival): boolean {
    const change = new ChangeDraft();
    change.calls.add(a.facts.id_call);
    const entry = this.callOf(a, change);
    const wasActive = !entry.isEnded;
    if (wasActive) noteGroups(entry, change);
    this.p.live.uncount(entry);
    /** The key's facts before this document (in the filter index already, when there is one). */
    const indexed = a.ks?.facts;
    this.takeKey(a, entry, this.record(entry, a, false));
    if (wasActive) this.afterActiveDocument(entry, a.at, change);
    this.p.matcher.grow(entry, a.facts, indexed);
    if (!wasActive) {
      // An ended call is kept for minutes as it is now: without spare slots (finish trimmed it once already).
      entry.buffer.trim();
      // A final document for a still-open key of an ended call (feeds arrive in any order) refines today's figures.
      if (this.p.today.lateFinal(entry)) change.counters = true;
    }
    this.p.live.count(entry);
    if (this.p.bounds.afterRecord(this.p.opts, entry, a.at)) this.evictedNow(change);
    this.p.queries.dirty();
    this.p.events.emit(change);
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
    entry = new CallEntry(id, a.at, this.p.opts.timelineCap, this.p.bounds.ledger);
    entry.startedAt = a.facts.time.start;
    this.p.calls.set(id, entry);
    this.p.active.set(id, entry);
    if (this.p.active.size > this.p.opts.maxActiveCalls) this.life.dropOldestActive(entry, a.at, change);
    return entry;
  }

  /** Makes `latest` its key's latest document (a new key's first) and remembers its bytes as a re-send. */
  private takeKey(a: Arrival, entry: CallEntry, latest: RecordedEntry): void {
    let state = a.ks;
    // A key's latest entry keeps its frame even after the timeline drops it: the ledger counts it as the key's too.
    this.p.bounds.ledger.hold(latest);
    if (state) {
      this.p.bounds.ledger.release(state.entry);
      state.update(latest, a.facts);
    } else {
      state = newKey(a.feed, a.key, latest, a.facts);
      entry.addKey(state, this.p.bounds.ledger);
    }
    const kept = a.slab !== undefined ? latest : a.serialised;
    if (kept !== undefined) state.seen = remembered(state.seen, kept, SEEN_PER_KEY);
  }

  /** An active call took a document: re-derived, confirmed, and ended when its documents say so. */
  private afterActiveDocument(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    entry.lastDocumentAt = at;
    entry.unconfirmed = false;
    this.p.deriver.refresh(entry, at);
    const callFacts = entry.callFacts;
    if (callFacts?.active === 0) {
      this.life.finish(entry, outcomeOf(entry), callFacts.time.end ?? at, at, change);
    } else if (!callFacts && entry.allKeysEnded()) {
      // All known documents ended and there is no calls document: the call ends after endGraceMs.
      entry.pendingSince ??= at;
      if (this.p.opts.endGraceMs <= 0) this.life.finishDerived(entry, at, change);
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

  /** Ended calls were evicted for the store's byte bound during `change`. */
  private evictedNow(change: ChangeDraft): void {
    change.counters = true;
    this.p.queries.dirty();
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
    const change = new ChangeDraft();
    change.calls.add(entry.id);
    noteGroups(entry, change);
    change.counters = true;
    this.p.queries.dirty();
    this.p.events.emit(change);
    return true;
  }
}
