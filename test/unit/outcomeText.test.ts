// The one display text of an outcome (tree, quick picks, timeline); the export keeps its own words.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeText } from '../../src/core/outcomeText';

test('outcome texts: the kind, or the reason in words', () => {
  assert.equal(outcomeText({ kind: 'answered' }), 'answered');
  assert.equal(outcomeText({ kind: 'abandoned' }), 'abandoned');
  assert.equal(outcomeText({ kind: 'voicemail' }), 'voicemail');
  assert.equal(outcomeText({ kind: 'other', reason: 'no_answer' }), 'no answer');
  assert.equal(outcomeText({ kind: 'other', reason: ' _ ' }), 'ended');
  assert.equal(outcomeText(undefined), undefined);
});
