// Messages between the extension host and the timeline webview. Both sides import these types;
// the webview with `import type` only. Unknown messages are ignored on both sides.

export type WireFeed = 'calls' | 'queues' | 'agents';

/** One phase of the call's journey for the phase bar, in journey order. */
export interface PhaseSegment {
  /** `dial`: an outgoing call before the customer answers; `other`: a stretch no feed explains (connecting). */
  kind: 'ivr' | 'queue' | 'ring' | 'dial' | 'talk' | 'hold' | 'other' | 'ended';
  /** Short label, e.g. the queue or agent name. */
  label: string;
  /** Length in seconds (widths are proportional to it). */
  seconds: number;
  /** This segment's part of the whole bar, 0..1 (`ended` is a marker and has 0). */
  share: number;
  /** When the segment started (epoch ms), if known. */
  startedAt?: number;
  /** The call is still in this phase: the webview may let it grow until the next message. */
  ongoing?: boolean;
}

/** Header facts about a call, already formatted where formatting needs host knowledge. */
export interface CallSummaryDto {
  id: string;
  customerNumber: string;
  direction: 'incoming' | 'outgoing' | 'unknown';
  state: 'ivr' | 'waiting' | 'ringing' | 'dialling' | 'talking' | 'ended';
  /** Human text for the outcome once ended, e.g. "answered", "abandoned", "ended: no_answer". */
  outcome?: string;
  unconfirmed: boolean;
  internal?: boolean;
  /** When the call entered its current state (epoch ms). */
  stateSince?: number;
  /** The host's clock when this summary was built: "for 0:42" counts from here, whatever the webview's clock says. */
  asOf?: number;
  /** Transfers count from the calls feed. */
  transfers?: number;
  startedAt: number;
  endedAt?: number;
  currentQueue?: string;
  currentAgent?: string;
  firstQueue?: string;
  lastQueue?: string;
  firstAgent?: string;
  lastAgent?: string;
  /** Key durations in seconds, when known. */
  durations: { queue?: number; ring?: number; talk?: number; hold?: number; wait?: number; total?: number };
}

export interface TimelineEntryDto {
  seq: number;
  feed: WireFeed;
  receivedAt: number;
  /** Entity key within the call ('call', a queue-visit or an agent-offer key). */
  key?: string;
  /** First document seen for its key (its `changed` then lists every field). */
  first?: boolean;
  /** What happened, e.g. "entered queue Support", "agent Anna answered", "ended: hangup". */
  description: string;
  /** Dotted paths that changed since the previous document for the same key. */
  changed: string[];
  late: boolean;
}

export type HostToWebviewMessage =
  | {
      type: 'snapshot';
      callId: string;
      summary: CallSummaryDto;
      phases: PhaseSegment[];
      entries: TimelineEntryDto[];
      /** Entries dropped by the per-call cap between the first and the latest. */
      dropped: number;
    }
  | {
      type: 'update';
      callId: string;
      summary: CallSummaryDto;
      phases: PhaseSegment[];
      /** Entries appended since the last snapshot or update. */
      entries: TimelineEntryDto[];
      dropped: number;
      /** Seqs sent earlier that the store's cap has since dropped: the webview removes them. */
      removed?: number[];
    }
  | { type: 'missing'; callId: string }
  | {
      /**
       * One entry's document, pretty-printed, in answer to `showDocument`: entries travel without their documents
       * (a 500-entry snapshot was mostly document text), and a row shows its JSON only once expanded.
       * `json` is absent when the timeline's cap has dropped the entry since.
       */
      type: 'document';
      callId: string;
      seq: number;
      json?: string;
    };

export type WebviewToHostMessage =
  | { type: 'ready'; callId?: string }
  | { type: 'copyJson'; callId: string; seq: number }
  /** A row was expanded: the webview asks for its document. */
  | { type: 'showDocument'; callId: string; seq: number };

/** What the webview keeps in `vscode.setState` so a restored panel knows its call. */
export interface TimelineWebviewState {
  callId: string;
}

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; callId?: unknown; seq?: unknown };
  if (m.type === 'ready') return m.callId === undefined || typeof m.callId === 'string';
  if (m.type === 'copyJson' || m.type === 'showDocument') return typeof m.callId === 'string' && typeof m.seq === 'number';
  return false;
}

export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; callId?: unknown };
  if (typeof m.callId !== 'string') return false;
  return m.type === 'snapshot' || m.type === 'update' || m.type === 'missing' || m.type === 'document';
}
