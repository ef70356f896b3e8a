// Settings: sanitising reads, store options, and which changes restart the connection.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSettingsChange, readSettings, storeOptionsFrom, type ConfigReader, type StreamLinerSettings } from '../../src/vscode/settings';

function reader(values: Record<string, unknown>): ConfigReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
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
    { ...base, url: 'wss://other.example' },
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
    { restartConnection: false, updateStore: false, updateAlerts: false, updateGroupBy: false });
});
