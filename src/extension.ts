// Entry point: only wires the adapters together. Nothing heavy happens at activation: no socket unless
// streamLiner.autoConnect (with a stored token) or streamLiner.demo.startOnOpen asks for one.
import * as vscode from 'vscode';
import type { CallStore } from './core/store';
import type { GroupMode } from './core/model';
import { PrompterSlot, tooltipText, type StreamLinerApi } from './vscode/api';
import { Commands, windowPrompter } from './vscode/commands';
import { ConnectionController } from './vscode/connectionController';
import { errorMessage, Log } from './vscode/log';
import { decideSettingsChange, readSettings, SECTION, type StreamLinerSettings } from './vscode/settings';
import { TokenStore } from './vscode/tokenStore';

let activeController: ConnectionController | undefined;

// ---- Minimal stand-ins until the tree / status bar modules land (replaced by them). ----

type LocalNode = { kind: 'group'; mode: GroupMode; key: string; label: string } | { kind: 'call'; callId: string };

class LocalCallsTree implements vscode.TreeDataProvider<LocalNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LocalNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: { dispose(): void };

  constructor(private readonly store: CallStore, private mode: GroupMode) {
    this.sub = store.onDidChange(() => this.emitter.fire(undefined));
  }

  setGroupBy(mode: GroupMode): void {
    this.mode = mode;
    this.emitter.fire(undefined);
  }

  getChildren(node?: LocalNode): LocalNode[] {
    if (!node) return this.store.groups(this.mode).map((g) => ({ kind: 'group', mode: this.mode, key: g.key, label: g.label }));
    if (node.kind !== 'group') return [];
    const group = this.store.groups(this.mode).find((g) => g.key === node.key);
    return (group?.calls ?? []).map((c) => ({ kind: 'call', callId: c.id }));
  }

  getTreeItem(node: LocalNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.mode}:${node.key}`;
      item.contextValue = 'streamLiner.group';
      return item;
    }
    const call = this.store.getCall(node.callId);
    const item = new vscode.TreeItem(call?.customerNumber || node.callId, vscode.TreeItemCollapsibleState.None);
    item.id = `call:${node.callId}`;
    item.description = call?.state;
    item.contextValue = 'streamLiner.call';
    item.command = { command: 'streamLiner.openTimeline', title: 'Open Call Timeline', arguments: [node.callId] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

class LocalStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('streamLiner.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: { dispose(): void }[] = [];

  constructor(private readonly controller: ConnectionController) {
    this.item.name = 'Stream Liner';
    this.item.command = 'streamLiner.calls.focus';
    this.subs.push(controller.store.onDidChange(() => this.update()), controller.onDidChangeStatus(() => this.update()));
    this.update();
    this.item.show();
  }

  update(): void {
    const { state, demo } = this.controller.status;
    const c = this.controller.store.counters();
    this.item.text = state === 'disconnected'
      ? '$(debug-disconnect) Stream Liner'
      : `$(pulse) ${c.active} active · ${c.waiting} waiting · ${c.talking} talking`;
    this.item.tooltip = `Stream Liner${demo ? ' (Demo)' : ''}: ${state}`;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}

// ---- Activation ----

export function activate(context: vscode.ExtensionContext): StreamLinerApi {
  const log = new Log(vscode.window.createOutputChannel('Stream Liner', { log: true }));
  context.subscriptions.push(log);
  const readAll = (): StreamLinerSettings => readSettings(vscode.workspace.getConfiguration(SECTION));
  let settings = readAll();
  const contextKeys: Record<string, unknown> = {};
  const setContext = (key: string, value: unknown): Thenable<unknown> => {
    contextKeys[key] = value;
    return vscode.commands.executeCommand('setContext', key, value);
  };

  const tokens = new TokenStore(context.secrets, log);
  const controller = new ConnectionController({
    log,
    settings: () => settings,
    setContext: (state) => void setContext('streamLiner.connectionState', state),
  });
  activeController = controller;
  context.subscriptions.push(controller);
  void setContext('streamLiner.groupBy', settings.groupBy);
  void setContext('streamLiner.filterActive', false);

  const tree = new LocalCallsTree(controller.store, settings.groupBy);
  const statusBar = new LocalStatusBar(controller);
  context.subscriptions.push(tree, statusBar, vscode.window.createTreeView('streamLiner.calls', { treeDataProvider: tree, showCollapseAll: true }));

  const prompter = new PrompterSlot(windowPrompter, context.extensionMode);
  const commands = new Commands({
    controller,
    tokens,
    log,
    settings: () => settings,
    prompter: () => prompter.current,
    setContext,
    views: {
      setGroupBy: (mode) => tree.setGroupBy(mode),
      openTimeline: (callId) => vscode.window.showInformationMessage(`Stream Liner: the timeline view for call ${callId} is not available yet.`),
    },
  });
  context.subscriptions.push(...commands.register());

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    const next = readAll();
    const live = controller.state !== 'disconnected' && !controller.isDemo;
    const decision = decideSettingsChange(settings, next, live);
    settings = next;
    if (decision.updateStore) controller.updateStoreOptions(next);
    if (decision.updateGroupBy) {
      tree.setGroupBy(next.groupBy);
      void setContext('streamLiner.groupBy', next.groupBy);
    }
    if (decision.restartConnection) {
      controller.restart(next).catch((err) => {
        const text = log.redact(errorMessage(err));
        log.error(`Reconnecting with the new settings failed: ${text}`);
        void prompter.current.showErrorMessage(`Stream Liner: ${text}`);
      });
    }
  }));

  // Start-up connection: never prompts.
  const startup = settings.demoStartOnOpen ? commands.startDemo() : commands.autoConnect();
  startup.catch((err) => log.error(`Start-up connection failed: ${log.redact(errorMessage(err))}`));

  return {
    store: controller.store,
    controller,
    statusBarText: () => statusBar.item.text,
    statusBarTooltip: () => tooltipText(statusBar.item.tooltip),
    treeProvider: tree as vscode.TreeDataProvider<unknown>,
    contextKeys: () => ({ ...contextKeys }),
    paths: { globalStorage: context.globalStorageUri.fsPath, logs: context.logUri.fsPath, workspaceStorage: context.storageUri?.fsPath },
    setPrompterForTests: (p) => prompter.set(p),
  };
}

export async function deactivate(): Promise<void> {
  // Every socket and timer goes, and the demo simulator stops, before the host unloads us.
  const controller = activeController;
  activeController = undefined;
  await controller?.disconnect();
}
