// The store's state, shared by its public API (src/core/store.ts), ingest (apply.ts) and the call lifecycle
// (lifecycle.ts): the calls by id, the active and ended ones, and the parts that keep each job.
import { FrameSlabs } from '../frameSlabs';
import type { StoreOptions } from '../model';
import type { EpochMs } from '../types';
import { StoreBounds } from './bounds';
import type { CallEntry } from './callEntry';
import { ChangeEvents } from './changes';
import { CallDeriver } from './derived';
import { CallMatcher, LiveCounters } from './matching';
import { STORE_DEFAULTS, cleanOptions, type Options } from './options';
import { CallQueries } from './queries';
import { EVICTED_MAX, EndedQueue, RecentIds } from './retention';
import { TodayFigures } from './today';

export class StoreParts {
  opts: Options;
  readonly now: () => EpochMs;
  readonly calls = new Map<string, CallEntry>();
  /** Active calls in start order. sweep() looks at each once a second, which costs less than re-ordering on every document. */
  readonly active = new Map<string, CallEntry>();
  /** Ended calls in end order, oldest first. */
  readonly ended = new EndedQueue();
  readonly evicted = new RecentIds(EVICTED_MAX);
  /** Where the bytes of frames given as views of a socket's buffer are copied. */
  readonly slabs = new FrameSlabs();
  /** The byte and active-call bounds, with the ledger of kept frame memory every timeline reports to. */
  readonly bounds: StoreBounds<CallEntry>;
  readonly events = new ChangeEvents();
  readonly matcher = new CallMatcher();
  readonly live = new LiveCounters(this.matcher);
  readonly deriver = new CallDeriver();
  readonly today: TodayFigures;
  readonly queries: CallQueries;

  /** `evictOldestEnded` evicts the call that ended first (the bounds call it to meet the store's byte bound). */
  constructor(options: StoreOptions, evictOldestEnded: () => void) {
    this.now = typeof options.now === 'function' ? options.now : Date.now;
    this.opts = { ...STORE_DEFAULTS, ...cleanOptions(options) };
    const ended = this.ended;
    this.bounds = new StoreBounds<CallEntry>({
      active: this.active, calls: this.calls,
      get endedCount() { return ended.size; },
      evictOldestEnded,
    });
    this.today = new TodayFigures(this.now, this.matcher, this.opts);
    this.queries = new CallQueries({ active: this.active, ended: this.ended, matcher: this.matcher, now: this.now });
  }

  /** The caller's arrival time when it is a finite number, else the store's clock. */
  arrivalTime(receivedAt: EpochMs | undefined): EpochMs {
    return typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? receivedAt : this.now();
  }
}
