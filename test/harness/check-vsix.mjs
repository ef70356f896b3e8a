// Checks the packaged .vsix: size under 1 MB, only the allowed files (listed into the log), that code-server
// installs it, and that the installed simulator bundle (dist/simulator.js, required when a demo starts) runs. Usage: node test/harness/check-vsix.mjs [dist/stream-liner.vsix]
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT, ensureCodeServer, logFile, run } from './prerequisites.mjs';

const MAX_BYTES = 1024 * 1024;
// Paths inside the .vsix (vsce puts the package under extension/ and renames LICENSE to LICENSE.txt).
const ALLOWED = [
  /^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/, /^extension\/package\.nls\.json$/, /^extension\/readme\.md$/i, /^extension\/changelog\.md$/i, /^extension\/license(\.txt|\.md)?$/i,
  /^extension\/dist\/extension\.js$/, /^extension\/dist\/feed\.js$/, /^extension\/dist\/simulator\.js$/, /^extension\/dist\/webview\/[^/]+$/, /^extension\/media\/.+/,
];
const REQUIRED = ['extension/package.json', 'extension/package.nls.json', 'extension/dist/extension.js', 'extension/dist/feed.js', 'extension/dist/simulator.js'];

// Run by a fresh node on the installed dist/simulator.js: what the demo does with it (start on a loopback port, stop).
const SIMULATOR_SMOKE = `
const { SimulatorServer } = require(process.argv[1]);
const server = new SimulatorServer({ token: 'vsix-check-token', host: '127.0.0.1', port: 0 });
server.start().then(async () => { console.log('simulator bundle listening at ' + server.url); await server.stop(); });
`;

function listEntries(vsix) {
  // yauzl comes with @vscode/vsce; resolve it from there rather than depending on hoisting.
  const yauzl = createRequire(createRequire(join(REPO_ROOT, 'package.json')).resolve('@vscode/vsce/package.json'))('yauzl');
  return new Promise((done, fail) => {
    yauzl.open(vsix, { lazyEntries: true }, (err, zip) => {
      if (err) return fail(err);
      const entries = [];
      zip.on('entry', (e) => { if (!e.fileName.endsWith('/')) entries.push({ name: e.fileName, size: e.uncompressedSize }); zip.readEntry(); });
      zip.on('end', () => done(entries));
      zip.on('error', fail);
      zip.readEntry();
    });
  });
}

async function main() {
  const vsix = resolve(REPO_ROOT, process.argv[2] || 'dist/stream-liner.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist (npm run package makes it)`);
  const problems = [];
  const size = statSync(vsix).size;
  console.log(`${vsix}: ${(size / 1024).toFixed(1)} KB`);
  if (size >= MAX_BYTES) problems.push(`the .vsix is ${size} bytes, over the 1 MB limit`);
  const entries = await listEntries(vsix);
  for (const e of entries) console.log(`  ${e.name} (${e.size} B)`);
  const names = entries.map((e) => e.name);
  for (const name of names) {
    if (!ALLOWED.some((re) => re.test(name))) problems.push(`unexpected file in the .vsix: ${name}`);
    else if (name.endsWith('.map')) console.warn(`  warning: source map in the .vsix: ${name}`);
  }
  for (const name of REQUIRED) if (!names.includes(name)) problems.push(`missing from the .vsix: ${name}`);

  // Install it the way a user would, into a throwaway extensions dir.
  const bin = await ensureCodeServer();
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const tmp = mkdtempSync(join(tmpdir(), 'stream-liner-vsix-'));
  try {
    const extensionsDir = join(tmp, 'extensions');
    const env = { ...process.env, HOME: join(tmp, 'home'), XDG_CONFIG_HOME: join(tmp, 'home', '.config'), XDG_DATA_HOME: join(tmp, 'home', '.local', 'share') };
    await run(bin, ['--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'user-data'), '--install-extension', vsix], { log: logFile('check-vsix.log'), env });
    const installed = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`, 'package.json');
    if (!existsSync(installed)) problems.push(`code-server --install-extension did not create ${installed}`);
    else console.log(`installed with code-server --install-extension: ${installed}`);
    const simulator = join(dirname(installed), 'dist', 'simulator.js');
    if (existsSync(simulator)) {
      await run(process.execPath, ['-e', SIMULATOR_SMOKE, simulator], { log: logFile('check-vsix-simulator.log') })
        .then(() => console.log(`installed simulator bundle starts and stops: ${simulator}`))
        .catch((err) => problems.push(`the installed dist/simulator.js did not run: ${err instanceof Error ? err.message : String(err)}`));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (problems.length) {
    for (const p of problems) console.error(`FAIL: ${p}`);
    return 1;
  }
  console.log('vsix check: ok');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`vsix check: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
