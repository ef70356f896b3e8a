// Pure text formatting of durations, times, shares and counts, for the host (tree, status bar, notifications)
// and the timeline webview alike. Imports nothing.

/**
 * A duration for humans: under a minute "12 s", then "1:05", from an hour "1:02:05".
 * Negative or non-finite input (clock skew, missing times) shows as "0 s" rather than nonsense.
 */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  if (total >= DURATION_TEXTS_MAX) return durationText(total);
  // Every row of the tree shows one of these each refresh: number-to-text conversion was most of a row's cost.
  return (durationTexts[total] ??= durationText(total));
}

/** Durations under four hours (the default limit of an active call) are formatted once and reused. */
const DURATION_TEXTS_MAX = 4 * 3600;
const durationTexts: (string | undefined)[] = new Array<string | undefined>(DURATION_TEXTS_MAX);

function durationText(total: number): string {
  if (total < 60) return `${total} s`;
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = s < 10 ? `0${s}` : `${s}`;
  if (h === 0) return `${m}:${ss}`;
  return `${h}:${m < 10 ? `0${m}` : m}:${ss}`;
}

/** A duration given in seconds (the feeds' `duration.*` fields). */
export function formatSeconds(seconds: number | undefined): string {
  return formatDuration(typeof seconds === 'number' ? seconds * 1000 : 0);
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "3 d ago"; a time in the future reads as "just now". */
export function formatRelative(then: number, now: number): string {
  const diff = now - then;
  if (!Number.isFinite(diff) || diff < 5000) return 'just now';
  const s = Math.floor(diff / 1000);
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** A countdown to a future moment in whole seconds, rounded up: "retry in 12 s", "retry now" when due. */
export function formatCountdown(at: number, now: number): string {
  const s = Math.ceil((at - now) / 1000);
  if (!Number.isFinite(s) || s <= 0) return 'retry now';
  return `retry in ${s < 60 ? `${s} s` : formatDuration(s * 1000)}`;
}

/** Local wall-clock time "HH:MM:SS". */
export function formatClock(epochMs: number): string {
  return clockOf(new Date(epochMs));
}

/** formatClock for a Date the caller has already made (the timeline makes one per row for two texts). */
export function clockOf(d: Date): string {
  if (Number.isNaN(d.getTime())) return '—';
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A 0..1 share as a whole percentage ("87 %"); "—" when there is nothing to measure. */
export function formatPercent(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(Math.min(1, Math.max(0, share)) * 100)} %`;
}
