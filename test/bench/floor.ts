// `npm run bench:floor`: how close to the bare parse a pipeline can come on this machine, without sockets. Times, per
// frame of the benchmark's stream, in alternating rounds (medians):
//   parse    toString + JSON.parse (the baseline's work per message, without its socket);
//   keep     parse, copy the bytes, keep the latest document per key and every frame per call, forget the oldest of
//            500 ended calls: the least a store that shows timelines must do (no state, groups, counters, filter,
//            events), so a floor for any design that parses every frame into a document;
//   decoder  the same keeping, on the real decoder (checks, normalisation, the copy);
//   store    the real decoder and CallStore with the benchmark's filter (the known-frame path first), every frame
//            decoded into a document;
//   scanned  as wired: the frame scanner's facts into the store; a frame it cannot read goes to the known-frame
//            path, then the decoder.
// It is a diagnostic, not a target: the figures say how much of the ingest ratio each layer can leave.
import { decodeFrame } from '../../src/core/decoder';
import { scanFacts } from '../../src/core/scan/frameScan';
import { CallStore, entityKey } from '../../src/core/store';
import type { FeedDocument, FeedName } from '../../src/core/types';
import { benchFrames } from './frames';
import { BENCH_FILTER } from './pipeline';
import { printAlternatingRounds } from './stats';

const JOURNEYS = 12_000;
const ROUNDS = 7;
const ENDED_KEPT = 500;

interface Frame { feed: FeedName; bytes: Buffer }
interface KeptCall { docs: Map<string, FeedDocument>; frames: Buffer[]; ended: boolean }

const frames: Frame[] = benchFrames(JOURNEYS).map((f) => ({ feed: f.feed, bytes: Buffer.from(f.data) }));
let sink = 0;

/** Keeps what a timeline store must keep, and nothing else. */
class Keeper {
  private readonly calls = new Map<string, KeptCall>();
  private readonly ended: string[] = [];

  keep(feed: FeedName, doc: FeedDocument, frame: Buffer): void {
    let call = this.calls.get(doc.id_call);
    if (!call) this.calls.set(doc.id_call, (call = { docs: new Map(), frames: [], ended: false }));
    call.docs.set(entityKey(feed, doc), doc);
    call.frames.push(frame);
    if (feed === 'calls' && doc.active === 0 && !call.ended) {
      call.ended = true;
      this.ended.push(doc.id_call);
      if (this.ended.length > ENDED_KEPT) this.calls.delete(this.ended.shift()!);
    }
  }
}

const RUNNERS: Record<string, () => void> = {
  parse: () => {
    for (const f of frames) sink += (JSON.parse(f.bytes.toString('utf8')) as { active: number }).active;
  },
  keep: () => {
    const keeper = new Keeper();
    for (const f of frames) keeper.keep(f.feed, JSON.parse(f.bytes.toString('utf8')) as FeedDocument, Buffer.from(f.bytes));
  },
  decoder: () => {
    const keeper = new Keeper();
    for (const f of frames) {
      const r = decodeFrame(f.bytes, f.feed);
      if (r.ok) keeper.keep(f.feed, r.value.doc, r.value.frame!);
    }
  },
  store: () => {
    const store = new CallStore();
    store.setFilter(BENCH_FILTER);
    store.onDidChange(() => { sink++; });
    const now = Date.now();
    for (const f of frames) {
      const r = decodeFrame(f.bytes, f.feed);
      if (r.ok) store.ingest(r.value, now);
    }
  },
  scanned: () => {
    const store = new CallStore();
    store.setFilter(BENCH_FILTER);
    store.onDidChange(() => { sink++; });
    const now = Date.now();
    for (const f of frames) {
      const facts = scanFacts(f.bytes, f.feed);
      if (facts !== undefined) {
        store.ingestFacts(f.feed, facts, f.bytes, now);
        continue;
      }
      const r = decodeFrame(f.bytes, f.feed);
      if (r.ok) store.ingest(r.value, now);
    }
  },
};

printAlternatingRounds(RUNNERS, frames.length, ROUNDS);
if (sink < 0) console.log('unreachable');
