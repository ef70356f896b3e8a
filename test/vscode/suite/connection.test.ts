// Token, connection, disconnect and demo mode, through the real commands in a real extension host.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { SimulatorServer } from '../../../src/simulator/server';
import type { StreamLinerApi } from '../../../src/vscode/api';
import {
  agentsDoc, allFiles, ancestorNamed, callsDoc, config, EXTENSION_ID, filesContaining, portClosed, queuesDoc, ScriptedPrompter,
  startWithSimulator, statusNumbers, waitFor,
} from '../helpers';

const TOKEN = `sl-test-${randomBytes(12).toString('hex')}`;
const WRONG_TOKEN = `sl-wrong-${randomBytes(12).toString('hex')}`;

suite('Stream Liner connection', () => {
  let api: StreamLinerApi;
  let prompter: ScriptedPrompter;
  let sim: SimulatorServer;

  suiteSetup(async function () {
    this.timeout(60000);
    ({ api, prompter, sim } = await startWithSimulator(TOKEN));
  });

  suiteTeardown(async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand('streamLiner.disconnect');
    await sim?.stop();
    await config().update('url', undefined, vscode.ConfigurationTarget.Global);
    api?.setPrompterForTests(undefined);
  });

  setup(() => {
    prompter.input = () => undefined;
    prompter.pick = () => undefined;
    prompter.warning = () => undefined;
    prompter.error = () => undefined;
  });

  test('Set Token asks in a password box that says where the token comes from, validates, trims and stores it', async () => {
    prompter.input = () => `   ${TOKEN}  \t`;
    const stored = await vscode.commands.executeCommand<boolean>('streamLiner.setToken');
    assert.equal(stored, true);
    const box = prompter.inputs.at(-1)!;
    assert.equal(box.password, true);
    // The box names the origin the token is bound to (scheme, host, port).
    assert.ok(box.title?.includes(`ws://127.0.0.1:${sim.port}`), `title names the origin: ${box.title}`);
    assert.ok(box.prompt?.includes(`sent only to ws://127.0.0.1:${sim.port}`), `prompt names the origin: ${box.prompt}`);
    assert.equal(box.ignoreFocusOut, true);
    assert.match(box.prompt ?? '', /Telavox web agent.*Settings > My Account > Username and password > Integration Manage Token > Create new Statistics Token/);
    assert.ok(box.validateInput, 'validateInput is set');
    const empty = await box.validateInput!('   ');
    assert.equal(typeof empty, 'string');
    assert.ok(String(empty).length > 0, 'an empty value gets a message');
    assert.equal(await box.validateInput!(' x '), undefined);

    // Whitespace only: refused with a message, nothing stored.
    prompter.input = () => '   ';
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.setToken'), false);
    assert.match(prompter.errors.at(-1)?.message ?? '', /empty/);
  });

  test('Connect uses the trimmed token; the status bar counters follow the store at two moments', async function () {
    this.timeout(60000);
    const connected = await vscode.commands.executeCommand<boolean>('streamLiner.connect');
    // The simulator only accepts the exact token, so a connection proves the input was trimmed.
    assert.equal(connected, true, `connect failed: ${JSON.stringify(prompter.errors)}`);
    assert.equal(api.connection.state, 'connected');
    assert.equal(api.contextKeys()['streamLiner.connectionState'], 'connected');
    assert.equal(sim.stats.rejected401, 0);
    await waitFor(() => sim.clientCount() === 3, 'three feed sockets');

    // Earlier suites may leave calls in the store: count from what is there now.
    const base = api.store.counters().active;
    const now = Date.now();
    sim.sendDocument('calls', callsDoc({ id: 'c-1', number: '+46700000001', queue: 'Support', start: now - 3000 }));
    const first = await waitFor(() => {
      const c = api.store.counters();
      const shown = statusNumbers(api.statusBarText());
      return c.active === base + 1 && shown.active === c.active && shown.waiting === c.waiting ? { ...c, shown } : undefined;
    }, 'status bar to show one active call').catch((err: Error) => {
      throw new Error(`${err.message}; store ${JSON.stringify(api.store.counters())}, status "${api.statusBarText()}", filter ${JSON.stringify(api.store.filter)}, messages ${api.connection.status.feed?.messages}`);
    });

    for (const [i, queue] of [[2, 'Sales'], [3, 'Support']] as const) {
      const spec = { id: `c-${i}`, number: `+4670000000${i}`, queue, agent: 'Anna', start: now - 2000 };
      sim.sendDocument('calls', callsDoc(spec));
      sim.sendDocument('queues', queuesDoc(spec));
      sim.sendDocument('agents', agentsDoc(spec));
    }
    const second = await waitFor(() => {
      const c = api.store.counters();
      const shown = statusNumbers(api.statusBarText());
      return c.active === base + 3 && shown.active === c.active && shown.waiting === c.waiting ? { ...c, shown } : undefined;
    }, 'status bar to show three active calls');
    assert.notEqual(first.active, second.active);
    assert.equal(second.shown.active, api.store.activeCount);
  });

  test('a wrong token ends unauthorized, and the error offers Set Token which reconnects', async function () {
    this.timeout(60000);
    prompter.input = () => WRONG_TOKEN;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.setToken'), true);
    const rejectedBefore = sim.stats.rejected401;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), false);
    assert.equal(api.connection.state, 'unauthorized');
    assert.equal(api.contextKeys()['streamLiner.connectionState'], 'unauthorized');
    assert.ok(sim.stats.rejected401 > rejectedBefore, 'the simulator refused the token');
    const error = await waitFor(() => prompter.errors.find((e) => /unauthori[sz]ed/i.test(e.message)), 'the unauthorized error');
    assert.deepEqual(error.items, ['Set Token']);

    // Choosing "Set Token" asks for a token and reconnects with it.
    prompter.errors.length = 0;
    prompter.error = (message) => (/unauthori[sz]ed/i.test(message) ? 'Set Token' : undefined);
    prompter.input = () => TOKEN;
    await vscode.commands.executeCommand('streamLiner.connect');
    await waitFor(() => api.connection.state === 'connected', 'reconnection after Set Token', 30000);
  });

  test('an insecure URL is refused before any socket opens', async () => {
    await vscode.commands.executeCommand('streamLiner.disconnect');
    const attempts = sim.stats.upgradeAttempts;
    await config().update('url', 'ws://stream-liner.example.com', vscode.ConfigurationTarget.Global);
    try {
      prompter.errors.length = 0;
      assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), false);
      assert.equal(prompter.errors.length, 1, JSON.stringify(prompter.errors));
      assert.match(prompter.errors[0].message, /ws:|wss:|insecure|loopback/i);
      assert.equal(api.connection.state, 'disconnected');
      assert.equal(sim.stats.upgradeAttempts, attempts);
    } finally {
      await config().update('url', sim.url, vscode.ConfigurationTarget.Global);
    }
  });

  test('Clear Token confirms in a modal; connecting without a token asks for one first', async () => {
    prompter.warning = () => 'Remove Token';
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.clearToken'), true);
    assert.equal(prompter.warnings.at(-1)?.options.modal, true);
    const asked = prompter.inputs.length;
    prompter.input = () => undefined; // the user cancels the token box
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), false);
    assert.equal(prompter.inputs.length, asked + 1, 'the token box was shown');
    assert.equal(prompter.inputs.at(-1)?.password, true);
    assert.equal(api.connection.state, 'disconnected');

    prompter.input = () => TOKEN;
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true, 'token asked for, stored, then connected');
  });

  test('Disconnect closes every socket; the token is in no file, no log and no message', async function () {
    this.timeout(120000);
    assert.equal(api.connection.state, 'connected');
    await vscode.commands.executeCommand('streamLiner.disconnect');
    assert.equal(api.connection.state, 'disconnected');
    assert.equal(api.contextKeys()['streamLiner.connectionState'], 'disconnected');
    await waitFor(() => sim.clientCount() === 0, 'the simulator to see every socket closed');

    const userData = dirname(ancestorNamed(api.paths.globalStorage, 'User') ?? dirname(dirname(api.paths.globalStorage)));
    const logsRoot = ancestorNamed(api.paths.logs, 'logs') ?? dirname(dirname(dirname(api.paths.logs)));
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'a workspace folder is open');
    // The log channel writes to disk asynchronously: wait until our lines are there, so the search sees them.
    const logFiles = await waitFor(() => {
      const files = filesContaining([api.paths.logs, logsRoot], ['Disconnected (disconnect)']);
      return files.length > 0 ? files : undefined;
    }, 'the Stream Liner log file on disk', 20000);
    assert.ok(logFiles.length > 0);
    assert.ok(allFiles(userData).length > 0, `no files under ${userData}`);

    const roots = [userData, logsRoot, api.paths.logs, workspace];
    if (api.paths.workspaceStorage) roots.push(api.paths.workspaceStorage);
    assert.deepEqual(filesContaining(roots, [TOKEN, WRONG_TOKEN]), [], 'files containing a token');
    for (const text of prompter.shownTexts()) {
      assert.ok(!text.includes(TOKEN) && !text.includes(WRONG_TOKEN), `token shown to the user: ${text}`);
    }
    const settingsText = JSON.stringify(config());
    assert.ok(!settingsText.includes(TOKEN));
  });

  test('Start Demo: calls from all three feeds, user token and url untouched, disconnect stops the simulator', async function () {
    this.timeout(180000);
    const urlBefore = config().inspect<string>('url');
    // The simulator is its own bundle, required when the first demo starts, never at activation.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID}`);
    const simulatorBundle = join(extension.extensionPath, 'dist', 'simulator.js');
    assert.equal(require.cache[simulatorBundle], undefined, 'dist/simulator.js loaded before any demo started');
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.startDemo'), true, JSON.stringify(prompter.errors));
    assert.ok(require.cache[simulatorBundle], 'the demo runs the simulator from dist/simulator.js');
    assert.equal(api.connection.isDemo, true);
    const demo = api.connection.demoSimulator;
    assert.ok(demo, 'demo simulator address');
    assert.match(demo.url, /^ws:\/\/127\.0\.0\.1:\d+/);
    assert.notEqual(demo.port, sim.port);
    assert.equal(api.connection.state, 'connected');
    assert.match(api.statusBarTooltip() + api.statusBarText(), /Demo/);

    await waitFor(() => {
      const feeds = new Set<string>();
      for (const call of [...api.store.activeCalls(), ...api.store.endedCalls()]) for (const e of call.timeline) feeds.add(e.feed);
      return feeds.has('calls') && feeds.has('queues') && feeds.has('agents');
    }, 'documents from the calls, queues and agents feeds', 150000);

    assert.deepEqual(config().inspect<string>('url'), urlBefore, 'streamLiner.url unchanged');
    await vscode.commands.executeCommand('streamLiner.disconnect');
    assert.equal(api.connection.isDemo, false);
    assert.equal(api.connection.demoSimulator, undefined);
    assert.equal(await portClosed(demo.port), true, `demo port ${demo.port} still open`);

    // The stored token is still the user's: the test simulator (which only knows TOKEN) accepts it.
    assert.equal(await vscode.commands.executeCommand<boolean>('streamLiner.connect'), true);
    assert.equal(api.connection.state, 'connected');
    await vscode.commands.executeCommand('streamLiner.disconnect');
  });
});
