// Memory after a long day: 1,000,000 generator documents through the production ingest path (FrameIngest: the
// frame scanner, then the decoder) and the store with the default
// retention, the store's clock driven by the documents' own times and sweep() once per simulated second
// (what the extension's 1 s sweep timer does in real time). The frames are generated on a worker thread
// (frameWorker.ts): heapUsed is this thread's heap, so it holds only the pipeline's memory.
import { FrameIngest } from '../../src/core/ingest/frameIngest';
import { CallStore } from '../../src/core/store';
import { BENCH_SEED } from './frames';
import { WorkerFrameSource } from './frameWorker';
import { BENCH_FILTER, BenchLogger, TreeViewHost } from './pipeline';
import { heapMb } from './stats';

export interface HeapResult {
  endMb: number; halfMb: number; growthSecondHalfMb: number; startMb: number;
  documents: number; simulatedHours: number; active: number; ended: number; seconds: number;
}

export async function runHeap(documents: number): Promise<HeapResult> {
  const started = performance.now();
  const startMb = heapMb();
  const source = new WorkerFrameSource({ seed: BENCH_SEED + 1, startAt: Date.UTC(2026, 0, 5, 6, 0, 0), total: documents, batch: 2000 });
  let clock = 0;
  const store = new CallStore({ now: () => clock });
  store.setFilter(BENCH_FILTER);
  const logger = new BenchLogger();
  const ingest = new FrameIngest(store, { logger });
  // The tree provider's listener stays attached, as in the extension (its refresh timers are real).
  const view = new TreeViewHost(store);
  let firstAt = 0;
  let lastSecond = 0;
  let halfMb = 0;
  const half = Math.floor(documents / 2);
  try {
    for (let i = 1; i <= documents; i++) {
      const frame = await source.next();
      clock = frame.at;
      if (firstAt === 0) firstAt = frame.at;
      const second = Math.floor(frame.at / 1000);
      if (second !== lastSecond) {
        lastSecond = second;
        store.sweep();
      }
      const outcome = ingest.accept(frame.feed, frame.data, frame.at);
      if (outcome === 'rejected' || outcome === 'failed') throw new Error(`heap: generator frame ${outcome} (${logger.problems.join(' | ')})`);
      // Let the coalescer's timers run now and then, as the event loop would between socket reads.
      if (i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (i === half) halfMb = heapMb();
    }
    const endMb = heapMb();
    return {
      endMb, halfMb, growthSecondHalfMb: endMb - halfMb, startMb, documents,
      simulatedHours: (clock - firstAt) / 3_600_000, active: store.activeCount, ended: store.endedCount,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    view.dispose();
    await source.stop();
  }
}

// Run by run.ts as its own process: `node --expose-gc --import tsx test/bench/heap.ts <documents>`.
if (require.main === module) {
  runHeap(Number(process.argv[2]) || 1_000_000).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.exit(1)),
  );
}
