// The webview tier (npm run test:webview): the timeline bundle in headless Chromium, via test/webview/*.test.ts.
// Fails when there are no test files: a tier that ran nothing must never look green.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, ensureBuilt, ensureSystemPackages, run } from './prerequisites.mjs';

async function main() {
  const dir = join(REPO_ROOT, 'test', 'webview');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort() : [];
  if (files.length === 0) {
    console.error('Webview tier: no test files in test/webview/*.test.ts, so nothing was tested. FAIL.');
    return 1;
  }
  await ensureSystemPackages();
  await ensureBuilt();
  try {
    await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => join('test', 'webview', f))], { inherit: true });
    return 0;
  } catch {
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
