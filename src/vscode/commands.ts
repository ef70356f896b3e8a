// Every streamLiner.* command, registered in one table: each handler lives in a module of its own job (connection,
// one call, filter pickers) and gets a typed target (a tree node or a call id) instead of a raw argument.
import * as vscode from 'vscode';
import { SECTION } from '../app/settings';
import { errorMessage } from '../app/log';
import type { CallFilter, GroupMode } from '../core/model';
import { CallCommands } from './callCommands';
import { COMMAND_IDS, CommandContext, type CommandDeps } from './commandContext';
import { commandTarget, type CommandTarget } from './commandTarget';
import { ConnectionCommands } from './connectionCommands';
import { FilterPickers } from './filterPickers';
import { TokenStoreError } from './tokenStore';

export class Commands {
  private readonly ctx: CommandContext;
  private readonly connection: ConnectionCommands;
  private readonly call: CallCommands;
  private readonly pickers: FilterPickers;

  constructor(deps: CommandDeps) {
    this.ctx = new CommandContext(deps);
    this.connection = new ConnectionCommands(this.ctx);
    this.call = new CallCommands(this.ctx);
    this.pickers = new FilterPickers(this.ctx);
  }

  register(): vscode.Disposable[] {
    const c = COMMAND_IDS;
    const table: [string, (target: CommandTarget) => unknown][] = [
      [c.connect, () => this.connect()],
      [c.disconnect, () => this.disconnect()],
      [c.setToken, () => this.setToken()],
      [c.clearToken, () => this.clearToken()],
      [c.startDemo, () => this.startDemo()],
      [c.groupByQueue, () => this.groupBy('queue')],
      [c.groupByAgent, () => this.groupBy('agent')],
      [c.openTimeline, (target) => this.openTimeline(target)],
      [c.filter, (target) => this.filter(target)],
      [c.clearFilter, () => this.applyFilter([])],
      [c.exportCall, (target) => this.exportCall(target)],
      [c.copyCallJson, (target) => this.copyCallJson(target)],
    ];
    return table.map(([id, handler]) => vscode.commands.registerCommand(id, (arg?: unknown) => this.guard(id, () => handler(commandTarget(arg)))));
  }

  /** Every command's errors end up as one plain message (token scrubbed), never as an unhandled rejection. */
  private async guard<T>(id: string, run: () => T | Thenable<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      const { log } = this.ctx.deps;
      const text = log.redact(errorMessage(err));
      log.error(`${id} failed: ${text}`);
      void this.ctx.showError(err instanceof TokenStoreError ? text : `Stream Liner: ${text}`);
      return undefined;
    }
  }

  setToken(): Promise<boolean> { return this.connection.setToken(); }
  clearToken(): Promise<boolean> { return this.connection.clearToken(); }
  connect(): Promise<boolean> { return this.connection.connect(); }
  startDemo(): Promise<boolean> { return this.connection.startDemo(); }
  disconnect(): Promise<void> { return this.connection.disconnect(); }
  autoConnect(): Promise<void> { return this.connection.autoConnect(); }

  async groupBy(mode: GroupMode): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('groupBy', mode, vscode.ConfigurationTarget.Global);
    await this.ctx.deps.setContext('streamLiner.groupBy', mode);
    this.ctx.deps.views.setGroupBy(mode);
  }

  applyFilter(filter: CallFilter): Promise<void> { return this.ctx.applyFilter(filter); }
  filter(target: CommandTarget): Promise<void> { return this.pickers.filter(target); }
  openTimeline(target: CommandTarget): Promise<void> { return this.call.openTimeline(target); }
  exportCall(target: CommandTarget): Promise<vscode.Uri | undefined> { return this.call.exportCall(target); }
  copyCallJson(target: CommandTarget): Promise<void> { return this.call.copyCallJson(target); }
}
