// The export model: one call as the document Export Call writes and Copy Call JSON copies (format
// stream-liner-call/1), and the queue and agent names a call went through. Never holds a token.
import type { CallRecord } from '../core/model';

/** The export's `summary.outcome`: part of the export format, so it keeps its own words (views use core/outcomeText). */
function exportOutcome(call: CallRecord): string | undefined {
  const o = call.outcome;
  if (!o) return undefined;
  return o.kind === 'other' ? `ended: ${o.reason}` : o.kind;
}

/** The distinct non-empty values, in first-seen order. */
export function distinctNames(values: Iterable<string>): string[] {
  return [...new Set([...values].filter((v) => v.length > 0))];
}

/** Every queue the call visited, by name (its id when it has none). */
export function callQueues(call: CallRecord): string[] {
  return distinctNames([...call.queueVisits.values()].map((v) => v.queueName || v.queueId));
}

/** Every agent on the call or offered it, by name (the id when there is none). */
export function callAgents(call: CallRecord): string[] {
  return distinctNames([...call.activeAgents.map((a) => a.name || a.id), ...[...call.agentOffers.values()].map((a) => a.agentName || a.agentId)]);
}

/** The exported document: the call's summary and its timeline entries. */
export function buildCallExport(call: CallRecord, exportedAt = Date.now()): object {
  return {
    format: 'stream-liner-call/1',
    exportedAt: new Date(exportedAt).toISOString(),
    summary: {
      id: call.id,
      customerNumber: call.customerNumber,
      direction: call.direction,
      internal: call.internal,
      state: call.state,
      outcome: exportOutcome(call),
      unconfirmed: call.unconfirmed,
      startedAt: call.startedAt,
      endedAt: call.endedAt,
      currentQueue: call.currentQueue?.name,
      currentAgent: call.currentAgent?.name,
      queues: callQueues(call),
      agents: callAgents(call),
      timelineDropped: call.timelineDropped,
    },
    timeline: call.timeline.map((e) => ({ feed: e.feed, receivedAt: e.receivedAt, document: e.document })),
  };
}

/** The export as text (two-space JSON), with every known secret passed through `redact` as a safety net. */
export function callExportJson(call: CallRecord, redact: (text: string) => string, exportedAt = Date.now()): string {
  return redact(JSON.stringify(buildCallExport(call, exportedAt), null, 2));
}

/** The file name an export is offered under: `call-<id>.json`, the id reduced to letters, digits, `_` and `-`. */
export function exportFileName(call: CallRecord): string {
  return `call-${call.id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}
