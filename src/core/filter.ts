// Filters as in the playbook's "get just my data" example: customer number OR agent OR queue OR direction.
import type { CallFilter, CallRecord, FilterCriterion, FilterField } from './model';

const FIELD_LABELS: Record<FilterField, string> = { number: 'number', agent: 'agent', queue: 'queue', direction: 'direction' };

/** Every agent name the call was offered to, from all three feeds ("name surname" too). */
export function agentNamesOf(call: CallRecord): string[] {
  const names = new Set<string>();
  for (const offer of call.agentOffers.values()) if (offer.agentName) names.add(offer.agentName);
  const doc = call.call;
  for (const n of doc?.agent_list ?? []) names.add(n);
  for (const ref of [doc?.agent_first, doc?.agent_last]) if (ref?.name) names.add(ref.name);
  for (const visit of call.queueVisits.values()) {
    for (const ref of [visit.doc.agent_first, visit.doc.agent_last]) {
      if (ref?.name) names.add(ref.surname ? `${ref.name} ${ref.surname}` : ref.name);
    }
    for (const n of visit.doc.agent_list ?? []) names.add(n);
  }
  return [...names];
}

/** Every queue name the call passed through. */
export function queueNamesOf(call: CallRecord): string[] {
  const names = new Set<string>();
  for (const visit of call.queueVisits.values()) if (visit.queueName) names.add(visit.queueName);
  const doc = call.call;
  for (const n of doc?.queue_list ?? []) names.add(n);
  for (const ref of [doc?.queue_first, doc?.queue_last]) if (ref?.name) names.add(ref.name);
  for (const offer of call.agentOffers.values()) if (offer.doc.queue?.name) names.add(offer.doc.queue.name);
  return [...names];
}

function contains(haystack: string | undefined, needle: string): boolean {
  return haystack !== undefined && haystack.toLowerCase().includes(needle);
}

export function matchesCriterion(call: CallRecord, criterion: FilterCriterion): boolean {
  const needle = criterion.value.trim().toLowerCase();
  if (needle === '') return false;
  switch (criterion.field) {
    case 'number': return contains(call.customerNumber, needle);
    case 'direction': return contains(call.direction, needle);
    case 'agent': return agentNamesOf(call).some((n) => contains(n, needle));
    case 'queue': return queueNamesOf(call).some((n) => contains(n, needle));
    default: return false;
  }
}

/** A call matches when any criterion matches; an empty filter matches everything. */
export function matchesFilter(call: CallRecord, filter: CallFilter): boolean {
  if (filter.length === 0) return true;
  return filter.some((c) => matchesCriterion(call, c));
}

export function describeFilter(filter: CallFilter): string {
  return filter.map((c) => `${FIELD_LABELS[c.field]}: ${c.value}`).join(' or ');
}

/** Parses "agent:Anna, number:0046" (a bare value means number). Unknown fields fall back to number. */
export function parseFilterInput(text: string): CallFilter {
  const criteria: FilterCriterion[] = [];
  for (const part of text.split(/[,;]|\s+or\s+/i)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const m = /^(number|agent|queue|direction)\s*[:=]\s*(.+)$/i.exec(trimmed);
    if (m) criteria.push({ field: m[1].toLowerCase() as FilterField, value: m[2].trim() });
    else criteria.push({ field: 'number', value: trimmed });
  }
  return criteria;
}
