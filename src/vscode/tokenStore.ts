// The statistics token lives only in VS Code's SecretStorage. Failures are reported plainly and never fall back
// to any clear-text place (settings, globalState, files).
import type * as vscode from 'vscode';
import { errorMessage, type Log } from './log';

export const TOKEN_KEY = 'streamLiner.statisticsToken';

export class TokenStoreError extends Error {}

export class TokenStore {
  constructor(
    private readonly secrets: vscode.SecretStorage | undefined,
    private readonly log: Log,
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

  async get(): Promise<string | undefined> {
    const secrets = this.storage('read the token from');
    try {
      const token = await secrets.get(TOKEN_KEY);
      if (token) this.log.addSecret(token);
      return token || undefined;
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not read the token from VS Code's secret storage: ${this.reason(err)}`);
    }
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  async set(token: string): Promise<void> {
    const secrets = this.storage('store the token in');
    this.log.addSecret(token);
    try {
      await secrets.store(TOKEN_KEY, token);
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not store the token in VS Code's secret storage: ${this.reason(err, token)}`);
    }
    this.log.info('Statistics token stored in secret storage.');
  }

  async clear(): Promise<void> {
    const secrets = this.storage('remove the token from');
    try {
      await secrets.delete(TOKEN_KEY);
    } catch (err) {
      throw new TokenStoreError(`Stream Liner could not remove the token from VS Code's secret storage: ${this.reason(err)}`);
    }
    this.log.info('Statistics token removed from secret storage.');
  }
}
