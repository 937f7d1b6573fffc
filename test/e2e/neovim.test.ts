import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers.ts';

/*
 * Neovim as a second LSP client: `fenjie lsp --stdio` started by Neovim's own client
 * (test/e2e/nvim-client.lua, headless), on a copy of examples/changchun-2020. What Neovim
 * shows must be what `fenjie check` reports, and unit completion must work after an edit
 * made in the buffer.
 */

const EXAMPLE = path.join(ROOT, 'examples', 'changchun-2020');
const DOCUMENT = '通知.fj.md';
const SCRIPT = path.join(ROOT, 'test', 'e2e', 'nvim-client.lua');
const TIMEOUT_MS = 60_000;

const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const NVIM = version.error ? undefined : version.stdout.split('\n')[0];
const SKIP = NVIM ? false : 'nvim is not installed (CI installs Debian’s neovim; `apt-get install neovim` to run this here)';

interface CliFinding {
  file: string;
  line: number;
  column: number;
  code: string;
}

/** What `fenjie check --format json` reports for `file` (not for its 单位名录), in document order. */
function checkWithCli(file: string): CliFinding[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'server', 'bin', 'fenjie.js'), 'check', file, '--format', 'json'], { cwd: path.dirname(file), encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `fenjie check exited ${r.status}: ${r.stderr}`);
  const all = JSON.parse(r.stdout) as CliFinding[];
  return all
    .filter((f) => path.resolve(path.dirname(file), f.file) === file)
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** vim.json encodes an empty Lua table as {}: lists come back as arrays either way. */
const list = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : []);

test(`Neovim (${NVIM ?? 'not installed'}) as an LSP client: the CLI’s diagnostics, unit completion after an edit`, { skip: SKIP }, () => {
  for (const bundle of ['cli.cjs', 'server.cjs']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'out', bundle)), `out/${bundle} is missing: run \`npm run build\` first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-nvim-'));
  try {
    const workspace = path.join(dir, 'workspace');
    fs.cpSync(EXAMPLE, workspace, { recursive: true });
    const file = path.join(workspace, DOCUMENT);
    const result = path.join(dir, 'result.json');
    // Neovim's own files (lsp.log, shada) go to the temporary folder, not to $HOME.
    const xdg = path.join(dir, 'xdg');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
      cwd: workspace,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
      env: {
        ...process.env,
        FENJIE_REPO: ROOT,
        FENJIE_WORKSPACE: workspace,
        FENJIE_DOCUMENT: file,
        FENJIE_RESULT: result,
        FENJIE_TIMEOUT_MS: '20000',
        XDG_CONFIG_HOME: xdg,
        XDG_DATA_HOME: xdg,
        XDG_STATE_HOME: xdg,
        XDG_CACHE_HOME: xdg,
      },
    });
    const log = ['lsp.log', 'log'].map((f) => path.join(xdg, 'nvim', f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8'));
    const output = `stdout: ${r.stdout}\nstderr: ${r.stderr}\nNeovim's logs:\n${log.join('\n')}`;
    assert.ok(!r.error, `nvim did not finish within ${TIMEOUT_MS / 1000} s (${r.error?.message})\n${output}`);
    assert.equal(r.status, 0, `nvim exited ${r.status ?? r.signal}\n${output}`);
    assert.ok(fs.existsSync(result), `nvim exited 0 but wrote no result\n${output}`);

    const got = JSON.parse(fs.readFileSync(result, 'utf8')) as {
      diagnostics: { count: number; codes: unknown; lines: unknown };
      completion: { labels: unknown };
    };
    const expected = checkWithCli(file);
    // The example keeps its original's real problems: an empty list would prove nothing.
    assert.ok(expected.length > 0, 'the CLI finds problems in the example');
    assert.equal(got.diagnostics.count, expected.length, 'as many diagnostics in Neovim as the CLI reports');
    assert.deepEqual(list<string>(got.diagnostics.codes), expected.map((f) => f.code), 'the same codes, in document order');
    assert.deepEqual(list<number>(got.diagnostics.lines), expected.map((f) => f.line), 'on the same lines');

    const labels = list<string>(got.completion.labels);
    assert.ok(labels.includes('营商环境建设局'), `营商环境建设局 (from 单位名录.yaml) is offered after 牵头单位：; got: ${labels.join('、')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
