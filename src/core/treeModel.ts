// The Calls tree as plain data: group nodes and rows with stable ids, plus how each node is shown.
// Pure (no vscode); src/vscode/callsTreeProvider.ts turns these into TreeItems.
import {
  NO_GROUP_KEY, type CallGroup, type CallRecord, type CallState, type GroupMode, type QueueStats,
} from './model';
import { formatClock, formatDuration, formatPercent, formatRelative, formatSeconds } from '../shared/format';
import { markdownText, TEXT_CAPS, treeText } from '../shared/sanitize';
import { outcomeText } from './outcomeText';
import { GROUP_CONTEXT, TreeContext } from './treeContext';

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
 * A row's description is `head + elapsed + tail` and its screen-reader label `ariaHead + elapsed + ariaTail`:
 * only the elapsed time moves with the clock, so the rest is built once per call revision, not per refresh.
 */
interface RowParts {
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

/** Fills a group's rows (reusing cached row objects) up to the cap, then a "…N more" row. */
function fillRows(cache: NodeCache, group: GroupNode, calls: readonly CallRecord[], cap: number, now: number, gen: number, waits: boolean): void {
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
  const cap = Math.max(1, Math.floor(options.cap ?? DEFAULT_CAP));
  const { mode, now } = options;
  const groups = store.groups(mode).filter((g) => g.calls.length > 0);
  const out: GroupNode[] = [];
  let live = 0;
  for (const g of groups) {
    const node = groupNode(cache, groupId(mode, g.key), mode, g.key, gen);
    node.name = treeText(g.label) || treeText(g.key);
    const calls = isSorted(g.calls) ? g.calls : g.calls.slice().sort(byStart);
    fillRows(cache, node, calls, cap, now, gen, true);
    live += 1 + node.children.length;
    out.push(node);
  }
  if (options.endedVisible !== false) {
    const ended = store.endedCalls();
    if (ended.length > 0) {
      const node = groupNode(cache, ENDED_GROUP_ID, 'ended', ENDED_GROUP_ID, gen);
      node.name = ENDED_LABEL;
      fillRows(cache, node, ended, cap, now, gen, false);
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

// ---------------------------------------------------------------------------------------------------------
// Presentation: what each node shows. Plain data so it is unit-tested; the provider maps it to a TreeItem.

export interface NodeView {
  label: string;
  description?: string;
  /** Markdown for an untrusted MarkdownString (feed text escaped). Call rows leave it to nodeTooltip (lazy, on hover). */
  tooltip?: string;
  /** Codicon id and theme colour id. */
  icon?: string;
  color?: string;
  contextValue: TreeContext;
  ariaLabel: string;
  /** Collapsible (groups) or not. */
  collapsible: boolean;
}

const STATE_WORD: Record<CallState, string> = {
  ivr: 'in IVR', waiting: 'waiting', ringing: 'ringing', dialling: 'dialling out', talking: 'talking', ended: 'ended',
};

/** The state in words; 'dialling' is only "dialling out" for outgoing calls, an incoming one is still connecting. */
function stateWord(call: CallRecord): string {
  return call.state === 'dialling' && call.direction !== 'outgoing' ? 'connecting' : STATE_WORD[call.state];
}

const STATE_ICON: Record<CallState, { icon: string; color: string }> = {
  ivr: { icon: 'list-selection', color: 'charts.yellow' },
  waiting: { icon: 'watch', color: 'charts.orange' },
  ringing: { icon: 'bell', color: 'charts.blue' },
  dialling: { icon: 'call-outgoing', color: 'charts.purple' },
  talking: { icon: 'comment-discussion', color: 'charts.green' },
  ended: { icon: 'circle-slash', color: 'disabledForeground' },
};

const CONNECTING_ICON = { icon: 'call-incoming', color: 'charts.purple' };
const UNCONFIRMED_ICON = { icon: 'question', color: 'disabledForeground' };

export const UNCONFIRMED_NOTE = 'Not confirmed since the connection was restored; it may have ended during the gap.';

export function groupLabel(node: GroupNode): string {
  return `${node.name} (${node.count})`;
}

/** "longest 1:12" while a call of the group waits or rings; nothing otherwise. With `now`, as of that moment. */
export function groupDescription(node: GroupNode, now?: number): string | undefined {
  if (node.groupKind === 'ended' || node.longestWaitMs <= 0) return undefined;
  const ms = now !== undefined && node.oldestWaitSince !== undefined ? Math.max(node.longestWaitMs, now - node.oldestWaitSince) : node.longestWaitMs;
  // "longest 0 s" says nothing: the description appears once the wait reaches a second.
  return ms >= 1000 ? `longest ${formatDuration(ms)}` : undefined;
}

export function queueStatsMarkdown(name: string, s: QueueStats | undefined): string {
  const title = `**${markdownText(name)}**`;
  if (!s) return `${title}\n\nNo figures for today yet.`;
  return [
    `${title} — today`, '',
    `- Waiting now: ${s.waiting}`,
    `- Longest wait now: ${formatDuration(s.longestWaitMs)}`,
    `- Answered: ${s.answeredToday}`,
    `- Abandoned: ${s.abandonedToday}`,
    `- Service level: ${formatPercent(s.serviceLevel)}`,
    `- Average wait: ${formatDuration(s.averageWaitMs)}`,
  ].join('\n');
}

export function describeGroup(node: GroupNode, stats?: QueueStats, now?: number): NodeView {
  const label = groupLabel(node);
  const description = groupDescription(node, now);
  let tooltip: string;
  if (node.groupKind === 'queue' && node.key !== NO_GROUP_KEY) tooltip = queueStatsMarkdown(node.name, stats);
  else if (node.groupKind === 'ended') tooltip = `**${ENDED_LABEL}**\n\nCalls that ended within the retention time (setting \`streamLiner.endedCalls.keepMinutes\`).`;
  else tooltip = `**${markdownText(node.name)}**${description ? `\n\n${description}` : ''}`;
  return {
    label, description, tooltip,
    contextValue: GROUP_CONTEXT[node.groupKind],
    ariaLabel: `${node.name}, ${node.count === 1 ? '1 call' : `${node.count} calls`}${description ? `, ${description}` : ''}`,
    collapsible: true,
  };
}

export function describeMore(node: MoreNode): NodeView {
  const label = `…${node.hidden} more`;
  return {
    label,
    tooltip: `${node.hidden} more calls in this group are not listed. Use a filter to narrow the list.`,
    icon: 'ellipsis', contextValue: TreeContext.More,
    ariaLabel: `${node.hidden} more calls not listed`, collapsible: false,
  };
}

function arrow(call: CallRecord): string {
  return call.direction === 'incoming' ? '↓' : call.direction === 'outgoing' ? '↑' : '·';
}

function numberOf(call: CallRecord): string {
  return treeText(call.customerNumber, 60) || 'Unknown number';
}

/** Where the call is, as the row shows it: the agent(s) in queue grouping, the queue in agent grouping. */
function whereText(call: CallRecord, groupKind: GroupKind): string {
  const queue = call.currentQueue?.name;
  const agents = call.activeAgents;
  if (groupKind !== 'agent') {
    if (agents.length > 1) return `${treeText(agents[0].name, TEXT_CAPS.treeDescription)} +${agents.length - 1}`;
    const agent = agents.length === 1 ? agents[0].name : call.currentAgent?.name;
    if (agent) return treeText(agent, TEXT_CAPS.treeDescription);
  }
  return treeText(queue || call.callFacts?.ivr_last?.name, TEXT_CAPS.treeDescription);
}

/** The elapsed time shown on a row: time in the current state (active), or since the end (ended). */
export function rowElapsedText(call: CallRecord, now: number): string {
  if (call.state === 'ended') return formatRelative(call.endedAt ?? call.lastDocumentAt, now);
  return formatDuration(now - call.stateSince);
}

/** The outcome's display text, made safe for a tree row. */
function rowOutcome(call: CallRecord): string {
  return treeText(outcomeText(call.outcome) ?? 'ended', TEXT_CAPS.treeDescription) || 'ended';
}

function totalMs(call: CallRecord): number {
  const total = call.callFacts?.duration_total;
  if (typeof total === 'number' && Number.isFinite(total) && total > 0) return total * 1000;
  return (call.endedAt ?? call.lastDocumentAt) - call.startedAt;
}

const OUTCOME_ICON: Record<string, { icon: string; color: string }> = {
  answered: { icon: 'pass', color: 'charts.green' },
  abandoned: { icon: 'circle-slash', color: 'charts.red' },
  voicemail: { icon: 'mail', color: 'charts.blue' },
  other: { icon: 'circle-outline', color: 'descriptionForeground' },
};

/** The row's description: direction, state or outcome, elapsed time, and where the call is. */
export function rowDescription(node: CallNode, now: number): string {
  return rowTexts(node, now, false).description;
}

/** Description and screen-reader label of a call row (this runs for every row on every refresh). */
function rowTexts(node: CallNode, now: number, aria = true): { description: string; ariaLabel: string; label: string } {
  const call = node.call;
  let parts = node.parts;
  // A record without a revision never matches (its parts carry -1), so it is described afresh each time.
  if (parts === undefined || parts.call !== call || parts.revision !== call.revision) {
    parts = rowParts(call, node.parent.groupKind);
    node.parts = parts;
  }
  const elapsed = rowElapsedText(call, now);
  return {
    label: parts.label,
    description: parts.head + elapsed + parts.tail,
    ariaLabel: aria ? parts.ariaHead + elapsed + parts.ariaTail : '',
  };
}

function rowParts(call: CallRecord, groupKind: GroupKind): RowParts {
  const label = numberOf(call);
  const dir = call.direction === 'unknown' ? 'direction unknown' : call.direction;
  const revision = call.revision ?? -1;
  if (call.state === 'ended') {
    const outcome = rowOutcome(call);
    const total = formatDuration(totalMs(call));
    return {
      call, revision, label, head: `${arrow(call)} ${outcome} · ${total} · `, tail: '',
      ariaHead: `Call ${label}, ${dir}, ${outcome}, lasted ${total}, ended `, ariaTail: '',
    };
  }
  const where = whereText(call, groupKind);
  const state = stateWord(call);
  return {
    call, revision, label,
    head: `${call.unconfirmed ? 'unconfirmed · ' : ''}${arrow(call)} ${state} `,
    tail: where ? ` · ${where}` : '',
    ariaHead: `Call ${label}, ${dir}, ${state} for `,
    ariaTail: `${where ? `, ${where}` : ''}${call.unconfirmed ? ', unconfirmed' : ''}`,
  };
}

export function describeCall(node: CallNode, now: number): NodeView {
  const call = node.call;
  const ended = call.state === 'ended';
  const look = ended
    ? OUTCOME_ICON[call.outcome?.kind ?? 'other']
    : call.unconfirmed ? UNCONFIRMED_ICON
      : call.state === 'dialling' && call.direction !== 'outgoing' ? CONNECTING_ICON : STATE_ICON[call.state];
  const { label, description, ariaLabel } = rowTexts(node, now);
  return {
    label, description, icon: look.icon, color: look.color,
    contextValue: ended ? TreeContext.EndedCall : TreeContext.ActiveCall,
    ariaLabel, collapsible: false,
  };
}

export function describeNode(node: TreeNode, now: number, stats?: QueueStats): NodeView {
  return node.kind === 'group' ? describeGroup(node, stats, now) : node.kind === 'more' ? describeMore(node) : describeCall(node, now);
}

/** The node's tooltip Markdown; for call rows built only when asked (hover), as it is the costly part. */
export function nodeTooltip(node: TreeNode, now: number, stats?: QueueStats): string | undefined {
  return node.kind === 'call' ? callTooltipMarkdown(node.call, now) : describeNode(node, now, stats).tooltip;
}

function list(values: Iterable<unknown>): string {
  const seen = new Set<string>();
  for (const v of values) {
    const s = markdownText(v, 60);
    if (s) seen.add(s);
    if (seen.size >= 12) break;
  }
  return [...seen].join(', ');
}

/** The call's key facts as Markdown, every feed value escaped. */
export function callTooltipMarkdown(call: CallRecord, now: number): string {
  // The whole document (decoded from its frame once here): a tooltip shows more than the facts rows read.
  const doc = call.call;
  const lines: string[] = [];
  const head = `**${markdownText(numberOf(call))}** · ${call.direction === 'unknown' ? 'direction unknown' : call.direction}${call.internal ? ' · internal' : ''}`;
  const state = call.state === 'ended'
    ? `Ended ${rowElapsedText(call, now)}: ${markdownText(rowOutcome(call))}, lasted ${formatDuration(totalMs(call))}`
    : `${stateWord(call)} for ${formatDuration(now - call.stateSince)}`;
  lines.push(head, '', state[0].toUpperCase() + state.slice(1));
  if (call.unconfirmed && call.state !== 'ended') lines.push('', `*${markdownText(UNCONFIRMED_NOTE)}*`);
  lines.push('');
  const facts: string[] = [];
  const ivr = doc?.ivr_list?.length ? doc.ivr_list : undefined;
  if (ivr) facts.push(`IVR path: ${ivr.slice(0, 12).map((s) => markdownText(s, 60)).join(' › ')}`);
  const digit = doc?.menu_digit;
  if (digit && (digit.dialed_number !== undefined || digit.destination)) {
    facts.push(`Menu digit: ${markdownText(digit.dialed_number ?? '?', 20)}${digit.destination ? ` → ${markdownText(digit.destination, 60)}` : ''}`);
  }
  const queues = doc?.queue_list?.length ? list(doc.queue_list) : list([...call.queueVisits.values()].map((v) => v.queueName));
  if (queues) facts.push(`Queues: ${queues}`);
  const offered = doc?.agent_list?.length ? list(doc.agent_list) : list([...call.agentOffers.values()].map((o) => o.agentName));
  if (offered) facts.push(`Agents offered: ${offered}`);
  const answered = doc?.agent_list_answer?.length
    ? list(doc.agent_list_answer)
    : list([...call.agentOffers.values()].filter((o) => o.answeredAt !== undefined).map((o) => o.agentName));
  if (answered) facts.push(`Answered by: ${answered}`);
  if (typeof doc?.transfers === 'number' && doc.transfers > 0) facts.push(`Transfers: ${doc.transfers}`);
  const d = doc?.duration;
  if (d) {
    const parts: string[] = [];
    if (typeof d.wait_time === 'number') parts.push(`wait ${formatSeconds(d.wait_time)}`);
    if (typeof d.queue?.total === 'number') parts.push(`queue ${formatSeconds(d.queue.total)}`);
    if (typeof d.ring?.total === 'number') parts.push(`ring ${formatSeconds(d.ring.total)}`);
    if (typeof d.talk?.total === 'number') parts.push(`talk ${formatSeconds(d.talk.total)}`);
    if (typeof d.total === 'number') parts.push(`total ${formatSeconds(d.total)}`);
    if (parts.length) facts.push(`Durations: ${parts.join(', ')}`);
  }
  facts.push(`Started: ${formatClock(call.startedAt)}`);
  facts.push(`Call id: ${markdownText(call.id, 80)}`);
  for (const f of facts) lines.push(`- ${f}`);
  return lines.join('\n');
}
