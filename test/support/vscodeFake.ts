// The one fake of the `vscode` module for tests outside VS Code: the unit tests of the view adapters (tree provider,
// status bar, alerts, the commands' notifications and quick picks) and the bench, which runs the real
// CallsTreeProvider and activate() in plain node (test/bench/activate.ts builds it as a file of its own,
// test/bench/launch.mjs aliases `vscode` to it). Importing it makes `require('vscode')` resolve here: import it first.
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners = []; }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void { this.fn(); }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  command?: { command: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string };
  constructor(readonly label: string, readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class ThemeColor { constructor(readonly id: string) {} }
export class ThemeIcon { constructor(readonly id: string, readonly color?: ThemeColor) {} }

export class MarkdownString {
  isTrusted = false;
  supportHtml = false;
  constructor(readonly value = '', public supportThemeIcons = false) {}
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  get fsPath(): string { return this.path; }
  toString(): string { return `${this.scheme}://${this.path}`; }
  static file(path: string): Uri { return new Uri('file', path); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri(base.scheme, [base.path, ...parts].join('/')); }
}

export class FakeTreeView {
  visible = true;
  description?: string;
  message?: string;
  badge?: { value: number; tooltip: string };
  private readonly visibility = new EventEmitter<{ visible: boolean }>();
  readonly onDidChangeVisibility = this.visibility.event;
  disposed = false;
  setVisible(v: boolean): void {
    this.visible = v;
    this.visibility.fire({ visible: v });
  }
  dispose(): void { this.disposed = true; }
}

export class FakeStatusBarItem {
  text = '';
  tooltip?: MarkdownString;
  name?: string;
  command?: string;
  backgroundColor?: ThemeColor;
  accessibilityInformation?: { label: string };
  shown = false;
  disposed = false;
  constructor(readonly id: string) {}
  show(): void { this.shown = true; }
  hide(): void { this.shown = false; }
  dispose(): void { this.disposed = true; }
}

/** What the adapters made and said, for the unit tests to read. */
export const created: { views: FakeTreeView[]; items: FakeStatusBarItem[]; warnings: string[]; commands: unknown[][] } = {
  views: [], items: [], warnings: [], commands: [],
};

const noEvent = (): { dispose(): void } => ({ dispose: () => undefined });
const quiet = (): void => undefined;

export const window = {
  createTreeView(): FakeTreeView {
    const v = new FakeTreeView();
    created.views.push(v);
    return v;
  },
  createStatusBarItem(id: string): FakeStatusBarItem {
    const item = new FakeStatusBarItem(id);
    created.items.push(item);
    return item;
  },
  /** An output channel that writes nothing (activate() makes the log). */
  createOutputChannel(name: string): unknown {
    return { name, logLevel: 0, onDidChangeLogLevel: noEvent, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, append: quiet, appendLine: quiet, replace: quiet, clear: quiet, show: quiet, hide: quiet, dispose: quiet };
  },
  registerWebviewPanelSerializer: (): { dispose(): void } => noEvent(),
  showWarningMessage(message: string): Promise<string | undefined> {
    created.warnings.push(message);
    return Promise.resolve(undefined);
  },
  /** Runs the task at once with a token that is never cancelled (the notification itself is not shown). */
  withProgress<T>(_options: unknown, task: (progress: { report(): void }, token: { onCancellationRequested(l: () => void): { dispose(): void } }) => Promise<T>): Promise<T> {
    return task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) });
  },
};

export const workspace = {
  workspaceFolders: undefined,
  getConfiguration: (): { get<T>(key: string): T | undefined; inspect<T>(key: string): { globalValue?: T } | undefined } =>
    ({ get: () => undefined, inspect: () => undefined }),
  onDidChangeConfiguration: noEvent,
};

const registered = new Map<string, (...args: unknown[]) => unknown>();

/** Registered commands are kept; executeCommand records its arguments and runs the command if one is registered. */
export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown): { dispose(): void } {
    registered.set(id, fn);
    return { dispose: () => registered.delete(id) };
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    created.commands.push([id, ...args]);
    return registered.get(id)?.(...args);
  },
};

export const env = { clipboard: { writeText: async (): Promise<void> => undefined } };

let installed = false;

/** Makes `require('vscode')` load this module (idempotent; importing this module already does it). */
export function useVscodeFake(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? __filename : resolve.call(this, request, ...rest);
  };
}

useVscodeFake();
