import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Position, Range } from 'vscode-languageserver-types';
import { applyEdits, buildModel, checkEdits, LineIndex, type Task } from '../server/src/engine/index.ts';
import { addToDirectoryEdit, provideCodeActions } from '../server/src/service/codeActions.ts';
import { toLspDiagnostic } from '../server/src/service/diagnostics.ts';
import type { ServiceDocument, ServiceWorkspace } from '../server/src/service/types.ts';
import { ADD_TO_DIRECTORY_COMMAND } from '../server/src/protocol.ts';
import { cursor, memoryWorkspace, applyWorkspaceEdit } from './service-helpers.ts';
import { SPEC_EXAMPLE } from './helpers.ts';

const DIRECTORY = '单位:\n  - 营商环境建设局\n  - 财政局\n  - 应急局\n';

const FIXABLE = `---
年份: 2020
---
# 表

## 一、甲类

1. 任务甲,乙。（牵头单位：营商环境建设局；责任单位：营商环境建设局、应急局；完成时限：12月底前）
2. 任务乙。（牵头单位：财政厅；完成时限：12月底前）
4. 任务丙。（牵头单位：应急局；完成时限：12月低前）

## 三、乙类

1. 任务丁。（牵头单位：应急局；完成时限：2020年底）
`;

function open(text: string, files: Record<string, string> = { '/w/单位名录.yaml': DIRECTORY }, file = '/w/doc.fj.md'): { ws: ReturnType<typeof memoryWorkspace>; doc: ServiceDocument } {
  const ws = memoryWorkspace({ ...files, [file]: text });
  return { ws, doc: ws.get(ws.uriOf(file))! };
}

function point(text: string, needle: string, into = 1): Position {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `no “${needle}”`);
  return new LineIndex(text).position(i + into);
}

const at = (p: Position): Range => ({ start: p, end: p });

/** The text of one document after a code action's edit. */
function applied(doc: ServiceDocument, action: CodeAction | undefined): string {
  assert.ok(action?.edit?.changes, `no edit: ${action?.title}`);
  assert.deepEqual(Object.keys(action.edit.changes), [doc.uri]);
  return applyEdits(doc.text, action.edit.changes[doc.uri]!);
}

function codes(doc: ServiceDocument): string[] {
  return doc.analysis.diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`);
}

/** What a task means, as a rewrite must keep it. */
function meaning(t: Task): unknown {
  return {
    text: t.text.replace(/。$/, ''),
    measures: t.measures,
    lead: t.lead.map((u) => u.canonical),
    responsible: t.responsible.map((u) => u.canonical),
    deadline: t.deadline?.parsed?.end ?? t.deadline?.text,
  };
}

function tasksOf(doc: ServiceDocument): Task[] {
  return doc.analysis.model.breakdowns.flatMap((b) => b.tasks);
}

test('every engine fix is a quick fix on its diagnostic, and applying it removes the finding', () => {
  const { ws, doc } = open(FIXABLE);
  const withFixes = doc.analysis.diagnostics.filter((d) => d.fixes?.length);
  assert.deepEqual(
    withFixes.map((d) => d.code),
    ['front-matter', 'halfwidth-punctuation', 'lead-also-responsible', 'unknown-unit', 'numbering', 'numbering', 'bad-deadline'],
  );
  for (const d of withFixes) {
    const lsp = toLspDiagnostic(d, doc.uri, ws.uriOf);
    const actions = provideCodeActions(ws, doc, d.range, { diagnostics: [lsp] });
    const fixes = actions.filter((a) => a.kind === 'quickfix' && a.edit);
    assert.deepEqual(
      fixes.map((a) => [a.title, a.isPreferred ?? false]),
      d.fixes!.map((f) => [f.title, f.preferred ?? false]),
    );
    for (const a of fixes) assert.deepEqual(a.diagnostics, [lsp]);
    const after = open(applied(doc, fixes[0]), { '/w/单位名录.yaml': DIRECTORY }).doc;
    const still = after.analysis.diagnostics.filter((x) => x.code === d.code && x.range.start.line === d.range.start.line);
    assert.deepEqual(still, [], `${d.code} on line ${d.range.start.line + 1} is still there`);
    assert.equal(after.analysis.diagnostics.length, doc.analysis.diagnostics.length - 1, `fixing ${d.code} changed other findings`);
  }
});

test('a diagnostic that comes back without its data still gets the engine’s fixes', () => {
  const { ws, doc } = open(FIXABLE);
  const d = doc.analysis.diagnostics.find((x) => x.code === 'halfwidth-punctuation')!;
  const bare = { ...toLspDiagnostic(d, doc.uri, ws.uriOf), data: undefined };
  const [fix] = provideCodeActions(ws, doc, d.range, { diagnostics: [bare] });
  assert.equal(fix?.title, '改为全角“，”');
  assert.equal(fix?.isPreferred, true);
});

test('unknown-unit also offers 将“X”加入单位名录（file）, a command the server runs', () => {
  const { ws, doc } = open(FIXABLE);
  const d = doc.analysis.diagnostics.find((x) => x.code === 'unknown-unit')!;
  const lsp = toLspDiagnostic(d, doc.uri, ws.uriOf);
  const add = provideCodeActions(ws, doc, d.range, { diagnostics: [lsp] }).find((a) => a.command);
  assert.equal(add?.title, '将“财政厅”加入单位名录（单位名录.yaml）');
  assert.equal(add?.kind, 'quickfix');
  assert.deepEqual(add?.diagnostics, [lsp]);
  assert.deepEqual(add?.command, { title: '将“财政厅”加入单位名录（单位名录.yaml）', command: ADD_TO_DIRECTORY_COMMAND, arguments: [{ uri: doc.uri, name: '财政厅' }] });
});

test('add to 单位名录: the last item of the 单位 list, in the list’s own style; the name is then known', () => {
  const cases: [string, string][] = [
    ['单位:\n  - 营商环境建设局\n  - 应急局\n泛称:\n  - 各单位\n', '单位:\n  - 营商环境建设局\n  - 应急局\n  - 财政厅\n泛称:\n  - 各单位\n'],
    // The last item a unit with aliases, a comment after it.
    [
      '单位:\n    -   营商环境建设局\n    -   名称: 市场监督管理局经开区分局\n        简称: [市监分局]\n    # 以上为经开区单位\n泛称: [各单位]\n',
      '单位:\n    -   营商环境建设局\n    -   名称: 市场监督管理局经开区分局\n        简称: [市监分局]\n    -   财政厅\n    # 以上为经开区单位\n泛称: [各单位]\n',
    ],
    ['单位:\n- 营商环境建设局\n', '单位:\n- 营商环境建设局\n- 财政厅\n'],
    ['units: [营商环境建设局, 应急局]\n', 'units: [营商环境建设局, 应急局, 财政厅]\n'],
    ['单位: []\n', '单位: [财政厅]\n'],
    ['单位:\n泛称:\n    - 各单位\n', '单位:\n    - 财政厅\n泛称:\n    - 各单位\n'],
    ['泛称:\n  - 各单位', '泛称:\n  - 各单位\n单位:\n  - 财政厅\n'],
    ['# 空的名录\n', '# 空的名录\n单位:\n  - 财政厅\n'],
    ['单位:\r\n  - 营商环境建设局\r\n', '单位:\r\n  - 营商环境建设局\r\n  - 财政厅\r\n'],
  ];
  const text = '1. 任务。（牵头单位：财政厅；完成时限：12月底前）\n';
  for (const [directory, expected] of cases) {
    const files = { '/w/单位名录.yaml': directory, '/w/doc.fj.md': text };
    const { ws, doc } = open(text, files);
    const edit = addToDirectoryEdit(ws, doc, '财政厅');
    assert.ok(edit, directory);
    const after = applyWorkspaceEdit(ws, files, edit);
    assert.equal(after['/w/单位名录.yaml'], expected);
    const again = open(text, after).doc;
    assert.equal(tasksOf(again)[0]?.lead[0]?.known, 'unit', expected);
    assert.deepEqual(codes(again), []);
  }
});

test('add to 单位名录: nothing when it is listed; a name YAML would misread is quoted; a broken directory is refused', () => {
  const text = '1. 任务。（牵头单位：#1财政厅；完成时限：12月底前）\n';
  const { ws, doc } = open(text, { '/w/单位名录.yaml': DIRECTORY });
  assert.equal(addToDirectoryEdit(ws, doc, '财政局'), null);
  const edit = addToDirectoryEdit(ws, doc, '#1财政厅');
  assert.ok(edit);
  const after = applyWorkspaceEdit(ws, { '/w/单位名录.yaml': DIRECTORY, '/w/doc.fj.md': text }, edit);
  assert.match(after['/w/单位名录.yaml']!, /\n {2}- "#1财政厅"\n$/);
  assert.deepEqual(codes(open(text, after).doc), []);
  const broken = open(text, { '/w/单位名录.yaml': '单位: 营商环境建设局\n' });
  assert.throws(() => addToDirectoryEdit(broken.ws, broken.doc, '财政厅'), { message: '单位名录“单位名录.yaml”的写法有误，无法自动加入“财政厅”。请先修正单位名录中的错误，或手工加入。' });
});

test('add to 单位名录 without one: 单位名录.yaml is created beside the document', () => {
  const text = '1. 任务。（牵头单位：财政厅；完成时限：12月底前）\n';
  const files = { '/w/sub/doc.fj.md': text };
  const { ws, doc } = open(text, {}, '/w/sub/doc.fj.md');
  // Without a directory nothing is unknown; the action starts one from the unit under the cursor.
  const actions = provideCodeActions(ws, doc, at(point(text, '财政厅')), { diagnostics: [] });
  const start = actions.find((a) => a.command);
  assert.equal(start?.title, '新建单位名录（单位名录.yaml）并加入“财政厅”');
  assert.deepEqual(start?.command?.arguments, [{ uri: doc.uri, name: '财政厅' }]);
  const edit = addToDirectoryEdit(ws, doc, '财政厅');
  assert.ok(edit?.documentChanges);
  assert.deepEqual(edit.documentChanges[0], { kind: 'create', uri: ws.uriOf('/w/sub/单位名录.yaml') });
  const after = applyWorkspaceEdit(ws, files, edit);
  assert.equal(after['/w/sub/单位名录.yaml'], '单位:\n  - 财政厅\n');
  const again = open(text, after, '/w/sub/doc.fj.md').doc;
  assert.equal(again.analysis.directory?.path, '/w/sub/单位名录.yaml');
  assert.equal(tasksOf(again)[0]?.lead[0]?.known, 'unit');
  // The front matter may name where it goes.
  const named = '---\n单位名录: 名录/单位.yaml\n---\n' + text;
  const n = open(named, {}, '/w/doc.fj.md');
  const create = addToDirectoryEdit(n.ws, n.doc, '财政厅');
  assert.deepEqual(create?.documentChanges?.[0], { kind: 'create', uri: n.ws.uriOf('/w/名录/单位.yaml') });
  const offered = provideCodeActions(n.ws, n.doc, at(point(named, '财政厅')), { diagnostics: [] }).find((a) => a.command);
  assert.equal(offered?.title, '新建单位名录（名录/单位.yaml）并加入“财政厅”');
});

test('add to 单位名录 is not offered when the workspace may not write its file (Restricted Mode, outside the workspace)', () => {
  const text = '1. 任务。（牵头单位：财政厅；完成时限：12月底前）\n';
  const refused: [string, string][] = [];
  const guarded = (files: Record<string, string>, file: string) => {
    const { ws, doc } = open(text, files, file);
    const mayWrite = (p: string, from?: string): boolean => {
      refused.push([p, from ?? '']);
      return false;
    };
    return { ws: Object.assign(ws, { mayWrite }), doc };
  };
  // A directory in use: the quick fix on the unknown name.
  const a = guarded({ '/w/单位名录.yaml': DIRECTORY }, '/w/sub/doc.fj.md');
  const d = a.doc.analysis.diagnostics.find((x) => x.code === 'unknown-unit')!;
  const quick = provideCodeActions(a.ws, a.doc, d.range, { diagnostics: [toLspDiagnostic(d, a.doc.uri, a.ws.uriOf)] });
  assert.ok(quick.length > 0 && !quick.some((x) => x.command), quick.map((x) => x.title).join(' | '));
  assert.deepEqual(refused.at(-1), ['/w/单位名录.yaml', '/w/sub/doc.fj.md']);
  // None yet: the action that would create one.
  const b = guarded({}, '/w/doc.fj.md');
  assert.ok(!provideCodeActions(b.ws, b.doc, at(point(text, '财政厅')), { diagnostics: [] }).some((x) => x.command));
  assert.deepEqual(refused.at(-1), ['/w/单位名录.yaml', '/w/doc.fj.md']);
});

const SPEC = `---\n年度: 2020\n---\n${SPEC_EXAMPLE}`;

function rewrite(doc: ServiceDocument, ws: ServiceWorkspace, needle: string, title: string): string {
  const actions = provideCodeActions(ws, doc, at(point(doc.text, needle)), { diagnostics: [] });
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no ${title} among ${actions.map((a) => a.title).join('、')}`);
  assert.equal(action.kind, 'refactor.rewrite');
  return applied(doc, action);
}

test('改为字段行 and 改为行内写法: the spec example round-trips to the same text and the same tasks', () => {
  const { ws, doc } = open(SPEC, {});
  assert.deepEqual(codes(doc), []);
  const before = tasksOf(doc).map(meaning);
  const lines = rewrite(doc, ws, '全面推进', '改为字段行');
  assert.equal(
    lines,
    SPEC.replace(
      '规范化。（牵头单位：营商环境建设局；责任单位：各单位；完成时限：12月底前）',
      '规范化。\n   - 牵头单位：营商环境建设局\n   - 责任单位：各单位\n   - 完成时限：12月底前',
    ),
  );
  const d1 = open(lines, {});
  assert.deepEqual(codes(d1.doc), []);
  assert.deepEqual(tasksOf(d1.doc).map(meaning), before);
  assert.equal(rewrite(d1.doc, d1.ws, '全面推进', '改为行内写法'), SPEC);
  const inline = rewrite(doc, ws, '加强权力配置信息公开', '改为行内写法');
  assert.equal(
    inline,
    SPEC.replace('公开。\n   各单位', '公开。（牵头单位：营商环境建设局；责任单位：各单位；完成时限：12月底前）\n   各单位').replace(
      '……\n   - 牵头单位：营商环境建设局\n   - 责任单位：各单位\n   - 完成时限：12月底前\n',
      '……\n',
    ),
  );
  const d2 = open(inline, {});
  assert.deepEqual(codes(d2.doc), []);
  assert.deepEqual(tasksOf(d2.doc).map(meaning), before);
  assert.equal(rewrite(d2.doc, d2.ws, '加强权力配置信息公开', '改为字段行'), SPEC);
});

test('rewrites: canonical names and order, field lines, a loose item, a full stop after the parenthesis', () => {
  const text = `1. 任务甲。
   完成时限：12月底前
   牵头：营商环境建设局

2. 任务乙。

   - 时限：12月底前
   - 牵头部门：应急局

3. 任务丙。（完成时限：12月底前，牵头单位：财政局）。
`;
  const { ws, doc } = open(text);
  assert.deepEqual(codes(doc), []);
  const before = tasksOf(doc).map(meaning);
  const a = rewrite(doc, ws, '任务甲', '改为行内写法');
  assert.equal(a, text.replace('任务甲。\n   完成时限：12月底前\n   牵头：营商环境建设局\n', '任务甲。（牵头单位：营商环境建设局；完成时限：12月底前）\n'));
  const b = rewrite(doc, ws, '任务乙', '改为行内写法');
  assert.equal(b, text.replace('任务乙。\n\n   - 时限：12月底前\n   - 牵头部门：应急局\n', '任务乙。（牵头单位：应急局；完成时限：12月底前）\n'));
  const c = rewrite(doc, ws, '任务丙', '改为字段行');
  assert.equal(c, text.replace('任务丙。（完成时限：12月底前，牵头单位：财政局）。', '任务丙。\n   - 牵头单位：财政局\n   - 完成时限：12月底前'));
  for (const t of [a, b, c]) {
    const after = open(t).doc;
    assert.deepEqual(codes(after), []);
    assert.deepEqual(tasksOf(after).map(meaning), before);
  }
});

test('rewrites are not offered where they would not fit or mean the same', () => {
  const text = `1. 没有字段的任务

2. 字段值跨行的任务
   - 牵头单位：营商环境建设局、
     应急局
   - 完成时限：12月底前

3. 两种写法都有的任务。（牵头单位：财政局）
   - 完成时限：12月底前
`;
  const { ws, doc } = open(text);
  const titles = (needle: string): string[] => provideCodeActions(ws, doc, at(point(text, needle)), { diagnostics: [] }).map((a) => a.title);
  assert.deepEqual(titles('没有字段'), []);
  assert.deepEqual(titles('字段值跨行'), []);
  assert.deepEqual(titles('两种写法'), ['改为字段行']);
  const mixed = rewrite(doc, ws, '两种写法', '改为字段行');
  assert.match(mixed, /两种写法都有的任务。\n {3}- 完成时限：12月底前\n {3}- 牵头单位：财政局\n$/);
  assert.deepEqual(tasksOf(open(mixed).doc).map(meaning), tasksOf(doc).map(meaning));
});

test('重新编号 fixes every numbering finding at once, re-indenting an item whose number gets wider', () => {
  const items = Array.from({ length: 8 }, (_, i) => `${i + 1}. 任务${i + 1}。（牵头单位：应急局；完成时限：12月底前）`).join('\n');
  const text = `# 表

## 一、甲类

${items}
8. 任务九。（牵头单位：应急局；完成时限：12月底前）
9. 任务十。

   落实举措。

   - 牵头单位：财政局
   - 完成时限：12月底前

## 三、乙类

## 三、丙类

2. 任务十一。（牵头单位：应急局；完成时限：12月底前）
`;
  const { ws, doc } = open(text);
  // 8 → 9, 9 → 10, the first 三 → 二, and 2 → 11 (a second list not starting at 1 continues the first).
  assert.equal(doc.analysis.diagnostics.filter((d) => d.code === 'numbering').length, 4);
  const before = tasksOf(doc).map(meaning);
  const actions = provideCodeActions(ws, doc, at({ line: 0, character: 0 }), { diagnostics: [] });
  const renumber = actions.find((a) => a.title === '重新编号');
  assert.equal(renumber?.kind, 'refactor.rewrite');
  const after = applied(doc, renumber);
  assert.match(after, /\n9\. 任务九。/);
  assert.match(after, /\n10\. 任务十。\n\n {4}落实举措。\n\n {4}- 牵头单位：财政局\n/);
  assert.match(after, /## 二、乙类\n\n## 三、丙类\n\n11\. 任务十一/);
  const checked = open(after).doc;
  assert.deepEqual(codes(checked), []);
  assert.deepEqual(tasksOf(checked).map(meaning), before);
});

test('修正所有可自动修正的问题 applies every preferred fix, and only those', () => {
  const { ws, doc } = open(FIXABLE);
  const actions = provideCodeActions(ws, doc, at({ line: 0, character: 0 }), { diagnostics: [], only: ['source.fixAll'] });
  assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['修正所有可自动修正的问题', 'source.fixAll']]);
  const after = open(applied(doc, actions[0])).doc;
  // Left: what needs a person (the front matter key, the unknown unit, the unreadable deadline).
  assert.deepEqual(codes(after), ['2:front-matter', '9:unknown-unit', '10:bad-deadline']);
  assert.match(after.text, /任务甲，乙。（牵头单位：营商环境建设局；责任单位：应急局；/);
  assert.match(after.text, /\n3\. 任务丙/);
  assert.match(after.text, /## 二、乙类/);
  assert.match(after.text, /完成时限：2020年底前）/);
});

test('context.only filters by kind, sub-kinds included', () => {
  const { ws, doc } = open(FIXABLE);
  const d = doc.analysis.diagnostics.find((x) => x.code === 'unknown-unit')!;
  const lsp = toLspDiagnostic(d, doc.uri, ws.uriOf);
  const kinds = (only?: string[]): string[] => [...new Set(provideCodeActions(ws, doc, d.range, { diagnostics: [lsp], ...(only ? { only } : {}) }).map((a) => a.kind ?? ''))];
  assert.deepEqual(kinds(), ['quickfix', 'refactor.rewrite', 'source.fixAll']);
  assert.deepEqual(kinds(['quickfix']), ['quickfix']);
  assert.deepEqual(kinds(['refactor']), ['refactor.rewrite']);
  assert.deepEqual(kinds(['source']), ['source.fixAll']);
  assert.deepEqual(kinds(['source.organizeImports']), []);
});

test('positions on lines with 𠮷 and emoji, and in a CRLF document', () => {
  const marked = cursor('1. 𠮷祥😀任|务。（牵头单位：应急局；完成时限：12月底前）\n2. 任务二😀。（牵头单位：财政局；完成时限：12月底前）\n');
  const { ws, doc } = open(marked.text);
  const [action] = provideCodeActions(ws, doc, at(marked.position), { diagnostics: [] });
  assert.equal(action?.title, '改为字段行');
  const lines = applied(doc, action);
  assert.equal(lines, marked.text.replace('任务。（牵头单位：应急局；完成时限：12月底前）', '任务。\n   - 牵头单位：应急局\n   - 完成时限：12月底前'));
  assert.deepEqual(codes(open(lines).doc), []);
  const crlf = '# 表\r\n\r\n1. 任务😀。（牵头单位：应急局；完成时限：12月底前）\r\n3. 任务二。\r\n   - 牵头单位：财政局\r\n   - 完成时限：12月底前\r\n';
  const c = open(crlf);
  assert.deepEqual(codes(c.doc), ['4:numbering']);
  const toLines = rewrite(c.doc, c.ws, '任务😀', '改为字段行');
  assert.equal(toLines, crlf.replace('任务😀。（牵头单位：应急局；完成时限：12月底前）', '任务😀。\r\n   - 牵头单位：应急局\r\n   - 完成时限：12月底前'));
  const toInline = rewrite(c.doc, c.ws, '任务二', '改为行内写法');
  assert.equal(toInline, crlf.replace('任务二。\r\n   - 牵头单位：财政局\r\n   - 完成时限：12月底前', '任务二。（牵头单位：财政局；完成时限：12月底前）'));
  const fixAll = provideCodeActions(c.ws, c.doc, at({ line: 0, character: 0 }), { diagnostics: [], only: ['source.fixAll'] })[0];
  assert.equal(applied(c.doc, fixAll), crlf.replace('3. 任务二', '2. 任务二'));
  for (const [t, numbering] of [
    [toLines, '6:numbering'],
    [toInline, '4:numbering'],
  ] as const) {
    assert.ok(!/[^\r]\n/.test(t), 'every line break stays CRLF');
    // Only the number written wrong on purpose, now on its line of the rewritten text.
    assert.deepEqual(codes(open(t).doc), [numbering]);
  }
});

/** Issue 10 (1): the lists run on across categories, and the last item sits right under a paragraph. */
const UNDER_PARAGRAPH = `## 一、综合

1. 任务甲（牵头单位：财政局；完成时限：12月底前）
2. 任务乙（牵头单位：财政局；完成时限：12月底前）

## 二、专项

3. 任务丙（牵头单位：财政局；完成时限：12月底前）

以下任务由财政局统筹：
1. 任务丁（牵头单位：财政局；完成时限：12月底前）
`;

const taskTexts = (text: string): string[] => buildModel(text).breakdowns.flatMap((b) => b.tasks.map((t) => t.text));

test('renumbering an item right under a paragraph keeps it a task: the quick fix, 重新编号 and 修正所有 add a blank line', () => {
  const { ws, doc } = open(UNDER_PARAGRAPH);
  const want = UNDER_PARAGRAPH.replace('以下任务由财政局统筹：\n1. 任务丁', '以下任务由财政局统筹：\n\n4. 任务丁');
  assert.deepEqual(taskTexts(UNDER_PARAGRAPH), ['任务甲', '任务乙', '任务丙', '任务丁']);
  const d = doc.analysis.diagnostics.find((x) => x.code === 'numbering');
  assert.ok(d);
  const quick = provideCodeActions(ws, doc, d.range, { diagnostics: [toLspDiagnostic(d, doc.uri, ws.uriOf)], only: ['quickfix'] });
  assert.deepEqual(quick.map((a) => a.title), ['改为 4，并在上面加一个空行（否则这一项会并入上一段）']);
  assert.equal(applied(doc, quick[0]), want);
  const all = provideCodeActions(ws, doc, at({ line: 0, character: 0 }), { diagnostics: [] });
  assert.equal(applied(doc, all.find((a) => a.title === '重新编号')), want);
  assert.equal(applied(doc, all.find((a) => a.title === '修正所有可自动修正的问题')), want);
  assert.deepEqual(taskTexts(want), ['任务甲', '任务乙', '任务丙', '任务丁']);
});

test('checkEdits refuses an edit that would lose a task, and says so', () => {
  const model = buildModel(UNDER_PARAGRAPH);
  const at1 = UNDER_PARAGRAPH.lastIndexOf('1. 任务丁');
  const bare = checkEdits(model, [{ start: at1, end: at1 + 1, newText: '4' }]);
  assert.equal(bare.ok, false);
  assert.equal(!bare.ok && bare.reason, '任务将从 4 项变为 3 项');
  const kept = checkEdits(model, [{ start: at1 - 1, end: at1 - 1, newText: '\n' }, { start: at1, end: at1 + 1, newText: '4' }]);
  assert.equal(kept.ok, true);
  // A field line turned into a code block is refused too.
  const lineFields = '- 任务甲\n\n  牵头单位：财政局\n- 任务乙\n';
  const at2 = lineFields.indexOf('  牵头');
  const out = checkEdits(buildModel(lineFields), [{ start: at2, end: at2, newText: '    ' }]);
  assert.equal(!out.ok && out.reason, '第 1 行的任务“任务甲”的字段将有变化');
  assert.equal(checkEdits(buildModel(lineFields), [{ start: at2, end: at2, newText: ' ' }]).ok, true);
});
