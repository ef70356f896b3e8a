// The call store: merges the three feeds by id_call, keeps a capped per-call timeline, derives state,
// groups, counters and per-queue figures, and emits change events. Pure (no vscode).
//
// Cost per document: a frame whose bytes a key of its call holds is applied before it is decoded (ingestKnownFrame);
// otherwise a byte comparison with the frames recently seen for the same key, then a comparison of its facts
// (facts.ts) with the latest one's, and only when those are equal a structural comparison of the two documents
// (either match is a duplicate), one derivation over the facts of the call's own visits and offers (documents are
// kept as frame bytes and decoded when a view reads them; the timeline's changed paths are computed when read),
// O(1) counter updates. Groups, ended lists and per-queue figures are rebuilt lazily behind dirty flags.
// Memory is bounded: timelines are capped by entries and bytes, active calls by count, kept frames by bytes
// (limits.ts; StoreBounds below applies them), ended calls are evicted by age and count (with every per-call
// structure), evicted ids are remembered in a bounded set, and today's summaries are capped.
import { DayStats, type DaySummary } from './dayStats';
import {
  deriveLive, finalAgent, outcomeOf, refId, visitAnswerIn, visitStats, type FeedsSeen, type LiveView, type NamedRef, type OfferFacts,
  type VisitFacts,
} from './derive';
import { sameJson } from './diff';
import { compareGroups, noGroupLabel } from './groupOrder';
import { decodeFrame } from './decoder';
import { factsOf, type DocFacts, type QueueFacts } from './facts';
import { FrameRef, FrameSlabs, sameBytes, type KeptFrame } from './frameSlabs';
import { FilterIndexBuilder, matchesIndex, sanitizeFilter, type FilterIndex } from './filter';
import { KeySet } from './keySet';
import { LIMIT_DEFAULTS, type BoundsHit, type SlabLedger } from './limits';
import { str } from './readers';
import {
  NO_GROUP_KEY,
  type AgentOffer, type CallFilter, type CallGroup, type CallOutcome, type CallRecord, type CallState,
  type Counters, type GroupMode, type QueueStats, type QueueVisit, type StoreChange, type StoreOptions,
  type TimelineEntry,
} from './model';
import { StoreBounds, type BoundsHost } from './storeBounds';
import { RecordedEntry, TimelineBuffer } from './timeline';
import type { AgentsDocument, CallsDocument, DecodedDocument, EpochMs, FeedDocument, FeedName, QueuesDocument } from './types';

type Options = Required<Omit<StoreOptions, 'now'>>;

export const STORE_DEFAULTS: Options = {
  timelineCap: 500,
  endedKeepMs: 15 * 60_000,
  endedMax: 500,
  maxActiveAgeMs: 4 * 3_600_000,
  serviceLevelSeconds: 20,
  endGraceMs: 5_000,
  todayMax: 50_000,
  ...LIMIT_DEFAULTS,
};

/** Frame texts remembered per document key (re-sent older documents are duplicates too). */
const SEEN_PER_KEY = 8;
/** Late-document texts remembered per call. */
const LATE_SEEN_MAX = 16;
/** Most queue visits + agent offers kept per call; the oldest ended ones go first. */
const MAX_KEYS_PER_CALL = 256;
/** Frame bytes a key's older remembered frames may take besides its latest (duplicates are rarely older than that). */
const SEEN_BYTES = 64 * 1024;
/** Ids of evicted calls remembered so a late document cannot bring them back. */
const EVICTED_MAX = 20_000;

const EMPTY: ReadonlySet<string> = new Set<string>();
const NONE_KEPT: readonly KeptFrame[] = Object.freeze([]);

/**
 * One document key of a call (the call, a queue visit, an agent offer). The store reads its latest document's facts
 * only; the document itself is its latest timeline entry's, which keeps the frame bytes and decodes them when a view
 * reads it (a document given without bytes is kept as given). Parsed documents that retained calls kept alive were
 * a large part of what each young-generation GC promoted; bytes outside the JS heap are never copied by it.
 */
class KeyState {
  ended: boolean;
  /** The latest frames for the key (where their bytes are kept: mostly the key's own timeline entries). */
  seen: readonly KeptFrame[] = NONE_KEPT;

  constructor(
    /** The feed the key's documents come from (each key belongs to one feed). */
    readonly feed: FeedName,
    /** The key's string, made once: later documents reuse it, so their own copy of it dies young. */
    readonly key: string,
    /** The timeline entry of the key's latest applied document (kept when the timeline's cap drops it). */
    public entry: RecordedEntry,
    /** The facts of the key's latest applied document. */
    public facts: DocFacts,
  ) {
    this.ended = facts.active === 0;
    this.take(facts);
  }

  /** Takes the key's next applied document. */
  update(entry: RecordedEntry, facts: DocFacts): void {
    this.entry = entry;
    this.facts = facts;
    this.ended = facts.active === 0;
    this.take(facts);
  }

  /**
   * What a visit or an offer reads from each of its documents. Called from the constructor too, so their fields
   * are declared, not initialised (an initialiser would run after it).
   */
  protected take(_facts: DocFacts): void {
    // The call's own key keeps its facts only.
  }

  get doc(): FeedDocument {
    return this.entry.document;
  }
}

/**
 * A queue visit: the key of its queues-feed documents, with the facts today's figures read. Updated in place by
 * each new document for its key, and one object with its key's state: whatever a retained call holds until its
 * next document is what a young-generation collection copies.
 */
class Visit extends KeyState implements QueueVisit, VisitFacts {
  declare queueId: string;
  declare queueName: string;
  declare timestart: EpochMs | undefined;
  declare queue: QueueFacts | undefined;
  declare leftAt: EpochMs | undefined;
  declare answerAt: EpochMs | undefined;

  protected override take(facts: DocFacts): void {
    const q = facts.queue;
    this.queueId = refId(q) ?? '?';
    this.queueName = str(q?.name) ?? this.queueId;
    this.timestart = q?.timestart;
    this.queue = q;
    this.leftAt = facts.time.end;
    this.answerAt = visitAnswerIn(facts, this.timestart);
  }

  override get doc(): QueuesDocument {
    return this.entry.document as QueuesDocument;
  }
}

/** An agent offer: the key of its agents-feed documents, updated in place like a Visit. */
class Offer extends KeyState implements AgentOffer, OfferFacts {
  declare agentId: string;
  declare agentName: string;
  declare startedAt: EpochMs;
  declare answeredAt: EpochMs | undefined;
  declare queue: QueueFacts | undefined;

  protected override take(facts: DocFacts): void {
    const a = facts.agent;
    this.agentId = refId(a) ?? '?';
    this.agentName = str(a?.name) ?? this.agentId;
    this.startedAt = facts.time.start;
    this.answeredAt = facts.time.answered;
    this.queue = facts.queue;
  }

  override get doc(): AgentsDocument {
    return this.entry.document as AgentsDocument;
  }
}

/** Everything the store keeps for one call; exposed read-only as a CallRecord. */
class CallEntry implements CallRecord {
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
   * ended call with no history (views look calls up by id, and find none). An evicted call that a young-generation
   * GC had promoted stays in old space until the next full GC, and until then whatever young objects it referenced
   * (its latest entries, facts and lists) survived every scavenge and were promoted in turn: 2-3 MB per scavenge
   * in the bench's blast, most of each scavenge's pause.
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

/**
 * Ended calls in the order they ended: they leave memory in that order too (by age or count), so a queue is enough.
 * A Map used this way re-allocated its table again and again as deleted entries filled it.
 */
class EndedQueue {
  private items: (CallEntry | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(entry: CallEntry): void {
    this.items.push(entry);
  }

  oldest(): CallEntry | undefined {
    return this.items[this.head];
  }

  shift(): CallEntry | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head++] = undefined;
    // Drop the consumed front once it is most of the array (amortised O(1)).
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  newestFirst(): CallEntry[] {
    const out: CallEntry[] = [];
    for (let i = this.items.length - 1; i >= this.head; i--) out.push(this.items[i] as CallEntry);
    return out;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * The last `max` ids added. A ring keeps their order, so forgetting the oldest never starts an iteration of the
 * Set: V8 keeps deleted slots at the front of its ordered table until it rehashes, and walking them on every
 * eviction cost more than the rest of the eviction.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly ring: string[] = [];
  private next = 0;

  constructor(private readonly max: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    if (this.ring.length < this.max) {
      this.ring.push(id);
    } else {
      this.ids.delete(this.ring[this.next]);
      this.ring[this.next] = id;
      this.next = (this.next + 1) % this.max;
    }
    this.ids.add(id);
  }

  clear(): void {
    this.ids.clear();
    this.ring.length = 0;
    this.next = 0;
  }
}

interface GroupCache {
  groups: CallGroup[];
  /** Earliest waitingSince of each group's confirmed waiting/ringing calls (NaN when none). */
  since: number[];
}

/**
 * A change being made, handed to listeners as the StoreChange itself when done (one object per document, not a draft
 * and then a copy of it). Its sets are empty, not absent, when they name nothing.
 */
class ChangeDraft implements StoreChange {
  readonly calls = new KeySet();
  readonly queueGroups = new KeySet();
  readonly agentGroups = new KeySet();
  /** Made when a call ends in this change (rare), so most changes make three key sets, not four. */
  ended: ReadonlySet<string> = EMPTY;
  counters = false;
  readonly all = false;

  endedCall(id: string): void {
    if (this.ended === EMPTY) this.ended = new KeySet();
    (this.ended as KeySet).add(id);
  }

  /** Empty again, for the next document (see CallStore.draft). */
  reset(): this {
    this.calls.clear();
    this.queueGroups.clear();
    this.agentGroups.clear();
    this.ended = EMPTY;
    this.counters = false;
    return this;
  }
}


const isWaitState = (s: CallState): boolean => s === 'waiting' || s === 'ringing';

function queueKeyOf(e: CallEntry): string {
  return e.currentQueue?.id ?? NO_GROUP_KEY;
}

function agentKeysOf(e: CallEntry): string[] {
  return e.activeAgents.length > 0 ? e.activeAgents.map((a) => a.id) : [NO_GROUP_KEY];
}

/** The key a document (or its facts) is merged under within its call: 'call', or a queue visit's or agent offer's key. */
export function entityKey(feed: FeedName, doc: FeedDocument | DocFacts): string {
  if (feed === 'queues') {
    const q = (doc as QueuesDocument).queue;
    return `queue:${String(q?.id ?? '?')}@${String(q?.timestart ?? '?')}`;
  }
  if (feed === 'agents') {
    const a = (doc as AgentsDocument).agent;
    return `agent:${String(a?.id ?? a?.name ?? '?')}@${String(doc.time.start)}`;
  }
  return 'call';
}

/** Facts a caller made (or a document): of a feed, with the fields every document has, as factsOf makes them. */
function validFacts(feed: unknown, facts: unknown): facts is DocFacts {
  if (feed !== 'calls' && feed !== 'queues' && feed !== 'agents') return false;
  if (typeof facts !== 'object' || facts === null) return false;
  const f = facts as { id_call?: unknown; active?: unknown; time?: { start?: unknown } };
  return typeof f.id_call === 'string' && f.id_call !== '' && (f.active === 0 || f.active === 1)
    && typeof f.time === 'object' && f.time !== null && typeof f.time.start === 'number' && Number.isFinite(f.time.start);
}

/** The document of a frame whose facts were given (it decodes: the facts' maker promised so); undefined if not. */
function decodedDoc(frame: Buffer, feed: FeedName): FeedDocument | undefined {
  const result = decodeFrame(frame, feed);
  return result.ok ? result.value.doc : undefined;
}

/** A decoded document of a feed with the fields every document has: the same checks as validFacts. */
function validDocument(decoded: unknown): decoded is DecodedDocument {
  if (typeof decoded !== 'object' || decoded === null) return false;
  const { feed, doc } = decoded as { feed?: unknown; doc?: unknown };
  return validFacts(feed, doc);
}

/** A call's direction, number, internal flag and start, from the first of its documents that names each. */
class CallFields {
  direction: string | undefined;
  number: string | undefined;
  internal: number | undefined;
  start: EpochMs | undefined;
  private hasCall = false;

  /** Starts over for a call (the store reuses one: refresh runs for every document). */
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

function cleanOptions(options: Partial<StoreOptions>): Partial<Options> {
  const out: Partial<Options> = {};
  for (const key of Object.keys(STORE_DEFAULTS) as (keyof Options)[]) {
    const v = options[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  return out;
}

export class CallStore {
  private opts: Options;
  private readonly now: () => EpochMs;
  private readonly calls = new Map<string, CallEntry>();
  /** Active calls in start order. sweep() looks at each once a second, which costs less than re-ordering on every document. */
  private readonly active = new Map<string, CallEntry>();
  /** Ended calls in end order, oldest first. */
  private readonly ended = new EndedQueue();
  private readonly evicted = new RecentIds(EVICTED_MAX);
  /** Where the bytes of frames given as views of a socket's buffer are copied. */
  private readonly slabs = new FrameSlabs();
  /** The byte and active-call bounds, with the ledger of kept frame memory every timeline reports to. */
  private readonly bounds: StoreBounds<CallEntry> = new StoreBounds<CallEntry>(this.boundsHost());
  private listeners: ((change: StoreChange) => void)[] = [];
  /** Listeners that did not promise to read changes only while called (see onDidChange). */
  private keepingListeners = 0;
  /** Depth of emit() calls in progress. */
  private emitting = 0;
  /** The change object draft() reuses. */
  private spare: ChangeDraft | undefined;
  private currentFilter: CallFilter = [];
  private filterStamp = 0;
  private readonly seen: FeedsSeen = { calls: false, queues: false, agents: false };
  private readonly live = { active: 0, waiting: 0, ringing: 0, talking: 0 };
  /** Reused by refresh for every document (read at once, never kept). */
  private readonly liveView: LiveView = { state: 'dialling', activeAgents: [] };
  private readonly callFields = new CallFields();
  private readonly day: DayStats;
  /** Groups per mode as last built; dirty() empties it in place, as it runs for every document. */
  private readonly groupCache: Record<GroupMode, GroupCache | undefined> = { queue: undefined, agent: undefined };
  private endedView?: CallEntry[];
  private longest?: { entry: CallEntry; since: number } | null;
  /** Ended calls whose day summary must be recomputed before today's figures are read (see settleDay). */
  private readonly staleSummaries = new Set<CallEntry>();
  /**
   * Ended calls whose day summary is not made yet, with the local time they ended: it is made when today's figures
   * are next read (or the call is evicted, or the day rolls), once, with the queue and agent finals that often
   * arrive just after the call's own end, instead of at the end and again for those finals.
   */
  private readonly pendingSummaries = new Map<CallEntry, EpochMs>();

  constructor(options: StoreOptions = {}) {
    this.now = typeof options.now === 'function' ? options.now : Date.now;
    this.opts = { ...STORE_DEFAULTS, ...cleanOptions(options) };
    this.day = new DayStats(this.now(), this.opts.todayMax, this.opts.serviceLevelSeconds * 1000, () => true, false);
  }

  get filter(): CallFilter {
    return this.currentFilter;
  }

  get activeCount(): number {
    return this.active.size;
  }

  get endedCount(): number {
    return this.ended.size;
  }

  /** The memory bounds hit so far (how many, since when), for the log and the status tooltip. */
  get boundsHit(): BoundsHit {
    return this.bounds.record;
  }

  /** Goes up with every memory bound hit: a cheap check before reading boundsHit. */
  get boundsRevision(): number {
    return this.bounds.revision;
  }

  /** Bytes of the slabs that kept frames are in (each counted whole while any frame in it is kept). */
  get keptFrameBytes(): number {
    return this.bounds.ledger.bytes;
  }

  private boundsHost(): BoundsHost<CallEntry> {
    const ended = this.ended;
    return {
      active: this.active, calls: this.calls,
      get endedCount() { return ended.size; },
      evictOldestEnded: () => this.evictOldest(),
    };
  }

  /**
   * Calls `listener` after every change. With `transient`, the listener promises to read the change only during the
   * call (views that fold it into their own state do): while every listener is transient the store hands out one
   * reused change object instead of a new one per document, the largest object it made per message.
   */
  onDidChange(listener: (change: StoreChange) => void, options?: { transient?: boolean }): { dispose(): void } {
    const keeps = options?.transient !== true;
    this.listeners = [...this.listeners, listener];
    if (keeps) this.keepingListeners++;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.listeners = this.listeners.filter((l) => l !== listener);
        if (keeps) this.keepingListeners--;
      },
    };
  }

  /**
   * The change for a document: the reused one when no listener keeps changes and none is being delivered (a listener
   * that ingests while it is called gets a new one), else a new one.
   */
  private draft(): ChangeDraft {
    if (this.keepingListeners > 0 || this.emitting > 0) return new ChangeDraft();
    return (this.spare ??= new ChangeDraft()).reset();
  }

  getCall(id: string): CallRecord | undefined {
    return this.calls.get(id);
  }

  // -------------------------------------------------------------------------------------------------------
  // Ingest

  /**
   * A frame with exactly the bytes of a frame the store has applied for one of its calls (a re-send, which the
   * feeds make at every event of a call) changes what ingest of its decoded document would change, and no more:
   * nothing, or, after a reconnect, confirms the call. This applies it without decoding it. Returns undefined when
   * the bytes are not known: the caller decodes the frame and ingests it.
   *
   * The id_call read from the bytes is only a hint for where to look (it may be a nested field's, or missing): a
   * byte-for-byte match with a frame that a key of that call remembers is what makes the frame known, because a
   * frame decodes the same way every time on its feed.
   */
  ingestKnownFrame(feed: FeedName, frame: Buffer, receivedAt?: EpochMs): boolean | undefined {
    const id = idCallHint(frame);
    const entry = id === undefined ? undefined : this.calls.get(id);
    if (!entry) return undefined;
    const states: Iterable<KeyState> = feed === 'queues' ? entry.queueVisits.values()
      : feed === 'agents' ? entry.agentOffers.values() : entry.callKey ? [entry.callKey] : [];
    for (const ks of states) {
      if (hasFrame(ks.seen, frame)) return this.confirmResend(entry, ks, this.arrivalTime(receivedAt));
    }
    return undefined;
  }

  /** The caller's arrival time when it is a finite number, else the store's clock. */
  private arrivalTime(receivedAt: EpochMs | undefined): EpochMs {
    return typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? receivedAt : this.now();
  }

  /** Applies one decoded document. Returns false (and emits nothing) when it changed nothing. */
  ingest(decoded: DecodedDocument, receivedAt?: EpochMs): boolean {
    if (!validDocument(decoded)) return false;
    return this.apply(decoded.feed, factsOf(decoded.feed, decoded.doc), decoded.frame, decoded.doc, this.arrivalTime(receivedAt), false);
  }

  /**
   * Applies a frame by its facts, without its document: `facts` must be what factsOf gives for the document
   * decodeFrame makes of `frame` on `feed` (a frame scanner's result). The document is decoded from the bytes only
   * if a view reads it, or to tell a duplicate whose facts equal the key's latest. `frame` may be a socket's buffer:
   * the store keeps a copy of it, never the buffer itself. Returns false when nothing changed.
   */
  ingestFacts(feed: FeedName, facts: DocFacts, frame: Buffer, receivedAt?: EpochMs): boolean {
    if (!validFacts(feed, facts) || !Buffer.isBuffer(frame)) return false;
    return this.apply(feed, facts, frame, undefined, this.arrivalTime(receivedAt), true);
  }

  /**
   * Ingest's work for a document given as facts with its frame, its decoded document, or both. With `copy`, the frame
   * may be a view into a socket's read buffer (which keeping would pin): the bytes kept are copied first, and only
   * once the frame is known to be new.
   */
  private apply(
    feed: FeedName, facts: DocFacts, frame: Buffer | undefined, doc: FeedDocument | undefined, at: EpochMs, copy: boolean,
  ): boolean {
    const id = facts.id_call;
    let entry = this.calls.get(id);
    // An evicted call is never in `calls`: only an unknown id needs the (large) evicted set.
    if (!entry && this.evicted.has(id)) return false;
    const ks = entry?.keyStateOf(feed, facts);
    const key = ks ? ks.key : entityKey(feed, facts);
    let fp = frame;
    if (ks && fp !== undefined && hasFrame(ks.seen, fp)) return this.confirmResend(entry, ks, at);
    // Equal facts are rare for different bytes (every event changes a time or a flag): only then are documents compared.
    if (ks && sameJson(ks.facts, facts) && sameJson(ks.doc, doc ?? decodedDoc(fp as Buffer, feed))) {
      if (fp !== undefined) ks.seen = remembered(ks.seen, copy ? this.slabs.keep(fp) : FrameRef.whole(fp), SEEN_PER_KEY);
      return this.confirmResend(entry, ks, at);
    }
    /** A document given without bytes: its serialisation, which `seen` lists remember instead. */
    let serialised: FrameRef | undefined;
    if (entry && (ks || entry.isEnded)) {
      // Only needed when the document could be a re-sent older one. Callers other than the decoder give no bytes:
      // theirs are made here, and only they still need the key's check (the decoder's were checked above).
      if (fp === undefined) {
        fp = Buffer.from(JSON.stringify(doc));
        if (ks && hasFrame(ks.seen, fp)) return false;
        serialised = FrameRef.whole(fp);
      }
      if (hasFrame(entry.lateSeen, fp)) return false;
    }
    // Where the entry's bytes are kept: a socket's view is copied into a slab (keeping it would pin the read buffer).
    let slab: Buffer | undefined;
    let off = 0;
    if (frame !== undefined) {
      if (copy) {
        this.slabs.copy(frame);
        slab = this.slabs.slab;
        off = this.slabs.offset;
      } else {
        slab = frame;
      }
    }
    const len = frame?.length ?? 0;
    this.seen[feed] = true;

    // Late: the key already ended, or the call ended and this is not a final document for a still-open key.
    if (entry && (ks?.ended || (entry.isEnded && facts.active === 1))) {
      const recorded = this.record(entry, feed, at, key, ks?.entry, doc, slab, off, len, true);
      if (entry.isEnded) entry.buffer.trim();
      const kept = slab !== undefined ? recorded : serialised;
      if (kept !== undefined) {
        entry.lateSeen = remembered(entry.lateSeen, kept, LATE_SEEN_MAX);
        if (ks) ks.seen = remembered(ks.seen, kept, SEEN_PER_KEY);
      }
      entry.revision++;
      const late = this.draft();
      late.calls.add(id);
      if (this.bounds.afterRecord(this.opts, entry, at)) this.evictedNow(late);
      this.emit(late);
      return true;
    }

    const change = this.draft();
    change.calls.add(id);
    if (entry) {
      entry.revision++;
    } else {
      entry = new CallEntry(id, at, this.opts.timelineCap, this.bounds.ledger);
      entry.startedAt = facts.time.start;
      this.calls.set(id, entry);
      this.active.set(id, entry);
      if (this.active.size > this.opts.maxActiveCalls) this.dropOldestActive(entry, at, change);
    }
    const wasActive = !entry.isEnded;
    if (wasActive) this.noteGroups(entry, change);
    this.uncount(entry);

    const latest = this.record(entry, feed, at, key, ks?.entry, doc, slab, off, len, false);
    /** The key's facts before this document (in the filter index already, when there is one). */
    const indexed = ks?.facts;
    let state = ks;
    // A key's latest entry keeps its frame even after the timeline drops it: the ledger counts it as the key's too.
    this.bounds.ledger.hold(latest);
    if (state) {
      this.bounds.ledger.release(state.entry);
      state.update(latest, facts);
    } else {
      state = this.addKey(entry, feed, key, latest, facts);
    }
    const kept = slab !== undefined ? latest : serialised;
    if (kept !== undefined) state.seen = remembered(state.seen, kept, SEEN_PER_KEY);

    if (wasActive) {
      entry.lastDocumentAt = at;
      entry.unconfirmed = false;
      this.refresh(entry, at);
      const callFacts = entry.callFacts;
      if (callFacts?.active === 0) {
        this.finish(entry, outcomeOf(entry), callFacts.time.end ?? at, at, change);
      } else if (!callFacts && this.allKeysEnded(entry)) {
        entry.pendingSince ??= at;
        if (this.opts.endGraceMs <= 0) this.finishDerived(entry, at, change);
      } else {
        entry.pendingSince = undefined;
      }
      if (!entry.isEnded) this.noteGroups(entry, change);
      change.counters = true;
    }
    if (entry.indexer) {
      entry.indexer.document(facts, indexed);
      entry.indexer.derived(entry);
      if (entry.indexer.grew) {
        entry.indexer.grew = false;
        entry.matchStamp = -1;
      }
    }
    if (!wasActive) {
      // An ended call is kept for minutes as it is now: without spare slots (finish trimmed it once already).
      entry.buffer.trim();
      // A final document for a still-open key of an ended call (feeds arrive in any order): today's figures are
      // refined before they are next read, once for however many such documents arrive (usually several at once).
      // A summary not made yet will be made with this document's facts.
      const pending = this.pendingSummaries.has(entry);
      if (!pending && entry.summary) this.staleSummaries.add(entry);
      if (pending || entry.summary) change.counters = true;
    }
    this.count(entry);
    if (this.bounds.afterRecord(this.opts, entry, at)) this.evictedNow(change);
    this.dirty();
    this.emit(change);
    return true;
  }

  /** Past maxActiveCalls: the active call whose last document is oldest ends as unknown end, not counted today. */
  private dropOldestActive(fresh: CallEntry | undefined, at: EpochMs, change: ChangeDraft): void {
    this.bounds.dropActive(this.opts, fresh, at, (victim) => {
      this.noteGroups(victim, change);
      this.uncount(victim);
      this.finish(victim, { kind: 'other', reason: 'unknown_end' }, at, at, change, true);
    });
  }

  /** Ended calls were evicted for the store's byte bound during `change`. */
  private evictedNow(change: ChangeDraft): void {
    change.counters = true;
    this.dirty();
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
    const change = this.draft();
    change.calls.add(entry.id);
    this.noteGroups(entry, change);
    change.counters = true;
    this.dirty();
    this.emit(change);
    return true;
  }

  /** A key's first document: the call's own, a new queue visit or a new agent offer. */
  private addKey(entry: CallEntry, feed: FeedName, key: string, latest: RecordedEntry, facts: DocFacts): KeyState {
    let state: KeyState;
    if (feed === 'queues') {
      const visit = new Visit(feed, key, latest, facts);
      entry.queueVisits.set(key, visit);
      state = visit;
    } else if (feed === 'agents') {
      const offer = new Offer(feed, key, latest, facts);
      entry.agentOffers.set(key, offer);
      state = offer;
    } else {
      state = new KeyState(feed, key, latest, facts);
      entry.callKey = state;
    }
    if (entry.keyCount > MAX_KEYS_PER_CALL) this.trimKeys(entry);
    return state;
  }

  /** Bounds a pathological call: beyond MAX_KEYS_PER_CALL, drops the ended visits and offers updated least recently. */
  private trimKeys(entry: CallEntry): void {
    while (entry.keyCount > MAX_KEYS_PER_CALL) {
      let oldest: KeyState | undefined;
      for (const s of entry.keyStates()) {
        if (s.ended && s !== entry.callKey && (!oldest || s.entry.seq < oldest.entry.seq)) oldest = s;
      }
      if (!oldest) return;
      if (oldest.feed === 'queues') entry.queueVisits.delete(oldest.key);
      else entry.agentOffers.delete(oldest.key);
      this.bounds.ledger.release(oldest.entry);
    }
  }

  /** A timeline entry that keeps where the frame's bytes are, or the document when there are none. */
  private record(
    entry: CallEntry, feed: FeedName, at: EpochMs, key: string, previous: RecordedEntry | undefined, doc: FeedDocument | undefined,
    slab: Buffer | undefined, off: number, len: number, late: boolean,
  ): RecordedEntry {
    const e = new RecordedEntry(entry.seq++, feed, at, key, slab === undefined ? doc : undefined, slab, off, len, previous);
    if (late) e.late = true;
    entry.buffer.push(e);
    return e;
  }

  private allKeysEnded(entry: CallEntry): boolean {
    if (entry.keyCount === 0 || entry.callKey?.ended === false) return false;
    for (const v of entry.queueVisits.values()) if (!v.ended) return false;
    for (const o of entry.agentOffers.values()) if (!o.ended) return false;
    return true;
  }

  /** Recomputes the derived fields of an active call. */
  private refresh(entry: CallEntry, at: EpochMs): void {
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

  // -------------------------------------------------------------------------------------------------------
  // Ending, expiry, retention

  private finish(entry: CallEntry, outcome: CallOutcome, endedAt: EpochMs, localAt: EpochMs, change: ChangeDraft, expired = false): void {
    entry.isEnded = true;
    entry.pendingSince = undefined;
    entry.state = 'ended';
    entry.stateSince = endedAt;
    entry.endedAt = endedAt;
    entry.outcome = outcome;
    entry.waitingSince = undefined;
    entry.activeAgents = [];
    entry.currentAgent = finalAgent(entry) ?? entry.currentAgent;
    entry.unconfirmed = false;
    entry.endedLocal = localAt;
    entry.indexer?.seal();
    entry.buffer.trim();
    entry.revision++;
    this.active.delete(entry.id);
    this.ended.push(entry);
    change.endedCall(entry.id);
    change.calls.add(entry.id);
    change.counters = true;
    // Expiries are not counted today: nothing was received for the end.
    if (!expired) {
      // Stale summaries are refined when today's figures are read (once for however many late documents came); only
      // a new day must see them refined before it drops yesterday's.
      const now = this.now();
      if (!this.day.covers(now)) this.settleDay();
      this.day.roll(now);
      this.pendingSummaries.set(entry, localAt);
    }
    while (this.ended.size > this.opts.endedMax) this.evictOldest();
  }

  private finishDerived(entry: CallEntry, at: EpochMs, change: ChangeDraft): void {
    let end: number | undefined;
    for (const s of entry.keyStates()) {
      const e = s.facts.time.end;
      if (typeof e === 'number' && (end === undefined || e > end)) end = e;
    }
    this.finish(entry, outcomeOf(entry), end ?? at, at, change);
  }

  /** The call's summary for today's figures (`at` and `retained` as given: refining one keeps its own). */
  private summarize(entry: CallEntry, at: EpochMs, retained: boolean): DaySummary {
    return {
      at,
      retained,
      kind: entry.outcome?.kind ?? 'other',
      inbound: entry.direction === 'incoming',
      internal: entry.internal,
      // Today's summary must not change when the live index grows: the builder copies it then (not per summary).
      index: this.indexerOf(entry).frozenIndex(),
      visits: visitStats({ visits: entry.queueVisits.values(), offers: entry.agentOffers.values(), call: entry.callFacts },
        entry.endedAt ?? entry.endedLocal),
    };
  }

  /** Evicts the call that ended first (ended calls leave memory in the order they ended). */
  private evictOldest(): void {
    const entry = this.ended.shift();
    if (!entry) return;
    this.calls.delete(entry.id);
    this.evicted.add(entry.id);
    this.settleSummary(entry);
    entry.summary = undefined;
    entry.release(this.bounds.ledger);
    this.endedView = undefined;
  }

  /** Recomputes the day summaries of ended calls that received documents since; before any read or roll of the day. */
  private settleDay(): void {
    if (this.pendingSummaries.size > 0) {
      for (const [entry, at] of this.pendingSummaries) this.addSummary(entry, at);
      this.pendingSummaries.clear();
    }
    if (this.staleSummaries.size === 0) return;
    for (const entry of this.staleSummaries) this.refineSummary(entry);
    this.staleSummaries.clear();
  }

  /** Settles one call's summary (before it is evicted). */
  private settleSummary(entry: CallEntry): void {
    const at = this.pendingSummaries.get(entry);
    if (at !== undefined) {
      this.pendingSummaries.delete(entry);
      this.addSummary(entry, at);
    }
    if (this.staleSummaries.delete(entry)) this.refineSummary(entry);
  }

  private addSummary(entry: CallEntry, at: EpochMs): void {
    entry.summary = this.summarize(entry, at, true);
    this.day.add(entry.summary);
  }

  private refineSummary(entry: CallEntry): void {
    if (entry.summary) this.day.update(entry.summary, this.summarize(entry, entry.summary.at, entry.summary.retained));
  }

  /** Expiry and retention; call about once a second. */
  sweep(): void {
    const now = this.now();
    this.settleDay();
    this.day.roll(now);
    const change = this.draft();
    const grace = Math.min(this.opts.endGraceMs, this.opts.maxActiveAgeMs);
    const due: CallEntry[] = [];
    for (const entry of this.active.values()) if (now - entry.lastDocumentAt > grace) due.push(entry);
    for (const entry of due) {
      const expired = now - entry.lastDocumentAt > this.opts.maxActiveAgeMs;
      if (!expired && entry.pendingSince === undefined) continue;
      this.noteGroups(entry, change);
      this.uncount(entry);
      if (expired) this.finish(entry, { kind: 'other', reason: 'unknown_end' }, now, now, change, true);
      else this.finishDerived(entry, now, change);
    }
    let evicted = false;
    for (let oldest = this.ended.oldest(); oldest && now - oldest.endedLocal > this.opts.endedKeepMs; oldest = this.ended.oldest()) {
      this.evictOldest();
      evicted = true;
    }
    if (change.ended.size > 0 || evicted) {
      this.dirty();
      if (evicted) change.counters = true;
      this.emit(change);
    }
  }

  /** After a reconnect gap: every active call is unconfirmed until a new document for it arrives. */
  markReconnected(): void {
    for (const entry of this.active.values()) {
      entry.unconfirmed = true;
      entry.revision++;
    }
    this.dirty();
    this.emitAll();
  }

  setFilter(filter: CallFilter): void {
    this.currentFilter = Object.freeze(sanitizeFilter(filter));
    this.filterStamp++;
    const f = this.currentFilter;
    this.settleDay();
    this.day.setFilter((index) => matchesIndex(index, f), f.length > 0);
    this.live.active = this.live.waiting = this.live.ringing = this.live.talking = 0;
    for (const entry of this.active.values()) {
      entry.counted = undefined;
      this.count(entry);
    }
    this.dirty();
    this.emitAll();
  }

  setOptions(options: Partial<StoreOptions>): void {
    const before = this.opts.timelineCap;
    this.opts = { ...this.opts, ...cleanOptions(options) };
    if (this.opts.timelineCap !== before) {
      for (const entry of this.calls.values()) {
        entry.buffer.setCap(this.opts.timelineCap);
        entry.revision++;
      }
    }
    this.settleDay();
    this.day.setOptions(this.opts.todayMax, this.opts.serviceLevelSeconds * 1000);
    // Lowered bounds apply at once (emitAll below announces what changed).
    const now = this.now();
    if (this.active.size > this.opts.maxActiveCalls) this.dropOldestActive(undefined, now, this.draft());
    for (const entry of this.calls.values()) this.bounds.afterRecord(this.opts, entry, now);
    while (this.ended.size > this.opts.endedMax) this.evictOldest();
    this.dirty();
    this.emitAll();
  }

  clear(): void {
    this.calls.clear();
    this.active.clear();
    this.ended.clear();
    this.evicted.clear();
    this.bounds.clear();
    this.seen.calls = this.seen.queues = this.seen.agents = false;
    this.live.active = this.live.waiting = this.live.ringing = this.live.talking = 0;
    this.staleSummaries.clear();
    this.pendingSummaries.clear();
    this.day.clear(this.now());
    this.dirty();
    this.emitAll();
  }

  // -------------------------------------------------------------------------------------------------------
  // Filter, counters, groups

  private indexOf(entry: CallEntry): FilterIndex {
    return this.indexerOf(entry).index;
  }

  private indexerOf(entry: CallEntry): FilterIndexBuilder {
    if (!entry.indexer) {
      entry.indexer = new FilterIndexBuilder().call(entry);
      entry.indexer.grew = false;
    }
    return entry.indexer;
  }

  private matches(entry: CallEntry): boolean {
    if (this.currentFilter.length === 0) return true;
    if (entry.matchStamp !== this.filterStamp) {
      entry.matchValue = matchesIndex(this.indexOf(entry), this.currentFilter);
      entry.matchStamp = this.filterStamp;
    }
    return entry.matchValue;
  }

  private count(entry: CallEntry): void {
    if (entry.isEnded || !this.matches(entry)) return;
    entry.counted = entry.state;
    this.bump(entry.state, 1);
  }

  private uncount(entry: CallEntry): void {
    if (entry.counted === undefined) return;
    this.bump(entry.counted, -1);
    entry.counted = undefined;
  }

  private bump(state: CallState, d: 1 | -1): void {
    this.live.active += d;
    if (state === 'waiting') this.live.waiting += d;
    else if (state === 'ringing') this.live.ringing += d;
    else if (state === 'talking') this.live.talking += d;
  }

  private dirty(): void {
    this.groupCache.queue = this.groupCache.agent = undefined;
    this.endedView = undefined;
    this.longest = undefined;
  }

  private noteGroups(entry: CallEntry, change: ChangeDraft): void {
    change.queueGroups.add(queueKeyOf(entry));
    // agentKeysOf's keys, without its array: this runs twice for every document of an active call.
    if (entry.activeAgents.length === 0) change.agentGroups.add(NO_GROUP_KEY);
    // Indexed: the list is sometimes the shared frozen empty one, and a for-of over two kinds of array made an iterator.
    const agents = entry.activeAgents;
    for (let i = 0; i < agents.length; i++) change.agentGroups.add(agents[i].id);
  }

  counters(): Counters {
    this.settleDay();
    this.day.roll(this.now());
    const d = this.day.figures();
    return {
      active: this.live.active, waiting: this.live.waiting, ringing: this.live.ringing, talking: this.live.talking,
      answeredToday: d.answered, missedToday: d.missed, totalToday: d.total,
    };
  }

  activeCalls(): CallRecord[] {
    const out: CallEntry[] = [];
    for (const e of this.active.values()) if (this.matches(e)) out.push(e);
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  endedCalls(): CallRecord[] {
    this.endedView ??= this.ended.newestFirst();
    return this.currentFilter.length === 0 ? this.endedView.slice() : this.endedView.filter((e) => this.matches(e));
  }

  groups(mode: GroupMode): CallGroup[] {
    const cache = (this.groupCache[mode] ??= this.buildGroups(mode));
    const now = this.now();
    cache.groups.forEach((g, i) => {
      const since = cache.since[i];
      g.longestWaitMs = Number.isNaN(since) ? 0 : Math.max(0, now - since);
    });
    return cache.groups.slice();
  }

  private buildGroups(mode: GroupMode): GroupCache {
    const map = new Map<string, { group: CallGroup; since: number }>();
    for (const entry of this.active.values()) {
      if (!this.matches(entry)) continue;
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
      for (const e of this.active.values()) {
        if (e.unconfirmed || !isWaitState(e.state) || e.waitingSince === undefined || !this.matches(e)) continue;
        if (!best || e.waitingSince < best.since) best = { entry: e, since: e.waitingSince };
      }
      this.longest = best;
    }
    if (!this.longest) return undefined;
    return { callId: this.longest.entry.id, waitedMs: Math.max(0, this.now() - this.longest.since) };
  }

  /** Per queue, today (calls ended since local midnight) plus who waits there now; follows the filter. */
  queueStats(): QueueStats[] {
    const now = this.now();
    this.settleDay();
    this.day.roll(now);
    const figures = this.day.figures();
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
    for (const e of this.active.values()) {
      if (!isWaitState(e.state) || !e.currentQueue || !this.matches(e)) continue;
      const s = slot(e.currentQueue.id, e.currentQueue.name);
      s.waiting++;
      if (!e.unconfirmed && e.waitingSince !== undefined) s.longestWaitMs = Math.max(s.longestWaitMs, now - e.waitingSince);
    }
    return [...out.values()].sort((a, b) => a.queueName.localeCompare(b.queueName) || (a.queueId < b.queueId ? -1 : 1));
  }

  // -------------------------------------------------------------------------------------------------------
  // Events

  private emitAll(): void {
    this.emit({ calls: EMPTY, queueGroups: EMPTY, agentGroups: EMPTY, ended: EMPTY, counters: true, all: true });
  }

  private emit(change: StoreChange): void {
    this.emitting++;
    try {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch {
          // A broken view must not stop the store or the other listeners.
        }
      }
    } finally {
      this.emitting--;
    }
  }
}

const ID_CALL = Buffer.from('"id_call"');
const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The id_call of a frame as the decoder would make it, read from the first `"id_call"` in the bytes without
 * parsing: a string without escapes, or a plain integer (which the decoder turns into the same digits). Undefined
 * when it is not that simple; ingestKnownFrame then leaves the frame to the decoder.
 */
function idCallHint(frame: Buffer): string | undefined {
  const n = frame.length;
  // Where the feeds put it, first in the object, before a search (Buffer.indexOf is a call into C++).
  let i = startsWithAt(frame, 1, ID_CALL) && frame[0] === 0x7b /* { */ ? 1 : frame.indexOf(ID_CALL);
  if (i < 0) return undefined;
  i += ID_CALL.length;
  while (i < n && isJsonSpace(frame[i])) i++;
  if (frame[i] !== 0x3a /* : */) return undefined;
  i++;
  while (i < n && isJsonSpace(frame[i])) i++;
  if (frame[i] === 0x22 /* " */) {
    const start = i + 1;
    for (let e = start; e < n; e++) {
      const b = frame[e];
      if (b === 0x22) return frame.toString('utf8', start, e);
      if (b === 0x5c /* \ */) return undefined;
    }
    return undefined;
  }
  // Digits only, no leading zero, short enough to be an exact double: String(number) gives the same text.
  let e = i;
  while (e < n && frame[e] >= 0x30 && frame[e] <= 0x39) e++;
  if (e === i || e - i > 15 || (frame[i] === 0x30 && e - i > 1)) return undefined;
  if (frame[e] === 0x2e /* . */ || frame[e] === 0x65 /* e */ || frame[e] === 0x45 /* E */) return undefined;
  return frame.toString('latin1', i, e);
}

function startsWithAt(frame: Buffer, at: number, bytes: Buffer): boolean {
  if (frame.length < at + bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (frame[at + k] !== bytes[k]) return false;
  return true;
}

/** Whether `list` holds a frame with exactly these bytes. */
function hasFrame(list: readonly KeptFrame[], frame: Buffer): boolean {
  for (let i = 0; i < list.length; i++) if (sameBytes(list[i], frame)) return true;
  return false;
}

/**
 * `list` with a frame added that the caller has already found missing from it (ingest checks first), without the
 * oldest past `max`. A new array of exactly the length: a pushed-to array grows to 17 slots, and every key of every
 * retained call kept its mostly empty slots alive through each young-generation collection.
 */
function remembered(list: readonly KeptFrame[], kept: KeptFrame, max: number): KeptFrame[] {
  let from = list.length >= max ? list.length - max + 1 : 0;
  // Older frames stay only while they are small: a large frame would be kept alive by the list alone.
  let bytes = 0;
  for (let i = list.length - 1; i >= from; i--) {
    bytes += list[i].len;
    if (bytes > SEEN_BYTES) {
      from = i + 1;
      break;
    }
  }
  const out = new Array<KeptFrame>(list.length - from + 1);
  for (let i = from; i < list.length; i++) out[i - from] = list[i];
  out[out.length - 1] = kept;
  return out;
}
