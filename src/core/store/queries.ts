// Groups of active calls by queue or agent, and the keys a call is grouped under.
import { NO_GROUP_KEY, type CallGroup, type CallState } from '../model';
import type { CallEntry } from './callEntry';

export interface GroupCache {
  groups: CallGroup[];
  /** Earliest waitingSince of each group's confirmed waiting/ringing calls (NaN when none). */
  since: number[];
}

export const isWaitState = (s: CallState): boolean => s === 'waiting' || s === 'ringing';

export function queueKeyOf(e: CallEntry): string {
  return e.currentQueue?.id ?? NO_GROUP_KEY;
}

export function agentKeysOf(e: CallEntry): string[] {
  return e.activeAgents.length > 0 ? e.activeAgents.map((a) => a.id) : [NO_GROUP_KEY];
}
