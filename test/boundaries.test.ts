import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { ROOT } from './helpers.ts';

const eslint = new ESLint({ cwd: ROOT });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('the engine may not import LSP, VS Code, the file system or its adapters', async () => {
  for (const spec of ['vscode', 'vscode-languageserver/node', 'vscode-languageclient/node', 'node:fs', 'fs', '../cli/main.ts', '../lsp/server.ts']) {
    const msgs = await restricted('server/src/engine/probe.ts', `import * as x from '${spec}';\nexport const y = x;\n`);
    assert.equal(msgs.length, 1, `engine importing ${spec} must be refused`);
  }
});

test('the adapters may import them', async () => {
  assert.deepEqual(await restricted('server/src/cli/probe.ts', `import * as fs from 'node:fs';\nexport const y = fs;\n`), []);
});
