// The timeline's entries: one line describing each document and the fields it changed.
import type { TimelineEntryDto } from '../../shared/messages';
import type { CallRecord, TimelineEntry } from '../model';
import type { AgentsDocument, CallsDocument, QueuesDocument } from '../types';
import { idText, num, obj } from '../readers';
import { agentRefName, refName } from './readers';

const changedUnder = (changed: readonly string[], prefix: string): boolean =>
  changed.some((p) => p === prefix || p.startsWith(`${prefix}.`));

function callsText(doc: CallsDocument, changed: readonly string[], first: boolean): string {
  if (doc.active === 0) {
    const reason = idText(doc.terminated_call_reason) ?? 'no reason given';
    const how = doc.answered === 1 ? ' (answered)' : doc.voicemail === 1 ? ' (voicemail)' : '';
    return `ended: ${reason}${how}`;
  }
  if (first) return `call started${idText(doc.call_direction) ? ` (${idText(doc.call_direction)})` : ''}`;
  if (changedUnder(changed, 'agent_last.answered') || changedUnder(changed, 'agent_first.answered')) {
    return `agent ${agentRefName(doc.agent_last) ?? agentRefName(doc.agent_first) ?? '?'} answered`;
  }
  if (changedUnder(changed, 'queue_last') || changedUnder(changed, 'queue_first')) {
    return `entered queue ${refName(doc.queue_last) ?? refName(doc.queue_first) ?? '?'}`;
  }
  if (changedUnder(changed, 'ivr_last') || changedUnder(changed, 'ivr_first')) {
    return `in IVR ${refName(doc.ivr_last) ?? refName(doc.ivr_first) ?? '?'}`;
  }
  return `call updated (${changed.length} field${changed.length === 1 ? '' : 's'})`;
}

function queuesText(doc: QueuesDocument, changed: readonly string[], first: boolean): string {
  const queue = refName(doc.queue) ?? '?';
  if (doc.active === 0) {
    const reason = idText(obj(doc.queue)?.fail_reason) ?? (doc.answered === 1 ? 'answered' : doc.voicemail === 1 ? 'voicemail' : 'ended');
    return `left queue ${queue}: ${reason}`;
  }
  if (first) return `entered queue ${queue}`;
  if (changedUnder(changed, 'agent_last.answered') || changedUnder(changed, 'agent_first.answered')) {
    return `agent ${agentRefName(doc.agent_last) ?? agentRefName(doc.agent_first) ?? '?'} answered in queue ${queue}`;
  }
  return `queue ${queue} updated`;
}

function agentsText(doc: AgentsDocument, changed: readonly string[], first: boolean): string {
  const agent = refName(doc.agent) ?? '?';
  const answered = num(obj(doc.time)?.answered) !== undefined;
  if (doc.active === 0) {
    const reason = idText(doc.agent_end_reason);
    return answered ? `agent ${agent} finished${reason ? `: ${reason}` : ''}` : `agent ${agent} did not answer${reason ? `: ${reason}` : ''}`;
  }
  if (answered && (first || changedUnder(changed, 'time.answered'))) return `agent ${agent} answered`;
  if (first) return `agent ${agent} ringing`;
  return `agent ${agent} updated`;
}

/** A short description of what a document says happened. `first`: the first document for its key. */
export function describeEntry(entry: TimelineEntry, first: boolean): string {
  const doc = entry.document;
  let text: string;
  if (entry.feed === 'calls') text = callsText(doc as CallsDocument, entry.changed, first);
  else if (entry.feed === 'queues') text = queuesText(doc as QueuesDocument, entry.changed, first);
  else text = agentsText(doc as AgentsDocument, entry.changed, first);
  return entry.late ? `late: ${text}` : text;
}

/** Timeline entries as DTOs, in arrival order; only those with seq > afterSeq (all by default). */
export function buildEntries(record: CallRecord, afterSeq = -1): TimelineEntryDto[] {
  const seen = new Set<string>();
  const out: TimelineEntryDto[] = [];
  for (const entry of record.timeline) {
    // After the cap dropped entries, a key's first kept entry is only "first" if it lists every field (id_call too).
    const first = !seen.has(entry.key) && (record.timelineDropped === 0 || entry.changed.includes('id_call'));
    seen.add(entry.key);
    if (entry.seq <= afterSeq) continue;
    out.push({
      seq: entry.seq,
      feed: entry.feed,
      receivedAt: entry.receivedAt,
      key: entry.key,
      first,
      description: describeEntry(entry, first),
      changed: [...entry.changed],
      late: entry.late === true,
    });
  }
  return out;
}
