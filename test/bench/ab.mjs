// `node test/bench/ab.mjs <clone A> <clone B> [runs] [pairs]`: an A/B run of the ingest ratio for two clones (for
// example this one and a scratch clone with a temporary patch that turns an optimisation off). Each clone's own bench
// is built; then a run of A, a run of B, and so on, `runs` times each (default 4), where a run is a fresh process that
// makes one warm-up pair and then `pairs` measured baseline/pipeline pairs (default 3). Runs of the two alternate, so a
// change in the machine's speed reaches both, and which goes first alternates too (A B, B A, A B, …): the second run
// of a pair measured higher than the first in most pairs. Prints every ratio, the medians and the spreads.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a, b, runsArg = '4', pairsArg = '3'] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node test/bench/ab.mjs <clone A> <clone B> [runs] [pairs]');
  process.exit(2);
}

async function buildIn(clone) {
  const launch = await import(pathToFileURL(join(resolve(clone), 'test', 'bench', 'launch.mjs')).href);
  return launch.buildBench('throughput');
}

/** One run of `script`: the ratio of each measured baseline/pipeline pair. */
function ratiosOf(script) {
  const run = spawnSync(process.execPath, ['--expose-gc', script, pairsArg], { encoding: 'utf8' });
  const ratios = [...run.stdout.matchAll(/^pair \d+: .* ratio (\d+\.\d+)$/gm)].map((m) => Number(m[1]));
  if (run.status !== 0 || ratios.length !== Number(pairsArg)) throw new Error(`${script} failed:\n${run.stdout}${run.stderr}`);
  return ratios;
}

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs) => Math.max(...xs) - Math.min(...xs);

const scripts = { A: await buildIn(a), B: await buildIn(b) };
const ratios = { A: [], B: [] };
for (let i = 0; i < Number(runsArg); i++) {
  for (const side of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    const got = ratiosOf(scripts[side]);
    ratios[side].push(...got);
    console.log(`run ${i + 1} ${side}: ${got.map((r) => r.toFixed(3)).join(', ')}`);
  }
}
for (const side of ['A', 'B']) console.log(`${side}: median ${median(ratios[side]).toFixed(3)}, spread ${spread(ratios[side]).toFixed(3)} over ${ratios[side].length} pairs (${side === 'A' ? a : b})`);
console.log(`A - B: ${(median(ratios.A) - median(ratios.B)).toFixed(3)}`);
