// factsOf: the fields of a decoded document the store reads, in one fixed shape, per the feed's schema.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../src/core/decoder';
import { factsOf } from '../../src/core/facts';
import type { FeedName } from '../../src/core/types';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

function decoded(feed: FeedName, fields: Record<string, unknown>) {
  const r = decodeFrame(JSON.stringify({ id_call: 'c1', active: 1, time: { start: T0 }, ...fields }), feed);
  assert.ok(r.ok);
  return r.value.doc;
}

describe('facts: factsOf', () => {
  it('reads the normalised values of a calls document, and every key is present', () => {
    const facts = factsOf('calls', decoded('calls', {
      answered: true, voicemail: 0, call_direction: 'incoming', terminated_call_reason: 'hangup',
      time: { start: T0, end: T0 + 9000, answered: '1700000000000' }, customer_target: { number: 4670 },
      duration: { total: 9, ring: { first: 1 } }, queue_first: { id: 7, name: 'Sales', timestart: T0, strategy: 'x' },
      agent_last: { id: 'a1', name: 'Anna', surname: 'Berg', answered: T0 + 1000 }, ivr_last: { name: 'Main', timestamp: T0 },
      agent_list: ['Anna', 5], queue_list: ['Sales'], ivr_list: [], extra: { anything: 1 },
    }));
    assert.deepEqual(facts, {
      id_call: 'c1', active: 1, answered: 1, voicemail: 0, internal: undefined, call_direction: 'incoming',
      terminated_call_reason: 'hangup', time: { start: T0, end: T0 + 9000, answered: 1700000000000 },
      customer_number: '4670', duration_total: 9, queue: undefined,
      queue_first: { id: '7', name: 'Sales', timestart: T0, fail_reason: undefined }, queue_last: undefined, agent: undefined,
      agent_first: undefined, agent_last: { id: 'a1', name: 'Anna', surname: 'Berg', answered: T0 + 1000 },
      ivr_first: undefined, ivr_last: { name: 'Main', timestamp: T0 }, agent_list: ['Anna', '5'],
      agent_list_answer: undefined, agent_list_no_answer: undefined, queue_list: ['Sales'], ivr_list: [],
    });
    assert.deepEqual(Object.keys(facts), Object.keys(factsOf('agents', decoded('agents', {}))), 'one shape for every feed');
  });

  it('leaves out what the feed\'s schema does not know, even when the document has it', () => {
    const fields = {
      queue: { id: 'q1' }, agent: { id: 'a1' }, queue_first: { id: 'q2' }, agent_first: { id: 'a2' }, ivr_first: { name: 'i' },
      queue_list: ['x'], terminated_call_reason: 'r',
    };
    const calls = factsOf('calls', decoded('calls', fields));
    assert.equal(calls.queue, undefined);
    assert.equal(calls.agent, undefined);
    assert.equal(calls.queue_first?.id, 'q2');
    const queues = factsOf('queues', decoded('queues', fields));
    assert.equal(queues.queue?.id, 'q1');
    assert.equal(queues.agent_first?.id, 'a2');
    assert.deepEqual([queues.agent, queues.queue_first, queues.ivr_first, queues.queue_list, queues.terminated_call_reason], [undefined, undefined, undefined, undefined, undefined]);
    const agents = factsOf('agents', decoded('agents', fields));
    assert.equal(agents.agent?.id, 'a1');
    assert.equal(agents.queue?.id, 'q1');
    assert.deepEqual([agents.agent_first, agents.queue_first, agents.queue_list], [undefined, undefined, undefined]);
  });
});
