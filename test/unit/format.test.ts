import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatClock, formatCountdown, formatDuration, formatPercent, formatRelative, formatSeconds,
} from '../../src/shared/format';

test('durations: seconds under a minute, m:ss, then h:mm:ss', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(12_400), '12 s');
  assert.equal(formatDuration(59_999), '59 s');
  assert.equal(formatDuration(60_000), '1:00');
  assert.equal(formatDuration(65_000), '1:05');
  assert.equal(formatDuration(72_000), '1:12');
  assert.equal(formatDuration(12 * 60_000 + 3000), '12:03');
  assert.equal(formatDuration(3_600_000 + 2 * 60_000 + 5000), '1:02:05');
  assert.equal(formatSeconds(65), '1:05');
  assert.equal(formatSeconds(undefined), '0 s');
});

test('durations: formatted texts are reused, with the same answer the second time, on both sides of four hours', () => {
  for (const ms of [0, 1999, 59_000, 3_599_999, 4 * 3_600_000 - 1, 4 * 3_600_000, 4 * 3_600_000 + 65_000, 100 * 3_600_000]) {
    assert.equal(formatDuration(ms), formatDuration(ms));
  }
  assert.equal(formatDuration(3_599_999), '59:59');
  assert.equal(formatDuration(4 * 3_600_000 - 1), '3:59:59');
  assert.equal(formatDuration(4 * 3_600_000 + 65_000), '4:01:05');
  assert.equal(formatDuration(100 * 3_600_000), '100:00:00');
  // Fractions of a second share the whole second's text.
  assert.equal(formatDuration(61_001), formatDuration(61_999));
});

test('durations never show nonsense for negative or missing input', () => {
  assert.equal(formatDuration(-5000), '0 s');
  assert.equal(formatDuration(Number.NaN), '0 s');
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), '0 s');
});

test('relative times', () => {
  const now = 1_000_000_000;
  assert.equal(formatRelative(now - 1000, now), 'just now');
  assert.equal(formatRelative(now + 60_000, now), 'just now');
  assert.equal(formatRelative(now - 12_000, now), '12 s ago');
  assert.equal(formatRelative(now - 3 * 60_000 - 5000, now), '3 min ago');
  assert.equal(formatRelative(now - 2 * 3_600_000, now), '2 h ago');
  assert.equal(formatRelative(now - 3 * 86_400_000, now), '3 d ago');
});

test('countdowns round up and say when due', () => {
  assert.equal(formatCountdown(12_000, 0), 'retry in 12 s');
  assert.equal(formatCountdown(11_001, 0), 'retry in 12 s');
  assert.equal(formatCountdown(90_000, 0), 'retry in 1:30');
  assert.equal(formatCountdown(0, 5), 'retry now');
});

test('clock and percent', () => {
  const d = new Date(2026, 0, 2, 9, 5, 7).getTime();
  assert.equal(formatClock(d), '09:05:07');
  assert.equal(formatClock(Number.NaN), '—');
  assert.equal(formatPercent(0.876), '88 %');
  assert.equal(formatPercent(undefined), '—');
  assert.equal(formatPercent(2), '100 %');
});
