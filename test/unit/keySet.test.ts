import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeySet, addKeys, anyKeyIn } from '../../src/core/keySet';

/** Everything a reader of a StoreChange can ask, so KeySet and a Set can be compared in one assertion. */
function observe(s: ReadonlySet<string>, probes: readonly string[]): unknown {
  const each: string[] = [];
  s.forEach((v, k, set) => {
    assert.equal(v, k);
    assert.equal(set, s);
    each.push(v);
  });
  return { size: s.size, iterated: [...s], values: [...s.values()], keys: [...s.keys()], entries: [...s.entries()], each, has: probes.map((p) => s.has(p)) };
}

test('KeySet answers like a Set for none, one and many keys, in insertion order, ignoring repeats', () => {
  const probes = ['a', 'b', 'c', 'd', ''];
  for (const keys of [[], ['a'], ['a', 'a'], ['b', 'a'], ['a', 'b', 'a', 'c', 'b'], ['', 'a'], ['d', 'c', 'b', 'a', 'd']]) {
    const k = new KeySet();
    const s = new Set<string>();
    for (const key of keys) {
      assert.equal(k.add(key), k);
      s.add(key);
      assert.deepEqual(observe(k, probes), observe(s, probes), `after adding ${JSON.stringify(key)} of ${JSON.stringify(keys)}`);
    }
    assert.deepEqual(observe(k, probes), observe(s, probes), JSON.stringify(keys));
  }
});

test('KeySet holds thousands of keys (a sweep ending many calls in one change)', () => {
  const k = new KeySet();
  for (let i = 0; i < 5000; i++) k.add(`call-${i % 2500}`);
  assert.equal(k.size, 2500);
  assert.equal(k.has('call-2499'), true);
  assert.equal(k.has('call-2500'), false);
  assert.deepEqual([...k].slice(0, 3), ['call-0', 'call-1', 'call-2']);
});

test('addKeys adds every key of a KeySet (none, one, two, many) or of any set to a target, keeping what it had', () => {
  for (const keys of [[], ['a'], ['a', 'b'], ['b', 'a', 'c', 'd']]) {
    const k = new KeySet();
    for (const key of keys) k.add(key);
    const target = new Set(['z', 'a']);
    addKeys(target, k);
    assert.deepEqual([...target].sort(), [...new Set(['z', 'a', ...keys])].sort(), JSON.stringify(keys));
  }
  const target = new Set<string>();
  addKeys(target, new Set(['x', 'y']));
  assert.deepEqual([...target], ['x', 'y']);
});

test('anyKeyIn: whether another set or map has one of the keys (none, one, two, many keys)', () => {
  const other = new Map([['b', 1]]);
  const cases: Array<[string[], boolean]> = [[[], false], [['a'], false], [['b'], true], [['a', 'b'], true], [['a', 'c'], false], [['a', 'c', 'd', 'b'], true], [['a', 'c', 'd'], false]];
  for (const [keys, expected] of cases) {
    const k = new KeySet();
    for (const key of keys) k.add(key);
    assert.equal(anyKeyIn(k, other), expected, JSON.stringify(keys));
    assert.equal(anyKeyIn(new Set(keys), other), expected, `Set ${JSON.stringify(keys)}`);
  }
});
