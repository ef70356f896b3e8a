// TokenStore: the token only goes to SecretStorage, and failures are told plainly without the token.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { Log, type LogChannel } from '../../src/vscode/log';
import { TOKEN_KEY, TokenStore, TokenStoreError } from '../../src/vscode/tokenStore';

function logWith(lines: string[]): Log {
  const push = (msg: string) => { lines.push(msg); };
  return new Log({ info: push, warn: push, error: push, debug: push, trace: push, dispose: () => undefined } as LogChannel);
}

function memorySecrets(fail?: Error): vscode.SecretStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (key: string) => { if (fail) throw fail; return map.get(key); },
    store: async (key: string, value: string) => { if (fail) throw fail; map.set(key, value); },
    delete: async (key: string) => { if (fail) throw fail; map.delete(key); },
    onDidChange: (() => ({ dispose() {} })) as unknown as vscode.Event<vscode.SecretStorageChangeEvent>,
  };
}

test('set/get/clear go through SecretStorage under one key, and the log never sees the token', async () => {
  const lines: string[] = [];
  const secrets = memorySecrets();
  const store = new TokenStore(secrets, logWith(lines));
  assert.equal(await store.get(), undefined);
  await store.set('abc-secret-123');
  assert.deepEqual([...secrets.map.entries()], [[TOKEN_KEY, 'abc-secret-123']]);
  assert.equal(await store.get(), 'abc-secret-123');
  assert.equal(await store.has(), true);
  await store.clear();
  assert.equal(await store.get(), undefined);
  assert.ok(lines.length >= 2);
  assert.ok(lines.every((l) => !l.includes('abc-secret-123')));
});

test('a failing SecretStorage is reported plainly, with the token scrubbed from the reason', async () => {
  const token = 'tok-leaky-987654';
  const store = new TokenStore(memorySecrets(new Error(`keyring locked while saving ${token}`)), logWith([]));
  await assert.rejects(store.set(token), (err: unknown) => {
    assert.ok(err instanceof TokenStoreError);
    assert.match(err.message, /^Stream Liner could not store the token in VS Code's secret storage: keyring locked/);
    assert.ok(!err.message.includes(token), err.message);
    return true;
  });
  await assert.rejects(store.get(), /could not read the token from VS Code's secret storage: keyring locked/);
});

test('missing SecretStorage: a plain error, nothing stored anywhere', async () => {
  const store = new TokenStore(undefined, logWith([]));
  await assert.rejects(store.set('whatever-token'), /^Error: Stream Liner could not store the token in VS Code's secret storage: secret storage is not available\.$|could not store the token in VS Code's secret storage: secret storage is not available/);
});
