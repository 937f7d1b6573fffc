/**
 * The rule section of docs/dialect.md, written from the rule files (server/src/engine/rules/):
 * the table of every code a user can see, then a section per code with its examples.
 * `npm run gen:docs` writes it between the two markers; test/rules.test.ts fails when the
 * file has drifted from what this renders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, levelsZh, RULE_DOCS, ruleAnchor, type CodeInfo, type Rule, type RuleExample } from '../server/src/engine/index.ts';

export const RULES_BEGIN = '<!-- fenjie:rules 以下由 npm run gen:docs 按 server/src/engine/rules/ 中的规则文件生成，请勿手工修改 -->';
export const RULES_END = '<!-- /fenjie:rules -->';

const severity = levelsZh;

function fix(c: CodeInfo): string {
  if (c.fix === 'safe') return c.fixNote ? `是：${c.fixNote}` : '是';
  if (c.fix === 'offered') return c.fixNote ? `否；编辑器中可选用修正：${c.fixNote}` : '否（只给出建议）';
  return '否';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** A fence longer than any run of backticks or tildes in the text. */
function fenced(lang: string, text: string): string {
  let n = 3;
  for (const m of text.matchAll(/`{3,}|~{3,}/g)) n = Math.max(n, m[0].length + 1);
  const fence = '~'.repeat(n);
  return `${fence}${lang}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

function example(ex: RuleExample, fixed: boolean): string {
  const parts: string[] = [];
  if (ex.directory !== undefined) parts.push('单位名录.yaml：', '', fenced('yaml', ex.directory), '', '文档：', '');
  parts.push(fenced('markdown', ex.text));
  if (fixed && ex.fixed !== undefined) parts.push('', '`fenjie check --fix` 改为：', '', fenced('markdown', ex.fixed));
  return parts.join('\n');
}

function isRule(c: CodeInfo): c is Rule {
  return 'examples' in c;
}

function section(c: CodeInfo): string {
  const lines = [`### ${ruleAnchor(c.code)}`, '', `级别：${severity(c)}。自动修正：${fix(c)}。${c.canDisable === false ? '不能关闭。' : ''}`, '', c.description + '。'];
  if (isRule(c)) {
    lines.push('', '不报告的例子：');
    for (const ex of c.examples.ok) lines.push('', example(ex, false));
    lines.push('', '报告的例子：');
    for (const ex of c.examples.notOk) lines.push('', example(ex, true));
  }
  return lines.join('\n');
}

export function renderRuleDocs(): string {
  const rows = CODES.map((c) => `| [\`${c.code}\`](#${ruleAnchor(c.code)}) | ${severity(c)} | ${cell(c.description)} | ${cell(fix(c))} | ${c.canDisable === false ? '否' : '是'} |`);
  return [RULES_BEGIN, '', '| 代码 | 级别 | 何时出现 | 自动修正 | 可以关闭 |', '|---|---|---|---|---|', ...rows, '', ...CODES.map((c) => `${section(c)}\n`), RULES_END].join('\n');
}

/** `npm run gen:docs`: writes the section into docs/dialect.md, between its markers. */
function main(): void {
  const file = path.resolve(import.meta.dirname, '..', RULE_DOCS);
  const docs = fs.readFileSync(file, 'utf8');
  const begin = docs.indexOf(RULES_BEGIN);
  const end = docs.indexOf(RULES_END);
  if (begin < 0 || end < begin) throw new Error(`${RULE_DOCS}: markers not found`);
  const next = docs.slice(0, begin) + renderRuleDocs() + docs.slice(end + RULES_END.length);
  if (next !== docs) fs.writeFileSync(file, next);
  process.stdout.write(next === docs ? `${RULE_DOCS} is up to date\n` : `wrote ${RULE_DOCS}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
