// Generates the heap run's frames on a worker thread, so the generator's own work (planning journeys and
// JSON.stringify) runs on the second core and its garbage stays off the measured thread's heap. Frames come
// in batches, at most a few ahead of the consumer.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FEED_NAMES, type EpochMs, type FeedName } from '../../src/core/types';
import { FrameStream } from './frames';

/** Frames as UTF-8 bytes with end offsets: the consumer gets Buffer views, as ws hands them to the feed client. */
interface Batch { feeds: Uint8Array; ats: Float64Array; ends: Uint32Array; bytes: Uint8Array }

export interface WorkerFrame { feed: FeedName; at: EpochMs; data: Buffer }
interface Params { seed: number; startAt: EpochMs; total: number; batch: number }

const AHEAD = 4;

/** Consumer side: `next()` returns frames in order until `total` were produced. */
export class WorkerFrameSource {
  private readonly worker: Worker;
  private readonly ready: Batch[] = [];
  private waiting: ((b: Batch) => void) | undefined;
  private reject: ((err: Error) => void) | undefined;
  private current: { batch: Batch; i: number } | undefined;
  private failure: Error | undefined;

  constructor(params: Params) {
    // A worker does not inherit the tsx loader: register tsx's CommonJS hook first, then load this file.
    const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`;
    this.worker = new Worker(boot, { eval: true, workerData: params });
    this.worker.on('message', (b: Batch) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(b);
      } else {
        this.ready.push(b);
      }
    });
    const fail = (err: Error): void => {
      this.failure = err;
      this.reject?.(err);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`frame worker exited (${code})`)));
  }

  /** The next frame; awaits only at batch boundaries. */
  async next(): Promise<WorkerFrame> {
    if (!this.current || this.current.i >= this.current.batch.feeds.length) {
      const batch = this.ready.shift() ?? await new Promise<Batch>((done, fail) => {
        if (this.failure) fail(this.failure);
        this.waiting = done;
        this.reject = fail;
      });
      this.worker.postMessage('more');
      this.current = { batch, i: 0 };
    }
    const b = this.current.batch;
    const i = this.current.i++;
    const start = i === 0 ? 0 : b.ends[i - 1];
    return { feed: FEED_NAMES[b.feeds[i]], at: b.ats[i], data: Buffer.from(b.bytes.buffer, b.bytes.byteOffset + start, b.ends[i] - start) };
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

function produce(params: Params): void {
  const stream = new FrameStream(params.seed, params.startAt);
  let produced = 0;
  let credit = AHEAD;
  const send = (): void => {
    while (credit > 0 && produced < params.total) {
      const n = Math.min(params.batch, params.total - produced);
      const feeds = new Uint8Array(n);
      const ats = new Float64Array(n);
      const ends = new Uint32Array(n);
      const parts: Buffer[] = new Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const f = stream.next();
        feeds[i] = FEED_NAMES.indexOf(f.feed);
        ats[i] = f.at;
        parts[i] = Buffer.from(f.data);
        total += parts[i].length;
        ends[i] = total;
      }
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
      produced += n;
      credit--;
      parentPort?.postMessage({ feeds, ats, ends, bytes } satisfies Batch, [feeds.buffer, ats.buffer, ends.buffer, bytes.buffer]);
    }
  };
  parentPort?.on('message', () => {
    credit++;
    send();
  });
  send();
}

if (!isMainThread && workerData) produce(workerData as Params);
