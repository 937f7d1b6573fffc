/**
 * The API suite, run by VS Code itself: test/electron/run.ts bundles this file (CommonJS,
 * `vscode` left to the extension host) and starts VS Code with it as --extensionTestsPath.
 * The extension under test is the repository (its out/extension.cjs); the workspace is a
 * copy of examples/changchun-2020.
 *
 * From run.ts, in the environment:
 *   FENJIE_DOCUMENT              the 通知.fj.md to open
 *   FENJIE_EXPECTED_DIAGNOSTICS  how many problems `fenjie check` reports for it
 *   FENJIE_EXPECTED_CODES        their codes, comma-separated, in document order
 *   FENJIE_SUITE_REPORT          where to write what passed: run.ts's proof that the suite ran
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FenjieApi } from '../../../client/src/extension.ts';

const EXTENSION_ID = 'fenjie.fenjie';
const UNIT = '营商环境建设局';
const DEADLINE_MS = 30_000;

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value !== undefined && value !== '', `${name} is not set: run this suite through test/electron/run.ts`);
  return value;
}

/** Polls `get` until it returns something, failing after `ms` with `what`. */
async function until<T>(what: string, get: () => T | undefined, ms = DEADLINE_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A promise's value, or a failure naming `what` after `ms`. */
async function within<T>(what: string, promise: Thenable<T>, ms = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms / 1000} s for ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

const passed: string[] = [];

/** One step of the suite, reported on VS Code's stdout (run.ts forwards it). */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    passed.push(name);
    console.log(`  ✔ ${name}`);
  } catch (e) {
    console.error(`  ✖ ${name}`);
    throw e;
  }
}

export async function run(): Promise<void> {
  const report = env('FENJIE_SUITE_REPORT');
  const uri = vscode.Uri.file(env('FENJIE_DOCUMENT'));
  const expectedCount = Number(env('FENJIE_EXPECTED_DIAGNOSTICS'));
  const expectedCodes = (process.env.FENJIE_EXPECTED_CODES ?? '').split(',').filter(Boolean);
  assert.ok(Number.isInteger(expectedCount), `FENJIE_EXPECTED_DIAGNOSTICS is not a number: ${process.env.FENJIE_EXPECTED_DIAGNOSTICS}`);
  console.log(`fenjie API suite in VS Code ${vscode.version}`);

  let doc!: vscode.TextDocument;
  await step('the document opens as fenjie and the extension becomes ready', async () => {
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'fenjie', '.fj.md files get the fenjie language');
    const extension = vscode.extensions.getExtension<FenjieApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded: is the repository the extensionDevelopmentPath?`);
    const api = await within('the extension to activate', extension.activate());
    assert.ok(api?.ready, 'activate() returns { ready, client }');
    await within('the language server to become ready', api.ready);
  });

  await step(`diagnostics: the ${expectedCount} problems fenjie check reports`, async () => {
    const fenjie = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'fenjie');
    // The server publishes a document's whole list at once: the first non-empty list is the answer.
    const diagnostics = expectedCount === 0 ? fenjie() : await until('fenjie diagnostics', () => (fenjie().length ? fenjie() : undefined));
    const sorted = [...diagnostics].sort((a, b) => a.range.start.compareTo(b.range.start));
    const codes = sorted.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    assert.equal(diagnostics.length, expectedCount, `VS Code shows ${codes.join(', ')}`);
    if (expectedCodes.length) assert.deepEqual(codes, expectedCodes);
  });

  await step(`completion after 牵头单位： offers ${UNIT}`, async () => {
    const at = Array.from({ length: doc.lineCount }, (_, i) => i).find((i) => /^\s*- 责任单位：/.test(doc.lineAt(i).text));
    assert.ok(at !== undefined, 'the document has a “- 责任单位：” line');
    const added = '   - 牵头单位：';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(at + 1, 0), `${added}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
    assert.equal(doc.lineAt(at + 1).text, added);
    const list = await within(
      'completion',
      vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(at + 1, added.length)),
    );
    const labels = list.items.map(label);
    assert.ok(labels.includes(UNIT), `${UNIT} is among the items: ${labels.join('、')}`);
    // Leave the copy as it was: a dirty editor must not hold up VS Code's exit.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(at + 1, 0, at + 2, 0));
    await vscode.workspace.applyEdit(undo);
    await doc.save();
  });

  fs.writeFileSync(report, JSON.stringify({ vscode: vscode.version, passed }));
}
