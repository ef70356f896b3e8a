// A call's document keys: its own, its queue visits and its agent offers, each holding the facts of its latest
// document and the frames remembered for it.
import { refId, visitAnswerIn, type OfferFacts, type VisitFacts } from '../derive';
import type { DocFacts, QueueFacts } from '../facts';
import type { KeptFrame } from '../frameSlabs';
import { str } from '../readers';
import type { AgentOffer, QueueVisit } from '../model';
import type { RecordedEntry } from '../timeline';
import type { AgentsDocument, EpochMs, FeedDocument, FeedName, QueuesDocument } from '../types';

export const NONE_KEPT: readonly KeptFrame[] = Object.freeze([]);

/**
 * One document key of a call (the call, a queue visit, an agent offer). The store reads its latest document's facts
 * only; the document itself is its latest timeline entry's, which keeps the frame bytes and decodes them when a view
 * reads it (a document given without bytes is kept as given). So a retained call holds no parsed documents, and its
 * frames' bytes are outside the JS heap, which the garbage collector never copies.
 */
export class KeyState {
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
 * each new document for its key, and one object with its key's state, so a retained call holds one object per key.
 */
export class Visit extends KeyState implements QueueVisit, VisitFacts {
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
export class Offer extends KeyState implements AgentOffer, OfferFacts {
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

/** The state of a key's first document: a queue visit, an agent offer, or the call's own key. */
export function newKey(feed: FeedName, key: string, latest: RecordedEntry, facts: DocFacts): KeyState {
  if (feed === 'queues') return new Visit(feed, key, latest, facts);
  if (feed === 'agents') return new Offer(feed, key, latest, facts);
  return new KeyState(feed, key, latest, facts);
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

