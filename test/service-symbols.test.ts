import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { LineIndex } from '../server/src/engine/index.ts';
import { provideDocumentSymbols, provideFoldingRanges } from '../server/src/service/symbols.ts';
import type { ServiceDocument } from '../server/src/service/types.ts';
import { ROOT } from './helpers.ts';
import { memoryWorkspace } from './service-helpers.ts';

function docOf(text: string, files: Record<string, string> = {}): ServiceDocument {
  const ws = memoryWorkspace({ ...files, '/w/doc.fj.md': text });
  return ws.get(ws.uriOf('/w/doc.fj.md'))!;
}

function all(symbols: DocumentSymbol[]): DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...all(s.children ?? [])]);
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function slice(text: string, r: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
}

/** Every symbol's selection lies in its range, and every child's range in its parent's. */
function assertWellNested(symbols: DocumentSymbol[], parent?: DocumentSymbol): void {
  for (const s of symbols) {
    assert.ok(s.name.length > 0, 'a symbol needs a name');
    assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection outside its range`);
    if (parent) assert.ok(contains(parent.range, s.range), `${s.name}: outside ${parent.name}`);
    assertWellNested(s.children ?? [], s);
  }
}

const CHANGCHUN = path.join(ROOT, 'examples', 'changchun-2020');

test('the changchun-2020 notice: body, one attachment, 6 categories, 20 tasks', () => {
  const text = fs.readFileSync(path.join(CHANGCHUN, '通知.fj.md'), 'utf8');
  const doc = docOf(text, { '/w/单位名录.yaml': fs.readFileSync(path.join(CHANGCHUN, '单位名录.yaml'), 'utf8') });
  const symbols = provideDocumentSymbols(doc);
  assertWellNested(symbols);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [
      ['正文', SymbolKind.String],
      ['附件：经开区贯彻落实国家、吉林省和长春市2020年政务公开工作要点任务清单', SymbolKind.Module],
    ],
  );
  const attachment = symbols[1]!;
  const categories = all([attachment]).filter((s) => s.kind === SymbolKind.Namespace);
  const tasks = all([attachment]).filter((s) => s.kind === SymbolKind.Event);
  assert.equal(categories.length, 6);
  assert.equal(tasks.length, 20);
  assert.deepEqual(
    attachment.children?.map((c) => [c.name, c.children?.length]),
    [
      ['一、加强权力配置信息和决策信息的公开', 3],
      ['二、聚焦“六稳”“六保”工作加强政策解读', 3],
      ['三、以政务公开助推营商环境持续优化', 3],
      ['四、围绕应对突发公共事件做好政务公开', 3],
      ['五、全力抓好政府信息公开条例的贯彻执行', 4],
      ['六、强化政务公开的各项保障', 4],
    ],
  );
  assert.deepEqual(tasks.map((t) => t.name.split('. ')[0]), Array.from({ length: 20 }, (_, i) => String(i + 1)));
  const [first, second] = tasks;
  assert.equal(first?.name, '1. 加强权力配置信息公开。');
  assert.equal(slice(text, first!.selectionRange), '加强权力配置信息公开。');
  assert.equal(second?.detail, '营商环境建设局');
  // The heading's text is what is selected, without its `##`.
  assert.equal(slice(text, categories[0]!.selectionRange), '一、加强权力配置信息和决策信息的公开');
  // A category runs to its last task's last line.
  assert.equal(categories[0]!.range.end.line, tasks[2]!.range.end.line);
  assert.equal(slice(text, attachment.selectionRange), '附件：经开区贯彻落实国家、吉林省和长春市2020年政务公开工作要点任务清单');
});

test('breakdown names: the title, 附件N with its title, or 任务分解表', () => {
  const names = (text: string): string[] => provideDocumentSymbols(docOf(text)).map((s) => s.name);
  assert.deepEqual(names('# 2020年任务分解表\n\n- 任务\n'), ['2020年任务分解表']);
  assert.deepEqual(names('- 任务\n'), ['任务分解表']);
  assert.deepEqual(names('正文。\n\n# 附件1\n\n# 分工方案\n\n- 任务\n\n# 附件2：台账\n\n- 任务\n'), ['正文', '附件1：分工方案', '附件2：台账']);
  assert.deepEqual(names(''), []);
});

test('categories nest by level; a category’s tasks before its subcategories stay in document order', () => {
  const text = `# 表

## 一、甲类

1. 甲类自己的任务
   - 牵头单位：营商环境建设局

### （一）子类

1. 子类的任务。（牵头单位：应急局）
2. 第二条子类任务

#### 1. 更深一级

- 最深的任务

## 二、乙类

- 乙类的任务
`;
  const symbols = provideDocumentSymbols(docOf(text));
  assertWellNested(symbols);
  const shape = (s: DocumentSymbol): unknown => (s.children?.length ? [s.name, s.children.map(shape)] : s.name);
  assert.deepEqual(shape(symbols[0]!), [
    '表',
    [
      ['一、甲类', ['1. 甲类自己的任务', ['（一）子类', ['2. 子类的任务。', '3. 第二条子类任务', ['1. 更深一级', ['4. 最深的任务']]]]]],
      ['二、乙类', ['5. 乙类的任务']],
    ],
  ]);
  const tasks = all(symbols).filter((s) => s.kind === SymbolKind.Event);
  assert.deepEqual(tasks.map((t) => t.detail), ['营商环境建设局', '应急局', undefined, undefined, undefined]);
  // The inline fields are not part of the selected task text.
  assert.equal(slice(text, tasks[1]!.selectionRange), '子类的任务。');
  // 一、甲类 runs up to the line before 二、乙类, without the blank line.
  const [jia] = symbols[0]!.children!;
  assert.equal(jia?.range.start.line, 2);
  assert.equal(jia?.range.end.line, 14);
});

test('a long task name is clipped, never inside a surrogate pair', () => {
  const long = '𠮷'.repeat(30) + '😀'.repeat(30);
  const [bd] = provideDocumentSymbols(docOf(`- ${long}\n`));
  const name = bd!.children![0]!.name;
  assert.equal(name, `1. ${'𠮷'.repeat(30)}${'😀'.repeat(10)}……`);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name), 'no lone surrogate');
  const short = provideDocumentSymbols(docOf('- 𠮷任务😀\n'))[0]!.children![0]!;
  assert.equal(short.name, '1. 𠮷任务😀');
  assert.deepEqual(short.selectionRange, { start: { line: 0, character: 2 }, end: { line: 0, character: 8 } });
});

test('folding: front matter, the breakdown, each category to before the next heading, each multi-line task', () => {
  const text = `---
年度: 2020
---
# 表

## 一、甲类

1. 单行任务。（牵头单位：甲局；完成时限：12月底前）
2. 多行任务。
   举措。
   - 牵头单位：甲局
   - 完成时限：12月底前

### （一）子类

- 子类任务
  - 牵头单位：乙局

## 二、乙类

- 乙类任务。（牵头单位：丙局）
`;
  const folds = provideFoldingRanges(docOf(text)).map((f) => [f.startLine, f.endLine]);
  assert.deepEqual(folds, [
    [0, 2], // front matter
    [3, 20], // the breakdown, from its title
    [5, 16], // 一、甲类, up to the line before 二、乙类 (blank lines left out)
    [8, 11], // the multi-line task
    [13, 16], // （一）子类
    [15, 16], // its task
    [18, 20], // 二、乙类
  ]);
});

test('folding a notice: its body’s headings fold too', () => {
  const text = '# 关于印发的通知\n\n正文第一段。\n\n## 一、要求\n\n要求正文。\n\n# 附件1：清单\n\n- 任务甲\n  举措。\n';
  const folds = provideFoldingRanges(docOf(text)).map((f) => [f.startLine, f.endLine]);
  assert.deepEqual(folds, [
    [0, 6],
    [4, 6],
    [8, 11],
    [10, 11],
  ]);
});

test('a CRLF document: symbols and folding on the right lines', () => {
  const lf = '# 表\n\n## 一、甲类\n\n- 任务一\n  - 牵头单位：甲局\n\n## 二、乙类\n\n- 任务二\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const a = docOf(lf);
  const b = docOf(crlf);
  assert.deepEqual(provideDocumentSymbols(b), provideDocumentSymbols(a));
  assert.deepEqual(provideFoldingRanges(b), provideFoldingRanges(a));
  assert.deepEqual(provideFoldingRanges(b).map((f) => [f.startLine, f.endLine]), [
    [0, 9],
    [2, 5],
    [4, 5],
    [7, 9],
  ]);
});

test('Setext headings and a heading with a closing sequence select their text only', () => {
  const text = '二〇二〇年分解表\n========\n\n一、甲类\n--------\n\n- 任务\n\n## 二、乙类 ##\n\n- 任务二\n';
  const symbols = provideDocumentSymbols(docOf(text));
  assertWellNested(symbols);
  const [bd] = symbols;
  assert.equal(bd?.name, '二〇二〇年分解表');
  assert.equal(slice(text, bd!.selectionRange), '二〇二〇年分解表');
  assert.deepEqual(bd?.children?.map((c) => slice(text, c.selectionRange)), ['一、甲类', '二、乙类']);
});
