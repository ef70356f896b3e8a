// `npm run demo` end to end: it prints one URL, the workbench there shows simulated calls in the Stream Liner
// tree, and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it with exit code 0 and the port closed.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { REPO_ROOT, launchChromium, logFile, portOpen } from '../harness/prerequisites.mjs';
import { openViewContainer, screenshot, treeRows, waitForTreeRows } from './workbench';

const URL_LINE = /^Stream Liner demo: open (http:\/\/127\.0\.0\.1:(\d+)\/\S*)$/m;

let demo: ChildProcess | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close().catch(() => undefined);
  const child = demo;
  if (child && child.exitCode === null && child.signalCode === null && child.pid) {
    // Ask nicely first: only the launcher knows to stop code-server (its own process group); SIGKILL would leak it.
    const gone = new Promise((done) => child.once('exit', done));
    try { process.kill(-child.pid, 'SIGINT'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 20000);
    await gone;
    clearTimeout(timer);
  }
});

test('npm run demo serves the product with simulated calls and stops cleanly on Ctrl-C', async () => {
  // PORT unset so the launcher picks a free port; its own group so SIGINT reaches npm and node like a terminal's Ctrl-C.
  const env = { ...process.env };
  delete env.PORT;
  const child = spawn('npm', ['run', '--silent', 'demo'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  demo = child;
  let output = '';
  child.stdout?.on('data', (d) => { output += d; });
  child.stderr?.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 120 s; output:\n${output}`)), 120000);
    const check = () => {
      const m = URL_LINE.exec(output);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout?.on('data', check);
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`demo exited early; output:\n${output}`)); });
  });
  const url = match[1];
  const port = Number(match[2]);
  assert.equal(output.split('\n').filter((l) => l.startsWith('Stream Liner demo: open ')).length, 1, 'exactly one URL line');

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
    await openViewContainer(page, 'Stream Liner');
    // Calls arrive from the simulator: group rows, and call rows below them (expand a group if it is collapsed).
    let rows = await waitForTreeRows(page, 1, 60000);
    if (!rows.some((r) => r.level >= 2)) {
      await page.locator('.part.sidebar .monaco-list-row[role="treeitem"][aria-expanded="false"]').first().click();
      await page.locator('.part.sidebar .monaco-list-row[role="treeitem"][aria-level="2"]').first().waitFor({ timeout: 30000 });
      rows = await treeRows(page);
    }
    assert.ok(rows.some((r) => r.level >= 2 && r.label !== ''), `expected call rows under a group; rows: ${JSON.stringify(rows)}`);
    await screenshot(page, 'demo-calls');
  } catch (err) {
    await screenshot(page, 'failure-demo');
    throw err;
  } finally {
    await browser.close();
    browser = undefined;
    writeFileSync(logFile('demo-output.log'), output);
  }

  process.kill(-child.pid!, 'SIGINT');
  const code = await Promise.race([exited, new Promise<string>((done) => setTimeout(() => done('timeout'), 30000))]);
  assert.equal(code, 0, `demo exit code; output:\n${output}`);
  assert.equal(await portOpen(port), false, `port ${port} still open after the demo stopped`);
});
