// Frame server for the benchmark, run as a separate process (`node --import tsx test/bench/frame-server.ts`) so
// the sending side never competes with the measured client's event loop. It pre-serialises the generator's
// frames once and, on each command from the parent (IPC), sends them on /calls, /queues and /agents of one
// "session" (the next connection on each of the three paths) and then closes that session's sockets.
//   blast: every frame as fast as the sockets drain (flow control through the socket's write/'drain'), never more
//          than BLAST_LEAD frames ahead of what the client reported it has handled (its 'received' messages), so
//          the three feeds stay in the stream's order within that many frames (see FrameServer.run)
//   pace:  `count` frames at a steady `rate` per second
//   burst: the first `count` frames of the stream at full speed, at once (no waiting for the client's reports)
//   flood: frames for `ms` at full speed, looping over the list with the call ids rewritten per loop so the
//          store keeps seeing new calls rather than duplicates
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FEED_NAMES, type FeedName } from '../../src/core/types';
import { BLAST_LEAD, BLAST_REPORT_EVERY } from './blastLead';
import { benchFrames } from './frames';

export type ServerCommand =
  | { type: 'blast'; id: number }
  | { type: 'pace'; id: number; rate: number; count: number }
  | { type: 'flood'; id: number; ms: number }
  | { type: 'burst'; id: number; count: number }
  | { type: 'exit' }
  /** From the client during a blast: how many frames it has handled so far. */
  | { type: 'received'; count: number };

export type ServerReply =
  | { type: 'ready'; port: number; frames: number; bytes: number; perFeed: Record<FeedName, number>; generateMs: number }
  | { type: 'done'; id: number; sent: number; bytes: number; ms: number }
  | { type: 'error'; message: string };

/** A frame as it goes on the wire (header + payload) and its payload size. */
interface Frame { feed: FeedName; wire: Buffer; size: number }

/** Frames are written in chunks of about this size (one socket write each, like a busy server's writev). */
const CHUNK_BYTES = 64 * 1024;
/** Offset of the call id's first hex digit: every document starts with {"id_call":" (checked at start-up). */
const ID_OFFSET = '{"id_call":"'.length;

/** The exact bytes ws would put on the wire for a server text message: FIN + opcode 1, unmasked, then the payload. */
export function wireFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headerLength + n);
  out[0] = 0x81;
  if (n < 126) {
    out[1] = n;
  } else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(out, headerLength);
  return out;
}

/**
 * Writes pre-built wire frames straight to a session socket, batched into chunks, waiting for 'drain' when the
 * socket's buffer is full. The upgrade, pings and the closing handshake stay with ws (its own frames are
 * whole writes on the same socket, so they interleave safely between ours). Writing around ws.send keeps the
 * sender from being the bottleneck: ws.send costs one syscall per message, which would cap the baseline below
 * what the client can take.
 */
class FrameWriter {
  private readonly socket: Socket;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(ws: WebSocket) {
    // ws keeps its net.Socket in the private _socket field (stable across ws 8.x).
    this.socket = (ws as unknown as { _socket: Socket })._socket;
  }

  /** Queues one frame; resolves after a write when the socket asks to wait. */
  add(frame: Buffer): Promise<void> | undefined {
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    return this.pendingBytes >= CHUNK_BYTES ? this.flush() : undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.pendingBytes === 0) return undefined;
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.socket.destroyed) return undefined;
    if (this.socket.write(chunk)) return undefined;
    return new Promise((done) => {
      const finish = (): void => {
        this.socket.off('drain', finish);
        this.socket.off('close', finish);
        done();
      };
      this.socket.on('drain', finish);
      this.socket.on('close', finish);
    });
  }
}

/** One client's three feed connections; a command waits until all three are open. */
class Session {
  readonly sockets = new Map<FeedName, WebSocket>();
  private waiting: Array<() => void> = [];

  get complete(): boolean {
    return this.sockets.size === FEED_NAMES.length;
  }

  whenComplete(): Promise<void> {
    return this.complete ? Promise.resolve() : new Promise((done) => this.waiting.push(done));
  }

  add(feed: FeedName, ws: WebSocket): void {
    this.sockets.set(feed, ws);
    if (this.complete) for (const done of this.waiting.splice(0)) done();
  }
}

function loopVariant(frame: Frame, loop: number): Buffer {
  if (loop === 0) return frame.wire;
  const copy = Buffer.from(frame.wire);
  copy.write((loop & 0xffff).toString(16).padStart(4, '0'), frame.wire.length - frame.size + ID_OFFSET, 'latin1');
  return copy;
}

class FrameServer {
  private readonly frames: Frame[];
  private session = new Session();
  /** Frames the client of the current blast reported handled. */
  private received = 0;
  private onReceived: (() => void) | undefined;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly http = createServer((_req, res) => res.writeHead(404).end());

  constructor(frames: Frame[]) {
    this.frames = frames;
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  listen(): Promise<number> {
    return new Promise((done) => this.http.listen(0, '127.0.0.1', () => done((this.http.address() as { port: number }).port)));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const feed = (req.url ?? '').split('?')[0].replace(/^\//, '') as FeedName;
    if (!FEED_NAMES.includes(feed) || this.session.sockets.has(feed)) {
      // A second connection on a path already in the session (e.g. a client's reconnect) is turned away.
      socket.end('HTTP/1.1 409 Conflict\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = this.session;
      ws.on('close', () => { if (session.sockets.get(feed) === ws) session.sockets.delete(feed); });
      ws.on('error', () => undefined);
      session.add(feed, ws);
    });
  }

  async run(cmd: Exclude<ServerCommand, { type: 'exit' } | { type: 'received' }>): Promise<ServerReply> {
    const session = this.session;
    await session.whenComplete();
    const writers = new Map<FeedName, FrameWriter>();
    for (const [feed, ws] of session.sockets) writers.set(feed, new FrameWriter(ws));
    const started = performance.now();
    let sent = 0;
    let bytes = 0;
    const sendOne = async (frame: Frame, wire: Buffer): Promise<void> => {
      sent++;
      bytes += frame.size;
      const wait = (writers.get(frame.feed) as FrameWriter).add(wire);
      if (wait) await wait;
    };
    const flushAll = async (): Promise<void> => {
      for (const w of writers.values()) await w.flush();
    };
    if (cmd.type === 'blast') {
      this.received = 0;
      for (const f of this.frames) {
        if (sent - this.received >= BLAST_LEAD) {
          await flushAll();
          await this.clientCatchesUp(sent - BLAST_LEAD + BLAST_REPORT_EVERY);
        }
        await sendOne(f, f.wire);
      }
    } else if (cmd.type === 'burst') {
      for (let i = 0; i < cmd.count; i++) {
        const f = this.frames[i % this.frames.length];
        await sendOne(f, loopVariant(f, Math.floor(i / this.frames.length)));
      }
    } else if (cmd.type === 'flood') {
      for (let loop = 0; performance.now() - started < cmd.ms; loop++) {
        for (let i = 0; i < this.frames.length && (i & 1023 || performance.now() - started < cmd.ms); i++) {
          await sendOne(this.frames[i], loopVariant(this.frames[i], loop));
        }
      }
    } else {
      // Steady pacing: each tick sends whatever is due (usually one frame), so timer jitter does not change the rate.
      while (sent < cmd.count) {
        const due = Math.min(cmd.count, Math.floor(((performance.now() - started) * cmd.rate) / 1000) + 1);
        while (sent < due) {
          const f = this.frames[sent % this.frames.length];
          await sendOne(f, loopVariant(f, Math.floor(sent / this.frames.length)));
        }
        await flushAll();
        await new Promise((done) => setTimeout(done, 1));
      }
    }
    await flushAll();
    const ms = performance.now() - started;
    // The next connections belong to the next session; this one ends after its data (close follows the data).
    this.session = new Session();
    for (const ws of session.sockets.values()) ws.close(1000, 'bench done');
    return { type: 'done', id: cmd.id, sent, bytes, ms };
  }

  /** The client's report of how many frames it has handled. */
  noteReceived(count: number): void {
    this.received = Math.max(this.received, count);
    this.onReceived?.();
  }

  /** Resolves once the client has reported `count` frames handled (or its session's sockets closed). */
  private clientCatchesUp(count: number): Promise<void> {
    return new Promise((done) => {
      const check = (): void => {
        if (this.received >= count || this.session.sockets.size < FEED_NAMES.length) {
          this.onReceived = undefined;
          clearInterval(timer);
          done();
        }
      };
      // Also polled: a session whose sockets closed sends no more reports.
      const timer = setInterval(check, 50);
      this.onReceived = check;
      check();
    });
  }

  close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((done) => this.http.close(() => done()));
  }
}

function reply(msg: ServerReply): void {
  process.send?.(msg);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('frame-server.ts is started by test/bench/run.ts with an IPC channel');
  const journeys = Number(process.argv[process.argv.indexOf('--journeys') + 1]) || 12000;
  const t0 = performance.now();
  const frames: Frame[] = benchFrames(journeys).map((f) => {
    const payload = Buffer.from(f.data);
    return { feed: f.feed, wire: wireFrame(payload), size: payload.length };
  });
  const generateMs = performance.now() - t0;
  const prefix = Buffer.from('{"id_call":"');
  for (const f of frames) {
    if (!f.wire.subarray(f.wire.length - f.size, f.wire.length - f.size + ID_OFFSET).equals(prefix)) throw new Error('a generator frame does not start with {"id_call":"');
  }
  const server = new FrameServer(frames);
  const port = await server.listen();
  const perFeed = { calls: 0, queues: 0, agents: 0 } as Record<FeedName, number>;
  for (const f of frames) perFeed[f.feed]++;
  const bytes = frames.reduce((sum, f) => sum + f.size, 0);
  let queue = Promise.resolve();
  process.on('message', (cmd: ServerCommand) => {
    if (cmd.type === 'exit') {
      void server.close().then(() => process.exit(0));
      return;
    }
    if (cmd.type === 'received') {
      server.noteReceived(cmd.count);
      return;
    }
    // Commands run one after the other, each on its own session.
    queue = queue.then(() => server.run(cmd)).then(reply, (err: unknown) => reply({ type: 'error', message: String(err) }));
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', port, frames: frames.length, bytes, perFeed, generateMs });
}

main().catch((err: unknown) => {
  reply({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
