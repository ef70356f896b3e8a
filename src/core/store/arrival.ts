// One document being applied, from what ingest was given to where its bytes are kept: the source of its timeline
// entry (see EntrySource), and what the steps of CallStore.apply hand each other.
import type { DocFacts } from '../facts';
import type { FrameRef } from '../frameSlabs';
import type { EntrySource } from '../timeline';
import type { EpochMs, FeedDocument, FeedName } from '../types';
import type { CallEntry } from './callEntry';
import type { KeyState } from './keys';

/** A new Arrival per document, dropped once it is applied: nothing keeps it, so it pins no socket's read buffer. */
export class Arrival implements EntrySource {
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

  /** A document of `feed` with its facts, received at `at` (the caller's time, or the store's clock). */
  constructor(readonly feed: FeedName, readonly facts: DocFacts, readonly at: EpochMs) {}
}
