// `npm run bench:throughput [-- pairs]`: only the throughput phase of the bench (a baseline run and a pipeline run,
// alternating, after one warm-up each), for A/B runs of a temporary patch. Prints each pair's ratio and the median.
import { runBaseline } from './baseline';
import { runIngest } from './ingest';
import { FrameServerProcess } from './serverProcess';
import { median } from './stats';

async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 5);
  const server = await FrameServerProcess.start(12_000);
  try {
    await runBaseline(server);
    await runIngest(server);
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const base = await runBaseline(server);
      const { rate } = await runIngest(server);
      ratios.push(rate / base);
      process.stdout.write(`pair ${i + 1}: baseline ${Math.round(base)}/s, pipeline ${Math.round(rate)}/s, ratio ${(rate / base).toFixed(3)}\n`);
    }
    process.stdout.write(`median ratio ${median(ratios).toFixed(3)} (spread ${(Math.max(...ratios) - Math.min(...ratios)).toFixed(3)})\n`);
  } finally {
    await server.stop();
  }
}

void main();
