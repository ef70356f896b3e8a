// The filter and the live counters. A call's match is cached on it until the filter changes or its index grows;
// the counters hold how many matching active calls are in each state, kept by count/uncount around each change.
import { FilterIndexBuilder, matchesIndex, sanitizeFilter } from '../filter';
import type { CallFilter, CallState } from '../model';
import type { DocFacts } from '../facts';
import type { CallEntry } from './callEntry';

export class CallMatcher {
  filter: CallFilter = [];
  /** Goes up with every filter change: a call's cached match holds while its matchStamp equals it. */
  private stamp = 0;

  set(filter: CallFilter): void {
    this.filter = Object.freeze(sanitizeFilter(filter));
    this.stamp++;
  }

  matches(entry: CallEntry): boolean {
    if (this.filter.length === 0) return true;
    if (entry.matchStamp !== this.stamp) {
      entry.matchValue = matchesIndex(this.indexerOf(entry).index, this.filter);
      entry.matchStamp = this.stamp;
    }
    return entry.matchValue;
  }

  /** The call's filter index, built on first need (a filter or the call's end), then grown per document. */
  indexerOf(entry: CallEntry): FilterIndexBuilder {
    if (!entry.indexer) {
      entry.indexer = new FilterIndexBuilder().call(entry);
      entry.indexer.grew = false;
    }
    return entry.indexer;
  }

  /**
   * Adds an applied document to the call's index, when it has one (`indexed`: the key's facts before it, which the
   * index holds already). An index that grew makes the cached match stale.
   */
  grow(entry: CallEntry, facts: DocFacts, indexed: DocFacts | undefined): void {
    const indexer = entry.indexer;
    if (!indexer) return;
    indexer.document(facts, indexed);
    indexer.derived(entry);
    if (indexer.grew) {
      indexer.grew = false;
      entry.matchStamp = -1;
    }
  }
}

/** Matching active calls per state. Each call remembers the state it is counted in (`counted`), so O(1) per change. */
export class LiveCounters {
  active = 0;
  waiting = 0;
  ringing = 0;
  talking = 0;

  constructor(private readonly matcher: CallMatcher) {}

  count(entry: CallEntry): void {
    if (entry.isEnded || !this.matcher.matches(entry)) return;
    entry.counted = entry.state;
    this.bump(entry.state, 1);
  }

  uncount(entry: CallEntry): void {
    if (entry.counted === undefined) return;
    this.bump(entry.counted, -1);
    entry.counted = undefined;
  }

  reset(): void {
    this.active = this.waiting = this.ringing = this.talking = 0;
  }

  private bump(state: CallState, d: 1 | -1): void {
    this.active += d;
    if (state === 'waiting') this.waiting += d;
    else if (state === 'ringing') this.ringing += d;
    else if (state === 'talking') this.talking += d;
  }
}
