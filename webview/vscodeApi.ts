// Typed access to the webview API VS Code injects. acquireVsCodeApi may be called only once per page.
import type { TimelineWebviewState, WebviewToHostMessage } from '../src/shared/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function get(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function post(message: WebviewToHostMessage): void {
  get().postMessage(message);
}

/** The call kept across reloads, if any (never trusted blindly: it came back from storage). */
export function savedCallId(): string | undefined {
  const state = get().getState() as Partial<TimelineWebviewState> | undefined;
  return typeof state?.callId === 'string' && state.callId.length > 0 ? state.callId : undefined;
}

export function saveCallId(callId: string): void {
  const state: TimelineWebviewState = { callId };
  get().setState(state);
}
