// The benchmark's frame server (test/bench/frame-server.ts): a blast runs at most BLAST_LEAD frames ahead of what
// its client reports handled, so the three feeds stay in the stream's order (an unbounded blast let one feed run
// thousands of frames ahead and gave some pipeline runs a third less work).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { BLAST_LEAD, BLAST_REPORT_EVERY } from '../bench/blastLead';
import { FrameServerProcess } from '../bench/serverProcess';
import { FEED_NAMES } from '../../src/core/types';

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('bench frame server: a blast waits for its client', () => {
  let server: FrameServerProcess;
  before(async () => {
    server = await FrameServerProcess.start(900);
  });
  after(async () => {
    await server.stop();
  });

  it('sends BLAST_LEAD frames to a client that reports nothing, then the rest as the client reports', async () => {
    const total = server.info.frames;
    assert.ok(total > 2 * BLAST_LEAD, `the stream (${total} frames) is longer than two leads`);
    let received = 0;
    const sockets = FEED_NAMES.map((feed) => new WebSocket(`${server.url}/${feed}`, { perMessageDeflate: false }));
    for (const ws of sockets) ws.on('message', () => { received++; });
    await Promise.all(sockets.map((ws) => new Promise((done) => ws.once('open', done))));
    const blast = server.request({ type: 'blast' });
    await settle(400);
    assert.equal(received, BLAST_LEAD, 'no report: exactly one lead of frames');
    // A report of fewer than BLAST_REPORT_EVERY frames past the lead frees nothing yet...
    server.received(BLAST_REPORT_EVERY - 1);
    await settle(200);
    assert.equal(received, BLAST_LEAD);
    // ...one that covers them lets the server run one lead ahead of it again.
    server.received(BLAST_REPORT_EVERY);
    await settle(300);
    assert.equal(received, BLAST_REPORT_EVERY + BLAST_LEAD);
    // Reporting as frames arrive, the client gets the whole stream.
    const report = setInterval(() => server.received(received), 5);
    const done = await blast;
    clearInterval(report);
    await settle(100);
    assert.equal(done.sent, total);
    assert.equal(received, total);
    for (const ws of sockets) ws.close();
  });
});
