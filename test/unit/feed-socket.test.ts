// FeedConnection against the SimulatorServer over real loopback sockets: documents from all three feeds,
// wrong token, 20 drops, stalled handshake, silent peer, oversize and garbage frames, redirects, leaks.
// Short intervals (ping 100 ms, pong timeout 200 ms, backoff 20..200 ms); assertions are on counts and on the
// delays the client recorded, never on wall-clock durations.
import { safeLine } from '../../src/shared/sanitize';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { FEED_NAMES, MAX_FRAME_BYTES, type DecodedDocument, type FeedName } from '../../src/core/types';
import { FrameIngest, type IngestTarget } from '../../src/core/ingest/frameIngest';
import { CallStore } from '../../src/core/store';
import { backoffCeiling } from '../../src/feed/backoff';
import {
  FeedConnection, FeedConnectionError, InsecureUrlError, type ConnectionStatus, type FeedConnectionOptions, type SocketOptions,
} from '../../src/feed/connection';
import { SimulatorServer } from '../../src/simulator/server';

const TOKEN = 'sim-TOKEN-5b1e0c9d77aa42';
const BACKOFF = { initialMs: 20, maxMs: 200, stableMs: 10_000 };

interface Run {
  conn: FeedConnection;
  ingest: FrameIngest;
  /** Every frame as the client handed it over. */
  frames: unknown[];
  docs: Array<{ decoded: DecodedDocument; receivedAt: number }>;
  logs: string[];
  statuses: ConnectionStatus[];
  sockets: WebSocket[];
  gaps: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(): Promise<SimulatorServer> {
  const sim = new SimulatorServer({ token: TOKEN, autoplay: false });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

/** A store whose decoded documents the run records. */
function recording(run: Run, store: IngestTarget): IngestTarget {
  return {
    ingestFacts: (feed, facts, frame, receivedAt) => store.ingestFacts(feed, facts, frame, receivedAt),
    ingest: (decoded, receivedAt) => {
      run.docs.push({ decoded, receivedAt: receivedAt! });
      return store.ingest(decoded, receivedAt);
    },
  };
}

/**
 * Connects with the sink wired as the connection controller wires it, to an ingest without the frame scanner, so
 * that every document the test sends is decoded and recorded in `docs`.
 */
function connect(baseUrl: string, overrides: Partial<FeedConnectionOptions> = {}, store: IngestTarget = new CallStore()): Run {
  const run: Run = { conn: undefined!, ingest: undefined!, frames: [], docs: [], logs: [], statuses: [], sockets: [], gaps: 0 };
  const log = (level: string) => (msg: string) => run.logs.push(`${level}: ${msg}`);
  const logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
  run.ingest = new FrameIngest(recording(run, store), { logger, scan: false });
  run.conn = new FeedConnection({
    baseUrl, token: TOKEN, feeds: FEED_NAMES, cleanText: safeLine,
    handshakeTimeoutMs: 300, pingIntervalMs: 100, pongTimeoutMs: 200, backoff: BACKOFF, closeGraceMs: 200,
    logger,
    // The real ws socket, kept so the test can check its listeners after stop().
    createSocket: (url: string, options: SocketOptions) => {
      const ws = new WebSocket(url, options);
      run.sockets.push(ws);
      return ws;
    },
    onFrame: (feed, frame, receivedAt) => {
      run.frames.push(frame);
      run.ingest.accept(feed, frame, receivedAt);
    },
    onGap: () => run.gaps++,
    ...overrides,
  });
  run.conn.onDidChangeStatus((s) => run.statuses.push(s));
  cleanups.push(() => run.conn.stop());
  run.conn.start();
  return run;
}

/** Polls until the predicate holds; the deadline only turns a hang into a readable failure. */
async function until(what: string, predicate: () => boolean, deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function doc(idCall: string): object {
  return { id_call: idCall, active: 1, time: { start: Date.now() }, call_direction: 'incoming' };
}

/** After stop(): no socket, timer or listener left, and every real socket closed with only the inert error guard. */
async function assertStoppedClean(run: Run): Promise<void> {
  await run.conn.stop();
  assert.equal(run.conn.status.state, 'disconnected');
  assert.deepEqual(run.conn.debugCounts(), { sockets: 0, timers: 0, socketListeners: 0, statusListeners: 1 });
  for (const ws of run.sockets) {
    assert.equal(ws.readyState, WebSocket.CLOSED);
    assert.deepEqual(ws.eventNames(), ['error']);
    assert.equal(ws.listenerCount('error'), 1);
  }
}

function assertNoToken(run: Run): void {
  const text = JSON.stringify([run.logs, run.statuses, run.conn.status]);
  assert.ok(!text.includes(TOKEN), 'the token must not appear in logs or statuses');
}

function assertDelaysWithinBounds(run: Run): void {
  for (const r of run.conn.debugRetries()) {
    assert.equal(r.ceilingMs, backoffCeiling(r.attempt, BACKOFF));
    assert.ok(r.delayMs >= 0 && r.delayMs <= r.ceilingMs && r.ceilingMs <= BACKOFF.maxMs, JSON.stringify(r));
  }
}

describe('FeedConnection over real sockets (SimulatorServer)', () => {
  it('connects with the right token and delivers documents from all three feeds', async () => {
    const sim = await simulator();
    const seen: Array<{ feed: FeedName; auth?: string; ext?: string }> = [];
    sim.onConnection((info) => seen.push({ feed: info.feed, auth: info.headers.authorization, ext: info.headers['sec-websocket-extensions'] as string | undefined }));
    const run = connect(`${sim.url}/`); // a trailing slash on the base is fine
    await run.conn.whenConnected(10_000);
    assert.deepEqual(seen.map((s) => s.feed).sort(), ['agents', 'calls', 'queues']);
    assert.ok(seen.every((s) => s.ext === undefined), 'per-message deflate is off by default');
    for (const feed of FEED_NAMES) sim.sendDocument(feed, doc(`c-${feed}`));
    await until('three documents', () => run.docs.length === 3);
    assert.deepEqual(run.docs.map((d) => `${d.decoded.feed}:${d.decoded.doc.id_call}`).sort(), ['agents:c-agents', 'calls:c-calls', 'queues:c-queues']);
    assert.ok(run.docs.every((d) => typeof d.receivedAt === 'number' && d.receivedAt > 0));
    assert.equal(run.conn.status.messages, 3);
    assert.equal(sim.stats.upgradeAttempts, 3);
    assert.ok(run.logs.some((l) => /Connected to ws:\/\/127\.0\.0\.1:\d+\/calls/.test(l)));
    assertNoToken(run);
    await assertStoppedClean(run);
    await until('server sees no client', () => sim.clientCount() === 0);
  });

  it('a re-sent document reaches the store as the frame bytes it already holds, and changes nothing', async () => {
    const sim = await simulator();
    const store = new CallStore();
    const applied: boolean[] = [];
    const run = connect(sim.url, {}, {
      ingestFacts: (...args) => store.ingestFacts(...args),
      ingest: (decoded, receivedAt) => {
        const r = store.ingest(decoded, receivedAt);
        applied.push(r);
        return r;
      },
    });
    await run.conn.whenConnected(10_000);
    const first = doc('c-again');
    sim.sendDocument('calls', first);
    sim.sendDocument('calls', first);
    sim.sendDocument('calls', { ...first, answered: 1 });
    await until('three frames', () => run.conn.status.messages === 3);
    assert.deepEqual(applied, [true, false, true], 'the identical re-send changed nothing');
    assert.equal(store.getCall('c-again')!.timeline.length, 2);
    assert.ok(run.frames.every((f) => Buffer.isBuffer(f)), 'ws hands over each unfragmented frame as one Buffer');
    assert.deepEqual({ ...run.ingest.counts(), rejected: undefined }, { frames: 3, scanned: 0, decoded: 3, rejected: undefined });
    await assertStoppedClean(run);
  });

  it('asks for per-message deflate only when the option is on', async () => {
    const sim = await simulator();
    const ext: Array<string | undefined> = [];
    sim.onConnection((info) => ext.push(info.headers['sec-websocket-extensions'] as string | undefined));
    const run = connect(sim.url, { perMessageDeflate: true, feeds: ['calls'] });
    await run.conn.whenConnected(10_000);
    assert.equal(ext.length, 1);
    assert.match(ext[0] ?? '', /permessage-deflate/);
    sim.sendDocument('calls', doc('z1'));
    await until('a compressed document', () => run.docs.length === 1);
    await assertStoppedClean(run);
  });

  for (const fault of ['wrong-token', 'reject-403'] as const) {
    it(`${fault}: unauthorized after one attempt per feed, no retry storm, a message that names the fix`, async () => {
      const sim = await simulator();
      if (fault === 'reject-403') sim.setFault('reject-403', true);
      const run = connect(sim.url, fault === 'wrong-token' ? { token: 'wrong-token-value' } : {});
      await assert.rejects(run.conn.whenConnected(10_000), (e: unknown) => e instanceof FeedConnectionError && e.state === 'unauthorized');
      const st = run.conn.status;
      assert.equal(st.state, 'unauthorized');
      assert.match(st.message!, /HTTP 40[13]/);
      assert.match(st.message!, /Run "Stream Liner: Set Token"/);
      // The other feeds' first upgrades may still be in flight; a retry storm at 20..200 ms backoff would show
      // up many times over in these windows.
      await sleep(400);
      const attempts = sim.stats.upgradeAttempts;
      assert.ok(attempts >= 1 && attempts <= 3, `one attempt per feed at most (got ${attempts})`);
      await sleep(600);
      assert.equal(sim.stats.upgradeAttempts, attempts, 'no further upgrade attempts');
      assert.equal(run.conn.debugRetries().length, 0);
      assert.equal(run.conn.debugCounts().sockets, 0, 'the refused upgrades did not stay CONNECTING');
      assert.ok(run.logs.some((l) => l.startsWith('error: ') && /Set Token/.test(l)));
      assertNoToken(run);
      await assertStoppedClean(run);
    });
  }

  it('recovers from 20 server drops with at most one socket per feed, bounded delays and no leaks', async () => {
    const sim = await simulator();
    let maxPerFeed = 0;
    const watch = () => {
      for (const f of FEED_NAMES) maxPerFeed = Math.max(maxPerFeed, sim.clientCount(f));
    };
    sim.onConnection(() => watch());
    const poll = setInterval(watch, 2);
    cleanups.push(() => clearInterval(poll));
    const run = connect(sim.url);
    await run.conn.whenConnected(10_000);
    const codes = [undefined, 1000, 1001, 1011, 4000];
    for (let i = 0; i < 20; i++) {
      sim.dropConnections(codes[i % codes.length]);
      await until(`all three feeds down after drop ${i + 1}`, () => run.conn.status.state !== 'connected');
      await run.conn.whenConnected(10_000);
      sim.sendDocument('calls', doc(`drop-${i}`));
    }
    clearInterval(poll);
    watch();
    await until('20 documents', () => run.docs.length === 20);
    assert.equal(maxPerFeed, 1, 'never more than one socket per feed, counted server-side');
    assert.equal(sim.stats.connections, 3 * 21);
    assert.equal(run.gaps, 3 * 20, 'every reconnect of a feed that had been connected reports a gap');
    const retries = run.conn.debugRetries();
    assert.equal(retries.length, 3 * 20, 'one retry per feed per drop');
    assertDelaysWithinBounds(run);
    // stableMs is long, so attempts keep growing and the cap is reached.
    assert.ok(retries.some((r) => r.ceilingMs === BACKOFF.maxMs));
    for (const f of FEED_NAMES) {
      assert.deepEqual(retries.filter((r) => r.feed === f).map((r) => r.attempt), Array.from({ length: 20 }, (_, i) => i), `${f}: attempts 0..19`);
    }
    assert.ok(run.logs.some((l) => /Disconnected from .*\/queues: close 1001 "simulator drop"/.test(l)));
    assertNoToken(run);
    await assertStoppedClean(run);
    await until('server sees no client', () => sim.clientCount() === 0);
  });

  it('a server closing with 1008 (policy) is retried and connects again; 4401 is a refused token', async () => {
    const sim = await simulator();
    const run = connect(sim.url);
    await run.conn.whenConnected(10_000);
    sim.dropConnections(1008);
    await until('all three feeds down after close 1008', () => run.conn.status.state !== 'connected');
    await run.conn.whenConnected(10_000);
    assert.ok(!run.statuses.some((s) => s.state === 'unauthorized'), 'close 1008 never reads as a refused token');
    assert.equal(run.conn.debugRetries().length, 3, 'one retry per feed');
    assert.ok(run.logs.some((l) => /^warn: Disconnected from .*\/calls: close 1008 "simulator drop"/.test(l)));
    sim.dropConnections(4401);
    await until('unauthorized after close 4401', () => run.conn.status.state === 'unauthorized');
    assert.match(run.conn.status.message!, /refused the statistics token \(close code 4401/);
    assertNoToken(run);
    await assertStoppedClean(run);
  });

  it('a stalled handshake is detected and retried, and connects once the server answers', async () => {
    const sim = await simulator();
    sim.setFault('stall-handshake', true);
    const run = connect(sim.url, { feeds: ['calls'] });
    await until('two handshake timeouts', () => run.conn.debugRetries().length >= 2);
    assert.ok(sim.stats.stalled >= 2);
    assert.ok(run.logs.some((l) => /no WebSocket handshake within 300 ms|Opening handshake has timed out/.test(l)), run.logs.join('\n'));
    assert.equal(run.conn.status.feeds.calls!.state === 'connected', false);
    assert.ok(run.conn.debugCounts().sockets <= 1);
    sim.setFault('stall-handshake', false);
    await run.conn.whenConnected(10_000);
    assertDelaysWithinBounds(run);
    await assertStoppedClean(run);
  });

  it('a silent peer (no pongs, no messages) is terminated after the pong timeout and retried', async () => {
    const sim = await simulator();
    sim.setFault('ignore-pings', true);
    const run = connect(sim.url, { feeds: ['agents'] });
    await run.conn.whenConnected(10_000);
    await until('a pong timeout and a reconnect', () => run.conn.debugRetries().length >= 1 && run.conn.status.state === 'connected');
    assert.ok(sim.stats.pingsReceived >= 1);
    assert.equal(sim.stats.pongsSent, 0);
    assert.ok(run.logs.some((l) => /agents: no answer to a ping within 200 ms/.test(l)));
    assert.ok(run.gaps >= 1);
    // Once the server answers again, the connection stays: pings are answered, no new retries.
    sim.setFault('ignore-pings', false);
    await run.conn.whenConnected(10_000);
    const retries = run.conn.debugRetries().length;
    const pongs = sim.stats.pongsSent;
    await until('several answered pings', () => sim.stats.pongsSent >= pongs + 3);
    assert.equal(run.conn.debugRetries().length, retries);
    await assertStoppedClean(run);
  });

  it('messages count as liveness: a peer that ignores pings but keeps sending is not dropped', async () => {
    const sim = await simulator();
    sim.setFault('ignore-pings', true);
    // A generous pong timeout so a slow machine's timer jitter cannot look like silence; messages every 20 ms.
    const run = connect(sim.url, { feeds: ['calls'], pongTimeoutMs: 1000 });
    await run.conn.whenConnected(10_000);
    const feeder = setInterval(() => sim.sendDocument('calls', doc('live')), 20);
    cleanups.push(() => clearInterval(feeder));
    await until('several unanswered pings while documents flow', () => sim.stats.pingsReceived >= 4);
    clearInterval(feeder);
    assert.equal(run.conn.debugRetries().length, 0);
    assert.equal(sim.stats.connections, 1);
    await assertStoppedClean(run);
  });

  it('an oversize frame and garbage frames are counted, and the stream continues', async () => {
    const sim = await simulator();
    const run = connect(sim.url);
    await run.conn.whenConnected(10_000);
    for (let i = 0; i < 7; i++) sim.sendRaw('queues', `garbage ${i} {`);
    sim.sendRaw('queues', '[1,2]');
    sim.sendRaw('queues', JSON.stringify({ id_call: 'x' }));
    sim.sendDocument('queues', doc('after-garbage'));
    await until('the good document after the garbage', () => run.docs.some((d) => d.decoded.doc.id_call === 'after-garbage'));
    assert.deepEqual(run.ingest.counts().rejected, { invalid_json: 7, not_an_object: 1, invalid_time_start: 1 });
    assert.equal(run.logs.filter((l) => l.startsWith('warn: Rejected a queues frame') && l.includes('invalid_json')).length, 5, 'the first 5 per reason are logged');
    sim.sendRaw('calls', Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20));
    await until('the oversize close is counted', () => run.conn.status.oversizeCloses === 1);
    await run.conn.whenConnected(10_000);
    sim.sendDocument('calls', doc('after-oversize'));
    await until('the stream continues on calls', () => run.docs.some((d) => d.decoded.doc.id_call === 'after-oversize'));
    assert.equal(run.conn.debugRetries().filter((r) => r.feed === 'calls').length, 1);
    assert.equal(run.conn.debugRetries().length, 1, 'garbage on queues did not drop it');
    assert.ok(run.logs.some((l) => /calls: a frame exceeded 1048576 bytes \(close 1009/.test(l)), run.logs.join('\n'));
    await assertStoppedClean(run);
  });

  it('a text frame with invalid UTF-8 is decoded or rejected like any frame, and the feed stays connected', async () => {
    const sim = await simulator();
    const run = connect(sim.url, { feeds: ['calls'] });
    await run.conn.whenConnected(10_000);
    const bytes = (text: string) => Buffer.from(text, 'latin1');
    // Inside a string an invalid sequence reads as U+FFFD (as toString('utf8') reads it); outside one it is not JSON.
    sim.sendRaw('calls', bytes(`{"id_call":"bad-\xff-utf8","active":1,"time":{"start":${Date.now()}}}`), true);
    sim.sendRaw('calls', bytes('{\xfe\xff}'), true);
    sim.sendDocument('calls', doc('after-utf8'));
    await until('the good document after the invalid UTF-8', () => run.docs.some((d) => d.decoded.doc.id_call === 'after-utf8'));
    assert.deepEqual(run.docs.map((d) => d.decoded.doc.id_call), ['bad-\ufffd-utf8', 'after-utf8']);
    assert.equal(run.ingest.counts().rejected.invalid_json, 1);
    assert.equal(run.conn.debugRetries().length, 0, 'the socket was not closed (ws would close it with 1007)');
    assert.equal(sim.stats.connections, 1);
    await assertStoppedClean(run);
  });

  it('never follows a redirect: a 3xx is an error and the other host never sees the token', async () => {
    let leaked = 0;
    const target: Server = createServer();
    target.on('upgrade', (_req, socket) => {
      leaked++;
      socket.destroy();
    });
    const redirector: Server = createServer();
    await Promise.all([target, redirector].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    cleanups.push(() => new Promise<void>((r) => target.close(() => r())), () => new Promise<void>((r) => redirector.close(() => r())));
    const targetPort = (target.address() as AddressInfo).port;
    redirector.on('upgrade', (req, socket) => {
      socket.end(`HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:${targetPort}${req.url}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    const run = connect(`ws://127.0.0.1:${(redirector.address() as AddressInfo).port}`, { feeds: ['calls'] });
    await assert.rejects(run.conn.whenConnected(10_000), (e: unknown) => e instanceof FeedConnectionError && e.state === 'error');
    assert.match(run.conn.status.message!, /redirect \(HTTP 302\)/);
    await sleep(300);
    assert.equal(leaked, 0);
    assert.equal(run.conn.debugRetries().length, 0);
    await assertStoppedClean(run);
  });

  it('keeps TLS verification on: a wss:// server with a self-signed certificate never sees the upgrade or the token', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available to make a test certificate');
      return;
    }
    let upgrades = 0;
    const server = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
    server.on('upgrade', (_req, socket) => {
      upgrades++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const run = connect(`wss://127.0.0.1:${(server.address() as AddressInfo).port}`, { feeds: ['calls'] });
    await until('two failed attempts', () => run.conn.debugRetries().length >= 2);
    assert.equal(upgrades, 0);
    assert.ok(run.logs.some((l) => /self[- ]signed certificate/i.test(l)), run.logs.join('\n'));
    assert.equal(run.conn.status.feeds.calls!.state === 'connected', false);
    await assertStoppedClean(run);
  });

  it('no source file of the feed clients turns TLS checks off or follows redirects', () => {
    const dir = join(__dirname, '../../src/feed');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(text, /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity/, file);
      assert.doesNotMatch(text, /followRedirects:\s*true/, file);
    }
  });

  it('refuses ws:// to a non-loopback host synchronously, before any socket or DNS lookup', () => {
    let created = 0;
    const make = (baseUrl: string) => new FeedConnection({
      baseUrl, token: TOKEN, feeds: FEED_NAMES, onFrame: () => undefined, cleanText: safeLine,
      createSocket: () => {
        created++;
        throw new Error('must not be called');
      },
    });
    for (const url of ['ws://statistics-webhook.telavox.se', 'ws://192.168.1.10:8787', 'http://127.0.0.1:1', 'ws://[::2]/']) {
      assert.throws(() => make(url), (e: unknown) => e instanceof InsecureUrlError && !e.message.includes(TOKEN) && /streamLiner\.url/.test(e.message), url);
    }
    assert.equal(created, 0);
  });
});
