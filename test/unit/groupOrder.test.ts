// One group order for the store and the tree: by name case-insensitively, then key; the catch-all group last.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareGroups, noGroupLabel } from '../../src/core/groupOrder';
import { NO_GROUP_KEY } from '../../src/core/model';

test('groups: by name ignoring case, equal names by key, the catch-all group last', () => {
  const groups = [
    { key: NO_GROUP_KEY, label: noGroupLabel('queue') }, { key: 'q3', label: 'support' }, { key: 'q2', label: 'Sales' },
    { key: 'q1', label: 'Support' }, { key: 'q0', label: 'billing' },
  ];
  assert.deepEqual(groups.sort(compareGroups).map((g) => g.key), ['q0', 'q2', 'q1', 'q3', NO_GROUP_KEY]);
  assert.equal(noGroupLabel('queue'), 'In IVR / no queue');
  assert.equal(noGroupLabel('agent'), 'No agent yet');
});
