// The real-VS-Code tier (npm run test:vscode): the extension-host suite through @vscode/test-electron's runTests,
// then the Playwright UI tests against code-server. Offline by default: runTests launches code-server-exec.mjs in
// place of a downloaded VS Code. STREAM_LINER_VSCODE=download uses a downloaded desktop VS Code instead.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { CACHE_DIR, REPO_ROOT, ensureBuilt, ensureCodeServer, ensureSystemPackages, run } from './prerequisites.mjs';

const SUITE_SRC = join(REPO_ROOT, 'test', 'vscode', 'suite');
const SUITE_OUT = join(REPO_ROOT, 'out', 'test', 'vscode', 'suite');
const UI_DIR = join(REPO_ROOT, 'test', 'ui');

async function compileSuite() {
  const entries = readdirSync(SUITE_SRC).filter((f) => f.endsWith('.ts')).map((f) => join(SUITE_SRC, f));
  if (!entries.some((f) => f.endsWith('.test.ts'))) throw new Error(`No extension-host test files in ${SUITE_SRC}`);
  await esbuild.build({
    entryPoints: entries, outdir: SUITE_OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: true, external: ['vscode', 'mocha'], logLevel: 'warning',
  });
}

async function integration() {
  const download = process.env.STREAM_LINER_VSCODE === 'download';
  const options = {
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: join(SUITE_OUT, 'index.js'),
    launchArgs: [join(CACHE_DIR, 'workspace-vscode')],
  };
  if (!download) options.vscodeExecutablePath = join(REPO_ROOT, 'test', 'harness', 'code-server-exec.mjs');
  console.log(`Extension-host suite (${download ? 'downloaded VS Code' : `offline: code-server in headless Chromium`})`);
  try {
    await runTests(options);
    return true;
  } catch (err) {
    console.error(`Extension-host suite failed: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

async function ui() {
  const files = readdirSync(UI_DIR).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'ui', f));
  if (files.length === 0) {
    console.error('No UI test files in test/ui/');
    return false;
  }
  console.log(`UI tests: ${files.join(' ')}`);
  try {
    await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { inherit: true });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  await ensureSystemPackages();
  await ensureCodeServer();
  await ensureBuilt();
  await compileSuite();
  const only = process.env.STREAM_LINER_VSCODE_ONLY; // 'integration' | 'ui' while iterating
  const okIntegration = only === 'ui' ? true : await integration();
  const okUi = only === 'integration' ? true : await ui();
  return okIntegration && okUi ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
