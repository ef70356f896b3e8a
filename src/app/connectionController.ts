// Owns the CallStore, the FeedConnection and, in demo mode, an in-process simulator (loaded on demand). No UI here: the commands in src/vscode/
// do the prompting; this class only connects, disconnects and keeps the store and the sweep timer in step.
import { safeLine } from '../shared/sanitize';
import { formatClock } from '../shared/format';
import { describeBounds } from '../core/limits';
import { describeRejects } from '../core/ingest/rejections';
import type { FrameIngest, IngestCounts } from '../core/ingest/frameIngest';
import { CallStore } from '../core/store';
import type { FeedName } from '../core/types';
import type { ConnectionState, ConnectionStatus, FeedConnection } from '../feed/connection';
import { originOf } from '../feed/url';
import { Disposable } from './disposable';
import { secureRandomBytes } from './secureRandom';
import { loadFeed, type FeedModule } from './feedLoader';
import { errorMessage, type Log } from './log';
import { storeOptionsFrom, type StreamLinerSettings } from './settings';
import { loadSimulator, type DemoSimulator, type SimulatorModule } from './simulatorLoader';

export interface ConnectTarget {
  baseUrl: string;
  /** The origin the token was stored for (originOf): open() refuses a baseUrl of any other origin. */
  tokenOrigin: string;
  token: string;
  feeds: readonly FeedName[];
  perMessageDeflate: boolean;
}

export interface ControllerStatus {
  state: ConnectionState;
  demo: boolean;
  message?: string;
  /** Base URL of the live connection (never with the token). */
  url?: string;
  feed?: ConnectionStatus;
}

type Listener = (status: ControllerStatus) => void;

const ALL_FEEDS: readonly FeedName[] = ['calls', 'queues', 'agents'];
const SWEEP_MS = 1000;
const SUMMARY_MS = 60_000;

export interface ControllerDeps {
  log: Log;
  settings: () => StreamLinerSettings;
  /** Mirrors the state into the streamLiner.connectionState context key. */
  setContext: (state: ConnectionState) => void;
  /** Injected timers so the sweep/summary logic is testable. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /** Loads the simulator when a demo starts (default: dist/simulator.js). */
  loadSimulator?: () => SimulatorModule;
  /** Loads the feed clients and the ingest path at the first connection (default: dist/feed.js). */
  loadFeed?: () => FeedModule;
}

export class ConnectionController extends Disposable {
  readonly store: CallStore;
  // Private (#) fields: the token (in the target, the connection and the demo simulator) is out of reach of any
  // code that walks this object.
  #connection: FeedConnection | undefined;
  /** The current connection's way into the store, with its counts of frames by route and rejects by reason. */
  #ingest: FrameIngest | undefined;
  private connectionSubscription: { dispose(): void } | undefined;
  #simulator: DemoSimulator | undefined;
  #target: ConnectTarget | undefined;
  private sweepTimer: unknown;
  private summaryTimer: unknown;
  private lastState: ConnectionState = 'disconnected';
  private lastSummary = '';
  /** The store's bounds revision last logged, and whether no bound had been hit then (the next hit is logged at once). */
  private boundsLogged = 0;
  private boundsQuiet = true;
  private readonly listeners = new Set<Listener>();
  /** Bumped on every connect/disconnect so a slow older attempt cannot overwrite a newer one. */
  private generation = 0;

  constructor(private readonly deps: ControllerDeps) {
    super();
    this.store = new CallStore(storeOptionsFrom(deps.settings()));
    this._register(this.store.onDidChange(() => {
      this.updateSweep();
      // The first bound hit is logged at once; later ones with the periodic summary.
      if (this.boundsQuiet && this.store.boundsRevision !== this.boundsLogged) this.logBounds();
    }));
    deps.setContext('disconnected');
  }

  get state(): ConnectionState {
    return this.#connection?.status.state ?? 'disconnected';
  }

  get isDemo(): boolean {
    return this.#simulator !== undefined;
  }

  /** The demo simulator's address (for tests and the status tooltip), when demo mode runs. */
  get demoSimulator(): { url: string; port: number } | undefined {
    return this.#simulator ? { url: this.#simulator.url, port: this.#simulator.port } : undefined;
  }

  /** What became of the current connection's frames: applied by route, rejected by reason. */
  get ingestCounts(): IngestCounts | undefined {
    return this.#connection ? this.#ingest?.counts() : undefined;
  }

  get status(): ControllerStatus {
    const feed = this.#connection?.status;
    return { state: this.state, demo: this.isDemo, message: feed?.message, url: this.#target?.baseUrl, feed };
  }

  onDidChangeStatus(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Opens the feeds. Throws (before any socket) for a refused URL. Returns once the sockets are being opened. */
  async connect(target: ConnectTarget): Promise<FeedConnection> {
    await this.stopAll('reconnect');
    return this.open(target, ++this.generation);
  }

  /** Starts the built-in simulator on a random loopback port with a fresh token and connects to it. */
  async startDemo(): Promise<FeedConnection> {
    await this.stopAll('demo start');
    const generation = ++this.generation;
    const token = secureRandomBytes(24).toString('hex');
    this.deps.log.addSecret(token);
    const { SimulatorServer } = (this.deps.loadSimulator ?? loadSimulator)();
    const simulator = new SimulatorServer({ token, host: '127.0.0.1', port: 0, log: (line) => this.deps.log.debug(`simulator: ${line}`) });
    await simulator.start();
    if (generation !== this.generation || this.isDisposed) {
      await simulator.stop();
      throw new Error('Demo start was cancelled.');
    }
    this.#simulator = simulator;
    this.deps.log.info(`Demo simulator listening at ${simulator.url}.`);
    this.store.clear();
    return this.open({ baseUrl: simulator.url, tokenOrigin: originOf(simulator.url) ?? '', token, feeds: ALL_FEEDS, perMessageDeflate: false }, generation);
  }

  /** Closes every socket, stops the demo simulator and cancels every timer. */
  async disconnect(): Promise<void> {
    this.generation++;
    await this.stopAll('disconnect');
  }

  /** Applies store options in place (retention, service level, expiry). */
  updateStoreOptions(settings: StreamLinerSettings): void {
    this.store.setOptions(storeOptionsFrom(settings));
  }

  /** Restarts the live (non-demo) connection with new connection settings and the same token. */
  async restart(settings: StreamLinerSettings): Promise<void> {
    if (!this.#target || this.isDemo) return;
    // Same token, so the same origin only: open() refuses another one.
    const target: ConnectTarget = { ...this.#target, baseUrl: settings.url, feeds: settings.feeds, perMessageDeflate: settings.perMessageDeflate };
    this.deps.log.info('Connection settings changed: reconnecting.');
    await this.connect(target);
  }

  private open(target: ConnectTarget, generation: number): FeedConnection {
    const log = this.deps.log;
    if (originOf(target.baseUrl) !== target.tokenOrigin) {
      throw new Error(`The token for ${target.tokenOrigin} is not sent to ${originOf(target.baseUrl) ?? 'another origin'}. Run "Stream Liner: Connect" to connect there.`);
    }
    log.addSecret(target.token);
    const { FeedConnection, FrameIngest } = (this.deps.loadFeed ?? loadFeed)();
    const ingest = new FrameIngest(this.store, { logger: log });
    // The constructor throws InsecureUrlError for a refused URL, before any socket.
    const connection = new FeedConnection({
      baseUrl: target.baseUrl,
      cleanText: safeLine,
      token: target.token,
      feeds: target.feeds,
      perMessageDeflate: target.perMessageDeflate,
      logger: log,
      // A stale connection's frames are dropped.
      onFrame: (feed, frame, receivedAt) => {
        if (generation === this.generation) ingest.accept(feed, frame, receivedAt);
      },
      onGap: () => {
        if (generation !== this.generation) return;
        log.info('Feed gap: marking active calls unconfirmed until new documents arrive.');
        this.store.markReconnected();
      },
    });
    this.#connection = connection;
    this.#ingest = ingest;
    this.#target = target;
    this.connectionSubscription = connection.onDidChangeStatus(() => this.onStatus());
    log.info(`Connecting to ${target.baseUrl} (feeds: ${target.feeds.join(', ')}${target.perMessageDeflate ? ', per-message deflate' : ''})${this.isDemo ? ' [demo]' : ''}.`);
    connection.start();
    this.startSummary();
    this.onStatus();
    return connection;
  }

  private onStatus(): void {
    const status = this.status;
    if (status.state !== this.lastState) {
      const prev = this.lastState;
      this.lastState = status.state;
      const feed = status.feed;
      const retryIn = feed?.nextAttemptAt !== undefined ? `; next attempt in ${Math.max(0, Math.round((feed.nextAttemptAt - Date.now()) / 100) / 10)} s` : '';
      const message = status.message ? `: ${status.message}` : '';
      const line = `Connection ${prev} -> ${status.state}${message}${retryIn}`;
      if (status.state === 'unauthorized' || status.state === 'error') this.deps.log.warn(line);
      else this.deps.log.info(line);
      this.deps.setContext(status.state);
    }
    this.updateSweep();
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch (err) {
        this.deps.log.error(`Status listener failed: ${errorMessage(err)}`);
      }
    }
  }

  /** The sweep runs while a connection exists and either is connected or has calls in memory. */
  private updateSweep(): void {
    const wanted = this.#connection !== undefined && (this.state === 'connected' || this.store.activeCount + this.store.endedCount > 0);
    const setI = this.deps.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
    if (wanted && this.sweepTimer === undefined) {
      this.sweepTimer = setI(() => {
        try {
          this.store.sweep();
        } catch (err) {
          this.deps.log.error(`Sweep failed: ${errorMessage(err)}`);
        }
        this.updateSweep();
      }, SWEEP_MS);
    } else if (!wanted && this.sweepTimer !== undefined) {
      this.clearTimer(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  private startSummary(): void {
    if (this.summaryTimer !== undefined) return;
    const setI = this.deps.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
    this.summaryTimer = setI(() => this.logSummary(), SUMMARY_MS);
  }

  /** Periodic counts: messages, rejected frames by reason, calls in memory. Logged only when something changed. */
  logSummary(): void {
    const feed = this.#connection?.status;
    const counts = this.ingestCounts;
    if (!feed || !counts) return;
    const rejected = describeRejects(counts.rejected);
    const line = `Summary: ${feed.messages} messages, rejected ${rejected || 'none'}, oversize closes ${feed.oversizeCloses}, ` +
      `${this.store.activeCount} active / ${this.store.endedCount} ended calls in memory.`;
    if (line !== this.lastSummary) {
      this.lastSummary = line;
      this.deps.log.info(line);
    }
    this.logBoundsIfChanged();
  }

  /** Logs the memory bounds hit when they changed since last logged. */
  private logBoundsIfChanged(): void {
    if (this.store.boundsRevision !== this.boundsLogged) this.logBounds();
  }

  /** Logs the memory bounds hit so far (how many calls dropped, timelines trimmed, since when), once per change. */
  private logBounds(): void {
    this.boundsLogged = this.store.boundsRevision;
    const text = describeBounds(this.store.boundsHit, formatClock);
    this.boundsQuiet = text === undefined;
    if (text) this.deps.log.warn(text);
  }

  private clearTimer(handle: unknown): void {
    if (this.deps.clearInterval) this.deps.clearInterval(handle);
    else clearInterval(handle as NodeJS.Timeout);
  }

  private async stopAll(why: string): Promise<void> {
    const connection = this.#connection;
    const simulator = this.#simulator;
    this.connectionSubscription?.dispose();
    this.connectionSubscription = undefined;
    this.#connection = undefined;
    this.#simulator = undefined;
    this.#target = undefined;
    if (this.sweepTimer !== undefined) this.clearTimer(this.sweepTimer);
    if (this.summaryTimer !== undefined) this.clearTimer(this.summaryTimer);
    this.sweepTimer = undefined;
    this.summaryTimer = undefined;
    if (connection) {
      this.logSummaryOf(connection);
      try {
        await connection.stop();
      } catch (err) {
        this.deps.log.error(`Closing the feeds failed: ${errorMessage(err)}`);
      }
      this.deps.log.info(`Disconnected (${why}).`);
    }
    if (simulator) {
      try {
        await simulator.stop();
      } catch (err) {
        this.deps.log.error(`Stopping the demo simulator failed: ${errorMessage(err)}`);
      }
      this.deps.log.info('Demo simulator stopped.');
      // The demo's calls are not real: do not leave them in the views.
      this.store.clear();
    }
    if (this.lastState !== 'disconnected') {
      this.lastState = 'disconnected';
      this.deps.setContext('disconnected');
    }
    for (const listener of [...this.listeners]) listener(this.status);
  }

  private logSummaryOf(connection: FeedConnection): void {
    const rejected = this.#ingest ? describeRejects(this.#ingest.counts().rejected) : '';
    this.deps.log.info(`Closing feeds after ${connection.status.messages} messages (rejected: ${rejected || 'none'}).`);
  }

  override dispose(): void {
    this.generation++;
    void this.stopAll('deactivate');
    this.listeners.clear();
    super.dispose();
  }
}
