// Size of the production extension bundle, built with the project's own esbuild.mjs into a temporary
// folder (a scratch copy of the tree made of symlinks), so the developer's dist/ keeps its source maps.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './paths';

const LINKED = ['src', 'webview', 'node_modules', 'package.json', 'tsconfig.json'];

export interface BundleResult { kb: number; webviewKb: number; buildMs: number }

/** Measures the bundle; `withBuild` runs on the built dist/ folder before it is removed. */
export function measureBundle(withBuild?: (dist: string) => void): BundleResult {
  const scratch = mkdtempSync(join(tmpdir(), 'stream-liner-bench-'));
  try {
    for (const name of LINKED) symlinkSync(join(REPO, name), join(scratch, name));
    const started = performance.now();
    const build = spawnSync(process.execPath, [join(REPO, 'esbuild.mjs'), '--production'], { cwd: scratch, encoding: 'utf8' });
    const buildMs = performance.now() - started;
    if (build.status !== 0) throw new Error(`production build failed:\n${build.stdout}${build.stderr}`);
    withBuild?.(join(scratch, 'dist'));
    return {
      kb: statSync(join(scratch, 'dist', 'extension.js')).size / 1024,
      webviewKb: statSync(join(scratch, 'dist', 'webview', 'timeline.js')).size / 1024,
      buildMs,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
