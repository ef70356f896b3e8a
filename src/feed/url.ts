// Base URL rules: the token goes out only over wss://, or over plain ws:// to this machine (a local simulator).
// Everything here runs before any socket exists, so a refused URL never leaves the process.
import type { FeedName } from '../core/types';

export type UrlProblem = 'invalid' | 'scheme' | 'plaintext' | 'credentials' | 'fragment';

/** Base class of the errors the constructor throws for bad settings; messages name the fix and never hold the token. */
export class FeedConfigError extends Error {
  override readonly name: string = 'FeedConfigError';
}

/** A base URL that would send the token somewhere it must not go, or that is not a ws(s) URL at all. */
export class InsecureUrlError extends FeedConfigError {
  override readonly name = 'InsecureUrlError';
  constructor(message: string, readonly problem: UrlProblem) {
    super(message);
  }
}

/** A token that is empty or cannot be sent in an HTTP header. */
export class InvalidTokenError extends FeedConfigError {
  override readonly name = 'InvalidTokenError';
}

const FIX = 'Change the streamLiner.url setting';

/** True for localhost, 127.0.0.0/8 and ::1 (hostnames as WHATWG URL normalises them). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  // URL() already turned 127.1, 0x7f.0.0.1 and friends into dotted quads.
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m[1] === '127' && m.slice(2).every((part) => Number(part) <= 255);
}

/** The URL with scheme, host and path only: safe to log (no query, no credentials). */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

type Parsed = { ok: true; url: URL } | { ok: false; message: string; problem: UrlProblem };

function parseBaseUrl(baseUrl: string): Parsed {
  let url: URL;
  try {
    url = new URL(typeof baseUrl === 'string' ? baseUrl : String(baseUrl));
  } catch {
    return { ok: false, problem: 'invalid', message: `The feed URL is not a valid URL. ${FIX} to a wss:// address such as wss://statistics-webhook.telavox.se.` };
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    return { ok: false, problem: 'scheme', message: `The feed URL must start with wss:// (it starts with ${url.protocol}//). ${FIX} to a wss:// address.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'credentials', message: `The feed URL must not contain a user name or password; the token is sent in a header. ${FIX} and remove the "user@" part.` };
  }
  if (url.hash !== '') {
    return { ok: false, problem: 'fragment', message: `The feed URL must not contain a "#" fragment. ${FIX} and remove it.` };
  }
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false, problem: 'plaintext',
      message: `Refusing to send the token over unencrypted ws:// to ${url.host}. ${FIX} to a wss://${url.host} address ` +
        '(plain ws:// is only allowed to localhost, 127.0.0.0/8 and ::1).',
    };
  }
  return { ok: true, url };
}

/** Checks a base URL without connecting: wss:// anywhere, ws:// only to loopback, nothing else. */
export function validateBaseUrl(baseUrl: string): { ok: true } | { ok: false; message: string } {
  const parsed = parseBaseUrl(baseUrl);
  return parsed.ok ? { ok: true } : { ok: false, message: parsed.message };
}

/** Like validateBaseUrl, but returns the parsed URL or throws InsecureUrlError. */
export function requireSafeBaseUrl(baseUrl: string): URL {
  const parsed = parseBaseUrl(baseUrl);
  if (!parsed.ok) throw new InsecureUrlError(parsed.message, parsed.problem);
  return parsed.url;
}

/** `<base>/<feed>`: keeps a base path, drops trailing slashes, keeps a query string. */
export function feedUrl(base: URL, feed: FeedName): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${feed}`;
  return url;
}

/** Header-safe token check (RFC 7230 field-value: visible ASCII/latin-1, spaces and tabs, no CR/LF). */
export function checkToken(token: string): void {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new InvalidTokenError('No statistics token is set. Run "Stream Liner: Set Token" to store one, then connect again.');
  }
  // Deliberately no part of the token in the message.
  if (!/^[\t\x20-\x7e\x80-\xff]+$/.test(token) || token !== token.trim()) {
    throw new InvalidTokenError(
      'The stored token contains characters that cannot be sent in an HTTP header (line breaks, leading/trailing spaces or non-Latin-1 characters). ' +
      'Run "Stream Liner: Set Token" and paste the token again.',
    );
  }
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'wss:': '443', 'ws:': '80' };

/**
 * The origin a token is bound to: scheme, host and port, with the scheme's default port written out
 * (`wss://host:443`), so `wss://host` and `wss://host:443` are one origin and any other port or scheme is another.
 * Undefined for anything that is not a ws(s) URL.
 */
export function originOf(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(typeof baseUrl === 'string' ? baseUrl.trim() : String(baseUrl));
  } catch {
    return undefined;
  }
  const port = url.port || DEFAULT_PORTS[url.protocol];
  if (port === undefined || url.hostname === '') return undefined;
  return `${url.protocol}//${url.hostname}:${port}`;
}
