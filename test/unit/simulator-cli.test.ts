// The simulator CLI: argument parsing, and a real process that serves, prints per-call lines and stops on signals.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { isLoopbackHost, parseCliArgs } from '../../src/simulator/cli';
import { client, portClosed, waitFor } from '../support/wsClient';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'src/simulator/cli.ts');
const TOKEN = 'cli-secret-token-4242';
const children: ChildProcess[] = [];

interface Run { child: ChildProcess; out: () => string; err: () => string; exit: Promise<{ code: number | null; signal: string | null }> }

function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return { child, out: () => out, err: () => err, exit };
}

after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('simulator CLI arguments', () => {
  it('has the documented defaults', () => {
    const o = parseCliArgs([]);
    assert.deepEqual(
      [o.port, o.host, o.token, o.rate, o.seed, o.timeScale, o.replay, o.speed, o.allowRemote, o.help],
      [8787, '127.0.0.1', 'demo', 30, 1, 1, undefined, 1, false, false],
    );
    const p = parseCliArgs(['--port', '9000', '--token', 't', '--rate', '12', '--seed', '5', '--time-scale', '10', '--replay', 'f.jsonl', '--speed', 'max']);
    assert.deepEqual([p.port, p.token, p.rate, p.seed, p.timeScale, p.replay, p.speed], [9000, 't', 12, 5, 10, 'f.jsonl', Infinity]);
  });

  it('refuses bad numbers, unknown options and a non-loopback host unless --allow-remote', () => {
    assert.throws(() => parseCliArgs(['--port', 'http']), /--port/);
    assert.throws(() => parseCliArgs(['--time-scale', '0']), /--time-scale/);
    assert.throws(() => parseCliArgs(['--rate', '-1']), /--rate/);
    assert.throws(() => parseCliArgs(['--bogus']));
    assert.throws(() => parseCliArgs(['--token', ' ']), /token/);
    assert.throws(() => parseCliArgs(['--host', '0.0.0.0']), /non-loopback/);
    assert.equal(parseCliArgs(['--host', '0.0.0.0', '--allow-remote']).host, '0.0.0.0');
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '192.168.1.2', 'example.com', '::', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('simulator CLI process', () => {
  it('--help prints usage and exits 0; a remote --host exits 2 without listening', async () => {
    const help = run(['--help']);
    assert.deepEqual(await help.exit, { code: 0, signal: null });
    assert.match(help.out(), /Usage: npx tsx src\/simulator\/cli\.ts/);
    assert.match(help.out(), /--time-scale/);
    const remote = run(['--host', '192.0.2.1', '--port', '0']);
    assert.equal((await remote.exit).code, 2);
    assert.match(remote.err(), /refusing to listen on non-loopback host/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`serves generated calls, prints one line per ended call, and ${signal} exits 0 with the port closed`, async () => {
      const r = run(['--port', '0', '--token', TOKEN, '--rate', '600', '--time-scale', '200', '--seed', '2']);
      const url = await waitFor(() => /at (ws:\/\/127\.0\.0\.1:\d+)/.exec(r.out())?.[1], 'the URL line');
      const port = Number(new URL(url).port);
      const c = client(`${url}/calls`, TOKEN);
      await c.opened;
      await waitFor(() => c.messages.length > 0, 'a calls frame');
      await waitFor(() => /^call \d\d:\d\d:\d\d [0-9a-f]{8} \S+ /m.test(r.out()), 'a per-call summary line');
      r.child.kill(signal);
      assert.deepEqual(await r.exit, { code: 0, signal: null });
      assert.equal((await c.closed).opened, true);
      assert.equal(await portClosed(port), true);
      assert.ok(!r.out().includes(TOKEN) && !r.err().includes(TOKEN), 'the token is never printed');
    });
  }

  it('--replay sends a JSONL capture once a client is connected and reports bad lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    try {
      const file = join(dir, 'capture.jsonl');
      writeFileSync(file, [
        JSON.stringify({ feed: 'calls', receivedAt: 1, data: { id_call: 'x1', active: 1, time: { start: 1 } } }),
        '{broken',
        JSON.stringify({ feed: 'calls', receivedAt: 2, data: 'raw-frame' }),
      ].join('\n'));
      const r = run(['--port', '0', '--token', TOKEN, '--replay', file, '--speed', 'max']);
      const url = await waitFor(() => /at (ws:\/\/127\.0\.0\.1:\d+)/.exec(r.out())?.[1], 'the URL line');
      const c = client(`${url}/calls`, TOKEN);
      await waitFor(() => c.messages.length === 2, 'the replayed frames');
      assert.deepEqual(c.messages.map((m) => m.data), ['{"id_call":"x1","active":1,"time":{"start":1}}', 'raw-frame']);
      await waitFor(() => r.out().includes('replay done: 2 frames sent, 1 bad lines skipped'), 'the replay summary');
      r.child.kill('SIGINT');
      assert.equal((await r.exit).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
