// The host pipeline as the extension wires it, minus the VS Code window: the real FeedConnection (feed client +
// decoder) feeding a CallStore with an active filter, a 1 s sweep like the connection controller's, and the
// real CallsTreeProvider (store change events -> its coalescer -> refresh events), with VS Code's side of a
// visible, expanded view played by TreeViewHost: on every refresh event it fetches the children and tree items.
import { safeLine } from '../../src/shared/sanitize';
import '../support/vscodeFake';
import { WebSocket } from 'ws';
import { FrameIngest } from '../../src/core/ingest/frameIngest';
import { describeRejects } from '../../src/core/ingest/rejections';
import type { CallFilter, StoreChange } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import type { TreeNode } from '../../src/core/treeModel';
import { FEED_NAMES, type FeedName, type SocketFrame } from '../../src/core/types';
import { FeedConnection, type FeedLogger } from '../../src/feed/connection';
import { CallsTreeProvider } from '../../src/vscode/callsTreeProvider';

/** An active filter that matches part of the simulated traffic (OR of criteria, as the contract says). */
export const BENCH_FILTER: CallFilter = [{ field: 'queue', value: 'sales' }, { field: 'direction', value: 'outgoing' }];

/** Collects the feed client's warnings and errors so a broken run says why instead of hanging. */
export class BenchLogger implements FeedLogger {
  readonly problems: string[] = [];
  info(): void { /* quiet */ }
  debug(): void { /* quiet */ }
  warn(msg: string): void { this.problems.push(`warn: ${msg}`); }
  error(msg: string): void { this.problems.push(`error: ${msg}`); }
}

/**
 * The real tree provider on a store, plus what VS Code does with a visible view whose groups are expanded:
 * after each onDidChangeTreeData it asks (on a later turn of the event loop) for the changed elements' tree
 * items and children. `refreshes` counts the events fired by the provider's coalesced refresh; `ticks` the
 * once-a-second elapsed-time updates, which do not come from the coalescer.
 */
export class TreeViewHost {
  readonly provider: CallsTreeProvider;
  refreshes = 0;
  ticks = 0;
  items = 0;
  private inRefresh = false;
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(store: CallStore, onChange?: (change: StoreChange) => void) {
    if (onChange) this.subscriptions.push(store.onDidChange(onChange));
    this.provider = new CallsTreeProvider(store, { mode: 'queue', viewId: null });
    // The coalescer's flush calls the provider's private apply(); count the events fired from inside it.
    const target = this.provider as unknown as { apply(p: unknown): void };
    const apply = target.apply.bind(this.provider);
    target.apply = (p: unknown): void => {
      this.inRefresh = true;
      try {
        apply(p);
      } finally {
        this.inRefresh = false;
      }
    };
    this.subscriptions.push(this.provider.onDidChangeTreeData((e) => {
      if (this.inRefresh) this.refreshes++;
      else this.ticks++;
      setImmediate(() => this.fetch(e));
    }));
  }

  /** VS Code's side: re-read the changed elements (all roots for undefined) and the children of expanded groups. */
  private fetch(e: TreeNode | TreeNode[] | undefined): void {
    const nodes = e === undefined ? this.provider.getChildren() : Array.isArray(e) ? e : [e];
    for (const node of nodes) {
      const item = this.provider.getTreeItem(node);
      this.items++;
      if (node.kind === 'group' && item.collapsibleState === 2 /* Expanded */) {
        for (const row of this.provider.getChildren(node)) {
          this.provider.getTreeItem(row);
          this.items++;
        }
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.provider.dispose();
  }
}

export interface PipelineHooks {
  /** Called when a decoded document is handed over, before the store sees it. */
  beforeDocument?(): void;
  /** Called after each document went through the store (changed = the store emitted a change). */
  afterDocument?(changed: boolean): void;
  onChange?(change: StoreChange): void;
}

/** One connected pipeline: FeedConnection -> CallStore (filtered, swept) -> change events -> tree provider. */
export class Pipeline {
  readonly store = new CallStore();
  readonly view: TreeViewHost;
  readonly logger = new BenchLogger();
  readonly connection: FeedConnection;
  readonly ingest: FrameIngest;
  documents = 0;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(baseUrl: string, hooks: PipelineHooks = {}) {
    this.store.setFilter(BENCH_FILTER);
    this.view = new TreeViewHost(this.store, hooks.onChange);
    this.sweepTimer = setInterval(() => this.store.sweep(), 1000);
    this.ingest = new FrameIngest(this.store, { logger: this.logger });
    this.connection = new FeedConnection({
      baseUrl,
      token: 'bench-token',
      feeds: FEED_NAMES,
      cleanText: safeLine,
      logger: this.logger,
      // As the connection controller wires it: every frame through the one ingest path.
      onFrame: (feed: FeedName, frame: SocketFrame, receivedAt: number) => {
        hooks.beforeDocument?.();
        const outcome = this.ingest.accept(feed, frame, receivedAt);
        if (outcome === 'rejected' || outcome === 'failed') return;
        this.documents++;
        hooks.afterDocument?.(outcome === 'changed');
      },
    });
    this.connection.start();
  }

  describeProblems(): string {
    const s = this.connection.status;
    const rejected = describeRejects(this.ingest.counts().rejected) || 'none';
    return `${this.documents} documents, ${s.messages} messages, rejected ${rejected}; ${this.logger.problems.slice(0, 3).join(' | ')}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.view.dispose();
    await this.connection.stop();
  }
}

/**
 * Records when each ws 'message' event starts being dispatched (the frame's arrival), by wrapping the ws
 * WebSocket's emit. The feed client handles a message synchronously inside that dispatch, so the latest
 * arrival is the arrival of the document being ingested.
 */
export class ArrivalHook {
  last = 0;
  private readonly original = WebSocket.prototype.emit;

  install(): void {
    const original = this.original;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const hook = this;
    WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message') hook.last = performance.now();
      return original.call(this, event, ...args);
    } as typeof WebSocket.prototype.emit;
  }

  uninstall(): void {
    WebSocket.prototype.emit = this.original;
  }
}
