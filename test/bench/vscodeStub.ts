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

export const window = {
  createTreeView(): never {
    throw new Error('the benchmark runs the tree provider with viewId null');
  },
};

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
