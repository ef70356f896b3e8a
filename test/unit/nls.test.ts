// What package.json shows a user (names, titles, descriptions, welcome text, setting descriptions) is a %key% whose
// English text is in package.nls.json, so a translation is one file per language; no key is missing or left unused.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(readFileSync(join(REPO, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

/** Fields whose text VS Code shows to users, wherever they appear in package.json. */
const SHOWN = new Set(['displayName', 'description', 'markdownDescription', 'title', 'shortTitle', 'category', 'name', 'contents',
  'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage']);
/** Fields of those names that are not text for users. */
const NOT_SHOWN = new Set(['$.name', '$.repository.url']);

/** Every shown string of package.json with its JSON path. */
function shownStrings(value: unknown, path = '$', field = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return SHOWN.has(field) && !NOT_SHOWN.has(path) ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => shownStrings(v, `${path}[${i}]`, field));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => shownStrings(v, `${path}.${k}`, k));
  }
  return [];
}

const KEY = /^%([^%]+)%$/;

describe('package.nls.json', () => {
  const shown = shownStrings(pkg);

  it('finds the shown strings (the walk is not empty)', () => {
    assert.ok(shown.length >= 30, `only ${shown.length} shown strings found`);
    assert.ok(shown.some((s) => s.path === '$.contributes.commands[0].title'));
  });

  it('every shown string of package.json is a %key%', () => {
    assert.deepEqual(shown.filter((s) => !KEY.test(s.text)).map((s) => `${s.path}: ${s.text}`), []);
  });

  it('every %key% has an English text, and every text is used', () => {
    const used = new Set(shown.map((s) => KEY.exec(s.text)?.[1]).filter((k): k is string => k !== undefined));
    assert.deepEqual([...used].filter((k) => typeof nls[k] !== 'string' || (nls[k] as string).trim() === ''), [], 'keys without a text');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'texts no key uses');
  });
});
