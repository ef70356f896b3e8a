// Entry point: only wires the adapters together. Nothing heavy happens at activation: no socket unless
// streamLiner.autoConnect (with a stored token) or streamLiner.demo.startOnOpen asks for one.
import * as vscode from 'vscode';
import { PrompterSlot, tooltipText, type StreamLinerApi } from './vscode/api';
import { Commands, windowPrompter } from './vscode/commands';
import { ConnectionController } from './vscode/connectionController';
import { errorMessage, Log } from './vscode/log';
import { decideSettingsChange, readSettings, SECTION, type StreamLinerSettings } from './vscode/settings';
import { TokenStore } from './vscode/tokenStore';
import { CallsTreeProvider } from './vscode/callsTreeProvider';
import { StatusBarController } from './vscode/statusBar';
import { WaitAlerts } from './vscode/alerts';
import { TimelinePanelManager } from './vscode/timelinePanel';

let activeController: ConnectionController | undefined;

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

  const tree = new CallsTreeProvider(controller.store, { mode: settings.groupBy, connection: controller, showCollapseAll: true });
  const alerts = new WaitAlerts({ store: controller.store, settings: () => settings });
  const statusBar = new StatusBarController({ store: controller.store, connection: controller, settings: () => settings, alerts });
  const timelines = new TimelinePanelManager(context, controller.store, log);
  context.subscriptions.push(tree, alerts, statusBar, timelines, timelines.registerSerializer());

  const prompter = new PrompterSlot(windowPrompter, context.extensionMode);
  const commands = new Commands({
    controller,
    tokens,
    log,
    settings: () => settings,
    prompter: () => prompter.current,
    setContext,
    views: {
      setGroupBy: (mode) => tree.setMode(mode),
      openTimeline: (callId) => timelines.open(callId),
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
      tree.setMode(next.groupBy);
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
    timelines,
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
