// A grouping's order and the catch-all group's name: the store builds its groups in this order with these labels,
// and the Calls tree shows them as the store gives them.
import { NO_GROUP_KEY, type GroupMode } from './model';

export const NO_QUEUE_LABEL = 'In IVR / no queue';
export const NO_AGENT_LABEL = 'No agent yet';

/** The label of the group of calls without a queue (queue mode) or without an agent (agent mode). */
export function noGroupLabel(mode: GroupMode): string {
  return mode === 'queue' ? NO_QUEUE_LABEL : NO_AGENT_LABEL;
}

/** The catch-all group goes last; the rest by name (case-insensitive), then key, so equal names keep a fixed order. */
export function compareGroups(a: { key: string; label: string }, b: { key: string; label: string }): number {
  if (a.key === NO_GROUP_KEY || b.key === NO_GROUP_KEY) return a.key === b.key ? 0 : a.key === NO_GROUP_KEY ? 1 : -1;
  const la = a.label.toLowerCase();
  const lb = b.label.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
