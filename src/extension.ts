// Entry point: only wires the adapters together. Nothing heavy happens at activation: no socket unless
// streamLiner.autoConnect (with a stored token) or streamLiner.demo.startOnOpen asks for one.
import * as vscode from 'vscode';
import { PrompterSlot, testApi, type StreamLinerApi } from './vscode/api';
import { Commands } from './vscode/commands';
import { windowPrompter } from './vscode/prompter';
import { ConnectionController } from './app/connectionController';
import { errorMessage, Log } from './app/log';
import { originOf } from './feed/url';
import { checkSettings, decideSettingsChange, DEFAULT_URL, SECTION, type StreamLinerSettings } from './app/settings';
import { SettingNotices } from './vscode/settingsNotices';
import { TokenStore } from './vscode/tokenStore';
import { CallsTreeProvider } from './vscode/callsTreeProvider';
import { StatusBarController } from './vscode/statusBar';
import { WaitAlerts } from './vscode/alerts';
import { TimelinePanelManager } from './vscode/timelinePanel';

let activeController: ConnectionController | undefined;

// ---- Activation ----

export function activate(context: vscode.ExtensionContext): StreamLinerApi | undefined {
  const log = new Log(vscode.window.createOutputChannel('Stream Liner', { log: true }));
  context.subscriptions.push(log);
  const readAll = () => checkSettings(vscode.workspace.getConfiguration(SECTION));
  const firstRead = readAll();
  let settings: StreamLinerSettings = firstRead.settings;
  const contextKeys: Record<string, unknown> = {};
  const setContext = (key: string, value: unknown): Thenable<unknown> => {
    contextKeys[key] = value;
    return vscode.commands.executeCommand('setContext', key, value);
  };

  // A token stored before tokens had origins belongs to the user's own url (never a workspace's), else the default's.
  const userUrl = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('url')?.globalValue;
  const legacyUrl = typeof userUrl === 'string' && userUrl.trim() ? userUrl : DEFAULT_URL;
  const tokens = new TokenStore(context.secrets, log, { legacyOrigin: originOf(legacyUrl) });
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

  const notices = new SettingNotices({ log, prompter: () => prompter.current });
  notices.problems(firstRead.problems);

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    const { settings: next, problems } = readAll();
    notices.problems(problems);
    const live = controller.state !== 'disconnected' && !controller.isDemo;
    const decision = decideSettingsChange(settings, next, live);
    const previous = settings;
    settings = next;
    if (decision.updateStore) controller.updateStoreOptions(next);
    if (decision.updateGroupBy) {
      tree.setMode(next.groupBy);
      void setContext('streamLiner.groupBy', next.groupBy);
    }
    if (decision.stopConnection) {
      // The token belongs to the old origin only: never follow the url to another one.
      void controller.disconnect().then(() => notices.originMoved(previous.url, next.url));
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

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return testApi({
    store: controller.store,
    connection: controller,
    statusBar,
    tree,
    contextKeys,
    paths: { globalStorage: context.globalStorageUri.fsPath, logs: context.logUri.fsPath, workspaceStorage: context.storageUri?.fsPath },
    prompter,
  });
}

export async function deactivate(): Promise<void> {
  // Every socket and timer goes, and the demo simulator stops, before the host unloads us.
  const controller = activeController;
  activeController = undefined;
  await controller?.disconnect();
}
