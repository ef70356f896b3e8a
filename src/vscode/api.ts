// The object activate() returns. Integration tests read the live pieces through it and, in Test mode only,
// replace the Prompter so the commands' real code paths run without a human.
import * as vscode from 'vscode';
import type { CallStore } from '../core/store';
import type { Prompter } from './commands';
import type { ConnectionController } from './connectionController';
import type { TimelinePanelManager } from './timelinePanel';

export interface StreamLinerApi {
  readonly store: CallStore;
  readonly controller: ConnectionController;
  /** Current text of the Stream Liner status bar item. */
  statusBarText(): string;
  /** Current tooltip of the status bar item, as plain text. */
  statusBarTooltip(): string;
  readonly treeProvider: vscode.TreeDataProvider<unknown>;
  /** The call timeline panels (one per call). */
  readonly timelines: TimelinePanelManager;
  /** The last value this extension set for each of its context keys (streamLiner.connectionState, groupBy, filterActive). */
  contextKeys(): Readonly<Record<string, unknown>>;
  /** Where VS Code keeps this extension's storage and logs (tests search them for leaked tokens). */
  readonly paths: { globalStorage: string; logs: string; workspaceStorage?: string };
  /** Test mode only: replace (or, with undefined, restore) the UI prompts. Throws in any other mode. */
  setPrompterForTests(prompter: Prompter | undefined): void;
}

/** Holds the active Prompter; replacement is refused outside ExtensionMode.Test. */
export class PrompterSlot {
  private override: Prompter | undefined;

  constructor(
    private readonly fallback: Prompter,
    private readonly mode: vscode.ExtensionMode,
  ) {}

  get current(): Prompter {
    return this.override ?? this.fallback;
  }

  set(prompter: Prompter | undefined): void {
    if (this.mode !== vscode.ExtensionMode.Test) {
      throw new Error('setPrompterForTests is only available when the extension runs in Test mode.');
    }
    this.override = prompter;
  }
}

export function tooltipText(tooltip: string | vscode.MarkdownString | undefined): string {
  if (tooltip === undefined) return '';
  return typeof tooltip === 'string' ? tooltip : tooltip.value;
}
