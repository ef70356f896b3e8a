// visitStats: the queue visits of an ended call for today's per-queue figures, from every feed's view of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ABANDON_REASON, visitStats } from '../../src/core/derive';

const T = Date.UTC(2026, 11, 1, 9);
const S = 1000;
const support = (timestart: number, fail_reason?: string) => ({ id: '7', name: 'Support', timestart, fail_reason });

describe('visitStats', () => {
  it('a queue entered twice is two visits; the same entry seen by several feeds is one', () => {
    const first = support(T, ABANDON_REASON);
    const second = support(T + 60 * S);
    const stats = visitStats({
      // The queues feed saw both entries; the calls feed names them as queue_first / queue_last.
      visits: [
        { queueId: '7', queueName: 'Support', timestart: T, leftAt: T + 20 * S, queue: first },
        { queueId: '7', queueName: 'Support', timestart: T + 60 * S, queue: second },
      ],
      // An agent answered in the second entry (agents feed).
      offers: [{ queue: second, answeredAt: T + 75 * S }],
      call: { queue_first: first, queue_last: second, agent_first: undefined, agent_last: undefined, terminated_call_reason: 'hangup' },
    }, T + 300 * S);
    assert.deepEqual(stats, [
      { id: '7', name: 'Support', answered: false, abandoned: true, waitMs: 20 * S },
      { id: '7', name: 'Support', answered: true, abandoned: false, waitMs: 15 * S },
    ]);
  });

  it('a queue object without an id is named by its name, and one without either is no visit', () => {
    const stats = visitStats({
      visits: [],
      offers: [{ queue: { name: 'Billing', timestart: T }, answeredAt: T + 5 * S }, { queue: { timestart: T }, answeredAt: T }],
    }, T + 60 * S);
    assert.deepEqual(stats, [{ id: 'name:Billing', name: 'Billing', answered: true, abandoned: false, waitMs: 5 * S }]);
  });
});
