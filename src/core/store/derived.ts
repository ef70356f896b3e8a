// A call's derived fields, re-derived after each document of an active call: its state, queue and agents (by the
// rules in derive.ts), and its direction, number, internal flag and start from the first document that names each.
import { deriveLive, type FeedsSeen, type LiveView } from '../derive';
import type { DocFacts } from '../facts';
import type { EpochMs } from '../types';
import type { CallEntry } from './callEntry';
import { str } from '../readers';
import { isWaitState } from './queries';

export class CallDeriver {
  /** The feeds that have sent a document since the store was made or cleared. */
  readonly seen: FeedsSeen = { calls: false, queues: false, agents: false };
  /** Reused by refresh for every document (read at once, never kept). */
  private readonly liveView: LiveView = { state: 'dialling', activeAgents: [] };
  private readonly callFields = new CallFields();

  /** Recomputes the derived fields of an active call. */
  refresh(entry: CallEntry, at: EpochMs): void {
    const doc = entry.callFacts;
    const view = deriveLive(entry, this.seen, this.liveView);
    if (view.state !== entry.state) entry.stateSince = view.since ?? at;
    else if (view.since !== undefined) entry.stateSince = view.since;
    entry.state = view.state;
    entry.waitingSince = isWaitState(view.state) ? view.waitingSince ?? view.since ?? entry.stateSince : undefined;
    entry.currentQueue = view.currentQueue;
    entry.currentAgent = view.currentAgent;
    entry.activeAgents = view.activeAgents;
    // The calls document first, then visits, then offers: the first that names a field wins.
    const facts = this.callFields.reset(doc);
    for (const v of entry.queueVisits.values()) facts.take(v.facts);
    for (const o of entry.agentOffers.values()) facts.take(o.facts);
    entry.direction = facts.direction === 'incoming' || facts.direction === 'outgoing' ? facts.direction : 'unknown';
    entry.customerNumber = facts.number ?? '';
    entry.internal = facts.internal === 1;
    if (facts.start !== undefined) entry.startedAt = facts.start;
  }

  clear(): void {
    this.seen.calls = this.seen.queues = this.seen.agents = false;
  }
}

/** A call's direction, number, internal flag and start, from the first of its documents that names each. */
class CallFields {
  direction: string | undefined;
  number: string | undefined;
  internal: number | undefined;
  start: EpochMs | undefined;
  private hasCall = false;

  /** Starts over for a call (CallDeriver reuses one: refresh runs for every document). */
  reset(call: DocFacts | undefined): this {
    this.direction = this.number = this.internal = undefined;
    this.hasCall = call !== undefined;
    this.start = call?.time.start;
    if (call) this.take(call);
    return this;
  }

  /** Without a calls document, the start is the earliest document's. */
  take(d: DocFacts): void {
    this.direction ??= str(d.call_direction);
    this.number ??= str(d.customer_number);
    this.internal ??= d.internal;
    if (!this.hasCall && (this.start === undefined || d.time.start < this.start)) this.start = d.time.start;
  }
}
