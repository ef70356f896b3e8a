// Everything the store keeps for one call: its keys, its timeline, its derived fields and the store's bookkeeping.
import type { DaySummary } from '../dayStats';
import { finalAgent, type NamedRef } from '../derive';
import type { DocFacts } from '../facts';
import type { FilterIndexBuilder } from '../filter';
import type { KeptFrame } from '../frameSlabs';
import type { SlabLedger } from '../limits';
import type { CallOutcome, CallRecord, CallState, TimelineEntry } from '../model';
import { TimelineBuffer } from '../timeline';
import type { CallsDocument, EpochMs, FeedName } from '../types';
import { NONE_KEPT, Offer, Visit, type KeyState } from './keys';

/** Most queue visits + agent offers kept per call; the oldest ended ones go first. */
export const MAX_KEYS_PER_CALL = 256;

/** Everything the store keeps for one call; exposed read-only as a CallRecord. */
export class CallEntry implements CallRecord {
  readonly queueVisits = new Map<string, Visit>();
  readonly agentOffers = new Map<string, Offer>();
  state: CallState = 'dialling';
  stateSince: EpochMs;
  direction: 'incoming' | 'outgoing' | 'unknown' = 'unknown';
  internal = false;
  customerNumber = '';
  currentQueue?: NamedRef;
  currentAgent?: NamedRef;
  activeAgents: readonly NamedRef[] = [];
  startedAt: EpochMs;
  endedAt?: EpochMs;
  outcome?: CallOutcome;
  unconfirmed = false;
  lastDocumentAt: EpochMs;
  waitingSince?: EpochMs;
  revision = 0;

  // Store bookkeeping (not part of CallRecord).
  /** @internal */ readonly buffer: TimelineBuffer;
  /** @internal */ seq = 0;
  /** @internal */ lateSeen: readonly KeptFrame[] = NONE_KEPT;
  /** @internal */ isEnded = false;
  /** @internal Store-clock time the call ended (retention, today). */ endedLocal = 0;
  /** @internal All known documents ended and there is no calls document: ends after endGraceMs. */ pendingSince?: EpochMs;
  /** @internal */ summary?: DaySummary;
  /** @internal State counted in the counters (undefined: not counted). */ counted?: CallState;
  /** @internal Built on first need (filter or end), then grown per document. */ indexer?: FilterIndexBuilder;
  /** @internal */ matchStamp = -1;
  /** @internal */ matchValue = true;
  /** @internal Which byte bounds have trimmed the timeline (see StoreBounds), so each call counts once per bound. */ trimmedBy = 0;

  /** @internal The calls-feed key, once the calls feed has sent a document. */ callKey?: KeyState;

  constructor(readonly id: string, at: EpochMs, cap: number, ledger: SlabLedger) {
    this.stateSince = at;
    this.startedAt = at;
    this.lastDocumentAt = at;
    this.buffer = new TimelineBuffer(cap, ledger);
  }

  /**
   * @internal On eviction: drops the timeline, visits, offers and index, so a view still holding the record sees an
   * ended call with no history (views look calls up by id, and find none), and the record, wherever it still is in
   * memory, keeps nothing of the call alive.
   */
  release(ledger: SlabLedger): void {
    for (const ks of this.keyStates()) ledger.release(ks.entry);
    this.buffer.clear();
    this.queueVisits.clear();
    this.agentOffers.clear();
    this.callKey = undefined;
    this.indexer = undefined;
    this.lateSeen = NONE_KEPT;
  }

  /**
   * @internal The state of the key a document's facts belong to (what entityKey names), found by comparing the few
   * visits or offers a call has instead of making the key's text for every document.
   */
  keyStateOf(feed: FeedName, facts: DocFacts): KeyState | undefined {
    if (feed === 'queues') {
      const id = facts.queue?.id ?? '?';
      const start = facts.queue?.timestart ?? '?';
      for (const v of this.queueVisits.values()) {
        if ((v.queue?.id ?? '?') === id && (v.queue?.timestart ?? '?') === start) return v;
      }
      return undefined;
    }
    if (feed === 'agents') {
      const a = facts.agent;
      const id = a?.id ?? a?.name ?? '?';
      for (const o of this.agentOffers.values()) {
        const b = o.facts.agent;
        if (o.startedAt === facts.time.start && (b?.id ?? b?.name ?? '?') === id) return o;
      }
      return undefined;
    }
    return this.callKey;
  }

  /** @internal Takes a key's first document's state (see newKey); past MAX_KEYS_PER_CALL, drops the oldest ended keys. */
  addKey(state: KeyState, ledger: SlabLedger): void {
    if (state instanceof Visit) this.queueVisits.set(state.key, state);
    else if (state instanceof Offer) this.agentOffers.set(state.key, state);
    else this.callKey = state;
    if (this.keyCount > MAX_KEYS_PER_CALL) this.trimKeys(ledger);
  }

  /** Bounds a pathological call: beyond MAX_KEYS_PER_CALL, drops the ended visits and offers updated least recently. */
  private trimKeys(ledger: SlabLedger): void {
    while (this.keyCount > MAX_KEYS_PER_CALL) {
      let oldest: KeyState | undefined;
      for (const s of this.keyStates()) {
        if (s.ended && s !== this.callKey && (!oldest || s.entry.seq < oldest.entry.seq)) oldest = s;
      }
      if (!oldest) return;
      if (oldest.feed === 'queues') this.queueVisits.delete(oldest.key);
      else this.agentOffers.delete(oldest.key);
      ledger.release(oldest.entry);
    }
  }

  /** @internal Every key has ended (and there is at least one, and the call's own has not said otherwise). */
  allKeysEnded(): boolean {
    if (this.keyCount === 0 || this.callKey?.ended === false) return false;
    for (const v of this.queueVisits.values()) if (!v.ended) return false;
    for (const o of this.agentOffers.values()) if (!o.ended) return false;
    return true;
  }

  /** @internal Ends the call with `outcome` at `endedAt` (feed time), `localAt` on the store's clock. */
  end(outcome: CallOutcome, endedAt: EpochMs, localAt: EpochMs): void {
    this.isEnded = true;
    this.pendingSince = undefined;
    this.state = 'ended';
    this.stateSince = endedAt;
    this.endedAt = endedAt;
    this.outcome = outcome;
    this.waitingSince = undefined;
    this.activeAgents = [];
    this.currentAgent = finalAgent(this) ?? this.currentAgent;
    this.unconfirmed = false;
    this.endedLocal = localAt;
    this.indexer?.seal();
    this.buffer.trim();
    this.revision++;
  }

  /** @internal How many keys the call has. */
  get keyCount(): number {
    return (this.callKey ? 1 : 0) + this.queueVisits.size + this.agentOffers.size;
  }

  /** @internal Every key: the call's own, then the visits, then the offers (each in the order they came). */
  keyStates(): KeyState[] {
    const out: KeyState[] = this.callKey ? [this.callKey] : [];
    for (const v of this.queueVisits.values()) out.push(v);
    for (const o of this.agentOffers.values()) out.push(o);
    return out;
  }

  get callFacts(): DocFacts | undefined {
    return this.callKey?.facts;
  }

  get call(): CallsDocument | undefined {
    return this.callKey?.doc as CallsDocument | undefined;
  }

  get timeline(): readonly TimelineEntry[] {
    return this.buffer.toArray();
  }

  get timelineDropped(): number {
    return this.buffer.dropped;
  }
}
