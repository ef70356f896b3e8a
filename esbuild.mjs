// Four bundles: the extension host (node, cjs, `vscode` external), the feed clients it requires at the first
// connection (dist/feed.js, see src/app/feedLoader.ts), the simulator it requires only when a demo starts
// (dist/simulator.js, see src/app/simulatorLoader.ts) and the timeline webview (browser, iife).
// Usage: node esbuild.mjs [--production] [--watch]. Importing it (test/unit/bundles.test.ts) builds nothing.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild's errors in a form VS Code's problem matcher understands. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log(`[watch] build started (${build.initialOptions.outfile})`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`[watch] build finished (${build.initialOptions.outfile})`);
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcherPlugin] : [],
};

const hostOptions = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ws loads these optional native speed-ups with a try/catch; leave them out of the bundle.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
};

export const extensionOptions = { ...hostOptions, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' };

export const feedOptions = { ...hostOptions, entryPoints: ['src/app/feedBundle.ts'], outfile: 'dist/feed.js' };

export const simulatorOptions = { ...hostOptions, entryPoints: ['src/simulator/bundle.ts'], outfile: 'dist/simulator.js' };

export const webviewOptions = {
  ...common,
  entryPoints: ['webview/main.ts'],
  outfile: 'dist/webview/timeline.js',
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
};

async function main() {
  const contexts = await Promise.all([extensionOptions, feedOptions, simulatorOptions, webviewOptions].map((o) => esbuild.context(o)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    try {
      await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    } finally {
      await Promise.all(contexts.map((ctx) => ctx.dispose()));
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
