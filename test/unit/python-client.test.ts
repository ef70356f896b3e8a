// An independent client like the playbook's Example 1 (Python websockets 10.4, Debian's python3-websockets)
// against the simulator: all three feeds with only `Authorization: Bearer <token>`, and 401 for a wrong token.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FEED_NAMES } from '../../src/core/types';
import type { ConnectionInfo } from '../../src/simulator/options';
import { SimulatorServer } from '../../src/simulator/server';
import { FakeClock } from '../support/fakeClock';
import { waitFor } from '../support/wsClient';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(resolve(__dirname, '../..'), 'test/support/python_client.py');
const TOKEN = 'py-client-token-1337';

interface FeedResult { status: number; documents: number; id_calls: string[]; non_json: number }

function runClient(url: string, token: string): { done: Promise<Record<string, FeedResult>> } {
  const child = spawn(PYTHON, [SCRIPT, url, token], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Record<string, FeedResult>>((res, rej) => {
    child.once('error', rej);
    child.once('exit', (code) => {
      if (code !== 0) rej(new Error(`python client exited ${code}: ${out}${err}`));
      else res(JSON.parse(out) as Record<string, FeedResult>);
    });
  });
  return { done };
}

/** Never skip: a missing module fails the test with the fix in the message. */
function requirePythonWebsockets(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import websockets; print(websockets.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    assert.fail(`${PYTHON} cannot import websockets (${probe.error?.message ?? probe.stderr.trim()}): run apt-get install -y python3-websockets`);
  }
}

describe('independent Python websockets client', () => {
  const clock = new FakeClock();
  const server = new SimulatorServer({ token: TOKEN, port: 0, autoplay: false, clock, seed: 4 });
  const connections: ConnectionInfo[] = [];

  before(async () => {
    await server.start();
    server.onConnection((info) => connections.push(info));
  });

  after(async () => {
    await server.stop();
  });

  it('receives all three feeds sending only Authorization: Bearer <token>', async () => {
    requirePythonWebsockets();
    const py = runClient(server.url, TOKEN);
    await waitFor(() => server.clientCount() === 3, 'the Python client on all three feeds');
    const sent = new Map<string, number>(FEED_NAMES.map((f) => [f, 0]));
    const ids = new Set<string>();
    // Play journeys until every feed has carried documents.
    while ([...sent.values()].some((n) => n === 0)) {
      const j = server.playJourney()!;
      ids.add(j.idCall);
      for (const e of j.events) sent.set(e.feed, sent.get(e.feed)! + 1);
      clock.advance(24 * 3600 * 1000);
    }
    for (const f of FEED_NAMES) server.sendRaw(f, '__end__');
    const result = await py.done;
    for (const f of FEED_NAMES) {
      assert.equal(result[f].status, 101, f);
      assert.equal(result[f].documents, sent.get(f), `${f}: every document arrived and parsed as JSON`);
      assert.equal(result[f].non_json, 0);
      assert.ok(result[f].id_calls.every((id) => ids.has(id)), f);
    }
    assert.equal(connections.length, 3);
    for (const c of connections) {
      assert.equal(c.headers.authorization, '<redacted>', 'the token came in the Authorization header');
      assert.equal(c.headers.cookie, undefined);
    }
    assert.equal(server.stats.rejected401, 0);
  });

  it('gets HTTP 401 with a wrong token', async () => {
    requirePythonWebsockets();
    const before401 = server.stats.rejected401;
    const result = await runClient(server.url, 'not-the-token').done;
    for (const f of FEED_NAMES) assert.equal(result[f].status, 401, f);
    assert.equal(server.stats.rejected401 - before401, 3);
  });
});
