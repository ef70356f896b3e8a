// The export model (src/app/callExport.ts), outside VS Code: the stream-liner-call/1 document key for key and in
// order (the text is what users keep and tools read), the export's own outcome words, redaction and the file name.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCallExport, callAgents, callExportJson, callQueues, exportFileName } from '../../src/app/callExport';
import { ANNA, BO, SUPPORT, T0, StoreHarness, agentDoc, asAgent, asCalls, asQueue, callsDoc, queueDoc } from '../support/storeJourney';

const S = 1000;
const EXPORTED_AT = Date.UTC(2026, 2, 2, 12, 0, 0);

function endedCall(id = 'X1') {
  const h = new StoreHarness();
  const sup = { id: SUPPORT.id, name: SUPPORT.name, strategy: 'ringall', timestart: T0 };
  h.at(T0, asCalls(callsDoc(id, { queue_last: sup, agent_list: [ANNA.name, BO.name] })), asQueue(queueDoc(id, SUPPORT, T0)),
    asAgent(agentDoc(id, ANNA, T0, { queue: sup })));
  h.at(T0 + 10 * S, asCalls(callsDoc(id, { active: 0, time: { start: T0, end: T0 + 10 * S }, terminated_call_reason: 'no_answer' })));
  return h.store.getCall(id)!;
}

test('the export document: format, summary and timeline, key for key in this order', () => {
  const call = endedCall();
  const expected = {
    format: 'stream-liner-call/1',
    exportedAt: '2026-03-02T12:00:00.000Z',
    summary: {
      id: 'X1', customerNumber: '0046701234567', direction: 'incoming', internal: false, state: 'ended',
      outcome: 'ended: no_answer', unconfirmed: false, startedAt: T0, endedAt: T0 + 10 * S, currentQueue: 'Support',
      currentAgent: 'Anna Grill', queues: ['Support'], agents: ['Anna Grill'], timelineDropped: 0,
    },
    timeline: call.timeline.map((e) => ({ feed: e.feed, receivedAt: e.receivedAt, document: e.document })),
  };
  assert.equal(call.timeline.length, 4);
  assert.equal(JSON.stringify(buildCallExport(call, EXPORTED_AT), null, 2), JSON.stringify(expected, null, 2));
  assert.deepEqual([callQueues(call), callAgents(call)], [['Support'], ['Anna Grill']]);
});

test('the text is two-space JSON passed through the redactor; the file name keeps only safe characters', () => {
  const call = endedCall('a/b c:1');
  const text = callExportJson(call, (t) => t.replaceAll('0046701234567', '[redacted]'), EXPORTED_AT);
  assert.ok(text.startsWith('{\n  "format": "stream-liner-call/1",\n  "exportedAt": "2026-03-02T12:00:00.000Z",'), text.slice(0, 80));
  assert.ok(!text.includes('0046701234567') && text.includes('"customerNumber": "[redacted]"'));
  assert.equal(exportFileName(call), 'call-a_b_c_1.json');
});
