// The call timeline panels: one webview panel per call, restored after a window reload by a
// WebviewPanelSerializer. The protocol logic lives in core/timelineView.ts (TimelineSession); this file
// only adapts it to VS Code's webview API.
import * as vscode from 'vscode';
import type { Scheduler } from '../core/coalescer';
import type { CallRecord, StoreChange } from '../core/model';
import { TimelineSession } from '../core/timelineView';
import type { TimelineWebviewState } from '../shared/messages';
import { Disposable } from '../app/disposable';
import { createNonce, timelineHtml } from './timelineHtml';

export const TIMELINE_VIEW_TYPE = 'streamLiner.timeline';

/** What the panels need from the store (CallStore satisfies it). */
export interface TimelineCallSource {
  getCall(id: string): CallRecord | undefined;
  onDidChange(listener: (change: StoreChange) => void): { dispose(): void };
}

/** The Log channel satisfies it. */
export interface TimelineLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface TimelinePanelOptions {
  /** Batch window for live updates, ms (default 200). */
  coalesceMs?: number;
  scheduler?: Scheduler;
  /** Clipboard writer (default vscode.env.clipboard.writeText). */
  writeClipboard?(text: string): Thenable<void>;
}

/** Only the built assets may load in the webview. */
function assetRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: assetRoots(extensionUri) };
}

function callIdOf(state: unknown): string | undefined {
  const id = (state as Partial<TimelineWebviewState> | undefined)?.callId;
  return typeof id === 'string' && id.length > 0 && id.length <= 512 ? id : undefined;
}

/** One open panel: its webview, its session with the store, and the listeners that tie them. */
class TimelinePanel extends Disposable {
  readonly session: TimelineSession;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly callId: string,
    private readonly extensionUri: vscode.Uri,
    store: TimelineCallSource,
    options: TimelinePanelOptions,
    logger: TimelineLogger | undefined,
    onDisposed: () => void,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'stream-liner.svg');
    const writeClipboard = options.writeClipboard ?? ((text: string) => vscode.env.clipboard.writeText(text));
    this.session = this._register(new TimelineSession({
      callId,
      getCall: (id) => store.getCall(id),
      post: (message) => {
        webview.postMessage(message).then(undefined, (err: unknown) => logger?.debug(`Timeline post failed: ${String(err)}`));
      },
      copy: (text, seq) => {
        writeClipboard(text).then(
          () => vscode.window.setStatusBarMessage(`$(copy) Copied document ${seq} of the call as JSON`, 2500),
          (err: unknown) => logger?.warn(`Copying the document failed: ${String(err)}`),
        );
      },
      copyUnavailable: () => void vscode.window.showWarningMessage('Stream Liner: that document is no longer kept for this call.'),
      setTitle: (title) => {
        if (panel.title !== title) panel.title = title;
      },
      coalesceMs: options.coalesceMs,
      scheduler: options.scheduler,
    }));
    this._register(webview.onDidReceiveMessage((message: unknown) => this.session.receive(message)));
    // Without retainContextWhenHidden the webview is torn down when hidden and says `ready` when shown again.
    this._register(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.session.hidden();
    }));
    this._register(panel.onDidDispose(() => {
      onDisposed();
      this.dispose();
    }));
    this.render();
  }

  /** A fresh page (and nonce) per render. */
  render(): void {
    const webview = this.panel.webview;
    const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'timeline.js'),
      styleUri: asset('media', 'timeline.css'),
      nonce: createNonce(),
      callId: this.callId,
    });
  }
}

/**
 * Opens and restores call timeline panels, one per call. Register the serializer once at activation
 * (`context.subscriptions.push(manager, manager.registerSerializer())`) and call `open(callId)` from the
 * Open Call Timeline command.
 */
export class TimelinePanelManager extends Disposable {
  private readonly panels = new Map<string, TimelinePanel>();
  private readonly extensionUri: vscode.Uri;

  constructor(
    context: vscode.Uri | { readonly extensionUri: vscode.Uri },
    private readonly store: TimelineCallSource,
    private readonly logger?: TimelineLogger,
    private readonly options: TimelinePanelOptions = {},
  ) {
    super();
    this.extensionUri = context instanceof vscode.Uri ? context : context.extensionUri;
    this._register(store.onDidChange((change) => this.onStoreChange(change)));
    this._register({ dispose: () => this.disposePanels() });
  }

  /** Opens the call's panel, or reveals it when it is already open. */
  open(callId: string): vscode.WebviewPanel {
    const existing = this.panels.get(callId);
    if (existing) {
      existing.panel.reveal();
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      'Call timeline',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { ...webviewOptions(this.extensionUri), enableFindWidget: true, retainContextWhenHidden: false },
    );
    this.attach(panel, callId);
    return panel;
  }

  /** Restores a panel after a window reload, from the state the webview kept with setState. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const callId = callIdOf(state);
    if (callId === undefined) {
      this.logger?.warn('A call timeline could not be restored: it did not say which call it showed.');
      panel.dispose();
      return;
    }
    const existing = this.panels.get(callId);
    if (existing) {
      panel.dispose();
      existing.panel.reveal();
      return;
    }
    this.attach(panel, callId);
  }

  /** The WebviewPanelSerializer for `streamLiner.timeline`. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => this.revive(panel, state),
    });
  }

  /** Calls with an open panel (for tests and diagnostics). */
  get openCallIds(): string[] {
    return [...this.panels.keys()];
  }

  panelFor(callId: string): vscode.WebviewPanel | undefined {
    return this.panels.get(callId)?.panel;
  }

  private attach(panel: vscode.WebviewPanel, callId: string): void {
    const entry = new TimelinePanel(panel, callId, this.extensionUri, this.store, this.options, this.logger, () => {
      if (this.panels.get(callId) === entry) this.panels.delete(callId);
    });
    this.panels.set(callId, entry);
  }

  private onStoreChange(change: StoreChange): void {
    if (this.panels.size === 0) return;
    if (change.all) {
      for (const p of this.panels.values()) p.session.changed();
      return;
    }
    for (const [id, p] of this.panels) {
      // Evicting an ended call doesn't name it in `calls`; a lookup tells (a Map get, and panels are few).
      if (change.calls.has(id) || this.store.getCall(id) === undefined) p.session.changed();
    }
  }

  private disposePanels(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    this.panels.clear();
  }
}
