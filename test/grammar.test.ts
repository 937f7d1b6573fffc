/**
 * The TextMate grammar, tokenized as VS Code does (vscode-textmate + vscode-oniguruma) on top
 * of VS Code's own Markdown grammar (from the tm-grammars package), so that the tests see the
 * same competition between Markdown's rules and fenjie's that the editor does.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { ROOT } from './helpers.ts';
import { FIELD_NAMES } from '../server/src/engine/fields.ts';

const GRAMMARS: Record<string, string> = {
  'text.html.markdown.fenjie': path.join(ROOT, 'syntaxes', 'fenjie.tmLanguage.json'),
  'text.html.markdown': path.join(ROOT, 'node_modules', 'tm-grammars', 'grammars', 'markdown.json'),
  'source.yaml': path.join(ROOT, 'node_modules', 'tm-grammars', 'grammars', 'yaml.json'),
};

const FIELD_NAME = 'keyword.other.field-name.fenjie';
const UNIT = 'variable.other.unit.fenjie';
const DEADLINE = 'constant.other.deadline.fenjie';
const HEADING_NUMBER = 'constant.numeric.heading-number.fenjie';
const LIST_NUMBER = 'constant.numeric.list-number.fenjie';
const UNIT_SEPARATOR = 'punctuation.separator.unit.fenjie';

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    // Grammars Markdown embeds for fenced code (source.js, …) stay unknown, as in an editor without them.
    loadGrammar: async (scope: string) => {
      const file = GRAMMARS[scope];
      return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
  });
  const g = await registry.loadGrammar('text.html.markdown.fenjie');
  assert.ok(g, 'the fenjie grammar loads');
  grammar = g;
});

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes a document; returns each line's tokens. */
function tokenize(doc: string): Token[][] {
  let stack = vsctm.INITIAL;
  return doc.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the token(s) covering exactly `text` on line `line`; fails when the text is split differently. */
function scopesOf(lines: Token[][], line: number, text: string): string[] {
  const tokens = lines[line];
  assert.ok(tokens, `line ${line} exists`);
  const joined = tokens.map((t) => t.text).join('');
  const start = joined.indexOf(text);
  assert.ok(start >= 0, `“${text}” on line ${line}: ${joined}`);
  let at = 0;
  const covering: Token[] = [];
  for (const t of tokens) {
    const end = at + t.text.length;
    if (end > start && at < start + text.length) covering.push(t);
    at = end;
  }
  // A scope counts when every token of the text carries it.
  const first = covering[0]!.scopes;
  return first.filter((s) => covering.every((t) => t.scopes.includes(s)));
}

function hasScope(lines: Token[][], line: number, text: string, scope: string): boolean {
  return scopesOf(lines, line, text).some((s) => s === scope || s.startsWith(scope + '.'));
}

const TASK = [
  '## 一、加强权力配置信息和决策信息的公开',
  '',
  '1. 加强权力配置信息公开。',
  '   各单位对照法律法规规章，全面梳理本机关依法行使的行政权力……',
  '   - 牵头单位：营商环境建设局',
  '   - 责任单位：各单位',
  '   - 完成时限：12月底前',
].join('\n');

test('牵头单位：营商环境建设局 — the field name (with its colon) and the unit get their scopes', () => {
  const lines = tokenize(TASK);
  assert.ok(hasScope(lines, 4, '牵头单位', FIELD_NAME));
  assert.ok(hasScope(lines, 4, '：', FIELD_NAME), 'the colon belongs to the field name');
  assert.ok(hasScope(lines, 4, '营商环境建设局', UNIT));
  assert.ok(!hasScope(lines, 4, '营商环境建设局', FIELD_NAME));
  assert.ok(hasScope(lines, 5, '各单位', UNIT));
});

test('完成时限：12月底前 — the deadline gets the constant scope, a trailing 。 does not', () => {
  const lines = tokenize(TASK);
  assert.ok(hasScope(lines, 6, '完成时限', FIELD_NAME));
  assert.ok(hasScope(lines, 6, '12月底前', DEADLINE));
  const withStop = tokenize('- 完成时限：12月底前。');
  assert.ok(hasScope(withStop, 0, '12月底前', DEADLINE));
  assert.ok(!hasScope(withStop, 0, '。', DEADLINE));
});

test('heading number labels get the number scope and stay Markdown headings', () => {
  const lines = tokenize(['## 一、甲类', '### （一）乙类', '#### 1. 丙类', '##### （1）丁类', '###### 2、戊类', '## (二)半角', '## 没有编号'].join('\n'));
  assert.ok(hasScope(lines, 0, '一、', HEADING_NUMBER));
  assert.ok(hasScope(lines, 0, '一、', 'markup.heading'), 'Markdown still owns the heading');
  assert.ok(hasScope(lines, 0, '甲类', 'entity.name.section.markdown'));
  assert.ok(!hasScope(lines, 0, '甲类', HEADING_NUMBER));
  assert.ok(hasScope(lines, 1, '（一）', HEADING_NUMBER));
  assert.ok(hasScope(lines, 2, '1.', HEADING_NUMBER));
  assert.ok(hasScope(lines, 3, '（1）', HEADING_NUMBER));
  assert.ok(hasScope(lines, 4, '2、', HEADING_NUMBER));
  assert.ok(hasScope(lines, 5, '(二)', HEADING_NUMBER));
  assert.ok(!lines[6]!.some((t) => t.scopes.includes(HEADING_NUMBER)));
});

test('ordered list numbers get the number scope, nested lists too', () => {
  const lines = tokenize(['1. 任务一', '12. 任务十二', '   - 子项', '     1) 第一步'].join('\n'));
  assert.ok(hasScope(lines, 0, '1', LIST_NUMBER));
  assert.ok(hasScope(lines, 0, '1', 'markup.list.numbered.markdown'));
  assert.ok(hasScope(lines, 1, '12', LIST_NUMBER));
  assert.ok(hasScope(lines, 3, '1', LIST_NUMBER));
  assert.ok(hasScope(lines, 3, '第一步', 'meta.paragraph.markdown'));
});

test('every accepted field name of the engine is a field name, in each written form', () => {
  for (const [key, names] of Object.entries(FIELD_NAMES)) {
    for (const name of names) {
      for (const line of [`- ${name}：甲`, `- ${name}:甲`, `- ${name} ： 甲`, `- **${name}**：甲`, `- **${name}：**甲`, `1. 任务\n   ${name}：甲`]) {
        const lines = tokenize(line);
        const last = lines.length - 1;
        assert.ok(hasScope(lines, last, name, FIELD_NAME), `${key}: ${line}`);
        const valueScope = key === 'deadline' ? DEADLINE : key === 'note' ? undefined : UNIT;
        if (valueScope) assert.ok(hasScope(lines, last, '甲', valueScope), `${key} value: ${line}`);
      }
    }
  }
});

test('unit lists: separators outside brackets, X牵头 as a lead marker', () => {
  const lines = tokenize('- 责任单位：应急局、建设局牵头组织，各镇（街道、开发区）按职能分别落实');
  assert.ok(hasScope(lines, 0, '应急局', UNIT));
  assert.ok(hasScope(lines, 0, '、', UNIT_SEPARATOR));
  assert.ok(hasScope(lines, 0, '牵头组织', 'keyword.other.lead-marker.fenjie'));
  assert.ok(hasScope(lines, 0, '街道、开发区', UNIT));
  const inside = lines[0]!.find((t) => t.text.includes('街道'));
  assert.ok(inside && !inside.scopes.includes(UNIT_SEPARATOR), 'the 、 inside （） does not split');
});

test('inline form: fields inside the trailing （…） get the same scopes', () => {
  const lines = tokenize('2. 全面推进基层政务公开标准化规范化。（牵头单位：营商环境建设局；责任单位：市直各部门，各乡镇，完成时限：12月底前）');
  assert.ok(hasScope(lines, 0, '牵头单位', FIELD_NAME));
  assert.ok(hasScope(lines, 0, '营商环境建设局', UNIT));
  assert.ok(hasScope(lines, 0, '责任单位', FIELD_NAME));
  assert.ok(hasScope(lines, 0, '市直各部门', UNIT));
  assert.ok(hasScope(lines, 0, '各乡镇', UNIT), 'an item without a field name continues the previous field');
  assert.ok(hasScope(lines, 0, '完成时限', FIELD_NAME));
  assert.ok(hasScope(lines, 0, '12月底前', DEADLINE));
  assert.ok(!hasScope(lines, 0, '全面推进基层政务公开标准化规范化。', FIELD_NAME));
  // A parenthesis whose first item is no field is plain text.
  const plain = tokenize('1. 学习（国办发〔2019〕54号）文件。');
  assert.ok(!plain[0]!.some((t) => t.scopes.some((s) => s.startsWith('meta.field.') || s === FIELD_NAME)));
});

test('no field scopes outside list items, in code, or in the middle of a line', () => {
  const lines = tokenize(['备注：正文中的说明。', '', '```', '- 牵头单位：甲', '```', '', '1. 本项不设牵头单位：由各单位落实'].join('\n'));
  assert.ok(!hasScope(lines, 0, '备注', FIELD_NAME));
  assert.ok(!hasScope(lines, 3, '牵头单位', FIELD_NAME));
  assert.ok(!hasScope(lines, 6, '牵头单位', FIELD_NAME));
});

test('front matter stays YAML, and its --- is not a thematic break', () => {
  const lines = tokenize(['---', '年度: 2020', '---', '', '# 附件1：2020年任务分解表'].join('\n'));
  assert.ok(hasScope(lines, 0, '---', 'punctuation.definition.begin.frontmatter'));
  assert.ok(hasScope(lines, 1, '年度', 'meta.embedded.block.frontmatter'));
  assert.ok(hasScope(lines, 2, '---', 'punctuation.definition.end.frontmatter'));
  assert.ok(hasScope(lines, 4, '附件1：', 'keyword.other.attachment.fenjie'));
});
