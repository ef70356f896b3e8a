import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallRecord, Counters } from '../../src/core/model';
import { alertMessage, callsOverThreshold, statusView, WaitAlertTracker, type StatusInput } from '../../src/core/statusModel';

const NOW = 1_800_000_000_000;
const counters: Counters = { active: 12, waiting: 3, ringing: 2, talking: 7, answeredToday: 40, missedToday: 10, totalToday: 50 };

function input(over: Partial<StatusInput> = {}): StatusInput {
  return { status: { state: 'connected', lastMessageAt: NOW - 2000 }, counters, filterActive: false, alertMs: 60_000, now: NOW, ...over };
}

function call(id: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    id, queueVisits: new Map(), agentOffers: new Map(), timeline: [], timelineDropped: 0, state: 'waiting',
    stateSince: NOW - 90_000, direction: 'incoming', internal: false, customerNumber: `+46${id}`, activeAgents: [],
    startedAt: NOW - 100_000, unconfirmed: false, lastDocumentAt: NOW, waitingSince: NOW - 90_000,
    currentQueue: { id: 'q1', name: 'Support' }, ...over,
  };
}

test('connected: icon and counters', () => {
  const v = statusView(input());
  assert.equal(v.text, '$(pass-filled)  $(call-incoming) 12 active · 3 waiting · 7 talking');
  assert.equal(v.background, undefined);
  assert.match(v.tooltip, /Connected/);
  assert.match(v.tooltip, /Today: 40 answered, 10 missed \(80 % answered\)/);
  assert.match(v.tooltip, /Last message: \d\d:\d\d:\d\d \(just now\)/);
  assert.match(v.tooltip, /Longest wait now: —/);
});

test('each connection state has its icon; reconnecting counts down and ticks', () => {
  assert.match(statusView(input({ status: { state: 'connecting' } })).text, /^\$\(sync~spin\) Connecting/);
  const r = statusView(input({ status: { state: 'reconnecting', feed: { nextAttemptAt: NOW + 12_000 } } }));
  assert.match(r.text, /^\$\(sync~spin\) Reconnecting, retry in 12 s/);
  assert.equal(r.ticking, true);
  const u = statusView(input({ status: { state: 'unauthorized' } }));
  assert.match(u.text, /^\$\(key\) Token refused/);
  assert.equal(u.background, 'error');
  assert.match(statusView(input({ status: { state: 'error', message: 'boom' } })).tooltip, /boom/);
  const d = statusView(input({ status: { state: 'disconnected' }, counters: { ...counters, active: 0, waiting: 0, talking: 0 } }));
  assert.equal(d.text, '$(debug-disconnect) Stream Liner');
  assert.equal(d.ticking, false);
});

test('filter mark, escaped filter text and demo mark in the tooltip', () => {
  const v = statusView(input({ filterActive: true, filterText: 'Agent: [x](command:y)', status: { state: 'connected', demo: true } }));
  assert.match(v.text, /\$\(filter\)$/);
  assert.ok(v.tooltip.includes('Demo (built-in simulator)'));
  assert.ok(!v.tooltip.includes('[x]('), v.tooltip);
});

test('the warning colour comes when a confirmed call waits past the threshold, not before, not when off', () => {
  assert.equal(statusView(input({ longestWait: { callId: '1', waitedMs: 59_000 } })).background, undefined);
  const over = statusView(input({ longestWait: { callId: '1', waitedMs: 61_000 } }));
  assert.equal(over.background, 'warning');
  assert.match(over.tooltip, /Longest wait now: 1:01/);
  assert.equal(statusView(input({ alertMs: 0, longestWait: { callId: '1', waitedMs: 600_000 } })).background, undefined);
  // A waiting call with alerts on keeps the tick so the colour turns on time.
  assert.equal(statusView(input({ longestWait: { callId: '1', waitedMs: 1000 } })).ticking, true);
  assert.equal(statusView(input({ alertMs: 0, longestWait: { callId: '1', waitedMs: 1000 } })).ticking, false);
});

test('calls over the threshold: confirmed, waiting or ringing, longest first', () => {
  const calls = [
    call('1', { waitingSince: NOW - 70_000 }),
    call('2', { waitingSince: NOW - 120_000, state: 'ringing' }),
    call('3', { waitingSince: NOW - 500_000, unconfirmed: true }),
    call('4', { state: 'talking', waitingSince: undefined }),
    call('5', { waitingSince: NOW - 10_000 }),
  ];
  assert.deepEqual(callsOverThreshold(calls, 60_000, NOW).map((c) => c.id), ['2', '1']);
  assert.deepEqual(callsOverThreshold(calls, 0, NOW), []);
});

test('the tracker alerts each call once and forgets ended calls', () => {
  const t = new WaitAlertTracker();
  const a = call('1');
  const b = call('2');
  assert.deepEqual(t.take([a], () => true).map((c) => c.id), ['1']);
  assert.deepEqual(t.take([a, b], () => true).map((c) => c.id), ['2']);
  assert.deepEqual(t.take([a, b], () => true), []);
  assert.equal(t.has('1'), true);
});

test('alert messages are plain text and cannot form links', () => {
  const one = alertMessage([call('1', { customerNumber: '[click](command:evil)' })], 60_000, NOW);
  assert.equal(one, 'Stream Liner: the call from (click)(command:evil) in Support has waited 1:30 (alert at 1:00).');
  const many = alertMessage([call('1'), call('2')], 60_000, NOW);
  assert.match(many, /^Stream Liner: 2 calls have waited longer than 1:00; the longest, from \+461 in Support, 1:30\.$/);
});
