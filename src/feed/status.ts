// How the per-feed states add up to one connection state (pure, so the rule is tested on its own).
import type { ConnectionState } from './types';

/**
 * unauthorized if any feed is; then error if any feed stopped on an error; connected when every enabled feed is;
 * reconnecting if any waits to retry; connecting while any connects; otherwise (and always after stop()) disconnected.
 */
export function aggregateState(states: readonly ConnectionState[], stopped: boolean): ConnectionState {
  if (stopped || states.length === 0) return 'disconnected';
  if (states.includes('unauthorized')) return 'unauthorized';
  if (states.includes('error')) return 'error';
  if (states.every((s) => s === 'connected')) return 'connected';
  if (states.includes('reconnecting')) return 'reconnecting';
  if (states.includes('connecting')) return 'connecting';
  return 'disconnected';
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
