// The Stream Liner status bar item: connection state, counters, filter mark, wait warning colour. Text and
// tooltip come from src/core/statusModel.ts; store updates are coalesced (<= 4/s) and a 1 s tick runs only
// while something shown moves with time (reconnect countdown, a call waiting with alerts on).
import * as vscode from 'vscode';
import { Coalescer, systemScheduler, type Scheduler } from '../core/coalescer';
import { describeFilter } from '../core/filter';
import type { BoundsHit } from '../core/limits';
import type { CallFilter, Counters } from '../core/model';
import { statusView, type ConnectionStatusSource, type StatusView } from '../core/statusModel';
import type { AlertSettings } from './alerts';

export interface StatusStore {
  counters(): Counters;
  longestWait(): { callId: string; waitedMs: number } | undefined;
  readonly filter: CallFilter;
  /** The memory bounds hit so far (the tooltip says so). */
  readonly boundsHit?: BoundsHit;
  onDidChange(listener: () => void): { dispose(): void };
}

/** What the status bar hands wait alerts to (src/vscode/alerts.ts's WaitAlerts). */
export interface WaitAlertSink {
  check(now: number): void;
}

export interface StatusBarDeps {
  store: StatusStore;
  connection: ConnectionStatusSource;
  settings: () => AlertSettings;
  alerts?: WaitAlertSink;
  scheduler?: Scheduler;
}

export const STATUS_ITEM_ID = 'streamLiner.status';
const TICK_MS = 1000;

export class StatusBarController implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscriptions: { dispose(): void }[] = [];
  private readonly coalescer: Coalescer<true>;
  private readonly scheduler: Scheduler;
  private current: StatusView = { text: '', tooltip: '', background: undefined, ticking: false };
  private tickTimer: unknown;
  private ticking = false;
  private disposed = false;

  constructor(private readonly deps: StatusBarDeps) {
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Stream Liner';
    this.item.command = 'streamLiner.calls.focus';
    this.coalescer = new Coalescer<true>({
      scheduler: this.scheduler, merge: () => true, flush: () => this.update(),
      onError: (err) => console.error('Stream Liner: status bar update failed', err),
    });
    this.subscriptions.push(
      deps.store.onDidChange(() => this.coalescer.push(true)),
      // Connection changes are rare and matter: show them at once, and restart the tick so a countdown
      // steps exactly once a second from the change.
      deps.connection.onDidChangeStatus(() => {
        this.setTick(false);
        this.update();
      }),
    );
    this.update();
    this.item.show();
  }

  /** Current text, e.g. "$(pass-filled)  $(call-incoming) 12 · 3 waiting · 7 talking". */
  get text(): string {
    return this.current.text;
  }

  /** Current tooltip Markdown. */
  get tooltip(): string {
    return this.current.tooltip;
  }

  /** 'warning' while a confirmed call waits past the alert threshold; 'error' when unauthorized or failed. */
  get background(): 'warning' | 'error' | undefined {
    return this.current.background;
  }

  /** Re-reads the store, connection and settings now (also after an alert setting changed). */
  update(): void {
    if (this.disposed) return;
    const now = this.scheduler.now();
    const store = this.deps.store;
    const settings = this.deps.settings();
    const alertMs = settings.alertWaitSeconds > 0 ? settings.alertWaitSeconds * 1000 : 0;
    const filter = store.filter;
    const view = statusView({
      status: this.deps.connection.status,
      counters: store.counters(),
      filterActive: filter.length > 0,
      filterText: filter.length > 0 ? describeFilter(filter) : undefined,
      longestWait: store.longestWait(),
      alertMs,
      now,
      bounds: store.boundsHit,
    });
    this.current = view;
    if (this.item.text !== view.text) this.item.text = view.text;
    const md = new vscode.MarkdownString(view.tooltip, true);
    md.isTrusted = false;
    md.supportHtml = false;
    this.item.tooltip = md;
    const bg = view.background === 'error' ? 'statusBarItem.errorBackground' : view.background === 'warning' ? 'statusBarItem.warningBackground' : undefined;
    this.item.backgroundColor = bg ? new vscode.ThemeColor(bg) : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, '').trim() || 'Stream Liner' };
    if (view.background === 'warning') this.deps.alerts?.check(now);
    this.setTick(view.ticking);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.setTick(false);
    this.coalescer.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.item.dispose();
  }

  private setTick(on: boolean): void {
    if (on && !this.ticking && !this.disposed) {
      this.ticking = true;
      this.tickTimer = this.scheduler.setTimeout(() => {
        this.ticking = false;
        this.update();
      }, TICK_MS);
    } else if (!on && this.ticking) {
      this.scheduler.clearTimeout(this.tickTimer);
      this.ticking = false;
    }
  }
}
