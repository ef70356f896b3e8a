// A small fake of the `vscode` module for unit tests of the view adapters (tree provider, status bar, alerts):
// importing this file first makes `require('vscode')` resolve here. Only what those adapters (and the commands'
// notifications and quick picks) use.
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

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum StatusBarAlignment { Left = 1, Right = 2 }

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
  dispose(): void { this.disposed = true; }
}

export const created: { views: FakeTreeView[]; items: FakeStatusBarItem[]; warnings: string[]; commands: unknown[][] } = {
  views: [], items: [], warnings: [], commands: [],
};

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
  showWarningMessage(message: string): Promise<string | undefined> {
    created.warnings.push(message);
    return Promise.resolve(undefined);
  },
  /** Runs the task at once with a token that is never cancelled (the notification itself is not shown). */
  withProgress<T>(_options: unknown, task: (progress: { report(): void }, token: { onCancellationRequested(l: () => void): { dispose(): void } }) => Promise<T>): Promise<T> {
    return task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) });
  },
};

export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }

export const commands = {
  executeCommand(...args: unknown[]): Promise<void> {
    created.commands.push(args);
    return Promise.resolve();
  },
};

const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? __filename : resolve.call(this, request, ...rest);
};
