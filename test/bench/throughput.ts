// `npm run bench:throughput [-- pairs]`: only the throughput phase of the bench (a baseline run and a pipeline run,
// alternating, after one warm-up each), for A/B runs of a temporary patch. Prints each pair's ratio and the median.
import { runPairs } from './pairs';
import { FrameServerProcess } from './serverProcess';
import { median } from './stats';

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 5);
  const server = await FrameServerProcess.start(12_000);
  try {
    const { base, ingest } = await runPairs(server, pairs, (i, b, { rate }) => {
      process.stdout.write(`pair ${i + 1}: baseline ${Math.round(b)}/s, pipeline ${Math.round(rate)}/s, ratio ${(rate / b).toFixed(3)}\n`);
    });
    const ratios = ingest.map((rate, i) => rate / base[i]);
    process.stdout.write(`median ratio ${median(ratios).toFixed(3)} (spread ${(Math.max(...ratios) - Math.min(...ratios)).toFixed(3)})\n`);
  } finally {
    await server.stop();
  }
}

void main();
