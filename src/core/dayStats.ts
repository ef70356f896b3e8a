// Today's figures: calls that ended since local midnight, overall and per queue, following the filter.
// Each ended call leaves a small summary (bounded: at most `max` per day); aggregates for the current filter
// are kept incrementally and rebuilt from the summaries only when the filter, the service level or the day changes.
import type { FilterIndex } from './filter';
import type { CallOutcome } from './model';
import type { EpochMs } from './types';
import type { VisitStat } from './derive';

export interface DaySummary {
  /** Store-clock time the end was ingested (decides the day). */
  at: EpochMs;
  kind: CallOutcome['kind'];
  inbound: boolean;
  internal: boolean;
  index: FilterIndex;
  visits: VisitStat[];
  /** False once dropped (day rolled, or over the cap): later updates are ignored. */
  retained: boolean;
}

export interface QueueAgg {
  id: string;
  name: string;
  answered: number;
  abandoned: number;
  waitSumMs: number;
  waitCount: number;
  slTotal: number;
  slWithin: number;
}

export interface DayAgg {
  answered: number;
  missed: number;
  total: number;
  queues: Map<string, QueueAgg>;
}

const emptyAgg = (): DayAgg => ({ answered: 0, missed: 0, total: 0, queues: new Map() });

/** Local midnight at or before `t`, and the next one (DST-safe: built from calendar fields). */
export function localDay(t: EpochMs): { start: EpochMs; next: EpochMs } {
  const d = new Date(t);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const next = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return { start, next };
}

export class DayStats {
  private summaries: DaySummary[] = [];
  private head = 0;
  /** Unfiltered totals of summaries dropped over the cap today (so the unfiltered figures stay exact). */
  private overflow = emptyAgg();
  private agg = emptyAgg();
  private valid = true;
  dayStart: EpochMs;
  nextDay: EpochMs;

  constructor(
    now: EpochMs,
    private max: number,
    private slMs: number,
    private match: (index: FilterIndex) => boolean,
    private filtered: boolean,
  ) {
    ({ start: this.dayStart, next: this.nextDay } = localDay(now));
  }

  get size(): number {
    return this.summaries.length - this.head;
  }

  /** Moves to a new day when the clock crossed midnight (or went back before today). */
  /** Whether `now` is in the day the figures are for (roll would keep them). */
  covers(now: EpochMs): boolean {
    return now >= this.dayStart && now < this.nextDay;
  }

  roll(now: EpochMs): void {
    if (this.covers(now)) return;
    ({ start: this.dayStart, next: this.nextDay } = localDay(now));
    const keep: DaySummary[] = [];
    for (let i = this.head; i < this.summaries.length; i++) {
      const s = this.summaries[i];
      if (s.at >= this.dayStart && s.at < this.nextDay) keep.push(s);
      else s.retained = false;
    }
    this.summaries = keep;
    this.head = 0;
    this.overflow = emptyAgg();
    this.valid = false;
  }

  add(s: DaySummary): void {
    if (s.at < this.dayStart || s.at >= this.nextDay) {
      s.retained = false;
      return;
    }
    this.summaries.push(s);
    if (this.valid && this.match(s.index)) apply(this.agg, s, 1, this.slMs);
    while (this.size > this.max) this.dropOldest();
  }

  /** Replaces a retained summary's figures (a queue or agent final arrived after the call ended). */
  update(s: DaySummary, next: Omit<DaySummary, 'retained' | 'at'>): void {
    if (!s.retained) return;
    const counted = this.valid && this.match(s.index);
    if (counted) apply(this.agg, s, -1, this.slMs);
    Object.assign(s, next);
    if (this.valid && this.match(s.index)) apply(this.agg, s, 1, this.slMs);
  }

  private dropOldest(): void {
    const s = this.summaries[this.head];
    this.summaries[this.head] = undefined as unknown as DaySummary;
    this.head++;
    s.retained = false;
    apply(this.overflow, s, 1, this.slMs);
    // With a filter the dropped call can no longer be re-matched; the aggregate keeps it until the next rebuild.
    if (this.head > 1024 && this.head * 2 > this.summaries.length) {
      this.summaries = this.summaries.slice(this.head);
      this.head = 0;
    }
  }

  setFilter(match: (index: FilterIndex) => boolean, filtered: boolean): void {
    this.match = match;
    this.filtered = filtered;
    this.valid = false;
  }

  setOptions(max: number, slMs: number): void {
    if (slMs !== this.slMs) this.valid = false;
    this.slMs = slMs;
    this.max = max;
    while (this.size > this.max) this.dropOldest();
  }

  clear(now: EpochMs): void {
    for (let i = this.head; i < this.summaries.length; i++) this.summaries[i].retained = false;
    this.summaries = [];
    this.head = 0;
    this.overflow = emptyAgg();
    this.agg = emptyAgg();
    this.valid = true;
    ({ start: this.dayStart, next: this.nextDay } = localDay(now));
  }

  /** Aggregates for the current filter (rebuilt lazily). */
  figures(): DayAgg {
    if (!this.valid) {
      const agg = this.filtered ? emptyAgg() : cloneAgg(this.overflow);
      for (let i = this.head; i < this.summaries.length; i++) {
        const s = this.summaries[i];
        if (this.match(s.index)) apply(agg, s, 1, this.slMs);
      }
      this.agg = agg;
      this.valid = true;
    }
    return this.agg;
  }
}

function cloneAgg(a: DayAgg): DayAgg {
  return { answered: a.answered, missed: a.missed, total: a.total, queues: new Map([...a.queues].map(([k, q]) => [k, { ...q }])) };
}

/** Missed = inbound, not internal, ended without an answer. */
function apply(agg: DayAgg, s: DaySummary, sign: 1 | -1, slMs: number): void {
  agg.total += sign;
  if (s.kind === 'answered') agg.answered += sign;
  else if (s.inbound && !s.internal) agg.missed += sign;
  for (const v of s.visits) {
    let q = agg.queues.get(v.id);
    if (!q) agg.queues.set(v.id, (q = { id: v.id, name: v.name, answered: 0, abandoned: 0, waitSumMs: 0, waitCount: 0, slTotal: 0, slWithin: 0 }));
    if (v.name) q.name = v.name;
    if (v.answered) q.answered += sign;
    else if (v.abandoned) q.abandoned += sign;
    else continue;
    if (v.waitMs !== undefined) {
      q.waitSumMs += sign * v.waitMs;
      q.waitCount += sign;
    }
    // Service level: answered visits of external calls, answered within the threshold.
    if (v.answered && !s.internal && v.waitMs !== undefined) {
      q.slTotal += sign;
      if (v.waitMs <= slMs) q.slWithin += sign;
    }
  }
}
