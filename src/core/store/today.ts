// Today's figures as the store feeds them: each ended call leaves one day summary, made when the figures are next
// read (so the queue and agent finals that often arrive just after the call's own end are in it), and refined once
// per read for however many late documents came since.
import { DayStats, type DayAgg, type DaySummary } from '../dayStats';
import { visitStats } from '../derive';
import { matchesIndex } from '../filter';
import type { CallFilter } from '../model';
import type { EpochMs } from '../types';
import type { CallEntry } from './callEntry';
import type { CallMatcher } from './matching';
import type { Options } from './options';

export class TodayFigures {
  private readonly day: DayStats;
  /** Ended calls whose summary must be recomputed before today's figures are read. */
  private readonly stale = new Set<CallEntry>();
  /** Ended calls whose summary is not made yet, with the store-clock time they ended. */
  private readonly pending = new Map<CallEntry, EpochMs>();

  constructor(private readonly now: () => EpochMs, private readonly matcher: CallMatcher, opts: Options) {
    this.day = new DayStats(now(), opts.todayMax, opts.serviceLevelSeconds * 1000, () => true, false);
  }

  /** Settles every summary, rolls the day to `now` and gives the figures. */
  figures(now: EpochMs): DayAgg {
    this.catchUp(now);
    return this.day.figures();
  }

  /** Settles every summary (before a read or roll of the day) and rolls the day to `now`. */
  catchUp(now: EpochMs): void {
    this.settle();
    this.day.roll(now);
  }

  /** A call ended with a received end: its summary is made at the next read (only a new day must settle first). */
  ended(entry: CallEntry, localAt: EpochMs): void {
    const now = this.now();
    if (!this.day.covers(now)) this.settle();
    this.day.roll(now);
    this.pending.set(entry, localAt);
  }

  /**
   * A final document for a still-open key of an ended call: its summary is refined before the figures are next
   * read (a summary not made yet will be made with it). Returns whether today's figures may change.
   */
  lateFinal(entry: CallEntry): boolean {
    const pending = this.pending.has(entry);
    if (!pending && entry.summary) this.stale.add(entry);
    return pending || entry.summary !== undefined;
  }

  /** The call leaves the store: its summary is settled first, then the call lets go of it. */
  evicted(entry: CallEntry): void {
    const at = this.pending.get(entry);
    if (at !== undefined) {
      this.pending.delete(entry);
      this.add(entry, at);
    }
    if (this.stale.delete(entry)) this.refine(entry);
    entry.summary = undefined;
  }

  setFilter(filter: CallFilter): void {
    this.settle();
    this.day.setFilter((index) => matchesIndex(index, filter), filter.length > 0);
  }

  setOptions(opts: Options): void {
    this.settle();
    this.day.setOptions(opts.todayMax, opts.serviceLevelSeconds * 1000);
  }

  clear(now: EpochMs): void {
    this.stale.clear();
    this.pending.clear();
    this.day.clear(now);
  }

  private settle(): void {
    if (this.pending.size > 0) {
      for (const [entry, at] of this.pending) this.add(entry, at);
      this.pending.clear();
    }
    if (this.stale.size === 0) return;
    for (const entry of this.stale) this.refine(entry);
    this.stale.clear();
  }

  private add(entry: CallEntry, at: EpochMs): void {
    entry.summary = this.summarize(entry, at, true);
    this.day.add(entry.summary);
  }

  private refine(entry: CallEntry): void {
    if (entry.summary) this.day.update(entry.summary, this.summarize(entry, entry.summary.at, entry.summary.retained));
  }

  /** The call's summary (`at` and `retained` as given: refining one keeps its own). */
  private summarize(entry: CallEntry, at: EpochMs, retained: boolean): DaySummary {
    return {
      at,
      retained,
      kind: entry.outcome?.kind ?? 'other',
      inbound: entry.direction === 'incoming',
      internal: entry.internal,
      // Today's summary must not change when the live index grows: the builder copies it then (not per summary).
      index: this.matcher.indexerOf(entry).frozenIndex(),
      visits: visitStats({ visits: entry.queueVisits.values(), offers: entry.agentOffers.values(), call: entry.callFacts },
        entry.endedAt ?? entry.endedLocal),
    };
  }
}
