// One activate_ms sample, in its own process (test/bench/activate.ts builds and starts it): requires the built bundle given
// as the first argument and runs its activate() against the vscode fake; prints the milliseconds as JSON.
import '../support/vscodeFake';
import { Uri } from '../support/vscodeFake';

interface Bundle { activate(context: unknown): unknown; deactivate(): Promise<void> }

async function main(): Promise<void> {
  const bundle = process.argv[2];
  const dir = Uri.file('/tmp/stream-liner-bench-activate');
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    secrets: { get: async (): Promise<undefined> => undefined, store: async (): Promise<void> => undefined, delete: async (): Promise<void> => undefined, onDidChange: () => ({ dispose: () => undefined }) },
    extensionMode: 1,
    extensionUri: dir,
    globalStorageUri: dir,
    logUri: dir,
    storageUri: undefined,
  };
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(bundle) as Bundle;
  extension.activate(context);
  const ms = performance.now() - started;
  const loaded = Object.keys(require.cache);
  const simulatorLoaded = loaded.some((path) => /[/\\]simulator\.js$|[/\\]src[/\\]simulator[/\\]/.test(path));
  const feedLoaded = loaded.some((path) => /[/\\]feed\.js$|[/\\]src[/\\]feed[/\\]|[/\\]node_modules[/\\]ws[/\\]/.test(path));
  await extension.deactivate();
  for (const d of context.subscriptions) d.dispose();
  process.stdout.write(`${JSON.stringify({ ms, simulatorLoaded, feedLoaded })}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`activate sample failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
