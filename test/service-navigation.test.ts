import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { Location, Position } from 'vscode-languageserver-types';
import { LineIndex } from '../server/src/engine/index.ts';
import { prepareRename, provideDefinition, provideReferences, provideRename } from '../server/src/service/navigation.ts';
import { ROOT } from './helpers.ts';
import { cursor, memoryWorkspace, applyWorkspaceEdit } from './service-helpers.ts';

const DIRECTORY = `# 单位名录
单位:
  - 营商环境建设局
  - 名称: 市场监督管理局经开区分局
    简称: [市监分局]
  - 应急局
泛称:
  - 各单位按职能分别落实
`;

const DOC_A = `---
年度: 2020
---
# 甲表

## 一、甲类

1. 任务一。（牵头单位：营商环境建设局；责任单位：市监分局；完成时限：12月底前）
2. 任务二。
   - 牵头单位：市场监督管理局经开区分局
   - 责任单位：应急局、各单位按职能分别落实
   - 完成时限：12月底前
`;

const DOC_B = `1. 任务三。（牵头单位：市监分局；完成时限：12月底前）
2. 任务四。（牵头单位：营商环境建设局；责任单位：应急局；完成时限：12月底前）
`;

const FILES = { '/w/单位名录.yaml': DIRECTORY, '/w/a.fj.md': DOC_A, '/w/sub/b.fj.md': DOC_B };

/** The position of the `nth` occurrence of `needle` in `text`, `into` characters into it. */
function at(text: string, needle: string, into = 1, nth = 0): Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `no “${needle}”`);
  return new LineIndex(text).position(i + into);
}

function textAt(text: string, loc: Location): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offset(loc.range.start), lines.offset(loc.range.end));
}

/** Every finding of every document of a workspace made of `files`. */
function findings(files: Record<string, string>): string[] {
  const ws = memoryWorkspace(files);
  return [...ws.documents()].flatMap((d) => d.analysis.diagnostics.map((x) => `${d.path}:${x.range.start.line + 1}:${x.code}`));
}

function units(files: Record<string, string>, path: string): string[] {
  const ws = memoryWorkspace(files);
  const doc = ws.get(ws.uriOf(path));
  assert.ok(doc);
  return doc.analysis.model.breakdowns.flatMap((b) => b.tasks.flatMap((t) => [...t.lead, ...t.responsible].map((u) => `${u.name}=${u.canonical}`)));
}

test('the workspace of these tests checks clean', () => {
  assert.deepEqual(findings(FILES), []);
});

test('definition: a unit lands on its line of 单位名录.yaml', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const [loc, ...rest] = provideDefinition(ws, doc, at(DOC_A, '营商环境建设局', 2));
  assert.equal(rest.length, 0);
  assert.equal(loc?.uri, ws.uriOf('/w/单位名录.yaml'));
  assert.equal(loc?.range.start.line, 2);
  assert.equal(textAt(DIRECTORY, loc!), '营商环境建设局');
  // The end of a name counts as on it.
  assert.equal(provideDefinition(ws, doc, at(DOC_A, '营商环境建设局', 7))[0]?.range.start.line, 2);
});

test('definition: an alias lands on its unit’s entry, a listed 泛称 on its own', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const [alias] = provideDefinition(ws, doc, at(DOC_A, '市监分局', 1));
  assert.equal(alias?.range.start.line, 3);
  assert.equal(textAt(DIRECTORY, alias!), '市场监督管理局经开区分局');
  const [collective] = provideDefinition(ws, doc, at(DOC_A, '各单位按职能分别落实', 3));
  assert.equal(collective?.range.start.line, 7);
  assert.equal(textAt(DIRECTORY, collective!), '各单位按职能分别落实');
});

test('definition: nothing for a name the directory does not list, or off any unit', () => {
  const text = '1. 任务。（牵头单位：营商局；责任单位：各镇；完成时限：12月底前）\n';
  const ws = memoryWorkspace({ '/w/单位名录.yaml': DIRECTORY, '/w/c.fj.md': text });
  const doc = ws.get(ws.uriOf('/w/c.fj.md'))!;
  assert.deepEqual(provideDefinition(ws, doc, at(text, '营商局')), []);
  assert.deepEqual(provideDefinition(ws, doc, at(text, '各镇')), []);
  assert.deepEqual(provideDefinition(ws, doc, at(text, '任务')), []);
  // Without a directory there is nothing to go to.
  const alone = memoryWorkspace({ '/w/c.fj.md': text });
  assert.deepEqual(provideDefinition(alone, alone.get(alone.uriOf('/w/c.fj.md'))!, at(text, '营商局')), []);
});

test('definition: the front matter’s 单位名录 line opens the directory', () => {
  const text = '---\n单位名录: 名录/单位.yaml\n---\n1. 任务。（牵头单位：营商环境建设局；完成时限：12月底前）\n';
  const ws = memoryWorkspace({ '/w/名录/单位.yaml': DIRECTORY, '/w/c.fj.md': text });
  const doc = ws.get(ws.uriOf('/w/c.fj.md'))!;
  assert.deepEqual(doc.analysis.diagnostics, []);
  const [loc] = provideDefinition(ws, doc, { line: 1, character: 8 });
  assert.equal(loc?.uri, ws.uriOf('/w/名录/单位.yaml'));
  assert.equal(provideDefinition(ws, doc, at(text, '营商环境建设局'))[0]?.range.start.line, 2);
});

test('references from a document: every task naming the unit, by full name or alias, in both documents', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const refs = provideReferences(ws, doc, at(DOC_A, '市场监督管理局经开区分局', 4), false);
  const texts = { [ws.uriOf('/w/a.fj.md')]: DOC_A, [ws.uriOf('/w/sub/b.fj.md')]: DOC_B };
  assert.deepEqual(
    refs.map((r) => `${ws.pathOf(r.uri)}:${r.range.start.line}:${textAt(texts[r.uri]!, r)}`),
    ['/w/a.fj.md:7:市监分局', '/w/a.fj.md:9:市场监督管理局经开区分局', '/w/sub/b.fj.md:0:市监分局'],
  );
  const withDeclaration = provideReferences(ws, doc, at(DOC_A, '市监分局'), true);
  assert.equal(withDeclaration.length, 4);
  assert.equal(withDeclaration[0]?.uri, ws.uriOf('/w/单位名录.yaml'));
  assert.equal(withDeclaration[0]?.range.start.line, 3);
});

test('references from the 单位名录 file: on a name and on an alias', () => {
  const ws = memoryWorkspace(FILES);
  const dir = { uri: ws.uriOf('/w/单位名录.yaml'), path: '/w/单位名录.yaml', text: DIRECTORY };
  const lead = provideReferences(ws, dir, at(DIRECTORY, '营商环境建设局', 3), false);
  assert.deepEqual(
    lead.map((r) => `${ws.pathOf(r.uri)}:${r.range.start.line}`),
    ['/w/a.fj.md:7', '/w/sub/b.fj.md:1'],
  );
  const viaAlias = provideReferences(ws, dir, at(DIRECTORY, '市监分局', 2), true);
  assert.deepEqual(
    viaAlias.map((r) => `${ws.pathOf(r.uri)}:${r.range.start.line}`),
    ['/w/单位名录.yaml:3', '/w/a.fj.md:7', '/w/a.fj.md:9', '/w/sub/b.fj.md:0'],
  );
  const collective = provideReferences(ws, dir, at(DIRECTORY, '各单位按职能分别落实', 2), false);
  assert.deepEqual(collective.map((r) => `${ws.pathOf(r.uri)}:${r.range.start.line}`), ['/w/a.fj.md:10']);
  // The server may hand a document as uri, path and text with the document beside them.
  const doc = ws.get(ws.uriOf('/w/sub/b.fj.md'))!;
  const wrapped = provideReferences(ws, { uri: doc.uri, path: doc.path, text: doc.text, document: doc }, at(DOC_B, '应急局'), false);
  assert.deepEqual(wrapped.map((r) => `${ws.pathOf(r.uri)}:${r.range.start.line}`), ['/w/a.fj.md:10', '/w/sub/b.fj.md:1']);
  assert.deepEqual(provideReferences(ws, dir, { line: 0, character: 2 }, true), []);
});

test('references stay with the documents of the same 单位名录', () => {
  const other = '1. 任务。（牵头单位：营商环境建设局；完成时限：12月底前）\n';
  const ws = memoryWorkspace({ ...FILES, '/w/other/单位名录.yaml': '单位:\n  - 营商环境建设局\n', '/w/other/c.fj.md': other });
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const refs = provideReferences(ws, doc, at(DOC_A, '营商环境建设局'), false);
  assert.deepEqual(refs.map((r) => ws.pathOf(r.uri)), ['/w/a.fj.md', '/w/sub/b.fj.md']);
});

test('rename a unit from a document: every use in both documents and the directory; the result checks clean', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const pos = at(DOC_A, '营商环境建设局', 2);
  assert.deepEqual(prepareRename(ws, doc, pos), { range: { start: { line: 7, character: 13 }, end: { line: 7, character: 20 } }, placeholder: '营商环境建设局' });
  const edit = provideRename(ws, doc, pos, '营商环境局');
  assert.ok(edit?.changes);
  assert.deepEqual(Object.keys(edit.changes).map((u) => ws.pathOf(u)).sort(), ['/w/a.fj.md', '/w/sub/b.fj.md', '/w/单位名录.yaml']);
  const after = applyWorkspaceEdit(ws, FILES, edit);
  assert.equal(after['/w/单位名录.yaml'], DIRECTORY.replace('营商环境建设局', '营商环境局'));
  assert.equal(after['/w/a.fj.md'], DOC_A.replace('营商环境建设局', '营商环境局'));
  assert.equal(after['/w/sub/b.fj.md'], DOC_B.replace('营商环境建设局', '营商环境局'));
  assert.deepEqual(findings(after), []);
});

test('rename an alias from the 单位名录 file: alias uses change, full-name uses stay', () => {
  const ws = memoryWorkspace(FILES);
  const dir = { uri: ws.uriOf('/w/单位名录.yaml'), path: '/w/单位名录.yaml', text: DIRECTORY };
  const pos = at(DIRECTORY, '市监分局', 1);
  assert.equal(prepareRename(ws, dir, pos)?.placeholder, '市监分局');
  const edit = provideRename(ws, dir, pos, '市场监管分局');
  assert.ok(edit);
  const after = applyWorkspaceEdit(ws, FILES, edit);
  assert.match(after['/w/单位名录.yaml']!, /简称: \[市场监管分局\]/);
  assert.match(after['/w/a.fj.md']!, /责任单位：市场监管分局；/);
  assert.match(after['/w/a.fj.md']!, /牵头单位：市场监督管理局经开区分局\n/);
  assert.match(after['/w/sub/b.fj.md']!, /牵头单位：市场监管分局；/);
  assert.deepEqual(findings(after), []);
  assert.deepEqual(units(after, '/w/sub/b.fj.md'), ['市场监管分局=市场监督管理局经开区分局', '营商环境建设局=营商环境建设局', '应急局=应急局']);
});

test('rename the full name: mentions written with the alias stay as they are', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const edit = provideRename(ws, doc, at(DOC_A, '市场监督管理局经开区分局', 3), '长春市市场监督管理局经开区分局');
  assert.ok(edit);
  const after = applyWorkspaceEdit(ws, FILES, edit);
  assert.match(after['/w/单位名录.yaml']!, /名称: 长春市市场监督管理局经开区分局\n {4}简称: \[市监分局\]/);
  assert.equal(after['/w/sub/b.fj.md'], DOC_B);
  assert.match(after['/w/a.fj.md']!, /责任单位：市监分局；/);
  assert.deepEqual(findings(after), []);
  assert.deepEqual(units(after, '/w/a.fj.md').slice(1, 3), ['市监分局=长春市市场监督管理局经开区分局', '长春市市场监督管理局经开区分局=长春市市场监督管理局经开区分局']);
});

test('rename refusals: empty, a list separator, a name the directory has', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const pos = at(DOC_A, '营商环境建设局');
  assert.throws(() => provideRename(ws, doc, pos, ''), { message: '新名称不能为空。' });
  assert.throws(() => provideRename(ws, doc, pos, '  '), { message: '新名称不能为空。' });
  for (const sep of ['、', '，', ',', '；', ';']) {
    assert.throws(() => provideRename(ws, doc, pos, `营商${sep}环境局`), (e: Error) => e.message.includes(`分隔符“${sep}”`));
  }
  assert.throws(() => provideRename(ws, doc, pos, '应急局'), { message: '单位名录中已有“应急局”，不能重名。请换一个名称。' });
  assert.throws(() => provideRename(ws, doc, pos, '市监分局'), { message: '单位名录中已有“市监分局”（“市场监督管理局经开区分局”的简称），不能重名。请换一个名称。' });
  assert.throws(() => provideRename(ws, doc, pos, '各单位按职能分别落实'), /（泛称）/);
  // Off a unit there is nothing to rename.
  assert.equal(prepareRename(ws, doc, at(DOC_A, '任务一')), null);
  assert.equal(provideRename(ws, doc, at(DOC_A, '任务一'), '甲'), null);
  // The same name again changes nothing.
  assert.deepEqual(provideRename(ws, doc, pos, '营商环境建设局'), { changes: {} });
});

test('rename: a separator inside brackets is part of the name; a name YAML would misread is quoted', () => {
  const ws = memoryWorkspace(FILES);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  const bracketed = provideRename(ws, doc, at(DOC_A, '应急局'), '应急管理局（安委办、减灾办）');
  assert.ok(bracketed);
  const after = applyWorkspaceEdit(ws, FILES, bracketed);
  assert.match(after['/w/单位名录.yaml']!, /- 应急管理局（安委办、减灾办）\n/);
  assert.deepEqual(findings(after), []);
  const hashed = provideRename(ws, doc, at(DOC_A, '营商环境建设局'), '营商环境建设局 #2');
  assert.ok(hashed);
  const quoted = applyWorkspaceEdit(ws, FILES, hashed);
  assert.match(quoted['/w/单位名录.yaml']!, /- "营商环境建设局 #2"\n/);
  assert.deepEqual(findings(quoted), []);
  assert.deepEqual(units(quoted, '/w/sub/b.fj.md')[1], '营商环境建设局 #2=营商环境建设局 #2');
});

test('rename stays within the documents of the same 单位名录', () => {
  const other = '1. 任务。（牵头单位：营商环境建设局；完成时限：12月底前）\n';
  const files = { ...FILES, '/w/other/单位名录.yaml': '单位:\n  - 营商环境建设局\n', '/w/other/c.fj.md': other };
  const ws = memoryWorkspace(files);
  const edit = provideRename(ws, ws.get(ws.uriOf('/w/a.fj.md'))!, at(DOC_A, '营商环境建设局'), '营商环境局');
  assert.ok(edit?.changes);
  assert.deepEqual(Object.keys(edit.changes).map((u) => ws.pathOf(u)).sort(), ['/w/a.fj.md', '/w/sub/b.fj.md', '/w/单位名录.yaml']);
});

test('rename a name the directory does not list: its uses only, and it must still read as one name', () => {
  const text = '1. 任务。（牵头单位：营商局；完成时限：12月底前）\n2. 任务二。（牵头单位：营商局；完成时限：12月底前）\n';
  const files = { '/w/c.fj.md': text };
  const ws = memoryWorkspace(files);
  const doc = ws.get(ws.uriOf('/w/c.fj.md'))!;
  const edit = provideRename(ws, doc, at(text, '营商局'), '营商环境建设局');
  assert.ok(edit);
  assert.equal(applyWorkspaceEdit(ws, files, edit)['/w/c.fj.md'], text.replaceAll('营商局', '营商环境建设局'));
  assert.throws(() => provideRename(ws, doc, at(text, '营商局'), '营商局牵头'), /会被读作“营商局”/);
});

test('positions on lines with 𠮷 and emoji', () => {
  const text = '1. 𠮷祥😀任务。（牵头单位：营商环境建设局；责任单位：市监分局；完成时限：12月底前）\n';
  const files = { '/w/单位名录.yaml': DIRECTORY, '/w/e.fj.md': text };
  const ws = memoryWorkspace(files);
  const doc = ws.get(ws.uriOf('/w/e.fj.md'))!;
  assert.deepEqual(doc.analysis.diagnostics, []);
  const marked = cursor('1. 𠮷祥😀任务。（牵头单位：营商环境建设局；责任单位：市|监分局；完成时限：12月底前）\n');
  assert.equal(marked.text, text);
  assert.equal(provideDefinition(ws, doc, marked.position)[0]?.range.start.line, 3);
  const prepared = prepareRename(ws, doc, marked.position);
  assert.equal(prepared?.placeholder, '市监分局');
  assert.equal(text.slice(prepared!.range.start.character, prepared!.range.end.character), '市监分局');
  const edit = provideRename(ws, doc, marked.position, '市场监管分局');
  assert.ok(edit);
  const after = applyWorkspaceEdit(ws, files, edit);
  assert.equal(after['/w/e.fj.md'], text.replace('市监分局', '市场监管分局'));
  assert.deepEqual(findings(after), []);
});

test('a CRLF document and a CRLF 单位名录: definition and rename land on the right lines', () => {
  const files = { '/w/单位名录.yaml': DIRECTORY.replace(/\n/g, '\r\n'), '/w/a.fj.md': DOC_A.replace(/\n/g, '\r\n') };
  const ws = memoryWorkspace(files);
  const doc = ws.get(ws.uriOf('/w/a.fj.md'))!;
  assert.deepEqual(doc.analysis.diagnostics, []);
  const pos = at(files['/w/a.fj.md'], '市场监督管理局经开区分局', 2);
  assert.equal(pos.line, 9);
  const [def] = provideDefinition(ws, doc, pos);
  assert.equal(def?.range.start.line, 3);
  assert.equal(textAt(files['/w/单位名录.yaml'], def!), '市场监督管理局经开区分局');
  const edit = provideRename(ws, { uri: ws.uriOf('/w/单位名录.yaml'), path: '/w/单位名录.yaml', text: files['/w/单位名录.yaml'] }, at(files['/w/单位名录.yaml'], '应急局'), '应急管理局');
  assert.ok(edit);
  const after = applyWorkspaceEdit(ws, files, edit);
  assert.equal(after['/w/单位名录.yaml'], files['/w/单位名录.yaml'].replace('应急局', '应急管理局'));
  assert.equal(after['/w/a.fj.md'], files['/w/a.fj.md'].replace('应急局', '应急管理局'));
  assert.deepEqual(findings(after), []);
});

test('rename in a 单位名录 written other ways: quoted names, a single alias, a 泛称', () => {
  const directory = `单位:\n  - "应急局"\n  - 名称: '市场监督管理局经开区分局'\n    简称: 市监分局\n泛称:\n  - 各单位按职能分别落实\n`;
  const doc = '1. 任务。（牵头单位：应急局；责任单位：市监分局、各单位按职能分别落实；完成时限：12月底前）\n';
  const files = { '/w/单位名录.yaml': directory, '/w/d.fj.md': doc };
  const ws = memoryWorkspace(files);
  const d = ws.get(ws.uriOf('/w/d.fj.md'))!;
  assert.deepEqual(d.analysis.diagnostics, []);
  const rename = (needle: string, to: string): Record<string, string> => {
    const edit = provideRename(ws, d, at(doc, needle), to);
    assert.ok(edit);
    const after = applyWorkspaceEdit(ws, files, edit);
    assert.deepEqual(findings(after), []);
    return after;
  };
  assert.match(rename('应急局', '应急管理局')['/w/单位名录.yaml']!, /- "应急管理局"\n/);
  assert.match(rename('市监分局', '市场监管分局')['/w/单位名录.yaml']!, /简称: 市场监管分局\n/);
  const full = provideRename(ws, { uri: ws.uriOf('/w/单位名录.yaml'), path: '/w/单位名录.yaml', text: directory }, at(directory, '市场监督管理局'), "市场监督管理局经开区分局's");
  assert.ok(full);
  assert.match(applyWorkspaceEdit(ws, files, full)['/w/单位名录.yaml']!, /名称: '市场监督管理局经开区分局''s'\n/);
  const after = rename('各单位按职能分别落实', '各单位按职责分工负责');
  assert.match(after['/w/单位名录.yaml']!, /- 各单位按职责分工负责\n/);
  assert.match(after['/w/d.fj.md']!, /、各单位按职责分工负责；/);
});

test('rename in the changchun-2020 example: every 营商环境建设局, also as 营商环境建设局牵头 inside 责任单位', () => {
  const dir = path.join(ROOT, 'examples', 'changchun-2020');
  const files = { '/w/通知.fj.md': fs.readFileSync(path.join(dir, '通知.fj.md'), 'utf8'), '/w/单位名录.yaml': fs.readFileSync(path.join(dir, '单位名录.yaml'), 'utf8') };
  const before = findings(files);
  const ws = memoryWorkspace(files);
  const doc = ws.get(ws.uriOf('/w/通知.fj.md'))!;
  const text = files['/w/通知.fj.md'];
  const uses = text.split('营商环境建设局').length - 1;
  const refs = provideReferences(ws, doc, at(text, '营商环境建设局牵头'), true);
  const edit = provideRename(ws, doc, at(text, '营商环境建设局牵头'), '营商环境局');
  assert.ok(edit?.changes);
  assert.equal(edit.changes[doc.uri]?.length, refs.length - 1);
  const after = applyWorkspaceEdit(ws, files, edit);
  assert.equal(after['/w/通知.fj.md']!.split('营商环境局').length - 1, refs.length - 1);
  // Only the mentions in the tasks' unit fields change, not the name in running text.
  assert.equal(after['/w/通知.fj.md']!.split('营商环境建设局').length - 1, uses - (refs.length - 1));
  assert.deepEqual(findings(after), before);
  const lead = memoryWorkspace(after).get(ws.uriOf('/w/通知.fj.md'))!.analysis.model.breakdowns[0]!.tasks[1]!.lead;
  assert.deepEqual(lead.map((u) => [u.name, u.known, u.leadInResponsible]), [['营商环境局', 'unit', true]]);
});
