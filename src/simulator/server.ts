// A loopback stand-in for the Stream Liner feeds: /calls, /queues and /agents over WebSocket with
// `Authorization: Bearer <token>`, generated journeys or a JSONL replay, and fault switches for tests.
// Only `ws` and node built-ins: it is bundled into dist/simulator.js, which the extension loads for a demo.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FEED_NAMES, type FeedName } from '../core/types';
import { Emitter } from './emitter';
import { JourneyGenerator, type SimJourney } from './generator';
import { bearerMatches, feedOf, rejectUpgrade, sendableCloseCode, tokenDigest } from './handshake';
import {
  realClock, SIMULATOR_FAULTS, type ConnectionInfo, type ReplayResult, type SimulatorClock, type SimulatorFault,
  type SimulatorServerOptions, type SimulatorStats,
} from './options';
import { Rng } from './random';
import { parseReplayLine } from './replayLine';

export class SimulatorServer {
  readonly stats: SimulatorStats = {
    upgradeAttempts: 0, rejected401: 0, rejected403: 0, rejected404: 0, stalled: 0, connections: 0, framesSent: 0,
    pingsReceived: 0, pongsSent: 0, journeysStarted: 0, journeysEnded: 0, journeysSkipped: 0, replayedFrames: 0, replayBadLines: 0,
  };

  private readonly tokenDigest: Buffer;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly timeScale: number;
  private readonly rate: number;
  private readonly maxConcurrent: number;
  private readonly clock: SimulatorClock;
  private readonly log: (line: string) => void;
  private readonly generator: JourneyGenerator;
  private readonly arrivals: Rng;
  private readonly faults = new Set<SimulatorFault>();
  private readonly clients = new Map<FeedName, Set<WebSocket>>(FEED_NAMES.map((f) => [f, new Set<WebSocket>()]));
  private readonly sockets = new Set<Socket>();
  private readonly stalledSockets = new Set<Duplex>();
  private readonly timers = new Set<unknown>();
  private readonly sleepers = new Set<() => void>();
  private readonly inFlight = new Set<string>();
  private readonly ended = new Emitter<SimJourney>();
  private readonly connected = new Emitter<ConnectionInfo>();
  private readonly wss: WebSocketServer;
  private http: Server | undefined;
  private boundPort = 0;
  private running = false;
  private simEpoch = 0;
  private realEpoch = 0;

  constructor(private readonly options: SimulatorServerOptions) {
    if (typeof options.token !== 'string' || options.token.length === 0) throw new Error('SimulatorServer needs a non-empty token');
    this.tokenDigest = tokenDigest(options.token);
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.timeScale = options.timeScale !== undefined && Number.isFinite(options.timeScale) && options.timeScale > 0 ? options.timeScale : 1;
    this.rate = options.ratePerMinute !== undefined && Number.isFinite(options.ratePerMinute) && options.ratePerMinute >= 0 ? options.ratePerMinute : 30;
    this.maxConcurrent = Math.max(1, Math.trunc(options.maxConcurrent ?? 50));
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => undefined);
    const seed = options.seed ?? 1;
    this.generator = new JourneyGenerator({ seed, queues: options.queues, agents: options.agents });
    this.arrivals = new Rng((seed ^ 0xa5a5a5a5) >>> 0);
    // autoPong off: pings are answered by hand so the ignore-pings fault can suppress the pong.
    this.wss = new WebSocketServer({
      noServer: true, autoPong: false, clientTracking: false, maxPayload: 64 * 1024,
      perMessageDeflate: options.perMessageDeflate ?? true,
    });
  }

  get port(): number {
    return this.boundPort;
  }

  /** Base URL (feeds at /calls, /queues, /agents). */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `ws://${host}:${this.boundPort}`;
  }

  /** Simulated "now": runs timeScale times faster than the clock since start(). */
  simNow(): number {
    return Math.round(this.simEpoch + (this.clock.now() - this.realEpoch) * this.timeScale);
  }

  async start(): Promise<void> {
    if (this.http) return;
    const http = createServer((_req, res) => {
      // Plain HTTP is not a feed: say so instead of hanging.
      res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('WebSocket upgrade required\n');
    });
    http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    http.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.requestedPort, this.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    const address = http.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.requestedPort;
    this.running = true;
    this.realEpoch = this.clock.now();
    this.simEpoch = Date.now();
    this.log(`listening at ${this.url} (feeds /calls /queues /agents)`);
    if (this.options.autoplay !== false && this.rate > 0) this.scheduleArrival();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const handle of this.timers) this.clock.clearTimeout(handle);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
    this.inFlight.clear();
    for (const set of this.clients.values()) {
      for (const ws of set) ws.terminate();
      set.clear();
    }
    for (const s of this.stalledSockets) s.destroy();
    this.stalledSockets.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.wss.close();
    const http = this.http;
    this.http = undefined;
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  setFault(fault: SimulatorFault, on: boolean): void {
    if (!SIMULATOR_FAULTS.includes(fault)) return;
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
    this.log(`fault ${fault} ${on ? 'on' : 'off'}`);
  }

  hasFault(fault: SimulatorFault): boolean {
    return this.faults.has(fault);
  }

  /** Server-side close (with a sendable code) or terminate (no code) of every client socket. */
  dropConnections(code?: number): void {
    for (const set of this.clients.values()) {
      for (const ws of set) {
        if (code !== undefined && sendableCloseCode(code)) ws.close(code, 'simulator drop');
        else ws.terminate();
      }
    }
  }

  /** Sends data as-is: strings as text frames, Buffers as binary frames unless `text` (bytes sent unchecked). */
  sendRaw(feed: FeedName, data: string | Buffer, text = typeof data === 'string'): void {
    for (const ws of this.clients.get(feed) ?? []) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.send(data, { binary: !text });
      this.stats.framesSent++;
    }
  }

  sendDocument(feed: FeedName, doc: object): void {
    this.sendRaw(feed, JSON.stringify(doc));
  }

  clientCount(feed?: FeedName): number {
    const feeds = feed ? [feed] : FEED_NAMES;
    let n = 0;
    for (const f of feeds) {
      for (const ws of this.clients.get(f) ?? []) if (ws.readyState === WebSocket.OPEN) n++;
    }
    return n;
  }

  onJourneyEnded(listener: (j: SimJourney) => void): { dispose(): void } {
    return this.ended.on(listener);
  }

  onConnection(listener: (info: ConnectionInfo) => void): { dispose(): void } {
    return this.connected.on(listener);
  }

  /** Journeys currently being played. */
  get journeysInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Starts one generated journey now (simulated time) and schedules its moments, scaled by timeScale.
   * Returns undefined when the server is not running or maxConcurrent journeys are in flight.
   */
  playJourney(): SimJourney | undefined {
    if (!this.running) return undefined;
    if (this.inFlight.size >= this.maxConcurrent) {
      this.stats.journeysSkipped++;
      return undefined;
    }
    const journey = this.generator.next(this.simNow());
    this.inFlight.add(journey.idCall);
    this.stats.journeysStarted++;
    const moments = new Map<number, Array<{ feed: FeedName; data: string }>>();
    for (const e of journey.events) {
      const list = moments.get(e.at) ?? [];
      list.push({ feed: e.feed, data: JSON.stringify(e.doc) });
      moments.set(e.at, list);
    }
    for (const [at, frames] of moments) {
      const last = at === journey.endAt;
      this.after((at - journey.startAt) / this.timeScale, () => {
        for (const f of frames) this.sendRaw(f.feed, f.data);
        if (last) this.finishJourney(journey);
      });
    }
    return journey;
  }

  /**
   * Replays JSONL lines `{"feed","receivedAt","data"}` (a string `data` is sent as-is, an object as JSON),
   * keeping the receivedAt gaps divided by `speed` (Infinity = no waiting). Bad lines are counted and skipped.
   */
  async replay(lines: Iterable<string> | AsyncIterable<string>, options: { speed?: number } = {}): Promise<ReplayResult> {
    const speed = options.speed !== undefined && options.speed > 0 ? options.speed : 1;
    const result: ReplayResult = { sent: 0, bad: 0 };
    let previous: number | undefined;
    for await (const line of lines) {
      if (!this.running) break;
      if (typeof line !== 'string' || line.trim() === '') continue;
      const frame = parseReplayLine(line);
      if (!frame) {
        result.bad++;
        this.stats.replayBadLines++;
        continue;
      }
      if (previous !== undefined && Number.isFinite(speed)) {
        const gap = Math.max(0, frame.receivedAt - previous) / speed;
        if (gap > 0) await this.sleep(gap);
        if (!this.running) break;
      }
      previous = frame.receivedAt;
      this.sendRaw(frame.feed, frame.data);
      result.sent++;
      this.stats.replayedFrames++;
    }
    return result;
  }

  private finishJourney(journey: SimJourney): void {
    this.inFlight.delete(journey.idCall);
    this.stats.journeysEnded++;
    this.log(`call ${journey.summary}`);
    this.ended.emit(journey);
  }

  private scheduleArrival(): void {
    const gapMs = this.arrivals.exponential(60000 / this.rate) / this.timeScale;
    this.after(gapMs, () => {
      this.playJourney();
      this.scheduleArrival();
    });
  }

  private after(ms: number, fn: () => void): void {
    if (!this.running) return;
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (this.running) fn();
    }, Math.max(0, ms));
    this.timers.add(handle);
  }

  /** A wait that stop() ends early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.sleepers.delete(wake);
        resolve();
      };
      this.sleepers.add(wake);
      this.after(ms, wake);
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.stats.upgradeAttempts++;
    socket.on('error', () => socket.destroy());
    if (this.faults.has('stall-handshake')) {
      // Accept the TCP connection but never answer the upgrade; stop() destroys it.
      this.stats.stalled++;
      this.stalledSockets.add(socket);
      socket.once('close', () => this.stalledSockets.delete(socket));
      return;
    }
    if (this.faults.has('reject-403')) {
      this.stats.rejected403++;
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (this.faults.has('reject-401') || !bearerMatches(req.headers.authorization, this.tokenDigest)) {
      this.stats.rejected401++;
      this.log('refused an upgrade: missing or wrong token (401)');
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    const feed = feedOf(req.url);
    if (!feed) {
      this.stats.rejected404++;
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, feed, req));
  }

  private accept(ws: WebSocket, feed: FeedName, req: IncomingMessage): void {
    if (!this.running) {
      ws.terminate();
      return;
    }
    const set = this.clients.get(feed)!;
    set.add(ws);
    this.stats.connections++;
    ws.on('error', () => undefined);
    ws.on('message', () => undefined); // the feeds are one-way; client messages are ignored
    ws.on('ping', (data) => {
      this.stats.pingsReceived++;
      if (this.faults.has('ignore-pings')) return;
      ws.pong(data);
      this.stats.pongsSent++;
    });
    ws.on('close', () => set.delete(ws));
    const headers: IncomingHttpHeaders = { ...req.headers };
    if (headers.authorization !== undefined) headers.authorization = '<redacted>';
    this.log(`client connected to /${feed}`);
    this.connected.emit({ feed, remoteAddress: req.socket.remoteAddress, headers });
  }
}


