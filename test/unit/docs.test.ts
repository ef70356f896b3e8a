// The repository explains itself: every repository path that docs/*.md names in backticks exists (except those
// on the one "Not landed yet" line, which names what another change brings), and nothing in src/ points to notes
// outside the repository.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
const DOCS = join(REPO, 'docs');
/** A backticked repository path: a file or folder below one of these, or a config file at the root. */
const PATH = /^(?:(?:src|test|webview|docs|media|\.ci)\/[\w./-]*|[\w-]+(?:\.[\w-]+)*\.(?:mjs|json|md))$/;
const PENDING_LINE = /^> \*\*Not landed yet:\*\*/;

function backticked(line: string): string[] {
  return [...line.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]).filter((p) => PATH.test(p));
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('docs', () => {
  const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

  it('has the protocol and the architecture', () => {
    assert.deepEqual(['architecture.md', 'protocol.md'].filter((f) => !docs.includes(f)), []);
  });

  for (const doc of docs) {
    it(`${doc}: every repository path it names exists`, () => {
      const lines = readFileSync(join(DOCS, doc), 'utf8').split('\n');
      const pending = lines.filter((l) => PENDING_LINE.test(l)).flatMap(backticked);
      const named = lines.filter((l) => !PENDING_LINE.test(l)).flatMap(backticked);
      assert.ok(named.length > 0, `${doc} names no repository path`);
      const missing = named.filter((p) => !existsSync(join(REPO, p)) && !pending.some((q) => p.startsWith(q)));
      assert.deepEqual([...new Set(missing)], []);
    });
  }

  it('nothing in src/ points to notes outside the repository', () => {
    const outside = filesBelow(join(REPO, 'src')).filter((f) => /shared\/notes|playbook/i.test(readFileSync(f, 'utf8')));
    assert.deepEqual(outside.map((f) => f.slice(REPO.length + 1)), []);
  });
});
