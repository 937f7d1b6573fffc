// Lint rules, above all the boundaries between the parts of fenjie: the dialect engine
// (server/src/engine) knows nothing of LSP, VS Code or the file system; only the
// adapters (the language server, the CLI) and the client do.
import tseslint from 'typescript-eslint';

const notInEngine = [
  { group: ['vscode', 'vscode-*', 'vscode-languageserver*', 'vscode-languageclient*'], message: 'The dialect engine must not depend on LSP or VS Code: adapt it in server/src/lsp instead.' },
  { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http'], message: 'The dialect engine reads no files by itself: take an EngineHost.' },
  { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'The engine does not import its adapters.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: notInEngine }] },
  },
  {
    files: ['server/bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
