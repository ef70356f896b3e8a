// Small statistics helpers for the benchmark.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Messages per second between the first and the last mark (both ends of the same work, so runs compare). */
export class RateWindow {
  private first = 0;
  private last = 0;

  /** Marks a message's arrival (only the first counts). */
  mark(): void {
    if (this.first === 0) this.first = performance.now();
  }

  /** Marks the end of the work for the latest message (after its processing). */
  end(): void {
    this.last = performance.now();
  }

  rate(messages: number): number {
    const ms = this.last - this.first;
    return ms > 0 ? (messages * 1000) / ms : Number.NaN;
  }

  get ms(): number {
    return this.last - this.first;
  }
}

export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

/**
 * Memory after a forced GC: the JS heap plus Buffer memory (the store keeps frames as bytes outside the JS heap,
 * so the heap alone would under-count what it retains).
 */
export function heapMb(): number {
  forceGc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / (1024 * 1024);
}

/**
 * Times each loop `rounds` times, the loops taking turns (after one warm-up each), so a change in the machine's speed
 * falls on all of them; prints µs per item for each (median, and times the first loop's median) with every round.
 */
export function printAlternatingRounds(loops: Record<string, () => void>, items: number, rounds: number): void {
  const names = Object.keys(loops);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) loops[name]();
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      forceGc();
      const started = performance.now();
      loops[name]();
      times[name].push(((performance.now() - started) * 1000) / items);
    }
  }
  const first = median(times[names[0]]);
  const width = Math.max(...names.map((n) => n.length));
  console.log(`${items} items, µs per item, median of ${rounds} alternating rounds (and x ${names[0]}):`);
  for (const name of names) {
    const m = median(times[name]);
    console.log(`  ${name.padEnd(width)} ${m.toFixed(2).padStart(6)}  ${(m / first).toFixed(2)}x   rounds: ${times[name].map((t) => t.toFixed(1)).join(' ')}`);
  }
}
