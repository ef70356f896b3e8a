// The connection commands: Set Token, Clear Token, Connect, Start Demo, Disconnect, and the prompt-free connect at
// start-up. The token goes only to the origin it was stored for.
import * as vscode from 'vscode';
import { errorMessage } from '../app/log';
import { originOf, validateBaseUrl } from '../feed/url';
import { COMMAND_IDS, type CommandContext } from './commandContext';
import { TokenStoreError } from './tokenStore';

export const TOKEN_PROMPT =
  'Paste your Telavox statistics token. Create one in the Telavox web agent: Settings > My Account > Username and password > ' +
  'Integration Manage Token > Create new Statistics Token. It is kept only in VS Code\'s secret storage.';
export const EMPTY_TOKEN_MESSAGE = 'The token cannot be empty.';
const CONNECT_TIMEOUT_MS = 20_000;

export class ConnectionCommands {
  constructor(private readonly ctx: CommandContext) {}

  /**
   * The effective URL and the origin its token belongs to; undefined (after telling the user) when the URL is refused.
   * `tell` false logs instead of showing a message (start-up never prompts).
   */
  private target(tell = true): { url: string; origin: string } | undefined {
    const url = this.ctx.deps.settings().url;
    const check = validateBaseUrl(url);
    const origin = originOf(url);
    if (check.ok && origin) return { url, origin };
    const message = check.ok ? `The feed URL ${url} has no origin. Change the streamLiner.url setting.` : check.message;
    if (tell) void this.ctx.showError(`Stream Liner: ${message}`);
    else this.ctx.deps.log.warn(`Auto-connect skipped: ${message}`);
    return undefined;
  }

  /** Prompts for the token of the current URL's origin, trims it, stores it. Returns whether a token was stored. */
  async setToken(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    const { origin } = target;
    const value = await this.ctx.ui.showInputBox({
      title: `Stream Liner: Set Token for ${origin}`,
      prompt: `${TOKEN_PROMPT} It is sent only to ${origin}.`,
      placeHolder: `Statistics token for ${origin}`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : EMPTY_TOKEN_MESSAGE),
    });
    if (value === undefined) return false;
    const token = value.trim();
    if (!token) {
      void this.ctx.showError(`Stream Liner: ${EMPTY_TOKEN_MESSAGE}`);
      return false;
    }
    try {
      await this.ctx.deps.tokens.set(origin, token);
    } catch (err) {
      void this.ctx.showError(err instanceof TokenStoreError ? err.message : `Stream Liner could not store the token in VS Code's secret storage: ${errorMessage(err)}`);
      return false;
    }
    void this.ctx.ui.showInformationMessage(`Stream Liner: token for ${origin} stored in VS Code's secret storage.`);
    return true;
  }

  /** Removes the token of the current URL's origin (tokens of other origins stay). */
  async clearToken(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    const { origin } = target;
    const answer = await this.ctx.ui.showWarningMessage(
      `Remove the Stream Liner statistics token for ${origin} from VS Code's secret storage?`,
      { modal: true, detail: `You will need a new token (or the same one) to connect to ${origin} again. Tokens of other origins are kept.` },
      'Remove Token',
    );
    if (answer !== 'Remove Token') return false;
    await this.ctx.deps.tokens.clear(origin);
    void this.ctx.ui.showInformationMessage(`Stream Liner: token for ${origin} removed.`);
    return true;
  }

  /** Connect with the stored token of the URL's origin (asking for one first), behind a cancellable progress notification. */
  async connect(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    let token = await this.ctx.deps.tokens.get(target.origin);
    if (!token) {
      if (!(await this.setToken())) return false;
      token = await this.ctx.deps.tokens.get(target.origin);
      if (!token) return false;
    }
    const s = this.ctx.deps.settings();
    // The URL may have changed while the token box was open: the token goes only to the origin it was given for.
    if (originOf(s.url) !== target.origin) {
      void this.ctx.showError(`Stream Liner: streamLiner.url changed to another origin while connecting. Run Connect again.`);
      return false;
    }
    const connectTarget = { baseUrl: s.url, tokenOrigin: target.origin, token, feeds: s.feeds, perMessageDeflate: s.perMessageDeflate };
    return this.connectWithProgress(`Stream Liner: connecting to ${s.url}…`, () => this.ctx.deps.controller.connect(connectTarget), false);
  }

  async startDemo(): Promise<boolean> {
    return this.connectWithProgress('Stream Liner: starting the demo…', () => this.ctx.deps.controller.startDemo(), true);
  }

  private async connectWithProgress(title: string, open: () => Promise<{ whenConnected(ms: number): Promise<void> }>, demo: boolean): Promise<boolean> {
    const controller = this.ctx.deps.controller;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (_progress, cancel) => {
        const cancelled = new Promise<'cancelled'>((resolve) => cancel.onCancellationRequested(() => resolve('cancelled')));
        const connection = await open();
        try {
          const result = await Promise.race([connection.whenConnected(CONNECT_TIMEOUT_MS).then(() => 'connected' as const), cancelled]);
          if (result === 'cancelled') {
            this.ctx.deps.log.info('Connecting cancelled by the user.');
            await controller.disconnect();
            return false;
          }
          return true;
        } catch (err) {
          if (controller.state === 'unauthorized' && !demo) {
            void this.ctx.showError('Stream Liner: the server refused the statistics token (unauthorized). Set a valid token and connect again.', 'Set Token')
              .then(async (action) => {
                if (action === 'Set Token' && (await vscode.commands.executeCommand<boolean>(COMMAND_IDS.setToken))) {
                  await vscode.commands.executeCommand(COMMAND_IDS.connect);
                }
              });
            return false;
          }
          const message = controller.status.message ?? errorMessage(err);
          if (controller.state === 'unauthorized' || controller.state === 'error' || controller.state === 'disconnected') {
            void this.ctx.showError(`Stream Liner could not connect: ${message}`);
          } else {
            void this.ctx.ui.showWarningMessage(this.ctx.notice(`Stream Liner is not connected yet (${message}); it keeps retrying in the background.`), {});
          }
          return false;
        }
      },
    );
  }

  async disconnect(): Promise<void> {
    await this.ctx.deps.controller.disconnect();
  }

  /** Connect at start-up without any prompt: only when autoConnect is on and a token is stored for the URL's origin. */
  async autoConnect(): Promise<void> {
    const s = this.ctx.deps.settings();
    if (!s.autoConnect) return;
    const target = this.target(false);
    if (!target) return;
    let token: string | undefined;
    try {
      token = await this.ctx.deps.tokens.get(target.origin);
    } catch (err) {
      this.ctx.deps.log.warn(`Auto-connect skipped: ${errorMessage(err)}`);
      return;
    }
    if (!token) {
      this.ctx.deps.log.info(`Auto-connect skipped: no token stored for ${target.origin}.`);
      return;
    }
    const now = this.ctx.deps.settings();
    if (originOf(now.url) !== target.origin) return;
    await this.ctx.deps.controller.connect({ baseUrl: now.url, tokenOrigin: target.origin, token, feeds: now.feeds, perMessageDeflate: now.perMessageDeflate });
  }
}
