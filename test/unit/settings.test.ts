// Settings: sanitising reads, store options, and which changes restart the connection.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  BOOLEAN_SETTINGS, checkSettings, decideSettingsChange, MACHINE_SETTINGS, NUMBER_SETTINGS, readSettings, SettingProblemMemory, storeOptionsFrom, type ConfigReader, type StreamLinerSettings,
} from '../../src/app/settings';

/** `values` as the merged view VS Code's get() returns; `user` as the user's own (global) settings. */
function reader(values: Record<string, unknown>, user: Record<string, unknown> = values): ConfigReader {
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    inspect: <T>(key: string) => ({ globalValue: user[key] as T | undefined }),
  };
}

function problemsOf(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(checkSettings(reader(values)).problems.map((p) => [p.setting, p.message]));
}

const base: StreamLinerSettings = readSettings(reader({}));

test('defaults match package.json when nothing is set', () => {
  assert.equal(base.url, 'wss://statistics-webhook.telavox.se');
  assert.deepEqual(base.feeds, ['calls', 'queues', 'agents']);
  assert.equal(base.perMessageDeflate, false);
  assert.equal(base.groupBy, 'queue');
  assert.equal(base.autoConnect, false);
  assert.equal(base.endedKeepMinutes, 15);
  assert.equal(base.endedMax, 500);
  assert.equal(base.serviceLevelSeconds, 20);
  assert.equal(base.maxActiveHours, 4);
  assert.equal(base.alertWaitSeconds, 60);
  assert.equal(base.alertNotify, true);
  assert.equal(base.demoStartOnOpen, false);
});

test('bad hand-edited values fall back or are clamped, never throw', () => {
  const s = readSettings(reader({
    url: '  ', feeds: ['agents', 'bogus', 'calls'], groupBy: 'nonsense', 'endedCalls.keepMinutes': -5,
    'endedCalls.max': 'lots', serviceLevelSeconds: 99999, maxActiveHours: Number.NaN, perMessageDeflate: 'yes',
  }));
  assert.equal(s.url, 'wss://statistics-webhook.telavox.se');
  assert.deepEqual(s.feeds, ['calls', 'agents']);
  assert.equal(s.groupBy, 'queue');
  assert.equal(s.endedKeepMinutes, 0);
  assert.equal(s.endedMax, 500);
  assert.equal(s.serviceLevelSeconds, 3600);
  assert.equal(s.maxActiveHours, 4);
  assert.equal(s.perMessageDeflate, false);
  assert.deepEqual(readSettings(reader({ feeds: [] })).feeds, ['calls', 'queues', 'agents']);
  assert.equal(readSettings(reader({ url: ' ws://127.0.0.1:9/ ' })).url, 'ws://127.0.0.1:9/');
});

test('store options are converted to milliseconds', () => {
  const s = { ...base, endedKeepMinutes: 2, endedMax: 7, maxActiveHours: 0.5, serviceLevelSeconds: 30 };
  assert.deepEqual(storeOptionsFrom(s), {
    endedKeepMs: 120_000, endedMax: 7, maxActiveAgeMs: 1_800_000, serviceLevelSeconds: 30,
    maxActiveCalls: 20_000, callBytes: 2 * 1024 * 1024, storeBytes: 256 * 1024 * 1024,
  });
});

test('url, feeds and perMessageDeflate restart a live connection', () => {
  for (const next of [
    { ...base, url: `${base.url}/v2` },
    { ...base, feeds: ['calls' as const] },
    { ...base, perMessageDeflate: true },
  ]) {
    const d = decideSettingsChange(base, next, true);
    assert.equal(d.restartConnection, true, JSON.stringify(next));
    assert.equal(d.updateStore, false);
    assert.equal(decideSettingsChange(base, next, false).restartConnection, false, 'nothing to restart when not connected');
  }
});

test('the same feeds in another order do not restart', () => {
  const d = decideSettingsChange(base, { ...base, feeds: ['agents', 'queues', 'calls'] }, true);
  assert.equal(d.restartConnection, false);
});

test('retention, service level, alerts and groupBy update in place without a restart', () => {
  const cases: [Partial<StreamLinerSettings>, keyof ReturnType<typeof decideSettingsChange>][] = [
    [{ endedKeepMinutes: 30 }, 'updateStore'],
    [{ endedMax: 10 }, 'updateStore'],
    [{ serviceLevelSeconds: 45 }, 'updateStore'],
    [{ maxActiveHours: 8 }, 'updateStore'],
    [{ alertWaitSeconds: 10 }, 'updateAlerts'],
    [{ alertNotify: false }, 'updateAlerts'],
    [{ groupBy: 'agent' }, 'updateGroupBy'],
  ];
  for (const [change, flag] of cases) {
    const d = decideSettingsChange(base, { ...base, ...change }, true);
    assert.equal(d.restartConnection, false, JSON.stringify(change));
    assert.equal(d[flag], true, JSON.stringify(change));
    const others = (['updateStore', 'updateAlerts', 'updateGroupBy'] as const).filter((k) => k !== flag);
    for (const k of others) assert.equal(d[k], false, `${k} for ${JSON.stringify(change)}`);
  }
});

test('an unrelated change (autoConnect) needs nothing', () => {
  assert.deepEqual(decideSettingsChange(base, { ...base, autoConnect: true }, true),
    { restartConnection: false, stopConnection: false, updateStore: false, updateAlerts: false, updateGroupBy: false });
});

test('url and autoConnect come from the user settings only: a workspace or folder value is never read', () => {
  const workspace = { url: 'wss://attacker.example', autoConnect: true };
  const s = readSettings(reader(workspace, {}));
  assert.equal(s.url, 'wss://statistics-webhook.telavox.se');
  assert.equal(s.autoConnect, false);
  const user = readSettings(reader(workspace, { url: 'ws://127.0.0.1:9', autoConnect: true }));
  assert.equal(user.url, 'ws://127.0.0.1:9');
  assert.equal(user.autoConnect, true);
  // Other settings keep their usual (merged) value.
  assert.deepEqual(readSettings(reader({ feeds: ['calls'], url: 'wss://attacker.example' }, {})).feeds, ['calls']);
});

test('a url change to another origin stops a live connection; a path change on the same origin restarts it', () => {
  const home = { ...base, url: 'wss://feeds.example' };
  for (const url of ['wss://feeds.example:8443', 'ws://feeds.example', 'wss://evil.example', 'wss://feeds.example.evil.example', 'not a url']) {
    const d = decideSettingsChange(home, { ...home, url }, true);
    assert.equal(d.stopConnection, true, url);
    assert.equal(d.restartConnection, false, url);
    assert.equal(decideSettingsChange(home, { ...home, url }, false).stopConnection, false, `${url}: nothing live to stop`);
  }
  for (const url of ['wss://feeds.example:443', 'wss://FEEDS.example/v2', 'wss://feeds.example/?x=1']) {
    const d = decideSettingsChange(home, { ...home, url }, true);
    assert.equal(d.stopConnection, false, url);
    assert.equal(d.restartConnection, true, url);
  }
});

test('each bad value is a problem naming its setting; good values are none', () => {
  assert.deepEqual(checkSettings(reader({})).problems, []);
  assert.deepEqual(checkSettings(reader({ feeds: ['queues'], 'endedCalls.max': 20, maxActiveHours: 0.5, url: 'ws://127.0.0.1:1' })).problems, []);
  const p = problemsOf({
    feeds: [], url: '', 'endedCalls.max': 2.5, serviceLevelSeconds: 99999, 'alerts.waitSeconds': 'x', groupBy: 'x', perMessageDeflate: 'yes',
  });
  assert.match(p['streamLiner.feeds'], /empty; all three feeds/);
  assert.match(p['streamLiner.url'], /empty; the default wss:\/\/statistics-webhook\.telavox\.se/);
  assert.match(p['streamLiner.endedCalls.max'], /whole number; 3 is used/);
  assert.match(p['streamLiner.serviceLevelSeconds'], /outside 1 to 3600; 3600 is used/);
  assert.match(p['streamLiner.alerts.waitSeconds'], /not a number; the default 60/);
  assert.match(p['streamLiner.groupBy'], /"queue" or "agent"/);
  assert.match(p['streamLiner.perMessageDeflate'], /true or false/);
  assert.match(problemsOf({ feeds: ['bogus'] })['streamLiner.feeds'], /no known feed/);
  assert.match(problemsOf({ feeds: 'calls' })['streamLiner.feeds'], /must be a list/);
  assert.match(problemsOf({ feeds: ['calls', 'bogus'] })['streamLiner.feeds'], /only calls are used/);
  assert.match(problemsOf({ url: 'https://x.example' })['streamLiner.url'], /must start with wss:\/\//);
  assert.match(problemsOf({ url: 'not a url' })['streamLiner.url'], /not a valid URL/);
  assert.equal(problemsOf({ maxActiveHours: 0.25 })['streamLiner.maxActiveHours'], undefined, 'hours keep their fractions');
  assert.equal(problemsOf({ 'endedCalls.keepMinutes': 1.5 })['streamLiner.endedCalls.keepMinutes'] !== undefined, true);
  // A text value from a workspace is never echoed into a notification.
  const hostile = '[Open](command:workbench.action.terminal.new)';
  assert.ok(!Object.values(problemsOf({ feeds: [hostile], groupBy: hostile, url: hostile })).some((m) => m.includes('command:')));
});

test('each distinct bad value is told once, not on every configuration change', () => {
  const memory = new SettingProblemMemory();
  const told = (values: Record<string, unknown>) => memory.fresh(checkSettings(reader(values)).problems).map((p) => p.setting);
  assert.deepEqual(told({ feeds: [] }), ['streamLiner.feeds']);
  assert.deepEqual(told({ feeds: [] }), [], 'same value again');
  assert.deepEqual(told({ feeds: [], groupBy: 'agent' }), [], 'an unrelated change');
  assert.deepEqual(told({ feeds: ['bogus'] }), ['streamLiner.feeds'], 'another bad value');
  assert.deepEqual(told({ feeds: ['bogus'], 'endedCalls.max': -1 }), ['streamLiner.endedCalls.max']);
  assert.deepEqual(told({ feeds: [] }), [], 'a value told before');
});

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] }; virtualWorkspaces: boolean };
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number; scope?: string; minItems?: number }> } };
}

test('package.json declares what the reader enforces: machine scope, Restricted Mode, integer counts, ranges, defaults', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
  const props = manifest.contributes.configuration.properties;
  assert.deepEqual(MACHINE_SETTINGS, ['url', 'autoConnect']);
  for (const key of MACHINE_SETTINGS) assert.equal(props[`streamLiner.${key}`].scope, 'machine', key);
  assert.equal(props['streamLiner.demo.startOnOpen'].scope, 'resource', 'the demo stays workspace-scoped');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['streamLiner.url', 'streamLiner.autoConnect']);
  assert.equal(manifest.capabilities.virtualWorkspaces, true);
  assert.equal(props['streamLiner.feeds'].minItems, 1);
  for (const spec of NUMBER_SETTINGS) {
    const p = props[`streamLiner.${spec.key}`];
    assert.equal(p.type, spec.integer ? 'integer' : 'number', spec.key);
    assert.deepEqual([p.default, p.minimum, p.maximum], [spec.fallback, spec.min, spec.max], spec.key);
  }
  assert.equal(NUMBER_SETTINGS.find((s) => s.key === 'maxActiveHours')?.integer, false, 'hours keep their fractions');
  for (const spec of BOOLEAN_SETTINGS) assert.equal(props[`streamLiner.${spec.key}`].default, spec.fallback, spec.key);
});
