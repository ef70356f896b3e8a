// The layers of docs/architecture.md are enforced by eslint.config.mjs: each fixture under test/fixtures/layers/
// (left out of `npm run lint`) is linted as if it stood at its mirrored path, and must give exactly the
// forbidden imports as errors, while its allowed imports pass.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const REPO = resolve(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'layers');

/** Fixture (path below FIXTURES = the path it is linted at) and the import specifiers that must be reported. */
const CASES: { path: string; forbidden: string[] }[] = [
  { path: 'webview/importsCore.ts', forbidden: ['../src/core/format'] },
  { path: 'src/core/importsFeed.ts', forbidden: ['../feed/connection'] },
  { path: 'src/core/importsVscode.ts', forbidden: ['vscode', '../vscode/commands'] },
  { path: 'src/app/importsVscode.ts', forbidden: ['vscode', '../vscode/commands'] },
  { path: 'src/feed/importsStore.ts', forbidden: ['../core/store', '../shared/sanitize'] },
  { path: 'src/shared/importsCore.ts', forbidden: ['../core/types'] },
];

async function restrictedImports(eslint: ESLint, path: string): Promise<string[]> {
  const text = readFileSync(join(FIXTURES, path), 'utf8');
  const [result] = await eslint.lintText(text, { filePath: join(REPO, path) });
  const other = result.messages.filter((m) => m.ruleId !== 'no-restricted-imports');
  assert.deepEqual(other, [], `${path}: only layer errors expected`);
  const lines = text.split('\n');
  return result.messages.map((m) => /from '([^']+)'/.exec(lines[m.line - 1])?.[1] ?? `line ${m.line}`);
}

describe('layers enforced by lint', () => {
  const eslint = new ESLint({ cwd: REPO });
  for (const { path, forbidden } of CASES) {
    it(`${path}: reports exactly ${forbidden.join(', ')}`, async () => {
      assert.deepEqual(await restrictedImports(eslint, path), forbidden);
    });
  }

  it('the fixtures are left out of npm run lint', async () => {
    assert.equal(await eslint.isPathIgnored(join(FIXTURES, 'src/core/importsFeed.ts')), true);
  });

  it('the adapters and the wiring may not import the simulator (src/app/ loads it from dist/simulator.js)', async () => {
    for (const [path, specifier] of [['src/vscode/fixture.ts', '../simulator/server'], ['src/extension.ts', './simulator/server']]) {
      const [result] = await eslint.lintText(`import { SimulatorServer } from '${specifier}';\nexport const s = SimulatorServer;\n`, { filePath: join(REPO, path) });
      assert.deepEqual(result.messages.map((m) => m.ruleId), ['no-restricted-imports'], path);
    }
  });
});
