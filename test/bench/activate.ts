// activate_ms: the built extension bundle required and activated against the vscode stub, each sample in a
// fresh process (a module cache that already holds the bundle would hide the cost a user pays); median of five.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './stats';

export interface ActivateResult { medianMs: number; samples: number[]; simulatorLoaded: boolean }

export function measureActivate(bundle: string, samples = 5): ActivateResult {
  const times: number[] = [];
  let simulatorLoaded = false;
  for (let i = 0; i < samples; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'activateSample.ts'), bundle], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`activate sample failed:\n${child.stdout}${child.stderr}`);
    const sample = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { ms: number; simulatorLoaded: boolean };
    times.push(sample.ms);
    simulatorLoaded ||= sample.simulatorLoaded;
  }
  return { medianMs: median(times), samples: times, simulatorLoaded };
}
