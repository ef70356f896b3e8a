// SimulatorServer over real loopback sockets: auth, paths, the three feeds, faults, raw frames, replay, stop.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { FEED_NAMES, MAX_FRAME_BYTES, type FeedName } from '../../src/core/types';
import type { SimulatorServerOptions } from '../../src/simulator/options';
import { parseReplayLine } from '../../src/simulator/replayLine';
import { SimulatorServer } from '../../src/simulator/server';
import { FakeClock } from '../support/fakeClock';
import { client, portClosed, upgradeStatus, waitFor, type TestClient } from '../support/wsClient';

const TOKEN = 'sim-token-0123456789';
const servers: SimulatorServer[] = [];
const clients: TestClient[] = [];

async function started(options: Partial<SimulatorServerOptions> = {}): Promise<SimulatorServer> {
  const s = new SimulatorServer({ token: TOKEN, port: 0, autoplay: false, ...options });
  servers.push(s);
  await s.start();
  return s;
}

function open(s: SimulatorServer, feed: FeedName, token: string | undefined = TOKEN): TestClient {
  const c = client(`${s.url}/${feed}`, token);
  clients.push(c);
  return c;
}

async function openAll(s: SimulatorServer): Promise<Record<FeedName, TestClient>> {
  const all = { calls: open(s, 'calls'), queues: open(s, 'queues'), agents: open(s, 'agents') };
  await Promise.all(Object.values(all).map((c) => c.opened));
  await waitFor(() => s.clientCount() === 3, 'three clients');
  return all;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const s of servers.splice(0)) await s.stop();
});

describe('simulator server: handshake', () => {
  it('listens on loopback with a random port and a ws:// base URL', async () => {
    const s = await started();
    assert.ok(s.port > 0);
    assert.equal(s.url, `ws://127.0.0.1:${s.port}`);
  });

  it('answers a missing or wrong token with 401, the right one with an open socket', async () => {
    const s = await started();
    const missing = await upgradeStatus(`${s.url}/calls`, {});
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
    assert.equal((await upgradeStatus(`${s.url}/calls`, { Authorization: 'Bearer wrong' })).status, 401);
    // Prefixes, extensions and other schemes of the right token are refused too.
    assert.equal((await upgradeStatus(`${s.url}/calls`, { Authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status, 401);
    assert.equal((await upgradeStatus(`${s.url}/calls`, { Authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await upgradeStatus(`${s.url}/calls`, { Authorization: `Basic ${TOKEN}` })).status, 401);
    assert.equal((await upgradeStatus(`${s.url}/calls?token=${TOKEN}`, {})).status, 401);
    assert.equal(s.stats.rejected401, 6);
    assert.equal((await upgradeStatus(`${s.url}/calls`, { Authorization: `Bearer ${TOKEN}` })).status, 101);
    assert.equal(s.stats.connections, 1);
    assert.equal(s.stats.upgradeAttempts, 7);
  });

  it('answers unknown paths with 404', async () => {
    const s = await started();
    for (const path of ['/', '/call', '/calls/x', '/queue']) {
      assert.equal((await upgradeStatus(`${s.url}${path}`, { Authorization: `Bearer ${TOKEN}` })).status, 404, path);
    }
    assert.equal(s.stats.rejected404, 4);
    assert.equal(s.stats.connections, 0);
  });

  it('reject-403 answers 403 and reject-401 answers 401 even for the right token', async () => {
    const s = await started();
    const auth = { Authorization: `Bearer ${TOKEN}` };
    s.setFault('reject-403', true);
    assert.equal((await upgradeStatus(`${s.url}/agents`, auth)).status, 403);
    s.setFault('reject-403', false);
    s.setFault('reject-401', true);
    assert.equal((await upgradeStatus(`${s.url}/agents`, auth)).status, 401);
    s.setFault('reject-401', false);
    assert.equal((await upgradeStatus(`${s.url}/agents`, auth)).status, 101);
    assert.deepEqual([s.stats.rejected403, s.stats.rejected401, s.stats.connections], [1, 1, 1]);
  });

  it('stall-handshake holds the TCP connection without answering; stop() destroys it', async () => {
    const s = await started();
    s.setFault('stall-handshake', true);
    const c = open(s, 'calls');
    await waitFor(() => s.stats.stalled === 1, 'the stalled upgrade');
    assert.equal(s.stats.upgradeAttempts, 1);
    assert.equal(c.ws.readyState, c.ws.CONNECTING);
    await s.stop();
    const closed = await c.closed;
    assert.equal(closed.opened, false, 'the handshake never completed');
    assert.equal(s.stats.connections, 0);
  });

  it('plain HTTP gets 426, and the connection log redacts the Authorization header', async () => {
    const s = await started();
    const status = await new Promise<number>((resolve, reject) => {
      request(`http://127.0.0.1:${s.port}/calls`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(status, 426);
    const seen: string[] = [];
    s.onConnection((info) => seen.push(`${info.feed} ${String(info.headers.authorization)}`));
    await open(s, 'queues').opened;
    assert.deepEqual(seen, ['queues <redacted>']);
  });
});

describe('simulator server: frames', () => {
  it('plays a generated journey on all three feeds, each frame at (at - start) / timeScale', async () => {
    const clock = new FakeClock();
    const s = await started({ clock, timeScale: 10, seed: 3 });
    const feeds = await openAll(s);
    let journey = s.playJourney()!;
    // Find a journey that touches all three feeds.
    while (!FEED_NAMES.every((f) => journey.events.some((e) => e.feed === f))) {
      clock.advance(10_000_000);
      journey = s.playJourney()!;
    }
    const ended: string[] = [];
    s.onJourneyEnded((j) => ended.push(j.idCall));
    const start = clock.delays.length;
    const moments = [...new Set(journey.events.map((e) => e.at))];
    clock.advance(10_000_000);
    assert.deepEqual(clock.delays.slice(start - moments.length, start), moments.map((at) => (at - journey.startAt) / 10));
    for (const feed of FEED_NAMES) {
      const expected = journey.events.filter((e) => e.feed === feed).map((e) => JSON.stringify(e.doc));
      const got = await waitFor(() => {
        const mine = feeds[feed].messages.filter((m) => m.data.includes(journey.idCall));
        return mine.length === expected.length ? mine : undefined;
      }, `${feed} frames`);
      assert.deepEqual(got.map((m) => m.data), expected, feed);
      assert.ok(got.every((m) => !m.binary));
    }
    assert.ok(ended.includes(journey.idCall));
    assert.equal(s.journeysInFlight, 0);
  });

  it('autoplay starts journeys at the given rate, never more than maxConcurrent at once', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const s = await started({ clock, autoplay: true, ratePerMinute: 600, maxConcurrent: 3, log: (l) => lines.push(l) });
    assert.equal(clock.delays.length, 1, 'the first arrival is scheduled at start');
    let peak = 0;
    for (let i = 0; i < 600; i++) {
      clock.advance(1000);
      peak = Math.max(peak, s.journeysInFlight);
    }
    assert.equal(peak, 3);
    assert.ok(s.stats.journeysSkipped > 0);
    assert.ok(s.stats.journeysEnded > 0);
    // One summary line per ended call.
    assert.equal(lines.filter((l) => l.startsWith('call ')).length, s.stats.journeysEnded);
    // Arrivals average 60000 / rate ms apart: about 6000 in ten simulated minutes (seeded, so stable).
    const arrivals = s.stats.journeysStarted + s.stats.journeysSkipped;
    assert.ok(arrivals > 5000 && arrivals < 7000, String(arrivals));
  });

  it('sendRaw delivers non-JSON and oversize text frames as-is, and Buffers as binary', async () => {
    const s = await started();
    const feeds = await openAll(s);
    const big = 'x'.repeat(MAX_FRAME_BYTES + 1);
    s.sendRaw('calls', 'not json {');
    s.sendRaw('calls', big);
    s.sendRaw('queues', Buffer.from('{"a":1}'));
    s.sendDocument('agents', { id_call: 'c1', active: 1, time: { start: 1 } });
    await waitFor(() => feeds.calls.messages.length === 2 && feeds.queues.messages.length === 1 && feeds.agents.messages.length === 1, 'frames');
    assert.equal(feeds.calls.messages[0].data, 'not json {');
    assert.equal(feeds.calls.messages[1].data.length, MAX_FRAME_BYTES + 1);
    assert.deepEqual(feeds.queues.messages[0], { data: '{"a":1}', binary: true });
    assert.deepEqual(JSON.parse(feeds.agents.messages[0].data), { id_call: 'c1', active: 1, time: { start: 1 } });
    assert.equal(s.stats.framesSent, 4);
  });

  it('answers pings, and stops answering them under ignore-pings', async () => {
    const s = await started();
    const c = open(s, 'calls');
    await c.opened;
    await waitFor(() => s.clientCount('calls') === 1, 'client');
    c.ws.ping();
    await waitFor(() => c.pongs === 1, 'pong');
    assert.equal(s.stats.pongsSent, 1);

    s.setFault('ignore-pings', true);
    c.ws.ping();
    await waitFor(() => s.stats.pingsReceived === 2, 'the second ping to arrive');
    // Anything the server sends after handling the ping arrives after its pong, if there were one.
    s.sendRaw('calls', 'after-ping');
    await waitFor(() => c.messages.length === 1, 'the marker frame');
    assert.deepEqual(c.order, ['pong', 'message']);
    assert.equal(s.stats.pongsSent, 1);
  });

  it('dropConnections closes with a code, or terminates (1006) without one', async () => {
    const s = await started();
    let feeds = await openAll(s);
    s.dropConnections(4001);
    for (const c of Object.values(feeds)) assert.equal((await c.closed).code, 4001);
    await waitFor(() => s.clientCount() === 0, 'no clients');
    feeds = await openAll(s);
    s.dropConnections();
    for (const c of Object.values(feeds)) assert.equal((await c.closed).code, 1006);
  });

  it('stop() closes every socket and timer and frees the port', async () => {
    const clock = new FakeClock();
    const s = await started({ clock, autoplay: true });
    const feeds = await openAll(s);
    s.playJourney();
    assert.ok(clock.pending > 0);
    await s.stop();
    assert.equal(clock.pending, 0);
    for (const c of Object.values(feeds)) assert.equal((await c.closed).code, 1006);
    assert.equal(await portClosed(s.port), true);
    assert.equal(s.playJourney(), undefined);
  });
});

describe('simulator server: replay', () => {
  const lines = [
    JSON.stringify({ feed: 'calls', receivedAt: 1000, data: { id_call: 'r1', active: 1, time: { start: 1 } } }),
    'this is not json',
    JSON.stringify({ feed: 'nope', receivedAt: 1100, data: {} }),
    JSON.stringify({ feed: 'queues', receivedAt: 'soon', data: {} }),
    JSON.stringify({ feed: 'agents', receivedAt: 1200, data: 42 }),
    JSON.stringify(['calls', 1, {}]),
    '',
    JSON.stringify({ feed: 'queues', receivedAt: 1500, data: 'raw {not json' }),
    JSON.stringify({ feed: 'agents', receivedAt: 3500, data: { id_call: 'r1', active: 0, time: { start: 1, end: 2 } } }),
  ];

  it('parseReplayLine accepts only {feed, receivedAt, data}', () => {
    assert.deepEqual(parseReplayLine(lines[7]), { feed: 'queues', receivedAt: 1500, data: 'raw {not json' });
    assert.equal(parseReplayLine(lines[0])?.data, '{"id_call":"r1","active":1,"time":{"start":1}}');
    for (const bad of [1, 2, 3, 4, 5]) assert.equal(parseReplayLine(lines[bad]), undefined, lines[bad]);
  });

  it('sends good lines as-is or as JSON, keeps the gaps divided by speed, counts and skips bad lines', async () => {
    const clock = new FakeClock(true);
    const s = await started({ clock });
    const feeds = await openAll(s);
    const result = await s.replay(lines, { speed: 2 });
    assert.deepEqual(result, { sent: 3, bad: 5 });
    assert.deepEqual(clock.delays, [250, 1000]);
    await waitFor(() => feeds.agents.messages.length === 1, 'the last frame');
    assert.deepEqual(feeds.calls.messages.map((m) => m.data), ['{"id_call":"r1","active":1,"time":{"start":1}}']);
    assert.deepEqual(feeds.queues.messages.map((m) => m.data), ['raw {not json']);
    assert.equal(JSON.parse(feeds.agents.messages[0].data).active, 0);
    assert.deepEqual([s.stats.replayedFrames, s.stats.replayBadLines], [3, 5]);
  });

  it('speed Infinity sends without waiting; stop() ends a replay that is waiting', async () => {
    const clock = new FakeClock();
    const s = await started({ clock });
    assert.deepEqual(await s.replay(lines, { speed: Infinity }), { sent: 3, bad: 5 });
    assert.deepEqual(clock.delays, []);
    const pending = s.replay(lines, { speed: 1 });
    await waitFor(() => clock.pending === 1, 'the replay to wait for its first gap');
    await s.stop();
    assert.deepEqual(await pending, { sent: 1, bad: 5 });
  });
});
