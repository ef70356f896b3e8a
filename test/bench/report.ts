// The benchmark's output: targets, the readable table (with pass/MISSED per row), the one-line JSON object
// and the README-ready markdown snippet with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const METRICS = [
  'baseline_msgs_per_s', 'ingest_msgs_per_s', 'ingest_ratio', 'tree_refreshes_per_s', 'tree_build_ms_10k',
  'latency_p99_ms', 'heap_mb_end', 'heap_growth_second_half_mb', 'heap_mb_hostile', 'webview_render_ms_500', 'bundle_kb',
  'activate_ms', 'max_block_ms',
] as const;
export type Metric = (typeof METRICS)[number];
/** null = the measurement could not run (the reason is in `errors`). */
export type Results = Record<Metric, number | null>;

interface Target { op: '>=' | '<='; value: number }
export const TARGETS: Partial<Record<Metric, Target>> = {
  ingest_ratio: { op: '>=', value: 0.7 },
  ingest_msgs_per_s: { op: '>=', value: 50_000 },
  tree_refreshes_per_s: { op: '<=', value: 5 },
  tree_build_ms_10k: { op: '<=', value: 20 },
  latency_p99_ms: { op: '<=', value: 5 },
  heap_mb_end: { op: '<=', value: 150 },
  heap_growth_second_half_mb: { op: '<=', value: 10 },
  heap_mb_hostile: { op: '<=', value: 300 },
  webview_render_ms_500: { op: '<=', value: 100 },
  bundle_kb: { op: '<=', value: 400 },
  activate_ms: { op: '<=', value: 15 },
  max_block_ms: { op: '<=', value: 30 },
};

const LABELS: Record<Metric, string> = {
  baseline_msgs_per_s: 'Baseline: bare ws + JSON.parse (msgs/s)',
  ingest_msgs_per_s: 'Ingest: feed client -> store -> view (msgs/s)',
  ingest_ratio: 'Ingest / baseline',
  tree_refreshes_per_s: 'Tree refreshes during a 10 s flood (/s)',
  tree_build_ms_10k: 'Tree model build, 10k calls / 50 queues (ms)',
  latency_p99_ms: 'Arrival -> change event p99 at 1,000 msgs/s (ms)',
  heap_mb_end: 'Heap + buffers after 1M documents (MB)',
  heap_growth_second_half_mb: 'Heap + buffers growth, 500k -> 1M documents (MB)',
  heap_mb_hostile: 'Heap + buffers, hostile server: 200k calls, 200 x 1 MB (MB)',
  webview_render_ms_500: 'Timeline render, 500 entries (ms)',
  bundle_kb: 'Production extension bundle (KB)',
  activate_ms: 'Require + activate() of the production bundle (ms)',
  max_block_ms: 'Longest event-loop block, 20k-frame burst, tree open (ms)',
};

/** Decimal places per metric in the JSON and the table. */
const DECIMALS: Record<Metric, number> = {
  baseline_msgs_per_s: 0, ingest_msgs_per_s: 0, ingest_ratio: 3, tree_refreshes_per_s: 2, tree_build_ms_10k: 2,
  latency_p99_ms: 3, heap_mb_end: 1, heap_growth_second_half_mb: 2, heap_mb_hostile: 1, webview_render_ms_500: 1, bundle_kb: 1,
  activate_ms: 1, max_block_ms: 1,
};

export function round(metric: Metric, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** DECIMALS[metric];
  return Math.round(value * f) / f;
}

export type Verdict = 'pass' | 'MISSED' | 'FAILED' | '';

export function verdict(metric: Metric, value: number | null): Verdict {
  const target = TARGETS[metric];
  if (value === null) return 'FAILED';
  if (!target) return '';
  return (target.op === '>=' ? value >= target.value : value <= target.value) ? 'pass' : 'MISSED';
}

/**
 * The bench's exit status: 0 when every target is met, 2 when a measurement ran but missed its target (so a script
 * or a person can tell a miss from a pass without reading the table), 1 when a measurement could not run.
 */
export function exitStatus(results: Results, errors: readonly string[]): 0 | 1 | 2 {
  const verdicts = METRICS.map((m) => verdict(m, round(m, results[m])));
  if (errors.length > 0 || verdicts.includes('FAILED')) return 1;
  return verdicts.includes('MISSED') ? 2 : 0;
}

function format(metric: Metric, value: number | null): string {
  if (value === null) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: DECIMALS[metric], maximumFractionDigits: DECIMALS[metric] });
}

interface Row { metric: Metric; label: string; value: string; target: string; ratio: string; result: Verdict }

function rows(results: Results): Row[] {
  return METRICS.map((metric) => {
    const value = round(metric, results[metric]);
    const target = TARGETS[metric];
    const ratio = target && value !== null ? `${(value / target.value).toFixed(2)}x` : '';
    return {
      metric, label: LABELS[metric], value: format(metric, value),
      target: target ? `${target.op} ${target.value.toLocaleString('en-US')}` : '', ratio, result: verdict(metric, value),
    };
  });
}

/** Plain-text table for the terminal, followed by the notes (run details, errors). */
export function table(results: Results, notes: readonly string[]): string {
  const header: Row = { metric: 'bundle_kb', label: 'Metric', value: 'Value', target: 'Target', ratio: 'x Target', result: '' };
  const all = [header, ...rows(results)];
  const w = (pick: (r: Row) => string) => Math.max(...all.map((r) => pick(r).length));
  const widths = [w((r) => r.label), w((r) => r.value), w((r) => r.target), w((r) => r.ratio)];
  const line = (r: Row, result: string) =>
    `${r.label.padEnd(widths[0])}  ${r.value.padStart(widths[1])}  ${r.target.padEnd(widths[2])}  ${r.ratio.padStart(widths[3])}  ${result}`;
  const out = [line(header, 'Result'), '-'.repeat(widths.reduce((a, b) => a + b + 2, 0) + 6)];
  for (const r of rows(results)) out.push(line(r, r.result));
  const missed = rows(results).filter((r) => r.result === 'MISSED' || r.result === 'FAILED');
  out.push('');
  out.push(missed.length === 0 ? 'All targets met.' : `MISSED: ${missed.map((r) => `${r.metric} (${r.result === 'FAILED' ? 'could not run' : `${r.value}, target ${r.target}`})`).join('; ')}`);
  if (notes.length) out.push('', ...notes.map((n) => `  ${n}`));
  return out.join('\n');
}

/** The JSON object: exactly the metric fields, nothing else. */
export function json(results: Results): string {
  const obj: Record<string, number | null> = {};
  for (const metric of METRICS) obj[metric] = round(metric, results[metric]);
  return JSON.stringify(obj);
}

export function machineInfo(): { nproc: string; cpu: string; node: string; date: string } {
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing: os.cpus() is the next best count.
  }
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux.
  }
  return { nproc, cpu, node: process.version, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
}

/** README-ready markdown: the machine, then the table. */
export function markdown(results: Results, notes: readonly string[]): string {
  const m = machineInfo();
  const out = [
    '<!-- Written by `npm run bench` (test/bench/run.ts); the last run on the machine below. -->',
    `Benchmark run ${m.date}: ${m.nproc} cores (\`nproc\`), ${m.cpu}, Node ${m.node}.`,
    '',
    '| Metric | Value | Target | x Target | Result |',
    '| --- | ---: | --- | ---: | --- |',
  ];
  for (const r of rows(results)) out.push(`| ${r.label} | ${r.value} | ${r.target.replace('>=', '≥').replace('<=', '≤')} | ${r.ratio} | ${r.result} |`);
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}
