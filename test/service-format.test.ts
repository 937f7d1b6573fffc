import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEdits, FIELD_NAMES, FIELD_ORDER, type FieldKey } from '../server/src/engine/index.ts';
import { formatDocument } from '../server/src/service/formatting.ts';
import type { ServiceDocument } from '../server/src/service/types.ts';
import { memoryWorkspace } from './service-helpers.ts';

function open(text: string): ServiceDocument {
  const ws = memoryWorkspace({ '/w/a.fj.md': text });
  const doc = ws.get(ws.uriOf('/w/a.fj.md'));
  assert.ok(doc);
  return doc;
}

function edits(text: string): TextEdit[] {
  return formatDocument(open(text));
}

function format(text: string): string {
  return applyEdits(text, edits(text));
}

const HEAD = '---\n年度: 2020\n---\n\n# 表\n\n';

test('field lines and field items in the canonical order, each line keeping its indentation and marker', () => {
  const text = `${HEAD}1. 任务一。
   - 完成时限：12月底前
   - 备注：无
   - 牵头单位：营商环境建设局
   - 配合单位：建设局
   - 责任单位：各单位

2. 任务二。
   各单位要加强。
   完成时限：年底前
   责任单位：各单位
牵头单位：应急局
`;
  assert.equal(
    format(text),
    `${HEAD}1. 任务一。
   - 牵头单位：营商环境建设局
   - 责任单位：各单位
   - 配合单位：建设局
   - 完成时限：12月底前
   - 备注：无

2. 任务二。
   各单位要加强。
   牵头单位：应急局
   责任单位：各单位
完成时限：年底前
`,
  );
});

test('ordered field items keep their numbers in place; a loose list keeps its blank lines', () => {
  const text = `${HEAD}1. 任务。
   1. 完成时限：年底前
   2. 牵头单位：应急局

2. 任务二。

   - 完成时限：年底前

   - 牵头单位：应急局
`;
  assert.equal(
    format(text),
    `${HEAD}1. 任务。
   1. 牵头单位：应急局
   2. 完成时限：年底前

2. 任务二。

   - 牵头单位：应急局

   - 完成时限：年底前
`,
  );
});

test('a run is one form on successive lines: line fields and item fields are sorted apart, a measure splits a run', () => {
  const text = `${HEAD}1. 任务。
   完成时限：年底前
   牵头单位：应急局
   这是一条举措。
   备注：无
   责任单位：各单位
   - 配合单位：建设局
   - 牵头单位：应急局
`;
  assert.equal(
    format(text),
    `${HEAD}1. 任务。
   牵头单位：应急局
   完成时限：年底前
   这是一条举措。
   责任单位：各单位
   备注：无
   - 牵头单位：应急局
   - 配合单位：建设局
`,
  );
});

test('fields at the margin under a task, including several in one item', () => {
  const text = `${HEAD}1. 任务。
- 完成时限：年底前
- 备注：无
  牵头单位：应急局
`;
  assert.equal(format(text), `${HEAD}1. 任务。\n- 牵头单位：应急局\n- 完成时限：年底前\n  备注：无\n`);
  // Nested field items and those at the margin are two blocks, each sorted on its own.
  const both = `${HEAD}1. 任务。\n   - 备注：无\n   - 牵头单位：应急局\n- 完成时限：年底前\n- 责任单位：各单位\n`;
  assert.equal(format(both), `${HEAD}1. 任务。\n   - 牵头单位：应急局\n   - 备注：无\n- 责任单位：各单位\n- 完成时限：年底前\n`);
});

test('a wrapped field value moves with its field when the markers are alike, and not otherwise', () => {
  const text = `${HEAD}1. 任务。
   - 责任单位：应急局、
     建设局
   - 牵头单位：营商环境建设局
`;
  assert.equal(format(text), `${HEAD}1. 任务。\n   - 牵头单位：营商环境建设局\n   - 责任单位：应急局、\n     建设局\n`);
  const uneven = `${HEAD}1. 任务。
   9. 责任单位：应急局、
      建设局
   10. 牵头单位：营商环境建设局
`;
  assert.deepEqual(edits(uneven), []);
});

test('aliases become canonical names, in every form, in bold too', () => {
  const text = `${HEAD}1. 任务一。（牵头：应急局，时限要求：年底前）
   - **责任部门**：各单位
   - __协同单位：__建设局
   - 牵头责任单位：应急局
`;
  assert.equal(
    format(text),
    `${HEAD}1. 任务一。（牵头单位：应急局，完成时限：年底前）
   - 牵头单位：应急局
   - **责任单位**：各单位
   - __配合单位：__建设局
`,
  );
});

test('full-width punctuation: the colon after a field name and half-width marks between Chinese', () => {
  const text = `${HEAD}1. 任务一(试点)。
   - 牵头单位: 应急局
   - 责任单位 :应急局,建设局
   - 完成时限:年底前
   推进政务公开,做好解读;加强监督。
`;
  assert.equal(
    format(text),
    `${HEAD}1. 任务一（试点）。
   - 牵头单位： 应急局
   - 责任单位 ：应急局，建设局
   - 完成时限：年底前
   推进政务公开，做好解读；加强监督。
`,
  );
});

test('half-width parentheses that become the inline form get their aliases renamed in the same run', () => {
  const text = `${HEAD}1. 任务一。(牵头:应急局,时限:年底前)\n`;
  const once = format(text);
  assert.equal(once, `${HEAD}1. 任务一。（牵头单位：应急局，完成时限：年底前）\n`);
  assert.deepEqual(edits(once), []);
});

test('code blocks, inline code and front matter are left exactly as written', () => {
  const text = `---
年度: 2020
附注: (此件公开发布),见附件
---

# 表

1. 任务一。
   \`\`\`
   完成时限:年底前
   牵头:应急局,建设局
   \`\`\`
   - 完成时限：年底前
   - 牵头单位：应急局

\`\`\`text
牵头:甲,乙
时限:年底
\`\`\`

用\`牵头:甲,乙\`表示。
`;
  const out = format(text);
  assert.ok(out.startsWith('---\n年度: 2020\n附注: (此件公开发布),见附件\n---\n'));
  assert.ok(out.includes('   ```\n   完成时限:年底前\n   牵头:应急局,建设局\n   ```\n   - 牵头单位：应急局\n   - 完成时限：年底前\n'));
  assert.ok(out.includes('```text\n牵头:甲,乙\n时限:年底\n```'));
  assert.ok(out.includes('用`牵头:甲,乙`表示。'));
});

test('edits are minimal, per line, and none for a formatted document', () => {
  const text = `${HEAD}1. 任务一。\n   - 牵头单位:应急局\n   - 完成时限：年底前\n`;
  assert.deepEqual(edits(text), [{ range: { start: { line: 7, character: 9 }, end: { line: 7, character: 10 } }, newText: '：' }]);
  assert.deepEqual(edits(format(text)), []);
  // A swap rewrites the two lines from where they differ.
  const swapped = edits(`${HEAD}1. 任务一。\n   - 完成时限：年底前\n   - 牵头单位：应急局\n`);
  assert.deepEqual(
    swapped.map((e) => [e.range.start, e.range.end, e.newText]),
    [
      [{ line: 7, character: 5 }, { line: 7, character: 13 }, '牵头单位：应急局'],
      [{ line: 8, character: 5 }, { line: 8, character: 13 }, '完成时限：年底前'],
    ],
  );
});

test('CRLF line breaks, 𠮷 and emoji survive; edits use UTF-16 columns', () => {
  const text = `${HEAD}1. 𠮷任务😀。\n   - 完成时限：年底前\n   - 牵头:𠮷局😀\n`.replace(/\n/g, '\r\n');
  const out = format(text);
  assert.equal(out, `${HEAD}1. 𠮷任务😀。\n   - 牵头单位：𠮷局😀\n   - 完成时限：年底前\n`.replace(/\n/g, '\r\n'));
  const inLine = edits(`${HEAD}1. 𠮷任务,好😀。\n`);
  assert.deepEqual(inLine, [{ range: { start: { line: 6, character: 7 }, end: { line: 6, character: 8 } }, newText: '，' }]);
});

test('a document with nothing to format gets no edits', () => {
  assert.deepEqual(edits(''), []);
  assert.deepEqual(edits('普通的 Markdown 文字, with English: (text).\n'), []);
  assert.deepEqual(edits(`${HEAD}1. 任务一。（牵头单位：应急局，完成时限：年底前）\n`), []);
});

// Generated task blocks: every form, alias, colon, bold, separator and line break mixed.

const UNITS = ['营商环境建设局', '应急局', '各单位', '市监分局', '建设局', '各镇（街道、开发区）'];
const DEADLINES = ['12月底前', '年底前', '第三季度', '每月', '长期坚持', '年底', '2020年12月31日前'];
const NOTES = ['无', '与标准目录编制工作一并推进', '见附件(一)', '含a,b两项'];
const TEXTS = ['加强权力配置信息公开。', '全面推进基层政务公开(标准化)规范化。', '强化政务信息规范管理,完善机制。', '𠮷任务😀。'];
const MEASURES = ['各单位对照法律法规规章,全面梳理。', '建立完善制度;动态调整。', '按要求公开。'];

interface GenField {
  key: FieldKey;
  alias: number;
  colon: string;
  bold: 0 | 1 | 2;
  units: string[];
  sep: string;
  other: number;
  lazy: boolean;
  wrap: boolean;
}

const fieldArb: fc.Arbitrary<GenField> = fc.record({
  key: fc.constantFrom(...FIELD_ORDER),
  alias: fc.nat(3),
  colon: fc.constantFrom('：', ':', ' :', '： '),
  bold: fc.constantFrom(0 as const, 1 as const, 2 as const),
  units: fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 3 }),
  sep: fc.constantFrom('、', ',', '，', ';'),
  other: fc.nat(20),
  lazy: fc.boolean(),
  wrap: fc.boolean(),
});

const taskArb = fc.record({
  text: fc.constantFrom(...TEXTS),
  measures: fc.array(fc.constantFrom(...MEASURES), { maxLength: 2 }),
  lineFields: fc.array(fieldArb, { maxLength: 4 }),
  itemFields: fc.array(fieldArb, { maxLength: 5 }),
  inlineFields: fc.array(fieldArb, { maxLength: 3 }),
  marginFields: fc.array(fieldArb, { maxLength: 3 }),
  loose: fc.boolean(),
});

const docArb = fc.record({
  frontMatter: fc.boolean(),
  ordered: fc.boolean(),
  tasks: fc.array(taskArb, { minLength: 1, maxLength: 4 }),
  codeAfter: fc.nat(4),
  crlf: fc.boolean(),
});

function fieldText(f: GenField, inline: boolean): string {
  const names = FIELD_NAMES[f.key];
  const name = names[f.alias % names.length] as string;
  let value: string;
  if (f.key === 'deadline') value = DEADLINES[f.other % DEADLINES.length] as string;
  else if (f.key === 'note') value = NOTES[f.other % NOTES.length] as string;
  else value = f.units.join(inline ? '、' : f.sep);
  if (f.bold === 1) return `**${name}**${f.colon}${value}`;
  if (f.bold === 2) return `**${name}${f.colon}**${value}`;
  return `${name}${f.colon}${value}`;
}

type GenDoc = typeof docArb extends fc.Arbitrary<infer T> ? T : never;

function renderDoc(d: GenDoc): string {
  const out: string[] = [];
  if (d.frontMatter) out.push('---', '年度: 2020', '附注: (此件公开发布),见附件', '---', '');
  out.push('# 表', '');
  d.tasks.forEach((t, i) => {
    const marker = d.ordered ? `${i + 1}. ` : '- ';
    const indent = ' '.repeat(marker.length);
    const inline = t.inlineFields.length ? `（${t.inlineFields.map((f) => fieldText(f, true)).join('，')}）` : '';
    out.push(`${marker}${t.text}${inline}`);
    for (const m of t.measures) out.push(`${indent}${m}`);
    for (const f of t.lineFields) out.push(`${f.lazy ? '' : indent}${fieldText(f, false)}`);
    for (const f of t.itemFields) {
      if (t.loose) out.push('');
      const line = `${indent}- ${fieldText(f, false)}`;
      const cut = line.lastIndexOf('、');
      if (f.wrap && cut > 0) out.push(line.slice(0, cut + 1), `${indent}  ${line.slice(cut + 1)}`);
      else out.push(line);
    }
    for (const f of t.marginFields) out.push(`- ${fieldText(f, false)}`);
    if (i === d.codeAfter) out.push('', '```', '牵头:甲,乙', '时限:年底', '```');
    out.push('');
  });
  return out.join(d.crlf ? '\r\n' : '\n');
}

const ALIAS = new RegExp(`(${FIELD_ORDER.flatMap((k) => FIELD_NAMES[k]).sort((a, b) => b.length - a.length).join('|')})(?=(?:\\*\\*|__)?[ \\t]*[：:])`, 'g');
const CANONICAL = new Map(FIELD_ORDER.flatMap((k) => FIELD_NAMES[k].map((n) => [n, FIELD_NAMES[k][0] as string])));
const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '(': '（', ')': '）' };

/** Non-space characters, counted, after the changes formatting may make. */
function characters(text: string): Map<string, number> {
  const normal = text.replace(ALIAS, (n) => CANONICAL.get(n) ?? n).replace(/[,;:()]/g, (c) => FULL[c] as string);
  const counts = new Map<string, number>();
  for (const ch of normal) if (!/\s/.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

function fieldsByTask(doc: ServiceDocument): string[][] {
  const full = (s: string): string => s.replace(/[,;:()]/g, (c) => FULL[c] as string);
  return doc.analysis.model.breakdowns.flatMap((bd) => bd.tasks.map((t) => t.fields.map((f) => `${f.key}=${full(f.value)}`).sort()));
}

test('property: formatting is idempotent, loses no text, and its edits do not overlap', () => {
  fc.assert(
    fc.property(docArb, (d) => {
      const text = renderDoc(d);
      const first = edits(text);
      const sorted = [...first].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      for (let i = 1; i < sorted.length; i++) {
        const prev = (sorted[i - 1] as TextEdit).range.end;
        const cur = (sorted[i] as TextEdit).range.start;
        assert.ok(prev.line < cur.line || (prev.line === cur.line && prev.character <= cur.character), 'edits overlap');
      }
      const once = applyEdits(text, first);
      const formatted = open(once);
      assert.deepEqual(formatDocument(formatted), [], `not idempotent:\n${once}`);
      // The same tasks with the same fields: formatting changes how they are written only.
      assert.deepEqual(fieldsByTask(formatted), fieldsByTask(open(text)));
      assert.deepEqual(characters(once), characters(text));
      assert.equal(once.split(/\r\n|\r|\n/).length, text.split(/\r\n|\r|\n/).length);
      if (d.frontMatter) assert.ok(once.includes('附注: (此件公开发布),见附件'));
      if (d.codeAfter < d.tasks.length) assert.ok(once.includes(['```', '牵头:甲,乙', '时限:年底', '```'].join(d.crlf ? '\r\n' : '\n')));
    }),
    { seed: 20200930, numRuns: 200 },
  );
});

test('property: each run of field items ends up in the canonical order', () => {
  fc.assert(
    fc.property(fc.array(fieldArb, { minLength: 2, maxLength: 6 }), (fields) => {
      const text = `${HEAD}1. 任务。\n${fields.map((f) => `   - ${fieldText({ ...f, bold: 0 }, false)}`).join('\n')}\n`;
      const lines = format(text).split('\n').slice(7, 7 + fields.length);
      const keys = lines.map((l) => FIELD_ORDER.find((k) => new RegExp(`^   - ${FIELD_NAMES[k][0]} *：`).test(l)));
      assert.ok(keys.every((k) => k !== undefined), lines.join('\n'));
      const ranks = keys.map((k) => FIELD_ORDER.indexOf(k as FieldKey));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    }),
    { seed: 7, numRuns: 100 },
  );
});
