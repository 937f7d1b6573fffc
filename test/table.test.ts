import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Table } from '../server/src/engine/index.ts';
import { SAMPLE_NOTICE, viewOf } from './helpers.ts';

const view = (text: string) => viewOf(text);

/** The table as a grid: each position holds the text of the cell covering it (merges repeated). */
function grid(t: Table): string[][] {
  const out: string[][] = t.rows.map(() => Array<string>(t.columns.length).fill('∅'));
  t.rows.forEach((row, r) => {
    for (const c of row.cells) {
      for (let i = 0; i < c.rowspan; i++) for (let j = 0; j < c.colspan; j++) {
        assert.equal(out[r + i]?.[c.column + j], '∅', `two cells cover row ${r + i + 1}, column ${c.column + j + 1}`);
        (out[r + i] as string[])[c.column + j] = c.text;
      }
    }
  });
  for (const row of out) assert.ok(!row.includes('∅'), `a position no cell covers: ${row.join('|')}`);
  return out;
}

test('categories merge down over their tasks and a shallow task spans the empty category columns', () => {
  const { view: v } = view(
    [
      '# 表',
      '## 一、甲类',
      '### （一）甲一',
      '1. 任务一\n   - 牵头单位：市财政局\n   - 完成时限：12月底前',
      '2. 任务二\n   - 牵头单位：市教育局\n   - 完成时限：12月底前',
      '### （二）甲二',
      '1. 任务三\n   - 牵头单位：市教育局\n   - 完成时限：6月底前',
      '## 二、乙类',
      '- 任务四\n  - 牵头单位：市财政局\n  - 完成时限：长期坚持',
      '',
    ].join('\n\n'),
  );
  const t = v.tables[0] as Table;
  assert.equal(t.title, '表');
  assert.deepEqual(t.columns.map((c) => c.label), ['序号', '一级类别', '二级类别', '重点任务', '牵头单位', '完成时限']);
  assert.deepEqual(grid(t), [
    ['1', '一、甲类', '（一）甲一', '任务一', '市财政局', '12月底前'],
    ['2', '一、甲类', '（一）甲一', '任务二', '市教育局', '12月底前'],
    ['3', '一、甲类', '（二）甲二', '任务三', '市教育局', '6月底前'],
    ['4', '二、乙类', '任务四', '任务四', '市财政局', '长期坚持'],
  ]);
  const first = t.rows[0]?.cells[1];
  assert.deepEqual([first?.rowspan, first?.colspan], [3, 1]);
  const shallow = t.rows[3]?.cells.find((c) => c.text === '任务四');
  assert.deepEqual([shallow?.column, shallow?.colspan], [2, 2]);
});

test('an empty required field is a marked cell, and its column shows even when no task fills it', () => {
  const { view: v } = view('# 表\n\n## 一、类\n\n1. 任务一\n   - 责任单位：各区县政府\n');
  const t = v.tables[0] as Table;
  assert.deepEqual(t.columns.map((c) => c.label), ['序号', '类别', '重点任务', '牵头单位', '责任单位', '完成时限']);
  const marked = t.rows[0]?.cells.filter((c) => c.missing).map((c) => t.columns[c.column]?.label);
  assert.deepEqual(marked, ['牵头单位', '完成时限']);
  assert.equal(t.rows[0]?.line, 5);
});

test('a notice: its parts, its body classed by labels, one table per attachment', () => {
  const { view: v } = view(SAMPLE_NOTICE);
  assert.deepEqual(v.notice, { number: '某政办发〔2020〕1号', title: '关于印发某某的通知', to: '各单位', date: '2020年9月30日', signature: '某某办公室', note: '（此件公开发布）' });
  assert.deepEqual(v.body.map((b) => [b.kind, b.text]), [
    ['p', '现将要点印发给你们。'],
    ['h1', '一、提高认识'],
    ['h2', '（一）加强领导。要求如下。'],
  ]);
  assert.deepEqual(v.tables.map((t) => [t.label, t.title, t.rows.length]), [
    ['附件1', '任务分解表', 1],
    ['附件2', '另一表', 1],
  ]);
});

test('the 按单位 view: each unit with the tasks it leads and those it joins', () => {
  const { units } = view(
    '# 表\n\n1. 任务一\n   - 牵头单位：财政局\n   - 责任单位：市教育局、各区县政府\n   - 完成时限：12月底前\n2. 任务二\n   - 责任单位：市教育局牵头，市财政局\n   - 完成时限：12月底前\n',
  );
  assert.deepEqual(
    units.map((u) => [u.name, u.leads.map((t) => t.number), u.joins.map((t) => t.number)]),
    [
      ['市财政局', [1], [2]],
      ['市教育局', [2], [1]],
      ['各区县政府', [], [1]],
    ],
  );
});
