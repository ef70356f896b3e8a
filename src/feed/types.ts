// Public types of the feed clients (src/feed/connection.ts re-exports them).
import type { FeedName, SocketFrame } from '../core/types';
import type { Scheduler } from './scheduler';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'error';

export interface FeedLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

export interface FeedStatus {
  state: ConnectionState;
  /** Consecutive failed attempts; reset after a connection stayed up for backoff.stableMs. */
  attempts: number;
  connectedAt?: number;
  nextAttemptAt?: number;
}

export interface ConnectionStatus {
  state: ConnectionState;
  /** Earliest retry of any feed waiting to reconnect. */
  nextAttemptAt?: number;
  /** Human-readable reason for unauthorized/error/reconnecting; never contains the token. */
  message?: string;
  feeds: Partial<Record<FeedName, FeedStatus>>;
  lastMessageAt?: number;
  /** Frames received (what became of them is counted by core's FrameIngest). */
  messages: number;
  /** Sockets closed because a frame exceeded MAX_FRAME_BYTES. */
  oversizeCloses: number;
}

/** The part of a `ws` WebSocket the client uses; tests may inject a fake through `createSocket`. */
export interface SocketLike {
  readonly readyState: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ws and EventEmitter type listeners with any[]
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  listenerCount(event: string): number;
  ping(): void;
  /** Stops reading the socket until resume(); frames already read are still delivered. */
  readonly isPaused: boolean;
  pause(): void;
  resume(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** The options handed to `new WebSocket(url, options)`; recorded so tests can check them. */
export interface SocketOptions {
  headers: Record<string, string>;
  followRedirects: false;
  handshakeTimeout: number;
  maxPayload: number;
  perMessageDeflate: boolean;
  autoPong: true;
  skipUTF8Validation: true;
}

export interface FeedConnectionOptions {
  baseUrl: string;
  token: string;
  feeds: readonly FeedName[];
  /** Default false. */
  perMessageDeflate?: boolean;
  /** Default 10000. */
  handshakeTimeoutMs?: number;
  /** Default 30000. */
  pingIntervalMs?: number;
  /** Default 10000. */
  pongTimeoutMs?: number;
  /** Defaults 1000 / 60000 / 30000. */
  backoff?: { initialMs?: number; maxMs?: number; stableMs?: number };
  /** How long stop() waits for a clean close before terminating. Default 1000. */
  closeGraceMs?: number;
  random?: () => number;
  logger?: FeedLogger;
  /** Timers and clock; defaults to the real ones. */
  scheduler?: Scheduler;
  /** Socket factory; defaults to `new WebSocket(url, options)` from `ws`. For tests. */
  createSocket?: (url: string, options: SocketOptions) => SocketLike;
  /**
   * Every frame, as ws gave it, with its feed and arrival time; called synchronously in the socket's message event.
   * `frame` may be a view into the socket's read buffer: whatever keeps it copies it. A throw is logged.
   */
  onFrame(feed: FeedName, frame: SocketFrame, receivedAt: number): void;
  /** A feed reconnected after having been connected: the store should markReconnected(). */
  onGap?(): void;
  /**
   * Makes a server's text (a close reason, a socket error) one line of at most `max` characters without control or
   * direction characters, for the log and the status: the caller's sanitiser (src/shared/sanitize.ts safeLine), as
   * the feed imports nothing but core's types and clock.
   */
  cleanText(text: string, max: number): string;
}

/** One scheduled reconnect, recorded for tests and diagnostics. */
export interface RetryRecord {
  feed: FeedName;
  /** 0-based attempt the delay was computed for. */
  attempt: number;
  delayMs: number;
  /** min(maxMs, initialMs * 2^attempt): the delay is within [0, ceilingMs]. */
  ceilingMs: number;
}

export interface DebugCounts {
  /** Sockets that exist (connecting, open or closing). */
  sockets: number;
  /** Pending timers of every kind (retry, handshake, ping, pong, stable, close grace, whenConnected). */
  timers: number;
  /** Listeners attached to live sockets. */
  socketListeners: number;
  statusListeners: number;
}
