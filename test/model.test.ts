import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, toJson, Directory } from '../server/src/engine/index.ts';
import { splitUnits } from '../server/src/engine/units.ts';
import { check, codes, SPEC_EXAMPLE } from './helpers.ts';

test('the spec example: both task forms mean the same', () => {
  const { model } = check(`---\n年度: 2020\n---\n${SPEC_EXAMPLE}`);
  const [a, b] = model.breakdowns[0]!.tasks;
  assert.equal(a!.text, '加强权力配置信息公开。');
  assert.deepEqual(a!.measures, ['各单位对照法律法规规章，全面梳理本机关依法行使的行政权力……']);
  assert.equal(b!.text, '全面推进基层政务公开标准化规范化。');
  assert.deepEqual(b!.measures, []);
  for (const t of [a!, b!]) {
    assert.deepEqual(t.lead.map((u) => u.name), ['营商环境建设局']);
    assert.deepEqual(t.responsible.map((u) => u.name), ['各单位']);
    assert.equal(t.deadline?.text, '12月底前');
    assert.equal(t.deadline?.parsed?.end, '2020-12-31');
    assert.deepEqual(t.categories.map((c) => c.title), ['一、加强权力配置信息和决策信息的公开']);
  }
  assert.deepEqual(codes(SPEC_EXAMPLE), []);
});

test('a notice: body before the first 附件 heading, one breakdown per attachment', () => {
  const text = `# 关于印发工作要点的通知

各单位：现将工作要点印发给你们。

## 一、这是正文的小标题，不是类别

# 附件1：第一张表

## 一、类别

1. 任务甲。（牵头单位：财政局；完成时限：12月底前）

# 附件2

# 第二张表的标题

1. 任务乙。（牵头单位：财政局；完成时限：12月底前）
`;
  const { model } = check(text);
  assert.equal(model.isNotice, true);
  assert.ok(model.body);
  assert.match(text.slice(model.body!.start, model.body!.end), /^# 关于印发[\s\S]*不是类别$/);
  assert.equal(model.breakdowns.length, 2);
  assert.deepEqual(model.breakdowns.map((b) => [b.label, b.title, b.tasks.length]), [
    ['附件1', '第一张表', 1],
    ['附件2', '第二张表的标题', 1],
  ]);
  assert.deepEqual(model.breakdowns[0]!.tasks[0]!.categories.map((c) => c.title), ['一、类别']);
});

test('a document without 附件 is one breakdown titled by its first level-1 heading', () => {
  const model = buildModel('前言段落。\n\n# 2020年工作要点\n\n- 任务\n');
  assert.equal(model.isNotice, false);
  assert.equal(model.breakdowns.length, 1);
  assert.equal(model.breakdowns[0]!.title, '2020年工作要点');
  assert.equal(model.breakdowns[0]!.tasks.length, 1);
});

test('附件 headings in all the spec forms', () => {
  for (const [h, title] of [
    ['# 附件', ''],
    ['# 附件1：任务清单', '任务清单'],
    ['# 附件：任务清单', '任务清单'],
    ['# 附件 2 : 任务清单', '任务清单'],
  ] as const) {
    const m = buildModel(`正文。\n\n${h}\n\n- 任务\n`);
    assert.equal(m.isNotice, true, h);
    assert.equal(m.breakdowns[0]!.title, title, h);
  }
});

test('categories nest by level, five levels deep, and tasks know their path', () => {
  const model = buildModel('## 一、甲\n### （一）乙\n#### 1. 丙\n##### （1）丁\n###### 戊\n- 任务一\n## 二、己\n- 任务二\n');
  const [t1, t2] = model.breakdowns[0]!.tasks;
  assert.deepEqual(t1!.categories.map((c) => c.level), [2, 3, 4, 5, 6]);
  assert.deepEqual(t1!.categories.map((c) => c.label?.value), [1, 1, 1, 1, undefined]);
  assert.deepEqual(t2!.categories.map((c) => c.title), ['二、己']);
  // 牵头单位 and 完成时限 are required (the default): their columns show even when empty.
  assert.deepEqual(toJson(model).breakdowns[0]!.columns, ['序号', '一级类别', '二级类别', '三级类别', '四级类别', '五级类别', '重点任务', '牵头单位', '完成时限']);
});

test('field lines, nested field items, bold names and every alias', () => {
  const text = `1. 任务。
   举措第一段，
   接着写。

   举措第二段。
   **牵头**：财政局
   - 责任部门: 营商环境建设局
   - 协同单位：审计局
   - 时限要求：第三季度
   - 备注：无
   - 不是字段的子项
`;
  const t = check(`---\n年度: 2020\n---\n${text}`).model.breakdowns[0]!.tasks[0]!;
  assert.equal(t.text, '任务。');
  assert.deepEqual(t.measures, ['举措第一段，接着写。', '举措第二段。', '不是字段的子项']);
  assert.deepEqual(t.lead.map((u) => u.name), ['财政局']);
  assert.deepEqual(t.responsible.map((u) => u.name), ['营商环境建设局']);
  assert.deepEqual(t.cooperating.map((u) => u.name), ['审计局']);
  assert.equal(t.deadline?.parsed?.end, '2020-09-30');
  assert.equal(t.note, '无');
});

test('the inline form may close a measure line, and may be followed by 。', () => {
  const t = buildModel('1. 任务。\n   举措。（牵头单位：财政局，责任单位：各乡镇、街道，市直各部门）。\n').breakdowns[0]!.tasks[0]!;
  assert.deepEqual(t.measures, ['举措。']);
  assert.deepEqual(
    t.fields.map((f) => [f.key, f.value]),
    [
      ['lead', '财政局'],
      ['responsible', '各乡镇、街道，市直各部门'],
    ],
  );
});

test('a trailing parenthesis without a field name stays in the text', () => {
  const t = buildModel('- 加强信息公开（社会局）\n').breakdowns[0]!.tasks[0]!;
  assert.equal(t.text, '加强信息公开（社会局）');
  assert.equal(t.fields.length, 0);
});

test('unit lists: separators, brackets, directory names whole, 牵头 and qualifiers', () => {
  const dir = new Directory('/w/单位名录.yaml', '单位:\n  - 市直和中央、省驻常有关单位\n  - 营商环境建设局\n');
  const split = (s: string, d?: Directory): string[] => splitUnits(s, 0, s.length, d).map((t) => (t.leads ? `${t.name}*` : t.name));
  assert.deepEqual(split('甲局、乙局，丙局,丁局；戊局;己局'), ['甲局', '乙局', '丙局', '丁局', '戊局', '己局']);
  assert.deepEqual(split('各镇（街道、开发区）、市直各部门'), ['各镇（街道、开发区）', '市直各部门']);
  assert.deepEqual(split('市直和中央、省驻常有关单位、财政局', dir), ['市直和中央、省驻常有关单位', '财政局']);
  assert.deepEqual(split('市直和中央、省驻常有关单位、财政局'), ['市直和中央', '省驻常有关单位', '财政局']);
  assert.deepEqual(split('营商环境建设局牵头，各单位按职能分别落实', dir), ['营商环境建设局*', '各单位']);
  assert.deepEqual(split('甲局、乙局牵头，丙局、各单位按职责分工负责'), ['甲局*', '乙局*', '丙局', '各单位']);
  assert.deepEqual(split('甲局牵头组织、乙局配合落实'), ['甲局*', '乙局']);
  assert.deepEqual(split(' 甲局 、 乙局 '), ['甲局', '乙局']);
});

test('collective names: 各…, …有关单位, …有关部门 and the directory’s 泛称', () => {
  const files = { '/w/单位名录.yaml': '单位: [财政局]\n泛称: [市直各部门]\n' };
  const t = check('- 任务\n  - 责任单位：各单位、市直有关部门、区有关单位、市直各部门、财政局\n', '/w/doc.fj.md', files).model.breakdowns[0]!.tasks[0]!;
  assert.deepEqual(t.responsible.map((u) => u.collective), [true, true, true, true, false]);
});

test('ranges are exact in UTF-16 units, with 𠮷 and emoji, CRLF and a BOM', () => {
  const body = '1. 𠮷😀任务。\r\n   - 牵头单位：𠮷局\r\n   - 完成时限：12月底前\r\n';
  for (const prefix of ['', '\ufeff']) {
    const { model, diagnostics } = check(prefix + body, '/w/doc.fj.md', { '/w/单位名录.yaml': '单位: [财政局]\n' });
    const t = model.breakdowns[0]!.tasks[0]!;
    assert.equal(t.text, '𠮷😀任务。');
    assert.equal(model.text.slice(t.textStart, t.textEnd), '𠮷😀任务。');
    const unknown = diagnostics.find((d) => d.code === 'unknown-unit')!;
    // Line 1, after "   - 牵头单位：" (10 UTF-16 units), "𠮷局" is 3 units long.
    assert.deepEqual(unknown.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 13 } });
    assert.equal(toJson(model).breakdowns[0]!.tasks[0]!.line, 1);
  }
});

test('序号 runs 1..N through the breakdown; JSON has the documented shape', () => {
  const { model } = check(`---\n成文日期: 2020-09-30\n发文字号: 某〔2020〕1号\n---\n${SPEC_EXAMPLE}\n## 二、第二类\n\n1. 长期任务。（牵头单位：甲局；完成时限：长期坚持）\n`);
  const json = toJson(model);
  assert.deepEqual(json.meta, { number: '某〔2020〕1号', date: '2020-09-30', required: ['牵头单位', '完成时限'] });
  const bd = json.breakdowns[0]!;
  assert.deepEqual(bd.columns, ['序号', '类别', '重点任务', '落实举措', '牵头单位', '责任单位', '完成时限']);
  assert.deepEqual(bd.tasks.map((t) => t.number), [1, 2, 3]);
  assert.deepEqual(bd.tasks[2], {
    number: 3,
    path: ['二、第二类'],
    task: '长期任务。',
    measures: '',
    lead: ['甲局'],
    responsible: [],
    cooperating: [],
    deadline: { text: '长期坚持', end: null, kind: 'ongoing' },
    note: null,
    line: 17,
  });
});

test('a field item written at the left margin under a task belongs to that task', () => {
  const t = check('## 一、甲\n\n1. 任务。\n- 牵头单位：财政局\n- 完成时限：12月底前\n\n2. 下一条\n').model.breakdowns[0]!;
  assert.equal(t.tasks.length, 2);
  assert.deepEqual(t.tasks[0]!.lead.map((u) => u.name), ['财政局']);
  assert.equal(t.tasks[0]!.deadline?.text, '12月底前');
  // After a heading there is no task to attach to: the item is a task of its own.
  assert.equal(check('- 任务\n\n## 一、甲\n\n- 牵头单位：财政局\n').model.breakdowns[0]!.tasks.length, 2);
});

test('a field value may end with the sentence’s 。; a second 完成时限 is reported', () => {
  const r = check('- 任务。\n  - 牵头单位：财政局。\n  - 完成时限：12月底前。\n  - 时限：年底前\n');
  const t = r.model.breakdowns[0]!.tasks[0]!;
  assert.deepEqual(t.lead.map((u) => u.name), ['财政局']);
  assert.equal(t.deadline?.text, '12月底前');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line]), [['duplicate-field', 3]]);
});

test('an attachment starts afresh: a field item under its heading is not the last attachment’s', () => {
  const m = check('正文。\n\n# 附件1：甲\n\n- 任务甲（牵头单位：财政局；完成时限：长期坚持）\n\n# 附件2：乙\n\n- 牵头单位：审计局\n').model;
  assert.deepEqual(m.breakdowns[0]!.tasks[0]!.lead.map((u) => u.name), ['财政局']);
  assert.equal(m.breakdowns[1]!.tasks.length, 1);
});

test('an empty 完成时限 (even “。”) is a missing deadline, not a bad one', () => {
  assert.deepEqual(codes('- 任务\n  - 牵头单位：财政局\n  - 完成时限：。\n'), ['missing-deadline']);
});

test('blank lines of white space and long rules are not deep nesting', () => {
  assert.deepEqual(codes(`- 任务（牵头单位：财政局；完成时限：长期坚持）\n${' '.repeat(400)}\n${'- '.repeat(40)}-\n`), []);
  assert.deepEqual(codes(`${'- '.repeat(40)}任务\n`), ['document']);
});

test('a paragraph too full of inline marks to parse in linear time keeps its task and fields (its inline markup is read literally)', () => {
  // 1,200 emphasis marks in one task's paragraph: the kind of paragraph micromark takes quadratic time on.
  const marks = '*甲* '.repeat(600);
  const text = `---\n年度: 2020\n---\n\n# 表\n\n## 一、类\n\n1. 任务一${marks}\n   **牵头单位**：财政局\n   **完成时限**：12月底前\n2. 任务二，**加粗**的字。\n   **牵头单位**：财政局\n   **完成时限**：6月底前\n`;
  const { model } = check(text);
  const [a, b] = model.breakdowns[0]!.tasks;
  assert.equal(model.breakdowns[0]!.tasks.length, 2);
  // Literal: the marks stay in the task's text, and the bold field names are still fields.
  assert.ok(a!.text.includes('*甲* *甲*'), a!.text.slice(0, 40));
  assert.deepEqual(a!.lead.map((u) => u.name), ['财政局']);
  assert.equal(a!.deadline?.parsed?.end, '2020-12-31');
  assert.deepEqual(b!.lead.map((u) => u.name), ['财政局']);
  assert.equal(b!.deadline?.parsed?.end, '2020-06-30');
});
