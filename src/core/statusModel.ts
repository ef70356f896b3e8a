// The status bar item and the wait alerts as plain data. Pure (no vscode): src/vscode/statusBar.ts and
// src/vscode/alerts.ts apply it.
import { describeBounds, type BoundsHit } from './limits';
import type { CallRecord, Counters } from './model';
import { formatClock, formatCountdown, formatDuration, formatPercent, formatRelative } from '../shared/format';
import { markdownText, plainText } from '../shared/sanitize';
import { waitedMs } from './treeModel';

/** Same literals as src/feed/connection.ts's ConnectionState. */
export type ConnectionStateName = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'error';

/**
 * What the status bar reads from the connection. Matches src/feed/connection.ts's ConnectionStatus and
 * the connection controller's status (which nests the feed status under `feed` and adds `demo`/`url`).
 */
export interface StatusSnapshot {
  state: ConnectionStateName;
  nextAttemptAt?: number;
  message?: string;
  lastMessageAt?: number;
  messages?: number;
  demo?: boolean;
  url?: string;
  feed?: { nextAttemptAt?: number; lastMessageAt?: number; messages?: number; message?: string };
}

export interface ConnectionStatusSource {
  readonly status: StatusSnapshot;
  onDidChangeStatus(listener: (status: StatusSnapshot) => void): { dispose(): void };
}

export interface StatusInput {
  status: StatusSnapshot;
  counters: Counters;
  filterActive: boolean;
  filterText?: string;
  /** Longest wait now among confirmed active calls, if any. */
  longestWait?: { waitedMs: number; callId: string };
  /** Alert threshold in ms (0 = off). */
  alertMs: number;
  now: number;
  /** The store's memory bounds hit so far, if any. */
  bounds?: BoundsHit;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** True: the item uses statusBarItem.warningBackground; 'error': statusBarItem.errorBackground. */
  background: 'warning' | 'error' | undefined;
  /** The view changes with time (countdown, waits): keep the 1 s tick on. */
  ticking: boolean;
}

const STATE_ICON: Record<ConnectionStateName, string> = {
  connected: '$(pass-filled)', connecting: '$(sync~spin)', reconnecting: '$(sync~spin)',
  unauthorized: '$(key)', disconnected: '$(debug-disconnect)', error: '$(error)',
};

const STATE_WORD: Record<ConnectionStateName, string> = {
  connected: 'Connected', connecting: 'Connecting…', reconnecting: 'Reconnecting', unauthorized: 'Token refused',
  disconnected: 'Disconnected', error: 'Error',
};

function nextAttempt(s: StatusSnapshot): number | undefined {
  return s.nextAttemptAt ?? s.feed?.nextAttemptAt;
}

function lastMessage(s: StatusSnapshot): number | undefined {
  return s.lastMessageAt ?? s.feed?.lastMessageAt;
}

/** The status bar text, tooltip and colour for one moment. */
export function statusView(input: StatusInput): StatusView {
  const { status, counters: c, now } = input;
  const state = status.state;
  const parts: string[] = [STATE_ICON[state] ?? '$(question)'];
  let ticking = false;
  if (state === 'reconnecting') {
    const at = nextAttempt(status);
    parts.push(at !== undefined ? `Reconnecting, ${formatCountdown(at, now)}` : 'Reconnecting');
    ticking = at !== undefined;
  } else if (state === 'connecting') {
    parts.push('Connecting');
  } else if (state === 'unauthorized') {
    parts.push('Token refused');
  } else if (state === 'error') {
    parts.push('Error');
  } else if (state === 'disconnected' && c.active === 0) {
    parts.push('Stream Liner');
  }
  const counters = `$(call-incoming) ${c.active} active · ${c.waiting} waiting · ${c.talking} talking`;
  const text = `${parts.join(' ')}${state === 'disconnected' && c.active === 0 ? '' : `  ${counters}`}${input.filterActive ? '  $(filter)' : ''}`;

  // A call that has just started waiting (0 ms) still needs the tick, so the colour turns on time.
  const waiting = input.longestWait && input.longestWait.waitedMs >= 0 ? input.longestWait : undefined;
  const overThreshold = input.alertMs > 0 && waiting !== undefined && waiting.waitedMs > input.alertMs;
  if (waiting && input.alertMs > 0) ticking = true;
  const background = state === 'unauthorized' || state === 'error' ? 'error' : overThreshold ? 'warning' : undefined;

  const t: string[] = [];
  t.push(`**Stream Liner**${status.demo ? ' — Demo (built-in simulator)' : ''}: ${STATE_WORD[state] ?? markdownText(state)}`);
  const message = status.message ?? status.feed?.message;
  // The feed's message can carry a server's close reason.
  if (message) t.push('', markdownText(message, 300));
  if (state === 'reconnecting' && nextAttempt(status) !== undefined) t.push('', `Next attempt: ${formatCountdown(nextAttempt(status)!, now)}`);
  if (status.url) t.push('', `Server: ${markdownText(status.url)}`);
  t.push('');
  t.push(`- Active: ${c.active} (${c.waiting} waiting, ${c.ringing} ringing, ${c.talking} talking)`);
  const handled = c.answeredToday + c.missedToday;
  t.push(`- Today: ${c.answeredToday} answered, ${c.missedToday} missed (${formatPercent(handled > 0 ? c.answeredToday / handled : undefined)} answered)`);
  t.push(`- Longest wait now: ${waiting ? formatDuration(waiting.waitedMs) : '—'}`);
  if (overThreshold) t.push(`- **Alert:** a call has waited longer than ${formatDuration(input.alertMs)}`);
  const last = lastMessage(status);
  t.push(`- Last message: ${last !== undefined ? `${formatClock(last)} (${formatRelative(last, now)})` : '—'}`);
  if (input.filterActive) t.push('', `$(filter) Filter: ${markdownText(input.filterText ?? 'on')} (counts follow the filter)`);
  const bounds = input.bounds && describeBounds(input.bounds, formatClock);
  if (bounds) t.push('', `$(warning) ${markdownText(bounds, 400)}`);
  return { text, tooltip: t.join('\n'), background, ticking };
}

/** The confirmed calls that wait (queue or ringing) longer than `alertMs` at `now`, longest first. */
export function callsOverThreshold(calls: Iterable<CallRecord>, alertMs: number, now: number): CallRecord[] {
  if (!(alertMs > 0)) return [];
  const out: { call: CallRecord; w: number }[] = [];
  for (const call of calls) {
    if (call.unconfirmed) continue;
    const w = waitedMs(call, now);
    if (w > alertMs) out.push({ call, w });
  }
  return out.sort((a, b) => b.w - a.w).map((x) => x.call);
}

/** Remembers which calls were already alerted so each call notifies at most once. */
export class WaitAlertTracker {
  private readonly alerted = new Set<string>();

  /** Returns the calls of `over` not alerted before and marks them. Forgets calls no longer active. */
  take(over: readonly CallRecord[], isActive: (id: string) => boolean): CallRecord[] {
    const fresh = over.filter((c) => !this.alerted.has(c.id));
    for (const c of fresh) this.alerted.add(c.id);
    if (this.alerted.size > over.length + 256) {
      for (const id of this.alerted) if (!isActive(id)) this.alerted.delete(id);
    }
    return fresh;
  }

  has(callId: string): boolean {
    return this.alerted.has(callId);
  }

  clear(): void {
    this.alerted.clear();
  }
}

/** The notification text for newly alerted calls (plain text: feed values can't form links). */
export function alertMessage(calls: readonly CallRecord[], alertMs: number, now: number): string {
  const first = calls[0];
  const number = plainText(first.customerNumber, 40) || 'an unknown number';
  const where = plainText(first.currentQueue?.name ?? first.currentAgent?.name ?? '', 40);
  const waited = formatDuration(waitedMs(first, now));
  const one = `Stream Liner: the call from ${number}${where ? ` in ${where}` : ''} has waited ${waited} (alert at ${formatDuration(alertMs)}).`;
  if (calls.length === 1) return one;
  return `Stream Liner: ${calls.length} calls have waited longer than ${formatDuration(alertMs)}; the longest, from ${number}${where ? ` in ${where}` : ''}, ${waited}.`;
}
