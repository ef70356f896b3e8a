// The simulator (dist/simulator.js, required when a demo starts) and the feed clients (dist/feed.js, required at the
// first connection) are bundles of their own: the extension bundle holds none of them, activation loads neither, and
// each gives what its loader expects.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { FeedModule } from '../../src/app/feedLoader';
import type { SimulatorModule } from '../../src/app/simulatorLoader';
import { activateOnce } from '../bench/activate';

const REPO = resolve(__dirname, '..', '..');

interface BundleConfig { extensionOptions: BuildOptions; feedOptions: BuildOptions; simulatorOptions: BuildOptions }

/** The project's own esbuild options (importing esbuild.mjs builds nothing). */
function bundleConfig(): Promise<BundleConfig> {
  const script = pathToFileURL(join(REPO, 'esbuild.mjs')).href;
  return import(script) as Promise<BundleConfig>;
}

async function inputsOf(options: BuildOptions): Promise<string[]> {
  const result = await build({ ...options, absWorkingDir: REPO, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  const outputs = (result.metafile as Metafile).outputs;
  const bundle = Object.keys(outputs).find((o) => o.endsWith('.js')) as string;
  return Object.keys(outputs[bundle].inputs);
}

describe('bundles', () => {
  it('dist/extension.js holds nothing of src/simulator/; dist/simulator.js holds the server', async () => {
    const config = await bundleConfig();
    const extension = await inputsOf(config.extensionOptions);
    assert.ok(extension.includes('src/extension.ts'), 'the extension entry is bundled');
    assert.deepEqual(extension.filter((p) => p.startsWith('src/simulator/')), []);
    const simulator = await inputsOf(config.simulatorOptions);
    assert.ok(simulator.includes('src/simulator/server.ts'), `simulator bundle inputs: ${simulator.join(', ')}`);
  });

  it('dist/extension.js holds nothing of src/feed/, ws or the frame scanner; dist/feed.js holds them', async () => {
    const config = await bundleConfig();
    const extension = await inputsOf(config.extensionOptions);
    const feedParts = (p: string): boolean => p.startsWith('src/feed/') || p.startsWith('src/core/scan/') || p.startsWith('node_modules/ws/');
    assert.deepEqual(extension.filter((p) => feedParts(p) && p !== 'src/feed/url.ts'), []);
    const feed = await inputsOf(config.feedOptions);
    for (const part of ['src/feed/connection.ts', 'src/core/ingest/frameIngest.ts', 'src/core/scan/frameScan.ts', 'node_modules/ws/lib/websocket.js']) {
      assert.ok(feed.includes(part), `feed bundle inputs lack ${part}`);
    }
  });

  it('activation of the built extension loads neither the simulator bundle nor the feed bundle', async () => {
    const config = await bundleConfig();
    const out = mkdtempSync(join(tmpdir(), 'stream-liner-bundles-'));
    try {
      for (const options of [config.extensionOptions, config.feedOptions, config.simulatorOptions]) {
        await build({ ...options, absWorkingDir: REPO, outfile: join(out, (options.outfile as string).replace(/^dist\//, '')), sourcemap: false, logLevel: 'silent' });
      }
      const result = activateOnce(join(out, 'extension.js'));
      assert.equal(result.simulatorLoaded, false);
      assert.equal(result.feedLoaded, false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the feed entry exports what the connection controller loads', async () => {
    const entry: FeedModule = await import('../../src/app/feedBundle');
    assert.equal(typeof entry.FeedConnection, 'function');
    assert.equal(typeof entry.FrameIngest, 'function');
  });

  it('the simulator entry exports what the demo loader expects', async () => {
    const entry: SimulatorModule = await import('../../src/simulator/bundle');
    const server = new entry.SimulatorServer({ token: 'bundle-test-token', host: '127.0.0.1', port: 0 });
    await server.start();
    try {
      assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
    } finally {
      await server.stop();
    }
  });
});
