// activate_ms: the built extension bundle required and activated against the vscode fake, each sample in a
// fresh plain-node process (a module cache that already holds the bundle would hide the cost a user pays, and a
// TypeScript loader such as tsx would add its own transform of the bundle); median of five.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_SRC } from './paths';
import { median } from './stats';

export interface ActivateSample { ms: number; simulatorLoaded: boolean; feedLoaded: boolean }
export interface ActivateResult { medianMs: number; samples: number[]; simulatorLoaded: boolean }

/** Runs `body` with activateSample.ts and the vscode fake built to plain JavaScript (the fake its own file, as it resolves `vscode` to itself). */
function withSampleScript<T>(body: (script: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'stream-liner-activate-'));
  try {
    buildSync({
      entryPoints: [join(BENCH_SRC, 'activateSample.ts'), join(BENCH_SRC, '..', 'support', 'vscodeFake.ts')], outdir: dir,
      outbase: join(BENCH_SRC, '..'), bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      external: ['../support/vscodeFake'], logLevel: 'silent',
    });
    return body(join(dir, 'bench', 'activateSample.js'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runSample(script: string, bundle: string): ActivateSample {
  const child = spawnSync(process.execPath, [script, bundle], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`activate sample failed:\n${child.stdout}${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as ActivateSample;
}

/** One sample: require + activate() of `bundle` in a fresh process. */
export function activateOnce(bundle: string): ActivateSample {
  return withSampleScript((script) => runSample(script, bundle));
}

export function measureActivate(bundle: string, samples = 5): ActivateResult {
  return withSampleScript((script) => {
    const runs = Array.from({ length: samples }, () => runSample(script, bundle));
    return { medianMs: median(runs.map((r) => r.ms)), samples: runs.map((r) => r.ms), simulatorLoaded: runs.some((r) => r.simulatorLoaded) };
  });
}
