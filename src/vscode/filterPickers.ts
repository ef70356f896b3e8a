// The Filter… command's pickers: filter by a tree group, by something of a call (its number, agents, queues), or by
// a field and a value picked from what the calls in memory hold. Labels are made safe to show; the filter uses the
// value as the feed sent it.
import * as vscode from 'vscode';
import { callAgents, callQueues, distinctNames } from '../app/callExport';
import type { FilterField } from '../core/model';
import { quickPickText } from '../shared/sanitize';
import type { CommandContext } from './commandContext';
import { isCatchAllGroup, targetCallId, targetGroup, type CommandTarget, type FilterableGroup } from './commandTarget';

/**
 * A quick pick item for a filter value: the label is made safe to show (it renders $(icon) syntax), the filter
 * uses the value as the feed sent it, so a name that needed cleaning still matches.
 */
function filterItem(value: string, description?: string): vscode.QuickPickItem & { value: string } {
  return { label: quickPickText(value), description, value };
}

export class FilterPickers {
  constructor(private readonly ctx: CommandContext) {}

  /** Filter…: by the target group, by something of the target call, or by a field and a value picked. */
  async filter(target: CommandTarget): Promise<void> {
    const group = targetGroup(target);
    if (group) return this.byGroup(group);
    const callId = targetCallId(target);
    if (callId !== undefined) return this.byCall(callId);
    return this.byField();
  }

  private async byGroup(group: FilterableGroup): Promise<void> {
    if (isCatchAllGroup(group)) {
      void this.ctx.ui.showInformationMessage(`Stream Liner: calls without a ${group.groupKind} cannot be filtered on.`);
      return;
    }
    await this.ctx.applyFilter([{ field: group.groupKind, value: group.name }]);
  }

  /** "Filter by this…" on a call: its number, agents or queues. */
  private async byCall(callId: string): Promise<void> {
    const call = this.ctx.callInMemory(callId);
    if (!call) return;
    const items = [
      ...(call.customerNumber ? [{ ...filterItem(call.customerNumber, 'customer number'), field: 'number' as FilterField }] : []),
      ...callAgents(call).map((a) => ({ ...filterItem(a, 'agent'), field: 'agent' as FilterField })),
      ...callQueues(call).map((q) => ({ ...filterItem(q, 'queue'), field: 'queue' as FilterField })),
    ];
    if (items.length === 0) {
      void this.ctx.ui.showInformationMessage('Stream Liner: this call has nothing to filter on yet.');
      return;
    }
    const picked = await this.ctx.ui.showQuickPick(items, { title: 'Stream Liner: Filter by this…', placeHolder: 'Show only calls with' });
    if (picked) await this.ctx.applyFilter([{ field: picked.field, value: picked.value }]);
  }

  private async byField(): Promise<void> {
    const fields: { label: string; field: FilterField }[] = [
      { label: 'Customer number', field: 'number' },
      { label: 'Agent', field: 'agent' },
      { label: 'Queue', field: 'queue' },
      { label: 'Direction', field: 'direction' },
    ];
    const field = await this.ctx.ui.showQuickPick(fields, { title: 'Stream Liner: Filter', placeHolder: 'Filter calls by' });
    if (!field) return;
    const value = await this.pickFilterValue(field.field, field.label);
    if (value !== undefined && value.trim()) await this.ctx.applyFilter([{ field: field.field, value: value.trim() }]);
  }

  private async pickFilterValue(field: FilterField, label: string): Promise<string | undefined> {
    if (field === 'number') {
      return this.ctx.ui.showInputBox({ title: 'Stream Liner: Filter by customer number', prompt: 'Part of the customer number', placeHolder: '+4670…' });
    }
    let values: string[];
    if (field === 'direction') values = ['incoming', 'outgoing'];
    else values = distinctNames(this.ctx.allCalls().flatMap((c) => (field === 'agent' ? callAgents(c) : callQueues(c)))).sort();
    const type: vscode.QuickPickItem & { value?: string } = { label: 'Type a value…', alwaysShow: true };
    const picked = await this.ctx.ui.showQuickPick([...values.map((v) => filterItem(v)), ...(field === 'direction' ? [] : [type])], {
      title: `Stream Liner: Filter by ${label.toLowerCase()}`,
      placeHolder: values.length ? `Choose a ${label.toLowerCase()}` : `No ${label.toLowerCase()} seen yet`,
    });
    if (!picked) return undefined;
    if (picked !== type && picked.value !== undefined) return picked.value;
    return this.ctx.ui.showInputBox({ title: `Stream Liner: Filter by ${label.toLowerCase()}`, prompt: `Part of the ${label.toLowerCase()} name` });
  }
}
