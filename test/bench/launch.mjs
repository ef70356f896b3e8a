// `npm run bench` and `npm run bench:throughput`: builds the bench with esbuild, as esbuild.mjs builds the extension
// (one bundle, `vscode` resolved to the tests' fake, test/support/vscodeFake.ts), and runs it in plain node. The pipeline is then measured as
// users run it: under tsx each of its modules kept its own module object, and every call across modules cost more
// the more modules the core was split into. Packages stay in node_modules; child processes (frame server, heap
// runs) still start from the sources. Importing this file (test/bench/ab.mjs does) builds and runs nothing.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BENCH_SRC = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(BENCH_SRC, '..', '..', 'out', 'bench');

/** The harness's own .mjs modules (Chromium, the build check) stay files of their own, required where they are. */
const harnessAsIs = {
  name: 'harness-as-is',
  setup(b) {
    b.onResolve({ filter: /\.mjs$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), external: true }));
  },
};

/** Builds test/bench/<entry>.ts of this clone to out/bench/<entry>.cjs and returns that file. */
export async function buildBench(entry) {
  const outfile = join(OUT, `${entry}.cjs`);
  await build({
    entryPoints: [join(BENCH_SRC, `${entry}.ts`)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: 'linked', alias: { vscode: join(BENCH_SRC, '..', 'support', 'vscodeFake.ts') }, packages: 'external', plugins: [harnessAsIs],
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry = 'run', ...args] = process.argv.slice(2);
  const script = await buildBench(entry);
  const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', script, ...args], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
