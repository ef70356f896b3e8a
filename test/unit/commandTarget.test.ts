// Commands get a typed target: a Calls tree node (told apart by its kind) or a call id. The tree rows' context
// values are one enum, and package.json's row menus match exactly the rows they are meant for.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NO_GROUP_KEY } from '../../src/core/model';
import { TreeContext } from '../../src/core/treeContext';
import { buildTree, describeNode, type CallNode, type TreeNode } from '../../src/core/treeModel';
import { commandTarget, isCatchAllGroup, targetCallId, targetGroup } from '../../src/vscode/commandTarget';
import { SUPPORT, T0, StoreHarness, asCalls, asQueue, callsDoc, queueDoc } from '../support/storeJourney';

function tree(): TreeNode[] {
  const h = new StoreHarness();
  h.at(T0, asCalls(callsDoc('q1')), asQueue(queueDoc('q1', SUPPORT, T0)));
  h.at(T0, asCalls(callsDoc('n1')));
  h.at(T0 + 1000, asCalls(callsDoc('e1', { active: 0, time: { start: T0, end: T0 + 1000 }, terminated_call_reason: 'hangup' })));
  const groups = buildTree(h.store, { mode: 'queue', now: T0 + 2000 });
  return groups.flatMap((g): TreeNode[] => [g, ...g.children]);
}

test('a call id or a tree node is a target; anything else is none', () => {
  const nodes = tree();
  const row = nodes.find((n): n is CallNode => n.kind === 'call' && n.call.id === 'q1')!;
  assert.equal(commandTarget(row), row);
  assert.equal(commandTarget('q1'), 'q1');
  assert.equal(commandTarget(''), undefined);
  assert.equal(commandTarget(42), '42');
  assert.equal(commandTarget({ callId: 'q1' }), undefined, 'no shape is guessed');
  assert.equal(commandTarget(undefined), undefined);
  assert.equal(targetCallId(row), 'q1');
  assert.equal(targetCallId('x'), 'x');
  assert.equal(targetGroup(row), undefined);
  const [support, none, ended] = nodes.filter((n) => n.kind === 'group');
  assert.deepEqual([targetGroup(support)?.key, targetGroup(none)?.key, targetGroup(ended)], [SUPPORT.id, NO_GROUP_KEY, undefined]);
  assert.equal(isCatchAllGroup(targetGroup(none)!), true);
  assert.equal(targetCallId(support), undefined);
});

test("package.json's row menus match the context values of the rows they are for", () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    contributes: { menus: { 'view/item/context': { command: string; when: string }[] } };
  };
  const all = [TreeContext.QueueGroup, TreeContext.AgentGroup, TreeContext.EndedGroup, TreeContext.More, TreeContext.ActiveCall, TreeContext.EndedCall];
  const calls = [TreeContext.ActiveCall, TreeContext.EndedCall];
  const expected: Record<string, string[]> = {
    'streamLiner.openTimeline': calls, 'streamLiner.copyCallJson': calls, 'streamLiner.exportCall': calls,
    'streamLiner.filter': [TreeContext.QueueGroup, TreeContext.AgentGroup, TreeContext.EndedGroup, ...calls],
  };
  for (const { command, when } of pkg.contributes.menus['view/item/context']) {
    const re = new RegExp(/viewItem =~ \/(.+)\/$/.exec(when)![1]);
    assert.deepEqual(all.filter((v) => re.test(v)).sort(), [...expected[command]].sort(), command);
  }
  const shown = new Set(tree().map((n) => describeNode(n, T0 + 2000).contextValue));
  assert.deepEqual([...shown].sort(), [TreeContext.QueueGroup, TreeContext.EndedGroup, TreeContext.ActiveCall, TreeContext.EndedCall].sort());
});
