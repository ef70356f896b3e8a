// The snapshot-then-delta message stream of one timeline panel, and its conversation with the webview.
import { isWebviewToHostMessage, type HostToWebviewMessage, type TimelineEntryDto } from '../../shared/messages';
import { Coalescer, type Scheduler } from '../coalescer';
import { displayJson, panelTitleText } from '../../shared/sanitize';
import type { CallRecord } from '../model';
import type { Clock } from './readers';
import { buildSummary } from './summary';
import { buildPhases } from './phases';
import { buildEntries } from './entryText';

export class TimelineSync {
  /** Seqs the webview holds, so the cap's later drops can be named. */
  private sent = new Set<number>();
  private lastSeq = -1;
  private shown: 'nothing' | 'call' | 'missing' = 'nothing';

  constructor(readonly callId: string, private readonly now: Clock = Date.now) {}

  /** The full picture for a webview that has just said `ready`. */
  snapshot(record: CallRecord | undefined): HostToWebviewMessage {
    if (!record) {
      this.reset('missing');
      return { type: 'missing', callId: this.callId };
    }
    this.reset('call');
    const entries = buildEntries(record);
    this.remember(entries);
    const phases = buildPhases(record, this.now);
    return { type: 'snapshot', callId: this.callId, summary: buildSummary(record, phases, this.now), phases, entries, dropped: record.timelineDropped };
  }

  /** What changed since the last message, or undefined when there is nothing to tell. */
  update(record: CallRecord | undefined): HostToWebviewMessage | undefined {
    if (!record) {
      if (this.shown === 'missing') return undefined;
      this.reset('missing');
      return { type: 'missing', callId: this.callId };
    }
    if (this.shown !== 'call') return this.snapshot(record);
    const entries = buildEntries(record, this.lastSeq);
    const current = new Set(record.timeline.map((e) => e.seq));
    const removed = [...this.sent].filter((seq) => !current.has(seq));
    for (const seq of removed) this.sent.delete(seq);
    this.remember(entries);
    const phases = buildPhases(record, this.now);
    const message: HostToWebviewMessage = {
      type: 'update', callId: this.callId, summary: buildSummary(record, phases, this.now), phases, entries, dropped: record.timelineDropped,
    };
    if (removed.length > 0) message.removed = removed;
    return message;
  }

  /** The webview went away (hidden or reloading); the next message must be a snapshot. */
  forget(): void {
    this.reset('nothing');
  }

  private reset(shown: TimelineSync['shown']): void {
    this.shown = shown;
    this.sent = new Set();
    this.lastSeq = -1;
  }

  private remember(entries: readonly TimelineEntryDto[]): void {
    for (const e of entries) {
      this.sent.add(e.seq);
      if (e.seq > this.lastSeq) this.lastSeq = e.seq;
    }
  }
}

/** The document of one timeline entry, pretty-printed (clipboard, expanded row); undefined when the cap dropped it. */
export function entryJson(record: CallRecord | undefined, seq: number): string | undefined {
  const entry = record?.timeline.find((e) => e.seq === seq);
  return entry ? displayJson(entry.document) : undefined;
}

/** The panel's title: the customer's number when known (feed text, flattened and cut), else the call id. */
export function timelineTitle(record: CallRecord | undefined, callId: string): string {
  const number = panelTitleText(record?.customerNumber ?? '');
  return `Call ${number || panelTitleText(callId)}`;
}

// ---------------------------------------------------------------------------------------------------------
// One panel's conversation with its webview, without vscode: the adapter (src/vscode/timelinePanel.ts)
// only wires the webview's events and postMessage to it.

export interface TimelineSessionDeps {
  callId: string;
  getCall(id: string): CallRecord | undefined;
  /** Sends to the webview. */
  post(message: HostToWebviewMessage): void;
  /** Writes a document's pretty JSON to the clipboard (the webview has no clipboard access of its own). */
  copy(text: string, seq: number): void;
  /** A copy was asked for an entry the cap has dropped since. */
  copyUnavailable?(seq: number): void;
  setTitle?(title: string): void;
  /** Live updates are batched: at most one per this many ms (default 200). */
  coalesceMs?: number;
  scheduler?: Scheduler;
  now?: Clock;
}

/**
 * Protocol: the webview says `ready` (first load, reload after being hidden, restore after a window
 * reload); it gets a snapshot (or `missing`). Store changes for the call are coalesced and sent as
 * `update`s with only the new entries. Nothing is posted before `ready` or while hidden: the snapshot
 * that follows the next `ready` carries the current state anyway. Entries carry no documents: an expanded
 * row asks (`showDocument`) and gets its entry's pretty JSON back (`document`).
 */
export class TimelineSession {
  private readonly sync: TimelineSync;
  private readonly coalescer: Coalescer<true>;
  private ready = false;

  constructor(private readonly deps: TimelineSessionDeps) {
    this.sync = new TimelineSync(deps.callId, deps.now);
    this.coalescer = new Coalescer<true>({
      merge: () => true,
      flush: () => this.flush(),
      intervalMs: deps.coalesceMs ?? 200,
      scheduler: deps.scheduler,
    });
    deps.setTitle?.(timelineTitle(deps.getCall(deps.callId), deps.callId));
  }

  get callId(): string {
    return this.deps.callId;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** A message from the webview; anything unknown or malformed is ignored. */
  receive(raw: unknown): void {
    if (!isWebviewToHostMessage(raw)) return;
    if (raw.type === 'ready') {
      if (raw.callId !== undefined && raw.callId !== this.deps.callId) return;
      this.ready = true;
      const record = this.deps.getCall(this.deps.callId);
      this.deps.setTitle?.(timelineTitle(record, this.deps.callId));
      this.deps.post(this.sync.snapshot(record));
      return;
    }
    if (raw.callId !== this.deps.callId) return;
    const json = entryJson(this.deps.getCall(this.deps.callId), raw.seq);
    if (raw.type === 'showDocument') {
      this.deps.post(json === undefined ? { type: 'document', callId: raw.callId, seq: raw.seq } : { type: 'document', callId: raw.callId, seq: raw.seq, json });
    } else if (json === undefined) {
      this.deps.copyUnavailable?.(raw.seq);
    } else {
      this.deps.copy(json, raw.seq);
    }
  }

  /** The store changed this call (or everything). */
  changed(): void {
    if (this.ready) this.coalescer.push(true);
  }

  /** The panel was hidden: its webview is torn down and will say `ready` again when shown. */
  hidden(): void {
    this.ready = false;
    this.sync.forget();
  }

  dispose(): void {
    this.ready = false;
    this.coalescer.dispose();
  }

  private flush(): void {
    if (!this.ready) return;
    const record = this.deps.getCall(this.deps.callId);
    const message = this.sync.update(record);
    if (!message) return;
    this.deps.setTitle?.(timelineTitle(record, this.deps.callId));
    this.deps.post(message);
  }
}
