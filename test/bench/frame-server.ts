// Frame server for the benchmark, run as a separate process (`node --import tsx test/bench/frame-server.ts`) so
// the sending side never competes with the measured client's event loop. It pre-serialises the generator's
// frames once and, on each command from the parent (IPC), sends them on /calls, /queues and /agents of one
// "session" (the next connection on each of the three paths) and then closes that session's sockets.
//   blast: every frame as fast as the sockets drain (flow control through ws's send callbacks)
//   pace:  `count` frames at a steady `rate` per second
//   flood: frames for `ms` at full speed, looping over the list with the call ids rewritten per loop so the
//          store keeps seeing new calls rather than duplicates
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FEED_NAMES, type FeedName } from '../../src/core/types';
import { benchFrames } from './frames';

export type ServerCommand =
  | { type: 'blast'; id: number }
  | { type: 'pace'; id: number; rate: number; count: number }
  | { type: 'flood'; id: number; ms: number }
  | { type: 'exit' };

export type ServerReply =
  | { type: 'ready'; port: number; frames: number; bytes: number; perFeed: Record<FeedName, number>; generateMs: number }
  | { type: 'done'; id: number; sent: number; bytes: number; ms: number }
  | { type: 'error'; message: string };

interface Frame { feed: FeedName; data: Buffer }

/** Send only while a socket holds less than this; resume once the kernel took it below LOW. */
const HIGH_WATER = 512 * 1024;
const LOW_WATER = 128 * 1024;
const TEXT = { binary: false } as const;
/** Offset of the call id's first hex digit: every document starts with {"id_call":" (checked at start-up). */
const ID_OFFSET = '{"id_call":"'.length;

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

/** Per-socket flow control: a shared send callback checks the buffer and wakes the sender once it drained. */
class Drain {
  private resume: (() => void) | undefined;
  readonly onSent = (): void => {
    if (this.resume && this.ws.bufferedAmount <= LOW_WATER) {
      const r = this.resume;
      this.resume = undefined;
      r();
    }
  };

  constructor(private readonly ws: WebSocket) {
    // A socket that goes away mid-send must not leave the sender waiting for a drain that never comes.
    ws.once('close', () => { this.resume?.(); this.resume = undefined; });
  }

  send(data: Buffer): Promise<void> | undefined {
    this.ws.send(data, TEXT, this.onSent);
    if (this.ws.bufferedAmount <= HIGH_WATER) return undefined;
    return new Promise((done) => { this.resume = done; });
  }
}

function loopVariant(frame: Frame, loop: number): Buffer {
  if (loop === 0) return frame.data;
  const copy = Buffer.from(frame.data);
  copy.write((loop & 0xffff).toString(16).padStart(4, '0'), ID_OFFSET, 'latin1');
  return copy;
}

class FrameServer {
  private readonly frames: Frame[];
  private session = new Session();
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

  async run(cmd: Exclude<ServerCommand, { type: 'exit' }>): Promise<ServerReply> {
    const session = this.session;
    await session.whenComplete();
    const drains = new Map<FeedName, Drain>();
    for (const [feed, ws] of session.sockets) drains.set(feed, new Drain(ws));
    const started = performance.now();
    let sent = 0;
    let bytes = 0;
    const sendOne = async (frame: Frame, data: Buffer): Promise<void> => {
      sent++;
      bytes += data.length;
      const wait = (drains.get(frame.feed) as Drain).send(data);
      if (wait) await wait;
    };
    if (cmd.type === 'blast') {
      for (const f of this.frames) await sendOne(f, f.data);
    } else if (cmd.type === 'flood') {
      for (let loop = 0; performance.now() - started < cmd.ms; loop++) {
        for (let i = 0; i < this.frames.length && (i & 1023 || performance.now() - started < cmd.ms); i++) {
          await sendOne(this.frames[i], loopVariant(this.frames[i], loop));
        }
      }
    } else {
      // Steady pacing: each tick sends whatever is due, so timer jitter does not change the average rate.
      while (sent < cmd.count) {
        const due = Math.min(cmd.count, Math.floor(((performance.now() - started) * cmd.rate) / 1000) + 1);
        while (sent < due) {
          const f = this.frames[sent % this.frames.length];
          await sendOne(f, loopVariant(f, Math.floor(sent / this.frames.length)));
        }
        await new Promise((done) => setTimeout(done, 1));
      }
    }
    const ms = performance.now() - started;
    // The next connections belong to the next session; this one ends after its data (close follows the data).
    this.session = new Session();
    for (const ws of session.sockets.values()) ws.close(1000, 'bench done');
    return { type: 'done', id: cmd.id, sent, bytes, ms };
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
  const frames = benchFrames(journeys).map((f) => ({ feed: f.feed, data: Buffer.from(f.data) }));
  const generateMs = performance.now() - t0;
  const prefix = Buffer.from('{"id_call":"');
  for (const f of frames) {
    if (!f.data.subarray(0, ID_OFFSET).equals(prefix)) throw new Error('a generator frame does not start with {"id_call":"');
  }
  const server = new FrameServer(frames);
  const port = await server.listen();
  const perFeed = { calls: 0, queues: 0, agents: 0 } as Record<FeedName, number>;
  for (const f of frames) perFeed[f.feed]++;
  const bytes = frames.reduce((sum, f) => sum + f.data.length, 0);
  let queue = Promise.resolve();
  process.on('message', (cmd: ServerCommand) => {
    if (cmd.type === 'exit') {
      void server.close().then(() => process.exit(0));
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
