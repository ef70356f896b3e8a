// The commands on one call: Open Call Timeline, Export Call, Copy Call JSON. The call is the target's (a tree row or
// a call id) or picked from the active and recent calls; the export format is src/app/callExport.ts.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { callExportJson, exportFileName } from '../app/callExport';
import type { CallRecord } from '../core/model';
import { outcomeText } from '../core/outcomeText';
import { quickPickText, safeLine, TEXT_CAPS } from '../shared/sanitize';
import type { CommandContext } from './commandContext';
import { targetCallId, type CommandTarget } from './commandTarget';

export class CallCommands {
  constructor(private readonly ctx: CommandContext) {}

  /** The target's call, or one picked from active and recent calls. */
  private async resolveCall(target: CommandTarget, purpose: string): Promise<CallRecord | undefined> {
    const id = targetCallId(target);
    if (id !== undefined) return this.ctx.callInMemory(id);
    const calls = this.ctx.allCalls();
    if (calls.length === 0) {
      void this.ctx.ui.showInformationMessage('Stream Liner: there are no active or recent calls.');
      return undefined;
    }
    // Quick pick texts render $(icon) syntax: every feed value goes through quickPickText.
    const items = calls.map((call) => ({
      label: quickPickText(call.customerNumber || call.id),
      description: quickPickText(call.state === 'ended' ? `ended${call.outcome ? ` (${outcomeText(call.outcome)})` : ''}` : call.state),
      detail: [call.currentQueue?.name, ...call.activeAgents.map((a) => a.name)].map((n) => quickPickText(n, TEXT_CAPS.treeDescription))
        .filter(Boolean).join(' · ') || undefined,
      callId: call.id,
    }));
    const picked = await this.ctx.ui.showQuickPick(items, { title: `Stream Liner: ${purpose}`, placeHolder: 'Choose a call', matchOnDescription: true, matchOnDetail: true });
    return picked ? this.ctx.deps.controller.store.getCall(picked.callId) : undefined;
  }

  async openTimeline(target: CommandTarget): Promise<void> {
    const call = await this.resolveCall(target, 'Open Call Timeline');
    if (call) await this.ctx.deps.views.openTimeline(call.id);
  }

  async exportCall(target: CommandTarget): Promise<vscode.Uri | undefined> {
    const call = await this.resolveCall(target, 'Export Call');
    if (!call) return undefined;
    const name = exportFileName(call);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri = await this.ctx.ui.showSaveDialog({
      title: 'Stream Liner: Export Call',
      saveLabel: 'Export',
      defaultUri: folder.scheme === 'file' ? vscode.Uri.file(join(folder.fsPath, name)) : vscode.Uri.joinPath(folder, name),
      filters: { JSON: ['json'] },
    });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${callExportJson(call, (text) => this.ctx.deps.log.redact(text))}\n`, 'utf8'));
    this.ctx.deps.log.info(`Exported call ${safeLine(call.id, 80)} (${call.timeline.length} timeline entries).`);
    void this.ctx.ui.showInformationMessage(`Stream Liner: call exported to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}.`);
    return uri;
  }

  async copyCallJson(target: CommandTarget): Promise<void> {
    const call = await this.resolveCall(target, 'Copy Call JSON');
    if (!call) return;
    await vscode.env.clipboard.writeText(callExportJson(call, (text) => this.ctx.deps.log.redact(text)));
    void this.ctx.ui.showInformationMessage('Stream Liner: call JSON copied to the clipboard.');
  }
}
