// Every streamLiner.* command. UI goes through a Prompter so the integration tests drive the real code paths.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CallFilter, CallRecord, FilterField, GroupMode } from '../core/model';
import { outcomeText } from '../core/outcomeText';
import { callAgents, callExportJson, callQueues, distinctNames, exportFileName } from '../app/callExport';
import { originOf, validateBaseUrl } from '../feed/url';
import { plainText, quickPickText, safeLine, TEXT_CAPS } from '../shared/sanitize';
import type { ConnectionController } from '../app/connectionController';
import { errorMessage, type Log } from '../app/log';
import { SECTION, type StreamLinerSettings } from '../app/settings';
import { TokenStoreError, type TokenStore } from './tokenStore';

/** The UI calls the commands make; defaults to vscode.window, replaceable in Test mode only (api.ts). */
export interface Prompter {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
}

export const windowPrompter: Prompter = {
  showInputBox: (options) => vscode.window.showInputBox(options),
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
  showErrorMessage: (message, ...items) => vscode.window.showErrorMessage(message, ...items),
  showSaveDialog: (options) => vscode.window.showSaveDialog(options),
};

export const COMMAND_IDS = {
  connect: 'streamLiner.connect',
  disconnect: 'streamLiner.disconnect',
  setToken: 'streamLiner.setToken',
  clearToken: 'streamLiner.clearToken',
  startDemo: 'streamLiner.startDemo',
  groupByQueue: 'streamLiner.groupByQueue',
  groupByAgent: 'streamLiner.groupByAgent',
  openTimeline: 'streamLiner.openTimeline',
  filter: 'streamLiner.filter',
  clearFilter: 'streamLiner.clearFilter',
  exportCall: 'streamLiner.exportCall',
  copyCallJson: 'streamLiner.copyCallJson',
} as const;

export const TOKEN_PROMPT =
  'Paste your Telavox statistics token. Create one in the Telavox web agent: Settings > My Account > Username and password > ' +
  'Integration Manage Token > Create new Statistics Token. It is kept only in VS Code\'s secret storage.';
export const EMPTY_TOKEN_MESSAGE = 'The token cannot be empty.';
const CONNECT_TIMEOUT_MS = 20_000;

/** What the commands need from the views (tree, timeline), kept narrow so either side can change. */
export interface ViewHooks {
  setGroupBy(mode: GroupMode): void;
  openTimeline(callId: string): unknown;
}

export interface CommandDeps {
  controller: ConnectionController;
  tokens: TokenStore;
  log: Log;
  settings: () => StreamLinerSettings;
  prompter: () => Prompter;
  views: ViewHooks;
  setContext: (key: string, value: unknown) => Thenable<unknown>;
}

// ---- Argument resolution: a call id string, or a tree node of some shape. ----

interface GroupRef { mode: GroupMode; key: string; label: string }

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** A call id from a command argument: a string id, or a tree node carrying one (callId, call.id, or kind 'call' + id). */
export function callIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  if (typeof arg === 'number') return String(arg);
  const o = asRecord(arg);
  if (!o) return undefined;
  if (typeof o.callId === 'string') return o.callId;
  const call = asRecord(o.call);
  if (call && typeof call.id === 'string') return call.id;
  if ((o.kind === 'call' || o.type === 'call') && typeof o.id === 'string') return o.id;
  return undefined;
}

/** A group from a tree node argument (kind/type 'group' with mode and key, or a nested `group`). */
export function groupFromArg(arg: unknown): GroupRef | undefined {
  const o = asRecord(arg);
  if (!o) return undefined;
  const inner = asRecord(o.group);
  const g = inner ?? ((o.kind === 'group' || o.type === 'group') ? o : undefined);
  if (!g) return undefined;
  // The tree's GroupNode says groupKind and name; other callers may say mode and label.
  const kind = g.mode ?? g.groupKind;
  const mode = kind === 'agent' ? 'agent' : kind === 'queue' ? 'queue' : undefined;
  const key = typeof g.key === 'string' ? g.key : typeof g.groupKey === 'string' ? g.groupKey : undefined;
  const label = typeof g.label === 'string' ? g.label : typeof g.name === 'string' ? g.name : typeof o.label === 'string' ? o.label : key;
  if (!mode || !key || label === undefined) return undefined;
  return { mode, key, label };
}

/**
 * A quick pick item for a filter value: the label is made safe to show (it renders $(icon) syntax), the filter
 * uses the value as the feed sent it, so a name that needed cleaning still matches.
 */
function filterItem(value: string, description?: string): vscode.QuickPickItem & { value: string } {
  return { label: quickPickText(value), description, value };
}

// ---- Commands ----

export class Commands {
  constructor(private readonly deps: CommandDeps) {}

  register(): vscode.Disposable[] {
    const c = COMMAND_IDS;
    const table: [string, (...args: unknown[]) => unknown][] = [
      [c.connect, () => this.connect()],
      [c.disconnect, () => this.disconnect()],
      [c.setToken, () => this.setToken()],
      [c.clearToken, () => this.clearToken()],
      [c.startDemo, () => this.startDemo()],
      [c.groupByQueue, () => this.groupBy('queue')],
      [c.groupByAgent, () => this.groupBy('agent')],
      [c.openTimeline, (arg) => this.openTimeline(arg)],
      [c.filter, (arg) => this.filter(arg)],
      [c.clearFilter, () => this.applyFilter([])],
      [c.exportCall, (arg) => this.exportCall(arg)],
      [c.copyCallJson, (arg) => this.copyCallJson(arg)],
    ];
    return table.map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => handler(...args))));
  }

  private get ui(): Prompter {
    return this.deps.prompter();
  }

  /** Every command's errors end up as one plain message (token scrubbed), never as an unhandled rejection. */
  private async guard<T>(id: string, run: () => T | Thenable<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      const text = this.deps.log.redact(errorMessage(err));
      this.deps.log.error(`${id} failed: ${text}`);
      void this.showError(err instanceof TokenStoreError ? text : `Stream Liner: ${text}`);
      return undefined;
    }
  }

  private showError(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.ui.showErrorMessage(this.notice(message), ...items);
  }

  /**
   * A notification's text: messages can carry network text (a server's close reason, call ids), and notifications
   * render `[label](https:…)` and `[label](command:…)` as links. Redacted first, so the marker is made plain too.
   */
  private notice(message: string): string {
    return plainText(this.deps.log.redact(message), TEXT_CAPS.notificationMessage);
  }

  /**
   * The effective URL and the origin its token belongs to; undefined (after telling the user) when the URL is refused.
   * `tell` false logs instead of showing a message (start-up never prompts).
   */
  private target(tell = true): { url: string; origin: string } | undefined {
    const url = this.deps.settings().url;
    const check = validateBaseUrl(url);
    const origin = originOf(url);
    if (check.ok && origin) return { url, origin };
    const message = check.ok ? `The feed URL ${url} has no origin. Change the streamLiner.url setting.` : check.message;
    if (tell) void this.showError(`Stream Liner: ${message}`);
    else this.deps.log.warn(`Auto-connect skipped: ${message}`);
    return undefined;
  }

  /** Prompts for the token of the current URL's origin, trims it, stores it. Returns whether a token was stored. */
  async setToken(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    const { origin } = target;
    const value = await this.ui.showInputBox({
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
      void this.showError(`Stream Liner: ${EMPTY_TOKEN_MESSAGE}`);
      return false;
    }
    try {
      await this.deps.tokens.set(origin, token);
    } catch (err) {
      void this.showError(err instanceof TokenStoreError ? err.message : `Stream Liner could not store the token in VS Code's secret storage: ${errorMessage(err)}`);
      return false;
    }
    void this.ui.showInformationMessage(`Stream Liner: token for ${origin} stored in VS Code's secret storage.`);
    return true;
  }

  /** Removes the token of the current URL's origin (tokens of other origins stay). */
  async clearToken(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    const { origin } = target;
    const answer = await this.ui.showWarningMessage(
      `Remove the Stream Liner statistics token for ${origin} from VS Code's secret storage?`,
      { modal: true, detail: `You will need a new token (or the same one) to connect to ${origin} again. Tokens of other origins are kept.` },
      'Remove Token',
    );
    if (answer !== 'Remove Token') return false;
    await this.deps.tokens.clear(origin);
    void this.ui.showInformationMessage(`Stream Liner: token for ${origin} removed.`);
    return true;
  }

  /** Connect with the stored token of the URL's origin (asking for one first), behind a cancellable progress notification. */
  async connect(): Promise<boolean> {
    const target = this.target();
    if (!target) return false;
    let token = await this.deps.tokens.get(target.origin);
    if (!token) {
      if (!(await this.setToken())) return false;
      token = await this.deps.tokens.get(target.origin);
      if (!token) return false;
    }
    const s = this.deps.settings();
    // The URL may have changed while the token box was open: the token goes only to the origin it was given for.
    if (originOf(s.url) !== target.origin) {
      void this.showError(`Stream Liner: streamLiner.url changed to another origin while connecting. Run Connect again.`);
      return false;
    }
    const connectTarget = { baseUrl: s.url, tokenOrigin: target.origin, token, feeds: s.feeds, perMessageDeflate: s.perMessageDeflate };
    return this.connectWithProgress(`Stream Liner: connecting to ${s.url}…`, () => this.deps.controller.connect(connectTarget), false);
  }

  async startDemo(): Promise<boolean> {
    return this.connectWithProgress('Stream Liner: starting the demo…', () => this.deps.controller.startDemo(), true);
  }

  private async connectWithProgress(title: string, open: () => Promise<{ whenConnected(ms: number): Promise<void> }>, demo: boolean): Promise<boolean> {
    const controller = this.deps.controller;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (_progress, cancel) => {
        const cancelled = new Promise<'cancelled'>((resolve) => cancel.onCancellationRequested(() => resolve('cancelled')));
        const connection = await open();
        try {
          const result = await Promise.race([connection.whenConnected(CONNECT_TIMEOUT_MS).then(() => 'connected' as const), cancelled]);
          if (result === 'cancelled') {
            this.deps.log.info('Connecting cancelled by the user.');
            await controller.disconnect();
            return false;
          }
          return true;
        } catch (err) {
          if (controller.state === 'unauthorized' && !demo) {
            void this.showError('Stream Liner: the server refused the statistics token (unauthorized). Set a valid token and connect again.', 'Set Token')
              .then(async (action) => {
                if (action === 'Set Token' && (await vscode.commands.executeCommand<boolean>(COMMAND_IDS.setToken))) {
                  await vscode.commands.executeCommand(COMMAND_IDS.connect);
                }
              });
            return false;
          }
          const message = controller.status.message ?? errorMessage(err);
          if (controller.state === 'unauthorized' || controller.state === 'error' || controller.state === 'disconnected') {
            void this.showError(`Stream Liner could not connect: ${message}`);
          } else {
            void this.ui.showWarningMessage(this.notice(`Stream Liner is not connected yet (${message}); it keeps retrying in the background.`), {});
          }
          return false;
        }
      },
    );
  }

  async disconnect(): Promise<void> {
    await this.deps.controller.disconnect();
  }

  /** Connect at start-up without any prompt: only when autoConnect is on and a token is stored for the URL's origin. */
  async autoConnect(): Promise<void> {
    const s = this.deps.settings();
    if (!s.autoConnect) return;
    const target = this.target(false);
    if (!target) return;
    let token: string | undefined;
    try {
      token = await this.deps.tokens.get(target.origin);
    } catch (err) {
      this.deps.log.warn(`Auto-connect skipped: ${errorMessage(err)}`);
      return;
    }
    if (!token) {
      this.deps.log.info(`Auto-connect skipped: no token stored for ${target.origin}.`);
      return;
    }
    const now = this.deps.settings();
    if (originOf(now.url) !== target.origin) return;
    await this.deps.controller.connect({ baseUrl: now.url, tokenOrigin: target.origin, token, feeds: now.feeds, perMessageDeflate: now.perMessageDeflate });
  }

  async groupBy(mode: GroupMode): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('groupBy', mode, vscode.ConfigurationTarget.Global);
    await this.deps.setContext('streamLiner.groupBy', mode);
    this.deps.views.setGroupBy(mode);
  }

  private allCalls(): CallRecord[] {
    const store = this.deps.controller.store;
    return [...store.activeCalls(), ...store.endedCalls()];
  }

  /** A call from the argument, or picked from active and recent calls. */
  private async resolveCall(arg: unknown, purpose: string): Promise<CallRecord | undefined> {
    const id = callIdFromArg(arg);
    if (id !== undefined) {
      const call = this.deps.controller.store.getCall(id);
      if (!call) void this.showError(`Stream Liner: call ${id} is no longer in memory.`);
      return call;
    }
    const calls = this.allCalls();
    if (calls.length === 0) {
      void this.ui.showInformationMessage('Stream Liner: there are no active or recent calls.');
      return undefined;
    }
    // Quick pick texts render $(icon) syntax: every feed value goes through quickPickText.
    const items = calls.map((call) => ({
      label: quickPickText(call.customerNumber || call.id),
      description: quickPickText(call.state === 'ended' ? `ended${call.outcome ? ` (${outcomeText(call.outcome)})` : ''}` : call.state),
      detail: [call.currentQueue?.name, ...call.activeAgents.map((a) => a.name)].map((n) => quickPickText(n, TEXT_CAPS.treeDescription))
        .filter(Boolean).join(' · ') || undefined,
      callId: call.id,
    }));
    const picked = await this.ui.showQuickPick(items, { title: `Stream Liner: ${purpose}`, placeHolder: 'Choose a call', matchOnDescription: true, matchOnDetail: true });
    return picked ? this.deps.controller.store.getCall(picked.callId) : undefined;
  }

  async openTimeline(arg: unknown): Promise<void> {
    const call = await this.resolveCall(arg, 'Open Call Timeline');
    if (call) await this.deps.views.openTimeline(call.id);
  }

  async applyFilter(filter: CallFilter): Promise<void> {
    this.deps.controller.store.setFilter(filter);
    await this.deps.setContext('streamLiner.filterActive', filter.length > 0);
    this.deps.log.info(filter.length ? `Filter set on ${filter.map((c) => c.field).join(', ')}.` : 'Filter cleared.');
  }

  async filter(arg: unknown): Promise<void> {
    const group = groupFromArg(arg);
    if (group) {
      if (group.key === '__none__') {
        void this.ui.showInformationMessage(`Stream Liner: calls without a ${group.mode} cannot be filtered on.`);
        return;
      }
      await this.applyFilter([{ field: group.mode, value: group.label }]);
      return;
    }
    const callId = callIdFromArg(arg);
    if (callId !== undefined) {
      const call = this.deps.controller.store.getCall(callId);
      if (!call) {
        void this.showError(`Stream Liner: call ${callId} is no longer in memory.`);
        return;
      }
      const items = [
        ...(call.customerNumber ? [{ ...filterItem(call.customerNumber, 'customer number'), field: 'number' as FilterField }] : []),
        ...callAgents(call).map((a) => ({ ...filterItem(a, 'agent'), field: 'agent' as FilterField })),
        ...callQueues(call).map((q) => ({ ...filterItem(q, 'queue'), field: 'queue' as FilterField })),
      ];
      if (items.length === 0) {
        void this.ui.showInformationMessage('Stream Liner: this call has nothing to filter on yet.');
        return;
      }
      const picked = await this.ui.showQuickPick(items, { title: 'Stream Liner: Filter by this…', placeHolder: 'Show only calls with' });
      if (picked) await this.applyFilter([{ field: picked.field, value: picked.value }]);
      return;
    }
    const fields: { label: string; field: FilterField }[] = [
      { label: 'Customer number', field: 'number' },
      { label: 'Agent', field: 'agent' },
      { label: 'Queue', field: 'queue' },
      { label: 'Direction', field: 'direction' },
    ];
    const field = await this.ui.showQuickPick(fields, { title: 'Stream Liner: Filter', placeHolder: 'Filter calls by' });
    if (!field) return;
    const value = await this.pickFilterValue(field.field, field.label);
    if (value !== undefined && value.trim()) await this.applyFilter([{ field: field.field, value: value.trim() }]);
  }

  private async pickFilterValue(field: FilterField, label: string): Promise<string | undefined> {
    if (field === 'number') {
      return this.ui.showInputBox({ title: 'Stream Liner: Filter by customer number', prompt: 'Part of the customer number', placeHolder: '+4670…' });
    }
    let values: string[];
    if (field === 'direction') values = ['incoming', 'outgoing'];
    else values = distinctNames(this.allCalls().flatMap((c) => (field === 'agent' ? callAgents(c) : callQueues(c)))).sort();
    const type: vscode.QuickPickItem & { value?: string } = { label: 'Type a value…', alwaysShow: true };
    const picked = await this.ui.showQuickPick([...values.map((v) => filterItem(v)), ...(field === 'direction' ? [] : [type])], {
      title: `Stream Liner: Filter by ${label.toLowerCase()}`,
      placeHolder: values.length ? `Choose a ${label.toLowerCase()}` : `No ${label.toLowerCase()} seen yet`,
    });
    if (!picked) return undefined;
    if (picked !== type && picked.value !== undefined) return picked.value;
    return this.ui.showInputBox({ title: `Stream Liner: Filter by ${label.toLowerCase()}`, prompt: `Part of the ${label.toLowerCase()} name` });
  }

  async exportCall(arg: unknown): Promise<vscode.Uri | undefined> {
    const call = await this.resolveCall(arg, 'Export Call');
    if (!call) return undefined;
    const name = exportFileName(call);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri = await this.ui.showSaveDialog({
      title: 'Stream Liner: Export Call',
      saveLabel: 'Export',
      defaultUri: folder.scheme === 'file' ? vscode.Uri.file(join(folder.fsPath, name)) : vscode.Uri.joinPath(folder, name),
      filters: { JSON: ['json'] },
    });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${callExportJson(call, (text) => this.deps.log.redact(text))}\n`, 'utf8'));
    this.deps.log.info(`Exported call ${safeLine(call.id, 80)} (${call.timeline.length} timeline entries).`);
    void this.ui.showInformationMessage(`Stream Liner: call exported to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}.`);
    return uri;
  }

  async copyCallJson(arg: unknown): Promise<void> {
    const call = await this.resolveCall(arg, 'Copy Call JSON');
    if (!call) return;
    await vscode.env.clipboard.writeText(callExportJson(call, (text) => this.deps.log.redact(text)));
    void this.ui.showInformationMessage('Stream Liner: call JSON copied to the clipboard.');
  }
}
