// Pipeline throughput, tree refresh rate under a flood, and arrival-to-change latency at a steady rate:
// all three through the real feed client on loopback, fed by the frame server child process.
import { Pipeline, ArrivalHook } from './pipeline';
import { BLAST_REPORT_EVERY } from './blastLead';
import type { FrameServerProcess } from './serverProcess';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RateWindow, median, percentile } from './stats';

const RUN_TIMEOUT_MS = 60_000;

/** Resolves when `check()` is true (polled off the hot path), rejects after `ms` with `why()`. */
function until(check: () => boolean, ms: number, why: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  return new Promise((done, fail) => {
    const tick = (): void => {
      if (check()) done();
      else if (performance.now() > deadline) fail(new Error(why()));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

export interface IngestResult { rate: number; documents: number; scanned: number; changes: number; refreshes: number }

/** The same blast as the baseline, through the whole pipeline. Messages per second, first arrival to last ingest. */
export async function runIngest(server: FrameServerProcess): Promise<IngestResult> {
  const expected = server.info.frames;
  const window = new RateWindow();
  let changes = 0;
  const pipeline = new Pipeline(server.url, {
    onChange: () => { changes++; },
    afterDocument: () => {
      if (pipeline.documents === 1) window.mark();
      window.end();
      if (pipeline.documents % BLAST_REPORT_EVERY === 0) server.received(pipeline.documents);
    },
  });
  try {
    const sent = server.request({ type: 'blast' });
    await until(() => pipeline.documents >= expected, RUN_TIMEOUT_MS, () => `ingest: ${pipeline.describeProblems()} of ${expected}`);
    await sent;
    return { rate: window.rate(pipeline.documents), documents: pipeline.documents, scanned: pipeline.ingest.counts().scanned, changes, refreshes: pipeline.view.refreshes };
  } finally {
    await pipeline.stop();
  }
}

export interface FloodResult { refreshesPerS: number; documents: number; docsPerS: number; seconds: number }

/** A flood of `ms` at full speed: how many refreshes the coalescer lets through to the tree. */
export async function runFlood(server: FrameServerProcess, ms: number): Promise<FloodResult> {
  const window = new RateWindow();
  let refreshesAtStart = 0;
  const pipeline = new Pipeline(server.url, {
    afterDocument: () => {
      if (pipeline.documents === 1) {
        window.mark();
        refreshesAtStart = pipeline.view.refreshes;
      }
      window.end();
    },
  });
  try {
    const done = await server.request({ type: 'flood', ms });
    await until(() => pipeline.documents >= done.sent, RUN_TIMEOUT_MS, () => `flood: ${pipeline.describeProblems()} of ${done.sent}`);
    // Let the coalescer's trailing refresh land, as it would on screen.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refreshes = pipeline.view.refreshes - refreshesAtStart;
    const seconds = window.ms / 1000;
    return { refreshesPerS: refreshes / seconds, documents: pipeline.documents, docsPerS: window.rate(pipeline.documents), seconds };
  } finally {
    await pipeline.stop();
  }
}

export interface LatencyResult { p50: number; p99: number; max: number; samples: number; documents: number }

/** `count` frames at `rate`/s: time from each frame's ws 'message' event to the store's change event. */
export async function runLatency(server: FrameServerProcess, rate: number, count: number): Promise<LatencyResult> {
  const hook = new ArrivalHook();
  const latencies: number[] = [];
  let changedAt = 0;
  hook.install();
  const pipeline = new Pipeline(server.url, {
    // A sweep between two documents may emit too: only changes inside a document's ingest count.
    beforeDocument: () => { changedAt = 0; },
    onChange: () => {
      // Only the first change event of a document counts (the store emits one per effective ingest).
      if (changedAt === 0) changedAt = performance.now();
    },
    afterDocument: (changed) => {
      if (changed && changedAt > 0) latencies.push(changedAt - hook.last);
      changedAt = 0;
    },
  });
  try {
    const done = await server.request({ type: 'pace', rate, count });
    await until(() => pipeline.documents >= done.sent, RUN_TIMEOUT_MS, () => `latency: ${pipeline.describeProblems()} of ${done.sent}`);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), samples: latencies.length, documents: pipeline.documents };
  } finally {
    hook.uninstall();
    await pipeline.stop();
  }
}

export interface BlockResult { maxBlockMs: number; runs: number[]; documents: number; refreshes: number }

/**
 * The longest event-loop block while `count` frames arrive at once with the tree open (its provider listening
 * and refreshing as in the flood): the largest delay of a 1 ms timer, median over `runs` bursts.
 */
export async function runBurstBlock(server: FrameServerProcess, count: number, runs: number): Promise<BlockResult> {
  const maxima: number[] = [];
  let documents = 0;
  let refreshes = 0;
  for (let i = 0; i < runs; i++) {
    const pipeline = new Pipeline(server.url);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    try {
      delay.enable();
      const done = await server.request({ type: 'burst', count });
      await until(() => pipeline.documents >= done.sent, RUN_TIMEOUT_MS, () => `burst: ${pipeline.describeProblems()} of ${done.sent}`);
      // The coalescer's trailing refresh belongs to the burst too.
      await new Promise((resolve) => setTimeout(resolve, 300));
      delay.disable();
      maxima.push(delay.max / 1e6);
      documents = pipeline.documents;
      refreshes = pipeline.view.refreshes;
    } finally {
      await pipeline.stop();
    }
  }
  return { maxBlockMs: median(maxima), runs: maxima, documents, refreshes };
}
