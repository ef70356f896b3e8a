// The throughput measurement both the full bench (run.ts) and the A/B runs (throughput.ts) take: one warm-up run of
// each, then `pairs` baseline/pipeline pairs, alternating, on the same frame server.
import { runBaseline } from './baseline';
import { runIngest, type IngestResult } from './ingest';
import type { FrameServerProcess } from './serverProcess';

export interface PairsResult { base: number[]; ingest: number[]; last: IngestResult | undefined }

/** Runs the pairs; `onPair` hears each one as it ends (its index, the baseline's rate, the pipeline's result). */
export async function runPairs(
  server: FrameServerProcess, pairs: number, onPair: (i: number, base: number, r: IngestResult) => void = () => undefined,
): Promise<PairsResult> {
  await runBaseline(server);
  await runIngest(server);
  const out: PairsResult = { base: [], ingest: [], last: undefined };
  for (let i = 0; i < pairs; i++) {
    const base = await runBaseline(server);
    const r = await runIngest(server);
    out.base.push(base);
    out.ingest.push(r.rate);
    out.last = r;
    onPair(i, base, r);
  }
  return out;
}
