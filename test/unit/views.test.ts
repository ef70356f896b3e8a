// The view adapters (tree provider, status bar, wait alerts) against the real CallStore, with a fake `vscode`
// module and a manual clock: per-group refreshes, coalescing, the visible-only tick, badge/description/message.
import { created, type FakeStatusBarItem, type FakeTreeView, type MarkdownString, type ThemeIcon, type TreeItem } from '../support/vscodeFake';
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scheduler } from '../../src/core/coalescer';
import { CallStore } from '../../src/core/store';
import type { StatusSnapshot } from '../../src/core/statusModel';
import type { TreeNode } from '../../src/core/treeModel';
import type { AgentsDocument, CallsDocument, QueuesDocument } from '../../src/core/types';
import { WaitAlerts } from '../../src/vscode/alerts';
import { CallsTreeProvider } from '../../src/vscode/callsTreeProvider';
import { StatusBarController } from '../../src/vscode/statusBar';

class Clock implements Scheduler {
  time = 1_800_000_000_000;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number { return this.time; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void { this.timers.delete(h as number); }
  get pending(): number { return this.timers.size; }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = until;
  }
}

function setup() {
  const clock = new Clock();
  const store = new CallStore({ now: () => clock.now() });
  const t0 = clock.now() - 60_000;
  const base = (id: string) => ({ id_call: id, active: 1 as const, call_direction: 'incoming', time: { start: t0 }, customer_target: { number: `+4631${id}` } });
  const api = {
    clock, store,
    call: (id: string, extra: Partial<CallsDocument> = {}) => store.ingest({ feed: 'calls', doc: { ...base(id), ...extra } as CallsDocument }),
    queue: (id: string, q: { id: string; name: string }, at = t0 + 1000) =>
      store.ingest({ feed: 'queues', doc: { ...base(id), queue: { ...q, timestart: at } } as QueuesDocument }),
    offer: (id: string, a: { id: string; name: string }, answered?: number) =>
      store.ingest({ feed: 'agents', doc: { ...base(id), time: { start: t0 + 2000, ...(answered ? { answered } : {}) }, agent: a } as AgentsDocument }),
    end: (id: string) => store.ingest({ feed: 'calls', doc: { ...base(id), active: 0, answered: 1, time: { start: t0, end: clock.now() } } as CallsDocument }),
  };
  return api;
}

const support = { id: 'q1', name: 'Support' };
const sales = { id: 'q2', name: 'Sales' };

function connection(state: StatusSnapshot['state'] = 'connected') {
  const listeners: ((s: StatusSnapshot) => void)[] = [];
  const source = {
    status: { state } as StatusSnapshot,
    onDidChangeStatus: (l: (s: StatusSnapshot) => void) => { listeners.push(l); return { dispose: () => undefined }; },
    set(s: StatusSnapshot) { source.status = s; for (const l of listeners) l(s); },
  };
  return source;
}

function tree(s: ReturnType<typeof setup>, conn = connection()) {
  const provider = new CallsTreeProvider(s.store, { mode: 'queue', connection: conn, scheduler: s.clock });
  const view = created.views[created.views.length - 1];
  const events: (TreeNode | TreeNode[] | undefined)[] = [];
  provider.onDidChangeTreeData((e) => events.push(e));
  // Like VS Code: render the roots and every expanded group's rows.
  const render = () => {
    for (const g of provider.getChildren()) {
      provider.getTreeItem(g);
      for (const r of provider.getChildren(g)) provider.getTreeItem(r);
    }
  };
  return { provider, view: view as FakeTreeView, events, render, conn };
}

const ids = (e: TreeNode | TreeNode[] | undefined) => (e === undefined ? 'ROOT' : Array.isArray(e) ? e.map((n) => n.id).join(',') : e.id);

test('a change inside one queue refreshes only that group, coalesced; new groups refresh the root', () => {
  const s = setup();
  s.call('1'); s.queue('1', support);
  s.call('2'); s.queue('2', sales);
  const t = tree(s);
  t.render();
  s.clock.advance(300);
  t.events.length = 0;
  // Many changes within one interval: one event, for the Support group only.
  for (let i = 0; i < 20; i++) s.offer('1', { id: `a${i}`, name: `Agent ${i}` });
  assert.equal(t.events.length, 0, 'nothing fires synchronously');
  s.clock.advance(250);
  assert.deepEqual(t.events.map(ids), ['queue:q1']);
  // A call in a new queue: the root changes.
  s.call('3'); s.queue('3', { id: 'q3', name: 'Billing' });
  s.clock.advance(250);
  assert.equal(ids(t.events[1]), 'ROOT');
  t.provider.dispose();
});

test('tree items: ids, context values, icons, untrusted tooltips, command, parent', async () => {
  const s = setup();
  s.call('1'); s.queue('1', support);
  const t = tree(s);
  const [group] = t.provider.getChildren();
  const gi = t.provider.getTreeItem(group) as unknown as TreeItem;
  assert.equal(gi.id, 'queue:q1');
  assert.equal(gi.label, 'Support (1)');
  assert.equal(gi.contextValue, 'streamLiner.group.queue');
  const tip = gi.tooltip as MarkdownString;
  assert.equal(tip.isTrusted, false);
  assert.equal(tip.supportHtml, false);
  assert.match(tip.value, /Support/);
  const [row] = t.provider.getChildren(group);
  const ri = t.provider.getTreeItem(row) as unknown as TreeItem;
  assert.equal(ri.id, 'queue:q1/call:1');
  assert.equal(ri.label, '+46311');
  assert.equal(ri.contextValue, 'streamLiner.call.active');
  assert.deepEqual(ri.command?.arguments, ['1']);
  assert.equal(ri.command?.command, 'streamLiner.openTimeline');
  assert.equal((ri.iconPath as ThemeIcon).id, 'watch');
  assert.equal((ri.iconPath as ThemeIcon).color?.id, 'charts.orange');
  assert.match(ri.accessibilityInformation?.label ?? '', /^Call \+46311, incoming, waiting/);
  const resolved = t.provider.resolveTreeItem(ri as never, row) as unknown as TreeItem;
  assert.equal((resolved.tooltip as MarkdownString).isTrusted, false);
  assert.match((resolved.tooltip as MarkdownString).value, /Queues: Support/);
  assert.equal(t.provider.getParent(row), group);
  assert.equal(t.provider.getParent(group), undefined);
  t.provider.dispose();
});

test('badge counts waiting calls; description shows the filter; message when connected and empty', () => {
  const s = setup();
  const t = tree(s);
  assert.equal(t.view.message, 'No active calls');
  s.call('1'); s.queue('1', support);
  s.call('2'); s.queue('2', sales);
  s.clock.advance(300);
  assert.deepEqual(t.view.badge, { value: 2, tooltip: '2 calls waiting' });
  assert.equal(t.view.message, undefined);
  s.store.setFilter([{ field: 'queue', value: 'sales' }]);
  s.clock.advance(300);
  assert.match(t.view.description ?? '', /^Filter: .*sales/i);
  assert.equal(t.view.badge?.value, 1);
  s.store.setFilter([{ field: 'queue', value: 'nothing' }]);
  s.clock.advance(300);
  assert.match(t.view.message ?? '', /No active calls match the filter/);
  t.conn.set({ state: 'disconnected' });
  s.store.setFilter([]);
  s.clock.advance(300);
  assert.equal(t.view.description, undefined);
  t.provider.dispose();
  assert.equal(t.view.disposed, true);
});

test('the 1 s tick refreshes rows whose time changed, only while the view is visible', () => {
  const s = setup();
  s.call('1'); s.queue('1', support);
  s.call('2'); s.offer('2', { id: 'a1', name: 'Anna' }, s.clock.now() - 30_000); // talking, no queue
  const t = tree(s);
  t.render();
  t.events.length = 0;
  s.clock.advance(1000);
  // The Support group's "longest" moved: the group (and so its rows) refresh; the talking row on its own.
  assert.equal(t.events.length, 1);
  assert.deepEqual(ids(t.events[0]).split(','), ['queue:q1', 'queue:__none__/call:2']);
  t.render();
  t.view.setVisible(false);
  t.events.length = 0;
  s.clock.advance(5000);
  assert.equal(t.events.length, 0, 'no tick while hidden');
  assert.equal(s.clock.pending, 0, 'no timer while hidden');
  s.call('3'); s.queue('3', sales);
  s.clock.advance(300);
  assert.equal(t.events.length, 0, 'hidden: store changes wait');
  t.view.setVisible(true);
  assert.deepEqual(t.events.map(ids), ['ROOT'], 'shown again: one root refresh');
  t.provider.dispose();
  assert.equal(s.clock.pending, 0, 'dispose stops every timer');
});

test('agent grouping: setMode regroups, ring-all rows under each agent', () => {
  const s = setup();
  s.call('1'); s.queue('1', support); s.offer('1', { id: 'a1', name: 'Anna' }); s.offer('1', { id: 'a2', name: 'Bo' });
  const t = tree(s);
  t.provider.setMode('agent');
  assert.equal(ids(t.events[0]), 'ROOT');
  const rows = t.provider.getChildren().flatMap((g) => t.provider.getChildren(g).map((r) => r.id));
  assert.deepEqual(rows, ['agent:a1/call:1', 'agent:a2/call:1']);
  assert.equal(t.provider.mode, 'agent');
  t.provider.dispose();
});

test('an ended call moves to Recently ended', () => {
  const s = setup();
  s.call('1'); s.queue('1', support);
  const t = tree(s);
  t.render();
  s.end('1');
  s.clock.advance(300);
  const groups = t.provider.getChildren();
  assert.deepEqual(groups.map((g) => g.id), ['ended']);
  const item = t.provider.getTreeItem(t.provider.getChildren(groups[0])[0]) as unknown as TreeItem;
  assert.equal(item.contextValue, 'streamLiner.call.ended');
  assert.match(item.description ?? '', /answered/);
  t.provider.dispose();
});

test('a late document for a call shown in Recently ended refreshes that group; one for a call not shown there does not', () => {
  const s = setup();
  s.call('1'); s.queue('1', support);
  s.call('2'); s.queue('2', sales);
  const t = tree(s);
  t.render();
  s.end('1');
  s.clock.advance(300);
  t.render();
  t.events.length = 0;
  // A queue document after the end (a late final for the visit): the ended row's call changed.
  s.store.ingest({ feed: 'queues', doc: { id_call: '1', active: 0, call_direction: 'incoming', time: { start: s.clock.now() - 60_000, end: s.clock.now() }, customer_target: { number: '+46311' }, queue: { ...support, timestart: s.clock.now() - 59_000 } } as QueuesDocument });
  s.clock.advance(300);
  assert.ok(t.events.some((e) => ids(e).split(',').includes('ended') || e === undefined), `events: ${t.events.map(ids).join(' | ')}`);
  t.render();
  t.events.length = 0;
  // A change to an active call only: the ended group is left alone.
  s.offer('2', { id: 'a1', name: 'Anna' });
  s.clock.advance(300);
  assert.ok(t.events.length > 0);
  assert.ok(!t.events.some((e) => e === undefined || ids(e).split(',').includes('ended')), `events: ${t.events.map(ids).join(' | ')}`);
  t.provider.dispose();
});

/** The item's background colour id (a function so assertions don't narrow the property). */
function bg(item: FakeStatusBarItem): string | undefined {
  return item.backgroundColor?.id;
}

function statusBar(s: ReturnType<typeof setup>, conn = connection(), settings = { alertWaitSeconds: 60, alertNotify: true }) {
  const shown: string[] = [];
  const opened: string[] = [];
  let pick: string | undefined;
  const alerts = new WaitAlerts({
    store: s.store, settings: () => settings,
    show: (m) => { shown.push(m); return Promise.resolve(pick); }, openTimeline: (id) => opened.push(id),
  });
  const bar = new StatusBarController({ store: s.store, connection: conn, settings: () => settings, alerts, scheduler: s.clock });
  const item = created.items[created.items.length - 1] as FakeStatusBarItem;
  return { bar, item, alerts, shown, opened, conn, setPick: (p: string | undefined) => { pick = p; } };
}

test('status bar: id, name, command, counters that follow the store, filter mark', () => {
  const s = setup();
  const b = statusBar(s);
  assert.equal(b.item.id, 'streamLiner.status');
  assert.equal(b.item.name, 'Stream Liner');
  assert.equal(b.item.command, 'streamLiner.calls.focus');
  assert.equal(b.item.shown, true);
  s.call('1'); s.queue('1', support);
  s.call('2'); s.offer('2', { id: 'a1', name: 'Anna' }, s.clock.now());
  s.clock.advance(300);
  const c = s.store.counters();
  assert.equal(b.bar.text, `$(pass-filled)  $(call-incoming) ${c.active} active · ${c.waiting} waiting · ${c.talking} talking`);
  assert.equal(b.item.text, b.bar.text);
  assert.equal(c.active, 2);
  s.store.setFilter([{ field: 'queue', value: 'support' }]);
  s.clock.advance(300);
  assert.match(b.bar.text, /1 active · 1 waiting · 0 talking {2}\$\(filter\)$/);
  assert.match(b.bar.tooltip, /Filter: .*support/i);
  b.conn.set({ state: 'reconnecting', nextAttemptAt: s.clock.now() + 12_000 });
  assert.match(b.item.text, /retry in 12 s/);
  s.clock.advance(1000);
  assert.match(b.item.text, /retry in 11 s/, 'the countdown ticks');
  b.conn.set({ state: 'unauthorized' });
  assert.equal(bg(b.item), 'statusBarItem.errorBackground');
  b.bar.dispose();
  b.alerts.dispose();
  assert.equal(b.item.disposed, true);
  assert.equal(s.clock.pending, 0);
});

test('wait alert: warning colour past the threshold and one notification per call, with Open Timeline', async () => {
  const s = setup();
  const b = statusBar(s);
  b.setPick('Open Timeline');
  s.call('1'); s.queue('1', support, s.clock.now());
  s.clock.advance(300);
  assert.equal(bg(b.item), undefined);
  s.clock.advance(61_000);
  assert.equal(bg(b.item), 'statusBarItem.warningBackground');
  assert.equal(b.shown.length, 1);
  assert.match(b.shown[0], /^Stream Liner: the call from \+46311 in Support has waited 1:0\d/);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(b.opened, ['1']);
  s.clock.advance(120_000);
  assert.equal(b.shown.length, 1, 'at most once per call');
  // Turned off: no colour.
  const off = statusBar(s, connection(), { alertWaitSeconds: 0, alertNotify: true });
  assert.equal(bg(off.item), undefined);
  for (const x of [b, off]) { x.bar.dispose(); x.alerts.dispose(); }
});

test('wait alert: notify off keeps the colour but shows nothing; unconfirmed calls never alert', () => {
  const s = setup();
  const b = statusBar(s, connection(), { alertWaitSeconds: 10, alertNotify: false });
  s.call('1'); s.queue('1', support, s.clock.now());
  s.clock.advance(11_000);
  assert.equal(bg(b.item), 'statusBarItem.warningBackground');
  assert.equal(b.shown.length, 0);
  s.store.markReconnected();
  s.clock.advance(300);
  assert.equal(bg(b.item), undefined, 'unconfirmed waits do not count');
  b.bar.dispose();
  b.alerts.dispose();
});
