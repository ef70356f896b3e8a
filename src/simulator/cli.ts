// Command-line simulator: `npx tsx src/simulator/cli.ts --port 8787 --token demo --rate 30 --seed 1`.
// Prints its URL and one line per ended call; Ctrl-C / SIGTERM stop it cleanly with exit code 0.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SimulatorServer } from './server';

export const USAGE = `Stream Liner simulator: serves /calls, /queues and /agents over WebSocket on loopback.

Usage: npx tsx src/simulator/cli.ts [options]
  --port <n>            port to listen on (default 8787, 0 = any free port)
  --host <addr>         address to bind (default 127.0.0.1; loopback only unless --allow-remote)
  --token <token>       the Bearer token clients must send (default "demo")
  --rate <n>            new calls per minute (default 30)
  --seed <n>            seed for reproducible journeys (default 1)
  --time-scale <n>      run n times faster than real time (default 1)
  --max-concurrent <n>  calls in flight at most (default 50)
  --replay <file>       replay a JSONL capture ({"feed","receivedAt","data"} per line) instead of generating calls
  --speed <n>           replay speed factor (default 1; "max" = as fast as possible)
  --wait-for <n>        replay: wait until n clients are connected before starting (default 1)
  --allow-remote        allow a non-loopback --host (this is a test tool: think twice)
  --help                show this help
`;

export interface CliOptions {
  port: number; host: string; token: string; rate: number; seed: number; timeScale: number; maxConcurrent: number;
  replay?: string; speed: number; waitFor: number; allowRemote: boolean; help: boolean;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function number(name: string, raw: string | undefined, fallback: number, ok: (n: number) => boolean): number {
  if (raw === undefined) return fallback;
  const n = raw === 'max' && name === 'speed' ? Number.POSITIVE_INFINITY : Number(raw);
  if (!ok(n)) throw new Error(`invalid --${name}: ${raw}`);
  return n;
}

/** Parses argv (without node and script); throws an Error with a user-facing message on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, rate: { type: 'string' },
      seed: { type: 'string' }, 'time-scale': { type: 'string' }, 'max-concurrent': { type: 'string' },
      replay: { type: 'string' }, speed: { type: 'string' }, 'wait-for': { type: 'string' },
      'allow-remote': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const options: CliOptions = {
    port: number('port', values.port, 8787, (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
    host: values.host ?? '127.0.0.1',
    token: values.token ?? 'demo',
    rate: number('rate', values.rate, 30, (n) => Number.isFinite(n) && n >= 0),
    seed: number('seed', values.seed, 1, Number.isFinite),
    timeScale: number('time-scale', values['time-scale'], 1, (n) => Number.isFinite(n) && n > 0),
    maxConcurrent: number('max-concurrent', values['max-concurrent'], 50, (n) => Number.isInteger(n) && n > 0),
    replay: values.replay,
    speed: number('speed', values.speed, 1, (n) => n > 0),
    waitFor: number('wait-for', values['wait-for'], 1, (n) => Number.isInteger(n) && n >= 0),
    allowRemote: values['allow-remote'] ?? false,
    help: values.help ?? false,
  };
  if (options.token.trim() === '') throw new Error('--token must not be empty');
  if (!isLoopbackHost(options.host) && !options.allowRemote) {
    throw new Error(`refusing to listen on non-loopback host ${options.host}: this is a test tool (add --allow-remote to insist)`);
  }
  return options;
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    console.error(`simulator: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const server = new SimulatorServer({
    token: options.token, host: options.host, port: options.port, seed: options.seed, ratePerMinute: options.rate,
    timeScale: options.timeScale, maxConcurrent: options.maxConcurrent, autoplay: options.replay === undefined,
    log: (line) => console.log(line),
  });
  try {
    await server.start();
  } catch (err) {
    console.error(`simulator: cannot listen on ${options.host}:${options.port}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  console.log(`Stream Liner simulator at ${server.url} (/calls /queues /agents); token as given with --token. Ctrl-C stops.`);

  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`${signal}: stopping`);
      void server.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });

  if (options.replay !== undefined) {
    let lines: string[];
    try {
      lines = readFileSync(options.replay, 'utf8').split(/\r?\n/);
    } catch (err) {
      console.error(`simulator: cannot read ${options.replay}: ${err instanceof Error ? err.message : String(err)}`);
      await server.stop();
      return 1;
    }
    void (async () => {
      const waitFor = options.waitFor;
      while (server.clientCount() < waitFor) {
        const arrived = await new Promise<boolean>((resolve) => {
          const sub = server.onConnection(() => {
            sub.dispose();
            resolve(true);
          });
          void stopped.then(() => {
            sub.dispose();
            resolve(false);
          });
        });
        if (!arrived) return;
      }
      const result = await server.replay(lines, { speed: options.speed });
      console.log(`replay done: ${result.sent} frames sent, ${result.bad} bad lines skipped`);
    })();
  }
  await stopped;
  console.log('stopped');
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
