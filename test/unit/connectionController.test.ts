// The application layer without VS Code: the connection controller's demo lifecycle (the simulator loaded on
// demand, its calls cleared when it stops), its sweep policy (a timer only while a connection exists and is
// connected or has calls) and the token's origin check, with the real feed clients and simulator in plain node.
import * as assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ConnectionController, type ControllerDeps } from '../../src/app/connectionController';
import * as feedSource from '../../src/app/feedBundle';
import { Log } from '../../src/app/log';
import { readSettings } from '../../src/app/settings';
import * as simulatorSource from '../../src/simulator/bundle';
import { asCalls, callsDoc } from '../support/storeJourney';

interface Timers { running: Map<number, { fn: () => void; ms: number }>; next: number }

function harness(over: Partial<ControllerDeps> = {}) {
  const lines: string[] = [];
  const write = (m: string) => { lines.push(m); };
  const log = new Log({ info: write, warn: write, error: write, debug: write, trace: write, dispose: () => undefined });
  const timers: Timers = { running: new Map(), next: 1 };
  const contexts: string[] = [];
  const controller = new ConnectionController({
    log, settings: () => readSettings({ get: () => undefined, inspect: () => undefined }), setContext: (s) => contexts.push(s),
    setInterval: (fn, ms) => { const id = timers.next++; timers.running.set(id, { fn, ms }); return id; },
    clearInterval: (id) => { timers.running.delete(id as number); },
    loadFeed: () => feedSource, loadSimulator: () => simulatorSource, ...over,
  });
  const sweeps = () => [...timers.running.values()].filter((t) => t.ms === 1000).length;
  return { controller, lines, timers, contexts, sweeps };
}

describe('connection controller (src/app/, no VS Code)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a demo starts the simulator on loopback, connects to it, and stops it with its calls on disconnect', async () => {
    let loads = 0;
    const h = harness({ loadSimulator: () => { loads++; return simulatorSource; } });
    cleanups.push(() => h.controller.dispose());
    assert.equal(loads, 0, 'nothing loaded before a demo');
    const connection = await h.controller.startDemo();
    await connection.whenConnected(10_000);
    assert.equal(loads, 1);
    assert.equal(h.controller.state, 'connected');
    assert.equal(h.controller.isDemo, true);
    assert.match(h.controller.demoSimulator!.url, /^ws:\/\/127\.0\.0\.1:\d+/);
    assert.equal(h.controller.status.demo, true);
    assert.equal(h.contexts.at(-1), 'connected');
    assert.equal(h.sweeps(), 1, 'connected: the sweep runs');
    h.controller.store.ingest(asCalls(callsDoc('demo-call')), Date.now());
    assert.equal(h.controller.store.activeCount, 1);

    await h.controller.disconnect();
    assert.equal(h.controller.state, 'disconnected');
    assert.equal(h.controller.isDemo, false);
    assert.equal(h.controller.demoSimulator, undefined);
    assert.equal(h.controller.store.activeCount, 0, "the demo's calls are not left in the views");
    assert.equal(h.sweeps(), 0, 'no connection: no sweep');
    assert.equal(h.contexts.at(-1), 'disconnected');
    assert.ok(h.lines.some((l) => l === 'Demo simulator stopped.'), h.lines.join('\n'));
  });

  it('no sweep timer while nothing is connected, even with calls in the store', () => {
    const h = harness();
    cleanups.push(() => h.controller.dispose());
    h.controller.store.ingest(asCalls(callsDoc('c1')), Date.now());
    assert.equal(h.sweeps(), 0);
  });

  it('refuses to send a token to another origin, before any socket', async () => {
    let loads = 0;
    const h = harness({ loadFeed: () => { loads++; return feedSource; } });
    cleanups.push(() => h.controller.dispose());
    await assert.rejects(
      h.controller.connect({ baseUrl: 'wss://elsewhere.example', tokenOrigin: 'wss://stats.example', token: 'tok-123456', feeds: ['calls'], perMessageDeflate: false }),
      /The token for wss:\/\/stats\.example is not sent to wss:\/\/elsewhere\.example/,
    );
    assert.equal(loads, 0, 'the feed bundle is not even loaded');
    assert.equal(h.controller.state, 'disconnected');
  });
});
