// Presentation of the Calls tree: what each node shows (label, description, icon, tooltip, screen-reader label).
// Plain data so it is unit-tested; src/vscode/callsTreeProvider.ts maps it to a TreeItem.
import { NO_GROUP_KEY, type CallRecord, type CallState, type QueueStats } from '../model';
import { formatClock, formatDuration, formatPercent, formatRelative, formatSeconds } from '../../shared/format';
import { markdownText, TEXT_CAPS, treeText } from '../../shared/sanitize';
import { outcomeText } from '../outcomeText';
import { GROUP_CONTEXT, TreeContext } from '../treeContext';
import { ENDED_LABEL, type CallNode, type GroupKind, type GroupNode, type MoreNode, type RowParts, type TreeNode } from './build';

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
