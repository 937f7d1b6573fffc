import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompletionList, Hover, Location, WorkspaceEdit, DocumentSymbol, CodeAction, TextEdit, InlayHint, FoldingRange } from 'vscode-languageserver-protocol';
import { applyEdits } from '../server/src/engine/index.ts';
import { LspClient } from './lsp-client.ts';
import { ROOT } from './helpers.ts';
import { SERVER_NODE_FLAGS } from '../server/src/protocol.ts';

/*
 * Every feature of the language server through real JSON-RPC: the built server in a child
 * process, a workspace on disk, positions on lines with 𠮷 and emoji, a CRLF document.
 */

const DIRECTORY = '单位:\n  - 营商环境建设局\n  - 名称: 市场监督管理局经开区分局\n    简称: [市监分局]\n  - 财政局\n';
const DOC = `---
标题: 测试
成文日期: 2020-09-30
---

# 附件：任务清单

## 一、第一类

1. 加强权力配置信息公开。
   - 牵头单位：营商环境建设局
   - 责任单位：市监分局、财政局
   - 完成时限：12月底前

2. 𠮷😀推进公开。（牵头单位：财政厅；完成时限：年底前）
`;
const OTHER = '- 另一份文档的任务。（牵头单位：营商环境建设局；完成时限：长期坚持）\n';

let dir: string;
let client: LspClient;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-lsp-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '单位名录.yaml'), DIRECTORY);
  fs.writeFileSync(path.join(dir, 'doc.fj.md'), DOC);
  fs.writeFileSync(path.join(dir, 'other.fj.md'), OTHER);
  client = new LspClient(dir, { diagnostics: { debounceMs: 20 } });
  await client.start();
});

after(async () => {
  await client?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const pos = (line: number, character: number) => ({ line, character });

test('diagnostics arrive for the opened document, with the engine’s codes and exact ranges', async () => {
  const uri = client.open('doc.fj.md');
  const d = await client.diagnostics(uri, 1);
  assert.deepEqual(d.diagnostics.map((x) => x.code), ['unknown-unit']);
  // Line 14: "2. 𠮷😀推进公开。（牵头单位：财政厅；…": 财政厅 starts after 17 UTF-16 units.
  const line = DOC.split('\n')[14] as string;
  const at = line.indexOf('财政厅');
  assert.deepEqual(d.diagnostics[0]!.range, { start: pos(14, at), end: pos(14, at + 3) });
  assert.equal(d.diagnostics[0]!.source, 'fenjie');
  // The code links to its section of the reference the package ships (docs/ beside out/).
  const href = d.diagnostics[0]!.codeDescription?.href ?? '';
  const m = /^(file:\/\/.*\/docs\/dialect\.md)#L(\d+)$/.exec(href);
  assert.ok(m, `codeDescription.href: ${href}`);
  const docLines = fs.readFileSync(fileURLToPath(m[1]!), 'utf8').split(/\r?\n/);
  assert.equal(docLines[Number(m[2]) - 1], '### unknown-unit');
});

test('edits are checked again; results of older versions are not published after newer ones', async () => {
  const uri = client.uri('doc.fj.md');
  const before = client.published.length;
  client.change(uri, DOC.replace('财政厅', '财政局'));
  const v3 = client.change(uri, DOC.replace('财政厅', '审计局'));
  const d = await client.diagnostics(uri, v3);
  assert.deepEqual(d.diagnostics.map((x) => x.code), ['unknown-unit']);
  assert.match(JSON.stringify(d.diagnostics[0]!.message), /审计局/);
  const after = client.published.slice(before).filter((p) => p.uri === uri);
  // Debounced: the intermediate version is never published once a newer one exists.
  assert.ok(after.every((p) => p.version === v3), `published versions: ${after.map((p) => p.version).join(',')}`);
  const v4 = client.change(uri, DOC);
  await client.diagnostics(uri, v4);
});

test('editing the 单位名录 re-checks the documents that use it', async () => {
  const uri = client.uri('doc.fj.md');
  const dirUri = client.open('单位名录.yaml', DIRECTORY, 'yaml');
  const count = client.published.length;
  client.change(dirUri, `${DIRECTORY}  - 财政厅\n`);
  await client.until(() => client.published.slice(count).some((p) => p.uri === uri && p.diagnostics.length === 0), 'a clean re-check after the directory edit');
  client.change(dirUri, DIRECTORY);
  await client.until(() => client.published.slice(count).some((p) => p.uri === uri && p.diagnostics.length === 1), 'the unknown unit again');
  client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: dirUri } });
});

test('completion: pinyin initials and full pinyin find unit names, most used first', async () => {
  const uri = client.uri('doc.fj.md');
  // Line 11 is "   - 责任单位：市监分局、财政局"; complete after the 、.
  const line = DOC.split('\n')[11] as string;
  const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: pos(11, line.length) });
  const items = list?.items ?? [];
  const yshj = items.find((i) => i.label === '营商环境建设局');
  assert.ok(yshj, 'the directory’s units are offered');
  assert.match(yshj.filterText ?? '', /yshj/);
  assert.match(yshj.filterText ?? '', /yingshang/);
  // 营商环境建设局 is used twice in the workspace: it sorts before 财政局 (once).
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.ok(sorted.findIndex((i) => i.label === '营商环境建设局') < sorted.findIndex((i) => i.label === '财政局'));
});

test('hover on a unit shows its card; on a deadline its date', async () => {
  const uri = client.uri('doc.fj.md');
  const unit = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(11, 11) });
  const text = JSON.stringify(unit?.contents ?? '');
  assert.match(text, /市场监督管理局经开区分局/);
  assert.match(text, /市监分局/);
  const deadline = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(12, 12) });
  assert.match(JSON.stringify(deadline?.contents ?? ''), /2020年12月31日/);
});

test('go to definition lands on the unit’s line in 单位名录.yaml; references span documents', async () => {
  const uri = client.uri('doc.fj.md');
  const defs = await client.request<Location[] | Location | null>('textDocument/definition', { textDocument: { uri }, position: pos(10, 12) });
  const list = Array.isArray(defs) ? defs : defs ? [defs] : [];
  assert.equal(list[0]?.uri, client.uri('单位名录.yaml'));
  assert.equal(list[0]?.range.start.line, 1);
  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: pos(10, 12), context: { includeDeclaration: false } });
  assert.deepEqual(new Set(refs.map((r) => r.uri)), new Set([uri, client.uri('other.fj.md')]));
});

test('rename a unit: every use, in every document, and the 单位名录', async () => {
  const uri = client.uri('doc.fj.md');
  const edit = await client.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri }, position: pos(10, 12), newName: '营商环境局' });
  assert.ok(edit);
  const touched = new Set<string>([...Object.keys(edit.changes ?? {}), ...(edit.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : ''))]);
  assert.ok(touched.has(uri) && touched.has(client.uri('other.fj.md')) && touched.has(client.uri('单位名录.yaml')), [...touched].join(' '));
  const edits = (u: string): TextEdit[] => edit.changes?.[u] ?? (edit.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === u ? (c.edits as TextEdit[]) : []));
  assert.match(applyEdits(DIRECTORY, edits(client.uri('单位名录.yaml'))), /- 营商环境局\n/);
  assert.match(applyEdits(OTHER, edits(client.uri('other.fj.md'))), /牵头单位：营商环境局；/);
});

test('document symbols and folding ranges', async () => {
  const uri = client.uri('doc.fj.md');
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const names = JSON.stringify(symbols);
  assert.match(names, /任务清单/);
  assert.match(names, /一、第一类/);
  assert.match(names, /加强权力配置信息公开/);
  const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.ok(folds.some((f) => f.startLine === 0), 'the front matter folds');
});

test('code actions: the engine’s fix, and add to 单位名录 through the server’s command', async () => {
  const uri = client.uri('doc.fj.md');
  const d = (await client.diagnostics(uri)).diagnostics[0]!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  const fix = actions.find((a) => a.title.includes('财政局'));
  assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
  const add = actions.find((a) => a.command?.command === 'fenjie.addToDirectory');
  assert.ok(add?.command);
  // It names the file it edits.
  assert.equal(add.title, '将“财政厅”加入单位名录（单位名录.yaml）');
  const count = client.appliedEdits.length;
  await client.request('workspace/executeCommand', { command: add.command.command, arguments: add.command.arguments });
  await client.until(() => client.appliedEdits.length > count, 'the server’s applyEdit');
  const edit = client.appliedEdits[count]!;
  const changes = JSON.stringify(edit);
  assert.match(changes, /财政厅/);
});

test('formatting puts fields in order with full-width punctuation, and twice is once', async () => {
  const text = '- 任务甲\n  - 完成时限:12月底前\n  - 牵头:财政局\n';
  const uri = client.open('fmt.fj.md', text);
  await client.diagnostics(uri, 1);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  const once = applyEdits(text, edits);
  assert.equal(once, '- 任务甲\n  - 牵头单位：财政局\n  - 完成时限：12月底前\n');
  const v = client.change(uri, once);
  await client.diagnostics(uri, v);
  const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(applyEdits(once, again), once);
});

test('inlay hints give the date of a relative deadline', async () => {
  const uri = client.uri('doc.fj.md');
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: pos(0, 0), end: pos(20, 0) } });
  const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
  assert.ok(labels.some((l) => l.includes('2020-12-31')), labels.join(' | '));
  const h = hints.find((x) => JSON.stringify(x.label).includes('2020-12-31'))!;
  assert.equal(h.position.line, 12);
});

test('a CRLF document: same findings, positions on the right lines', async () => {
  const crlf = DOC.replace(/\n/g, '\r\n');
  const uri = client.open('crlf.fj.md', crlf);
  const d = await client.diagnostics(uri, 1);
  assert.deepEqual(d.diagnostics.map((x) => [x.code, x.range.start.line]), [['unknown-unit', 14]]);
});

test('`fenjie lsp --stdio` is the same server, for any LSP client', async () => {
  const other = new LspClient(dir, {}, [path.join(ROOT, 'server', 'bin', 'fenjie.js'), 'lsp', '--stdio']);
  try {
    await other.start();
    const uri = other.open('other.fj.md');
    const d = await other.diagnostics(uri, 1);
    assert.deepEqual(d.diagnostics, []);
    const uri2 = other.open('bad.fj.md', '- 任务\n');
    assert.deepEqual((await other.diagnostics(uri2, 1)).diagnostics.map((x) => x.code), ['missing-lead', 'missing-deadline']);
    // The server runs with its own node options, as the extension starts it (a child process on Linux).
    const children = fs.readFileSync(`/proc/${other.child.pid}/task/${other.child.pid}/children`, 'utf8').trim().split(/\s+/);
    const commands = children.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    assert.ok(commands.some((c) => SERVER_NODE_FLAGS.every((f) => c.includes(f))), JSON.stringify(commands));
  } finally {
    await other.stop();
  }
});

test('a 单位名录 changed on disk (reported by the client’s watcher) re-checks the documents', async () => {
  const uri = client.uri('doc.fj.md');
  const file = path.join(dir, '单位名录.yaml');
  const count = client.published.length;
  fs.writeFileSync(file, `${DIRECTORY}  - 财政厅\n`);
  client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('单位名录.yaml'), type: 2 }] });
  await client.until(() => client.published.slice(count).some((p) => p.uri === uri && p.diagnostics.length === 0), 'a clean re-check after the file changed');
  fs.writeFileSync(file, DIRECTORY);
  client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('单位名录.yaml'), type: 2 }] });
  await client.until(() => client.published.slice(count).some((p) => p.uri === uri && p.diagnostics.length === 1), 'the unknown unit again');
});
