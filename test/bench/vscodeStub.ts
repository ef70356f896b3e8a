// Just enough of the `vscode` module for the real CallsTreeProvider to run in a plain Node process with
// viewId null (no TreeView): events, tree items, icons, markdown. Importing it makes require('vscode') resolve
// here, so the benchmark measures the provider's own code instead of a re-implementation. Import it first.
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };

  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }

  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  command?: unknown;
  accessibilityInformation?: { label: string };
  constructor(readonly label: string, readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}

export class MarkdownString {
  isTrusted = false;
  supportHtml = false;
  supportThemeIcons = false;
  constructor(readonly value = '') {}
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void { this.fn(); }
}

// Enough of the workbench for activate() to run (test/bench/activate.ts): nothing is shown, commands are kept.
const noEvent = (): { dispose(): void } => ({ dispose: () => undefined });
const registered = new Map<string, (...args: unknown[]) => unknown>();

export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  get fsPath(): string { return this.path; }
  toString(): string { return `${this.scheme}://${this.path}`; }
  static file(path: string): Uri { return new Uri('file', path); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri(base.scheme, [base.path, ...parts].join('/')); }
}

export const window = {
  createTreeView(): unknown {
    return { visible: true, badge: undefined, message: undefined, description: undefined, onDidChangeVisibility: noEvent, dispose: () => undefined };
  },
  createOutputChannel(name: string): unknown {
    const quiet = (): void => undefined;
    return { name, logLevel: 0, onDidChangeLogLevel: noEvent, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, append: quiet, appendLine: quiet, replace: quiet, clear: quiet, show: quiet, hide: quiet, dispose: quiet };
  },
  createStatusBarItem(): unknown {
    return { text: '', tooltip: undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined };
  },
  registerWebviewPanelSerializer: (): { dispose(): void } => noEvent(),
};

export const workspace = {
  workspaceFolders: undefined,
  getConfiguration: (): { get<T>(key: string): T | undefined; inspect<T>(key: string): { globalValue?: T } | undefined } =>
    ({ get: () => undefined, inspect: () => undefined }),
  onDidChangeConfiguration: noEvent,
};

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown): { dispose(): void } {
    registered.set(id, fn);
    return { dispose: () => registered.delete(id) };
  },
  executeCommand: async (id: string, ...args: unknown[]): Promise<unknown> => registered.get(id)?.(...args),
};

export const env = { clipboard: { writeText: async (): Promise<void> => undefined } };

let installed = false;

/** Makes `require('vscode')` load this module (idempotent; importing this module already does it). */
export function useVscodeStub(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? __filename : resolve.call(this, request, ...rest);
  };
}

useVscodeStub();
