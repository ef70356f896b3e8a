// Small `ws` client helpers for simulator tests over real loopback sockets.
import { connect as netConnect } from 'node:net';
import { WebSocket } from 'ws';

export interface Received { data: string; binary: boolean }

export interface TestClient {
  ws: WebSocket;
  messages: Received[];
  pongs: number;
  /** Events in arrival order ('pong' or 'message'), to check ordering. */
  order: string[];
  opened: Promise<void>;
  closed: Promise<{ code: number; opened: boolean }>;
}

/** Opens a client and starts collecting at once, so no early frame is missed. */
export function client(url: string, token: string | undefined): TestClient {
  const ws = new WebSocket(url, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
  const c: TestClient = { ws, messages: [], pongs: 0, order: [], opened: undefined!, closed: undefined! };
  let wasOpen = false;
  c.opened = new Promise((resolve, reject) => {
    ws.once('open', () => {
      wasOpen = true;
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  c.opened.catch(() => undefined);
  c.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code, opened: wasOpen })));
  ws.on('error', () => undefined);
  ws.on('message', (data, binary) => {
    c.messages.push({ data: Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'), binary });
    c.order.push('message');
  });
  ws.on('pong', () => {
    c.pongs++;
    c.order.push('pong');
  });
  return c;
}

/** The HTTP status of a refused upgrade (or 101 when it was accepted). */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      resolve({ status: 101, headers: {} });
      ws.close();
    });
    ws.once('error', reject);
  });
}

/** Polls a condition on the event loop; the cap only stops a hung test, it is not a timing assertion. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, capMs = 15000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > capMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** True when nothing accepts TCP connections on the port any more. */
export function portClosed(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}
