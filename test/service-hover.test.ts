import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InlayHintKind, type Hover, type MarkupContent, type Position } from 'vscode-languageserver-types';
import { provideHover } from '../server/src/service/hover.ts';
import { provideInlayHints } from '../server/src/service/inlayHints.ts';
import type { Settings } from '../server/src/settings.ts';
import { cursor, DOC_HEAD, memoryWorkspace, SERVICE_DIRECTORY } from './service-helpers.ts';

const DIRECTORY = SERVICE_DIRECTORY;
const HEAD = DOC_HEAD;

const OTHER = `${HEAD}1. 甲。（牵头单位：市场监督管理局经开区分局，责任单位：营商环境建设局，完成时限：2020年12月31日前）
2. 乙。
   - 牵头单位：应急局
   - 配合单位：市监分局
   - 完成时限：年底前
`;

function setup(text: string, files: Record<string, string> = { '/w/单位名录.yaml': DIRECTORY, '/w/b.fj.md': OTHER }, settings: Partial<Settings> = {}) {
  const ws = memoryWorkspace({ ...files, '/w/a.fj.md': text }, { open: ['/w/a.fj.md'], settings });
  const doc = ws.get(ws.uriOf('/w/a.fj.md'));
  assert.ok(doc);
  return { ws, doc };
}

/** Hover at the `|` of a document /w/a.fj.md. */
function hover(marked: string, files?: Record<string, string>): { hover: Hover | null; position: Position; text: string } {
  const { text, position } = cursor(marked);
  const { ws, doc } = setup(text, files);
  return { hover: provideHover(ws, doc, position), position, text };
}

function card(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

const A = `${HEAD}1. 任务一。
   - 牵头单位：营商环境建设局
   - 责任单位：市监分局、各单位
   - 完成时限：12月底前
`;

test('hover on a unit: full name, 简称, directory, counts across two documents', () => {
  const { hover: h, position } = hover(A.replace('牵头单位：营商', '牵头单位：营|商'));
  const value = card(h);
  assert.match(value, /^\*\*营商环境建设局\*\*/);
  assert.match(value, /已列入单位名录。/);
  // Leads task 1 here; takes part in 甲 of b.fj.md as 责任单位.
  assert.match(value, /工作区中：牵头 1 项任务、参与 1 项任务（2 个文档）/);
  assert.ok(!value.includes('泛称'));
  assert.deepEqual(h?.range, { start: { line: position.line, character: 10 }, end: { line: position.line, character: 17 } });
});

test('hover on a 简称 shows the full name and counts every spelling', () => {
  const value = card(hover(A.replace('责任单位：市监', '责任单位：市|监')).hover);
  assert.match(value, /^\*\*市场监督管理局经开区分局\*\*/);
  assert.match(value, /“市监分局”是简称。/);
  assert.match(value, /简称：市监分局/);
  // Leads 甲 (full name); takes part here (责任单位) and in 乙 (配合单位, by its 简称).
  assert.match(value, /牵头 1 项任务、参与 2 项任务/);
});

test('hover on a 泛称, and on a name missing from the directory', () => {
  const collective = card(hover(A.replace('、各单位', '、各|单位')).hover);
  assert.match(collective, /^\*\*各单位\*\*/);
  assert.match(collective, /泛称（泛指一类单位，可作责任单位、配合单位，不能作牵头单位）/);
  assert.match(collective, /不在单位名录中（按写法认作泛称）。/);
  const listed = card(hover(A.replace('、各单位', '、市直各|部门')).hover);
  assert.match(listed, /已列入单位名录（泛称）。/);
  const unknown = card(hover(A.replace('营商环境建设局', '营商|局')).hover);
  assert.match(unknown, /不在单位名录中。/);
  assert.match(unknown, /牵头 1 项任务、参与 0 项任务$/);
  const noDirectory = card(hover(A.replace('营商环境建设局', '营商|局'), {}).hover);
  assert.match(noDirectory, /未找到单位名录，名称未经核对。/);
});

test('hover on a deadline: the resolved date, periodic, unknown', () => {
  const relative = hover(A.replace('12月底前', '12月|底前'));
  assert.equal(card(relative.hover), '**完成时限：12月底前**\n\n截止日期：2020年12月31日（年份取自年度 2020）');
  assert.deepEqual(relative.hover?.range, { start: { line: relative.position.line, character: 10 }, end: { line: relative.position.line, character: 15 } });
  assert.match(card(hover(A.replace('12月底前', '2020年12月31日|前')).hover), /截止日期：2020年12月31日$/);
  assert.match(card(hover(A.replace('12月底前', '每|月')).hover), /周期性时限（每月），没有最后一天/);
  assert.match(card(hover(A.replace('12月底前', '长期|坚持')).hover), /长期性时限，没有最后一天/);
  const bad = card(hover(A.replace('12月底前', '年|底')).hover);
  assert.match(bad, /无法识别这个完成时限。是否应为“年底前”？/);
  assert.match(bad, /可用的写法如：2020年12月31日前、/);
  assert.match(card(hover(A.replace('12月底前', '6月底|前')).hover), /注意：早于成文日期2020年9月30日。/);
  assert.match(card(hover(A.replace('12月底前', '2021年3月底|前')).hover), /注意：超出了2020年度。/);
  const noYear = card(hover(`# 表\n\n1. 任务。\n   - 完成时限：12月|底前\n`).hover);
  assert.match(noYear, /截止日期：12月31日，年份无法确定。/);
  assert.match(noYear, /请写明“年度”（如“年度: 2020”）/);
});

test('no hover on task text, field names, headings or plain text', () => {
  assert.equal(hover(A.replace('任务一', '任|务一')).hover, null);
  assert.equal(hover(A.replace('- 牵头单位', '- 牵|头单位')).hover, null);
  assert.equal(hover(A.replace('# 表', '# |表')).hover, null);
  assert.equal(hover(`${HEAD}正文|。\n`).hover, null);
});

test('UTF-16 columns on lines with 𠮷 and emoji, and CRLF documents', () => {
  const line = '1. 𠮷任务😀。（牵头单位：市监分局，完成时限：第三季度）';
  for (const eol of ['\n', '\r\n']) {
    const marked = `${HEAD}${line.replace('市监', '市|监')}${eol}`.replace(/\n/g, eol).replace(/\r\r/g, '\r');
    const { hover: h, position } = hover(marked);
    assert.match(card(h), /^\*\*市场监督管理局经开区分局\*\*/);
    // 𠮷 and 😀 are two UTF-16 units each.
    const start = line.indexOf('市监分局');
    assert.equal(start, 16);
    assert.deepEqual(h?.range, { start: { line: position.line, character: start }, end: { line: position.line, character: start + 4 } });
    const d = hover(`${HEAD}${line.replace('第三季度', '第三|季度')}${eol}`.replace(/\n/g, eol).replace(/\r\r/g, '\r'));
    assert.match(card(d.hover), /截止日期：2020年9月30日/);
    const ds = line.indexOf('第三季度');
    assert.deepEqual(d.hover?.range, { start: { line: d.position.line, character: ds }, end: { line: d.position.line, character: ds + 4 } });
  }
});

const HINTS = `${HEAD}1. 一。
   - 完成时限：12月底前
2. 二。
   - 完成时限：2020年12月31日前
3. 三。
   - 完成时限：2020年底前
4. 四。
   - 完成时限：每月
5. 五。
   - 完成时限：长期坚持
6. 六。
   - 完成时限：年底
7. 𠮷七😀。（牵头单位：应急局，完成时限：第三季度）
8. 八。
   完成时限：上半年。
`;

function hints(text: string, range?: { start: Position; end: Position }, settings: Partial<Settings> = {}) {
  const { ws, doc } = setup(text, {}, settings);
  const lines = doc.analysis.model.lines;
  return provideInlayHints(ws, doc, range ?? { start: { line: 0, character: 0 }, end: lines.position(text.length) });
}

test('inlay hints after relative deadlines, at their end', () => {
  const out = hints(HINTS);
  const lines = HINTS.split('\n');
  const at = (s: string): Position => {
    const line = lines.findIndex((l) => l.includes(s));
    return { line, character: (lines[line] as string).indexOf(s) + s.length };
  };
  assert.deepEqual(
    out.map((h) => [h.position, h.label]),
    [
      [at('：12月底前'), '→ 2020-12-31'],
      [at('2020年底前'), '→ 2020-12-31'],
      [at('第三季度'), '→ 2020-09-30'],
      [at('上半年'), '→ 2020-06-30'],
    ],
  );
  assert.deepEqual(at('第三季度'), { line: 19, character: 28 }, '𠮷 and 😀 count two each');
  assert.equal(at('上半年').character, 11, 'before the full stop');
  for (const h of out) {
    assert.equal(h.paddingLeft, true);
    assert.equal(h.kind, InlayHintKind.Parameter);
  }
  assert.equal(out[0]?.tooltip, '“12月底前”的最后一天是2020年12月31日');
});

test('inlay hints only within the range, and none when switched off or without a year', () => {
  const only = hints(HINTS, { start: { line: 9, character: 0 }, end: { line: 19, character: 27 } });
  assert.deepEqual(only.map((h) => h.position.line), [12]);
  assert.deepEqual(hints(HINTS, { start: { line: 19, character: 28 }, end: { line: 19, character: 28 } }).length, 1, 'a hint at the range end is in it');
  assert.deepEqual(hints(HINTS, undefined, { deadlineDates: false }), []);
  // Without 年度 or 成文日期 only a deadline that names its year resolves.
  assert.deepEqual(
    hints(HINTS.replace(HEAD, '# 表\n\n')).map((h) => h.label),
    ['→ 2020-12-31'],
  );
});

test('inlay hint positions in a CRLF document', () => {
  const crlf = HINTS.replace(/\n/g, '\r\n');
  const out = hints(crlf);
  assert.deepEqual(
    out.map((h) => h.position),
    [
      { line: 8, character: 15 },
      { line: 12, character: 17 },
      { line: 19, character: 28 },
      { line: 21, character: 11 },
    ],
  );
});
