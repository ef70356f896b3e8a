// The token goes only to the origin it was set for, nothing reachable from the exports holds it, and a bad setting is
// told once with a way to it. Through the real commands in a real extension host.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { SimulatorServer } from '../../../src/simulator/server';
import type { StreamLinerApi } from '../../../src/vscode/api';
import { config, EXTENSION_ID, type ScriptedPrompter, startWithSimulator, waitFor } from '../helpers';

const TOKEN = `sl-sec-${randomBytes(12).toString('hex')}`;

/** Paths of every string (or byte buffer) holding `needle`, reachable from `root` through properties, getters, Maps and Sets. */
function pathsHolding(root: unknown, needle: string, maxDepth = 14): { hits: string[]; visited: number } {
  const seen = new Set<unknown>();
  const hits: string[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      if (value.includes(needle)) hits.push(path);
      return;
    }
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > maxDepth) return;
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      const bytes = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (bytes.includes(Buffer.from(needle, 'latin1'))) hits.push(path);
      return;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        visit(k, `${path}<key>`, depth + 1);
        visit(v, `${path}.get(${String(k).slice(0, 40)})`, depth + 1);
      }
    }
    if (value instanceof Set) for (const v of value) visit(v, `${path}<item>`, depth + 1);
    // Own properties, then every getter up the prototype chain (run against the object itself).
    for (let o: object | null = value; o && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Reflect.ownKeys(o)) {
        const desc = Object.getOwnPropertyDescriptor(o, key);
        if (!desc || key === 'caller' || key === 'callee' || key === 'arguments') continue;
        let child: unknown;
        if ('value' in desc) child = desc.value;
        else if (desc.get) {
          try {
            child = desc.get.call(value);
          } catch {
            continue;
          }
        } else continue;
        visit(child, `${path}.${String(key)}`, depth + 1);
      }
    }
  };
  visit(root, 'exports', 0);
  return { hits, visited: seen.size };
}

suite('Stream Liner security', () => {
  let api: StreamLinerApi;
  let prompter: ScriptedPrompter;
  let sim: SimulatorServer;
  let other: SimulatorServer;

  suiteSetup(async function () {
    this.timeout(60000);
    ({ api, prompter, sim } = await startWithSimulator(TOKEN));
    // It accepts the same token: a connection to it would prove the token went there.
    other = new SimulatorServer({ token: TOKEN, host: '127.0.0.1', port: 0, autoplay: false });
    await other.start();
  });

  suiteTeardown(async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand('streamLiner.disconnect');
    await sim?.stop();
    await other?.stop();
    await config().update('url', undefined, vscode.ConfigurationTarget.Global);
    await config().update('feeds', undefined, vscode.ConfigurationTarget.Global);
    api?.setPrompterForTests(undefined);
  });

  setup(() => {
    prompter.input = () => undefined;
    prompter.warning = () => undefined;
  });

  test('a workspace cannot set streamLiner.url or streamLiner.autoConnect (machine scope)', async () => {
    for (const key of ['url', 'autoConnect']) {
      await assert.rejects(Promise.resolve(config().update(key, key === 'url' ? other.url : true, vscode.ConfigurationTarget.Workspace)),
        /machine|not a registered|Unable to write/i, key);
    }
    assert.equal(config().inspect('url')?.workspaceValue, undefined);
  });

  test('no property reachable from the exports holds the token, while connected', async function () {
    this.timeout(60000);
    prompter.input = () => TOKEN;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.setToken'), true);
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true, JSON.stringify(prompter.errors));
    await waitFor(() => sim.clientCount() === 3, 'three feed sockets');
    const exports = vscode.extensions.getExtension(EXTENSION_ID)?.exports as unknown;
    const { hits, visited } = pathsHolding(exports, TOKEN);
    assert.ok(visited > 20, `the walk reached ${visited} objects`);
    assert.deepEqual(hits, [], 'paths from the exports to the token');
    // The walk does find a token where one is: the check can fail.
    assert.deepEqual(pathsHolding({ a: new Map([['k', { b: [`Bearer ${TOKEN}`] }]]) }, TOKEN).hits, ['exports.a.get(k).b.0']);
  });

  test('moving streamLiner.url to another origin stops the connection; Connect then asks for that origin\'s token', async function () {
    this.timeout(60000);
    if (api.connection.state !== 'connected') {
      assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true, JSON.stringify(prompter.errors));
    }
    const warningsBefore = prompter.warnings.length;
    const otherOrigin = `ws://127.0.0.1:${other.port}`;
    await config().update('url', other.url, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.connection.state === 'disconnected', 'the connection to stop');
    const told = await waitFor(() => prompter.warnings.slice(warningsBefore).find((w) => w.message.includes('disconnected')), 'the user to be told');
    assert.ok(told.message.includes(otherOrigin), told.message);
    assert.deepEqual(told.items, ['Connect']);
    await waitFor(() => sim.clientCount() === 0, 'the old sockets closed');

    // Connect asks for a token for the new origin, naming it; cancelling sends nothing anywhere.
    const asked = prompter.inputs.length;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), false);
    assert.equal(prompter.inputs.length, asked + 1, 'the token box was shown');
    assert.ok(prompter.inputs.at(-1)?.title?.includes(otherOrigin), prompter.inputs.at(-1)?.title);
    assert.equal(other.stats.upgradeAttempts, 0, 'no request reached the other origin');
    assert.equal(api.connection.state, 'disconnected');

    // Clear Token here clears this origin's token only, and says which.
    prompter.warning = (message) => (message.includes(otherOrigin) ? 'Remove Token' : undefined);
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.clearToken'), true);
    assert.equal(prompter.warnings.at(-1)?.options.modal, true);

    // Back to the first origin: its token is still there and still works, without asking.
    await config().update('url', sim.url, vscode.ConfigurationTarget.Global);
    const inputsBefore = prompter.inputs.length;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true, JSON.stringify(prompter.errors));
    assert.equal(prompter.inputs.length, inputsBefore, 'no token box: the first origin\'s token was kept');
    assert.equal(other.stats.upgradeAttempts, 0);
    await vscode.commands.executeCommand('streamLiner.disconnect');
  });

  test('a bad setting is told once, with an action that opens it', async function () {
    this.timeout(30000);
    const before = prompter.warnings.length;
    const feedsWarnings = () => prompter.warnings.slice(before).filter((w) => w.message.includes('streamLiner.feeds'));
    await config().update('feeds', [], vscode.ConfigurationTarget.Global);
    const warning = await waitFor(() => feedsWarnings()[0], 'a warning about streamLiner.feeds');
    assert.match(warning.message, /empty; all three feeds are used/);
    assert.deepEqual(warning.items, ['Open Setting']);
    // Unrelated changes do not repeat it.
    const groupBy = config().inspect<string>('groupBy')?.globalValue;
    await config().update('groupBy', groupBy === 'agent' ? 'queue' : 'agent', vscode.ConfigurationTarget.Global);
    await config().update('groupBy', groupBy, vscode.ConfigurationTarget.Global);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(feedsWarnings().length, 1, JSON.stringify(feedsWarnings()));
    // Another bad value is told; choosing the action opens the setting.
    prompter.warning = (message) => (message.includes('streamLiner.feeds') ? 'Open Setting' : undefined);
    await config().update('feeds', ['bogus'], vscode.ConfigurationTarget.Global);
    await waitFor(() => feedsWarnings().length === 2, 'a warning about the new bad value');
    assert.match(feedsWarnings()[1].message, /no known feed/);
    const settingsTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Settings');
    await waitFor(() => settingsTab(), 'the Settings editor to open');
    await config().update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.window.tabGroups.close(settingsTab()!);
  });
});
