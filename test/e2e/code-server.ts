/**
 * Helpers for the end-to-end tests in code-server.test.ts: start code-server (the VS Code OSS
 * workbench, installed by setup-code-server.sh) with the packaged extension, open it in
 * Debian's Chromium through playwright-core, and do what a user does there.
 *
 * Every wait has a deadline and says what did not appear; nothing sleeps a fixed time.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const run = promisify(execFile);

/** The install made by setup-code-server.sh (same environment variable, same default). */
export function codeServerInstall(): string {
  const cache = process.env['FENJIE_E2E_CACHE'] || path.join(os.homedir(), '.cache', 'fenjie-e2e');
  const dir = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  if (!fs.existsSync(path.join(dir, '.fenjie-e2e-complete'))) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${dir}: run \`bash test/e2e/setup-code-server.sh\` (or \`npm run test:e2e\`, which runs it).`);
  }
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeout` ms saying `what` did not happen. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeout = 15_000, interval = 100): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(2_000, () => req.destroy(new Error('no answer within 2 s')));
    req.on('error', reject);
  });
}

export interface CodeServer {
  url: string;
  process: ChildProcess;
  /** Everything code-server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerDirs {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own config file (without one it writes ~/.config/code-server/config.yaml). */
  configFile: string;
}

function codeServerEnv(configFile: string): NodeJS.ProcessEnv {
  return { ...process.env, CODE_SERVER_CONFIG: configFile };
}

export async function installExtension(dirs: CodeServerDirs, vsix: string): Promise<void> {
  await run(process.execPath, [dirs.entry, '--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', vsix], {
    env: codeServerEnv(dirs.configFile),
    timeout: 60_000,
  });
}

export async function startCodeServer(dirs: CodeServerDirs, folder: string): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    dirs.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    folder,
  ];
  const child = spawn(process.execPath, args, { env: codeServerEnv(dirs.configFile), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`code-server to answer HTTP on ${url}`, async () => {
    if (exited) throw new Error(`code-server exited:\n${output}`);
    const status = await httpStatus(`${url}/healthz`);
    return status === 200;
  }, 30_000, 100).catch((e: unknown) => {
    child.kill();
    throw new Error(`${(e as Error).message}\ncode-server output:\n${output}`);
  });
  return {
    url,
    process: child,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * The little of the DOM that the functions run in the page use (the project's type check
 * has no DOM library, and adding one would let browser globals into the server's code).
 */
interface DomElement {
  readonly style: { readonly top: string };
  readonly textContent: string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}
interface DomText {
  readonly data: string;
}
interface DomDocument {
  createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomText | null };
  createRange(): {
    setStart(node: DomText, offset: number): void;
    setEnd(node: DomText, offset: number): void;
    getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  };
}

/** What a user does in the workbench, with waits on what appears. */
export class Workbench {
  constructor(readonly page: Page) {}

  /** The active editor (the one with focus, or the last one focused). */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-uri$=".fj.md"]').first();
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    // The explorer shows the folder once the workbench has connected to the server.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  }

  /**
   * Runs a command from the command palette (F1) by its title as shown, e.g. 'fenjie: Export
   * as Word'. Unless `closes` is false (the command opens a quick input of its own), waits
   * for the palette to close.
   */
  async command(title: string, { closes = true } = {}): Promise<void> {
    await this.page.keyboard.press('F1');
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = widget.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error(`The command palette shows no command titled “${title}”`);
    });
    await row.click();
    if (closes) await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Quick Open (ctrl+p): opens a file by name. */
  async quickOpen(name: string): Promise<void> {
    await this.page.keyboard.press('Control+p');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(name);
    // The first search of the workspace starts the file search: allow for a slow machine.
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error(`Quick Open shows no file named ${name}`);
    });
    await input.press('Enter');
    await this.page.locator(`.editor-group-container.active .tab.active[aria-label^="${name}"]`).waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error(`No editor tab for ${name} became active`);
    });
  }

  /** Puts the cursor at a line and column (1-based) with Go to Line (ctrl+g). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+g');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitFor(`the cursor to be at Ln ${line}, Col ${column}`, async () => {
      const pos = await this.cursor();
      return pos.line === line && pos.column === column;
    }, 10_000);
  }

  async focusEditor(): Promise<void> {
    await this.editor.waitFor({ timeout: 10_000 });
    await this.editor.locator('textarea.inputarea, .native-edit-context').first().focus();
  }

  /** The cursor position as the status bar shows it (“Ln 41, Col 5”). */
  async cursor(): Promise<{ line: number; column: number }> {
    const text = await this.page.locator('#status\\.editor\\.selection').innerText({ timeout: 5_000 });
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    if (!m) throw new Error(`The status bar shows no cursor position: “${text}”`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  /**
   * The text of the visible lines of the active editor, by line number (1-based): each
   * `.view-line` is matched with the line number drawn at the same height. Needs word wrap
   * off (one view line per line), which the tests' settings ensure.
   */
  async visibleLines(): Promise<Map<number, string>> {
    const pairs = await this.editor.evaluate((editor: DomElement) => {
      const numbers = new Map<string, number>();
      for (const el of editor.querySelectorAll('.margin-view-overlays > div')) {
        const n = el.querySelector('.line-numbers');
        if (n) numbers.set(el.style.top, Number(n.textContent));
      }
      const out: [number, string][] = [];
      for (const el of editor.querySelectorAll('.view-lines > .view-line')) {
        const n = numbers.get(el.style.top);
        if (n !== undefined) out.push([n, (el.textContent ?? '').replace(/\u00a0/g, ' ')]);
      }
      return out;
    });
    return new Map(pairs);
  }

  /** The text of line `n` (1-based); it must be on screen (goTo it first). */
  async lineText(n: number): Promise<string> {
    return waitFor(`line ${n} to be rendered in the editor`, async () => (await this.visibleLines()).get(n), 5_000);
  }

  /** Line numbers (1-based) of the visible lines with a squiggle of this severity. */
  async squiggleLines(severity: 'error' | 'warning' | 'info' = 'error'): Promise<Set<number>> {
    const lines = await this.editor.evaluate((editor: DomElement, cls: string) => {
      const numbers = new Map<string, number>();
      for (const el of editor.querySelectorAll('.margin-view-overlays > div')) {
        const n = el.querySelector('.line-numbers');
        if (n) numbers.set(el.style.top, Number(n.textContent));
      }
      const out: number[] = [];
      for (const el of editor.querySelectorAll('.view-overlays > div')) {
        const n = numbers.get(el.style.top);
        if (n !== undefined && el.querySelector(`.${cls}`)) out.push(n);
      }
      return out;
    }, `squiggly-${severity}`);
    return new Set(lines);
  }

  /**
   * The screen box of `text` on line `line` (1-based, on screen): where to point the mouse.
   * Measured with a DOM Range over the rendered line's text nodes.
   */
  async textBox(line: number, text: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.editor.evaluate(
      (editor: DomElement, [line, text]: readonly [number, string]) => {
        const tops = new Map<number, string>();
        for (const el of editor.querySelectorAll('.margin-view-overlays > div')) {
          const n = el.querySelector('.line-numbers');
          if (n) tops.set(Number(n.textContent), el.style.top);
        }
        const top = tops.get(line);
        const view = [...editor.querySelectorAll('.view-lines > .view-line')].find((el) => el.style.top === top);
        if (!view) return undefined;
        const doc = (globalThis as unknown as { document: DomDocument }).document;
        const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
        const walker = doc.createTreeWalker(view, SHOW_TEXT);
        const nodes: DomText[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
        const whole = nodes.map((n) => n.data).join('');
        const at = whole.indexOf(text);
        if (at < 0) return undefined;
        // No helper functions in here: the test runner's transform would wrap them in a
        // __name() call that does not exist in the page.
        const range = doc.createRange();
        let passed = 0;
        let started = false;
        for (const n of nodes) {
          const end = passed + n.data.length;
          if (!started && at < end) {
            range.setStart(n, at - passed);
            started = true;
          }
          if (started && at + text.length <= end) {
            range.setEnd(n, at + text.length - passed);
            break;
          }
          passed = end;
        }
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      },
      [line, text] as const,
    );
    if (!box) throw new Error(`“${text}” is not on the rendered line ${line}`);
    return box;
  }

  /** The number of problems the Problems view counts (its badge in the panel's title). */
  async problemsViewCount(): Promise<number> {
    const badge = this.page.locator('.part.panel .composite-bar .action-item', { has: this.page.locator('.action-label[aria-label^="Problems"]') }).locator('.badge-content');
    if ((await badge.count()) === 0 || !(await badge.isVisible())) return 0;
    return Number((await badge.innerText()).trim());
  }

  /** The number of problems in the status bar's problems item (errors + warnings + infos). */
  async problemCount(): Promise<number> {
    const label = await this.page.locator('#status\\.problems a, #status\\.problems').first().getAttribute('aria-label', { timeout: 5_000 });
    if (!label) throw new Error('The status bar has no problems item');
    if (/No Problems/i.test(label)) return 0;
    const numbers = label.match(/\d+/g) ?? [];
    return numbers.reduce((sum, n) => sum + Number(n), 0);
  }

  async screenshot(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Finite CSS animations (the hover's fade-in) are run to their end first.
    await this.page.screenshot({ path: file, animations: 'disabled' });
  }

  /** Closes whatever floats over the editor (suggest widget, hover, quick input, find). */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  /** The frame of a webview's content (VS Code nests it: iframe.webview → iframe#active-frame). */
  async webviewFrame(has: string, timeout = 20_000): Promise<Frame> {
    return waitFor(`a webview frame holding ${has}`, async () => {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        try {
          if ((await frame.locator(has).count()) > 0) return frame;
        } catch {
          // A frame that is navigating or gone.
        }
      }
      return undefined;
    }, timeout, 200);
  }
}
