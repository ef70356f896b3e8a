// The call store's public model: what views read. Pure data, no vscode import.
import type { DocFacts } from './facts';
import type {
  AgentsDocument, CallsDocument, EpochMs, FeedName, FeedDocument, QueuesDocument,
} from './types';

/** Derived state of a call (see docs/protocol.md). */
export type CallState = 'ivr' | 'waiting' | 'ringing' | 'dialling' | 'talking' | 'ended';

/** Outcome of an ended call. `other` carries the terminated reason as given (or 'unknown_end' on expiry). */
export type CallOutcome =
  | { kind: 'answered' }
  | { kind: 'abandoned' }
  | { kind: 'voicemail' }
  | { kind: 'other'; reason: string };

export type GroupMode = 'queue' | 'agent';

/** Group key used for calls that have no queue (queue mode) or no agent (agent mode). */
export const NO_GROUP_KEY = '__none__';

/** One entry of a call's timeline: an accepted document in arrival order. */
export interface TimelineEntry {
  /** Sequence number within the call, from 0, counting dropped entries too. */
  seq: number;
  feed: FeedName;
  receivedAt: EpochMs;
  /** Key of the entity within the call: 'call', or the queue-visit / agent-offer key. */
  key: string;
  /**
   * Dotted leaf paths that changed compared with the previous document for the same key (all paths for the first).
   * The store computes them when first read (a getter), as it may re-decode `document` from the frame bytes: a
   * copy made with `{ ...entry }` must name `document`, `changed` and `receivedAt` (getters too).
   */
  changed: string[];
  document: FeedDocument;
  /** True when the document arrived for a key that had already ended (recorded, not applied). */
  late?: boolean;
}

/** A queue visit: the latest queues-feed document for (id_call, queue.id, queue.timestart). */
export interface QueueVisit {
  key: string;
  queueId: string;
  queueName: string;
  timestart?: EpochMs;
  /** The latest document's facts: what views read often (rows, filters) comes from here. */
  facts: DocFacts;
  /** The latest document, decoded from its frame on each read (a timeline panel, a tooltip). */
  doc: QueuesDocument;
  ended: boolean;
}

/** An agent offer: the latest agents-feed document for (id_call, agent.id, time.start). */
export interface AgentOffer {
  key: string;
  agentId: string;
  agentName: string;
  startedAt: EpochMs;
  answeredAt?: EpochMs;
  /** The latest document's facts: what views read often (rows, filters) comes from here. */
  facts: DocFacts;
  /** The latest document, decoded from its frame on each read (a timeline panel, a tooltip). */
  doc: AgentsDocument;
  ended: boolean;
}

/** Everything the store knows about one call. Views must treat it as read-only. */
export interface CallRecord {
  id: string;
  /** The latest calls-feed document's facts, if the calls feed has sent one: what rows and filters read. */
  callFacts?: DocFacts;
  /** Latest calls-feed document, if the calls feed has sent one; decoded from its frame on each read. */
  call?: CallsDocument;
  queueVisits: ReadonlyMap<string, QueueVisit>;
  agentOffers: ReadonlyMap<string, AgentOffer>;
  timeline: readonly TimelineEntry[];
  /** How many timeline entries were dropped between the first and the latest ones (cap). */
  timelineDropped: number;
  // Derived:
  state: CallState;
  /** When the call entered its current state (receive-time clock when the feed gives no better time). */
  stateSince: EpochMs;
  direction: 'incoming' | 'outgoing' | 'unknown';
  internal: boolean;
  customerNumber: string;
  currentQueue?: { id: string; name: string };
  currentAgent?: { id: string; name: string };
  /** Agents currently ringing or talking (ring-all rings several). */
  activeAgents: ReadonlyArray<{ id: string; name: string }>;
  startedAt: EpochMs;
  endedAt?: EpochMs;
  outcome?: CallOutcome;
  /** Active before a reconnect gap and not yet confirmed by a new document. */
  unconfirmed: boolean;
  /** Receive time of the latest accepted document for this call. */
  lastDocumentAt: EpochMs;
  /** When the current wait (queue or ringing) started, if the call is waiting or ringing. */
  waitingSince?: EpochMs;
  /**
   * Goes up whenever the store changes anything it holds for the call, so a view may keep text it derived from
   * the call until the revision moves (the store sets it; a record without one is described afresh every time).
   */
  revision?: number;
}

export interface CallGroup {
  /** Stable key: queue id, agent id, or NO_GROUP_KEY. */
  key: string;
  label: string;
  mode: GroupMode;
  calls: CallRecord[];
  /** Longest current wait in ms among the group's waiting/ringing calls (0 when none). */
  longestWaitMs: number;
}

export interface Counters {
  active: number;
  waiting: number;
  ringing: number;
  talking: number;
  /** Calls that ended today (since local midnight) while connected. */
  answeredToday: number;
  missedToday: number;
  totalToday: number;
}

export interface QueueStats {
  queueId: string;
  queueName: string;
  waiting: number;
  longestWaitMs: number;
  answeredToday: number;
  abandonedToday: number;
  /** Average wait of today's answered+abandoned visits, in ms (0 when none). */
  averageWaitMs: number;
  /** Share (0..1) of answered calls answered within the service-level threshold; undefined when none. */
  serviceLevel?: number;
}

export type FilterField = 'number' | 'agent' | 'queue' | 'direction';

export interface FilterCriterion {
  field: FilterField;
  value: string;
}

/** A call matches when any criterion matches (OR), case-insensitive substring. Empty = no filter. */
export type CallFilter = readonly FilterCriterion[];

/** What one change touched, so views can update only that. */
export interface StoreChange {
  /** Ids of calls whose record changed. */
  calls: ReadonlySet<string>;
  /** Queue-group keys whose membership or figures changed. */
  queueGroups: ReadonlySet<string>;
  /** Agent-group keys whose membership or figures changed. */
  agentGroups: ReadonlySet<string>;
  /** Calls that moved to ended in this change. */
  ended: ReadonlySet<string>;
  /** True when counters may have changed. */
  counters: boolean;
  /** True when the whole model changed (filter, clear, reconnect marking). */
  all: boolean;
}

export interface StoreOptions {
  /** Clock for receive times and ages. */
  now?: () => EpochMs;
  /** Per-call timeline cap (default 500). */
  timelineCap?: number;
  /** Keep ended calls this long (default 15 min). */
  endedKeepMs?: number;
  /** Keep at most this many ended calls (default 500). */
  endedMax?: number;
  /** An active call with no document for this long expires as 'unknown_end' (default 4 h). */
  maxActiveAgeMs?: number;
  /** Service level threshold in seconds (default 20). */
  serviceLevelSeconds?: number;
  /**
   * A call without a calls-feed document whose every known queue/agent document has ended is ended by sweep()
   * after this long without a new document (default 5 s; 0 = at once). Feeds arrive in any order, e.g. a queue
   * visit's final document can come just before the next visit's first one.
   */
  endGraceMs?: number;
  /** Most ended-call summaries kept for today's figures (default 50,000); beyond it the unfiltered figures stay exact. */
  todayMax?: number;
  /** Most active calls; past it the one whose last document is oldest ends as 'unknown_end', not counted today (default 20,000). */
  maxActiveCalls?: number;
  /** Frame bytes one call's timeline keeps; beyond it its oldest middle entries are dropped (default 2 MiB). */
  callBytes?: number;
  /** Memory of all kept frames, as whole slabs; beyond it ended calls are evicted, then the largest timelines trimmed (default 256 MiB). */
  storeBytes?: number;
}
