// Groups and queries: the store's answers to views (active and ended calls, groups by queue or agent, the longest
// wait, per-queue figures), following the filter. Groups, the ended list and the longest wait are built on first
// read after a change (dirty() drops them), not per document.
import type { DayAgg } from '../dayStats';
import { compareGroups, noGroupLabel } from '../groupOrder';
import { NO_GROUP_KEY, type CallGroup, type CallRecord, type CallState, type GroupMode, type QueueStats } from '../model';
import type { EpochMs } from '../types';
import type { CallEntry } from './callEntry';
import type { CallMatcher } from './matching';
import type { EndedQueue } from './retention';

export interface GroupCache {
  groups: CallGroup[];
  /** Earliest waitingSince of each group's confirmed waiting/ringing calls (NaN when none). */
  since: number[];
}

export const isWaitState = (s: CallState): boolean => s === 'waiting' || s === 'ringing';

export function queueKeyOf(e: CallEntry): string {
  return e.currentQueue?.id ?? NO_GROUP_KEY;
}

export function agentKeysOf(e: CallEntry): string[] {
  return e.activeAgents.length > 0 ? e.activeAgents.map((a) => a.id) : [NO_GROUP_KEY];
}

/** What the queries read of the store. */
export interface QueriedCalls {
  /** Active calls in start order. */
  readonly active: ReadonlyMap<string, CallEntry>;
  readonly ended: EndedQueue;
  readonly matcher: CallMatcher;
  readonly now: () => EpochMs;
}

export class CallQueries {
  /** Groups per mode as last built; dirty() empties it in place, as it runs for every document. */
  private readonly groupCache: Record<GroupMode, GroupCache | undefined> = { queue: undefined, agent: undefined };
  private endedView?: CallEntry[];
  private longest?: { entry: CallEntry; since: number } | null;

  constructor(private readonly store: QueriedCalls) {}

  /** Something changed: every cached answer is rebuilt when next read. */
  dirty(): void {
    this.groupCache.queue = this.groupCache.agent = undefined;
    this.endedView = undefined;
    this.longest = undefined;
  }

  /** An ended call left the store. */
  endedChanged(): void {
    this.endedView = undefined;
  }

  activeCalls(): CallRecord[] {
    const out: CallEntry[] = [];
    for (const e of this.store.active.values()) if (this.store.matcher.matches(e)) out.push(e);
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  endedCalls(): CallRecord[] {
    const matcher = this.store.matcher;
    this.endedView ??= this.store.ended.newestFirst();
    return matcher.filter.length === 0 ? this.endedView.slice() : this.endedView.filter((e) => matcher.matches(e));
  }

  groups(mode: GroupMode): CallGroup[] {
    const cache = (this.groupCache[mode] ??= this.buildGroups(mode));
    const now = this.store.now();
    cache.groups.forEach((g, i) => {
      const since = cache.since[i];
      g.longestWaitMs = Number.isNaN(since) ? 0 : Math.max(0, now - since);
    });
    return cache.groups.slice();
  }

  private buildGroups(mode: GroupMode): GroupCache {
    const map = new Map<string, { group: CallGroup; since: number }>();
    for (const entry of this.store.active.values()) {
      if (!this.store.matcher.matches(entry)) continue;
      const keys = mode === 'queue' ? [queueKeyOf(entry)] : agentKeysOf(entry);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        let slot = map.get(key);
        if (!slot) {
          const label = key === NO_GROUP_KEY ? noGroupLabel(mode)
            : mode === 'queue' ? entry.currentQueue?.name ?? key : entry.activeAgents[i]?.name ?? key;
          slot = { group: { key, label, mode, calls: [], longestWaitMs: 0 }, since: NaN };
          map.set(key, slot);
        }
        slot.group.calls.push(entry);
        if (isWaitState(entry.state) && !entry.unconfirmed && entry.waitingSince !== undefined
          && !(entry.waitingSince >= slot.since)) slot.since = entry.waitingSince;
      }
    }
    const slots = [...map.values()];
    for (const s of slots) s.group.calls.sort((a, b) => a.startedAt - b.startedAt);
    slots.sort((a, b) => compareGroups(a.group, b.group));
    return { groups: slots.map((s) => s.group), since: slots.map((s) => s.since) };
  }

  /** The confirmed active call (matching the filter) that has waited longest, if any is waiting or ringing. */
  longestWait(): { callId: string; waitedMs: number } | undefined {
    if (this.longest === undefined) {
      let best: { entry: CallEntry; since: number } | null = null;
      for (const e of this.store.active.values()) {
        if (e.unconfirmed || !isWaitState(e.state) || e.waitingSince === undefined || !this.store.matcher.matches(e)) continue;
        if (!best || e.waitingSince < best.since) best = { entry: e, since: e.waitingSince };
      }
      this.longest = best;
    }
    if (!this.longest) return undefined;
    return { callId: this.longest.entry.id, waitedMs: Math.max(0, this.store.now() - this.longest.since) };
  }

  /** Per queue, today's figures (`figures`, as of `now`) plus who waits there now; follows the filter. */
  queueStats(figures: DayAgg, now: EpochMs): QueueStats[] {
    const out = new Map<string, QueueStats>();
    const slot = (id: string, name: string): QueueStats => {
      let s = out.get(id);
      if (!s) out.set(id, (s = { queueId: id, queueName: name, waiting: 0, longestWaitMs: 0, answeredToday: 0, abandonedToday: 0, averageWaitMs: 0 }));
      return s;
    };
    for (const q of figures.queues.values()) {
      if (q.answered === 0 && q.abandoned === 0) continue;
      const s = slot(q.id, q.name);
      s.answeredToday = q.answered;
      s.abandonedToday = q.abandoned;
      s.averageWaitMs = q.waitCount > 0 ? Math.round(q.waitSumMs / q.waitCount) : 0;
      if (q.slTotal > 0) s.serviceLevel = q.slWithin / q.slTotal;
    }
    // Waiting here = waiting in the queue or ringing an agent from it (the customer still waits).
    for (const e of this.store.active.values()) {
      if (!isWaitState(e.state) || !e.currentQueue || !this.store.matcher.matches(e)) continue;
      const s = slot(e.currentQueue.id, e.currentQueue.name);
      s.waiting++;
      if (!e.unconfirmed && e.waitingSince !== undefined) s.longestWaitMs = Math.max(s.longestWaitMs, now - e.waitingSince);
    }
    return [...out.values()].sort((a, b) => a.queueName.localeCompare(b.queueName) || (a.queueId < b.queueId ? -1 : 1));
  }
}
