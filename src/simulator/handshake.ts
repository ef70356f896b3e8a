// The simulator's upgrade gate: which path is which feed, the bearer-token check, and the HTTP answers for a
// refused upgrade. Close codes a server may send are here too.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { FEED_NAMES, type FeedName } from '../core/types';

const FEED_PATHS: ReadonlyMap<string, FeedName> = new Map(FEED_NAMES.map((f) => [`/${f}`, f]));

/** What the server keeps of its token: a digest, compared in constant time. */
export function tokenDigest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when the Authorization header is `Bearer <token>` for the token whose digest is `expected`. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header) : null;
  // Compare digests so the comparison takes the same time whatever the length or content.
  return match !== null && timingSafeEqual(tokenDigest(match[1]), expected);
}

/** Answers a refused upgrade with a plain HTTP status (401 says how to authenticate) and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${status} ${text}\n`;
  const auth = status === 401 ? 'WWW-Authenticate: Bearer realm="stream-liner-simulator"\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${auth}\r\n${body}`,
  );
}

/** The feed a request path names (`/calls`, `/queues`, `/agents`, query ignored), else undefined. */
export function feedOf(url: string | undefined): FeedName | undefined {
  try {
    return FEED_PATHS.get(new URL(url ?? '/', 'http://simulator').pathname);
  } catch {
    return undefined;
  }
}

/** Close codes an endpoint may send (1005/1006/1015 are reserved for "no frame"). */
export function sendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}
