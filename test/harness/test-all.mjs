// npm test: prerequisites, build, then the three tiers in order (unit, webview, vscode), each a child process whose
// output is shown as it comes and also parsed for its counts. Ends with exactly one line `N passed, N failed`.
// Fails when any tier fails, cannot run, or ran zero tests; no tier is ever skipped.
import { spawn } from 'node:child_process';
import { REPO_ROOT, build, ensureCodeServer, ensureSystemPackages } from './prerequisites.mjs';

const TIERS = [
  { name: 'unit', script: 'test:unit' },
  { name: 'webview', script: 'test:webview' },
  { name: 'vscode', script: 'test:vscode' },
];

/** Sums node:test (`ℹ pass N` / `ℹ fail N`) and mocha (`N passing` / `N failing`) summary lines. */
export function parseCounts(output) {
  let passed = 0;
  let failed = 0;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim(); // eslint-disable-line no-control-regex
    let m;
    if ((m = /^ℹ pass (\d+)$/.exec(line)) || (m = /^# pass (\d+)$/.exec(line)) || (m = /^(\d+) passing\b/.exec(line))) passed += Number(m[1]);
    else if ((m = /^ℹ fail (\d+)$/.exec(line)) || (m = /^# fail (\d+)$/.exec(line)) || (m = /^(\d+) failing\b/.exec(line))) failed += Number(m[1]);
  }
  return { passed, failed };
}

function runTier(tier) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '--silent', tier.script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('error', (err) => done({ ...tier, code: 127, passed: 0, failed: 0, ms: Date.now() - started, error: err.message }));
    child.on('close', (code, signal) => done({ ...tier, code: code ?? (signal ? 128 : 1), ...parseCounts(output), ms: Date.now() - started }));
  });
}

async function main() {
  let setupError;
  try {
    await ensureSystemPackages();
    await ensureCodeServer();
    await build();
  } catch (err) {
    setupError = err instanceof Error ? err.message : String(err);
  }
  const results = [];
  if (setupError) {
    console.error(`Setup failed: ${setupError}`);
  } else {
    for (const tier of TIERS) {
      console.log(`\n=== ${tier.name} tier (npm run ${tier.script}) ===`);
      results.push(await runTier(tier));
    }
  }
  console.log('\n=== summary ===');
  let ok = !setupError;
  for (const r of results) {
    const problems = [];
    if (r.code !== 0) problems.push(`exit code ${r.code}`);
    if (r.passed + r.failed === 0) problems.push('ran zero tests');
    if (r.failed > 0) problems.push(`${r.failed} failed`);
    if (problems.length) ok = false;
    console.log(`${r.name.padEnd(8)} ${problems.length ? 'FAIL' : 'ok  '} ${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)} s${problems.length ? ` (${problems.join(', ')})` : ''}`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  // A tier that failed without a countable failing test still has to show in the closing count.
  const uncounted = results.filter((r) => r.failed === 0 && (r.code !== 0 || r.passed === 0)).length + (setupError ? 1 : 0);
  console.log(`${passed} passed, ${failed + uncounted} failed`);
  return ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(err instanceof Error ? err.message : String(err));
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
