// The benchmark's verdicts and exit status (report.ts): a missed target must not look like a pass to a script.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METRICS, exitStatus, json, table, verdict, type Results } from '../bench/report';

/** Every figure measured and within its target. */
function passing(): Results {
  return {
    baseline_msgs_per_s: 170_000, ingest_msgs_per_s: 150_000, ingest_ratio: 0.882, tree_refreshes_per_s: 3.8,
    tree_build_ms_10k: 9.5, latency_p99_ms: 0.1, heap_mb_end: 25, heap_growth_second_half_mb: 2, heap_mb_hostile: 60, webview_render_ms_500: 60,
    bundle_kb: 207, activate_ms: 9, max_block_ms: 20,
  };
}

describe('bench report', () => {
  it('exits 0 when every target is met, and says so', () => {
    assert.equal(exitStatus(passing(), []), 0);
    assert.match(table(passing(), []), /All targets met\./);
  });

  it('exits 2 when a figure misses its target, on either side of it, and names the figure', () => {
    const low = { ...passing(), ingest_ratio: 0.699 };
    assert.equal(verdict('ingest_ratio', 0.7), 'pass', 'the target itself is met');
    assert.equal(exitStatus(low, []), 2);
    assert.match(table(low, []), /^MISSED: ingest_ratio \(0\.699, target >= 0\.7\)$/m);
    assert.equal(exitStatus({ ...passing(), tree_refreshes_per_s: 5.01 }, []), 2);
    assert.equal(exitStatus({ ...passing(), bundle_kb: 400.1 }, []), 2);
  });

  it('rounds as the table does before judging (0.6996 prints as 0.700 and passes)', () => {
    assert.equal(exitStatus({ ...passing(), ingest_ratio: 0.6996 }, []), 0);
    assert.equal(exitStatus({ ...passing(), ingest_ratio: 0.6994 }, []), 2);
  });

  it('exits 1 when a measurement could not run, even if the others missed', () => {
    assert.equal(exitStatus({ ...passing(), webview_render_ms_500: null }, []), 1);
    assert.equal(exitStatus({ ...passing(), ingest_ratio: 0.5, heap_mb_end: null }, []), 1);
    assert.equal(exitStatus(passing(), ['webview render: Chromium did not start']), 1);
  });

  it('the JSON line has exactly the metric fields', () => {
    assert.deepEqual(Object.keys(JSON.parse(json(passing()))), [...METRICS]);
  });
});
