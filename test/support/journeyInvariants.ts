// Cross-feed invariants of the playbook, checked on the documents a simulated journey sends at one moment.
// Shared by the generator test and the store property test.
import * as assert from 'node:assert/strict';
import type { AgentsDocument, CallsDocument, FeedName, QueuesDocument } from '../../src/core/types';

export interface Moment {
  at: number;
  calls: CallsDocument;
  queues: QueuesDocument[];
  agents: AgentsDocument[];
}

type Frame = { at: number; feed: FeedName; doc: object };

/** Splits one journey's frames into its moments; each moment starts with exactly one calls document. */
export function momentsOf(frames: readonly Frame[]): Moment[] {
  const moments: Moment[] = [];
  for (const f of frames) {
    if (f.feed === 'calls') {
      moments.push({ at: f.at, calls: f.doc as CallsDocument, queues: [], agents: [] });
      continue;
    }
    const m = moments.at(-1);
    assert.ok(m && m.at === f.at, `a ${f.feed} document at ${f.at} without a calls document at the same moment`);
    if (f.feed === 'queues') m.queues.push(f.doc as QueuesDocument);
    else m.agents.push(f.doc as AgentsDocument);
  }
  return moments;
}

export const queueKey = (d: QueuesDocument): string => `${d.id_call}|${String(d.queue?.id)}|${String(d.queue?.timestart)}`;
export const agentKey = (d: AgentsDocument): string => `${d.id_call}|${String(d.agent?.id)}|${String(d.time.start)}`;

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  new Set(a).size === new Set(b).size && [...new Set(a)].every((x) => b.includes(x));

/** Invariants that must hold on every moment of every journey. */
export function checkMoment(m: Moment, final: boolean): void {
  const c = m.calls;
  const ctx = `call ${c.id_call} at ${m.at}`;
  const d = c.duration!;
  for (const doc of [...m.queues, ...m.agents]) assert.equal(doc.id_call, c.id_call, ctx);

  const qKeys = m.queues.map(queueKey);
  const aKeys = m.agents.map(agentKey);
  assert.equal(new Set(qKeys).size, qKeys.length, `${ctx}: duplicate queue visit key`);
  assert.equal(new Set(aKeys).size, aKeys.length, `${ctx}: duplicate agent offer key`);

  // queue_list equals the queue documents' names, in order.
  assert.deepEqual(c.queue_list, m.queues.map((q) => q.queue!.name), `${ctx}: queue_list`);
  if (m.queues.length > 0) {
    assert.equal(c.queue_first!.name, m.queues[0].queue!.name, ctx);
    assert.equal(c.queue_last!.timestart, m.queues.at(-1)!.queue!.timestart, ctx);
    // A queue's fail_reason is only known once the call has left that queue.
    for (const ref of [c.queue_first!, c.queue_last!]) {
      const visit = m.queues.find((q) => q.queue!.timestart === ref.timestart)!;
      if (visit.active === 1) assert.equal(ref.fail_reason, undefined, `${ctx}: fail_reason while still in the queue`);
    }
  } else {
    assert.equal(c.queue_first, undefined, ctx);
  }

  const answeredDocs = m.agents.filter((a) => a.time.answered !== undefined);
  const names = m.agents.map((a) => a.agent!.name!);
  // agent_list_answer equals the agents whose documents have time.answered; agent_list holds every offered agent.
  assert.ok(sameSet(c.agent_list_answer!, answeredDocs.map((a) => a.agent!.name!)), `${ctx}: agent_list_answer`);
  assert.ok(sameSet(c.agent_list!, names), `${ctx}: agent_list vs offered agents`);
  assert.equal(new Set(c.agent_list).size, c.agent_list!.length, `${ctx}: agent_list has duplicates`);
  for (const n of c.agent_list_no_answer!) assert.ok(!c.agent_list_answer!.includes(n) && names.includes(n), `${ctx}: no_answer ${n}`);
  assert.equal(c.offered_and_answered, answeredDocs.length, `${ctx}: offered_and_answered`);
  // offered_and_not_answered counts the ended, unanswered offers that rang for more than 1 s.
  const notAnswered = m.agents.filter((a) => a.time.answered === undefined && a.active === 0 && a.time.end! - a.time.start > 1000);
  assert.equal(c.offered_and_not_answered, notAnswered.length, `${ctx}: offered_and_not_answered`);
  assert.equal(c.answered, answeredDocs.length > 0 ? 1 : 0, `${ctx}: answered flag`);

  // Durations: wait_time = ring + queue; totals are the sums over the entity documents (ring-all rings add up).
  assert.equal(d.wait_time, d.ring!.total! + d.queue!.total!, `${ctx}: wait_time`);
  assert.equal(d.ring!.total, sum(m.agents.map((a) => a.duration!.ring!)), `${ctx}: ring total`);
  assert.equal(d.talk!.total, sum(m.agents.map((a) => a.duration!.talk!)), `${ctx}: talk total`);
  assert.equal(d.hold, sum(m.agents.map((a) => a.duration!.hold!)), `${ctx}: hold`);
  assert.equal(d.queue!.total, sum(m.queues.map((q) => q.duration!.queue!)), `${ctx}: queue total`);
  for (const q of m.queues) {
    const members = m.agents.filter((a) => a.on_hooked_calls === 0 && a.queue && String(a.queue.id) === String(q.queue!.id) && a.queue.timestart === q.queue!.timestart);
    // Ring-all: the visit's ring is the sum over every agent who rang, and all of them are listed.
    assert.equal(q.duration!.ring, sum(members.map((a) => a.duration!.ring!)), `${ctx}: queue ${q.queue!.name} ring`);
    assert.ok(sameSet(q.agent_list!, members.map((a) => a.agent!.name!)), `${ctx}: queue agent_list`);
    for (const ref of [q.agent_first, q.agent_last]) {
      if (ref) assert.ok(ref.surname && c.agent_list!.includes(`${ref.name} ${ref.surname}`), `${ctx}: queue agent ref surname split`);
    }
    assert.equal(typeof q.on_hooked_calls, 'object', ctx);
  }

  assert.equal(c.transfers! > 0, c.transfer_first !== undefined, `${ctx}: transfer_first iff transfers`);
  assert.equal(m.agents.length > 0, c.agent_first !== undefined, `${ctx}: agent_first iff offers`);
  assert.equal(c.ivr_list!.length > 0, c.ivr_first !== undefined, `${ctx}: ivr_first iff ivr_list`);
  if (c.ivr_first) assert.ok(c.ivr_list![0] === c.ivr_first.name && c.ivr_list!.at(-1) === c.ivr_last!.name, `${ctx}: ivr_list ends`);
  assert.equal(typeof c.on_hooked_calls, 'object', ctx);
  assert.match(c.customer_target!.number!, /^0046\d{7,}$/, ctx);
  for (const a of m.agents) {
    assert.ok(a.on_hooked_calls === 0 || a.on_hooked_calls === 1, `${ctx}: agents on_hooked_calls is 0/1`);
    assert.equal(typeof a.agent!.id, 'string', ctx);
    assert.ok(a.agent!.time_zone, ctx);
    if (a.active === 1) {
      assert.equal(a.time.end, undefined, ctx);
      assert.equal(a.transfer, c.transfers! > 0 ? 1 : 0, `${ctx}: agents transfer flag`);
    } else {
      assert.ok(a.time.end !== undefined && a.time.end <= m.at && a.agent_end_reason, `${ctx}: ended offer has time.end`);
    }
  }
  for (const q of m.queues) {
    if (q.active === 1) assert.equal(q.transfer, c.transfers! > 0 ? 1 : 0, `${ctx}: queues transfer flag`);
    else assert.ok(q.time.end !== undefined && q.time.end <= m.at, ctx);
  }
  if (c.call_direction === 'outgoing') {
    assert.equal(m.queues.length, 0, `${ctx}: outgoing calls have no queue`);
    if (c.active === 1 && c.answered === 0) assert.equal(m.agents.length, 0, `${ctx}: dialling out shows no ringing agent`);
  }

  if (final) {
    // active flips to 0 on every entity at the end.
    assert.equal(c.active, 0, ctx);
    assert.ok(c.time.end !== undefined && c.terminated_call_reason, ctx);
    assert.equal(d.total, Math.round((c.time.end - c.time.start) / 1000), ctx);
    for (const doc of [...m.queues, ...m.agents]) assert.equal(doc.active, 0, `${ctx}: entity still active at the end`);
  } else {
    assert.equal(c.active, 1, ctx);
    assert.equal(c.time.end, undefined, ctx);
  }
}

/** All moments of a journey, plus finality: a key's document with active 0 never changes afterwards. */
export function checkJourneyFrames(frames: readonly Frame[]): Moment[] {
  for (let i = 1; i < frames.length; i++) assert.ok(frames[i].at >= frames[i - 1].at, 'frames in time order');
  const moments = momentsOf(frames);
  assert.ok(moments.length >= 2, 'a journey has a start and an end');
  const finals = new Map<string, string>();
  moments.forEach((m, i) => {
    checkMoment(m, i === moments.length - 1);
    const keyed: Array<[string, { active: number }]> = [
      ...m.queues.map((q): [string, QueuesDocument] => [`q:${queueKey(q)}`, q]),
      ...m.agents.map((a): [string, AgentsDocument] => [`a:${agentKey(a)}`, a]),
    ];
    for (const [key, doc] of keyed) {
      const json = JSON.stringify(doc);
      const prior = finals.get(key);
      if (prior !== undefined) assert.equal(json, prior, `${key}: changed after it ended`);
      else if (doc.active === 0) finals.set(key, json);
    }
  });
  return moments;
}
