// Wait alerts: a notification, at most once per call, when a confirmed call has waited (queue or ringing)
// longer than streamLiner.alerts.waitSeconds. The status bar controller calls check() on its updates.
import * as vscode from 'vscode';
import type { CallRecord } from '../core/model';
import { alertMessage, callsOverThreshold, WaitAlertTracker } from '../core/statusModel';

export interface AlertStore {
  activeCalls(): CallRecord[];
  getCall(id: string): CallRecord | undefined;
}

export interface AlertSettings {
  /** 0 = alerts off. */
  alertWaitSeconds: number;
  /** Show notifications (the status bar colour doesn't depend on it). */
  alertNotify: boolean;
}

export interface WaitAlertsDeps {
  store: AlertStore;
  settings: () => AlertSettings;
  /** Shows the warning; returns the picked action. Default: vscode.window.showWarningMessage. */
  show?: (message: string, ...actions: string[]) => Thenable<string | undefined>;
  /** Opens a call's timeline. Default: the streamLiner.openTimeline command. */
  openTimeline?: (callId: string) => unknown;
  /** Notifications closer together than this are batched into one (default 10 s). */
  minGapMs?: number;
}

export const OPEN_TIMELINE_ACTION = 'Open Timeline';

export class WaitAlerts implements vscode.Disposable {
  private readonly tracker = new WaitAlertTracker();
  private lastShownAt = Number.NEGATIVE_INFINITY;
  private disposed = false;
  /** How many notifications were shown (tests). */
  shownCount = 0;

  constructor(private readonly deps: WaitAlertsDeps) {}

  /**
   * Notifies about calls that crossed the threshold since the last check. Each call at most once; calls
   * crossing within the gap after a notification wait for the next check and come together.
   */
  check(now: number): void {
    if (this.disposed) return;
    const { alertWaitSeconds, alertNotify } = this.deps.settings();
    if (!(alertWaitSeconds > 0) || !alertNotify) return;
    if (now - this.lastShownAt < (this.deps.minGapMs ?? 10_000)) return;
    const alertMs = alertWaitSeconds * 1000;
    const over = callsOverThreshold(this.deps.store.activeCalls(), alertMs, now);
    if (over.length === 0) return;
    const fresh = this.tracker.take(over, (id) => {
      const c = this.deps.store.getCall(id);
      return c !== undefined && c.state !== 'ended';
    });
    if (fresh.length === 0) return;
    this.lastShownAt = now;
    this.shownCount++;
    const callId = fresh[0].id;
    const show = this.deps.show ?? ((m: string, ...a: string[]) => vscode.window.showWarningMessage(m, ...a));
    void Promise.resolve(show(alertMessage(fresh, alertMs, now), OPEN_TIMELINE_ACTION)).then((picked) => {
      if (picked !== OPEN_TIMELINE_ACTION || this.disposed) return;
      if (this.deps.openTimeline) this.deps.openTimeline(callId);
      else void vscode.commands.executeCommand('streamLiner.openTimeline', callId);
    }, () => undefined);
  }

  /** True when this call has already been alerted. */
  wasAlerted(callId: string): boolean {
    return this.tracker.has(callId);
  }

  dispose(): void {
    this.disposed = true;
    this.tracker.clear();
  }
}
