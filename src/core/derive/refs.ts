// Named references a call's facts give: agents, queues and menus by id (or `name:` and their name).
import type { QueueVisit } from '../model';
import { obj, str } from '../readers';
import type { AgentRef } from '../types';

export const ABANDON_REASON = 'queue_leave_abandon';

export interface NamedRef {
  id: string;
  name: string;
}

/** Id and display name of an agent object from any feed; undefined when it names nobody. */
export function agentRef(ref: unknown): NamedRef | undefined {
  const r = obj<AgentRef>(ref);
  if (!r) return undefined;
  const first = str(r.name);
  const surname = str(r.surname);
  const name = first !== undefined && surname !== undefined ? `${first} ${surname}` : first ?? surname ?? '';
  const id = str(r.id) ?? (name ? `name:${name}` : undefined);
  return id === undefined ? undefined : { id, name: name || id };
}

/** The id a queue/ivr object goes by: its id, else `name:` and its name; undefined when it names nothing. */
export function refId(ref: { id?: unknown; name?: unknown } | undefined): string | undefined {
  const name = str(ref?.name);
  return str(ref?.id) ?? (name ? `name:${name}` : undefined);
}

/** The latest visit by start time (active ones only, if asked); ties go to the later one. */
export function latestVisit(visits: Iterable<QueueVisit>, activeOnly: boolean): QueueVisit | undefined {
  let best: QueueVisit | undefined;
  for (const v of visits) {
    if (activeOnly && v.ended) continue;
    if (!best || (v.timestart ?? -Infinity) >= (best.timestart ?? -Infinity)) best = v;
  }
  return best;
}
