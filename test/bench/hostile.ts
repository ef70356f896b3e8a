// Memory under a hostile or broken server: 200,000 distinct active calls, then 200 distinct documents of 1 MB for
// one call, through the production ingest path: a FeedConnection whose frames go to FrameIngest (scanner, known
// frame, decoder) as src/app/connectionController.ts wires them, with a 1 s sweep like the
// controller's. The frames are handed to the feed client by a socket that needs no network (createSocket), so the
// figure is the pipeline's memory alone. Measured as heap_mb_end is: JS heap + Buffer memory after a forced GC.
import { safeLine } from '../../src/shared/sanitize';
import { FrameIngest } from '../../src/core/ingest/frameIngest';
import { EventEmitter } from 'node:events';
import { CallStore } from '../../src/core/store';
import type { FeedName } from '../../src/core/types';
import { FeedConnection, type SocketLike } from '../../src/feed/connection';
import { BenchLogger } from './pipeline';
import { heapMb } from './stats';

export const HOSTILE_CALLS = 200_000;
export const HOSTILE_BIG_DOCUMENTS = 200;
const BIG_BYTES = 1_000_000;

export interface HostileResult {
  endMb: number; startMb: number; afterCallsMb: number; active: number; ended: number; bigTimeline: number;
  bigTimelineDropped: number; documents: number; seconds: number;
}

/** A socket that is open at once and hands on whatever frames it is given, as ws's 'message' events. */
class FrameSocket extends EventEmitter implements SocketLike {
  readyState = 0;

  open(): void {
    this.readyState = 1;
    this.emit('open');
  }

  deliver(frame: Buffer): void {
    this.emit('message', frame, false);
  }

  ping(): void { /* no peer */ }

  // Frames come from this bench's loop, not a socket: there is nothing to pause.
  readonly isPaused = false;
  pause(): void { /* see isPaused */ }
  resume(): void { /* see isPaused */ }

  close(code = 1000): void {
    this.terminateWith(code);
  }

  terminate(): void {
    this.terminateWith(1006);
  }

  private terminateWith(code: number): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.emit('close', code, Buffer.alloc(0)));
  }
}

/** A calls-feed document of an active incoming call, distinct per `i`. */
function callFrame(i: number, start: number): Buffer {
  return Buffer.from(JSON.stringify({
    id_call: `hostile-${i}`, active: 1, answered: 0, internal: 0, voicemail: 0, call_direction: 'incoming',
    time: { start: start + i }, customer_target: { number: `0046${String(700_000_000 + i)}` },
    queue_list: [], agent_list: [], agent_list_answer: [], agent_list_no_answer: [], ivr_list: [], transfers: 0,
  }));
}

/** A calls-feed document of about 1 MB for one call, distinct per `i`. */
function bigFrame(i: number, start: number): Buffer {
  const head = JSON.stringify({
    id_call: 'hostile-big', active: 1, answered: 0, internal: 0, voicemail: 0, call_direction: 'incoming',
    time: { start }, duration: { total: i }, customer_target: { number: '0046700000000' },
  });
  const pad = BIG_BYTES - head.length - 16;
  return Buffer.from(`${head.slice(0, -1)},"note":"${String(i % 10).repeat(pad)}"}`);
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runHostile(calls = HOSTILE_CALLS, big = HOSTILE_BIG_DOCUMENTS): Promise<HostileResult> {
  const started = performance.now();
  const startMb = heapMb();
  const store = new CallStore();
  const logger = new BenchLogger();
  const ingest = new FrameIngest(store, { logger });
  const sockets = new Map<FeedName, FrameSocket>();
  const connection = new FeedConnection({
    baseUrl: 'wss://hostile.example', token: 'bench-token', feeds: ['calls'], logger, cleanText: safeLine,
    createSocket: (url) => {
      const socket = new FrameSocket();
      sockets.set(url.endsWith('/calls') ? 'calls' : url.endsWith('/queues') ? 'queues' : 'agents', socket);
      return socket;
    },
    // As connectionController.ts wires it: every frame through the one ingest path.
    onFrame: (feed, frame, receivedAt) => ingest.accept(feed, frame, receivedAt),
  });
  const sweep = setInterval(() => store.sweep(), 1000);
  try {
    connection.start();
    const socket = sockets.get('calls');
    if (!socket) throw new Error('hostile: the feed client opened no calls socket');
    socket.open();
    const start = Date.now();
    for (let i = 0; i < calls; i++) {
      socket.deliver(callFrame(i, start));
      if (i % 5000 === 0) await turn();
    }
    await turn();
    const afterCallsMb = heapMb();
    for (let i = 0; i < big; i++) {
      socket.deliver(bigFrame(i, start));
      if (i % 10 === 0) await turn();
    }
    await turn();
    const endMb = heapMb();
    const bigCall = store.getCall('hostile-big');
    const documents = connection.status.messages;
    if (logger.problems.length > 0) throw new Error(`hostile: ${logger.problems.slice(0, 3).join(' | ')}`);
    if (!bigCall) throw new Error('hostile: the 1 MB documents were not ingested');
    return {
      endMb, startMb, afterCallsMb, active: store.activeCount, ended: store.endedCount, bigTimeline: bigCall.timeline.length,
      bigTimelineDropped: bigCall.timelineDropped, documents, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    clearInterval(sweep);
    await connection.stop();
  }
}

// Run by run.ts as its own process: `node --expose-gc --import tsx test/bench/hostile.ts`.
if (require.main === module) {
  runHostile().then(
    (result) => process.send ? process.send({ ok: true, result }, () => process.exit(0)) : console.log(result),
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      if (process.send) process.send({ ok: false, error }, () => process.exit(1));
      else { console.error(error); process.exit(1); }
    },
  );
}
