// The hostile corpus through the real surfaces, with the fake `vscode` module: the Calls tree (labels, descriptions,
// tooltips, view description), the status bar (text and tooltip), wait alerts, the "not connected yet" warning built
// from a real server's close reason, the Filter and call quick picks, and the timeline panel's title.
import { created, type FakeStatusBarItem, type FakeTreeView, type MarkdownString, type TreeItem } from '../support/vscodeFake';
import * as assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { Scheduler } from '../../src/core/coalescer';
import type { CallRecord } from '../../src/core/model';
import { alertMessage, type StatusSnapshot } from '../../src/core/statusModel';
import { CallStore } from '../../src/core/store';
import { timelineTitle } from '../../src/core/timelineView';
import type { AgentsDocument, CallsDocument, QueuesDocument } from '../../src/core/types';
import { TEXT_CAPS } from '../../src/shared/sanitize';
import { WaitAlerts } from '../../src/vscode/alerts';
import { CallsTreeProvider } from '../../src/vscode/callsTreeProvider';
import { type CommandDeps } from '../../src/vscode/commandContext';
import { Commands } from '../../src/vscode/commands';
import type { Prompter } from '../../src/vscode/prompter';
import { ConnectionController } from '../../src/app/connectionController';
import * as feedSource from '../../src/app/feedBundle';
import { Log } from '../../src/app/log';
import { readSettings } from '../../src/app/settings';
import { StatusBarController } from '../../src/vscode/statusBar';
import type { TokenStore } from '../../src/vscode/tokenStore';
import {
  FORBIDDEN_CHARACTERS, HOSTILE_CLOSE_REASON, HOSTILE_SAMPLES, ICON_SYNTAX, LINK_SYNTAX,
} from '../support/hostileCorpus';

const NOW = 1_800_000_000_000;
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What a plain-text surface renders: notifications make links, status bar text and quick picks make icons. */
interface Renders { links?: boolean; icons?: boolean }
const TREE: Renders = {};
const NOTIFICATION: Renders = { links: true };
const QUICK_PICK: Renders = { icons: true };

/** Plain one-line text: no controls or direction controls, within `max`, and nothing the surface would render. */
function assertPlain(text: string | undefined, where: string, max: number, renders: Renders): void {
  if (text === undefined) return;
  assert.ok(!FORBIDDEN_CHARACTERS.test(text), `${where}: a control or direction character in ${JSON.stringify(text.slice(0, 100))}`);
  if (renders.links) assert.ok(!LINK_SYNTAX.test(text), `${where}: link syntax in ${JSON.stringify(text.slice(0, 200))}`);
  if (renders.icons) assert.ok(!ICON_SYNTAX.test(text), `${where}: icon syntax in ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(text.length <= max, `${where}: ${text.length} characters`);
}

/**
 * Markdown we build around escaped feed text: once every backslash-escaped pair is taken out, what is left is ours,
 * and ours has no link, autolink, HTML, entity or icon other than `$(filter)`.
 */
function assertSafeMarkdown(md: string, where: string): void {
  const ours = md.replace(/\\[\s\S]/g, '');
  assert.ok(!/[[\]<>&]|https?:|command:|www\./.test(ours), `${where}: unescaped feed text in ${JSON.stringify(md.slice(0, 300))}`);
  assert.ok(!/\$\((?!filter\))/.test(ours), `${where}: icon syntax in ${JSON.stringify(md.slice(0, 300))}`);
  assert.ok(!FORBIDDEN_CHARACTERS.test(md.replace(/\n/g, ' ')), `${where}: a control or direction character`);
  assert.ok(md.length < 6000, `${where}: ${md.length} characters`);
}

class ManualClock implements Scheduler {
  time = NOW;
  now(): number { return this.time; }
  setTimeout(): unknown { return 0; }
  clearTimeout(): void {}
}

/** A store holding one waiting call per corpus sample: its number, queue and agent are the sample's text. */
function hostileStore(clock: ManualClock): CallStore {
  const store = new CallStore({ now: () => clock.now() });
  const t0 = NOW - 120_000;
  HOSTILE_SAMPLES.forEach(({ text }, i) => {
    const base = { id_call: `c${i}`, active: 1 as const, call_direction: 'incoming', time: { start: t0 }, customer_target: { number: text } };
    store.ingest({ feed: 'calls', doc: base as CallsDocument }, t0);
    store.ingest({ feed: 'queues', doc: { ...base, queue: { id: `q${i}`, name: text, timestart: t0 + 1000 } } as QueuesDocument }, t0 + 1000);
    if (i % 2 === 0) store.ingest({ feed: 'agents', doc: { ...base, time: { start: t0 + 2000 }, agent: { id: `a${i}`, name: text } } as AgentsDocument }, t0 + 2000);
  });
  return store;
}

class RecordingPrompter implements Prompter {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  readonly infos: string[] = [];
  readonly picks: Array<readonly { label: string; description?: string; detail?: string }[]> = [];
  pick: (items: readonly unknown[]) => unknown = () => undefined;
  showInputBox(): Thenable<string | undefined> { return Promise.resolve(undefined); }
  showQuickPick<T>(items: readonly T[]): Thenable<T | undefined> {
    this.picks.push(items as never);
    return Promise.resolve(this.pick(items) as T | undefined);
  }
  showInformationMessage(message: string): Thenable<string | undefined> { this.infos.push(message); return Promise.resolve(undefined); }
  showWarningMessage(message: string): Thenable<string | undefined> { this.warnings.push(message); return Promise.resolve(undefined); }
  showErrorMessage(message: string): Thenable<string | undefined> { this.errors.push(message); return Promise.resolve(undefined); }
  showSaveDialog(): Thenable<undefined> { return Promise.resolve(undefined); }
}

function logLines(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => { lines.push(m); };
  return { log: new Log({ info: push, warn: push, error: push, debug: push, trace: push, dispose: () => undefined } as never), lines };
}

function commandsWith(controller: unknown, prompter: Prompter, log: Log, url = 'wss://feeds.example'): Commands {
  const deps: CommandDeps = {
    controller: controller as CommandDeps['controller'],
    tokens: { get: async () => 'tok-SURFACES-93b1c7', set: async () => undefined, clear: async () => undefined } as unknown as TokenStore,
    log,
    settings: () => ({ ...readSettings({ get: () => undefined, inspect: () => undefined }), url }),
    prompter: () => prompter,
    views: { setGroupBy: () => undefined, openTimeline: () => undefined },
    setContext: async () => undefined,
  };
  return new Commands(deps);
}

describe('hostile feed text on every surface', () => {
  test('the Calls tree: group and row labels, descriptions, screen-reader labels, tooltips, the filter description', () => {
    const clock = new ManualClock();
    const store = hostileStore(clock);
    for (const mode of ['queue', 'agent'] as const) {
      const provider = new CallsTreeProvider(store, { mode, scheduler: clock });
      cleanups.push(() => provider.dispose());
      const groups = provider.getChildren();
      assert.ok(groups.length >= HOSTILE_SAMPLES.length / 2, `${mode}: a group per hostile name`);
      for (const group of groups) {
        const gi = provider.getTreeItem(group) as unknown as TreeItem;
        assertPlain(gi.label, `${mode} group label`, TEXT_CAPS.treeLabel + 8, TREE);
        assertPlain(gi.description, `${mode} group description`, TEXT_CAPS.treeLabel, TREE);
        assertPlain(gi.accessibilityInformation?.label, `${mode} group aria label`, 200, TREE);
        assertSafeMarkdown((gi.tooltip as MarkdownString).value, `${mode} group tooltip`);
        for (const row of provider.getChildren(group)) {
          const ri = provider.getTreeItem(row) as unknown as TreeItem;
          assertPlain(ri.label, `${mode} row label`, TEXT_CAPS.treeLabel, TREE);
          assertPlain(ri.description, `${mode} row description`, TEXT_CAPS.treeLabel + 40, TREE);
          assertPlain(ri.accessibilityInformation?.label, `${mode} row aria label`, 300, TREE);
          const resolved = provider.resolveTreeItem(ri as never, row) as unknown as TreeItem;
          assertSafeMarkdown((resolved.tooltip as MarkdownString).value, `${mode} row tooltip`);
        }
      }
    }
    // The filter a user picked from these names shows in the view's description and message.
    store.setFilter([{ field: 'queue', value: HOSTILE_SAMPLES[0].text }, { field: 'agent', value: `\u202e${HOSTILE_SAMPLES[3].text}` }]);
    const provider = new CallsTreeProvider(store, { mode: 'queue', scheduler: clock });
    cleanups.push(() => provider.dispose());
    const view = created.views.at(-1) as FakeTreeView;
    assert.ok(view.description?.startsWith('Filter: queue: Sales'), view.description);
    assert.ok(!FORBIDDEN_CHARACTERS.test(view.description ?? ''), view.description);
  });

  test('the status bar: text, and a tooltip quoting a close reason and a hostile filter', () => {
    const clock = new ManualClock();
    const store = hostileStore(clock);
    store.setFilter([{ field: 'agent', value: `$(zap) ${HOSTILE_SAMPLES[0].text}` }]);
    const message = `Lost wss://feeds.example/calls (close 4000 "${HOSTILE_CLOSE_REASON}\u202e"); reconnecting with backoff.`;
    const status: StatusSnapshot = { state: 'reconnecting', message, nextAttemptAt: NOW + 5000, url: 'wss://feeds.example' };
    const bar = new StatusBarController({
      store, connection: { status, onDidChangeStatus: () => ({ dispose: () => undefined }) },
      settings: () => ({ alertWaitSeconds: 30, alertNotify: false }), scheduler: clock,
    });
    cleanups.push(() => bar.dispose());
    const item = created.items.at(-1) as FakeStatusBarItem;
    assert.ok(!FORBIDDEN_CHARACTERS.test(item.text));
    assert.ok(!/Maintenance|evil/.test(item.text), 'no feed text in the status bar text');
    const tooltip = item.tooltip!;
    assert.equal(tooltip.isTrusted, false);
    assertSafeMarkdown(tooltip.value, 'status tooltip');
    assert.ok(tooltip.value.includes('Maintenance\\: \\[Re\\-enter your token\\]'), 'the reason is shown, escaped');
  });

  test('wait alerts: the notification names the number and queue as plain text', () => {
    const clock = new ManualClock();
    const store = hostileStore(clock);
    const shown: string[] = [];
    const alerts = new WaitAlerts({
      store, settings: () => ({ alertWaitSeconds: 30, alertNotify: true }),
      show: (m) => { shown.push(m); return Promise.resolve(undefined); },
    });
    cleanups.push(() => alerts.dispose());
    alerts.check(NOW);
    assert.equal(shown.length, 1);
    assertPlain(shown[0], 'wait alert', 400, NOTIFICATION);
    // The message the status model builds, for each sample as the number and the queue of the longest wait.
    for (const { label, text } of HOSTILE_SAMPLES) {
      const call = { ...store.activeCalls()[0], customerNumber: text, currentQueue: { id: 'q', name: text } };
      assertPlain(alertMessage([call], 30_000, NOW), `wait alert (${label})`, 400, NOTIFICATION);
    }
  });

  test('the "not connected yet" warning quotes a real server\'s close reason without links or command links', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (ws) => ws.close(4000, HOSTILE_CLOSE_REASON));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const port = (wss.address() as { port: number }).port;
    const { log } = logLines();
    const real = new ConnectionController({
      log, settings: () => readSettings({ get: () => undefined, inspect: () => undefined }), setContext: () => undefined, loadFeed: () => feedSource,
    });
    cleanups.push(() => real.dispose());
    cleanups.push(() => real.disconnect());
    const controller = {
      get state() { return real.state; },
      get status() { return real.status; },
      store: real.store,
      disconnect: () => real.disconnect(),
      // The command waits up to 20 s for the feeds; this gives up as soon as the feed lost its socket and waits to retry.
      async connect(target: Parameters<ConnectionController['connect']>[0]) {
        await real.connect(target);
        return {
          async whenConnected(): Promise<void> {
            while (real.state !== 'reconnecting') await new Promise((r) => setTimeout(r, 5));
            throw new Error('not connected within the wait');
          },
        };
      },
    };
    const prompter = new RecordingPrompter();
    const connected = await commandsWith(controller, prompter, log, `ws://127.0.0.1:${port}`).connect();
    assert.equal(connected, false);
    assert.equal(prompter.warnings.length, 1, JSON.stringify(prompter));
    const warning = prompter.warnings[0];
    assert.match(warning, /^Stream Liner is not connected yet \(Lost ws:\/\/127\.0\.0\.1:\d+\/(calls|queues|agents) \(close 4000 "Maintenance: /);
    assert.ok(warning.includes('(Re-enter your token)(https://evil.example/login) (Open)(command:workbench.action.terminal.new)'), warning);
    assertPlain(warning, 'warning', TEXT_CAPS.notificationMessage, NOTIFICATION);
    assert.ok(!warning.includes('['), 'no bracket can open a link');
  });

  test('the Filter command: agent, queue and number quick picks show safe labels and filter on the value as sent', async () => {
    const clock = new ManualClock();
    const store = hostileStore(clock);
    const { log } = logLines();
    const prompter = new RecordingPrompter();
    const commands = commandsWith({ store, activeCalls: () => store.activeCalls() }, prompter, log);
    // From a call row: its number, agents and queues.
    for (let i = 0; i < HOSTILE_SAMPLES.length; i++) {
      prompter.pick = (items) => items.at(-1);
      await commands.filter(`c${i}`);
      const items = prompter.picks.at(-1)!;
      for (const item of items) {
        assertPlain(item.label, `filter item of c${i}`, TEXT_CAPS.quickPick, QUICK_PICK);
        assertPlain(item.description, `filter item description of c${i}`, TEXT_CAPS.quickPick, QUICK_PICK);
      }
      assert.deepEqual(store.filter, [{ field: 'queue', value: HOSTILE_SAMPLES[i].text }], 'the filter uses the queue name as the feed sent it');
    }
    // From the command palette: field, then a value from every queue seen (calls hidden by a filter are not offered).
    await commands.applyFilter([]);
    prompter.pick = (items) => (items as { label: string }[]).find((i) => i.label === 'Queue' || i.label.startsWith('Support $ (zap)'));
    await commands.filter(undefined);
    const values = prompter.picks.at(-1)!;
    assert.equal(values.length, HOSTILE_SAMPLES.length + 1, 'every queue, and "Type a value…"');
    for (const item of values) assertPlain(item.label, 'queue value item', TEXT_CAPS.quickPick, QUICK_PICK);
    assert.deepEqual(store.filter, [{ field: 'queue', value: 'Support $(zap) $(sync~spin) $(key)' }]);
  });

  test('the call picker: labels, descriptions and details', async () => {
    const clock = new ManualClock();
    const store = hostileStore(clock);
    const { log } = logLines();
    const prompter = new RecordingPrompter();
    const commands = commandsWith({ store }, prompter, log);
    await commands.openTimeline(undefined);
    const items = prompter.picks.at(-1)!;
    assert.equal(items.length, HOSTILE_SAMPLES.length);
    for (const item of items) {
      assertPlain(item.label, 'call item label', TEXT_CAPS.quickPick, QUICK_PICK);
      assertPlain(item.description, 'call item description', TEXT_CAPS.quickPick, QUICK_PICK);
      assertPlain(item.detail, 'call item detail', TEXT_CAPS.quickPickDetail, QUICK_PICK);
    }
  });

  test('the timeline panel title', () => {
    for (const { label, text } of HOSTILE_SAMPLES) {
      const title = timelineTitle({ customerNumber: text } as CallRecord, 'id');
      assertPlain(title, `panel title (${label})`, 'Call '.length + TEXT_CAPS.panelTitle, TREE);
    }
    assert.equal(timelineTitle({ customerNumber: '\u202e+46 70\u202c' } as CallRecord, 'id'), 'Call +46 70');
  });
});
