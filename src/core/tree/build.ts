// The Calls tree as plain data: group nodes and rows with stable ids, built from the store's groups and ended
// calls, reusing node objects by id from build to build. Pure (no vscode); present.ts says how each node is shown.
import { type CallGroup, type CallRecord, type CallState, type GroupMode } from '../model';
import { treeText } from '../../shared/sanitize';

/** What the tree needs from the store. */
export interface TreeStore {
  /** In group order (src/core/groupOrder.ts), the catch-all group named by noGroupLabel. */
  groups(mode: GroupMode): CallGroup[];
  endedCalls(): CallRecord[];
}

export interface BuildOptions {
  mode: GroupMode;
  /** Rows shown per group before a "…N more" row (default 500). */
  cap?: number;
  now: number;
  /** Show the "Recently ended" group (when it has calls). Default true. */
  endedVisible?: boolean;
}

export type GroupKind = 'queue' | 'agent' | 'ended';

export interface GroupNode {
  readonly kind: 'group';
  /** `queue:<queueId>`, `agent:<agentId>` or `ended`. */
  readonly id: string;
  readonly groupKind: GroupKind;
  /** Queue id, agent id, NO_GROUP_KEY, or 'ended'. */
  readonly key: string;
  /** Name without the count. */
  name: string;
  /** Every call of the group, shown or not. */
  count: number;
  /** Longest current wait among the group's confirmed waiting/ringing calls at build time (0 when none). */
  longestWaitMs: number;
  /** When that longest wait started, so the description can move with the clock without a rebuild. */
  oldestWaitSince: number | undefined;
  children: RowNode[];
  /** @internal build generation, for pruning the cache. */
  gen: number;
  /** @internal this group's call rows by call id (lookup without building the row id string). */
  rowIndex: Map<string, CallNode>;
}

export interface CallNode {
  readonly kind: 'call';
  /** `<group id>/call:<call id>`: a ring-all call has one row under each agent it rings. */
  readonly id: string;
  readonly parent: GroupNode;
  call: CallRecord;
  gen: number;
  /** @internal the row's text that does not depend on the clock, for `call` at one revision. */
  parts?: RowParts;
}


/**
 * @internal A row's description is `head + elapsed + tail` and its screen-reader label `ariaHead + elapsed + ariaTail`:
 * only the elapsed time moves with the clock, so the rest is built once per call revision, not per refresh.
 */
export interface RowParts {
  call: CallRecord;
  revision: number;
  label: string;
  head: string;
  tail: string;
  ariaHead: string;
  ariaTail: string;
}

export interface MoreNode {
  readonly kind: 'more';
  /** `<group id>/more`. */
  readonly id: string;
  readonly parent: GroupNode;
  hidden: number;
  gen: number;
}

export type RowNode = CallNode | MoreNode;
export type TreeNode = GroupNode | RowNode;

/** Node objects by id, reused from build to build so the view's getParent/reveal and element refreshes work. */
export type NodeCache = Map<string, TreeNode>;

export const DEFAULT_CAP = 500;
export const ENDED_GROUP_ID = 'ended';
export const ENDED_LABEL = 'Recently ended';

export function groupId(mode: GroupMode, key: string): string {
  return `${mode}:${key}`;
}

let generation = 0;

function byStart(a: CallRecord, b: CallRecord): number {
  return a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function isSorted(calls: readonly CallRecord[]): boolean {
  for (let i = 1; i < calls.length; i++) if (byStart(calls[i - 1], calls[i]) > 0) return false;
  return true;
}

function isWaiting(state: CallState): boolean {
  return state === 'waiting' || state === 'ringing';
}

/** How long the call has waited at `now` (queue or ringing), or 0. */
export function waitedMs(call: CallRecord, now: number): number {
  if (!isWaiting(call.state)) return 0;
  const since = call.waitingSince ?? call.stateSince;
  return now > since ? now - since : 0;
}

function groupNode(cache: NodeCache, id: string, groupKind: GroupKind, key: string, gen: number): GroupNode {
  const cached = cache.get(id);
  if (cached && cached.kind === 'group') {
    cached.gen = gen;
    return cached;
  }
  const node: GroupNode = { kind: 'group', id, groupKind, key, name: '', count: 0, longestWaitMs: 0, oldestWaitSince: undefined, children: [], gen, rowIndex: new Map() };
  cache.set(id, node);
  return node;
}

/** What every group of one build shares. */
interface Build {
  cache: NodeCache;
  /** Rows shown per group before the "…N more" row. */
  cap: number;
  now: number;
  gen: number;
}

/**
 * Fills a group's rows (reusing cached row objects) up to the cap, then a "…N more" row. With `waits`, the group's
 * longest wait is taken from its calls.
 */
function fillRows(build: Build, group: GroupNode, calls: readonly CallRecord[], waits: boolean): void {
  const { cache, cap, now, gen } = build;
  const shown = Math.min(calls.length, cap);
  const rows = group.children;
  rows.length = 0;
  let longest = 0;
  let oldest: number | undefined;
  const prefix = `${group.id}/call:`;
  const index = group.rowIndex;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    // Unconfirmed calls may have ended during a gap: they don't count towards the longest wait.
    if (waits && !call.unconfirmed) {
      const w = waitedMs(call, now);
      if (w > longest) {
        longest = w;
        oldest = now - w;
      }
    }
    if (i >= shown) continue;
    const cached = index.get(call.id);
    if (cached !== undefined) {
      cached.call = call;
      cached.gen = gen;
      rows.push(cached);
    } else {
      const node: CallNode = { kind: 'call', id: prefix + call.id, parent: group, call, gen };
      cache.set(node.id, node);
      index.set(call.id, node);
      rows.push(node);
    }
  }
  if (calls.length > shown) {
    const id = `${group.id}/more`;
    let more = cache.get(id) as MoreNode | undefined;
    if (more === undefined) {
      more = { kind: 'more', id, parent: group, hidden: 0, gen };
      cache.set(id, more);
    }
    more.hidden = calls.length - shown;
    more.gen = gen;
    rows.push(more);
  }
  group.count = calls.length;
  group.longestWaitMs = longest;
  group.oldestWaitSince = oldest;
}

/**
 * Builds the tree: active calls grouped by queue or agent (catch-all group last), then "Recently ended".
 * Rows within a group are ordered by start time (oldest first, so rows don't jump). With a cache, node
 * objects are reused by id and nodes no longer present are dropped from it.
 */
export function buildTree(store: TreeStore, options: BuildOptions, cache: NodeCache = new Map()): GroupNode[] {
  const gen = ++generation;
  const { mode, now } = options;
  const build: Build = { cache, cap: Math.max(1, Math.floor(options.cap ?? DEFAULT_CAP)), now, gen };
  const groups = store.groups(mode).filter((g) => g.calls.length > 0);
  const out: GroupNode[] = [];
  let live = 0;
  for (const g of groups) {
    const node = groupNode(cache, groupId(mode, g.key), mode, g.key, gen);
    node.name = treeText(g.label) || treeText(g.key);
    const calls = isSorted(g.calls) ? g.calls : g.calls.slice().sort(byStart);
    fillRows(build, node, calls, true);
    live += 1 + node.children.length;
    out.push(node);
  }
  if (options.endedVisible !== false) {
    const ended = store.endedCalls();
    if (ended.length > 0) {
      const node = groupNode(cache, ENDED_GROUP_ID, 'ended', ENDED_GROUP_ID, gen);
      node.name = ENDED_LABEL;
      fillRows(build, node, ended, false);
      live += 1 + node.children.length;
      out.push(node);
    }
  }
  if (cache.size > live) {
    for (const [id, node] of cache) {
      if (node.gen === gen) continue;
      cache.delete(id);
      if (node.kind === 'call') node.parent.rowIndex.delete(node.call.id);
    }
  }
  return out;
}
