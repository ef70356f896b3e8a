// The "Stream Liner" log channel. Every line passes through redact() so a known token can never reach the log,
// even if a caller slips (safety net; callers must still never pass tokens).
import type { FeedLogger } from '../feed/connection';

const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret (and its Bearer form) in text. Secrets shorter than 4 chars are ignored. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** What the log writes to: VS Code's LogOutputChannel has these methods (src/extension.ts makes one); tests pass a fake. */
export interface LogChannel {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  trace(message: string): void;
  dispose(): void;
}

export class Log implements FeedLogger {
  // Private (#): the tokens here are out of reach of any code that walks this object.
  readonly #secrets = new Set<string>();

  constructor(private readonly channel: LogChannel) {}

  /** Registers a token to scrub from every later line. */
  addSecret(secret: string | undefined): void {
    if (secret) this.#secrets.add(secret);
  }

  removeSecret(secret: string | undefined): void {
    if (secret) this.#secrets.delete(secret);
  }

  /** Scrubs known secrets from text meant for the user (error messages, notifications). */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  info(msg: string): void {
    this.channel.info(this.redact(msg));
  }

  warn(msg: string): void {
    this.channel.warn(this.redact(msg));
  }

  error(msg: string): void {
    this.channel.error(this.redact(msg));
  }

  debug(msg: string): void {
    this.channel.debug(this.redact(msg));
  }

  dispose(): void {
    this.#secrets.clear();
    this.channel.dispose();
  }
}

/** Error text for logs and messages: the message only, never a stack with arguments. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
