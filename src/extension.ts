// Entry point: only wires the adapters together. Nothing heavy happens at activation.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const status = vscode.window.createStatusBarItem('streamLiner.status', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Stream Liner';
  status.text = '$(debug-disconnect) Stream Liner';
  status.tooltip = 'Stream Liner: disconnected';
  status.command = 'streamLiner.calls.focus';
  status.show();
  context.subscriptions.push(status);
}

export function deactivate(): void {
  // Disposables registered on context.subscriptions are released by VS Code.
}
