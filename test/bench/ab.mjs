// `node test/bench/ab.mjs <clone A> <clone B> [pairs]`: an A/B run of the ingest ratio for two clones (for example
// this one and a scratch clone with a temporary patch that turns an optimisation off). Each clone's own bench is
// built, then one throughput pair (after a warm-up pair) of A, one of B, and so on, `pairs` times (default 5): runs of
// the two alternate, so a change in the machine's speed reaches both. Prints every ratio and the medians.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a, b, pairsArg = '5'] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node test/bench/ab.mjs <clone A> <clone B> [pairs]');
  process.exit(2);
}

async function buildIn(clone) {
  const launch = await import(pathToFileURL(join(resolve(clone), 'test', 'bench', 'launch.mjs')).href);
  return launch.buildBench('throughput');
}

/** One throughput pair of `script`: its baseline/pipeline ratio. */
function ratioOf(script) {
  const run = spawnSync(process.execPath, ['--expose-gc', script, '1'], { encoding: 'utf8' });
  const match = /ratio (\d+\.\d+)\n/.exec(run.stdout);
  if (run.status !== 0 || !match) throw new Error(`${script} failed:\n${run.stdout}${run.stderr}`);
  return Number(match[1]);
}

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs) => Math.max(...xs) - Math.min(...xs);

const scripts = { A: await buildIn(a), B: await buildIn(b) };
const ratios = { A: [], B: [] };
for (let i = 0; i < Number(pairsArg); i++) {
  for (const side of ['A', 'B']) ratios[side].push(ratioOf(scripts[side]));
  console.log(`pair ${i + 1}: A ${ratios.A[i].toFixed(3)}, B ${ratios.B[i].toFixed(3)}`);
}
for (const side of ['A', 'B']) console.log(`${side}: median ${median(ratios[side]).toFixed(3)}, spread ${spread(ratios[side]).toFixed(3)} (${side === 'A' ? a : b})`);
console.log(`A - B: ${(median(ratios.A) - median(ratios.B)).toFixed(3)}`);
