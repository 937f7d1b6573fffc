/**
 * End-to-end tests in a real VS Code: code-server (the VS Code OSS workbench 1.100, installed
 * by setup-code-server.sh) in Debian's headless Chromium, driven by playwright-core, with
 * fenjie installed from the .vsix that `npm run package` builds. Each test does what a user
 * does — keys, clicks, the command palette — and checks what appears on the screen, then
 * saves a screenshot to test-results/e2e/NN-<name>.png (also when it fails).
 *
 * Run with `npm run test:e2e` (installs code-server once, packages, runs these).
 *
 * Each test starts from the document as saved on disk (File: Revert File), so a failed test
 * leaves nothing behind for the next one. Only the rename saves (both files), and the later
 * tests do not depend on the unit's name.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { codeServerInstall, installExtension, launchBrowser, ROOT, run, startCodeServer, waitFor, Workbench, type CodeServer, type CodeServerDirs } from './code-server.ts';

const EXAMPLE = path.join(ROOT, 'examples', 'changchun-2020');
const DOC = '通知.fj.md';
const DIRECTORY = '单位名录.yaml';
const VSIX = path.join(ROOT, 'fenjie-0.1.0.vsix');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const CLI = path.join(ROOT, 'server', 'bin', 'fenjie.js');
/** Debian's Python, which has python3-docx (the `python3` on PATH may be another one). */
const PYTHON = '/usr/bin/python3';
const TEST_TIMEOUT = 120_000;
/** A subfolder of the export folder: when the save dialog lists it, the dialog has moved there. */
const EXPORT_MARKER = '较早的导出';

/** User settings: nothing that opens by itself or asks anything; one view line per line (for reading lines from the DOM). */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'editor.wordWrap': 'off',
  'editor.stickyScroll.enabled': false,
  'editor.minimap.enabled': false,
  'editor.unicodeHighlight.ambiguousCharacters': false,
  'editor.unicodeHighlight.invisibleCharacters': false,
};

let tmp: string;
let workspace: string;
let exportDir: string;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let wb: Workbench;

const docPath = (): string => path.join(workspace, DOC);
const directoryPath = (): string => path.join(workspace, DIRECTORY);

/** The problems `fenjie check --format json` reports for the document as saved on disk. */
async function cliProblems(): Promise<{ line: number; severity: string; code: string }[]> {
  // Exit code 1 means "found errors": execFile rejects, but stdout is there.
  const out = await run(process.execPath, [CLI, 'check', docPath(), '--format', 'json']).catch((e: { code?: number; stdout?: string }) => {
    if (e.code === 1 && e.stdout) return { stdout: e.stdout };
    throw e;
  });
  return JSON.parse(out.stdout) as { line: number; severity: string; code: string }[];
}

/** 1-based number of the first line of `text` containing `needle` (after line `from`). */
function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if ((lines[i] as string).includes(needle)) return i + 1;
  throw new Error(`No line contains “${needle}”`);
}

const readDoc = (): string => fs.readFileSync(docPath(), 'utf8');
const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** Every test starts with the document active, as saved on disk, and its problems shown. */
async function fromSavedDocument(): Promise<number> {
  await wb.dismiss();
  await wb.quickOpen(DOC);
  await wb.command('File: Revert File');
  const expected = (await cliProblems()).length;
  await waitFor(`the status bar to show ${expected} problems (as fenjie check reports) after reverting`, async () => (await wb.problemCount()) === expected, 30_000);
  return expected;
}

/** Runs `fn`, then saves the screenshot NN-name.png whether it passed or not. */
function scenario(nn: string, name: string, fn: () => Promise<void>): void {
  test(`${nn} ${name}`, { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(server && browser, 'code-server and the browser did not start (see the before hook)');
    try {
      await fn();
    } finally {
      await wb.screenshot(path.join(SHOTS, `${nn}-${name}.png`)).catch(() => undefined);
    }
  });
}

before(async () => {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first (\`npm run test:e2e\` does).`);
  const entry = codeServerInstall();
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-e2e-'));
  workspace = path.join(tmp, 'workspace');
  exportDir = path.join(tmp, 'export');
  fs.mkdirSync(workspace);
  fs.mkdirSync(path.join(exportDir, EXPORT_MARKER), { recursive: true });
  for (const f of [DOC, DIRECTORY]) fs.copyFileSync(path.join(EXAMPLE, f), path.join(workspace, f));
  const dirs: CodeServerDirs = {
    entry,
    userDataDir: path.join(tmp, 'user-data'),
    extensionsDir: path.join(tmp, 'extensions'),
    configFile: path.join(tmp, 'code-server.yaml'),
  };
  fs.writeFileSync(dirs.configFile, 'auth: none\n');
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));

  await installExtension(dirs, VSIX);
  assert.ok(fs.readdirSync(dirs.extensionsDir).some((d) => d.startsWith('fenjie.fenjie-')), `the extension was not installed into ${dirs.extensionsDir}`);
  server = await startCodeServer(dirs, workspace);
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.setDefaultTimeout(15_000);
  wb = new Workbench(page);
  await wb.open(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
}, { timeout: 120_000 });

after(async () => {
  await browser?.close().catch(() => undefined);
  if (server) {
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(path.join(SHOTS, 'code-server.log'), server.log());
    await server.stop();
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

scenario('01', 'diagnostics', async () => {
  const problems = await fromSavedDocument();
  assert.ok(problems > 0, 'the example should have problems');
  // The editor draws squiggles on the lines fenjie check reports (those on screen).
  const reported = await cliProblems();
  const first = reported[0];
  assert.ok(first);
  await wb.goTo(first.line);
  await waitFor(`a squiggle on line ${first.line} (${first.code}, reported by fenjie check)`, async () => (await wb.squiggleLines()).has(first.line), 20_000);
  const onScreen = new Set((await wb.visibleLines()).keys());
  for (const p of reported.filter((r) => onScreen.has(r.line))) {
    const severity = p.severity === 'warning' ? 'warning' : p.severity === 'information' ? 'info' : 'error';
    assert.ok((await wb.squiggleLines(severity)).has(p.line), `no ${severity} squiggle on line ${p.line}, where fenjie check reports ${p.code}`);
  }

  // The Problems view (ctrl+shift+m) lists as many problems as fenjie check.
  await wb.page.keyboard.press('Control+Shift+M');
  const view = wb.page.locator('.markers-panel');
  await view.waitFor({ timeout: 10_000 });
  await waitFor(`the Problems view to count ${problems} problems`, async () => (await wb.problemsViewCount()) === problems, 20_000);
  assert.equal(await wb.problemCount(), problems);
  await wb.focusEditor();
});

scenario('02', 'completion', async () => {
  const problems = await fromSavedDocument();
  // Task 1 has no lead unit: add one on a new field line after its 责任单位 line.
  const text = readDoc();
  const fieldLine = lineOf(text, '- 责任单位：', lineOf(text, '1. 加强权力配置信息公开。'));
  await wb.goTo(fieldLine);
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.insertText('- 牵头单位：');
  await wb.page.keyboard.type('yshj');
  const suggest = wb.page.locator('.editor-widget.suggest-widget.visible');
  const item = suggest.locator('.monaco-list-row', { hasText: '营商环境建设局' }).first();
  await item.waitFor({ timeout: 15_000 }).catch(() => {
    throw new Error('The suggest widget did not show 营商环境建设局 for “yshj”');
  });
  await wb.screenshot(path.join(SHOTS, '02-completion-suggest.png'));
  await item.click();
  await suggest.waitFor({ state: 'hidden', timeout: 5_000 });
  await waitFor(`line ${fieldLine + 1} to read “- 牵头单位：营商环境建设局”`, async () => (await wb.lineText(fieldLine + 1)).trim() === '- 牵头单位：营商环境建设局', 5_000);
  // The task now has its lead: its missing-lead problem is gone.
  await waitFor(`the problem count to go from ${problems} to ${problems - 1}`, async () => (await wb.problemCount()) === problems - 1, 10_000);
});

scenario('03', 'hover', async () => {
  await fromSavedDocument();
  const text = readDoc();
  const unit = '营商环境建设局';
  const line = lineOf(text, `责任单位：${unit}牵头`);
  // What the card should say, from the CLI's export (an independent path through the same engine).
  const json = JSON.parse((await run(process.execPath, [CLI, 'export', docPath(), '--to', 'json'])).stdout) as {
    breakdowns: { tasks: { lead: string[]; responsible: string[]; cooperating: string[] }[] }[];
  };
  const tasks = json.breakdowns.flatMap((b) => b.tasks);
  const leads = tasks.filter((t) => t.lead.includes(unit)).length;
  const others = tasks.filter((t) => !t.lead.includes(unit) && (t.responsible.includes(unit) || t.cooperating.includes(unit))).length;

  await wb.goTo(line);
  const box = await wb.textBox(line, unit);
  await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = wb.page.locator('.monaco-hover:not(.hidden)', { hasText: unit });
  await hover.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`No hover card appeared over ${unit} on line ${line}`);
  });
  const card = await hover.innerText();
  assert.match(card, /已列入单位名录/);
  assert.ok(card.includes(`牵头 ${leads} 项任务、参与 ${others} 项任务`), `the card should count ${leads} led and ${others} other tasks:\n${card}`);
});

scenario('04', 'quick-fix', async () => {
  const problems = await fromSavedDocument();
  const text = readDoc();
  const line = lineOf(text, '1. 加强权力配置信息公开。');
  // A half-width comma between Chinese characters: 加强权力,配置 (halfwidth-punctuation, with a fix).
  const column = (text.split('\n')[line - 1] as string).indexOf('配置') + 1;
  await wb.goTo(line, column);
  await wb.page.keyboard.type(',');
  await waitFor(`a warning squiggle on line ${line} after typing “,”`, async () => (await wb.squiggleLines('warning')).has(line), 10_000);
  await waitFor(`the problem count to go from ${problems} to ${problems + 1}`, async () => (await wb.problemCount()) === problems + 1, 10_000);

  await wb.goTo(line, column);
  await wb.page.keyboard.press('Control+.');
  const fix = wb.page.locator('.action-widget .monaco-list-row.action', { hasText: '改为全角“，”' });
  await fix.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error('The Quick Fix menu (ctrl+.) did not offer 改为全角“，”');
  });
  await wb.screenshot(path.join(SHOTS, '04-quick-fix-menu.png'));
  // The menu focuses its first action; Enter applies it (a click would land on the menu's pointer guard).
  await waitFor('the fix to be the focused item of the menu', async () => (await fix.getAttribute('class'))?.includes('focused'), 5_000);
  await wb.page.keyboard.press('Enter');
  await wb.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5_000 });
  await waitFor(`line ${line} to read 加强权力，配置 (fixed)`, async () => (await wb.lineText(line)).includes('加强权力，配置'), 5_000);
  await waitFor(`the problem count to go back to ${problems}`, async () => (await wb.problemCount()) === problems, 10_000);
  await waitFor(`the warning squiggle on line ${line} to go`, async () => !(await wb.squiggleLines('warning')).has(line), 10_000);
});

scenario('05', 'rename', async () => {
  await fromSavedDocument();
  const before = readDoc();
  const oldName = '营商环境建设局';
  const newName = '营商服务局';
  const uses = count(before, oldName);
  assert.ok(uses > 1);
  assert.ok(fs.readFileSync(directoryPath(), 'utf8').includes(`- ${oldName}`));

  const line = lineOf(before, `责任单位：${oldName}牵头`);
  const column = (before.split('\n')[line - 1] as string).indexOf(oldName) + 2;
  await wb.goTo(line, column);
  await wb.page.keyboard.press('F2');
  const input = wb.page.locator('.monaco-editor.rename-box input.rename-input');
  await input.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error('F2 did not open the rename box');
  });
  assert.equal(await input.inputValue(), oldName);
  await input.fill(newName);
  await wb.screenshot(path.join(SHOTS, '05-rename-box.png'));
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5_000 });
  await waitFor(`line ${line} to show the new name ${newName}`, async () => (await wb.lineText(line)).includes(`${newName}牵头`), 10_000);

  await wb.command('File: Save All Files');
  const after = await waitFor(`${DOC} on disk to hold ${newName} ${uses} times`, () => {
    const t = readDoc();
    return count(t, newName) === uses ? t : undefined;
  }, 10_000);
  assert.equal(count(after, oldName), 0, `${oldName} is still used in ${DOC}`);
  const directory = await waitFor(`${DIRECTORY} on disk to list ${newName}`, () => {
    const t = fs.readFileSync(directoryPath(), 'utf8');
    return t.includes(`- ${newName}`) ? t : undefined;
  }, 10_000);
  assert.ok(!directory.includes(oldName), `${DIRECTORY} still lists ${oldName}`);
  // Nothing else changed: once the server has both files' new text (between the two edits the
  // new name is briefly unknown), the editor shows as many problems as fenjie check on disk.
  const expected = (await cliProblems()).length;
  await waitFor(`the status bar to settle on ${expected} problems after the rename`, async () => (await wb.problemCount()) === expected, 10_000);
});

scenario('06', 'preview', async () => {
  await fromSavedDocument();
  // Room for the table: the Problems panel has been shown since the first test.
  await wb.command('View: Hide Panel');
  await wb.command('fenjie: Open Preview to the Side');
  const frame = await wb.webviewFrame('table tr[data-line]');
  // Category cells are merged down over their tasks.
  const spans = await frame.locator('table td[rowspan], table th[rowspan]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('rowspan'))));
  assert.ok(spans.some((n) => n > 1), `no merged cell (rowspan > 1) in the preview's table: ${JSON.stringify(spans)}`);

  // Clicking a row moves the editor's cursor to that task.
  const row = frame.locator('table tr[data-line]').nth(1);
  const dataLine = Number(await row.getAttribute('data-line'));
  const rowText = await row.innerText();
  await row.click();
  await waitFor(`the cursor to move to Ln ${dataLine + 1} after clicking the preview row with data-line ${dataLine}`, async () => (await wb.cursor()).line === dataLine + 1, 10_000);
  const taskLine = await wb.lineText(dataLine + 1);
  const taskText = taskLine.replace(/^\s*\d+\.\s*/, '').trim();
  assert.ok(taskText && rowText.includes(taskText), `the clicked row (${rowText.slice(0, 80)}…) should hold the task on line ${dataLine + 1} (${taskText})`);
});

scenario('07', 'export-word', async () => {
  await fromSavedDocument();
  const target = path.join(exportDir, '通知-导出.docx');
  await wb.command('fenjie: Export as Word', { closes: false });
  const dialog = wb.page.locator('.quick-input-widget', { has: wb.page.locator('.quick-input-title', { hasText: `Export ${DOC}` }) });
  await dialog.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error('The save dialog (a quick input titled “Export 通知.fj.md”) did not appear');
  });
  const input = dialog.locator('.quick-input-box input');
  // The dialog fills in its default (the document's folder and 通知.docx) a moment after it
  // opens; typing before that would be overwritten.
  await waitFor('the save dialog to offer 通知.docx beside the document', async () => (await input.inputValue()) === path.join(workspace, '通知.docx'), 10_000);
  await input.fill(target);
  // The dialog lists the folder typed into it; an Enter that comes before the listing only
  // moves the dialog to that folder (a user then presses Enter again). The folder holds a
  // subfolder, so its listing can be seen.
  await dialog.locator('.monaco-list-row', { hasText: EXPORT_MARKER }).waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`The save dialog did not list the folder ${exportDir} (its subfolder ${EXPORT_MARKER})`);
  });
  assert.equal(await input.inputValue(), target);
  await input.press('Enter');
  await waitFor(`${target} to be written`, () => fs.existsSync(target) && fs.statSync(target).size > 0, 20_000);
  await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Exported to' }).waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error('No “Exported to …” notification appeared');
  });
  await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Exporting…' }).waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
    throw new Error('The “Exporting…” progress notification did not go away');
  });

  const script = 'import docx,sys,json; d=docx.Document(sys.argv[1]); print(json.dumps([[c.text for c in r.cells] for r in d.tables[0].rows]))';
  const rows = JSON.parse((await run(PYTHON, ['-c', script, target])).stdout) as string[][];
  assert.deepEqual(rows[0], ['序号', '类别', '重点任务', '落实举措', '牵头单位', '责任单位', '完成时限']);
  const task = rows.find((r) => r[2] === '全面推进基层政务公开标准化规范化。');
  assert.ok(task, `no row for task 2 in the Word table: ${JSON.stringify(rows.map((r) => r[2]))}`);
  assert.equal(task[0], '2');
  assert.equal(task[1], '一、加强权力配置信息和决策信息的公开');
  assert.equal(task[6], '12月底前');
});
