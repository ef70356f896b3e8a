import { FrameServerProcess } from './test/bench/serverProcess';
import { runIngest } from './test/bench/ingest';
import { runBaseline } from './test/bench/baseline';
// eslint-disable-next-line
const Receiver = require('ws').Receiver;
let chunks = 0, bytes = 0;
const w = Receiver.prototype._write;
Receiver.prototype._write = function (c: Buffer, e: string, cb: () => void) { chunks++; bytes += c.length; return w.call(this, c, e, cb); };
(async () => {
  const s = await FrameServerProcess.start(12_000);
  await runIngest(s);
  for (let i = 0; i < Number(process.argv[2] ?? 6); i++) {
    chunks = bytes = 0;
    const b = await runBaseline(s);
    const bc = chunks, bb = bytes; chunks = bytes = 0;
    const cpu0 = process.cpuUsage();
    const r = await runIngest(s);
    const cpu = process.cpuUsage(cpu0);
    console.log(`rate ${Math.round(r.rate)} base ${Math.round(b)} ratio ${(r.rate / b).toFixed(3)} docs ${r.documents} chunks ${chunks} avg ${(bytes/chunks/1024).toFixed(1)}KB | base chunks ${bc} avg ${(bb/bc/1024).toFixed(1)}KB cpu ${(cpu.user/1000).toFixed(0)}`);
  }
  await s.stop();
  process.exit(0);
})();
