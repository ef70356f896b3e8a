// Readers of a call's untrusted facts for the timeline's texts: names and durations.
import { idText, num, obj } from '../readers';
import type { AgentRef, EpochMs, FirstLastTotal } from '../types';

export type Clock = () => EpochMs;

/** "Anna Grill" from an agent ref (the queues feed splits name and surname). */
export function agentRefName(ref: AgentRef | undefined): string | undefined {
  const r = obj(ref);
  if (!r) return undefined;
  const name = [idText(r.name), idText(r.surname)].filter(Boolean).join(' ');
  return name || idText(r.id);
}

export function refName(ref: unknown): string | undefined {
  const r = obj(ref);
  return r ? idText(r.name) ?? idText(r.id) : undefined;
}

/** Seconds from a `duration.x` that may be a number or a {first,last,total} object. */
export function seconds(value: number | FirstLastTotal | undefined, part: keyof FirstLastTotal = 'total'): number | undefined {
  if (typeof value === 'number') return num(value);
  const o = obj(value);
  return o ? num(o[part]) : undefined;
}
