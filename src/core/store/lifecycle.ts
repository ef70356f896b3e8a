// A call's end and what follows: ending (by its documents, by expiry, or past maxActiveCalls), the ended queue's
// bounds, and eviction, which forgets the call and everything kept for it.
import { outcomeOf } from '../derive';
import type { CallOutcome } from '../model';
import type { EpochMs } from '../types';
import type { CallEntry } from './callEntry';
import { noteGroups, type ChangeDraft } from './changes';
import type { StoreParts } from './parts';

export class CallLifecycle {
  constructor(private readonly p: StoreParts) {}

  /** Ends a call with a received end (counted today). */
  finish(entry: CallEntry, outcome: CallOutcome, endedAt: EpochMs, localAt: EpochMs, change: ChangeDraft): void {
    entry.end(outcome, endedAt, localAt);
    this.retire(entry, change);
    this.p.today.ended(entry, localAt);
    this.trimEnded();
  }

  /** Ends a call without a calls document, at the latest end its documents name. */
  finishDerived(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    let end: number | undefined;
    for (const s of entry.keyStates()) {
      const e = s.facts.time.end;
      if (typeof e === 'number' && (end === undefined || e > end)) end = e;
    }
    this.finish(entry, outcomeOf(entry), end ?? at, at, change);
  }

  /** Ends a call nothing was received for the end of (expired, or dropped for maxActiveCalls): not counted today. */
  expire(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    entry.end({ kind: 'other', reason: 'unknown_end' }, at, at);
    this.retire(entry, change);
    this.trimEnded();
  }

  /** Past maxActiveCalls: the active call whose last document is oldest ends as unknown end, not counted today. */
  dropOldestActive(fresh: CallEntry | undefined, at: EpochMs, change: ChangeDraft): void {
    this.p.bounds.dropActive(this.p.opts, fresh, at, (victim) => {
      noteGroups(victim, change);
      this.p.live.uncount(victim);
      this.expire(victim, at, change);
    });
  }

  /** Ends the calls due at `now` (quiet past the grace with all documents ended, or past maxActiveAgeMs). */
  endDue(now: EpochMs, change: ChangeDraft): void {
    const opts = this.p.opts;
    const grace = Math.min(opts.endGraceMs, opts.maxActiveAgeMs);
    const due: CallEntry[] = [];
    for (const entry of this.p.active.values()) if (now - entry.lastDocumentAt > grace) due.push(entry);
    for (const entry of due) {
      const expired = now - entry.lastDocumentAt > opts.maxActiveAgeMs;
      if (!expired && entry.pendingSince === undefined) continue;
      noteGroups(entry, change);
      this.p.live.uncount(entry);
      if (expired) this.expire(entry, now, change);
      else this.finishDerived(entry, now, change);
    }
  }

  /** Evicts the calls that ended more than endedKeepMs before `now`. Returns whether any was. */
  evictOld(now: EpochMs): boolean {
    let evicted = false;
    const ended = this.p.ended;
    for (let oldest = ended.oldest(); oldest && now - oldest.endedLocal > this.p.opts.endedKeepMs; oldest = ended.oldest()) {
      this.evictOldest();
      evicted = true;
    }
    return evicted;
  }

  /** Evicts the oldest ended calls past endedMax. */
  trimEnded(): void {
    while (this.p.ended.size > this.p.opts.endedMax) this.evictOldest();
  }

  /** Evicts the call that ended first (ended calls leave memory in the order they ended). */
  evictOldest(): void {
    const entry = this.p.ended.shift();
    if (!entry) return;
    this.p.calls.delete(entry.id);
    this.p.evicted.add(entry.id);
    this.p.today.evicted(entry);
    entry.release(this.p.bounds.ledger);
    this.p.queries.endedChanged();
  }

  /** An ended call leaves the active ones for the ended queue. */
  private retire(entry: CallEntry, change: ChangeDraft): void {
    this.p.active.delete(entry.id);
    this.p.ended.push(entry);
    change.endedCall(entry.id);
    change.calls.add(entry.id);
    change.counters = true;
  }
}
