/**
 * Runs the API suite (test/electron/suite/index.ts) inside a real VS Code with
 * @vscode/test-electron. Nothing is downloaded: FENJIE_VSCODE_PATH names an installed VS Code
 * executable (e.g. /usr/share/code/code, or …/Visual Studio Code.app/Contents/MacOS/Electron).
 *
 *   npm run build && FENJIE_VSCODE_PATH=/usr/share/code/code node --import tsx test/electron/run.ts
 *
 * The extension is the repository itself (package.json's main, out/extension.cjs); the
 * workspace is a temporary copy of examples/changchun-2020; VS Code's profile and extension
 * folders are temporary too. On Linux without a display, run it under xvfb-run.
 *
 * Exit codes: 0 the suite passed, 1 it failed, 2 it could not be started.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'changchun-2020');
const DOCUMENT = '通知.fj.md';

class SetupError extends Error {}

/** Bundles the suite into `dir`/index.js as CommonJS; `vscode` comes from the extension host. */
async function compileSuite(dir: string): Promise<string> {
  const outfile = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(ROOT, 'test', 'electron', 'suite', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    outfile,
  });
  return outfile;
}

/** What `fenjie check` reports for `file` itself (its 单位名录's problems belong to another URI), in document order. */
function expectedCodes(file: string): string[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'server', 'bin', 'fenjie.js'), 'check', file, '--format', 'json'], { cwd: path.dirname(file), encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new SetupError(`fenjie check exited ${r.status ?? r.signal}: ${r.stderr}`);
  const findings = JSON.parse(r.stdout) as Array<{ file: string; line: number; column: number; code: string }>;
  return findings
    .filter((f) => path.resolve(path.dirname(file), f.file) === file)
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((f) => f.code);
}

/** The VS Code executable from FENJIE_VSCODE_PATH, or why there is none. */
function vscodeExecutable(): string {
  const exe = process.env.FENJIE_VSCODE_PATH;
  if (!exe) throw new SetupError('FENJIE_VSCODE_PATH is not set: set it to an installed VS Code executable (nothing is downloaded).');
  if (!fs.existsSync(exe)) throw new SetupError(`FENJIE_VSCODE_PATH=${exe}: no such file. Set it to an installed VS Code executable (nothing is downloaded).`);
  if (!fs.statSync(exe).isFile()) throw new SetupError(`FENJIE_VSCODE_PATH=${exe} is not a file: it must name the VS Code executable itself.`);
  return exe;
}

async function main(): Promise<number> {
  for (const bundle of ['extension.cjs', 'server.cjs', 'cli.cjs']) {
    if (!fs.existsSync(path.join(ROOT, 'out', bundle))) throw new SetupError(`out/${bundle} is missing: run \`npm run build\` first.`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-electron-'));
  try {
    const suite = await compileSuite(path.join(tmp, 'suite'));
    console.log(`compiled the suite to ${suite}`);
    const exe = vscodeExecutable();
    const report = path.join(tmp, 'report.json');

    const workspace = path.join(tmp, 'workspace');
    fs.cpSync(EXAMPLE, workspace, { recursive: true });
    const document = path.join(workspace, DOCUMENT);
    const codes = expectedCodes(document);
    console.log(`fenjie check: ${codes.length} problems in ${DOCUMENT}`);

    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      console.warn('No DISPLAY: VS Code may not start; run this under xvfb-run.');
    }
    // Set when started from VS Code's own terminal; it would make the executable run as plain node.
    delete process.env.ELECTRON_RUN_AS_NODE;

    await runTests({
      vscodeExecutablePath: exe,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: {
        FENJIE_DOCUMENT: document,
        FENJIE_EXPECTED_DIAGNOSTICS: String(codes.length),
        FENJIE_EXPECTED_CODES: codes.join(','),
        FENJIE_SUITE_REPORT: report,
      },
      launchArgs: [
        workspace,
        // Other extensions stay out; the one under development (the repository) is loaded.
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(tmp, 'user-data')}`,
        `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ],
    });
    // A launcher that hands off to a running VS Code and exits 0 (Linux's /usr/bin/code script
    // does) would look like a pass: only the suite's own report proves that it ran.
    if (!fs.existsSync(report)) {
      throw new SetupError(`VS Code exited 0 but the suite did not run: is FENJIE_VSCODE_PATH=${exe} the VS Code executable itself (e.g. /usr/share/code/code), not a launcher script?`);
    }
    const { vscode, passed } = JSON.parse(fs.readFileSync(report, 'utf8')) as { vscode: string; passed: string[] };
    console.log(`the fenjie API suite passed in VS Code ${vscode}: ${passed.length} steps`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    if (e instanceof SetupError) {
      console.error(`test/electron/run.ts: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error('test/electron/run.ts: the API suite failed in VS Code:', e);
      process.exitCode = 1;
    }
  },
);
