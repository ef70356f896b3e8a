// Reconnect delays: exponential backoff with full jitter, delay = random() * min(maxMs, initialMs * 2^attempt).
// Pure, so the bounds can be tested with a fake random.

export interface BackoffSettings {
  /** Ceiling of the first retry (attempt 0). */
  initialMs: number;
  /** Largest ceiling, whatever the attempt. */
  maxMs: number;
  /** A connection that stays up this long resets the attempt count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffSettings> = { initialMs: 1000, maxMs: 60_000, stableMs: 30_000 };

/** Positive finite number or the fallback (settings come from users and tests). */
export function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function backoffSettings(partial?: Partial<BackoffSettings>): BackoffSettings {
  const initialMs = positiveOr(partial?.initialMs, DEFAULT_BACKOFF.initialMs);
  // The cap can never be below the first ceiling.
  const maxMs = Math.max(initialMs, positiveOr(partial?.maxMs, DEFAULT_BACKOFF.maxMs));
  return { initialMs, maxMs, stableMs: positiveOr(partial?.stableMs, DEFAULT_BACKOFF.stableMs) };
}

/** The upper bound of the delay for a 0-based attempt: min(maxMs, initialMs * 2^attempt), without overflow. */
export function backoffCeiling(attempt: number, settings: Pick<BackoffSettings, 'initialMs' | 'maxMs'>): number {
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  // 2^n overflows to Infinity for large n; min() still gives maxMs, but stop early anyway.
  if (n >= 52) return settings.maxMs;
  return Math.min(settings.maxMs, settings.initialMs * 2 ** n);
}

/** A random() that misbehaves (NaN, <0, >=1) is clamped into [0, 1). */
export function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}

/** Full-jitter delay for a 0-based attempt, in whole milliseconds within [0, ceiling]. */
export function backoffDelay(attempt: number, settings: Pick<BackoffSettings, 'initialMs' | 'maxMs'>, random: () => number): number {
  const ceiling = backoffCeiling(attempt, settings);
  return Math.min(ceiling, Math.round(clampUnit(random()) * ceiling));
}
