// Filter, export, group-by and timeline commands over calls sent by a simulator started in the test.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SimulatorServer } from '../../../src/simulator/server';
import type { StreamLinerApi } from '../../../src/vscode/api';
import { agentsDoc, callsDoc, config, queuesDoc, type ScriptedPrompter, startWithSimulator, waitFor, type CallSpec } from '../helpers';

const TOKEN = `sl-cmd-${randomBytes(12).toString('hex')}`;

const CALLS: CallSpec[] = [
  { id: 'cmd-1', number: '+46701111111', queue: 'Support', agent: 'Anna' },
  { id: 'cmd-2', number: '+46702222222', queue: 'Sales', agent: 'Bert' },
  { id: 'cmd-3', number: '+46703333333', queue: 'Support' },
];

suite('Stream Liner commands', () => {
  let api: StreamLinerApi;
  let prompter: ScriptedPrompter;
  let sim: SimulatorServer;
  let dir: string;
  let groupByBefore: string | undefined;

  suiteSetup(async function () {
    this.timeout(60000);
    ({ api, prompter, sim } = await startWithSimulator(TOKEN));
    dir = mkdtempSync(join(tmpdir(), 'stream-liner-export-'));
    groupByBefore = config().inspect<string>('groupBy')?.globalValue;
    prompter.input = () => TOKEN;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.setToken'), true);
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true, JSON.stringify(prompter.errors));
    await waitFor(() => sim.clientCount() === 3, 'three feed sockets');
    const start = Date.now() - 10000;
    for (const spec of CALLS) {
      const s = { ...spec, start };
      sim.sendDocument('calls', callsDoc(s));
      if (s.queue) sim.sendDocument('queues', queuesDoc(s));
      if (s.agent) sim.sendDocument('agents', agentsDoc(s));
    }
    await waitFor(() => api.store.activeCount === CALLS.length, 'three active calls in the store');
  });

  suiteTeardown(async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand('streamLiner.clearFilter');
    await vscode.commands.executeCommand('streamLiner.disconnect');
    await sim?.stop();
    await config().update('url', undefined, vscode.ConfigurationTarget.Global);
    await config().update('groupBy', groupByBefore, vscode.ConfigurationTarget.Global);
    api?.setPrompterForTests(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  setup(() => {
    prompter.pick = () => undefined;
    prompter.input = () => undefined;
    prompter.save = () => undefined;
  });

  test('Filter (no argument): pick a field, then a value seen in the store; Clear Filter undoes it', async () => {
    let step = 0;
    prompter.pick = (items) => {
      step++;
      return step === 1 ? items.find((i) => i.label === 'Queue') : items.find((i) => i.label === 'Support');
    };
    await vscode.commands.executeCommand('streamLiner.filter');
    const fieldPick = prompter.picks.at(-2)!;
    assert.deepEqual(fieldPick.items.map((i) => i.label), ['Customer number', 'Agent', 'Queue', 'Direction']);
    const valuePick = prompter.picks.at(-1)!;
    const values = valuePick.items.map((i) => i.label);
    assert.ok(values.includes('Support') && values.includes('Sales'), `queue values offered: ${values.join(', ')}`);

    assert.deepEqual(api.store.filter, [{ field: 'queue', value: 'Support' }]);
    assert.equal(api.contextKeys()['streamLiner.filterActive'], true);
    assert.deepEqual(api.store.activeCalls().map((c) => c.id).sort(), ['cmd-1', 'cmd-3']);

    await vscode.commands.executeCommand('streamLiner.clearFilter');
    assert.deepEqual(api.store.filter, []);
    assert.equal(api.contextKeys()['streamLiner.filterActive'], false);
    assert.equal(api.store.activeCalls().length, CALLS.length);
  });

  test('Filter by customer number uses an input box', async () => {
    prompter.pick = (items) => items.find((i) => i.label === 'Customer number');
    prompter.input = () => ' 2222 ';
    await vscode.commands.executeCommand('streamLiner.filter');
    assert.deepEqual(api.store.filter, [{ field: 'number', value: '2222' }]);
    assert.deepEqual(api.store.activeCalls().map((c) => c.id), ['cmd-2']);
    await vscode.commands.executeCommand('streamLiner.clearFilter');
  });

  test('"Filter by this…" on a call offers its number, agent and queue', async () => {
    prompter.pick = (items) => items.find((i) => i.label === 'Anna');
    await vscode.commands.executeCommand('streamLiner.filter', 'cmd-1');
    const labels = prompter.picks.at(-1)!.items.map((i) => i.label);
    assert.ok(labels.includes('+46701111111') && labels.includes('Anna') && labels.includes('Support'), labels.join(', '));
    assert.deepEqual(api.store.filter, [{ field: 'agent', value: 'Anna' }]);
    assert.equal(api.contextKeys()['streamLiner.filterActive'], true);
    await vscode.commands.executeCommand('streamLiner.clearFilter');
    assert.equal(api.contextKeys()['streamLiner.filterActive'], false);
  });

  test('"Filter by this…" on a tree group filters by that group', async () => {
    const roots = (await api.treeProvider.getChildren()) ?? [];
    const items = await Promise.all(roots.map(async (n) => ({ node: n, item: await api.treeProvider.getTreeItem(n) })));
    const sales = items.find(({ item }) => String(typeof item.label === 'object' ? item.label.label : item.label).includes('Sales'));
    assert.ok(sales, `a Sales group among ${items.map(({ item }) => JSON.stringify(item.label)).join(', ')}`);
    prompter.pick = (picks) => picks[0];
    await vscode.commands.executeCommand('streamLiner.filter', sales.node);
    assert.deepEqual(api.store.filter.map((c) => c.field), ['queue']);
    assert.match(api.store.filter[0].value, /Sales/);
    assert.deepEqual(api.store.activeCalls().map((c) => c.id), ['cmd-2']);
    await vscode.commands.executeCommand('streamLiner.clearFilter');
  });

  test('Export Call writes one pretty JSON file with the summary and timeline, without the token', async () => {
    const target = vscode.Uri.file(join(dir, 'call.json'));
    prompter.save = () => target;
    await vscode.commands.executeCommand('streamLiner.exportCall', 'cmd-1');
    assert.ok(existsSync(target.fsPath), 'export file written');
    assert.deepEqual(prompter.saves.at(-1)?.filters, { JSON: ['json'] });
    const text = readFileSync(target.fsPath, 'utf8');
    assert.ok(!text.includes(TOKEN), 'no token in the export');
    assert.match(text, /^\{\n {2}"/, 'pretty-printed');
    const json = JSON.parse(text) as { summary: { id: string; customerNumber: string; queues: string[] }; timeline: Record<string, unknown>[] };
    assert.equal(json.summary.id, 'cmd-1');
    assert.equal(json.summary.customerNumber, '+46701111111');
    assert.ok(json.summary.queues.includes('Support'));
    const call = api.store.getCall('cmd-1')!;
    assert.equal(json.timeline.length, call.timeline.length);
    assert.ok(json.timeline.length >= 3, 'calls, queues and agents documents');
    for (const entry of json.timeline) assert.deepEqual(Object.keys(entry).sort(), ['document', 'feed', 'receivedAt']);
    assert.deepEqual(new Set(json.timeline.map((e) => e.feed)), new Set(['calls', 'queues', 'agents']));
    assert.equal((json.timeline[0].document as { id_call: string }).id_call, 'cmd-1');
  });

  test('Export Call without an argument picks from active and recent calls; cancelling the dialog writes nothing', async () => {
    prompter.pick = (items) => items.find((i) => i.label === '+46702222222');
    const target = vscode.Uri.file(join(dir, 'picked.json'));
    prompter.save = () => target;
    await vscode.commands.executeCommand('streamLiner.exportCall');
    assert.equal(prompter.picks.at(-1)!.items.length, CALLS.length);
    assert.equal((JSON.parse(readFileSync(target.fsPath, 'utf8')) as { summary: { id: string } }).summary.id, 'cmd-2');

    prompter.save = () => undefined;
    const cancelled = join(dir, 'never.json');
    await vscode.commands.executeCommand('streamLiner.exportCall', 'cmd-3');
    assert.equal(existsSync(cancelled), false);
  });

  test('Open Call Timeline without an argument offers the active and recent calls', async () => {
    prompter.pick = () => undefined;
    await vscode.commands.executeCommand('streamLiner.openTimeline');
    const labels = prompter.picks.at(-1)!.items.map((i) => i.label).sort();
    assert.deepEqual(labels, CALLS.map((c) => c.number).sort());
  });

  test('Group by Agent / Queue update the global setting, the context key and the tree', async () => {
    await vscode.commands.executeCommand('streamLiner.groupByAgent');
    assert.equal(config().inspect<string>('groupBy')?.globalValue, 'agent');
    assert.equal(api.contextKeys()['streamLiner.groupBy'], 'agent');
    const agentLabels = await rootLabels(api);
    assert.ok(agentLabels.some((l) => l.includes('Anna')), agentLabels.join(', '));

    await vscode.commands.executeCommand('streamLiner.groupByQueue');
    assert.equal(config().inspect<string>('groupBy')?.globalValue, 'queue');
    assert.equal(api.contextKeys()['streamLiner.groupBy'], 'queue');
    const queueLabels = await rootLabels(api);
    assert.ok(queueLabels.some((l) => l.includes('Support')), queueLabels.join(', '));
  });
});

async function rootLabels(api: StreamLinerApi): Promise<string[]> {
  const roots = (await api.treeProvider.getChildren()) ?? [];
  const items = await Promise.all(roots.map((n) => api.treeProvider.getTreeItem(n)));
  return items.map((i) => String(typeof i.label === 'object' ? i.label.label : i.label));
}
