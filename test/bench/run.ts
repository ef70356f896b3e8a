// `npm run bench [-- --json]`: the Stream Liner benchmark suite. Prints a table with pass/MISSED per target
// and, with --json, one JSON object with exactly the metric fields on the last line. Exit 0 when every target
// is met, 2 when one is missed, 1 when a measurement could not run (report.ts exitStatus).
// Phases run one after the other so they never share the two cores: bundle, throughput (baseline and
// pipeline runs alternating), latency, tree flood, tree build, heap and hostile heap (own processes), webview render.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureActivate } from './activate';
import { measureBundle } from './bundle';
import type { HeapResult } from './heap';
import type { HostileResult } from './hostile';
import { runBurstBlock, runFlood, runLatency } from './ingest';
import { runPairs } from './pairs';
import { METRICS, exitStatus, json, markdown, table, type Results } from './report';
import { FrameServerProcess } from './serverProcess';
import { median } from './stats';
import { runTreeBuild } from './treeBuild';
import { BENCH_SRC, REPO } from './paths';
import { measureWebviewRender } from './webviewRender';

const JOURNEYS = 12_000;
// Five, not the three the issue asks at least: the machine is shared, and one slow minute moves a median of three.
const THROUGHPUT_RUNS = 5;
const LATENCY_RATE = 1000;
const LATENCY_FRAMES = 10_000;
const FLOOD_MS = 10_000;
const HEAP_DOCUMENTS = 1_000_000;
const BURST_FRAMES = 20_000;
const BURST_RUNS = 3;

const asJson = process.argv.includes('--json');
const results = Object.fromEntries(METRICS.map((m) => [m, null])) as Results;
const notes: string[] = [];
const errors: string[] = [];

/** Progress goes to stderr so stdout stays the table (and the JSON line). */
function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function phase(name: string, body: () => Promise<void> | void): Promise<void> {
  const started = performance.now();
  progress(`${name}…`);
  try {
    await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    errors.push(`${name}: ${message}`);
    progress(`${name} could not run: ${message}`);
  }
  progress(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function throughputPhases(): Promise<void> {
  let server: FrameServerProcess | undefined;
  await phase('frame server', async () => {
    server = await FrameServerProcess.start(JOURNEYS);
    const i = server.info;
    notes.push(`Stream: ${fmt(i.frames)} frames of ${fmt(JOURNEYS)} simulator journeys (calls ${fmt(i.perFeed.calls)}, queues ${fmt(i.perFeed.queues)}, ` +
      `agents ${fmt(i.perFeed.agents)}), ${fmt(i.bytes / 1e6, 1)} MB, mean frame ${fmt(i.bytes / i.frames)} bytes; generated in ${fmt(i.generateMs / 1000, 1)} s.`);
  });
  if (!server) return;
  const s = server;
  try {
    await phase(`throughput (${THROUGHPUT_RUNS} baseline and ${THROUGHPUT_RUNS} pipeline runs, alternating, after one warm-up each)`, async () => {
      const { base, ingest, last = { documents: 0, scanned: 0, changes: 0, refreshes: 0 } } = await runPairs(s, THROUGHPUT_RUNS,
        (i, b, r) => progress(`  run ${i + 1}: baseline ${fmt(b)}/s, pipeline ${fmt(r.rate)}/s`));
      results.baseline_msgs_per_s = median(base);
      results.ingest_msgs_per_s = median(ingest);
      results.ingest_ratio = median(ingest) / median(base);
      notes.push(`Baseline runs (msgs/s): ${base.map((v) => fmt(v)).join(', ')}; pipeline runs: ${ingest.map((v) => fmt(v)).join(', ')} (medians used).`);
      // The machine's speed can change between runs; the ratio within each adjacent pair shows whether it did.
      notes.push(`Ratio within each baseline/pipeline pair: ${ingest.map((v, i) => fmt(v / base[i], 3)).join(', ')}.`);
      notes.push(`Last pipeline run: ${fmt(last.documents)} documents (${fmt(last.scanned)} of them read by the frame scanner, the others decoded), ${fmt(last.changes)} store change events, ${last.refreshes} tree refreshes; filter active.`);
    });
    await phase(`latency (${fmt(LATENCY_FRAMES)} frames at ${fmt(LATENCY_RATE)}/s)`, async () => {
      const r = await runLatency(s, LATENCY_RATE, LATENCY_FRAMES);
      results.latency_p99_ms = r.p99;
      notes.push(`Latency: p50 ${fmt(r.p50, 3)} ms, p99 ${fmt(r.p99, 3)} ms, max ${fmt(r.max, 2)} ms over ${fmt(r.samples)} change events (${fmt(r.documents)} documents).`);
    });
    await phase(`tree flood (${FLOOD_MS / 1000} s)`, async () => {
      const r = await runFlood(s, FLOOD_MS);
      results.tree_refreshes_per_s = r.refreshesPerS;
      notes.push(`Flood: ${fmt(r.documents)} documents in ${fmt(r.seconds, 1)} s (${fmt(r.docsPerS)}/s), ${fmt(r.refreshesPerS, 2)} tree refreshes/s.`);
    });
    await phase(`event-loop block (${BURST_RUNS} bursts of ${fmt(BURST_FRAMES)} frames)`, async () => {
      const r = await runBurstBlock(s, BURST_FRAMES, BURST_RUNS);
      results.max_block_ms = r.maxBlockMs;
      notes.push(`Longest event-loop block per ${fmt(BURST_FRAMES)}-frame burst with the tree open: ${r.runs.map((v) => fmt(v, 1)).join(', ')} ms (median used); last burst ${fmt(r.documents)} documents, ${r.refreshes} tree refreshes.`);
    });
  } finally {
    await s.stop();
  }
}

/** Each heap run gets its own process, so nothing of the other phases is on its heap. */
function inChild<R>(script: string, args: string[] = []): Promise<R> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(BENCH_SRC, script), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    let result: R | undefined;
    child.on('message', (msg: { ok: true; result: R } | { ok: false; error: string }) => {
      if (msg.ok) result = msg.result;
      else fail(new Error(msg.error));
    });
    child.on('error', fail);
    child.on('exit', (code) => (result ? done(result) : fail(new Error(`${script} exited with ${code}`))));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  await phase('production bundle', () => {
    const b = measureBundle((dist) => {
      const a = measureActivate(join(dist, 'extension.js'));
      results.activate_ms = a.medianMs;
      notes.push(`Activation: require + activate() of the production bundle, one fresh process each: ${a.samples.map((v) => fmt(v, 1)).join(', ')} ms (median used); simulator loaded at activation: ${a.simulatorLoaded ? 'yes' : 'no'}.`);
    });
    results.bundle_kb = b.kb;
    notes.push(`Bundle: dist/extension.js ${fmt(b.kb, 1)} KB, dist/webview/timeline.js ${fmt(b.webviewKb, 1)} KB (production build ${fmt(b.buildMs / 1000, 1)} s).`);
  });
  await throughputPhases();
  await phase('tree build', () => {
    const r = runTreeBuild();
    results.tree_build_ms_10k = r.medianMs;
    notes.push(`Tree build: ${fmt(r.rows)} rows; median of ${r.builds} builds with the provider's node cache ${fmt(r.medianMs, 2)} ms ` +
      `(first, cold ${fmt(r.coldMs, 2)} ms), each node described; model only ${fmt(r.modelOnlyMs, 2)} ms.`);
  });
  await phase(`heap (${fmt(HEAP_DOCUMENTS)} documents)`, async () => {
    const r = await inChild<HeapResult>('heap.ts', [String(HEAP_DOCUMENTS)]);
    results.heap_mb_end = r.endMb;
    results.heap_growth_second_half_mb = r.growthSecondHalfMb;
    notes.push(`Heap: ${fmt(r.startMb, 1)} MB before, ${fmt(r.halfMb, 1)} MB at 500k, ${fmt(r.endMb, 1)} MB at ${fmt(r.documents)} documents ` +
      `(${fmt(r.simulatedHours, 1)} simulated hours; ${r.active} active / ${r.ended} ended calls kept; ${fmt(r.seconds, 1)} s).`);
  });
  await phase('hostile heap (200,000 calls, then 200 documents of 1 MB for one call)', async () => {
    const r = await inChild<HostileResult>('hostile.ts');
    results.heap_mb_hostile = r.endMb;
    notes.push(`Hostile heap: ${fmt(r.startMb, 1)} MB before, ${fmt(r.afterCallsMb, 1)} MB after 200,000 calls, ${fmt(r.endMb, 1)} MB after 200 x 1 MB ` +
      `(${fmt(r.documents)} documents through FeedConnection; ${fmt(r.active)} active / ${fmt(r.ended)} ended calls kept; the large call keeps ` +
      `${r.bigTimeline} entries, ${r.bigTimelineDropped} dropped; ${fmt(r.seconds, 1)} s).`);
  });
  await phase('webview render', async () => {
    const r = await measureWebviewRender();
    results.webview_render_ms_500 = r.medianMs;
    notes.push(`Webview: ${r.entries} timeline entries rendered from a ${fmt(r.snapshotKb, 1)} KB snapshot message (JSON); median of ${r.runs} renders ${fmt(r.medianMs, 1)} ms (runs: ${r.all.map((v) => fmt(v, 1)).join(', ')}); to the end of the frame after, as measured until 2026-12-03: median ${fmt(r.nextFrameMedianMs, 1)} ms.`);
  });
  notes.push(`Total bench time ${fmt((performance.now() - started) / 1000, 1)} s.`);
  for (const e of errors) notes.push(`ERROR ${e}`);
  const text = table(results, notes);
  process.stdout.write(`${text}\n`);
  // The last report goes to an ignored folder, so benchmarking leaves the clone clean.
  const reportDir = join(REPO, 'test-results', 'bench');
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(join(reportDir, 'last-run.md'), markdown(results, notes));
  if (asJson) process.stdout.write(`${json(results)}\n`);
  return exitStatus(results, errors);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench could not run: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
