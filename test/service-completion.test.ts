import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { provideCompletion } from '../server/src/service/completion.ts';
import { pinyinKeys } from '../server/src/service/pinyin.ts';
import type { Settings } from '../server/src/settings.ts';
import { cursor, DOC_HEAD, memoryWorkspace, SERVICE_DIRECTORY } from './service-helpers.ts';

const DIRECTORY = SERVICE_DIRECTORY;
const HEAD = DOC_HEAD;

/** Completion at the `|` of a document /w/a.fj.md, beside the other files given. */
function complete(marked: string, files: Record<string, string> = {}, settings: Partial<Settings> = {}): CompletionList {
  const { text, position } = cursor(marked);
  const ws = memoryWorkspace({ '/w/单位名录.yaml': DIRECTORY, ...files, '/w/a.fj.md': text }, { open: ['/w/a.fj.md'], settings });
  const doc = ws.get(ws.uriOf('/w/a.fj.md'));
  assert.ok(doc);
  return provideCompletion(ws, doc, position);
}

function labels(list: CompletionList): string[] {
  return [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
}

function item(list: CompletionList, label: string): CompletionItem {
  const found = list.items.find((i) => i.label === label);
  assert.ok(found, `no item ${label} in ${labels(list).join(' ')}`);
  return found;
}

function edit(i: CompletionItem): TextEdit {
  assert.ok(i.textEdit && 'range' in i.textEdit, 'a plain TextEdit');
  return i.textEdit;
}

test('pinyin keys: full pinyin and initials, lower case, cached', () => {
  assert.deepEqual(pinyinKeys('营商环境建设局').slice(0, 2), ['yingshanghuanjingjiansheju', 'yshjjsj']);
  assert.equal(pinyinKeys('营商环境建设局'), pinyinKeys('营商环境建设局'));
  assert.deepEqual(pinyinKeys('ABC'), []);
  // A polyphone: the reading in context and the reading of the character alone.
  const bank = pinyinKeys('银行');
  assert.ok(bank.includes('yinhang') && bank.includes('yh'));
  assert.ok(bank.includes('yinxing'));
  // A letter in a name is kept, brackets are not.
  assert.ok(pinyinKeys('A区（北）').includes('aqubei'));
});

test('typing initials after 牵头单位： offers the unit, replacing the letters', () => {
  const marked = `${HEAD}1. 任务一。\n   - 牵头单位：yshj|\n`;
  const list = complete(marked);
  assert.equal(list.isIncomplete, false);
  const i = item(list, '营商环境建设局');
  assert.ok(i.filterText?.includes('yshj'));
  assert.equal(i.detail, '单位名录');
  const e = edit(i);
  assert.equal(e.newText, '营商环境建设局');
  const { position } = cursor(marked);
  assert.deepEqual(e.range, { start: { line: position.line, character: position.character - 4 }, end: position });
  // The editor filters; the list offers every name from the directory.
  assert.ok(labels(list).includes('应急局'));
});

test('full pinyin, aliases and the 简称 detail', () => {
  const list = complete(`${HEAD}1. 任务一。\n   - 责任单位：yingshang|\n`);
  assert.ok(item(list, '营商环境建设局').filterText?.includes('yingshanghuanjingjiansheju'));
  const market = item(list, '市场监督管理局经开区分局');
  assert.equal(market.detail, '简称：市监分局');
  assert.ok(market.filterText?.includes('市监分局'));
  assert.ok(market.filterText?.includes('sjfj'), 'the alias is found by its initials too');
});

test('without pinyin in the settings, filterText is just the names', () => {
  const list = complete(`${HEAD}1. 任务一。\n   - 牵头单位：|\n`, {}, { pinyin: false });
  assert.equal(item(list, '营商环境建设局').filterText, '营商环境建设局');
});

test('the partial name starts after the last separator, on every unit field and alias', () => {
  for (const [line, partial] of [
    ['   - 责任单位：应急局、建设局、ys', 'ys'],
    ['   配合单位：应急局，ys', 'ys'],
    ['   - 牵头：ys', 'ys'],
    ['   - 协同单位:ys', 'ys'],
    ['   - 责任部门：应急局；ys', 'ys'],
    ['   - **牵头单位**：', ''],
    ['   - 责任单位：应急局,', ''],
  ] as const) {
    const marked = `${HEAD}1. 任务一。\n${line}|\n`;
    const list = complete(marked);
    const e = edit(item(list, '营商环境建设局'));
    const { position } = cursor(marked);
    assert.equal(e.range.start.character, position.character - partial.length, line);
  }
});

test('names already in the list are not offered again', () => {
  const list = complete(`${HEAD}1. 任务一。\n   - 责任单位：应急局、市监分局、|\n`);
  assert.ok(!labels(list).includes('应急局'));
  assert.ok(!labels(list).includes('市场监督管理局经开区分局'), 'listed by its 简称');
  assert.ok(labels(list).includes('建设局'));
});

test('inline form: units after （牵头单位： and after ，', () => {
  const first = complete(`${HEAD}1. 任务一。（牵头单位：yshj|\n`);
  assert.equal(edit(item(first, '营商环境建设局')).newText, '营商环境建设局');
  const second = complete(`${HEAD}1. 任务一。（牵头单位：应急局，责任单位：建设局、|\n`);
  assert.ok(labels(second).includes('营商环境建设局'));
  assert.ok(!labels(second).includes('建设局'));
  // After `，` a unit may continue the list, or the next field may start.
  const third = complete(`${HEAD}1. 任务一。（牵头单位：应急局，|\n`);
  assert.ok(labels(third).includes('营商环境建设局'));
  assert.ok(labels(third).includes('完成时限'));
  assert.ok(!labels(third).includes('牵头单位'));
  // Inside a bracket of a name (各镇（街道、…) there is nothing to offer.
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n   - 责任单位：各镇（街道、|\n`).items, []);
});

test('most used names come first, counted across the workspace', () => {
  const other = `${HEAD}1. 甲。\n   - 牵头单位：建设局\n   - 完成时限：年底前\n2. 乙。\n   - 牵头单位：建设局\n   - 完成时限：年底前\n3. 丙。\n   - 牵头单位：应急局\n   - 完成时限：年底前\n`;
  const list = complete(`${HEAD}1. 任务一。\n   - 牵头单位：|\n`, { '/w/b.fj.md': other });
  const order = labels(list);
  assert.deepEqual(order.slice(0, 4), ['建设局', '应急局', '营商环境建设局', '市场监督管理局经开区分局']);
  const used = item(list, '建设局');
  assert.equal(used.detail, '单位名录');
  assert.equal(used.labelDetails?.description, '已用 2 次');
});

test('泛称 come last in lead context and say they cannot lead', () => {
  const lead = complete(`${HEAD}1. 任务一。\n   - 牵头单位：|\n`);
  const order = labels(lead);
  assert.equal(order[order.length - 1], '市直各部门');
  assert.equal(item(lead, '市直各部门').detail, '泛称（不能作牵头单位）');
  const responsible = complete(`${HEAD}1. 任务一。\n   - 责任单位：|\n`);
  assert.equal(item(responsible, '市直各部门').detail, '泛称');
  assert.equal(labels(responsible).indexOf('市直各部门'), 4, 'directory order, after the units');
});

test('without a directory, names used in the workspace are offered with their counts', () => {
  const { text, position } = cursor(`${HEAD}1. 任务一。\n   - 牵头单位：社发局\n   - 责任单位：各单位\n2. 任务二。\n   - 牵头单位：社发局\n3. 任务三。\n   - 牵头单位：|\n`);
  const ws = memoryWorkspace({ '/w/a.fj.md': text });
  const doc = ws.get(ws.uriOf('/w/a.fj.md'));
  assert.ok(doc);
  const list = provideCompletion(ws, doc, position);
  assert.deepEqual(labels(list), ['社发局', '各单位']);
  assert.equal(item(list, '社发局').detail, '已用 2 次');
  assert.equal(item(list, '各单位').detail, '泛称（不能作牵头单位）');
});

test('a name the directory lacks is not offered (it would spread a slip)', () => {
  const other = `${HEAD}1. 甲。\n   - 牵头单位：应急管理局\n`;
  const list = complete(`${HEAD}1. 任务一。\n   - 牵头单位：|\n`, { '/w/b.fj.md': other });
  assert.ok(!labels(list).includes('应急管理局'));
});

test('the name being typed is not counted as a name in use', () => {
  const list = complete(`${HEAD}1. 任务一。\n   - 牵头单位：yshj|\n`);
  assert.ok(!labels(list).includes('yshj'));
});

test('deadline phrases with their dates for 年度 2020', () => {
  const marked = `${HEAD}1. 任务一。\n   - 完成时限：|\n`;
  const list = complete(marked);
  assert.equal(item(list, '12月底前').detail, '2020年12月31日');
  assert.equal(item(list, '年底前').detail, '2020年12月31日');
  assert.equal(item(list, '第四季度末').detail, '2020年12月31日');
  assert.equal(item(list, '每月').detail, '周期性');
  assert.equal(item(list, '每季度末').detail, '周期性');
  assert.equal(item(list, '长期坚持').detail, '长期');
  // 成文日期 is 2020-09-30: phrases ending before it come last and say so.
  assert.equal(item(list, '上半年').detail, '2020年6月30日（早于成文日期）');
  const order = labels(list);
  assert.ok(order.indexOf('第三季度末') < order.indexOf('每月'));
  assert.ok(order.indexOf('长期坚持') < order.indexOf('上半年'));
  assert.ok(order.indexOf('第四季度末') < order.indexOf('第一季度末'));
  assert.ok(item(list, '年底前').filterText?.includes('ndq'));
});

test('deadline aliases, the inline form, and a partial value to replace', () => {
  for (const line of ['   - 时限：12', '   完成时间: 12', '   - 时限要求：12', '1. 任务二。（牵头单位：应急局，完成时限：12']) {
    const marked = `${HEAD}1. 任务一。\n${line}|\n`;
    const e = edit(item(complete(marked), '12月底前'));
    const { position } = cursor(marked);
    assert.equal(e.range.start.character, position.character - 2, line);
  }
});

test('without 年度 or 成文日期 the month is shown without a year', () => {
  const list = complete(`# 表\n\n1. 任务一。\n   - 完成时限：|\n`);
  assert.equal(item(list, '12月底前').detail, '12月31日（未写年度，算不出年份）');
});

test('field names at the start of a line inside a task, without those it has', () => {
  const marked = `${HEAD}1. 任务一。\n   - 牵头单位：应急局\n   - |\n`;
  const list = complete(marked);
  assert.deepEqual(labels(list), ['责任单位', '配合单位', '完成时限', '备注']);
  const deadline = item(list, '完成时限');
  assert.equal(edit(deadline).newText, '完成时限：');
  assert.equal(deadline.detail, '必填字段');
  assert.equal(item(list, '配合单位').detail, '字段');
  assert.ok(item(list, '责任单位').filterText?.includes('zrdw'));
});

test('field names on an indented empty line, a margin line under the task, and with a partial word', () => {
  assert.deepEqual(labels(complete(`${HEAD}1. 任务一。\n   完成时限：年底前\n   |\n`)), ['牵头单位', '责任单位', '配合单位', '备注']);
  assert.deepEqual(labels(complete(`${HEAD}1. 任务一。\n|\n`)), ['牵头单位', '责任单位', '配合单位', '完成时限', '备注']);
  // After a blank line an indented line or a bullet still belongs to the task.
  assert.equal(complete(`${HEAD}1. 任务一。\n\n   |\n`).items.length, 5);
  assert.equal(complete(`${HEAD}1. 任务一。\n\n- |\n`).items.length, 5);
  const marked = `${HEAD}1. 任务一。\n   - qt|\n`;
  const e = edit(item(complete(marked), '牵头单位'));
  assert.equal(e.range.start.character, cursor(marked).position.character - 2);
  const han = `${HEAD}1. 任务一。\n   - 牵|\n`;
  assert.equal(edit(item(complete(han), '牵头单位')).range.start.character, cursor(han).position.character - 1);
});

test('no field names on a task first line, in its text, or outside any task', () => {
  assert.deepEqual(complete(`${HEAD}1. |\n`).items, []);
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n   各单位要|\n`).items, []);
  assert.deepEqual(complete(`${HEAD}|\n`).items, []);
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n\n|\n`).items, [], 'a margin line after a blank line leaves the list');
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n\n## 二、类别\n\n   |\n`).items, []);
});

test('front matter keys not yet present, inserted as `键: `', () => {
  const marked = `---\n年度: 2020\n|\n---\n\n# 表\n`;
  const list = complete(marked);
  assert.ok(!labels(list).includes('年度'));
  const issuer = item(list, '发文机关');
  assert.equal(edit(issuer).newText, '发文机关: ');
  assert.equal(issuer.detail, '英文别名：issuer');
  const date = item(list, '成文日期');
  assert.ok(typeof date.documentation === 'object' && date.documentation.value.includes('2020-09-30'));
  // An English key counts as present too.
  assert.ok(!labels(complete(`---\ndate: 2020-09-30\n|\n---\n`)).includes('成文日期'));
  // While the closing --- is not there yet.
  assert.ok(labels(complete(`---\n年度: 2020\n|`)).includes('发文机关'));
  // Not in a value, nor on an indented line.
  assert.deepEqual(complete(`---\n年度: 2020|\n---\n`).items, []);
  assert.deepEqual(complete(`---\n必填:\n  |\n---\n`).items, []);
});

test('nothing in plain text, headings, code blocks or the notice body', () => {
  assert.deepEqual(complete(`${HEAD}这是正文，|\n`).items, []);
  assert.deepEqual(complete(`${HEAD}## 一、类别|\n`).items, []);
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n   各单位要加强，|\n`).items, []);
  assert.deepEqual(complete(`${HEAD}\`\`\`\n牵头单位：|\n\`\`\`\n`).items, []);
  assert.deepEqual(complete(`${HEAD}1. 任务一。\n   - 备注：|\n`).items, []);
});

test('CRLF documents and lines with characters beyond the BMP', () => {
  const crlf = `${HEAD}1. 任务一。\n   - 牵头单位：ys|\n`.replace(/\n/g, '\r\n');
  const e = edit(item(complete(crlf), '营商环境建设局'));
  const { position } = cursor(crlf);
  assert.deepEqual(e.range, { start: { line: position.line, character: position.character - 2 }, end: position });
  const wide = `${HEAD}1. 𠮷任务😀。（牵头单位：ys|\n`;
  const w = edit(item(complete(wide), '营商环境建设局'));
  assert.equal(w.range.start.character, cursor(wide).position.character - 2);
});
