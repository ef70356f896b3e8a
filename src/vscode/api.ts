// What activate() returns, in ExtensionMode.Test only (any other mode returns nothing: another extension must not
// reach the token). Integration tests read the live pieces through it and replace the Prompter so the commands' real
// code paths run without a human. Every member is a closure or a read-only snapshot: no object that holds a token.
import * as vscode from 'vscode';
import type { CallStore } from '../core/store';
import type { ConnectionState } from '../feed/types';
import type { Prompter } from './prompter';
import type { ControllerStatus } from '../app/connectionController';

/** The connection as tests see it: state and addresses, never the token. */
export interface ConnectionView {
  readonly state: ConnectionState;
  readonly isDemo: boolean;
  /** The demo simulator's address, when demo mode runs. */
  readonly demoSimulator: { url: string; port: number } | undefined;
  readonly status: ControllerStatus;
}

export interface StreamLinerApi {
  readonly store: CallStore;
  readonly connection: ConnectionView;
  /** Current text of the Stream Liner status bar item. */
  statusBarText(): string;
  /** Current tooltip of the status bar item, as plain text. */
  statusBarTooltip(): string;
  readonly treeProvider: Pick<vscode.TreeDataProvider<unknown>, 'getChildren' | 'getTreeItem'>;
  /** The last value this extension set for each of its context keys (streamLiner.connectionState, groupBy, filterActive). */
  contextKeys(): Readonly<Record<string, unknown>>;
  /** Where VS Code keeps this extension's storage and logs (tests search them for leaked tokens). */
  readonly paths: { globalStorage: string; logs: string; workspaceStorage?: string };
  /** Replace (or, with undefined, restore) the UI prompts. */
  setPrompterForTests(prompter: Prompter | undefined): void;
}

export interface TestApiParts {
  store: CallStore;
  connection: ConnectionView;
  statusBar: { readonly item: { readonly text: string; readonly tooltip?: string | vscode.MarkdownString } };
  tree: vscode.TreeDataProvider<unknown>;
  contextKeys: Readonly<Record<string, unknown>>;
  paths: StreamLinerApi['paths'];
  prompter: PrompterSlot;
}

/** The Test-mode API, built of closures over the live pieces; nothing here refers to the controller itself. */
export function testApi(parts: TestApiParts): StreamLinerApi {
  const { connection, statusBar, tree, prompter } = parts;
  const view: ConnectionView = Object.freeze({
    get state() { return connection.state; },
    get isDemo() { return connection.isDemo; },
    get demoSimulator() { return connection.demoSimulator; },
    get status() { return connection.status; },
  });
  return Object.freeze({
    store: parts.store,
    connection: view,
    statusBarText: () => statusBar.item.text,
    statusBarTooltip: () => tooltipText(statusBar.item.tooltip),
    treeProvider: Object.freeze({
      getChildren: (node?: unknown) => tree.getChildren(node),
      getTreeItem: (node: unknown) => tree.getTreeItem(node),
    }),
    contextKeys: () => ({ ...parts.contextKeys }),
    paths: Object.freeze({ ...parts.paths }),
    setPrompterForTests: (p: Prompter | undefined) => prompter.set(p),
  });
}

/** Holds the active Prompter; replacement is refused outside ExtensionMode.Test. */
export class PrompterSlot {
  #override: Prompter | undefined;

  constructor(
    private readonly fallback: Prompter,
    private readonly mode: vscode.ExtensionMode,
  ) {}

  get current(): Prompter {
    return this.#override ?? this.fallback;
  }

  set(prompter: Prompter | undefined): void {
    if (this.mode !== vscode.ExtensionMode.Test) {
      throw new Error('setPrompterForTests is only available when the extension runs in Test mode.');
    }
    this.#override = prompter;
  }
}

export function tooltipText(tooltip: string | vscode.MarkdownString | undefined): string {
  if (tooltip === undefined) return '';
  return typeof tooltip === 'string' ? tooltip : tooltip.value;
}
