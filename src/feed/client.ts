// The feed clients: one `ws` socket per enabled feed, with heartbeat, full-jitter backoff, auth handling and the
// payload limit. Each frame goes as it arrived to one sink (onFrame); what a frame means is core's business.
import { WebSocket } from 'ws';
import { MAX_FRAME_BYTES, type FeedName, type SocketFrame } from '../core/types';
import { backoffCeiling, backoffDelay, backoffSettings, positiveOr, type BackoffSettings } from './backoff';
import { realScheduler, TimerSlots, type Scheduler } from './scheduler';
import { aggregateState, formatMs } from './status';
import type {
  ConnectionState, ConnectionStatus, DebugCounts, FeedConnectionOptions, FeedLogger, FeedStatus, RetryRecord, SocketLike,
  SocketOptions,
} from './types';
import { checkToken, describeUrl, FeedConfigError, feedUrl, requireSafeBaseUrl } from './url';


/**
 * Close codes that mean "your credentials are not accepted": no retry. Only 4401/4403 (HTTP 401/403 in the private
 * range): 1008 is any policy violation (a rate limit, say) and 4001/4003 are not defined by the feeds, so those retry.
 */
export const AUTH_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4403]);
const AUTH_HTTP_STATUSES: ReadonlySet<number> = new Set([401, 403]);
const KNOWN_FEEDS: ReadonlySet<string> = new Set(['calls', 'queues', 'agents']);
const CONNECTING = 0;
const OPEN = 1;
const SOCKET_EVENTS = ['unexpected-response', 'upgrade', 'open', 'message', 'ping', 'pong', 'error', 'close'] as const;
const RETRY_HISTORY = 1000;
/**
 * Frame handling per event-loop turn before a socket that delivers another frame pauses until the next turn:
 * libuv reads a socket's backlog in one go, so without it a burst holds the extension host's thread until done.
 */
export const TURN_BUDGET_MS = 8;
const SET_TOKEN_HINT = 'Run "Stream Liner: Set Token" to store a valid token, then connect again.';

/** whenConnected() failed: the connection became unauthorized, hit an error, was stopped or timed out. */
export class FeedConnectionError extends Error {
  override readonly name = 'FeedConnectionError';
  constructor(message: string, readonly state: ConnectionState) {
    super(message);
  }
}

type TimerKind = 'retry' | 'handshake' | 'ping' | 'pong' | 'stable' | 'grace';

/** Why the current socket is ending, noted before its 'close' event arrives. */
type Failure =
  | { kind: 'http'; status: number }
  | { kind: 'handshake-timeout' }
  | { kind: 'pong-timeout' }
  | { kind: 'oversize' }
  | { kind: 'error'; message: string };

interface Slot {
  readonly feed: FeedName;
  readonly url: string;
  /** Safe to log: scheme, host and path. */
  readonly label: string;
  readonly timers: TimerSlots<TimerKind>;
  state: ConnectionState;
  attempts: number;
  everConnected: boolean;
  connectedAt?: number;
  nextAttemptAt?: number;
  message?: string;
  socket?: SocketLike;
  failure?: Failure;
}

/** Stops reading `ws` until the next turn: the frames it has not read yet wait in the kernel's buffer. */
function pauseUntilNextTurn(ws: SocketLike): void {
  if (ws.isPaused) return;
  ws.pause();
  setImmediate(() => ws.resume());
}

const noop = (): void => undefined;
const silentLogger: FeedLogger = { info: noop, warn: noop, error: noop, debug: noop };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function defaultCreateSocket(url: string, options: SocketOptions): SocketLike {
  return new WebSocket(url, options);
}

export class FeedClient {
  readonly #token: string;
  readonly #socketOptions: SocketOptions;
  private readonly slots: Slot[];
  private readonly backoff: BackoffSettings;
  private readonly handshakeTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly closeGraceMs: number;
  private readonly random: () => number;
  private readonly logger: FeedLogger;
  private readonly scheduler: Scheduler;
  private readonly createSocket: (url: string, options: SocketOptions) => SocketLike;
  private readonly listeners = new Set<(s: ConnectionStatus) => void>();
  private readonly waiters = new Set<() => void>();
  private readonly waitTimers = new Set<unknown>();
  private readonly retries: RetryRecord[] = [];
  private messages = 0;
  private lastMessageAt: number | undefined;
  /** When this turn's first frame was handled (performance.now()); undefined once the turn has ended. */
  private turnStartedAt: number | undefined;
  private oversizeCloses = 0;
  private started = false;
  private stopped = false;
  private stopPromise: Promise<void> | undefined;
  private resolveStop: (() => void) | undefined;
  private authMessage: string | undefined;
  private lastEmitted = '';

  private readonly onFrame: FeedConnectionOptions['onFrame'];
  private readonly cleanText: FeedConnectionOptions['cleanText'];
  private readonly onGap: FeedConnectionOptions['onGap'];

  // `options` is not kept: it holds the token, which lives only in private # fields.
  constructor(options: FeedConnectionOptions) {
    // Every check happens here, before any socket: a refused URL or token never leaves the process.
    const base = requireSafeBaseUrl(options.baseUrl);
    checkToken(options.token);
    const feeds = [...new Set(Array.isArray(options.feeds) ? options.feeds : [])].filter((f) => KNOWN_FEEDS.has(f));
    if (feeds.length === 0) {
      throw new FeedConfigError('No feed is enabled. Enable at least one of calls, queues and agents in the streamLiner.feeds setting.');
    }
    this.#token = options.token;
    this.onFrame = options.onFrame;
    this.cleanText = options.cleanText;
    this.onGap = options.onGap;
    this.backoff = backoffSettings(options.backoff);
    this.handshakeTimeoutMs = positiveOr(options.handshakeTimeoutMs, 10_000);
    this.pingIntervalMs = positiveOr(options.pingIntervalMs, 30_000);
    this.pongTimeoutMs = positiveOr(options.pongTimeoutMs, 10_000);
    this.closeGraceMs = positiveOr(options.closeGraceMs, 1000);
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? realScheduler;
    this.createSocket = options.createSocket ?? defaultCreateSocket;
    this.#socketOptions = {
      headers: { Authorization: `Bearer ${options.token}` },
      // A redirect could carry the token to another host: never follow one (a 3xx becomes an error).
      followRedirects: false,
      handshakeTimeout: this.handshakeTimeoutMs,
      // The same bound as the decoder: ws closes the socket with 1009 on a bigger frame.
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: options.perMessageDeflate === true,
      autoPong: true,
      // ws would close the whole feed (1007) on one text frame with invalid UTF-8. Core reads every frame as
      // toString('utf8') + JSON.parse would (an invalid sequence inside a string becomes U+FFFD, one outside is
      // invalid JSON), so such a frame is accepted or rejected and counted like any other.
      skipUTF8Validation: true,
    };
    this.slots = feeds.map((feed) => {
      const url = feedUrl(base, feed);
      return { feed, url: url.href, label: describeUrl(url), timers: new TimerSlots<TimerKind>(this.scheduler), state: 'disconnected', attempts: 0, everConnected: false };
    });
  }

  /** Opens every enabled feed. A stopped client cannot be started again: create a new one. */
  start(): void {
    if (this.stopped) throw new Error('This feed connection was stopped; create a new one to connect again.');
    if (this.started) return;
    this.started = true;
    for (const slot of this.slots) this.open(slot);
    this.emitStatus();
  }

  /** Closes every socket (a clean close, terminated after closeGraceMs) and clears every timer. Nothing reconnects after it. */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopped = true;
    this.stopPromise = new Promise<void>((resolve) => {
      this.resolveStop = resolve;
    });
    for (const slot of this.slots) {
      slot.timers.clearAll();
      slot.nextAttemptAt = undefined;
      if (slot.socket) this.closeSocket(slot, 'client disconnect');
      else slot.state = 'disconnected';
    }
    this.finishStopIfDone();
    return this.stopPromise;
  }

  get status(): ConnectionStatus {
    const feeds: Partial<Record<FeedName, FeedStatus>> = {};
    for (const s of this.slots) {
      const f: FeedStatus = { state: s.state, attempts: s.attempts };
      if (s.connectedAt !== undefined) f.connectedAt = s.connectedAt;
      if (s.nextAttemptAt !== undefined) f.nextAttemptAt = s.nextAttemptAt;
      feeds[s.feed] = f;
    }
    const state = aggregateState(this.slots.map((s) => s.state), this.stopped);
    const status: ConnectionStatus = { state, feeds, messages: this.messages, oversizeCloses: this.oversizeCloses };
    const waiting = this.slots.filter((s) => s.state === 'reconnecting' && s.nextAttemptAt !== undefined).sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt!);
    if (state === 'reconnecting' && waiting.length > 0) {
      status.nextAttemptAt = waiting[0].nextAttemptAt;
      status.message = waiting[0].message;
    } else if (state === 'unauthorized') {
      status.message = this.authMessage;
    } else if (state === 'error') {
      status.message = this.slots.find((s) => s.state === 'error')?.message;
    }
    if (this.lastMessageAt !== undefined) status.lastMessageAt = this.lastMessageAt;
    return status;
  }

  /** Called only when the state, message, retry time or a feed's state/attempts changed (not per message). */
  onDidChangeStatus(listener: (s: ConnectionStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves once every feed is connected; rejects on unauthorized, error, stop() or after timeoutMs. */
  whenConnected(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const verdict = (): FeedConnectionError | 'ok' | undefined => {
        const s = this.status;
        if (this.stopped) return new FeedConnectionError('The feed connection was stopped.', 'disconnected');
        if (s.state === 'connected') return 'ok';
        if (s.state === 'unauthorized' || s.state === 'error') return new FeedConnectionError(s.message ?? `Connection ${s.state}.`, s.state);
        return undefined;
      };
      const settle = (v: FeedConnectionError | 'ok'): void => (v === 'ok' ? resolve() : reject(v));
      const first = verdict();
      if (first) {
        settle(first);
        return;
      }
      const finish = (v: FeedConnectionError | 'ok'): void => {
        this.waiters.delete(check);
        this.scheduler.clearTimeout(handle);
        this.waitTimers.delete(handle);
        settle(v);
      };
      const check = (): void => {
        const v = verdict();
        if (v) finish(v);
      };
      const handle = this.scheduler.setTimeout(() => {
        const state = this.status.state;
        finish(new FeedConnectionError(`The feeds did not all connect within ${formatMs(timeoutMs)} (state: ${state}).`, state));
      }, Math.max(0, timeoutMs));
      this.waitTimers.add(handle);
      this.waiters.add(check);
    });
  }

  /** Live sockets, pending timers and listeners: a test asserts these reach zero after stop(). */
  debugCounts(): DebugCounts {
    let socketListeners = 0;
    for (const s of this.slots) {
      if (s.socket) for (const e of SOCKET_EVENTS) socketListeners += s.socket.listenerCount(e);
    }
    return {
      sockets: this.slots.filter((s) => s.socket !== undefined).length,
      timers: this.slots.reduce((n, s) => n + s.timers.size, 0) + this.waitTimers.size,
      socketListeners,
      statusListeners: this.listeners.size,
    };
  }

  /** Every reconnect delay chosen so far (the latest RETRY_HISTORY), with the bound it was drawn under. */
  debugRetries(): readonly RetryRecord[] {
    return [...this.retries];
  }

  private get running(): boolean {
    return this.started && !this.stopped;
  }

  private open(slot: Slot): void {
    // Never a second socket for a feed, and never after stop() or an auth failure.
    if (!this.running || this.authMessage !== undefined || slot.socket) return;
    slot.timers.clear('retry');
    slot.nextAttemptAt = undefined;
    slot.failure = undefined;
    slot.state = 'connecting';
    this.log('debug', `Connecting to ${slot.label}.`);
    let ws: SocketLike;
    try {
      ws = this.createSocket(slot.url, this.#socketOptions);
    } catch (err) {
      slot.failure = { kind: 'error', message: errorText(err) };
      this.retryAfterFailure(slot, 1006, '');
      return;
    }
    slot.socket = ws;
    this.attach(slot, ws);
    // Our own guard on top of ws's handshakeTimeout, which does not cover a slow DNS lookup.
    slot.timers.set('handshake', this.handshakeTimeoutMs, () => {
      if (slot.socket !== ws || ws.readyState !== CONNECTING) return;
      slot.failure = { kind: 'handshake-timeout' };
      ws.terminate();
    });
    this.emitStatus();
  }

  private attach(slot: Slot, ws: SocketLike): void {
    const mine = () => slot.socket === ws;
    ws.on('unexpected-response', (req: { destroy(): void }, res: { statusCode?: number; destroy(): void }) => {
      if (!mine()) return;
      slot.failure = { kind: 'http', status: res.statusCode ?? 0 };
      // With a listener here ws leaves the request to us: end it so the socket does not stay CONNECTING.
      res.destroy();
      req.destroy();
      ws.terminate();
    });
    ws.on('open', () => {
      if (mine()) this.onOpen(slot, ws);
    });
    ws.on('message', (data: SocketFrame) => {
      if (!mine()) return;
      const turnStartedAt = (this.turnStartedAt ??= this.startTurn());
      this.onMessage(slot, data);
      if (performance.now() - turnStartedAt > TURN_BUDGET_MS) pauseUntilNextTurn(ws);
    });
    // Any sign of life answers an outstanding ping.
    ws.on('pong', () => {
      if (mine()) slot.timers.clear('pong');
    });
    ws.on('ping', () => {
      if (mine()) slot.timers.clear('pong');
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (!mine()) return;
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        slot.failure = { kind: 'oversize' };
        // ws has sent close 1009; do not wait for the peer's close frame.
        ws.terminate();
      } else if (!slot.failure) {
        slot.failure = { kind: 'error', message: errorText(err) };
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (!mine()) return;
      slot.socket = undefined;
      ws.removeAllListeners();
      // Nothing should arrive after 'close', but an unhandled 'error' would crash the host: keep one inert guard.
      ws.on('error', noop);
      this.onClose(slot, code, Buffer.isBuffer(reason) ? reason.toString('utf8') : '');
    });
  }

  private onOpen(slot: Slot, ws: SocketLike): void {
    const now = this.scheduler.now();
    const gap = slot.everConnected;
    slot.timers.clear('handshake');
    slot.everConnected = true;
    slot.state = 'connected';
    slot.connectedAt = now;
    slot.message = undefined;
    this.log('info', `Connected to ${slot.label}${gap ? ' again' : ''}${slot.attempts > 0 ? ` after ${slot.attempts} failed attempt(s)` : ''}.`);
    this.schedulePing(slot, ws);
    // Only a connection that stays up resets the backoff, so a flapping server keeps the delays long.
    slot.timers.set('stable', this.backoff.stableMs, () => {
      if (slot.attempts === 0) return;
      slot.attempts = 0;
      this.emitStatus();
    });
    this.emitStatus();
    if (gap && this.onGap) {
      try {
        this.onGap();
      } catch (err) {
        this.log('error', `The gap handler failed: ${errorText(err)}`);
      }
    }
  }

  private schedulePing(slot: Slot, ws: SocketLike): void {
    slot.timers.set('ping', this.pingIntervalMs, () => {
      if (slot.socket !== ws || ws.readyState !== OPEN) return;
      if (!slot.timers.has('pong')) {
        try {
          ws.ping();
        } catch {
          // The socket is closing; its 'close' event follows.
        }
        slot.timers.set('pong', this.pongTimeoutMs, () => {
          if (slot.socket !== ws) return;
          slot.failure = { kind: 'pong-timeout' };
          // terminate(), not close(): a silent peer would hold a clean close for 30 s.
          ws.terminate();
        });
      }
      this.schedulePing(slot, ws);
    });
  }

  private onMessage(slot: Slot, data: SocketFrame): void {
    slot.timers.clear('pong');
    const receivedAt = this.scheduler.now();
    this.messages++;
    this.lastMessageAt = receivedAt;
    try {
      this.onFrame(slot.feed, data, receivedAt);
    } catch (err) {
      this.log('error', `Handling a ${slot.feed} frame failed: ${errorText(err)}`);
    }
  }

  /** Notes the start of this event-loop turn's frame handling; the turn ends at the next check phase. */
  private startTurn(): number {
    setImmediate(() => { this.turnStartedAt = undefined; });
    return performance.now();
  }

  private onClose(slot: Slot, code: number, reason: string): void {
    slot.timers.clearAll();
    const failure = slot.failure;
    slot.failure = undefined;
    slot.connectedAt = undefined;
    if (this.stopped) {
      slot.state = 'disconnected';
      this.log('info', `Disconnected from ${slot.label} (close ${code}).`);
      this.finishStopIfDone();
      return;
    }
    if (this.authMessage !== undefined) {
      slot.state = 'unauthorized';
      this.emitStatus();
      return;
    }
    this.retryAfterFailure(slot, code, reason, failure);
  }

  private retryAfterFailure(slot: Slot, code: number, reason: string, failure: Failure | undefined = slot.failure): void {
    slot.failure = undefined;
    const http = failure?.kind === 'http' ? failure.status : undefined;
    if ((http !== undefined && AUTH_HTTP_STATUSES.has(http)) || AUTH_CLOSE_CODES.has(code)) {
      this.becomeUnauthorized(slot, http !== undefined ? `HTTP ${http}` : `close code ${code}`);
      return;
    }
    if (http !== undefined && http >= 300 && http < 400) {
      // Following it could hand the token to another host; retrying would only be redirected again.
      slot.state = 'error';
      slot.message = this.scrub(`The server answered ${slot.label} with a redirect (HTTP ${http}). Redirects are not followed, so the token ` +
        'is never sent elsewhere: set streamLiner.url to the final wss:// address and connect again.');
      this.log('error', slot.message);
      this.emitStatus();
      return;
    }
    const oversize = failure?.kind === 'oversize' || code === 1009;
    if (oversize) this.oversizeCloses++;
    const why = this.describeEnd(code, reason, failure, oversize);
    this.log(failure || code !== 1000 ? 'warn' : 'info', `Disconnected from ${slot.label}: ${why}.`);
    this.scheduleRetry(slot, why);
  }

  private describeEnd(code: number, reason: string, failure: Failure | undefined, oversize: boolean): string {
    // The reason is the server's text (at most 123 bytes): one line without controls here, each surface adds its own escaping.
    const said = this.cleanText(reason, 123);
    const close = `close ${code}${said ? ` "${said}"` : ''}`;
    // ws sends close 1009 itself; the socket is then terminated, so `code` may read 1006.
    if (oversize) return `a frame exceeded ${MAX_FRAME_BYTES} bytes (close 1009)`;
    switch (failure?.kind) {
      case 'http': return `HTTP ${failure.status} on the upgrade`;
      case 'handshake-timeout': return `no WebSocket handshake within ${formatMs(this.handshakeTimeoutMs)}`;
      case 'pong-timeout': return `no answer to a ping within ${formatMs(this.pongTimeoutMs)}`;
      case 'error': return `${this.cleanText(failure.message, 200)} (${close})`;
      default: return close;
    }
  }

  private becomeUnauthorized(slot: Slot, why: string): void {
    this.authMessage = this.scrub(`The server refused the statistics token (${why} on ${slot.label}). ${SET_TOKEN_HINT}`);
    this.log('error', `${this.authMessage} Retries stopped on every feed.`);
    for (const s of this.slots) {
      s.timers.clear('retry');
      s.nextAttemptAt = undefined;
      s.state = 'unauthorized';
      if (s.socket) this.closeSocket(s, 'unauthorized');
    }
    this.emitStatus();
  }

  private scheduleRetry(slot: Slot, why: string): void {
    if (!this.running || this.authMessage !== undefined || slot.socket || slot.timers.has('retry')) return;
    const attempt = slot.attempts;
    const ceilingMs = backoffCeiling(attempt, this.backoff);
    const delayMs = backoffDelay(attempt, this.backoff, this.random);
    slot.attempts = attempt + 1;
    slot.state = 'reconnecting';
    slot.nextAttemptAt = this.scheduler.now() + delayMs;
    slot.message = this.scrub(`Lost ${slot.label} (${why}); reconnecting with backoff.`);
    this.retries.push({ feed: slot.feed, attempt, delayMs, ceilingMs });
    if (this.retries.length > RETRY_HISTORY) this.retries.splice(0, this.retries.length - RETRY_HISTORY);
    this.log('info', `Retrying ${slot.label} in ${formatMs(delayMs)} (attempt ${attempt + 1}, delay drawn from 0-${formatMs(ceilingMs)}).`);
    slot.timers.set('retry', delayMs, () => {
      slot.nextAttemptAt = undefined;
      this.open(slot);
    });
    this.emitStatus();
  }

  /** A clean close for an open socket, terminated if the peer does not finish it within closeGraceMs. */
  private closeSocket(slot: Slot, reason: string): void {
    const ws = slot.socket;
    if (!ws) return;
    if (ws.readyState === CONNECTING) {
      ws.terminate();
      return;
    }
    if (ws.readyState === OPEN) {
      try {
        ws.close(1000, reason);
      } catch {
        ws.terminate();
        return;
      }
    }
    slot.timers.set('grace', this.closeGraceMs, () => {
      if (slot.socket === ws) ws.terminate();
    });
  }

  private finishStopIfDone(): void {
    if (!this.stopped || !this.resolveStop || this.slots.some((s) => s.socket)) return;
    const resolve = this.resolveStop;
    this.resolveStop = undefined;
    for (const s of this.slots) {
      s.timers.clearAll();
      s.state = 'disconnected';
    }
    this.log('info', `Feeds stopped after ${this.messages} messages (oversize closes: ${this.oversizeCloses}).`);
    this.emitStatus();
    resolve();
  }

  private emitStatus(): void {
    const status = this.status;
    const key = JSON.stringify([status.state, status.message, status.nextAttemptAt, status.feeds]);
    if (key !== this.lastEmitted) {
      this.lastEmitted = key;
      for (const listener of [...this.listeners]) {
        try {
          listener(status);
        } catch (err) {
          this.log('error', `A status listener failed: ${errorText(err)}`);
        }
      }
    }
    for (const check of [...this.waiters]) check();
  }

  /** Every line goes through here: the token is scrubbed even from text that came from ws or the OS. */
  private log(level: keyof FeedLogger, msg: string): void {
    try {
      this.logger[level](this.scrub(msg));
    } catch {
      // A broken logger must not break the connection.
    }
  }

  private scrub(text: string): string {
    return this.#token.length >= 4 ? text.split(this.#token).join('[redacted]') : text;
  }
}
