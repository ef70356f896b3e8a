#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, where VS Code cannot be
// downloaded: it takes the same arguments (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, an optional folder), runs the suite in code-server + headless Chromium, and exits with the
// suite's code, reported by the workbench through codeAutomationExit.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CACHE_DIR, launchChromium, logFile, startCodeServer, workbenchQuery } from './prerequisites.mjs';

const TIMEOUT_MS = Number(process.env.STREAM_LINER_VSCODE_TIMEOUT_MS || 300000);

function parseArgs(argv) {
  const out = { developmentPaths: [], folder: undefined, testsPath: undefined, userDataDir: undefined, extensionsDir: undefined };
  for (const arg of argv) {
    const [flag, ...rest] = arg.split('=');
    const value = rest.join('=');
    if (flag === '--extensionDevelopmentPath') out.developmentPaths.push(resolve(value));
    else if (flag === '--extensionTestsPath') out.testsPath = resolve(value);
    else if (flag === '--user-data-dir') out.userDataDir = resolve(value);
    else if (flag === '--extensions-dir') out.extensionsDir = resolve(value);
    else if (!arg.startsWith('-')) out.folder = resolve(arg);
    // Desktop-only flags (--no-sandbox, --disable-updates, ...) mean nothing to code-server.
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.testsPath || args.developmentPaths.length === 0) {
    console.error('usage: code-server-exec.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [FOLDER]');
    return 2;
  }
  // runTests defaults the test module path to a folder (its index.js); code-server wants the file.
  let testsPath = args.testsPath;
  if (existsSync(testsPath) && statSync(testsPath).isDirectory()) testsPath = join(testsPath, 'index.js');
  const userDataDir = args.userDataDir || join(CACHE_DIR, 'user-data');
  const extensionsDir = args.extensionsDir || join(CACHE_DIR, 'extensions');
  const folder = args.folder || join(CACHE_DIR, 'workspace-vscode');
  mkdirSync(folder, { recursive: true });

  // The suite (test/vscode/suite/index.ts) writes its reporter lines here; we echo them as they arrive.
  const resultsFile = logFile('vscode-integration.log');
  writeFileSync(resultsFile, '');
  const consoleLog = logFile('vscode-browser-console.log');
  writeFileSync(consoleLog, '');
  rmSync(join(userDataDir, 'User', 'workspaceStorage'), { recursive: true, force: true });

  const server = await startCodeServer({
    userDataDir, extensionsDir, folder,
    env: { STREAM_LINER_TEST_OUTPUT: resultsFile },
    log: logFile('code-server-vscode-tier.log'),
  });
  const browser = await launchChromium();
  let printed = 0;
  const pump = () => {
    const text = readFileSync(resultsFile, 'utf8');
    if (text.length > printed) {
      process.stdout.write(text.slice(printed));
      printed = text.length;
    }
  };
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => appendFileSync(consoleLog, `[${msg.type()}] ${msg.text()}\n`));
    let resolveExit;
    const exited = new Promise((done) => { resolveExit = done; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    const authority = `127.0.0.1:${server.port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [
      ...args.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(testsPath)],
    ];
    await page.goto(`${server.url}${workbenchQuery(folder, payload)}`);
    const timedOut = sleep(TIMEOUT_MS).then(() => 'timeout');
    let code = 1;
    for (;;) {
      const r = await Promise.race([exited, timedOut, sleep(250).then(() => 'tick')]);
      pump();
      if (r === 'tick') continue;
      if (r === 'timeout') {
        console.error(`The extension-host suite did not finish within ${TIMEOUT_MS} ms.`);
        await page.screenshot({ path: logFile('vscode-tier-timeout.png') }).catch(() => undefined);
      } else {
        code = r;
      }
      break;
    }
    if (code !== 0) {
      // Known harmless noise offline: open-vsx / telemetry lookups and missing optional workbench files.
      const noise = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|status of 404|extension-host test\(s\) failed/;
      const lines = readFileSync(consoleLog, 'utf8').split('\n').filter((l) => l.startsWith('[error]') && !noise.test(l)).slice(-20);
      if (lines.length) console.error(`--- browser console errors (full: ${consoleLog}) ---\n${lines.join('\n')}`);
    }
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
