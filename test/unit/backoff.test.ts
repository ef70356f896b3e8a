// Full-jitter backoff: delay = random() * min(maxMs, initialMs * 2^attempt), bounds, cap and odd inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, backoffDelay, backoffSettings, clampUnit, DEFAULT_BACKOFF } from '../../src/feed/backoff';
import { mulberry32 } from '../../src/simulator/random';

describe('backoff', () => {
  it('ceiling doubles from initialMs and stops at maxMs (about 60 s by default)', () => {
    const s = backoffSettings();
    assert.deepEqual(s, { initialMs: 1000, maxMs: 60_000, stableMs: 30_000 });
    const ceilings = Array.from({ length: 9 }, (_, i) => backoffCeiling(i, s));
    assert.deepEqual(ceilings, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    assert.equal(backoffCeiling(10_000, s), 60_000, 'no overflow to Infinity/NaN for huge attempts');
    assert.equal(backoffCeiling(Number.POSITIVE_INFINITY, s), 1000, 'a nonsense attempt counts as the first');
    assert.equal(backoffCeiling(-3, s), 1000);
  });

  it('the delay is random() times the ceiling: full jitter, not equal jitter', () => {
    const s = { initialMs: 1000, maxMs: 60_000 };
    assert.equal(backoffDelay(0, s, () => 0), 0, 'full jitter can retry at once');
    assert.equal(backoffDelay(0, s, () => 0.5), 500);
    assert.equal(backoffDelay(3, s, () => 0.25), 2000);
    assert.equal(backoffDelay(20, s, () => 0.5), 30_000);
    assert.ok(backoffDelay(20, s, () => 0.999999) <= 60_000);
    assert.ok(backoffDelay(20, s, () => 0.999999) > 59_900);
  });

  it('stays within [0, ceiling] for every attempt over many draws, and uses the whole range', () => {
    const s = backoffSettings({ initialMs: 20, maxMs: 200 });
    const random = mulberry32(7);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeiling(attempt, s);
      const draws = Array.from({ length: 500 }, () => backoffDelay(attempt, s, random));
      assert.ok(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= ceiling), `attempt ${attempt} within [0, ${ceiling}]`);
      assert.ok(Math.min(...draws) < ceiling * 0.1, `attempt ${attempt}: low delays occur`);
      assert.ok(Math.max(...draws) > ceiling * 0.9, `attempt ${attempt}: high delays occur`);
    }
  });

  it('clamps a misbehaving random() into [0, 1)', () => {
    assert.equal(clampUnit(Number.NaN), 0);
    assert.equal(clampUnit(-1), 0);
    assert.ok(clampUnit(1) < 1);
    assert.ok(clampUnit(7) < 1);
    const s = { initialMs: 100, maxMs: 1000 };
    assert.equal(backoffDelay(0, s, () => Number.NaN), 0);
    assert.ok(backoffDelay(0, s, () => 5) <= 100);
  });

  it('settings fall back to the defaults for missing or invalid values, and maxMs is never below initialMs', () => {
    assert.deepEqual(backoffSettings({ initialMs: -1, maxMs: Number.NaN, stableMs: 0 }), { ...DEFAULT_BACKOFF });
    assert.deepEqual(backoffSettings({ initialMs: 5000, maxMs: 100 }), { initialMs: 5000, maxMs: 5000, stableMs: 30_000 });
  });
});
