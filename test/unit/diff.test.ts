// sameJson: structural equality with key order ignored (the store's duplicate check for re-serialised documents).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffPaths, sameJson } from '../../src/core/diff';

describe('sameJson', () => {
  test('equal content in another key order is the same', () => {
    assert.equal(sameJson({ a: 1, b: { c: [1, 'x', null], d: true } }, { b: { d: true, c: [1, 'x', null] }, a: 1 }), true);
    assert.equal(sameJson([], []), true);
    assert.equal(sameJson({}, {}), true);
  });

  test('any difference at any depth is not', () => {
    assert.equal(sameJson({ a: 1 }, { a: 2 }), false);
    assert.equal(sameJson({ a: 1 }, { a: 1, b: 2 }), false, 'a key more');
    assert.equal(sameJson({ a: 1, b: 2 }, { a: 1 }), false, 'a key less');
    assert.equal(sameJson({ a: 1, b: undefined }, { a: 1, c: undefined }), false, 'same count, other key');
    assert.equal(sameJson({ a: { b: { c: 1 } } }, { a: { b: { c: '1' } } }), false, 'number vs string, deep');
    assert.equal(sameJson([1, 2], [2, 1]), false, 'array order counts');
    assert.equal(sameJson([1, 2], [1, 2, 3]), false);
    assert.equal(sameJson({ 0: 'x' }, ['x']), false, 'object vs array');
    assert.equal(sameJson(null, {}), false);
    assert.equal(sameJson({ a: null }, { a: {} }), false);
  });

  test('agrees with diffPaths: an empty diff exactly when the same', () => {
    const docs = [
      { id_call: '1', active: 1, time: { start: 5 } },
      { active: 1, time: { start: 5 }, id_call: '1' },
      { id_call: '1', active: 0, time: { start: 5, end: 9 } },
      { id_call: '1', active: 1, time: { start: 5 }, agent_list: ['A'] },
    ];
    for (const a of docs) for (const b of docs) assert.equal(sameJson(a, b), diffPaths(a, b).length === 0, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
});
