// TokenStore: the token only goes to SecretStorage, and failures are told plainly without the token.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { Log, type LogChannel } from '../../src/app/log';
import { LEGACY_TOKEN_KEY, TokenStore, TokenStoreError, tokenKey } from '../../src/vscode/tokenStore';

function logWith(lines: string[]): Log {
  const push = (msg: string) => { lines.push(msg); };
  return new Log({ info: push, warn: push, error: push, debug: push, trace: push, dispose: () => undefined } as LogChannel);
}

function memorySecrets(fail?: Error, initial: Record<string, string> = {}): vscode.SecretStorage & { map: Map<string, string> } {
  const map = new Map<string, string>(Object.entries(initial));
  return {
    map,
    get: async (key: string) => { if (fail) throw fail; return map.get(key); },
    store: async (key: string, value: string) => { if (fail) throw fail; map.set(key, value); },
    delete: async (key: string) => { if (fail) throw fail; map.delete(key); },
    onDidChange: (() => ({ dispose() {} })) as unknown as vscode.Event<vscode.SecretStorageChangeEvent>,
  };
}

const HOME = 'wss://statistics-webhook.telavox.se:443';
const OTHER = 'wss://statistics-webhook.telavox.se:8443';

test('set/get/clear go through SecretStorage under one key per origin, and the log never sees the token', async () => {
  const lines: string[] = [];
  const secrets = memorySecrets();
  const store = new TokenStore(secrets, logWith(lines));
  assert.equal(await store.get(HOME), undefined);
  await store.set(HOME, 'abc-secret-123');
  assert.deepEqual([...secrets.map.entries()], [[tokenKey(HOME), 'abc-secret-123']]);
  assert.equal(await store.get(HOME), 'abc-secret-123');
  assert.equal(await store.has(HOME), true);
  assert.equal(await store.get(OTHER), undefined, 'another port is another origin');
  await store.clear(HOME);
  assert.equal(await store.get(HOME), undefined);
  assert.ok(lines.length >= 2);
  assert.ok(lines.every((l) => !l.includes('abc-secret-123')));
});

test('Clear Token removes the current origin\'s token only', async () => {
  const secrets = memorySecrets();
  const store = new TokenStore(secrets, logWith([]));
  await store.set(HOME, 'home-token-1234');
  await store.set(OTHER, 'other-token-5678');
  await store.clear(OTHER);
  assert.equal(await store.get(OTHER), undefined);
  assert.equal(await store.get(HOME), 'home-token-1234');
  assert.deepEqual([...secrets.map.keys()], [tokenKey(HOME)]);
});

test('a token stored under the old single key moves once to the given origin, and to no other', async () => {
  const secrets = memorySecrets(undefined, { [LEGACY_TOKEN_KEY]: 'legacy-token-42' });
  const lines: string[] = [];
  const store = new TokenStore(secrets, logWith(lines), { legacyOrigin: HOME });
  assert.equal(await store.get(OTHER), undefined, 'not readable for another origin');
  assert.equal(await store.get(HOME), 'legacy-token-42');
  assert.deepEqual([...secrets.map.entries()], [[tokenKey(HOME), 'legacy-token-42']], 'legacy key deleted');
  assert.ok(lines.every((l) => !l.includes('legacy-token-42')));

  // A token already stored for the origin is newer: it wins, and the legacy key still goes.
  const both = memorySecrets(undefined, { [LEGACY_TOKEN_KEY]: 'old-token-1', [tokenKey(HOME)]: 'new-token-2' });
  assert.equal(await new TokenStore(both, logWith([]), { legacyOrigin: HOME }).get(HOME), 'new-token-2');
  assert.equal(both.map.has(LEGACY_TOKEN_KEY), false);

  // No origin (the user-level url is not a valid URL): the legacy token stays where it is, unused.
  const none = memorySecrets(undefined, { [LEGACY_TOKEN_KEY]: 'kept-token-3' });
  assert.equal(await new TokenStore(none, logWith([]), {}).get(HOME), undefined);
  assert.deepEqual([...none.map.entries()], [[LEGACY_TOKEN_KEY, 'kept-token-3']]);
});

test('a failing SecretStorage is reported plainly, with the token scrubbed from the reason', async () => {
  const token = 'tok-leaky-987654';
  const store = new TokenStore(memorySecrets(new Error(`keyring locked while saving ${token}`)), logWith([]));
  await assert.rejects(store.set(HOME, token), (err: unknown) => {
    assert.ok(err instanceof TokenStoreError);
    assert.match(err.message, /^Stream Liner could not store the token in VS Code's secret storage: keyring locked/);
    assert.ok(!err.message.includes(token), err.message);
    return true;
  });
  await assert.rejects(store.get(HOME), /could not read the token from VS Code's secret storage: keyring locked/);
});

test('missing SecretStorage: a plain error, nothing stored anywhere', async () => {
  const store = new TokenStore(undefined, logWith([]));
  await assert.rejects(store.set(HOME, 'whatever-token'), /^Error: Stream Liner could not store the token in VS Code's secret storage: secret storage is not available\.$|could not store the token in VS Code's secret storage: secret storage is not available/);
});
