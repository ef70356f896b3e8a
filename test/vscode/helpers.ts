// Shared by the Stream Liner extension-host suites: the extension's API, a scripted Prompter, polling, and
// hand-made feed documents so store changes happen exactly when a test sends something.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { connect as netConnect } from 'node:net';
import * as vscode from 'vscode';
import { SimulatorServer } from '../../src/simulator/server';
import type { StreamLinerApi } from '../../src/vscode/api';
import type { Prompter } from '../../src/vscode/prompter';

export const EXTENSION_ID = 'streamliner.stream-liner';

export async function streamLinerApi(): Promise<StreamLinerApi> {
  const ext = vscode.extensions.getExtension<StreamLinerApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  assert.ok(api && typeof api.setPrompterForTests === 'function', 'activate() did not return the Stream Liner API');
  return api;
}

/**
 * A suite's start: the API with a fresh scripted Prompter, and a started simulator that accepts only `token`, set as
 * the user's streamLiner.url (a machine-scoped setting: never a workspace value). Set the token after this.
 */
export async function startWithSimulator(token: string): Promise<{ api: StreamLinerApi; prompter: ScriptedPrompter; sim: SimulatorServer }> {
  const api = await streamLinerApi();
  const prompter = new ScriptedPrompter();
  api.setPrompterForTests(prompter);
  const sim = new SimulatorServer({ token, host: '127.0.0.1', port: 0, autoplay: false });
  await sim.start();
  await config().update('url', sim.url, vscode.ConfigurationTarget.Global);
  return { api, prompter, sim };
}

type Answer<A extends unknown[], R> = (...args: A) => R | Promise<R>;

/** A Prompter whose answers each test scripts; every call is recorded. */
export class ScriptedPrompter implements Prompter {
  readonly inputs: vscode.InputBoxOptions[] = [];
  readonly picks: { items: readonly vscode.QuickPickItem[]; options?: vscode.QuickPickOptions }[] = [];
  readonly warnings: { message: string; options: vscode.MessageOptions; items: string[] }[] = [];
  readonly errors: { message: string; items: string[] }[] = [];
  readonly infos: string[] = [];
  readonly saves: vscode.SaveDialogOptions[] = [];

  input: Answer<[vscode.InputBoxOptions], string | undefined> = () => undefined;
  pick: Answer<[readonly vscode.QuickPickItem[], vscode.QuickPickOptions | undefined], vscode.QuickPickItem | undefined> = () => undefined;
  warning: Answer<[string, vscode.MessageOptions, string[]], string | undefined> = () => undefined;
  error: Answer<[string, string[]], string | undefined> = () => undefined;
  save: Answer<[vscode.SaveDialogOptions], vscode.Uri | undefined> = () => undefined;

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.inputs.push(options);
    return this.input(options);
  }

  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions): Promise<T | undefined> {
    this.picks.push({ items, options });
    return (await this.pick(items, options)) as T | undefined;
  }

  async showInformationMessage(message: string): Promise<string | undefined> {
    this.infos.push(message);
    return undefined;
  }

  async showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string | undefined> {
    this.warnings.push({ message, options, items });
    return this.warning(message, options, items);
  }

  async showErrorMessage(message: string, ...items: string[]): Promise<string | undefined> {
    this.errors.push({ message, items });
    return this.error(message, items);
  }

  async showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.saves.push(options);
    return this.save(options);
  }

  /** Every text the user was shown, for "the token is never shown" checks. */
  shownTexts(): string[] {
    return [...this.infos, ...this.warnings.map((w) => w.message), ...this.errors.map((e) => e.message)];
  }
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('streamLiner');
}

// ---- Leak search ----

function* walk(dir: string, depth = 0): Generator<string> {
  if (depth > 12) return;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path, depth + 1);
    else if (entry.isFile()) yield path;
  }
}

/** Files under the roots whose bytes contain any needle (files over 20 MB are skipped). */
export function filesContaining(roots: string[], needles: string[]): string[] {
  const hits: string[] = [];
  const buffers = needles.map((n) => Buffer.from(n, 'utf8'));
  for (const root of roots) {
    for (const file of walk(root)) {
      try {
        if (statSync(file).size > 20 * 1024 * 1024) continue;
        const data = readFileSync(file);
        if (buffers.some((b) => data.includes(b))) hits.push(file);
      } catch {
        // Vanished or unreadable (sockets, locks): nothing to leak there.
      }
    }
  }
  return hits;
}

export function allFiles(root: string): string[] {
  return [...walk(root)];
}

/** The first ancestor of `path` with the given base name. */
export function ancestorNamed(path: string, name: string): string | undefined {
  let dir = path;
  while (dir !== dirname(dir)) {
    if (basename(dir) === name) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

// ---- Hand-made feed documents ----

export interface CallSpec {
  id: string;
  number: string;
  queue?: string;
  agent?: string;
  direction?: 'incoming' | 'outgoing';
  active?: boolean;
  start?: number;
}

export function callsDoc(c: CallSpec): object {
  const start = c.start ?? Date.now() - 5000;
  const queue = c.queue ? { id: `q-${c.queue}`, name: c.queue, timestart: start + 500 } : undefined;
  const agent = c.agent ? { id: `a-${c.agent}`, name: c.agent } : undefined;
  return {
    id_call: c.id, active: c.active === false ? 0 : 1, answered: 0, call_direction: c.direction ?? 'incoming',
    time: c.active === false ? { start, end: Date.now() } : { start },
    customer_target: { number: c.number },
    ...(queue ? { queue_first: queue, queue_last: queue, queue_list: [c.queue] } : {}),
    ...(agent ? { agent_list: [c.agent], agent_first: agent, agent_last: agent } : {}),
    ...(c.active === false ? { terminated_call_reason: 'hangup' } : {}),
  };
}

export function queuesDoc(c: CallSpec): object {
  const start = c.start ?? Date.now() - 5000;
  return {
    id_call: c.id, active: 1, call_direction: c.direction ?? 'incoming', time: { start: start + 500 },
    customer_target: { number: c.number }, queue: { id: `q-${c.queue}`, name: c.queue, timestart: start + 500 },
  };
}

export function agentsDoc(c: CallSpec): object {
  const start = c.start ?? Date.now() - 5000;
  return {
    id_call: c.id, active: 1, call_direction: c.direction ?? 'incoming', time: { start: start + 1000 },
    customer_target: { number: c.number }, agent: { id: `a-${c.agent}`, name: c.agent },
    ...(c.queue ? { queue: { id: `q-${c.queue}`, name: c.queue, timestart: start + 500 } } : {}),
  };
}

/** Numbers shown in the status bar text, by the word that follows each (e.g. "3 active · 1 waiting"). */
export function statusNumbers(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/(\d+)\s+([a-z]+)/gi)) out[m[2].toLowerCase()] = Number(m[1]);
  return out;
}
