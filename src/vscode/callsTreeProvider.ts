// The Calls view (streamLiner.calls): a thin TreeDataProvider over src/core/treeModel.ts. It coalesces store
// changes (<= 4 refreshes/s, last one always lands), refreshes per group where it can, keeps node objects
// stable per id (expansion, selection, reveal survive), and ticks elapsed times once a second while visible.
import * as vscode from 'vscode';
import { Coalescer, systemScheduler, type Scheduler } from '../core/coalescer';
import { describeFilter } from '../core/filter';
import { addKeys, anyKeyIn } from '../core/keySet';
import type {
  CallFilter, CallGroup, CallRecord, Counters, GroupMode, QueueStats, StoreChange,
} from '../core/model';
import type { ConnectionStatusSource } from '../core/statusModel';
import {
  buildTree, DEFAULT_CAP, describeNode, ENDED_GROUP_ID, groupDescription, groupId, groupLabel, nodeTooltip, rowDescription,
  type GroupNode, type NodeCache, type NodeView, type TreeNode,
} from '../core/treeModel';

/** What the provider reads from the CallStore. */
export interface CallsTreeStore {
  groups(mode: GroupMode): CallGroup[];
  endedCalls(): CallRecord[];
  counters(): Counters;
  queueStats(): QueueStats[];
  readonly filter: CallFilter;
  readonly activeCount: number;
  onDidChange(listener: (change: StoreChange) => void): { dispose(): void };
}

export interface CallsTreeOptions {
  /** Initial grouping (the streamLiner.groupBy setting). */
  mode: GroupMode;
  /** For the "No active calls" message, shown only while connected. */
  connection?: ConnectionStatusSource;
  /** Rows per group before "…N more" (default 500). */
  cap?: number;
  /** Timers for the coalescer and the 1 s tick (tests). */
  scheduler?: Scheduler;
  /** View id; default 'streamLiner.calls'. Pass `null` to create no TreeView (tests call the provider directly). */
  viewId?: string | null;
  showCollapseAll?: boolean;
}

interface Pending {
  all: boolean;
  queue: Set<string>;
  agent: Set<string>;
  ended: boolean;
}

const TICK_MS = 1000;
/** Beyond this many dirty groups a root refresh is cheaper than many element refreshes. */
const MAX_GROUP_EVENTS = 50;
export const VIEW_ID = 'streamLiner.calls';
export const OPEN_TIMELINE_COMMAND = 'streamLiner.openTimeline';

function markdown(text: string | undefined): vscode.MarkdownString | undefined {
  if (text === undefined) return undefined;
  const md = new vscode.MarkdownString(text);
  // Feed text is untrusted: no command links, no HTML, no $(icon) expansion.
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

export class CallsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** The TreeView this provider created (undefined with viewId null). */
  readonly view: vscode.TreeView<TreeNode> | undefined;

  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly coalescer: Coalescer<StoreChange, Pending>;
  private readonly scheduler: Scheduler;
  private readonly cache: NodeCache = new Map();
  /** Texts last handed to VS Code per node id, so the tick refreshes only rows whose text changed. */
  private readonly rendered = new Map<string, string>();
  private roots: GroupNode[] = [];
  private stale = true;
  private statsByQueue: Map<string, QueueStats> | undefined;
  private tickTimer: unknown;
  private ticking = false;
  private currentMode: GroupMode;
  private disposed = false;

  constructor(
    private readonly store: CallsTreeStore,
    private readonly options: CallsTreeOptions,
  ) {
    this.currentMode = options.mode;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.coalescer = new Coalescer<StoreChange, Pending>({
      scheduler: this.scheduler,
      // Folds each change into one summary: no allocation per store message.
      merge: (p = { all: false, queue: new Set(), agent: new Set(), ended: false }, c) => {
        p.all ||= c.all;
        p.ended ||= c.ended.size > 0 || this.touchesEnded(c);
        if (!p.all) {
          addKeys(p.queue, c.queueGroups);
          addKeys(p.agent, c.agentGroups);
        }
        return p;
      },
      flush: (p) => this.apply(p),
      onError: (err) => console.error('Stream Liner: tree refresh failed', err),
    });
    this.subscriptions.push(
      { dispose: () => this.coalescer.dispose() },
      this.emitter,
      // The coalescer folds each change into its own pending sets at once (its merge), so the change is not kept.
      store.onDidChange((c) => this.coalescer.push(c)),
    );
    if (options.connection) this.subscriptions.push(options.connection.onDidChangeStatus(() => this.updateChrome()));
    if (options.viewId !== null) {
      const view = vscode.window.createTreeView(options.viewId ?? VIEW_ID, {
        treeDataProvider: this, showCollapseAll: options.showCollapseAll ?? true,
      });
      this.view = view;
      this.subscriptions.push(view, view.onDidChangeVisibility(() => this.onVisibility()));
    }
    this.updateChrome();
    this.onVisibility();
  }

  get mode(): GroupMode {
    return this.currentMode;
  }

  /** Switches between queue and agent grouping (the wiring sets the streamLiner.groupBy context key). */
  setMode(mode: GroupMode): void {
    if (mode === this.currentMode) return;
    this.currentMode = mode;
    this.refresh();
  }

  /** Rebuilds everything now and fires a root refresh. */
  refresh(): void {
    this.stale = true;
    this.updateChrome();
    if (this.visible) this.rebuild();
    this.emitter.fire(undefined);
  }

  /** The current root nodes (groups), rebuilt if stale. For tests and the wiring's integration checks. */
  rootNodes(): readonly GroupNode[] {
    if (this.stale) this.rebuild();
    return this.roots;
  }

  /** The node of a call row (first group it appears in), e.g. to reveal it. */
  findCallNode(callId: string): TreeNode | undefined {
    for (const g of this.rootNodes()) for (const r of g.children) if (r.kind === 'call' && r.call.id === callId) return r;
    return undefined;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.rootNodes().slice();
    if (this.stale) this.rebuild();
    return node.kind === 'group' ? node.children.slice() : [];
  }

  /** Call-row tooltips are built on hover only: they are the costly part of a row. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'call') item.tooltip = markdown(nodeTooltip(node, this.scheduler.now()));
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'group' ? undefined : node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const now = this.scheduler.now();
    const view = describeNode(node, now, node.kind === 'group' && node.groupKind === 'queue' ? this.statsFor(node.key) : undefined);
    this.rendered.set(node.id, this.renderKey(node, view));
    const item = new vscode.TreeItem(
      view.label,
      !view.collapsible ? vscode.TreeItemCollapsibleState.None
        : node.id === ENDED_GROUP_ID ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = node.id;
    item.description = view.description;
    item.tooltip = markdown(view.tooltip);
    item.contextValue = view.contextValue;
    item.accessibilityInformation = { label: view.ariaLabel };
    if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon, view.color ? new vscode.ThemeColor(view.color) : undefined);
    if (node.kind === 'call') {
      item.command = { command: OPEN_TIMELINE_COMMAND, title: 'Open Call Timeline', arguments: [node.call.id] };
    } else if (node.kind === 'more') {
      item.command = { command: 'streamLiner.filter', title: 'Filter…' };
    }
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTick();
    for (const s of this.subscriptions.splice(0).reverse()) s.dispose();
    this.cache.clear();
    this.rendered.clear();
  }

  private get visible(): boolean {
    return this.view ? this.view.visible : true;
  }

  /** A change touches the ended group when one of its rows' calls changed (late documents, retention). */
  private touchesEnded(c: StoreChange): boolean {
    const ended = this.cache.get(ENDED_GROUP_ID);
    // The group's row index by call id: no row id text per call and change.
    return ended !== undefined && ended.kind === 'group' && anyKeyIn(c.calls, ended.rowIndex);
  }

  private rebuild(): void {
    this.roots = buildTree(this.store, { mode: this.currentMode, cap: this.options.cap ?? DEFAULT_CAP, now: this.scheduler.now() }, this.cache);
    this.statsByQueue = undefined;
    this.stale = false;
    if (this.rendered.size > this.cache.size * 2 + 100) {
      for (const id of this.rendered.keys()) if (!this.cache.has(id)) this.rendered.delete(id);
    }
  }

  private statsFor(queueId: string): QueueStats | undefined {
    if (!this.statsByQueue) {
      this.statsByQueue = new Map();
      for (const s of this.store.queueStats()) this.statsByQueue.set(s.queueId, s);
    }
    return this.statsByQueue.get(queueId);
  }

  private renderKey(node: TreeNode, view: NodeView): string {
    return node.kind === 'more' ? view.label : `${view.label}\u0000${view.description ?? ''}`;
  }

  /** One coalesced batch of store changes. */
  private apply(p: Pending): void {
    if (this.disposed) return;
    this.updateChrome();
    if (!this.visible) {
      // VS Code doesn't render a hidden view; rebuild once it shows again.
      this.stale = true;
      return;
    }
    const before = this.roots;
    this.rebuild();
    const after = this.roots;
    const sameGroups = before.length === after.length && before.every((g, i) => g === after[i]);
    const keys = this.currentMode === 'queue' ? p.queue : p.agent;
    if (p.all || !sameGroups || keys.size > MAX_GROUP_EVENTS) {
      this.emitter.fire(undefined);
    } else {
      const dirty: TreeNode[] = [];
      for (const key of keys) {
        const node = this.cache.get(groupId(this.currentMode, key));
        if (node) dirty.push(node);
      }
      if (p.ended) {
        const ended = this.cache.get(ENDED_GROUP_ID);
        if (ended) dirty.push(ended);
      }
      if (dirty.length > 0) this.emitter.fire(dirty);
    }
    this.updateTick();
  }

  /** View description (filter), badge (waiting calls) and the empty message. Cheap: no tree build. */
  private updateChrome(): void {
    const view = this.view;
    if (!view || this.disposed) return;
    const filter = this.store.filter;
    const filterText = filter.length > 0 ? describeFilter(filter) : '';
    view.description = filterText ? `Filter: ${filterText}` : undefined;
    const counters = this.store.counters();
    view.badge = counters.waiting > 0
      ? { value: counters.waiting, tooltip: counters.waiting === 1 ? '1 call waiting' : `${counters.waiting} calls waiting` }
      : undefined;
    const connected = this.options.connection?.status.state === 'connected';
    let message: string | undefined;
    if (counters.active === 0 && filterText && this.store.activeCount > 0) message = `No active calls match the filter (${filterText}).`;
    else if (counters.active === 0 && connected) message = 'No active calls';
    if (view.message !== message) view.message = message;
  }

  private onVisibility(): void {
    if (this.disposed) return;
    if (this.visible && this.stale && this.view) {
      this.rebuild();
      this.emitter.fire(undefined);
    }
    this.updateTick();
  }

  private updateTick(): void {
    const want = this.visible && !this.disposed && this.roots.length > 0;
    if (want && !this.ticking) {
      this.ticking = true;
      this.tickTimer = this.scheduler.setTimeout(() => this.tick(), TICK_MS);
    } else if (!want) {
      this.stopTick();
    }
  }

  private stopTick(): void {
    if (this.ticking) this.scheduler.clearTimeout(this.tickTimer);
    this.ticking = false;
  }

  /** Once a second: refresh only the rows (and group headers) whose shown text changed. */
  private tick(): void {
    this.ticking = false;
    if (this.disposed || !this.visible) return;
    const now = this.scheduler.now();
    const changed: TreeNode[] = [];
    for (const group of this.roots) {
      const shown = this.rendered.get(group.id);
      if (shown !== undefined && shown !== `${groupLabel(group)}\u0000${groupDescription(group, now) ?? ''}`) {
        changed.push(group); // refreshing a group refreshes its rows too
        continue;
      }
      for (const row of group.children) {
        if (row.kind !== 'call') continue;
        const was = this.rendered.get(row.id);
        if (was === undefined) continue; // never rendered (collapsed group)
        const label = was.slice(0, was.indexOf('\u0000'));
        if (was !== `${label}\u0000${rowDescription(row, now)}`) changed.push(row);
      }
    }
    if (changed.length > 0) this.emitter.fire(changed);
    this.updateTick();
  }
}
