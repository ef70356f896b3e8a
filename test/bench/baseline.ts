// The physical limit: a bare `ws` client that receives the frame server's frames on the three feeds and
// JSON.parses each one, nothing else. The pipeline run consumes exactly the same bytes.
import { WebSocket, type RawData } from 'ws';
import { FEED_NAMES } from '../../src/core/types';
import { BLAST_REPORT_EVERY } from './blastLead';
import type { FrameServerProcess } from './serverProcess';
import { RateWindow } from './stats';

export async function runBaseline(server: FrameServerProcess): Promise<number> {
  const expected = server.info.frames;
  const window = new RateWindow();
  let received = 0;
  let sink = 0;
  const sockets = FEED_NAMES.map((feed) => new WebSocket(`${server.url}/${feed}`, { perMessageDeflate: false, headers: { Authorization: 'Bearer bench' } }));
  const finished = new Promise<void>((done, fail) => {
    for (const ws of sockets) {
      ws.on('message', (data: RawData) => {
        window.mark();
        const doc = JSON.parse((data as Buffer).toString()) as { active?: number };
        sink += doc.active === 1 ? 1 : 0;
        window.end();
        if (++received % BLAST_REPORT_EVERY === 0) server.received(received);
        if (received === expected) done();
      });
      ws.on('error', fail);
      ws.on('close', () => {
        if (received < expected && sockets.every((s) => s.readyState === WebSocket.CLOSED)) fail(new Error(`baseline: ${received}/${expected} frames`));
      });
    }
  });
  const sent = server.request({ type: 'blast' });
  await finished;
  await sent;
  for (const ws of sockets) ws.close();
  if (sink < 0) throw new Error('unreachable');
  return window.rate(received);
}
