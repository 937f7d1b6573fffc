import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, CompletionList, Diagnostic, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.ts';

/*
 * Restricted Mode (VS Code's untrusted workspace, `trusted: false`) through the real server
 * over JSON-RPC: nothing a document names outside the workspace is read or written, symlinks
 * resolved; the messages say it is Restricted Mode. The same workspace trusted shows what
 * would otherwise be read, so each check can fail.
 *
 *   tmp/outside/secret.yaml        a 单位名录 outside the workspace, with a key that must not show
 *   tmp/ws/linked/单位名录.yaml     → ../../outside/secret.yaml (a symlink)
 *   tmp/ws/linkdir                  → ../outside (a symlinked folder)
 *   tmp/ws/dangling/单位名录.yaml   → ../../outside/made.yaml (does not exist: writing it creates it outside)
 */

const SECRET = '机密键甲: 1\n单位:\n  - 外部单位乙\n';
const TASK = '1. 任务甲。（牵头单位：财政局；完成时限：12月底前）\n';

let tmp: string;
let ws: string;
let outside: string;

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-restricted-')));
  ws = path.join(tmp, 'ws');
  outside = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.yaml'), SECRET);
  for (const d of ['sub/deeper', 'linked', 'dangling', 'nodir', 'single/inner']) fs.mkdirSync(path.join(ws, d), { recursive: true });
  fs.symlinkSync('../../outside/secret.yaml', path.join(ws, 'linked', '单位名录.yaml'));
  fs.symlinkSync('../outside', path.join(ws, 'linkdir'));
  fs.symlinkSync('../../outside/made.yaml', path.join(ws, 'dangling', '单位名录.yaml'));
  fs.writeFileSync(path.join(ws, 'single', '单位名录.yaml'), '单位:\n  - 教育局\n');
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function server(trusted: boolean, folders?: string[]): Promise<LspClient> {
  const c = new LspClient(ws, { diagnostics: { debounceMs: 0 } });
  await c.start({ trusted, ...(folders ? { folders } : {}) });
  return c;
}

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const messages = (ds: Diagnostic[]): string => ds.map(messageOf).join('\n');

/** Everything the server published, as one text: what the Problems panel could show. */
const everything = (c: LspClient): string => JSON.stringify(c.published);

const pointAt = (text: string, needle: string) => {
  const before = text.slice(0, text.indexOf(needle) + 1).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] as string).length - 1 };
};

async function actionsAt(c: LspClient, uri: string, text: string, needle: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const p = pointAt(text, needle);
  return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: p, end: p }, context: { diagnostics } });
}

test('a 单位名录 named outside the workspace: not read, not created; the message says Restricted Mode', async () => {
  const text = `---\n单位名录: ../../../outside/new.yaml\n---\n${TASK}`;
  const c = await server(false);
  try {
    const uri = c.open('sub/deeper/doc.fj.md', text);
    const d = (await c.diagnostics(uri, 1)).diagnostics;
    const named = d.find((x) => x.code === 'front-matter');
    assert.ok(named, messages(d));
    assert.match(messageOf(named), /受限模式/);
    assert.match(messageOf(named), /信任此工作区/);
    assert.doesNotMatch(messageOf(named), /找不到/);
    // 新建单位名录并加入 would send a CreateFile outside the workspace: it is not offered.
    const actions = await actionsAt(c, uri, text, '财政局', []);
    assert.ok(!actions.some((a) => a.command?.command === 'fenjie.addToDirectory'), actions.map((a) => a.title).join(' | '));
    // Nor does the command do it when a client sends it anyway.
    await c.request('workspace/executeCommand', { command: 'fenjie.addToDirectory', arguments: [{ uri, name: '财政局' }] });
    await c.until(() => c.messages.length > 0, 'a message to the user');
    assert.deepEqual(c.appliedEdits, []);
    assert.match(c.messages[0]!.message, /受限模式下不新建或修改工作区以外的文件/);
    assert.ok(!fs.existsSync(path.join(outside, 'new.yaml')));
  } finally {
    await c.stop();
  }
});

test('a symlinked 单位名录 pointing outside is not read: its keys and units never reach Problems or completion', async () => {
  const text = TASK;
  const viaFolder = `---\n单位名录: ../linkdir/secret.yaml\n---\n${TASK}`;
  // Trusted, the server reads it: the key shows in Problems (so the check below can fail).
  const trusted = await server(true);
  try {
    const uri = trusted.open('linked/doc.fj.md', text);
    await trusted.diagnostics(uri, 1);
    await trusted.until(() => everything(trusted).includes('机密键甲'), 'the outside file’s key, trusted');
    const list = await trusted.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: pointAt(text, '财政局') });
    assert.ok(JSON.stringify(list).includes('外部单位乙'), 'trusted, the outside file’s units are offered');
  } finally {
    await trusted.stop();
  }
  const c = await server(false);
  try {
    const uri = c.open('linked/doc.fj.md', text);
    const d = (await c.diagnostics(uri, 1)).diagnostics;
    assert.match(messages(d), /受限模式下不读取工作区以外的文件/);
    const uri2 = c.open('nodir/via-folder.fj.md', viaFolder);
    const d2 = (await c.diagnostics(uri2, 1)).diagnostics;
    assert.match(messages(d2), /受限模式下不读取工作区以外的文件/);
    assert.doesNotMatch(messages(d2), /找不到/);
    const list = await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: pointAt(text, '财政局') });
    assert.ok(!JSON.stringify(list).includes('外部单位乙'), JSON.stringify(list?.items.map((i) => i.label)));
    assert.doesNotMatch(everything(c), /机密键甲/);
  } finally {
    await c.stop();
  }
});

test('a dangling symlink where 单位名录.yaml would be created: not offered, since creating it would write outside', async () => {
  const c = await server(false);
  try {
    const uri = c.open('dangling/doc.fj.md', TASK);
    const d = (await c.diagnostics(uri, 1)).diagnostics;
    assert.match(messages(d), /受限模式/);
    const actions = await actionsAt(c, uri, TASK, '财政局', d);
    assert.ok(!actions.some((a) => a.command?.command === 'fenjie.addToDirectory'), actions.map((a) => a.title).join(' | '));
  } finally {
    await c.stop();
  }
});

test('inside the workspace all works untrusted, and the quick fix names the 单位名录 it edits', async () => {
  const c = await server(false);
  try {
    fs.writeFileSync(path.join(ws, 'sub', '单位名录.yaml'), '单位:\n  - 财政局\n');
    const text = '1. 任务。（牵头单位：审计局；完成时限：12月底前）\n';
    const uri = c.open('sub/deeper/ok.fj.md', text);
    const d = (await c.diagnostics(uri, 1)).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['unknown-unit']);
    const actions = await actionsAt(c, uri, text, '审计局', d);
    const add = actions.find((a) => a.command?.command === 'fenjie.addToDirectory');
    assert.equal(add?.title, '将“审计局”加入单位名录（../单位名录.yaml）');
    await c.request('workspace/executeCommand', { command: add!.command!.command, arguments: add!.command!.arguments });
    await c.until(() => c.appliedEdits.length > 0, 'the applyEdit');
    assert.deepEqual(Object.keys(c.appliedEdits[0]!.changes ?? {}), [c.uri('sub/单位名录.yaml')]);
  } finally {
    fs.rmSync(path.join(ws, 'sub', '单位名录.yaml'));
    await c.stop();
  }
});

test('a rename that would change a document outside the workspace is refused, saying why', async () => {
  fs.writeFileSync(path.join(outside, 'o.fj.md'), TASK);
  const c = await server(false);
  try {
    const inside = c.open('nodir/a.fj.md', TASK);
    await c.diagnostics(inside, 1);
    // Opened by the user from outside the workspace; no 单位名录 either, so the rename reaches it.
    const out = c.open('../outside/o.fj.md', TASK);
    await c.diagnostics(out, 1);
    const params = { textDocument: { uri: inside }, position: pointAt(TASK, '财政局'), newName: '财政厅' };
    await assert.rejects(c.request<WorkspaceEdit | null>('textDocument/rename', params), (e: Error) => {
      assert.match(e.message, /受限模式下不新建或修改工作区以外的文件/);
      assert.ok(e.message.includes(path.join(outside, 'o.fj.md')), e.message);
      return true;
    });
    c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: out } });
    // Without it, the same rename goes through.
    const edit = await c.request<WorkspaceEdit | null>('textDocument/rename', params);
    assert.deepEqual(Object.keys(edit?.changes ?? {}), [inside]);
  } finally {
    await c.stop();
  }
});

test('a single file and no folder: its own folder is the workspace', async () => {
  const c = await server(false, []);
  try {
    // The 单位名录 beside it is read: 审计局 is not in it.
    const text = '1. 任务。（牵头单位：审计局；完成时限：12月底前）\n';
    const uri = c.open('single/doc.fj.md', text);
    const d = (await c.diagnostics(uri, 1)).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['unknown-unit'], messages(d));
    // One in the folder above is outside.
    const up = c.open('single/inner/up.fj.md', `---\n单位名录: ../单位名录.yaml\n---\n${text}`);
    const d2 = (await c.diagnostics(up, 1)).diagnostics;
    assert.match(messages(d2), /受限模式/);
    // Nor does the search for 单位名录.yaml go up out of it.
    const below = c.open('single/inner/below.fj.md', text);
    assert.deepEqual((await c.diagnostics(below, 1)).diagnostics, []);
  } finally {
    await c.stop();
  }
  // Trusted, it does, as before.
  const t = await server(true, []);
  try {
    const below = t.open('single/inner/below.fj.md', '1. 任务。（牵头单位：审计局；完成时限：12月底前）\n');
    assert.deepEqual((await t.diagnostics(below, 1)).diagnostics.map((x) => x.code), ['unknown-unit']);
  } finally {
    await t.stop();
  }
});

test('a workspace folder added later: its files may be read from then on', async () => {
  fs.mkdirSync(path.join(ws, 'later'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'later', '单位名录.yaml'), '单位:\n  - 财政局\n');
  const c = await server(false, [path.join(ws, 'nodir')]);
  try {
    const text = '---\n单位名录: 单位名录.yaml\n---\n1. 任务。（牵头单位：审计局；完成时限：12月底前）\n';
    const uri = c.open('later/doc.fj.md', text);
    assert.match(messages((await c.diagnostics(uri, 1)).diagnostics), /受限模式/);
    const count = c.published.length;
    c.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: c.uri('later'), name: 'later' }], removed: [] } });
    await c.until(() => c.published.slice(count).some((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'unknown-unit')), 'the check against the 单位名录 now inside');
  } finally {
    await c.stop();
  }
});
