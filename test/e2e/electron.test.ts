import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers.ts';

/*
 * The VS Code API suite (test/electron/suite/index.ts) in a real VS Code through
 * @vscode/test-electron: diagnostics as the CLI reports them and unit completion, seen through
 * VS Code's own API. VS Code is not downloaded: FENJIE_VSCODE_PATH names an installed one;
 * without it the test is skipped, and says why.
 */

const VSCODE = process.env.FENJIE_VSCODE_PATH;
const NO_VSCODE = 'no VS Code here: set FENJIE_VSCODE_PATH to a VS Code executable to run the API suite';
const SKIP = !VSCODE ? NO_VSCODE : !fs.existsSync(VSCODE) ? `${NO_VSCODE} (FENJIE_VSCODE_PATH=${VSCODE} does not exist)` : undefined;
const TIMEOUT_MS = 5 * 60_000;

test('the VS Code API suite passes in VS Code (test/electron/run.ts)', (t) => {
  if (SKIP) {
    t.skip(SKIP);
    return;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('test', 'electron', 'run.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  assert.ok(!r.error, `test/electron/run.ts did not finish within ${TIMEOUT_MS / 60_000} min (${r.error?.message})\n${output}`);
  assert.equal(r.status, 0, `test/electron/run.ts exited ${r.status ?? r.signal}\n${output}`);
  for (const line of r.stdout.split('\n').filter((l) => /✔|passed|VS Code \d/.test(l))) t.diagnostic(line.trim());
});
