// The parent's handle on the frame server child process: start it, send a command, await its reply.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_SRC } from './paths';
import type { ServerCommand, ServerReply } from './frame-server';

type Ready = Extract<ServerReply, { type: 'ready' }>;
type Done = Extract<ServerReply, { type: 'done' }>;
type Command = Exclude<ServerCommand, { type: 'exit' }>;
/** A command without its id: the handle numbers them. */
type Request = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export class FrameServerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { done: (r: Done) => void; fail: (e: Error) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly child: ChildProcess, readonly info: Ready) {
    child.on('message', (msg: ServerReply) => {
      if (msg.type === 'done') {
        this.pending.get(msg.id)?.done(msg);
        this.pending.delete(msg.id);
      } else if (msg.type === 'error') {
        this.failAll(new Error(`frame server: ${msg.message}`));
      }
    });
    child.on('exit', (code) => this.failAll(new Error(`frame server exited (${code})`)));
  }

  get url(): string {
    return `ws://127.0.0.1:${this.info.port}`;
  }

  static start(journeys: number): Promise<FrameServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_SRC, 'frame-server.ts'), '--journeys', String(journeys)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((done, fail) => {
      child.once('error', fail);
      child.once('exit', (code) => fail(new Error(`frame server exited before it was ready (${code})`)));
      child.once('message', (msg: ServerReply) => {
        if (msg.type === 'ready') done(new FrameServerProcess(child, msg));
        else fail(new Error(`frame server: ${msg.type === 'error' ? msg.message : msg.type}`));
      });
    });
  }

  /** Sends a command; resolves once the server has sent everything for it and closed that session. */
  request(req: Request): Promise<Done> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((done, fail) => {
      this.pending.set(id, { done, fail });
      this.child.send({ ...req, id } as Command);
    });
  }

  /** Tells the server, during a blast, how many frames this client has handled (see frame-server.ts BLAST_LEAD). */
  received(count: number): void {
    if (this.child.connected) this.child.send({ type: 'received', count } satisfies ServerCommand);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ type: 'exit' } satisfies ServerCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.fail(err);
    this.pending.clear();
  }
}
