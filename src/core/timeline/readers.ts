// Readers of a call's untrusted facts for the timeline's texts: numbers, names, durations.
import type { AgentRef, EpochMs, FirstLastTotal } from '../types';

export type Clock = () => EpochMs;

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** "Anna Grill" from an agent ref (the queues feed splits name and surname). */
export function agentRefName(ref: AgentRef | undefined): string | undefined {
  const r = obj(ref);
  if (!r) return undefined;
  const name = [str(r.name), str(r.surname)].filter(Boolean).join(' ');
  return name || str(r.id);
}

export function refName(ref: unknown): string | undefined {
  const r = obj(ref);
  return r ? str(r.name) ?? str(r.id) : undefined;
}

/** Seconds from a `duration.x` that may be a number or a {first,last,total} object. */
export function seconds(value: number | FirstLastTotal | undefined, part: keyof FirstLastTotal = 'total'): number | undefined {
  if (typeof value === 'number') return num(value);
  const o = obj(value);
  return o ? num(o[part]) : undefined;
}
