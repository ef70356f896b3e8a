// The timeline's pure view model: phases in journey order with proportional widths, summary, entry
// descriptions and changed fields, and the snapshot-then-delta message stream.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildEntries, buildPhases, buildSummary, entryJson, timelineTitle, TimelineSession, TimelineSync,
} from '../../src/core/timelineView';
import type { CallRecord } from '../../src/core/model';
import type { HostToWebviewMessage, PhaseSegment } from '../../src/shared/messages';
import { FakeClock } from '../support/fakeClock';
import {
  bigCall, CALL_ID, callsOnlyTransferCall, endedTransferCall, EXPECTED_PHASES, ingest, liveTransferCall, NUMBER, recordFrom, T0,
  transferCallArrivals,
} from '../webview/fixtures';
import { decodeFrame } from '../../src/core/decoder';

const at = (sec: number): number => T0 + sec * 1000;

describe('buildPhases', () => {
  test('segments follow the journey: IVR, queue, rings, talk, hold, transfer queue, talk, end', () => {
    const phases = buildPhases(endedTransferCall());
    assert.deepEqual(
      phases.map((p) => ({ kind: p.kind, label: p.label, seconds: p.seconds })),
      [...EXPECTED_PHASES, { kind: 'ended', label: 'answered', seconds: 0 }],
    );
    const starts = phases.map((p) => p.startedAt ?? -1);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'start times only move forward');
    assert.equal(phases.some((p) => p.ongoing), false, 'nothing is ongoing once the call ended');
  });

  test('widths are proportional to the durations and fill the bar', () => {
    const phases = buildPhases(endedTransferCall()).filter((p) => p.kind !== 'ended');
    const total = EXPECTED_PHASES.reduce((sum, p) => sum + p.seconds, 0);
    assert.equal(total, 191);
    phases.forEach((p, i) => {
      assert.ok(Math.abs(p.share - EXPECTED_PHASES[i].seconds / total) < 1e-9, `${p.kind} ${p.label}: ${p.share}`);
    });
    assert.ok(Math.abs(phases.reduce((sum, p) => sum + p.share, 0) - 1) < 1e-9);
    // Talk (50 s) is five times the first ring (10 s).
    assert.ok(Math.abs(phases[5].share / phases[2].share - 5) < 1e-9);
  });

  test('a live call ends in an ongoing phase that runs to now', () => {
    const phases = buildPhases(liveTransferCall(9), () => at(80));
    const last = phases[phases.length - 1];
    assert.deepEqual({ kind: last.kind, label: last.label, seconds: last.seconds, ongoing: last.ongoing }, { kind: 'talk', label: 'Ben', seconds: 30, ongoing: true });
    assert.deepEqual(phases.map((p) => p.kind), ['ivr', 'queue', 'ring', 'queue', 'ring', 'talk']);
    assert.equal(phases.filter((p) => p.ongoing).length, 1);
  });

  test('with only the calls feed, times and cooked durations give the same journey order', () => {
    const phases = buildPhases(callsOnlyTransferCall());
    assert.deepEqual(
      phases.map((p) => `${p.kind}:${p.label}:${p.seconds}`),
      ['ivr:Main menu:12', 'queue:Support:20', 'ring:Ben:18', 'talk:Ben:60', 'queue:Billing:15', 'ring:Cara:6', 'talk:Cara:50', 'hold:Cara:10', 'ended:answered:0'],
    );
  });

  test('an outgoing call dials before the customer answers; a bare call is "connecting"', () => {
    const out = recordFrom('out-1', [
      { feed: 'calls', at: at(0), doc: { id_call: 'out-1', active: 1, call_direction: 'outgoing', time: { start: T0 }, customer_target: { number: '+4612' } } },
    ]);
    assert.deepEqual(buildPhases(out, () => at(7)).map((p) => [p.kind, p.label, p.seconds]), [['dial', '+4612', 7]]);
    const bare = recordFrom('in-1', [
      { feed: 'calls', at: at(0), doc: { id_call: 'in-1', active: 1, time: { start: T0 } } },
    ]);
    assert.deepEqual(buildPhases(bare, () => at(3)).map((p) => p.kind), ['other']);
  });

  test('never throws on documents with missing or mistyped fields', () => {
    const odd = recordFrom('odd', [
      { feed: 'calls', at: at(0), doc: { id_call: 'odd', active: 1, time: { start: T0 }, ivr_first: 'x' as never, duration: 5 as never, queue_first: { timestart: 'soon' } as never } },
      { feed: 'agents', at: at(1), doc: { id_call: 'odd', active: 1, time: { start: T0 + 500 }, agent: null as never, duration: 'long' as never } },
    ]);
    const phases = buildPhases(odd, () => at(4));
    assert.ok(phases.length > 0);
    assert.ok(buildSummary(odd, phases).durations);
    assert.equal(buildEntries(odd).length, 2);
  });

  test('the phases of the ended transfer call, each with its seconds', () => {
    const text = (p: PhaseSegment) => (p.kind === 'ended' ? p.label : `${p.kind} ${p.label} ${p.seconds} s${p.ongoing ? ' so far' : ''}`);
    assert.equal(
      buildPhases(endedTransferCall()).map(text).join(', '),
      'ivr Main menu 12 s, queue Support 18 s, ring Anna 10 s, queue Support 2 s, ring Ben 8 s, talk Ben 50 s, hold Ben 10 s, queue Billing 15 s, ring Cara 6 s, talk Cara 60 s, answered',
    );
  });
});

describe('buildSummary', () => {
  test('header facts of the ended transfer call come from the calls feed', () => {
    const summary = buildSummary(endedTransferCall());
    assert.equal(summary.customerNumber, NUMBER);
    assert.equal(summary.direction, 'incoming');
    assert.equal(summary.state, 'ended');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.firstQueue, 'Support');
    assert.equal(summary.lastQueue, 'Billing');
    assert.equal(summary.firstAgent, 'Ben');
    assert.equal(summary.lastAgent, 'Cara');
    assert.equal(summary.transfers, 1);
    assert.deepEqual(summary.durations, { queue: 35, ring: 24, talk: 120, hold: 10, wait: 59, total: 191 });
  });

  test('a live call without cooked durations gets them from its phases', () => {
    const summary = buildSummary(liveTransferCall(9), buildPhases(liveTransferCall(9), () => at(80)));
    assert.equal(summary.state, 'talking');
    assert.equal(summary.currentAgent, 'Ben');
    assert.deepEqual(summary.durations, { queue: 20, ring: 18, talk: 30, hold: undefined, wait: 38, total: 80 });
  });
});

describe('buildEntries', () => {
  test('every document from all three feeds, in arrival order, with what happened', () => {
    const entries = buildEntries(endedTransferCall());
    assert.equal(entries.length, transferCallArrivals().length);
    assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i));
    assert.deepEqual(new Set(entries.map((e) => e.feed)), new Set(['calls', 'queues', 'agents']));
    assert.deepEqual(entries.map((e) => `${e.feed}: ${e.description}`), [
      'calls: call started (incoming)',
      'calls: entered queue Support',
      'queues: entered queue Support',
      'agents: agent Anna ringing',
      'agents: agent Anna did not answer: no_answer',
      'agents: agent Ben ringing',
      'agents: agent Ben answered',
      'queues: agent Ben Berg answered in queue Support',
      'calls: agent Ben answered',
      'agents: agent Ben finished: transfer',
      'queues: left queue Support: answered',
      'queues: entered queue Billing',
      'calls: entered queue Billing',
      'agents: agent Cara ringing',
      'agents: agent Cara answered',
      'calls: agent Cara answered',
      'agents: agent Cara finished: agent_hangup',
      'queues: left queue Billing: answered',
      'calls: ended: hangup (answered)',
    ]);
  });

  test('changed lists the fields that differ from the previous document for the same key', () => {
    const entries = buildEntries(endedTransferCall());
    assert.equal(entries[0].first, true);
    assert.ok(entries[0].changed.includes('id_call'), 'a first document changes every field');
    assert.deepEqual(entries[6].changed.sort(), ['answered', 'time.answered']);
    assert.equal(entries[6].first, false);
    assert.ok(entries[1].changed.includes('queue_last.name'));
    assert.ok(!entries[1].changed.includes('id_call'));
  });

  test('entries travel without their documents (an expanded row asks for its own)', () => {
    const record = endedTransferCall();
    const entries = buildEntries(record);
    assert.equal(entries.length, record.timeline.length);
    for (const e of entries) {
      assert.deepEqual(Object.keys(e).sort(), ['changed', 'description', 'feed', 'first', 'key', 'late', 'receivedAt', 'seq']);
    }
    // The snapshot is row text only: far smaller than the documents it describes.
    const documents = record.timeline.reduce((n, t) => n + JSON.stringify(t.document).length, 0);
    assert.ok(JSON.stringify(entries).length < documents, 'entries are smaller than their documents');
  });

  test('afterSeq returns only the newer entries; late documents say so', () => {
    const record = endedTransferCall();
    assert.deepEqual(buildEntries(record, 16).map((e) => e.seq), [17, 18]);
    const late = { ...record, timeline: [...record.timeline, { ...record.timeline[1], document: record.timeline[1].document, changed: record.timeline[1].changed, seq: 19, late: true }] };
    assert.equal(buildEntries(late, 18)[0].description, 'late: entered queue Support');
  });

  test('entryJson pretty-prints one document, and nothing for a dropped seq', () => {
    const record = endedTransferCall();
    assert.equal(entryJson(record, 2), JSON.stringify(record.timeline[2].document, null, 2));
    assert.equal(entryJson(record, 99), undefined);
    assert.equal(entryJson(undefined, 0), undefined);
  });
});

describe('TimelineSync', () => {
  const entriesOf = (m: HostToWebviewMessage | undefined): number[] =>
    m && (m.type === 'snapshot' || m.type === 'update') ? m.entries.map((e) => e.seq) : [];

  test('a snapshot, then updates carrying only the new entries', () => {
    const sync = new TimelineSync(CALL_ID, () => at(60));
    const first = sync.snapshot(liveTransferCall(5));
    assert.equal(first.type, 'snapshot');
    assert.deepEqual(entriesOf(first), [0, 1, 2, 3, 4]);
    const next = sync.update(liveTransferCall(9));
    assert.equal(next?.type, 'update');
    assert.deepEqual(entriesOf(next), [5, 6, 7, 8]);
    assert.equal(next?.type === 'update' && next.summary.currentAgent, 'Ben');
    const same = sync.update(liveTransferCall(9));
    assert.deepEqual(entriesOf(same), [], 'no entry is sent twice');
  });

  test('missing once, then a snapshot when the call shows up again', () => {
    const sync = new TimelineSync(CALL_ID);
    assert.deepEqual(sync.snapshot(undefined), { type: 'missing', callId: CALL_ID });
    assert.equal(sync.update(undefined), undefined);
    const back = sync.update(endedTransferCall());
    assert.equal(back?.type, 'snapshot');
    assert.deepEqual(sync.update(undefined), { type: 'missing', callId: CALL_ID });
  });

  test('after forget() (webview reloaded) the next message is a full snapshot', () => {
    const sync = new TimelineSync(CALL_ID);
    sync.snapshot(liveTransferCall(5));
    sync.forget();
    const again = sync.update(liveTransferCall(6));
    assert.equal(again?.type, 'snapshot');
    assert.deepEqual(entriesOf(again), [0, 1, 2, 3, 4, 5]);
  });

  test('entries the cap dropped after they were sent are named in removed', () => {
    const sync = new TimelineSync('big-1');
    sync.snapshot(bigCall(4));
    const capped = bigCall(6, 4);
    assert.deepEqual(capped.timeline.map((e) => e.seq), [0, 3, 4, 5]);
    const m = sync.update(capped);
    assert.equal(m?.type, 'update');
    if (m?.type !== 'update') return;
    assert.deepEqual(m.entries.map((e) => e.seq), [4, 5]);
    assert.deepEqual(m.removed, [1, 2]);
    assert.equal(m.dropped, 2);
  });
});

describe('TimelineSession', () => {
  function session(getCall: (id: string) => CallRecord | undefined) {
    const clock = new FakeClock();
    const posted: HostToWebviewMessage[] = [];
    const copied: Array<[string, number]> = [];
    const unavailable: number[] = [];
    const titles: string[] = [];
    const s = new TimelineSession({
      callId: CALL_ID, getCall, post: (m) => posted.push(m), copy: (text, seq) => copied.push([text, seq]),
      copyUnavailable: (seq) => unavailable.push(seq), setTitle: (t) => titles.push(t), coalesceMs: 200, scheduler: clock, now: () => T0 + 60_000,
    });
    return { s, clock, posted, copied, unavailable, titles };
  }

  test('nothing is posted before ready; ready gets a snapshot; unknown messages are ignored', () => {
    const { s, posted, clock } = session(() => liveTransferCall(5));
    s.changed();
    clock.advance(1000);
    s.receive({ type: 'hello' });
    s.receive(null);
    s.receive({ type: 'ready', callId: 'someone-else' });
    assert.equal(posted.length, 0);
    s.receive({ type: 'ready', callId: CALL_ID });
    assert.deepEqual(posted.map((m) => m.type), ['snapshot']);
    assert.equal(s.isReady, true);
  });

  test('store changes are coalesced into one update with only the new entries', () => {
    const arrivals = transferCallArrivals();
    const { store } = ingest(CALL_ID, arrivals.slice(0, 5));
    const { s, posted, clock } = session((id) => store.getCall(id));
    s.receive({ type: 'ready', callId: CALL_ID });
    for (const a of arrivals.slice(5, 9)) {
      const d = decodeFrame(JSON.stringify(a.doc), a.feed);
      assert.ok(d.ok);
      store.ingest(d.value, a.at);
      s.changed();
    }
    assert.equal(posted.length, 1, 'nothing yet: the batch window is open');
    clock.advance(200);
    assert.equal(posted.length, 2);
    const update = posted[1];
    assert.equal(update.type, 'update');
    assert.deepEqual(update.type === 'update' && update.entries.map((e) => e.seq), [5, 6, 7, 8]);
    clock.advance(5000);
    assert.equal(posted.length, 2, 'no change, no message');
  });

  test('hidden then ready again: a fresh snapshot, and no updates while hidden', () => {
    const { s, posted, clock } = session(() => liveTransferCall(9));
    s.receive({ type: 'ready', callId: CALL_ID });
    s.hidden();
    s.changed();
    clock.advance(1000);
    assert.deepEqual(posted.map((m) => m.type), ['snapshot']);
    s.receive({ type: 'ready' });
    assert.deepEqual(posted.map((m) => m.type), ['snapshot', 'snapshot']);
    assert.equal(posted[1].type === 'snapshot' && posted[1].entries.length, 9);
  });

  test('missing while the store lacks the call, then the call when it shows up', () => {
    const current: { record?: CallRecord } = {};
    const { s, posted, clock, titles } = session(() => current.record);
    s.receive({ type: 'ready', callId: CALL_ID });
    assert.deepEqual(posted, [{ type: 'missing', callId: CALL_ID }]);
    assert.equal(titles[titles.length - 1], `Call ${CALL_ID}`);
    current.record = endedTransferCall();
    s.changed();
    clock.advance(200);
    assert.equal(posted[1].type, 'snapshot');
    assert.equal(titles[titles.length - 1], `Call ${NUMBER}`);
  });

  test('copyJson hands the pretty JSON to the host clipboard; a dropped entry says so', () => {
    const record = endedTransferCall();
    const { s, copied, unavailable } = session(() => record);
    s.receive({ type: 'ready', callId: CALL_ID });
    s.receive({ type: 'copyJson', callId: CALL_ID, seq: 3 });
    s.receive({ type: 'copyJson', callId: 'other', seq: 3 });
    s.receive({ type: 'copyJson', callId: CALL_ID, seq: '3' });
    s.receive({ type: 'copyJson', callId: CALL_ID, seq: 77 });
    assert.deepEqual(copied, [[JSON.stringify(record.timeline[3].document, null, 2), 3]]);
    assert.deepEqual(unavailable, [77]);
  });

  test('showDocument answers with the pretty JSON of that entry, or without json when the cap dropped it', () => {
    const record = endedTransferCall();
    const { s, posted, copied } = session(() => record);
    s.receive({ type: 'ready', callId: CALL_ID });
    posted.length = 0;
    s.receive({ type: 'showDocument', callId: CALL_ID, seq: 4 });
    s.receive({ type: 'showDocument', callId: 'other', seq: 4 });
    s.receive({ type: 'showDocument', callId: CALL_ID, seq: '4' });
    s.receive({ type: 'showDocument', callId: CALL_ID, seq: 77 });
    assert.deepEqual(posted, [
      { type: 'document', callId: CALL_ID, seq: 4, json: JSON.stringify(record.timeline[4].document, null, 2) },
      { type: 'document', callId: CALL_ID, seq: 77 },
    ]);
    assert.deepEqual(copied, [], 'showing is not copying');
  });

  test('the title is the number, flattened and cut, or the call id', () => {
    assert.equal(timelineTitle(endedTransferCall(), CALL_ID), `Call ${NUMBER}`);
    assert.equal(timelineTitle(undefined, 'abc'), 'Call abc');
    assert.equal(timelineTitle({ ...endedTransferCall(), customerNumber: '+46\n<b>' + '9'.repeat(80) }, 'x').length <= 45, true);
  });
});
