// The journey generator: reproducible from a seed, realistic variety, and the playbook's cross-feed invariants
// on every moment of thousands of journeys.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentsDocument, CallsDocument, QueuesDocument } from '../../src/core/types';
import { generateFrames, JourneyGenerator, type SimJourney } from '../../src/simulator/generator';
import { mulberry32 } from '../../src/simulator/random';
import { checkJourneyFrames, momentsOf } from '../support/journeyInvariants';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

function journeys(seed: number, count: number, gapMs = 3000): SimJourney[] {
  const g = new JourneyGenerator({ seed });
  return Array.from({ length: count }, (_, i) => g.next(T0 + i * gapMs));
}

describe('simulator generator', () => {
  it('mulberry32 is a reproducible stream in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, mulberry32(43)));
  });

  it('the same seed gives the same journeys, another seed different ones, and Math.random is never used', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used by the generator');
    };
    try {
      assert.deepEqual(journeys(7, 200), journeys(7, 200));
      assert.notDeepEqual(journeys(7, 20).map((j) => j.idCall), journeys(8, 20).map((j) => j.idCall));
      assert.deepEqual(generateFrames(5, 100, T0), generateFrames(5, 100, T0));
    } finally {
      Math.random = original;
    }
  });

  it('every moment of 4000 journeys obeys the cross-feed invariants', () => {
    for (const seed of [1, 2, 3, 4]) {
      for (const j of journeys(seed, 1000)) {
        assert.equal(j.events[0].at, j.startAt);
        assert.equal(j.events.at(-1)!.at, j.endAt);
        assert.ok(j.events.every((e) => e.doc.id_call === j.idCall));
        checkJourneyFrames(j.events);
      }
    }
  });

  it('sends the four moments: start, each queue entry, each answer, end', () => {
    for (const j of journeys(11, 500)) {
      const moments = momentsOf(j.events);
      const last = moments.at(-1)!.calls;
      const expected = new Set<number>([j.startAt, j.endAt]);
      for (const q of last.queue_first ? moments.at(-1)!.queues : []) expected.add(q.queue!.timestart!);
      for (const a of moments.at(-1)!.agents) if (a.time.answered !== undefined) expected.add(a.time.answered);
      assert.deepEqual(moments.map((m) => m.at), [...expected].sort((a, b) => a - b), j.summary);
    }
  });

  it('covers the journeys the views must show', () => {
    const seen = new Map<string, number>();
    const count = (what: string, yes: boolean) => {
      if (yes) seen.set(what, (seen.get(what) ?? 0) + 1);
    };
    for (const j of journeys(21, 3000)) {
      const moments = momentsOf(j.events);
      const end = moments.at(-1)!;
      const c: CallsDocument = end.calls;
      const strategies = new Set(end.queues.map((q: QueuesDocument) => q.queue!.strategy));
      count('ivr + menu digit', c.ivr_first !== undefined && c.menu_digit !== undefined);
      count('two ivrs', c.ivr_list!.length === 2);
      count('no queue', c.queue_list!.length === 0 && c.call_direction === 'incoming');
      count('one queue', c.queue_list!.length === 1);
      count('two queues', c.queue_list!.length === 2);
      count('ringall', strategies.has('ringall'));
      count('rrmemory', strategies.has('rrmemory'));
      count('ringall answered', end.queues.some((q) => q.queue!.strategy === 'ringall' && q.agent_list_answer!.length > 0 && q.agent_list!.length > 1));
      count('answered', c.answered === 1);
      count('abandoned', c.terminated_call_reason === 'queue_leave_abandon' && c.queue_last?.fail_reason === 'queue_leave_abandon');
      count('voicemail', c.voicemail === 1 && c.answered === 0);
      count('blind transfer', c.transfer_first?.type === 'blind');
      count('attended transfer', c.transfer_last?.type === 'attended');
      count('two transfers', c.transfers! >= 2);
      count('transfer into a queue (waiting again after an answer)',
        moments.some((m) => m.calls.active === 1 && m.calls.answered === 1 && m.queues.at(-1)?.active === 1 && m.agents.every((a) => a.active === 0)));
      count('to/from transfer', c.agent_first?.to_transfer === 1 && c.agent_last?.from_transfer === 1);
      count('callback answered', c.on_hooked_calls!.answer_wait_request === 1 && end.agents.some((a: AgentsDocument) => a.on_hooked_calls === 1 && a.time.answered !== undefined));
      count('callback not answered', c.on_hooked_calls!.customer_no_answer === 1);
      count('no wait request', c.on_hooked_calls!.no_wait_request === 1);
      count('agent not answering', c.offered_and_not_answered! > 0);
      count('short ring not counted', end.agents.some((a) => a.time.answered === undefined && a.time.end! - a.time.start <= 1000));
      count('several agents offered', c.agent_list!.length >= 3);
      count('outgoing', c.call_direction === 'outgoing');
      count('outgoing dialling then answered', c.call_direction === 'outgoing' && c.answered === 1 && moments[0].agents.length === 0);
      count('internal', c.internal === 1);
      count('redirected', c.redirected!.total! > 0);
      count('recorded', c.recorded === 1);
      count('hold', c.duration!.hold! > 0);
      count('two devices', c.simultaneous_device_calls! >= 2);
      count('ended in ivr', c.ivr_first !== undefined && c.agent_list!.length === 0 && c.queue_list!.length === 0);
      count('ringing agent shown', moments.some((m) => m.agents.some((a) => a.active === 1 && a.time.answered === undefined)));
    }
    const expected = [
      'ivr + menu digit', 'two ivrs', 'no queue', 'one queue', 'two queues', 'ringall', 'rrmemory', 'ringall answered', 'answered', 'abandoned',
      'voicemail', 'blind transfer', 'attended transfer', 'two transfers', 'transfer into a queue (waiting again after an answer)',
      'to/from transfer', 'callback answered', 'callback not answered', 'no wait request', 'agent not answering',
      'short ring not counted', 'several agents offered', 'outgoing', 'outgoing dialling then answered', 'internal', 'redirected',
      'recorded', 'hold', 'two devices', 'ended in ivr', 'ringing agent shown',
    ];
    assert.deepEqual(expected.filter((k) => !seen.has(k)), [], JSON.stringify(Object.fromEntries(seen)));
  });

  it('uses realistic names and numbers: Swedish agents, named queues, 0046 numbers, agent time zones, split surnames', () => {
    const j = journeys(3, 300);
    const docs = j.flatMap((x) => x.events.map((e) => e.doc));
    const agents = docs.filter((d): d is AgentsDocument => 'agent' in d);
    assert.ok(agents.length > 0);
    for (const a of agents) {
      assert.match(a.agent!.name!, /^[A-ZÅÄÖ][a-zåäö]+ [A-ZÅÄÖ][a-zåäöé]+$/);
      assert.match(a.agent!.phone!, /^0046\d+$/);
      assert.match(a.agent!.time_zone!, /^Europe\//);
    }
    const queueNames = new Set(docs.flatMap((d) => ('queue' in d && d.queue ? [(d as QueuesDocument).queue!.name] : [])));
    assert.ok([...queueNames].every((n) => ['Support', 'Sales', 'Billing', 'Technical'].includes(n!)), [...queueNames].join());
    assert.ok(docs.every((d) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(d.id_call)));
  });

  it('generateFrames: interleaved journeys as pre-serialised frames in time order', () => {
    const frames = generateFrames(9, 300, T0);
    for (let i = 1; i < frames.length; i++) assert.ok(frames[i].at >= frames[i - 1].at);
    const byCall = new Map<string, Array<{ at: number; feed: 'calls' | 'queues' | 'agents'; doc: object }>>();
    let interleaved = false;
    let previous = '';
    const seenIds = new Set<string>();
    for (const f of frames) {
      const doc = JSON.parse(f.data) as CallsDocument;
      const list = byCall.get(doc.id_call) ?? [];
      list.push({ at: f.at, feed: f.feed, doc });
      byCall.set(doc.id_call, list);
      if (doc.id_call !== previous && seenIds.has(doc.id_call)) interleaved = true;
      seenIds.add(doc.id_call);
      previous = doc.id_call;
    }
    assert.equal(byCall.size, 300);
    assert.ok(interleaved, 'journeys overlap in time');
    for (const list of byCall.values()) checkJourneyFrames(list);
  });
});
