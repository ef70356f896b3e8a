// The feed client's state machine with fake sockets and a manual clock: backoff (bounds, cap, reset after
// stableMs), one socket per feed, handshake guard, heartbeat, auth handling, the frame sink, stop() and leaks.
import { safeLine } from '../../src/shared/sanitize';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { FeedName, SocketFrame } from '../../src/core/types';
import { MAX_FRAME_BYTES } from '../../src/core/types';
import { backoffCeiling } from '../../src/feed/backoff';
import { FeedClient, FeedConnectionError, TURN_BUDGET_MS } from '../../src/feed/client';
import { aggregateState } from '../../src/feed/status';
import type { ConnectionStatus, FeedConnectionOptions, SocketOptions } from '../../src/feed/types';
import { InsecureUrlError } from '../../src/feed/url';
import { FakeClock } from '../support/fakeClock';
import { FORBIDDEN_CHARACTERS } from '../support/hostileCorpus';

const TOKEN = 'tok-DISTINCTIVE-7f3a9c2e51';

/** Stands in for a ws WebSocket: tests drive its events; close is emitted a microtask later, like ws. */
class FakeSocket extends EventEmitter {
  readyState = 0;
  pings = 0;
  closes: Array<{ code?: number; reason?: string }> = [];
  terminated = 0;
  /** A peer that never answers a close frame. */
  silent = false;

  constructor(readonly url: string, readonly options: SocketOptions) {
    super();
  }

  ping(): void {
    this.pings++;
  }

  isPaused = false;
  pauses = 0;
  pause(): void {
    this.isPaused = true;
    this.pauses++;
  }

  resume(): void {
    this.isPaused = false;
  }

  close(code?: number, reason?: string): void {
    this.closes.push({ code, reason });
    this.readyState = 2;
    if (!this.silent) this.finish(code ?? 1005);
  }

  terminate(): void {
    this.terminated++;
    this.finish(1006);
  }

  // --- driven by tests ---
  open(): void {
    this.readyState = 1;
    this.emit('open');
  }

  finish(code: number, reason = ''): void {
    if (this.readyState === 3 || this.readyState === 4) return;
    this.readyState = 4; // "close scheduled"
    queueMicrotask(() => {
      this.readyState = 3;
      this.emit('close', code, Buffer.from(reason));
    });
  }

  send(data: string): void {
    this.emit('message', Buffer.from(data), false);
  }

  pong(): void {
    this.emit('pong', Buffer.alloc(0));
  }

  /** The server answers the upgrade with a non-101 status. */
  reject(statusCode: number): { req: { destroyed: boolean }; res: { destroyed: boolean } } {
    const req = { destroyed: false, destroy() { this.destroyed = true; } };
    const res = { statusCode, destroyed: false, destroy() { this.destroyed = true; } };
    this.emit('unexpected-response', req, res);
    return { req, res };
  }
}

interface Harness {
  client: FeedClient;
  clock: FakeClock;
  sockets: FakeSocket[];
  logs: Array<{ level: string; msg: string }>;
  statuses: ConnectionStatus[];
  frames: Array<{ feed: FeedName; frame: SocketFrame; receivedAt: number }>;
  gaps: number;
  /** Live (not closed) sockets for a feed. */
  live(feed: FeedName): FakeSocket[];
  latest(feed: FeedName): FakeSocket;
  maxLivePerFeed: number;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function harness(overrides: Partial<FeedConnectionOptions> = {}, random: () => number = () => 0.5): Harness {
  const clock = new FakeClock();
  const h: Harness = {
    client: undefined!, clock, sockets: [], logs: [], statuses: [], frames: [], gaps: 0, maxLivePerFeed: 0,
    live: (feed) => h.sockets.filter((s) => s.url.endsWith(`/${feed}`) && s.readyState !== 3),
    latest: (feed) => h.sockets.filter((s) => s.url.endsWith(`/${feed}`)).at(-1)!,
  };
  const logger = Object.fromEntries(['info', 'warn', 'error', 'debug'].map((level) => [level, (msg: string) => h.logs.push({ level, msg })]));
  h.client = new FeedClient({
    baseUrl: 'wss://feeds.example/base/', token: TOKEN, feeds: ['calls', 'queues', 'agents'], cleanText: safeLine,
    handshakeTimeoutMs: 1000, pingIntervalMs: 100, pongTimeoutMs: 200, backoff: { initialMs: 20, maxMs: 200, stableMs: 500 },
    random, scheduler: clock, logger: logger as unknown as FeedConnectionOptions['logger'],
    createSocket: (url, options) => {
      const s = new FakeSocket(url, options);
      h.sockets.push(s);
      for (const feed of ['calls', 'queues', 'agents'] as const) h.maxLivePerFeed = Math.max(h.maxLivePerFeed, h.live(feed).length);
      return s;
    },
    onFrame: (feed, frame, receivedAt) => h.frames.push({ feed, frame, receivedAt }),
    onGap: () => h.gaps++,
    ...overrides,
  });
  h.client.onDidChangeStatus((s) => h.statuses.push(s));
  return h;
}

async function openAll(h: Harness): Promise<void> {
  for (const feed of ['calls', 'queues', 'agents'] as const) {
    const s = h.latest(feed);
    if (s.readyState === 0) s.open();
  }
  await flush();
}

/** A harness whose three feeds are started and open. */
async function connected(overrides: Partial<FeedConnectionOptions> = {}): Promise<Harness> {
  const h = harness(overrides);
  h.client.start();
  await openAll(h);
  return h;
}

/** Fires the latest scheduled reconnect. */
function fireRetry(h: Harness): void {
  h.clock.advance(h.client.debugRetries().at(-1)!.delayMs);
}

/** Waits out a retry delay of the calls feed: one new socket, which opens, and the client is connected again. */
async function reconnectAfter(h: Harness, delayMs: number): Promise<void> {
  const before = h.sockets.length;
  h.clock.advance(delayMs);
  assert.equal(h.sockets.length, before + 1, 'one new socket after the delay');
  h.latest('calls').open();
  await flush();
  assert.equal(h.client.status.state, 'connected');
}

/** Advances the clock in small steps, answering every ping, so healthy sockets stay up. */
function keepAlive(h: Harness, ms: number): void {
  for (let t = 0; t < ms; t += 10) {
    h.clock.advance(Math.min(10, ms - t));
    for (const s of h.sockets) if (s.readyState === 1) s.pong();
  }
}

/** Everything a user or log could see, to search for the token. */
function visibleText(h: Harness): string {
  return JSON.stringify([h.logs, h.statuses, h.client.status]);
}

describe('aggregateState', () => {
  it('applies the precedence: unauthorized, error, all connected, reconnecting, connecting, disconnected', () => {
    assert.equal(aggregateState(['connected', 'unauthorized', 'reconnecting'], false), 'unauthorized');
    assert.equal(aggregateState(['connected', 'error', 'reconnecting'], false), 'error');
    assert.equal(aggregateState(['connected', 'connected'], false), 'connected');
    assert.equal(aggregateState(['connected', 'reconnecting', 'connecting'], false), 'reconnecting');
    assert.equal(aggregateState(['connected', 'connecting'], false), 'connecting');
    assert.equal(aggregateState(['disconnected', 'disconnected'], false), 'disconnected');
    assert.equal(aggregateState(['connected', 'unauthorized'], true), 'disconnected', 'after stop()');
    assert.equal(aggregateState([], false), 'disconnected');
  });
});

describe('FeedClient (fake sockets, manual clock)', () => {
  it('opens one socket per feed with the right URL, header and ws options; nothing before start()', async () => {
    const h = harness();
    assert.equal(h.sockets.length, 0);
    assert.equal(h.client.status.state, 'disconnected');
    h.client.start();
    h.client.start(); // a second start is a no-op
    assert.deepEqual(h.sockets.map((s) => s.url), ['wss://feeds.example/base/calls', 'wss://feeds.example/base/queues', 'wss://feeds.example/base/agents']);
    const o = h.sockets[0].options;
    assert.equal(o.headers.Authorization, `Bearer ${TOKEN}`);
    assert.equal(o.followRedirects, false);
    assert.equal(o.maxPayload, MAX_FRAME_BYTES);
    assert.equal(o.perMessageDeflate, false);
    assert.equal(o.handshakeTimeout, 1000);
    assert.ok(!('rejectUnauthorized' in o));
    assert.equal(h.client.status.state, 'connecting');
    await openAll(h);
    assert.equal(h.client.status.state, 'connected');
    assert.equal(h.statuses[0].state, 'connecting');
    assert.equal(h.statuses.at(-1)!.state, 'connected');
    assert.equal(h.statuses.filter((s) => s.state === 'connected').length, 1, 'connected once every feed is');
    await h.client.stop();
  });

  it('perMessageDeflate follows its option; feeds can be a subset', async () => {
    const h = harness({ perMessageDeflate: true, feeds: ['queues', 'queues'] });
    h.client.start();
    assert.deepEqual(h.sockets.map((s) => s.url), ['wss://feeds.example/base/queues']);
    assert.equal(h.sockets[0].options.perMessageDeflate, true);
    await h.client.stop();
  });

  it('emits a status only when something changed', async () => {
    const h = await connected();
    const before = h.statuses.length;
    for (let i = 0; i < 20; i++) h.latest('calls').send(JSON.stringify({ id_call: String(i) }));
    assert.equal(h.statuses.length, before, 'messages alone do not emit');
    assert.equal(h.client.status.messages, 20);
    const keys = h.statuses.map((s) => JSON.stringify([s.state, s.message, s.nextAttemptAt, s.feeds]));
    for (let i = 1; i < keys.length; i++) assert.notEqual(keys[i], keys[i - 1], `status ${i} repeats ${i - 1}`);
    await h.client.stop();
  });

  it('a dropped feed (close 1000, 1001 or 1006) reconnects with backoff; onGap after it connects again', async () => {
    const h = await connected();
    for (const code of [1000, 1001, 1006]) {
      const calls = h.latest('calls');
      calls.finish(code, 'bye');
      await flush();
      const st = h.client.status;
      assert.equal(st.state, 'reconnecting');
      assert.equal(st.feeds.calls!.state, 'reconnecting');
      assert.equal(st.feeds.queues!.state, 'connected', 'other feeds are not touched');
      const retry = h.client.debugRetries().at(-1)!;
      assert.equal(st.nextAttemptAt, h.clock.now() + retry.delayMs);
      assert.match(st.message!, new RegExp(`close ${code}`));
      await reconnectAfter(h, retry.delayMs);
    }
    assert.equal(h.gaps, 3);
    assert.ok(h.logs.some((l) => /Disconnected from wss:\/\/feeds\.example\/base\/calls: close 1001 "bye"/.test(l.msg)));
    assert.ok(h.logs.some((l) => /Retrying wss:\/\/feeds\.example\/base\/calls in \d+ ms/.test(l.msg)));
    await h.client.stop();
  });

  it('delays grow by full jitter up to the cap, per feed independently; attempts reset only after stableMs', async () => {
    const h = harness({}, () => 0.999);
    h.client.start();
    // calls never connects: 8 failures in a row.
    for (let i = 0; i < 8; i++) {
      h.latest('calls').finish(1006);
      await flush();
      const r = h.client.debugRetries().at(-1)!;
      assert.equal(r.attempt, i);
      h.clock.advance(r.delayMs);
    }
    const calls = h.client.debugRetries().filter((r) => r.feed === 'calls');
    assert.deepEqual(calls.map((r) => r.ceilingMs), [20, 40, 80, 160, 200, 200, 200, 200]);
    for (const r of calls) {
      assert.ok(r.delayMs >= 0 && r.delayMs <= r.ceilingMs);
      assert.equal(r.ceilingMs, backoffCeiling(r.attempt, { initialMs: 20, maxMs: 200 }));
    }
    // queues fails once: its first delay is from attempt 0, whatever calls did.
    h.latest('queues').finish(1006);
    await flush();
    assert.deepEqual(h.client.debugRetries().filter((r) => r.feed === 'queues').map((r) => r.attempt), [0]);
    h.clock.advance(20);

    // calls connects but drops before stableMs: the next attempt continues from 8.
    h.latest('calls').open();
    await flush();
    assert.equal(h.client.status.feeds.calls!.attempts, 8);
    keepAlive(h, 499);
    assert.equal(h.client.debugRetries().filter((r) => r.feed === 'calls').length, 8, 'no drop while kept alive');
    h.latest('calls').finish(1006);
    await flush();
    assert.equal(h.client.debugRetries().at(-1)!.attempt, 8);
    fireRetry(h);
    // connects and stays up for stableMs: the count resets.
    h.latest('calls').open();
    await flush();
    keepAlive(h, 490);
    assert.equal(h.client.status.feeds.calls!.attempts, 9, 'not yet stable');
    keepAlive(h, 10);
    assert.equal(h.client.status.feeds.calls!.attempts, 0);
    h.latest('calls').finish(1006);
    await flush();
    assert.equal(h.client.debugRetries().at(-1)!.attempt, 0);
    assert.equal(h.client.debugRetries().at(-1)!.ceilingMs, 20);
    await h.client.stop();
  });

  it('never has more than one socket per feed, whatever the event order', async () => {
    const h = await connected();
    const s = h.latest('agents');
    // A storm: error + duplicate close events, a pong timeout racing a server close, start() again.
    s.emit('error', new Error('boom'));
    s.finish(1006);
    s.emit('close', 1006, Buffer.alloc(0)); // stale duplicate close right away
    await flush();
    h.client.start();
    s.emit('close', 1006, Buffer.alloc(0)); // and again after the retry was scheduled
    await flush();
    assert.equal(h.client.debugCounts().timers >= 1, true);
    h.clock.advance(1000);
    assert.equal(h.live('agents').length, 1);
    assert.equal(h.maxLivePerFeed, 1);
    assert.equal(h.client.debugRetries().filter((r) => r.feed === 'agents').length, 1, 'one retry for one loss');
    await h.client.stop();
  });

  it('a handshake that never completes is terminated after handshakeTimeoutMs and retried', async () => {
    const h = harness();
    h.client.start();
    const s = h.latest('calls');
    h.clock.advance(999);
    assert.equal(s.terminated, 0);
    h.clock.advance(1);
    assert.equal(s.terminated, 1);
    await flush();
    assert.equal(h.client.status.feeds.calls!.state, 'reconnecting');
    assert.ok(h.logs.some((l) => /no WebSocket handshake within 1\.0 s/.test(l.msg)));
    fireRetry(h);
    assert.notEqual(h.latest('calls'), s, 'a new attempt');
    await h.client.stop();
  });

  it('pings on the interval; a peer that stops answering is terminated (not closed) after pongTimeoutMs', async () => {
    const h = await connected();
    const s = h.latest('calls');
    h.clock.advance(100);
    assert.equal(s.pings, 1);
    s.pong();
    h.clock.advance(100);
    assert.equal(s.pings, 2);
    h.clock.advance(150);
    s.send('{"id_call":"1"}'); // any message counts as liveness
    h.clock.advance(150);
    assert.equal(s.terminated, 0);
    assert.equal(s.pings, 3);
    h.clock.advance(200); // ping 3 at 300, never answered: dead at 500
    assert.equal(s.terminated, 1);
    assert.equal(s.closes.length, 0, 'no close() that would wait for the peer');
    await flush();
    assert.equal(h.client.status.feeds.calls!.state, 'reconnecting');
    assert.ok(h.logs.some((l) => /no answer to a ping within 200 ms/.test(l.msg)));
    await h.client.stop();
  });

  for (const [label, act] of [
    ['HTTP 401', (s: FakeSocket) => s.reject(401)],
    ['HTTP 403', (s: FakeSocket) => s.reject(403)],
    ...[4401, 4403].map((code) => [`close ${code}`, (s: FakeSocket) => {
      s.open();
      s.finish(code, 'auth');
    }] as const),
  ] as const) {
    it(`${label} stops every retry on every feed: unauthorized, with a message naming "Set Token"`, async () => {
      const h = harness();
      h.client.start();
      const waiting = assert.rejects(h.client.whenConnected(10_000), (e: unknown) => e instanceof FeedConnectionError && e.state === 'unauthorized');
      act(h.latest('calls'));
      await flush();
      const st = h.client.status;
      assert.equal(st.state, 'unauthorized');
      assert.match(st.message!, /Stream Liner: Set Token/);
      for (const feed of ['calls', 'queues', 'agents'] as const) assert.equal(st.feeds[feed]!.state, 'unauthorized');
      await waiting;
      const count = h.sockets.length;
      h.clock.advance(10 * 60_000);
      await flush();
      assert.equal(h.sockets.length, count, 'no retry');
      assert.equal(h.client.debugRetries().length, 0);
      assert.deepEqual(h.client.debugCounts(), { sockets: 0, timers: 0, socketListeners: 0, statusListeners: 1 });
      assert.ok(!visibleText(h).includes(TOKEN));
      await h.client.stop();
      assert.equal(h.client.status.state, 'disconnected');
    });
  }

  for (const [code, reason] of [[1008, 'policy: rate limited'], [4001, 'try later'], [4003, 'busy']] as const) {
    it(`close ${code} is not a refused token: retried with backoff and logged with its reason`, async () => {
      const h = await connected();
      h.latest('calls').finish(code, reason);
      await flush();
      const st = h.client.status;
      assert.equal(st.state, 'reconnecting', 'not unauthorized');
      assert.equal(st.feeds.calls!.state, 'reconnecting');
      assert.doesNotMatch(st.message!, /refused the statistics token/);
      assert.ok(st.message!.includes(`close ${code} "${reason}"`), st.message);
      assert.ok(h.logs.some((l) => l.level === 'warn' && l.msg.includes(`Disconnected from wss://feeds.example/base/calls: close ${code} "${reason}"`)));
      const retry = h.client.debugRetries().at(-1)!;
      assert.equal(retry.feed, 'calls');
      await reconnectAfter(h, retry.delayMs);
      await h.client.stop();
    });
  }

  it('a hostile close reason reaches the status and the log as one line without controls or direction controls', async () => {
    const h = await connected();
    h.latest('queues').finish(4000, `Maintenance\n\u202e${'x'.repeat(200)}\u0000`);
    await flush();
    const message = h.client.status.message!;
    assert.match(message, /close 4000 "Maintenance x+…"/);
    assert.ok(!FORBIDDEN_CHARACTERS.test(message), message);
    const logged = h.logs.find((l) => l.msg.startsWith('Disconnected from wss://feeds.example/base/queues'))!.msg;
    assert.ok(!FORBIDDEN_CHARACTERS.test(logged), logged);
    await h.client.stop();
  });

  it('a 401 response is ended by the client (request and response destroyed, socket terminated)', async () => {
    const h = harness({ feeds: ['calls'] });
    h.client.start();
    const s = h.latest('calls');
    const { req, res } = s.reject(401);
    assert.equal(req.destroyed, true);
    assert.equal(res.destroyed, true);
    assert.equal(s.terminated, 1);
    await flush();
    assert.equal(h.client.debugCounts().sockets, 0);
    await h.client.stop();
  });

  it('a 3xx redirect is an error for that feed, never followed or retried', async () => {
    const h = await connected();
    const s = h.latest('queues');
    s.finish(1006);
    await flush();
    fireRetry(h);
    h.latest('queues').reject(302);
    await flush();
    const st = h.client.status;
    assert.equal(st.state, 'error');
    assert.equal(st.feeds.queues!.state, 'error');
    assert.match(st.message!, /redirect \(HTTP 302\).*streamLiner\.url/);
    const count = h.sockets.length;
    h.clock.advance(60_000);
    assert.equal(h.sockets.length, count);
    await h.client.stop();
  });

  it('an oversize frame (ws error WS_ERR_UNSUPPORTED_MESSAGE_LENGTH, close 1009) is counted and retried', async () => {
    const h = await connected();
    const s = h.latest('agents');
    const err = Object.assign(new RangeError('Max payload size exceeded'), { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' });
    s.emit('error', err);
    assert.equal(s.terminated, 1, 'terminated, no wait for the close handshake');
    await flush();
    assert.equal(h.client.status.oversizeCloses, 1);
    assert.equal(h.client.status.feeds.agents!.state, 'reconnecting');
    fireRetry(h);
    h.latest('agents').open();
    h.latest('agents').finish(1009); // a server-sent 1009 counts too
    await flush();
    assert.equal(h.client.status.oversizeCloses, 2);
    await h.client.stop();
  });

  it('hands every frame to onFrame as ws gave it, with its feed and arrival time, and counts it', async () => {
    const h = await connected();
    h.clock.advance(7);
    const s = h.latest('queues');
    s.send('{"id_call":"a1"}');
    s.send('garbage {');
    const fragments = [Buffer.from('{"id_call":'), Buffer.from('"a2"}')];
    s.emit('message', fragments, false);
    const arrayBuffer = new Uint8Array(Buffer.from('{"id_call":"a3"}')).buffer;
    h.latest('agents').emit('message', arrayBuffer, true);
    assert.deepEqual(h.frames.map((f) => f.feed), ['queues', 'queues', 'queues', 'agents']);
    assert.deepEqual(h.frames.slice(0, 2).map((f) => f.frame.toString()), ['{"id_call":"a1"}', 'garbage {'], 'garbage is core\'s to judge');
    assert.equal(h.frames[2].frame, fragments, 'a fragmented frame is handed over as its fragments');
    assert.equal(h.frames[3].frame, arrayBuffer);
    assert.ok(h.frames.every((f) => f.receivedAt === h.clock.now()));
    const st = h.client.status;
    assert.equal(st.messages, 4);
    assert.equal(st.lastMessageAt, h.clock.now());
    assert.equal(st.feeds.queues!.state, 'connected');
    assert.ok(!('rejected' in st), 'what becomes of a frame is not the client\'s to count');
    await h.client.stop();
    assert.ok(h.logs.some((l) => /Feeds stopped after 4 messages/.test(l.msg)));
  });

  it('a socket whose frames took more than the turn budget pauses until the next turn, then reads on', async () => {
    let busy = false;
    let handed = 0;
    const h = await connected({
      onFrame: () => {
        handed++;
        if (!busy) return;
        for (const until = performance.now() + TURN_BUDGET_MS + 1; performance.now() < until;) { /* a slow frame */ }
      },
    });
    const calls = h.latest('calls');
    const queues = h.latest('queues');
    await new Promise((r) => setImmediate(r)); // a fresh turn
    calls.send('{"id_call":"quick"}');
    assert.equal(calls.pauses, 0, 'a quick frame leaves the socket reading');
    await new Promise((r) => setImmediate(r));
    busy = true;
    queues.send('{"id_call":"slow"}');
    assert.equal(queues.isPaused, true, 'paused once the turn went over budget');
    busy = false;
    calls.send('{"id_call":"late"}');
    assert.equal(calls.isPaused, true, 'any socket delivering later in the same turn pauses too');
    await new Promise((r) => setImmediate(r));
    assert.equal(queues.isPaused, false, 'resumed on the next turn');
    assert.equal(calls.isPaused, false);
    assert.equal(handed, 3, 'every frame read was handed on');
    await h.client.stop();
  });

  it('a throwing onFrame, onGap or status listener does not break the connection', async () => {
    const h = harness({ onFrame: () => { throw new Error('store bug'); }, onGap: () => { throw new Error('gap bug'); } });
    h.client.onDidChangeStatus(() => { throw new Error('listener bug'); });
    h.client.start();
    await openAll(h);
    h.latest('calls').send('{"id_call":"1"}');
    h.latest('calls').finish(1006);
    await flush();
    fireRetry(h);
    h.latest('calls').open();
    await flush();
    assert.equal(h.client.status.state, 'connected');
    assert.ok(h.logs.some((l) => l.level === 'error' && /store bug/.test(l.msg)));
    assert.ok(h.logs.some((l) => l.level === 'error' && /gap bug/.test(l.msg)));
    await h.client.stop();
  });

  it('the token never appears in a log line, status or error, even when ws or the OS echo it', async () => {
    let throwOnce = true;
    const h = harness({
      createSocket: (url, options) => {
        if (throwOnce) {
          throwOnce = false;
          throw new Error(`cannot connect with header ${options.headers.Authorization}`);
        }
        const s = new FakeSocket(url, options);
        h.sockets.push(s);
        return s;
      },
    });
    h.client.start();
    h.clock.advance(h.client.debugRetries()[0].delayMs); // calls failed to even create its socket
    await openAll(h);
    h.latest('queues').emit('error', new Error(`weird failure Bearer ${TOKEN}`));
    h.latest('queues').finish(4000, `reason ${TOKEN}`.slice(0, 120));
    h.latest('agents').send(`not json ${TOKEN}`);
    await flush();
    h.latest('agents').reject(401);
    await flush();
    await h.client.stop();
    const text = visibleText(h);
    assert.ok(h.logs.length > 5);
    assert.ok(text.includes('[redacted]'), 'the echoed token was scrubbed');
    assert.ok(!text.includes(TOKEN), 'no token anywhere');
    assert.ok(!JSON.stringify(h.client).includes(TOKEN), 'not even in the serialised client');
  });

  it('refuses a ws:// URL to a non-loopback host in the constructor, before any socket, without the token in the error', () => {
    let created = 0;
    assert.throws(
      () => new FeedClient({
        baseUrl: 'ws://feeds.example', token: TOKEN, feeds: ['calls'], onFrame: () => undefined, cleanText: safeLine,
        createSocket: () => {
          created++;
          throw new Error('unreachable');
        },
      }),
      (e: unknown) => e instanceof InsecureUrlError && /wss:\/\//.test(e.message) && !e.message.includes(TOKEN),
    );
    assert.equal(created, 0);
    assert.throws(() => new FeedClient({ baseUrl: 'wss://x.example', token: TOKEN, feeds: [], onFrame: () => undefined, cleanText: safeLine }), /streamLiner\.feeds/);
  });

  it('stop() closes every socket, clears every timer, and nothing reconnects afterwards', async () => {
    const h = await connected({ closeGraceMs: 300 });
    h.clock.advance(150); // pings outstanding
    h.latest('calls').finish(1006); // one feed waiting to retry
    await flush();
    const counts = h.client.debugCounts();
    assert.equal(counts.sockets, 2);
    assert.ok(counts.timers >= 3);
    assert.ok(counts.socketListeners > 0);
    const queues = h.latest('queues');
    queues.silent = true;
    const stopping = h.client.stop();
    assert.deepEqual(queues.closes, [{ code: 1000, reason: 'client disconnect' }], 'a clean close first');
    await flush(); // agents answers its close at once
    h.clock.advance(300); // the other is terminated after the grace period
    assert.equal(queues.terminated, 1);
    await stopping;
    assert.equal(h.client.status.state, 'disconnected');
    assert.deepEqual(h.client.debugCounts(), { sockets: 0, timers: 0, socketListeners: 0, statusListeners: 1 });
    for (const s of h.sockets) {
      assert.deepEqual(s.eventNames(), ['error'], 'only the inert error guard is left on a closed socket');
    }
    const count = h.sockets.length;
    h.clock.advance(10 * 60_000);
    assert.equal(h.sockets.length, count);
    assert.throws(() => h.client.start(), /stopped/);
    await assert.rejects(h.client.whenConnected(1000), /stopped/);
    assert.equal(await h.client.stop(), undefined, 'stop() twice is fine');
  });

  it('whenConnected resolves when every feed is connected and times out otherwise, leaving no timer', async () => {
    const h = harness();
    h.client.start();
    const ok = h.client.whenConnected(1000);
    const late = harness();
    late.client.start();
    const timeout = late.client.whenConnected(50);
    assert.equal(late.client.debugCounts().timers, 4, '3 handshake guards + the wait');
    late.clock.advance(50);
    await assert.rejects(timeout, (e: unknown) => e instanceof FeedConnectionError && e.state === 'connecting');
    assert.equal(late.client.debugCounts().timers, 3);
    await openAll(h);
    await ok;
    await h.client.stop();
    await late.client.stop();
    assert.equal(late.client.debugCounts().timers, 0);
  });
});
