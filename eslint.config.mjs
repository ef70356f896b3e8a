// Flat ESLint config: typescript-eslint's recommended rules for host, webview and tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' };

/**
 * One layer's `no-restricted-imports` block. `temporaryExceptions` get the same rule without the layer patterns
 * (only the vscode ban), so the exception is visible and removable in one place.
 */
function layer(files, patterns, { allowVscode = false, temporaryExceptions = [] } = {}) {
  const paths = allowVscode ? [] : [NO_VSCODE];
  const blocks = [{ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } }];
  if (temporaryExceptions.length) blocks.push({ files: temporaryExceptions, rules: { 'no-restricted-imports': ['error', { paths }] } });
  return blocks;
}

export default tseslint.config(
  // src/core/scan/*.as.ts is AssemblyScript (the frame scanner's WebAssembly source), which is not TypeScript.
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'src/core/scan/*.as.ts',
    // Files with forbidden imports on purpose: test/unit/layers.test.ts lints them under their mirrored paths.
    'test/fixtures/layers/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  // ---- Layers (docs/architecture.md): who may import whom. Relative specifiers are matched, so each pattern
  // names the folders a file of that layer must not reach. Tests may import anything.
  ...layer(['src/shared/**/*.ts'], [
    { regex: '^\\.\\./', message: 'src/shared/ imports nothing of the project (host and webview both load it).' },
  ]),
  ...layer(['webview/**/*.ts'], [
    { regex: '^\\.\\./(?!src/shared/)', message: 'webview/ may import only src/shared/ (move what both sides need there).' },
  ]),
  ...layer(['src/core/**/*.ts'], [
    { regex: '^(\\.\\./)+(feed|simulator|vscode|app|extension)(/|$)', message: 'src/core/ may import only src/core/ and src/shared/.' },
    { regex: '^(\\.\\./){2,}webview(/|$)', message: 'src/core/ may import only src/core/ and src/shared/.' },
  ]),
  ...layer(['src/feed/**/*.ts', 'src/simulator/**/*.ts'], [
    // The feed's caller hands it the sanitiser it applies to a server's text (FeedConnectionOptions.cleanText).
    { regex: '^\\.\\./(?!core/(types|clock)$)', message: 'src/feed/ and src/simulator/ may import only their own folder, src/core/types.ts and src/core/clock.ts.' },
  ]),
  ...layer(['src/app/**/*.ts'], [
    { regex: '^(\\.\\./)+(vscode|extension)(/|$)', message: 'src/app/ is the application layer without VS Code: no src/vscode/, no src/extension.ts.' },
  ]),
  ...layer(['src/vscode/**/*.ts', 'src/extension.ts'], [
    { regex: '^(\\.\\./)*(\\./)?simulator(/|$)', message: 'Only src/app/ and tests import src/simulator/; the extension loads dist/simulator.js when a demo starts (src/app/simulatorLoader.ts).' },
  ], { allowVscode: true }),
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
  },
);
