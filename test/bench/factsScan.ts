// `npm run bench:facts-scan`: what the product frame scanner (src/core/scan, scanFacts: a WebAssembly scan of a
// frame's bytes into its DocFacts) costs per frame of the benchmark's stream, against `toString` + `JSON.parse` and
// the decoder (alone, and with factsOf, the work scanFacts replaces). Before timing anything it checks the scanner's
// contract on every frame of the stream (facts deepStrictEqual to factsOf of decodeFrame's document, which is ok and
// drops nothing) and prints how many frames fell back to the decoder and why; any difference exits 1.
import { deepStrictEqual } from 'node:assert/strict';
import { decodeFrame } from '../../src/core/decoder';
import { factsOf } from '../../src/core/facts';
import { frameScanStats, resetFrameScanStats, scanFacts } from '../../src/core/scan/frameScan';
import type { FeedName } from '../../src/core/types';
import { benchFrames } from './frames';
import { printAlternatingRounds } from './stats';

const JOURNEYS = 12_000;
const ROUNDS = 7;

const frames: Array<{ feed: FeedName; bytes: Buffer }> = benchFrames(JOURNEYS).map((f) => ({ feed: f.feed, bytes: Buffer.from(f.data) }));
const problems: string[] = [];

resetFrameScanStats();
for (const f of frames) {
  const facts = scanFacts(f.bytes, f.feed);
  if (facts === undefined) continue;
  const r = decodeFrame(f.bytes, f.feed);
  try {
    if (!r.ok) throw new Error(`the decoder rejects it (${r.reason})`);
    if (r.dropped) throw new Error(`the decoder drops ${r.dropped.join(', ')}`);
    deepStrictEqual(facts, factsOf(f.feed, r.value.doc));
  } catch (error) {
    problems.push(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}: ${f.bytes.toString().slice(0, 80)}`);
  }
}
if (problems.length > 0) {
  console.error(`the scanner breaks its contract on ${problems.length} frames: ${problems.slice(0, 5).join(' | ')}`);
  process.exit(1);
}
const checked = frameScanStats();
const fellBack = checked.frames - checked.facts;
const causes = Object.entries(checked.fallbacks).map(([cause, n]) => `${cause} ${n}`).join(', ') || 'none';
console.log(`Checked: scanFacts equals decodeFrame + factsOf on all ${checked.facts} frames it scanned of ${checked.frames}; ` +
  `${fellBack} fell back to the decoder (${((100 * fellBack) / checked.frames).toFixed(3)}%; causes: ${causes}).`);

let sink = 0;
const RUNNERS: Record<string, () => void> = {
  'toString + JSON.parse': () => {
    for (const f of frames) sink += (JSON.parse(f.bytes.toString('utf8')) as { active: number }).active;
  },
  'decodeFrame (today)': () => {
    for (const f of frames) if (decodeFrame(f.bytes, f.feed).ok) sink++;
  },
  'decodeFrame + factsOf': () => {
    for (const f of frames) {
      const r = decodeFrame(f.bytes, f.feed);
      if (r.ok) sink += factsOf(f.feed, r.value.doc).active;
    }
  },
  'scanFacts (decoder on fallback)': () => {
    for (const f of frames) {
      const facts = scanFacts(f.bytes, f.feed);
      if (facts) sink += facts.active;
      else if (decodeFrame(f.bytes, f.feed).ok) sink++;
    }
  },
};
printAlternatingRounds(RUNNERS, frames.length, ROUNDS);
if (sink < 0) console.log('unreachable');
