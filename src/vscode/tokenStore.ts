// The statistics tokens live only in VS Code's SecretStorage, one per origin (scheme, host and port; see originOf):
// a token is read only for the origin it was stored for. Failures are reported plainly and never fall back to any
// clear-text place (settings, globalState, files).
import type * as vscode from 'vscode';
import { errorMessage, type Log } from '../app/log';

/** The single key used before tokens were bound to an origin; migrated once, then deleted. */
export const LEGACY_TOKEN_KEY = 'streamLiner.statisticsToken';

/** The SecretStorage key of the token for one origin. */
export function tokenKey(origin: string): string {
  return `${LEGACY_TOKEN_KEY}:${origin}`;
}

export class TokenStoreError extends Error {}

export interface TokenStoreOptions {
  /**
   * Where a token stored under the legacy key belongs: the origin of the user-level streamLiner.url, or of the
   * default URL (never a workspace value). Undefined leaves the legacy token where it is.
   */
  legacyOrigin?: string;
}

export class TokenStore {
  #migration: Promise<void> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage | undefined,
    private readonly log: Log,
    private readonly options: TokenStoreOptions = {},
  ) {}

  private reason(err: unknown, token?: string): string {
    // Never echo the token through an error text.
    const text = this.log.redact(errorMessage(err));
    return token ? text.split(token).join('[redacted]') : text;
  }

  private storage(action: string): vscode.SecretStorage {
    if (!this.secrets) {
      throw new TokenStoreError(`Stream Liner could not ${action} VS Code's secret storage: secret storage is not available.`);
    }
    return this.secrets;
  }

  /** Moves a token stored under the legacy key to its origin, once; every other method waits for it. */
  migrate(): Promise<void> {
    this.#migration ??= this.migrateLegacy().catch((err) => {
      this.log.warn(`Moving the stored token to its origin failed: ${this.reason(err)}`);
    });
    return this.#migration;
  }

  private async migrateLegacy(): Promise<void> {
    const secrets = this.secrets;
    const origin = this.options.legacyOrigin;
    if (!secrets) return;
    const legacy = await secrets.get(LEGACY_TOKEN_KEY);
    if (!legacy) return;
    this.log.addSecret(legacy);
    if (!origin) {
      this.log.warn('A stored token has no origin yet: the user-level streamLiner.url is not a valid URL. It stays unused until the URL is fixed.');
      return;
    }
    // A token already stored for that origin is newer than the legacy one: keep it.
    if (!(await secrets.get(tokenKey(origin)))) await secrets.store(tokenKey(origin), legacy);
    await secrets.delete(LEGACY_TOKEN_KEY);
    this.log.info(`The stored token is now bound to ${origin}.`);
  }

  async get(origin: string): Promise<string | undefined> {
    await this.migrate();
    const secrets = this.storage('read the token from');
    try {
      const token = await secrets.get(tokenKey(origin));
      if (token) this.log.addSecret(token);
      return token || undefined;
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not read the token from VS Code's secret storage: ${this.reason(err)}`);
    }
  }

  async has(origin: string): Promise<boolean> {
    return (await this.get(origin)) !== undefined;
  }

  async set(origin: string, token: string): Promise<void> {
    await this.migrate();
    const secrets = this.storage('store the token in');
    this.log.addSecret(token);
    try {
      await secrets.store(tokenKey(origin), token);
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not store the token in VS Code's secret storage: ${this.reason(err, token)}`);
    }
    this.log.info(`Statistics token for ${origin} stored in secret storage.`);
  }

  /** Removes the token of this origin only. */
  async clear(origin: string): Promise<void> {
    await this.migrate();
    const secrets = this.storage('remove the token from');
    try {
      await secrets.delete(tokenKey(origin));
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not remove the token from VS Code's secret storage: ${this.reason(err)}`);
    }
    this.log.info(`Statistics token for ${origin} removed from secret storage.`);
  }
}
