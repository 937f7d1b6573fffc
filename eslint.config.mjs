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
    // The language service speaks LSP's data types but holds no connection and reads no files.
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient*'], message: 'The language service takes LSP types from vscode-languageserver-types only; the connection is server/src/lsp.' },
            { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:child_process', 'child_process'], message: 'The language service reads no files: use its ServiceWorkspace.' },
            { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'The language service does not import its adapters.' },
          ],
        },
      ],
    },
  },
  {
    // The host module reads and writes files for the CLI and the server alike: it knows neither.
    files: ['server/src/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-*', 'vscode-languageserver*', 'vscode-languageclient*'], message: 'The host module is shared by the CLI and the server: no LSP or VS Code here.' },
            { group: ['**/lsp/**', '**/cli/**', '**/client/**', '**/service/**'], message: 'The host module does not import the parts that use it.' },
          ],
        },
      ],
    },
  },
  {
    // The client is thin: VS Code, the language client and the shared protocol only.
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/engine/**', '**/service/**', '**/lsp/**', '**/cli/**'], message: 'The client knows only VS Code, the language client and server/src/protocol.ts.' },
            { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'The client talks to the server through vscode-languageclient.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
