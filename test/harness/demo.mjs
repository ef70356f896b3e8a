// npm run demo: the product with its built-in simulator, in a throwaway workspace whose settings start the demo.
// With a `code` CLI on PATH it opens desktop VS Code on it; otherwise it serves VS Code in the browser through
// code-server (same cache as the tests) and prints the one URL to open. Ctrl-C / SIGTERM stop it cleanly (exit 0).
// Options: --port N (or PORT=N) to choose the port; --no-build to skip the build.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT, build, ensureCodeServer, freePort, logFile, onPath, prepareProfile, startCodeServer, workbenchQuery, writeFileMkdir } from './prerequisites.mjs';

const DEMO_FOLDER = join(CACHE_DIR, 'demo-workspace');
const DEMO_SETTINGS = { 'streamLiner.demo.startOnOpen': true };

function requestedPort() {
  const i = process.argv.indexOf('--port');
  const value = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Not a port number: ${value}`);
  return port;
}

async function desktop(code) {
  writeFileMkdir(join(DEMO_FOLDER, '.vscode', 'settings.json'), `${JSON.stringify(DEMO_SETTINGS, null, 2)}\n`);
  console.log(`Stream Liner demo: opening VS Code (${code}) on ${DEMO_FOLDER}; the Stream Liner view fills with simulated calls.`);
  const child = spawn(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, DEMO_FOLDER], { stdio: 'inherit' });
  return new Promise((done) => child.on('close', (c) => done(c ?? 0)));
}

async function browser() {
  await ensureCodeServer();
  const { userDataDir, extensionsDir, folder } = prepareProfile({
    root: join(CACHE_DIR, 'demo'), folder: DEMO_FOLDER, workspaceSettings: DEMO_SETTINGS,
  });
  const port = requestedPort() ?? (await freePort());
  const server = await startCodeServer({ port, userDataDir, extensionsDir, folder, log: logFile('demo-code-server.log') });
  let stopping;
  const stop = (signal) => {
    stopping ??= (async () => {
      console.log(`\nStream Liner demo: ${signal}, stopping code-server (pid ${server.pid})...`);
      await server.stop();
      console.log('Stream Liner demo: stopped.');
    })();
    return stopping;
  };
  const done = new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal).then(() => resolve(0)));
    // npm runs us under `sh -c`; if a signal kills only that shell we are orphaned: stop rather than leak code-server.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop('parent exited').then(() => resolve(0));
    }, 1000).unref();
  });
  console.log(`Stream Liner demo: open ${server.url}${workbenchQuery(folder)}`);
  console.log('  Click the Stream Liner icon in the activity bar: the built-in simulator starts by itself and the Calls view');
  console.log('  fills with live simulated calls grouped by queue; the status bar shows the connection. Ctrl-C to stop.');
  return done;
}

async function main() {
  if (!process.argv.includes('--no-build')) await build();
  const code = onPath('code');
  return code ? desktop(code) : browser();
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`Stream Liner demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
