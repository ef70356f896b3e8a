// Shared harness helpers: system packages, the code-server cache, starting/stopping code-server, headless Chromium.
// Everything is idempotent and cached under .vscode-test/ so a fresh clone sets itself up and a warm one skips.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
export const CACHE_DIR = join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = join(CACHE_DIR, 'code-server');
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM_PATH = process.env.STREAM_LINER_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
const RIPGREP_CACHE = join(process.env.TMPDIR || tmpdir(), 'vscode-ripgrep-cache-1.15.11');

/** Debian packages the tiers need, each with a cheap presence check that works without dpkg. */
const SYSTEM_PACKAGES = [
  { name: 'chromium', present: () => existsSync(CHROMIUM_PATH) },
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h') },
  { name: 'libxkbfile-dev', present: () => existsSync('/usr/include/X11/extensions/XKBfile.h') },
  { name: 'libsecret-1-dev', present: () => existsSync('/usr/include/libsecret-1/libsecret/secret.h') },
  { name: 'ripgrep', present: () => onPath('rg') !== undefined },
  { name: 'build-essential', present: () => onPath('make') !== undefined && onPath('g++') !== undefined },
  { name: 'python3', present: () => existsSync('/usr/bin/python3') },
  { name: 'python3-websockets', present: () => spawnSync('/usr/bin/python3', ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0 },
];

export function onPath(command) {
  for (const dir of (process.env.PATH || '').split(':')) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

export function logFile(name) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, name);
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs a command with its output appended to `log` (quiet); on failure prints the log's tail and throws.
 * `inherit: true` streams the output instead (for the test tiers themselves).
 */
export async function run(command, args, { log, cwd = REPO_ROOT, env = process.env, inherit = false } = {}) {
  const started = Date.now();
  if (log) appendFileSync(log, `\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd, env, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  if (!inherit) {
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => log && appendFileSync(log, d));
  }
  const code = await new Promise((done) => {
    child.on('error', (err) => {
      if (log) appendFileSync(log, `spawn error: ${err.message}\n`);
      done(127);
    });
    child.on('close', (c, signal) => done(c ?? (signal ? 128 : 1)));
  });
  if (code !== 0) {
    if (log) console.error(`--- last lines of ${log} ---\n${tail(log)}\n---`);
    throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
  }
  return Date.now() - started;
}

/** Installs the missing Debian packages when root with apt-get; elsewhere stops with the exact command. */
export async function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    throw new Error(`Missing system packages: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${install}`);
  }
  const log = logFile('prerequisites.log');
  console.log(`Installing system packages: ${missing.join(' ')} (log: ${log})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { log, env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { log, env });
  const still = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (still.length) throw new Error(`apt-get ran but these are still missing: ${still.join(', ')}`);
}

/** True when the cached code-server is complete (its native modules were built by the install scripts). */
export function codeServerInstalled() {
  const pkg = join(CODE_SERVER_DIR, 'node_modules', 'code-server');
  const vscodeModules = join(pkg, 'lib', 'vscode', 'node_modules');
  try {
    if (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version !== CODE_SERVER_VERSION) return false;
  } catch {
    return false;
  }
  return existsSync(CODE_SERVER_BIN)
    && existsSync(join(vscodeModules, 'node-pty', 'build', 'Release', 'pty.node'))
    && existsSync(join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg'));
}

/** Installs code-server into .vscode-test/code-server unless it is already there (about 40 s, 300 MB). */
export async function ensureCodeServer() {
  if (codeServerInstalled()) return CODE_SERVER_BIN;
  await ensureSystemPackages();
  const log = logFile('code-server-install.log');
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about a minute; log: ${log})`);
  // @vscode/ripgrep would download rg from GitHub: hand it Debian's rg through its cache instead.
  const rgTarball = join(RIPGREP_CACHE, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(rgTarball)) {
    const rg = onPath('rg');
    if (!rg) throw new Error('ripgrep (rg) is missing: apt-get install -y ripgrep');
    mkdirSync(RIPGREP_CACHE, { recursive: true });
    await run('tar', ['czf', rgTarball, '-C', dirname(rg), 'rg'], { log });
  }
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  const env = { ...process.env, npm_config_yes: 'true' };
  await run('npm', ['i', '--prefix', CODE_SERVER_DIR, `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--foreground-scripts', '--no-audit', '--no-fund'], { log, env });
  if (!codeServerInstalled()) throw new Error(`code-server install finished but is incomplete; see ${log}`);
  return CODE_SERVER_BIN;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portOpen(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(true));
    server.listen(port, '127.0.0.1', () => server.close(() => done(false)));
  });
}

/** Builds dist/ with esbuild.mjs (quiet; log under test-results/). */
export async function build() {
  return run(process.execPath, ['esbuild.mjs'], { log: logFile('build.log') });
}

/** Copies the packaged files of the built extension into `<extensionsDir>/<publisher>.<name>-<version>`. */
export function installBuiltExtension(extensionsDir) {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'dist'), { recursive: true });
  for (const file of ['package.json', 'package.nls.json']) copyFileSync(join(REPO_ROOT, file), join(target, file));
  for (const bundle of ['extension.js', 'feed.js', 'simulator.js']) copyFileSync(join(REPO_ROOT, 'dist', bundle), join(target, 'dist', bundle));
  for (const dir of ['dist/webview', 'media']) {
    if (existsSync(join(REPO_ROOT, dir))) cpSync(join(REPO_ROOT, dir), join(target, dir), { recursive: true });
  }
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(REPO_ROOT, file))) copyFileSync(join(REPO_ROOT, file), join(target, file));
  }
  return target;
}

/**
 * Starts code-server on 127.0.0.1 with its own HOME, waits for /healthz, and returns a handle whose stop()
 * kills it by pid. Output goes to `log` (default test-results/code-server.log). Every folder is trusted unless
 * `workspaceTrust` is true (then the user settings must also enable security.workspace.trust.enabled).
 */
export async function startCodeServer({
  port, userDataDir, extensionsDir, folder, env = {}, log = logFile('code-server.log'), timeoutMs = 60000, workspaceTrust = false,
} = {}) {
  const bin = await ensureCodeServer();
  port = port || (await freePort());
  const home = join(userDataDir, '..', `${userDataDir.split('/').pop()}-home`);
  for (const dir of [userDataDir, extensionsDir, home]) mkdirSync(dir, { recursive: true });
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (folder) args.push(folder);
  appendFileSync(log, `\n$ code-server ${args.join(' ')}\n`);
  const child = spawn(bin, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() also ends its extension host and pty children
  });
  child.stdout.on('data', (d) => appendFileSync(log, d));
  child.stderr.on('data', (d) => appendFileSync(log, d));
  let exited = false;
  const exitedPromise = new Promise((done) => child.on('exit', () => { exited = true; done(); }));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exitedPromise;
      clearTimeout(timer);
    }
    // Its extension host may outlive it briefly; wait until the port is really closed.
    for (let i = 0; i < 50 && (await portOpen(port)); i++) await sleep(100);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      console.error(`--- last lines of ${log} ---\n${tail(log)}\n---`);
      throw new Error('code-server exited during start-up');
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${log}`);
    }
    await sleep(200);
  }
  return { url, port, pid: child.pid, stop, log };
}

/** Launches Debian's Chromium headless through playwright-core. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) await ensureSystemPackages();
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** `?folder=...&payload=...` query for a workbench URL; payload entries are [key, value] pairs. */
export function workbenchQuery(folder, payload) {
  const params = [];
  if (folder) params.push(`folder=${encodeURIComponent(folder)}`);
  if (payload && payload.length) params.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return params.length ? `/?${params.join('&')}` : '/';
}

/** True when any `sources` file (or folder, recursively by mtime of its files) is newer than `output`. */
export function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const newer = (path) => {
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs > built;
    return spawnSync('find', [path, '-newer', output, '-type', 'f', '-print', '-quit'], { encoding: 'utf8' }).stdout.trim() !== '';
  };
  return sources.some((s) => existsSync(s) && newer(s));
}

/** Builds dist/ only when missing or older than its sources. */
export async function ensureBuilt() {
  const sources = ['src', 'webview', 'esbuild.mjs', 'package.json'].map((s) => join(REPO_ROOT, s));
  const outputs = ['dist/extension.js', 'dist/webview/timeline.js'].map((s) => join(REPO_ROOT, s));
  if (outputs.some((o) => isStale(o, sources))) await build();
}

/** User settings that keep a test or demo workbench quiet and deterministic. */
export const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  // The workspaces live inside this repository: keep Git's "open parent repository?" prompt away.
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
};

/**
 * Lays out a code-server profile under `root` (user-data, extensions with the built extension installed) and a
 * workspace folder with the given workspace settings. `fresh` wipes `root` first.
 */
export function prepareProfile({ root, folder = join(root, 'workspace'), workspaceSettings = {}, userSettings = {}, fresh = true }) {
  if (fresh) rmSync(root, { recursive: true, force: true });
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  writeFileMkdir(join(folder, '.vscode', 'settings.json'), `${JSON.stringify(workspaceSettings, null, 2)}\n`);
  writeFileMkdir(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...QUIET_USER_SETTINGS, ...userSettings }, null, 2)}\n`);
  mkdirSync(extensionsDir, { recursive: true });
  installBuiltExtension(extensionsDir);
  return { userDataDir, extensionsDir, folder };
}

/** Writes a file, creating its folder. */
export function writeFileMkdir(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

// CLI: `node test/harness/prerequisites.mjs [--system] [--code-server]` (both when no flag); runs before `npm ci`
// too, as this file imports only Node built-ins at load time.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flags = process.argv.slice(2);
  const all = flags.length === 0;
  (async () => {
    if (all || flags.includes('--system')) await ensureSystemPackages();
    if (all || flags.includes('--code-server')) await ensureCodeServer();
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
