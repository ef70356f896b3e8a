// One document being applied, from what ingest was given to where its bytes are kept: the source of its timeline
// entry (see EntrySource), and what the steps of CallStore.apply hand each other.
import type { DocFacts } from '../facts';
import type { FrameRef } from '../frameSlabs';
import type { EntrySource } from '../timeline';
import type { EpochMs, FeedDocument, FeedName } from '../types';
import type { CallEntry } from './callEntry';
import type { KeyState } from './keys';

/**
 * The store reuses one Arrival for every document (a listener that ingests while a change is delivered gets a new
 * one), and clear() drops its references to frames, documents and calls once the document is applied, so it pins
 * neither a socket's read buffer nor an evicted call.
 */
export class Arrival implements EntrySource {
  feed: FeedName = 'calls';
  /** Set by start() before anything reads it; kept after clear() (facts hold no frame bytes). */
  facts!: DocFacts;
  /** Received at (the caller's time, or the store's clock). */
  at = 0;
  /** The frame's bytes, when the caller gave them. */
  frame: Buffer | undefined;
  /** The decoded document, when the caller gave it. */
  doc: FeedDocument | undefined;
  /** The frame may be a view into a socket's read buffer: what is kept of it is copied first. */
  copy = false;
  /** The call the document names, when the store has it. */
  entry: CallEntry | undefined;
  /** The key the document belongs to within its call, when the call has it. */
  ks: KeyState | undefined;
  /** That key's text (entityKey). */
  key = '';
  /** Where the timeline entry's bytes are (see EntrySource); `slab` stays undefined for a document without bytes. */
  slab: Buffer | undefined;
  off = 0;
  len = 0;
  /** A document given without bytes, serialised, when it could be a re-sent older one (what `seen` lists remember). */
  serialised: FrameRef | undefined;

  /** Starts a document: its feed, facts and arrival time (the caller sets frame, doc and copy). */
  start(feed: FeedName, facts: DocFacts, at: EpochMs): this {
    this.feed = feed;
    this.facts = facts;
    this.at = at;
    return this;
  }

  /** Drops every reference, once the document is applied. */
  clear(): void {
    this.frame = this.doc = this.entry = this.ks = this.slab = this.serialised = undefined;
    this.copy = false;
    this.key = '';
    this.off = this.len = 0;
  }
}
