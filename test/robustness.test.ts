/**
 * Robustness: parsing and checking never throw, always finish, and give well-formed output,
 * whatever the text (spec §1: "never a crash"). Run:
 *   node --import tsx --test test/robustness.test.ts
 *
 * Inputs that could hang (deep nesting, huge texts, YAML billion laughs) run in child
 * processes of this same file (FENJIE_ROBUSTNESS_CHILD=1), which take case names on stdin;
 * a case still running HANG_MS after its input is built is killed and its child replaced,
 * so "always finishes" is a real assertion and a hang cannot block the suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { analyze, applyEdits, toJson, Directory, DIAGNOSTIC_CODES, type Analysis, type Range } from '../server/src/engine/index.ts';
import { main } from '../server/src/cli/main.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');
const CHILD_ENV = 'FENJIE_ROBUSTNESS_CHILD';
/**
 * After this long a child is taken to hang and is killed. It is a hang detector, not a
 * speed requirement (speed is for `npm run bench`): every case takes well under a second.
 */
const HANG_MS = 60_000;
/** Child processes running pathological cases at once (each case is CPU-bound). */
const LANES = 2;
const SEED = 42;
const CHINESE = /[\u4e00-\u9fff]/;

// ---------------------------------------------------------------------------------------
// Well-formedness of an analysis
// ---------------------------------------------------------------------------------------

/** Lines as LSP counts them: \r\n, \r and \n each end a line. */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function rangeProblems(r: Range | undefined, lines: string[], label: string): string[] {
  if (!r || !r.start || !r.end) return [`${label}: no range`];
  const out: string[] = [];
  for (const [name, p] of [
    ['start', r.start],
    ['end', r.end],
  ] as const) {
    if (!Number.isInteger(p.line) || p.line < 0 || p.line >= lines.length) {
      out.push(`${label}: ${name}.line ${p.line} outside 0..${lines.length - 1}`);
    } else if (!Number.isInteger(p.character) || p.character < 0 || p.character > (lines[p.line] as string).length) {
      out.push(`${label}: ${name}.character ${p.character} outside line ${p.line} of length ${(lines[p.line] as string).length}`);
    }
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) {
    out.push(`${label}: start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`);
  }
  return out;
}

const CODES = new Set<string>(DIAGNOSTIC_CODES);
const SEVERITIES = new Set(['error', 'warning', 'information']);

/** Everything wrong with a diagnostic list, as readable strings (empty: well-formed). */
function diagnosticProblems(text: string, diagnostics: Analysis['diagnostics'], label: string, maxFixChecks = Infinity): string[] {
  const lines = splitLines(text);
  const out: string[] = [];
  let fixChecks = 0;
  diagnostics.forEach((d, i) => {
    const at = `${label}[${i}] ${d.code}`;
    if (!CODES.has(d.code)) out.push(`${at}: code not in DIAGNOSTIC_CODES`);
    if (!SEVERITIES.has(d.severity)) out.push(`${at}: severity ${String(d.severity)}`);
    if (typeof d.message !== 'string' || d.message.length === 0) out.push(`${at}: empty message`);
    else if (!CHINESE.test(d.message)) out.push(`${at}: message without Chinese: ${d.message}`);
    out.push(...rangeProblems(d.range, lines, at));
    for (const rel of d.related ?? []) if (rel.file === undefined) out.push(...rangeProblems(rel.range, lines, `${at} related`));
    for (const fix of d.fixes ?? []) {
      if (typeof fix.title !== 'string' || !CHINESE.test(fix.title)) out.push(`${at}: fix title ${JSON.stringify(fix.title)}`);
      for (const e of fix.edits) {
        out.push(...rangeProblems(e.range, lines, `${at} fix edit`));
        if (typeof e.newText !== 'string') out.push(`${at}: fix edit newText not a string`);
      }
      if (fixChecks++ >= maxFixChecks) continue;
      try {
        const applied = applyEdits(text, fix.edits);
        if (typeof applied !== 'string') out.push(`${at}: applyEdits gave ${typeof applied}`);
      } catch (e) {
        out.push(`${at}: applyEdits threw ${(e as Error).stack ?? String(e)}`);
      }
    }
  });
  return out;
}

function analysisProblems(text: string, a: Analysis, maxFixChecks = Infinity): string[] {
  const out = diagnosticProblems(text, a.diagnostics, 'diagnostics', maxFixChecks);
  if (a.directoryFindings && a.directory) {
    out.push(...diagnosticProblems(a.directory.text, a.directoryFindings.diagnostics, 'directoryFindings', maxFixChecks));
  }
  try {
    const json = toJson(a.model);
    const round = JSON.parse(JSON.stringify(json)) as unknown;
    // A NaN, undefined or Date would not survive the round trip.
    assert.deepStrictEqual(round, json);
  } catch (e) {
    out.push(`toJson: ${(e as Error).message}`);
  }
  return out;
}

function directoryProblems(dir: Directory): string[] {
  const out: string[] = [];
  dir.problems.forEach((p, i) => {
    const ok = Number.isInteger(p.start) && Number.isInteger(p.end) && 0 <= p.start && p.start <= p.end && p.end <= dir.text.length;
    if (!ok) out.push(`problem[${i}] offsets ${p.start}..${p.end} outside 0..${dir.text.length}: ${p.message}`);
    if (!CHINESE.test(p.message)) out.push(`problem[${i}] message without Chinese: ${p.message}`);
    if (p.severity !== 'error' && p.severity !== 'warning') out.push(`problem[${i}] severity ${String(p.severity)}`);
  });
  return out;
}

/** Line (0-based) of the first line of `text` that starts with `prefix`. */
function lineOf(text: string, prefix: string): number {
  const i = splitLines(text).findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, `no line starts with ${prefix}`);
  return i;
}

// ---------------------------------------------------------------------------------------
// 1. Random documents
// ---------------------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates included. */
const char16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const weird = fc.constantFrom('\u0000', '\ud800', '\udc00', '\udbff\udfff', '\ud842\udfb7', '😀', '𠮷', '👨‍👩‍👧', '\ufeff', '\u3000', '\t', '\r', '\n', '\r\n', '\u2028', '\u200b', '\u0301', '\\', '`', '*', '_', '**', '<', '>', '|', '[', ']', '&', '~');
const hanText = fc.constantFrom(
  '加强权力配置信息公开',
  '全面推进基层政务公开标准化规范化',
  '做好政策解读',
  '任务',
  '中文,中文',
  '信息(公开)',
  '甲:乙；丙;丁',
  '（一）',
  '附件',
  '𠮷野家',
  '牵头单位：',
  '完成时限：12月底前',
);
const piece = fc.oneof(
  { weight: 4, arbitrary: hanText },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: char16, maxLength: 4 }) },
  { weight: 2, arbitrary: weird },
);
const phrase = fc.array(piece, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const indent = fc.constantFrom('', '', ' ', '  ', '   ', '    ', '\t', '\u3000', '        ');
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

const unitName = fc.oneof(
  fc.constantFrom(
    '营商环境建设局',
    '市场监督管理局经开区分局',
    '市监分局',
    '各单位',
    '各镇（街道、开发区）',
    '市直和中央、省驻常有关单位',
    '有关部门',
    '财政局',
    '市财政局',
    '营商环境建设局牵头',
    '各单位按职能分别落实',
    '按职责分工负责',
    '等',
    '牵头',
    '（',
    '）',
    '',
    ' ',
  ),
  phrase,
);
const unitSep = fc.constantFrom('、', '，', ',', '；', ';', ' ', '、、');
const unitList = fc
  .tuple(fc.array(unitName, { maxLength: 5 }), fc.array(unitSep, { minLength: 1, maxLength: 5 }))
  .map(([names, seps]) => names.map((n, i) => n + (i < names.length - 1 ? (seps[i % seps.length] as string) : '')).join(''));
const deadline = fc.oneof(
  fc.constantFrom(
    '12月底前', '2020年12月31日前', '12月31日前', '2020年底前', '年底前', '6月上旬', '6月中旬', '6月下旬', '第三季度', '三季度末', '上半年', '下半年',
    '2020-12-31', '每月', '每季度', '每季度末', '每年', '每月28日前', '长期常态化', '长期坚持', '持续推进', '常态化', '十二月三十一日前',
    '2021年底前', '2019年1月1日前', '13月底前', '二月三十日', '2020-02-30', '12月32日', '第五季度', '0月', '9999年12月31日', '', '   ',
  ),
  phrase,
);
const fieldName = fc.constantFrom(
  '牵头单位', '牵头', '牵头部门', '牵头责任单位', '责任单位', '责任', '责任部门', '配合单位', '配合', '协同单位', '协同责任单位',
  '完成时限', '时限', '完成时间', '时限要求', '备注', '**牵头单位**', '__完成时限__', '**责任单位', '负责单位', '时间',
);
const colon = fc.constantFrom('：', '：', ':', ' ：', '：：', '', '**：');
const fieldValue = fc.oneof(unitList, deadline, phrase);
const field = fc.tuple(fieldName, colon, fieldValue).map(([n, c, v]) => `${n}${c}${v}`);
const fieldLine = fc.tuple(indent, fc.constantFrom('', '', '- ', '* ', '1. '), field).map(([i, m, f]) => `${i}${m}${f}`);
const inlineSep = fc.constantFrom('，', '；', ',', ';', '，，');
const inlineFields = fc
  .tuple(fc.array(field, { minLength: 1, maxLength: 4 }), inlineSep)
  .map(([fs_, sep]) => fs_.join(sep));
const inlineTask = fc
  .tuple(phrase, fc.constantFrom('（', '（', '('), inlineFields, fc.constantFrom('）', '）', '）。', ')', '', '））'))
  .map(([t, o, f, c]) => `${t}${o}${f}${c}`);
const taskText = fc.oneof(phrase, inlineTask, fc.constantFrom('', ' '));
const marker = fc.constantFrom('- ', '* ', '+ ', '1. ', '2. ', '1) ', '10. ', '0. ', '999999999. ', '-', '1.', '- [ ] ', '-\t');
const listItem = fc
  .tuple(indent, marker, taskText, fc.array(fc.oneof(fieldLine, fc.tuple(indent, phrase).map(([i, p]) => i + p), fc.constant('')), { maxLength: 4 }))
  .map(([i, m, t, more]) => [`${i}${m}${t}`, ...more.map((l) => (l ? `  ${i}${l}` : l))].join('\n'));
const label = fc.constantFrom(
  '一、', '二、', '三、', '十一、', '九十九、', '一百、', '一百零一、', '零、', '十十、', '（一）', '（二）', '(三)', '（十二）', '1.', '2.', '3.', '3、', '10.',
  '9999.', '12345.', '（1）', '（4）', '(4)', '附件', '附件1：', '附件2', '附件：', '附件 3 : ', '',
);
const heading = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.constantFrom(' ', ' ', '', '  ', '\t'), label, fc.oneof(phrase, fc.constant('')), fc.constantFrom('', '', ' #', ' ###'))
  .map(([n, sp, l, t, close]) => `${'#'.repeat(n)}${sp}${l}${t}${close}`);
const codeFence = fc
  .tuple(fc.constantFrom('```', '~~~', '````', '    '), fc.constantFrom('', 'yaml', 'md'), fc.array(fc.oneof(fieldLine, listItem, phrase), { maxLength: 3 }), fc.boolean())
  .map(([f, lang, body, closed]) => (f === '    ' ? body.map((b) => f + b).join('\n') : [`${f}${lang}`, ...body, ...(closed ? [f] : [])].join('\n')));
const table = fc
  .tuple(phrase, field, fc.boolean())
  .map(([a, f, sep]) => ['| 序号 | 任务 |', sep ? '|---|:---:|' : '|--|', `| 1 | ${a} |`, `| ${f} | x |`].join('\n'));
const html = fc.constantFrom('<div>', '</div>', '<!-- 注释', '-->', '<br>', '<table><tr><td>牵头单位：甲</td></tr></table>', '[链接](http://x "t")', '![图](x.png)', '[^1]: 脚注', '`牵头单位:甲`');

const block: fc.Arbitrary<string> = fc.letrec<{ block: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: listItem },
    { weight: 3, arbitrary: heading },
    { weight: 2, arbitrary: fieldLine },
    { weight: 2, arbitrary: phrase },
    { weight: 1, arbitrary: codeFence },
    { weight: 1, arbitrary: table },
    { weight: 1, arbitrary: html },
    { weight: 1, arbitrary: fc.constantFrom('', '---', '***', '...', '===', '- - -', '\\') },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('> ', '>', '> > ', '>> '), tie('block')).map(([q, b]) => b.split('\n').map((l) => q + l).join('\n')),
    },
  ),
})).block;

const fmKey = fc.constantFrom(
  '发文机关', '发文字号', '标题', '主送机关', '成文日期', '署名', '附注', '年度', '单位名录', '必填',
  'issuer', 'number', 'title', 'to', 'date', 'signature', 'note', 'year', 'units', 'required',
  '年 度', '标 题', '年份', 'foo', '"年度"', '? 年度', '- 年度', '', '年度:',
);
const fmValue = fc.oneof(
  fc.constantFrom(
    '2020', 'abc', '2020-02-30', '2020-09-30', '2020年9月30日', '2020年2月30日', '[牵头单位, 完成时限]', '[不存在的字段]', '牵头单位、完成时限', '[]', '{}',
    '&a [x, x]', '*a', '{', '[', '"unterminated', "'x", '- x', '\tfoo', 'null', '~', 'true', '1e9', '2020.5', '2100', '1899', '!!binary aGk=',
    '|\n  多行\n  文字', '>-\n  折叠', '单位名录.yaml', '../x.yaml', '/abs.yaml', '', '长经政公组〔2020〕1号', '2020-09-30T10:00:00Z', '!!timestamp 2020-09-30',
  ),
  phrase,
);
const frontMatter = fc
  .tuple(
    fc.constantFrom('---', '---', '--- ', '----'),
    fc.array(fc.tuple(fmKey, fc.constantFrom(': ', ':', '：', ' : ', ':\t'), fmValue).map(([k, c, v]) => `${k}${c}${v}`), { maxLength: 6 }),
    fc.array(fc.oneof(phrase, fc.constantFrom('  - 牵头单位', '\t缩进: 1', '# 注释', '---', '...')), { maxLength: 2 }),
    fc.constantFrom('---', '---', '...', '', '--- '),
  )
  .map(([open, entries, junk, close]) => [open, ...entries, ...junk, close].join('\n'));

const directoryYaml = fc
  .tuple(
    fc.array(
      fc.oneof(
        unitName.map((n) => `  - ${n}`),
        fc.tuple(unitName, fc.array(unitName, { maxLength: 2 })).map(([n, a]) => `  - 名称: ${n}\n    简称: [${a.join(', ')}]`),
        fc.constantFrom('  - &a 甲局', '  - *a', '  -', '  - 名称: 乙局\n    颜色: 红', '  - [a, b]', '  - 5', '\t- tab', '  - {'),
      ),
      { maxLength: 6 },
    ),
    fc.array(unitName.map((n) => `  - ${n}`), { maxLength: 3 }),
    fc.constantFrom('', 'foo: bar', '单位: 5', '泛称: x', '- 列表'),
  )
  .map(([units, colls, extra]) => ['单位:', ...units, '泛称:', ...colls, extra].join('\n'));

type HostMode = 'none' | 'ok' | 'throws' | 'undefined' | 'broken';

const documentArb = fc
  .record({
    bom: fc.boolean(),
    fm: fc.option(frontMatter, { freq: 2 }),
    blocks: fc.array(block, { maxLength: 20 }),
    eol: fc.oneof(lineEnd, fc.constant('mixed')),
    mixed: fc.array(lineEnd, { minLength: 1, maxLength: 5 }),
    inserts: fc.array(fc.tuple(fc.nat(), fc.oneof(weird, fc.string({ unit: 'binary', maxLength: 3 }), char16)), { maxLength: 3 }),
  })
  .map(({ bom, fm, blocks, eol, mixed, inserts }) => {
    const lines = [...(fm !== null ? [fm, ''] : []), ...blocks].join('\n').split('\n');
    let text = lines.map((l, i) => l + (i < lines.length - 1 ? (eol === 'mixed' ? (mixed[i % mixed.length] as string) : eol) : '')).join('');
    for (const [at, s] of inserts) {
      const k = at % (text.length + 1);
      text = text.slice(0, k) + s + text.slice(k);
    }
    return (bom ? '\ufeff' : '') + text;
  });

const hostArb = fc.record({ mode: fc.constantFrom<HostMode>('none', 'ok', 'ok', 'throws', 'undefined', 'broken'), dir: directoryYaml });

function hostFor(mode: HostMode, dir: string): Parameters<typeof analyze>[1] {
  switch (mode) {
    case 'none':
      return {};
    case 'ok':
      return { file: '/virtual/文件夹/通知.fj.md', host: { readFile: (p) => (p.endsWith('.yaml') ? dir : undefined) } };
    case 'throws':
      return {
        file: '/virtual/通知.fj.md',
        host: {
          readFile() {
            throw new Error('磁盘读取失败 EIO');
          },
        },
      };
    case 'undefined':
      return { file: '/virtual/通知.fj.md', host: { readFile: () => undefined } };
    case 'broken':
      return { file: '/virtual/通知.fj.md', host: { readFile: () => '单位: [甲, 乙\n泛称: {\n\t- x: &a *a' } };
  }
}

/** analyze → well-formed → the preferred fixes (as `check --fix` applies them) → analyze again. */
function checkDocument(text: string, mode: HostMode, dir: string): void {
  const options = hostFor(mode, dir);
  let a: Analysis;
  try {
    a = analyze(text, options);
  } catch (e) {
    assert.fail(`analyze threw on ${JSON.stringify(text)} (host ${mode}): ${(e as Error).stack ?? String(e)}`);
  }
  assert.deepEqual(analysisProblems(text, a), [], `ill-formed analysis of ${JSON.stringify(text)} (host ${mode})`);
  const edits = a.diagnostics.flatMap((d) => d.fixes?.find((f) => f.preferred)?.edits ?? []);
  if (edits.length) {
    const fixed = applyEdits(text, edits);
    assert.equal(typeof fixed, 'string');
    let b: Analysis;
    try {
      b = analyze(fixed, options);
    } catch (e) {
      assert.fail(`analyze threw on the fixed text ${JSON.stringify(fixed)}: ${(e as Error).stack ?? String(e)}`);
    }
    assert.deepEqual(analysisProblems(fixed, b), [], `ill-formed analysis of the fixed text ${JSON.stringify(fixed)}`);
  }
}

function registerPropertyTests(): void {
  test('random dialect documents: analyze never throws and its output is well-formed', () => {
    fc.assert(
      fc.property(documentArb, hostArb, (text, { mode, dir }) => checkDocument(text, mode, dir)),
      { seed: SEED, numRuns: 300, includeErrorInReport: true },
    );
  });

  test('random strings (any code unit, any code point, graphemes, dialect characters): analyze never throws', () => {
    const dialectChar = fc.constantFrom('#', '-', '*', '>', ' ', '\n', '\r', '\r\n', '\t', '：', ':', '（', '）', '(', ')', '1', '.', '、', '一', '牵头单位：', '完成时限：', '`', '|', '---\n', '\ufeff', '\u0000', '\ud800', '𠮷', '&a ', '*a');
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: char16, maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: dialectChar, maxLength: 300 }),
      fc.string({ unit: dialectChar, maxLength: 100 }).map((s) => `---\n${s}\n---\n${s}`),
    );
    fc.assert(
      fc.property(anyString, hostArb, (text, { mode, dir }) => checkDocument(text, mode, dir)),
      { seed: SEED, numRuns: 300, includeErrorInReport: true },
    );
  });

  test('random 单位名录 texts: Directory never throws and every problem lies within the text', () => {
    const anyYaml = fc.oneof(directoryYaml, fc.string({ unit: char16, maxLength: 100 }), fc.string({ unit: fc.constantFrom('单位:', '泛称:', '\n', '  - ', '名称: ', '简称: ', '[', ']', '{', '&a ', '*a', '甲局', ',', '\t', '"', '\ud800'), maxLength: 60 }));
    fc.assert(
      fc.property(anyYaml, (text) => {
        let dir: Directory;
        try {
          dir = new Directory('单位名录.yaml', text);
        } catch (e) {
          assert.fail(`new Directory threw on ${JSON.stringify(text)}: ${(e as Error).stack ?? String(e)}`);
        }
        assert.deepEqual(directoryProblems(dir), [], `ill-formed problems for ${JSON.stringify(text)}`);
      }),
      { seed: SEED, numRuns: 300, includeErrorInReport: true },
    );
  });
}

// ---------------------------------------------------------------------------------------
// 2. Pathological inputs
// ---------------------------------------------------------------------------------------

function laughs(): string[] {
  const names = 'abcdefghi';
  const out = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1] as string;
    out.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return out;
}

/** A few lines of a realistic document, to build large texts from. */
const SAMPLE = [
  '## 一、加强权力配置信息公开',
  '',
  '1. 全面推进基层政务公开标准化规范化。（牵头单位：营商环境建设局；责任单位：各单位；完成时限：12月底前）',
  '2. 加强政策解读,回应社会关切。',
  '   - 牵头单位：营商环境建设局',
  '   - 完成时限：第三季度',
  '',
].join('\n');

interface PathoCase {
  /** Builds the input inside the child process (large texts are never passed around). */
  input: () => string;
  kind?: 'analyze' | 'directory';
  /** Why the case is here, for cases beyond the required list. */
  note?: string;
}

const PATHOLOGICAL: Record<string, PathoCase> = {
  '50,000 nested > on one line': { input: () => '>'.repeat(50000) + ' 任务' },
  '5,000 nested list levels (each line indented two more spaces)': { input: () => Array.from({ length: 5000 }, (_, i) => ' '.repeat(2 * i) + '- a').join('\n') },
  '5,000 nested 1. lists (each line indented three more spaces)': { input: () => Array.from({ length: 5000 }, (_, i) => ' '.repeat(3 * i) + '1. a').join('\n') },
  '5,000 nested list levels on one line (- - - … a, 10 KB)': {
    input: () => '- '.repeat(5000) + 'a',
    note: 'the two cases above exceed the size limit and never reach the parser; the same nesting in 10 KB does',
  },
  '1 MB single line': { input: () => '- ' + '加强政务公开'.repeat(Math.ceil((1 << 20) / 6)) + '（牵头单位：营商环境建设局，完成时限：12月底前）' },
  '20,000 empty list items': { input: () => '-\n'.repeat(20000) },
  'only # characters (1 MB)': { input: () => '#'.repeat(1 << 20) },
  '10 MB text': { input: () => SAMPLE.repeat(Math.ceil((10 * 1024 * 1024) / SAMPLE.length)) },
  '40,000 lines ending in an unmatched ）': { input: () => '- a）\n'.repeat(40000) },
  '20,000 headings all numbered 一、': { input: () => '## 一、a\n'.repeat(20000) },
  'billion laughs in front matter (unknown keys)': { input: () => ['---', ...laughs(), '---', '# 表', '', '1. 任务'].join('\n') },
  'billion laughs in front matter (known keys use the alias)': {
    input: () => ['---', ...laughs(), '标题: *i', '必填: *i', '单位名录: *i', '年度: *i', '---', '# 表', '', '1. 任务'].join('\n'),
  },
  'billion laughs in a 单位名录': { input: () => [...laughs(), '单位: *i', '泛称: [*i]'].join('\n'), kind: 'directory' },
};

interface ChildSummary {
  ms: number;
  /** The stack, when the engine threw. */
  threw?: string;
  count: number;
  codes: string[];
  diagnostics: { code: string; message: string; range: Range }[];
  problems: string[];
  lineCount: number;
  jsonLength: number;
}

/** Runs in a child: one case, its summary as a line of JSON on stdout. */
function runCase(name: string): ChildSummary {
  const c = PATHOLOGICAL[name];
  if (!c) throw new Error(`unknown case ${name}`);
  const text = c.input();
  fs.writeSync(1, '@@READY@@\n');
  const t0 = performance.now();
  const failed = (e: unknown): ChildSummary => ({ ms: performance.now() - t0, threw: (e as Error)?.stack ?? String(e), count: 0, codes: [], diagnostics: [], problems: [], lineCount: 0, jsonLength: 0 });
  if (c.kind === 'directory') {
    let dir: Directory;
    try {
      dir = new Directory('单位名录.yaml', text);
    } catch (e) {
      return failed(e);
    }
    const ms = performance.now() - t0;
    return {
      ms,
      count: dir.problems.length,
      codes: [],
      // Only the messages are looked at here (offsets are checked by directoryProblems).
      diagnostics: dir.problems.slice(0, 200).map((p) => ({ code: 'directory', message: p.message, range: { start: { line: 0, character: p.start }, end: { line: 0, character: p.end } } })),
      problems: directoryProblems(dir),
      lineCount: splitLines(text).length,
      jsonLength: JSON.stringify(dir.units).length,
    };
  }
  let a: Analysis;
  try {
    a = analyze(text);
  } catch (e) {
    return failed(e);
  }
  const ms = performance.now() - t0;
  return {
    ms,
    count: a.diagnostics.length,
    codes: [...new Set(a.diagnostics.map((d) => d.code))],
    diagnostics: a.diagnostics.slice(0, 200).map((d) => ({ code: d.code, message: d.message, range: d.range })),
    problems: analysisProblems(text, a, 50).slice(0, 20),
    lineCount: splitLines(text).length,
    jsonLength: JSON.stringify(toJson(a.model)).length,
  };
}

/** The child's loop: a case name per line on stdin; @@IDLE@@ when ready for the next. */
function childMain(): void {
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (s: string) => {
    buf += s;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const name = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const summary = runCase(name);
      fs.writeSync(1, `@@RESULT@@${JSON.stringify(summary)}\n@@IDLE@@\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
  fs.writeSync(1, '@@IDLE@@\n');
}

type ChildOutcome = { status: 'done'; summary: ChildSummary } | { status: 'timeout' } | { status: 'crashed'; code: number | null; signal: string | null; stderr: string };

/**
 * Runs the cases in LANES child processes. A case still running HANG_MS after its input
 * is built is killed (SIGKILL) and its lane goes on in a fresh child.
 */
function runPool(names: string[]): Map<string, Promise<ChildOutcome>> {
  const settle = new Map<string, (o: ChildOutcome) => void>();
  const results = new Map<string, Promise<ChildOutcome>>();
  for (const n of names) results.set(n, new Promise<ChildOutcome>((r) => settle.set(n, r)));
  const queue = [...names];
  const startLane = (): void => {
    if (!queue.length) return;
    const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_ENV]: '1' };
    delete env['NODE_TEST_CONTEXT'];
    const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let current: string | undefined;
    let finished = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, ms);
    };
    // Start-up and building an input are not the engine's time, but they must end too.
    arm(30000);
    // A child killed just as it is handed a case must not take the suite down with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (err = (err + s).slice(-8000)));
    child.stdout.on('data', (s: string) => {
      out += s;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === '@@IDLE@@') {
          current = queue.shift();
          if (current === undefined) {
            finished = true;
            clearTimeout(timer);
            child.stdin.end();
          } else {
            timedOut = false;
            arm(30000);
            child.stdin.write(`${current}\n`);
          }
        } else if (line === '@@READY@@') {
          arm(HANG_MS + 500);
        } else if (line.startsWith('@@RESULT@@') && current !== undefined) {
          clearTimeout(timer);
          settle.get(current)?.({ status: 'done', summary: JSON.parse(line.slice('@@RESULT@@'.length)) as ChildSummary });
          current = undefined;
        }
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (finished) return;
      // Killed or crashed: the case it was running fails (or, at start-up, the next one).
      const name = current ?? queue.shift();
      if (name !== undefined) settle.get(name)?.(timedOut ? { status: 'timeout' } : { status: 'crashed', code, signal, stderr: err });
      startLane();
    });
  };
  for (let i = 0; i < LANES; i++) startLane();
  return results;
}

async function finishes(name: string, outcome: Promise<ChildOutcome>): Promise<ChildSummary> {
  const r = await outcome;
  if (r.status === 'timeout') assert.fail(`“${name}”: the engine did not finish within ${HANG_MS} ms (killed)`);
  if (r.status === 'crashed') assert.fail(`“${name}”: the child crashed (exit ${r.code}, signal ${r.signal}):\n${r.stderr}`);
  const s = r.summary;
  assert.equal(s.threw, undefined, `“${name}”: the engine threw`);
  assert.deepEqual(s.problems, [], `“${name}”: ill-formed output`);
  return s;
}

function registerPathologicalTests(): void {
  test('pathological inputs finish (no hang) without throwing', async (t) => {
    const outcomes = runPool(Object.keys(PATHOLOGICAL));
    const checks: Record<string, (s: ChildSummary) => void> = {
      '10 MB text': (s) => {
        assert.equal(s.count, 1, 'a 10 MB text gives exactly one diagnostic');
        assert.equal(s.diagnostics[0]?.code, 'document');
        assert.equal(s.jsonLength < 1000, true, 'the too-large text is not parsed');
      },
      'billion laughs in front matter (unknown keys)': (s) => laughsChecks(s, 10),
      'billion laughs in front matter (known keys use the alias)': (s) => {
        laughsChecks(s, 14);
        assert.ok(s.jsonLength < 1000, `toJson is ${s.jsonLength} characters: an alias was expanded`);
      },
      'billion laughs in a 单位名录': (s) => {
        assert.ok(s.count >= 1, 'aliases in a 单位名录 are reported');
        assert.ok(s.diagnostics.some((d) => /锚点|别名/.test(d.message)), 'the alias problem is named');
        assert.ok(s.jsonLength < 1000, `units are ${s.jsonLength} characters of JSON: an alias was expanded`);
      },
    };
    // Subtests report in order; the children work on all cases meanwhile.
    for (const [name, c] of Object.entries(PATHOLOGICAL)) {
      await t.test(c.note ? `${name} [${c.note}]` : name, async (tt) => {
        const s = await finishes(name, outcomes.get(name) as Promise<ChildOutcome>);
        tt.diagnostic(`engine time ${Math.round(s.ms)} ms, ${s.count} diagnostics (${s.codes.join(', ')})`);
        checks[name]?.(s);
      });
    }
  });

  test('lone surrogates, NUL bytes, CRLF, CR, a BOM: no throw, well-formed', () => {
    const doc = ['---', '年度: 2020', '成文日期: 2020-09-30', '---', '# 表', '', '## 一、加强信息公开', '', '1. 推进公开,做好解读。（牵头单位：营商环境建设局；完成时限：12月底前）', '   - 责任单位：各单位、营商环境建设局', '2. 任务二', '   牵头单位：财政局', '   完成时限：13月底前', ''];
    const variants: Record<string, string> = {
      'lone high surrogates': doc.join('\n').replace(/公开/g, '公\ud800开'),
      'lone low surrogates': doc.join('\n').replace(/任务/g, '\udc00任务\udfff'),
      'surrogate pair split by a field colon': '1. \ud842：\udfb7（牵头单位：\ud842）\n',
      'NUL bytes': doc.join('\n').replace(/、/g, '\u0000、\u0000'),
      'NUL everywhere': doc.join('\n').split('').join('\u0000'),
      'CRLF everywhere': doc.join('\r\n'),
      'CR only': doc.join('\r'),
      'mixed line ends': doc.map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join(''),
      BOM: '\ufeff' + doc.join('\n'),
      'BOM and CRLF': '\ufeff' + doc.join('\r\n'),
      'BOM only': '\ufeff',
      'two BOMs': '\ufeff\ufeff' + doc.join('\n'),
      'CRLF split by a BOM': doc.join('\r\ufeff\n'),
      empty: '',
      'emoji and 𠮷': doc.join('\n').replace(/局/g, '局😀𠮷👨‍👩‍👧'),
    };
    for (const [name, text] of Object.entries(variants)) {
      let a: Analysis;
      try {
        a = analyze(text);
      } catch (e) {
        assert.fail(`${name}: analyze threw ${(e as Error).stack ?? String(e)}`);
      }
      assert.deepEqual(analysisProblems(text, a), [], name);
    }
  });

  test('front matter is read whatever the line ends (LF, CRLF, CR) and with a BOM', () => {
    const lines = ['---', '年度: 2020', '标题: 表', '---', '# 表', '', '1. 任务（牵头单位：甲；完成时限：12月底前）', ''];
    const found: string[] = [];
    for (const [name, text] of Object.entries({
      LF: lines.join('\n'),
      CRLF: lines.join('\r\n'),
      'BOM and CRLF': '\ufeff' + lines.join('\r\n'),
      CR: lines.join('\r'),
      'BOM and CR': '\ufeff' + lines.join('\r'),
    })) {
      const a = analyze(text);
      const got = { year: a.model.meta.year, title: a.model.meta.title };
      if (got.year !== 2020 || got.title !== '表') found.push(`${name}: the front matter was not read (${JSON.stringify(got)})`);
    }
    // A wrong value is reported whatever the line ends.
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['---', '年度: abc', '---', ''].join(eol);
      const fm = analyze(text).diagnostics.filter((d) => d.code === 'front-matter');
      if (fm.length !== 1 || fm[0]?.range.start.line !== 1) found.push(`年度: abc with ${JSON.stringify(eol)}: front-matter diagnostics ${JSON.stringify(fm)}`);
    }
    assert.deepEqual(found, []);
  });

  test('positions never fall between the CR and LF of a CRLF', () => {
    // Found by the property above; each is the smallest input for its path through the engine.
    const docs: Record<string, string> = {
      'task-list item whose text is on the next line': '- [ ]\r\n加强信息公开',
      'task-list item with a trailing space': '- [ ] \r\n加强权力配置信息公开',
      'YAML error ending on a CR in the front matter': '---\n:\t"\r\n"\r---',
    };
    const found: string[] = [];
    for (const [name, text] of Object.entries(docs)) {
      for (const p of analysisProblems(text, analyze(text))) found.push(`${name} ${JSON.stringify(text)}: ${p}`);
    }
    const yaml = 'x: 1\r\n\r\n- 列表\r\n';
    const a = analyze('# 表\n', { file: '/virtual/通知.fj.md', host: { readFile: (p) => (p === '/virtual/单位名录.yaml' ? yaml : undefined) } });
    assert.ok(a.directoryFindings && a.directoryFindings.diagnostics.length > 0);
    for (const p of diagnosticProblems(yaml, a.directoryFindings.diagnostics, 'directoryFindings')) found.push(`YAML error in a 单位名录 ${JSON.stringify(yaml)}: ${p}`);
    assert.deepEqual(found, []);
  });

  test('front matter that is a list, a scalar or has tabs: a front-matter diagnostic inside it', () => {
    const cases = {
      list: '---\n- 年度\n- 2020\n---\n# 表\n',
      scalar: '---\n就是一段文字\n---\n# 表\n',
      tabs: '---\n年度:\t2020\n\t标题: 表\n---\n# 表\n',
      'tab-indented map': '---\n标题:\n\t子键: 1\n---\n',
      'unclosed flow': '---\n必填: [牵头单位, \n---\n',
      'unclosed quote': '---\n标题: "未闭合\n---\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const a = analyze(text);
      assert.deepEqual(analysisProblems(text, a), [], name);
      const fm = a.diagnostics.filter((d) => d.code === 'front-matter');
      assert.ok(fm.length >= 1, `${name}: no front-matter diagnostic in ${JSON.stringify(a.diagnostics)}`);
      const close = splitLines(text).indexOf('---', 1);
      for (const d of fm) assert.ok(d.range.start.line >= 1 && d.range.start.line < close, `${name}: diagnostic on line ${d.range.start.line}, front matter is lines 1..${close - 1}`);
    }
  });

  test('wrong types for 年度, 成文日期, 必填: a front-matter diagnostic on the line of that key', () => {
    const cases: [key: string, value: string][] = [
      ['年度', 'abc'],
      ['年度', '20200'],
      ['年度', '[2020]'],
      ['year', '1800'],
      ['成文日期', '2020-02-30'],
      ['成文日期', '2020年13月1日'],
      ['成文日期', '{a: 1}'],
      ['必填', '[不存在的字段]'],
      ['必填', '[牵头单位, 5]'],
      ['必填', '{牵头单位: 1}'],
    ];
    for (const [key, value] of cases) {
      const text = ['---', '标题: 表', `${key}: ${value}`, '署名: 某单位', '---', '# 表', '', '1. 任务（牵头单位：甲；完成时限：12月底前）', ''].join('\n');
      let a: Analysis;
      try {
        a = analyze(text);
      } catch (e) {
        assert.fail(`${key}: ${value}: analyze threw ${(e as Error).stack ?? String(e)}`);
      }
      assert.deepEqual(analysisProblems(text, a), [], `${key}: ${value}`);
      const line = lineOf(text, `${key}:`);
      const fm = a.diagnostics.filter((d) => d.code === 'front-matter');
      assert.ok(
        fm.some((d) => d.range.start.line === line && d.message.includes(key)),
        `${key}: ${value}: expected a front-matter diagnostic on line ${line} naming the key, got ${JSON.stringify(fm)}`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------
// 3. Broken 单位名录
// ---------------------------------------------------------------------------------------

function laughsChecks(s: ChildSummary, closeLine: number): void {
  const fm = s.diagnostics.filter((d) => d.code === 'front-matter');
  assert.ok(fm.length >= 1, 'billion laughs gives a front-matter diagnostic');
  assert.ok(fm.some((d) => /锚点|别名/.test(d.message)), 'the alias is named');
  for (const d of fm) assert.ok(d.range.start.line >= 1 && d.range.start.line < closeLine, `diagnostic on line ${d.range.start.line}, outside the front matter (1..${closeLine - 1})`);
}

function registerDirectoryTests(): void {
  test('broken 单位名录: never throws, problems within the text, malformed ones reported', () => {
    const broken: Record<string, string> = {
      'malformed YAML': '单位: [营商环境建设局, 财政局\n泛称: {\n',
      'unclosed quote': '单位:\n  - "营商环境建设局\n',
      'list at top level': '- 营商环境建设局\n- 财政局\n',
      'scalar at top level': '营商环境建设局\n',
      '单位: 5': '单位: 5\n',
      '泛称: a map': '泛称:\n  各单位: 1\n',
      'units that are maps with unknown keys': '单位:\n  - 名称: 营商环境建设局\n    颜色: 红\n  - {foo: bar}\n',
      'a unit without 名称': '单位:\n  - 简称: [营商局]\n',
      'a unit that is a list': '单位:\n  - [营商环境建设局, 财政局]\n',
      'empty unit items': '单位:\n  -\n  - ""\n  - "   "\n',
      'aliases and anchors': '单位:\n  - &x 营商环境建设局\n  - *x\n泛称: *x\n',
      'anchor on the list': '单位: &u\n  - 营商环境建设局\n泛称: *u\n',
      'duplicate names': '单位:\n  - 营商环境建设局\n  - 营商环境建设局\n',
      'alias equal to another unit': '单位:\n  - 财政局\n  - 名称: 营商环境建设局\n    简称: [财政局]\n',
      'duplicate keys': '单位: [甲局]\n单位: [乙局]\n',
      'English and Chinese key both': '单位: [甲局]\nunits: [乙局]\n',
      'unknown top-level key': '部门: [甲局]\n',
      'tab indentation': '单位:\n\t- 甲局\n',
      'CRLF and duplicates': '单位:\r\n  - 甲局\r\n  - 甲局\r\n',
      'lone surrogate and duplicates': '单位:\n  - 甲\ud800局\n  - 甲\ud800局\n',
      'document markers': '---\n单位: [甲局]\n---\n单位: [乙局]\n',
      'binary tag': '单位:\n  - !!binary 5bGA\n',
    };
    for (const [name, text] of Object.entries(broken)) {
      let dir: Directory;
      try {
        dir = new Directory('单位名录.yaml', text);
      } catch (e) {
        assert.fail(`${name}: new Directory threw ${(e as Error).stack ?? String(e)}`);
      }
      assert.deepEqual(directoryProblems(dir), [], name);
      assert.ok(dir.problems.length >= 1, `${name}: no problem reported (units ${JSON.stringify(dir.units.map((u) => u.name))})`);
    }
    const valid = '单位:\n  - 营商环境建设局\n  - 名称: 市场监督管理局经开区分局\n    简称: [市监分局]\n泛称:\n  - 各单位按职能分别落实\n';
    const dir = new Directory('单位名录.yaml', valid);
    assert.deepEqual(dir.problems, []);
    assert.deepEqual(
      dir.units.map((u) => u.name),
      ['营商环境建设局', '市场监督管理局经开区分局'],
    );
    for (const text of ['', '\n', '# 只有注释\n']) assert.deepEqual(new Directory('单位名录.yaml', text).problems, [], JSON.stringify(text));
  });

  test('a broken 单位名录 through analyze: its findings are well-formed diagnostics of that file', () => {
    const text = '# 表\n\n1. 任务（牵头单位：营商环境建设局；完成时限：12月底前）\n';
    for (const yaml of ['单位: [甲, 乙\n', '- 甲\n', '单位: 5\n', '单位:\n  - &a 甲\n  - *a\n', '单位:\n  - 甲\n  - 甲\n']) {
      const a = analyze(text, { file: '/virtual/通知.fj.md', host: { readFile: (p) => (p === '/virtual/单位名录.yaml' ? yaml : undefined) } });
      assert.deepEqual(analysisProblems(text, a), [], yaml);
      assert.ok(a.directoryFindings, `${JSON.stringify(yaml)}: no directory findings`);
      assert.ok(a.directoryFindings.diagnostics.length >= 1, `${JSON.stringify(yaml)}: the broken directory gives no finding`);
      assert.ok(a.directoryFindings.diagnostics.every((d) => d.code === 'directory'));
    }
  });
  test('malformed YAML makes no Node.js process warnings (they would reach the CLI’s stderr)', async () => {
    const warnings: string[] = [];
    const listen = (w: Error): void => void warnings.push(w.message);
    process.on('warning', listen);
    try {
      // A mapping used as a key: the yaml package warns that it "will be stringified".
      analyze('---\n标题: {[a]: 1}\n---\n# 表\n');
      analyze('---\n必填:\n  ? [牵头单位]\n  : 1\n---\n');
      new Directory('单位名录.yaml', '单位:\n  - {[a]: b}\n');
      new Directory('单位名录.yaml', '单位:\n  - 名称: {[甲]: 乙}\n');
      // emitWarning reports on a later tick.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, []);
  });
}

// ---------------------------------------------------------------------------------------
// 4. Hosts that fail
// ---------------------------------------------------------------------------------------

function registerHostTests(): void {
  test('hosts whose readFile throws, returns undefined or returns broken YAML: analyze does not throw', () => {
    const named = ['---', '单位名录: 名录/单位名录.yaml', '---', '# 表', '', '1. 任务（牵头单位：营商环境建设局；完成时限：12月底前）', ''].join('\n');
    const unnamed = ['# 表', '', '1. 任务（牵头单位：营商环境建设局；完成时限：12月底前）', ''].join('\n');
    const hosts = {
      'throws an Error': {
        readFile(): string | undefined {
          throw new Error('EACCES: 没有读取权限');
        },
      },
      'throws a string': {
        readFile(): string | undefined {
          throw '读取失败';
        },
      },
      'throws null': {
        readFile(): string | undefined {
          throw null;
        },
      },
      'returns undefined': { readFile: (): string | undefined => undefined },
      'returns broken YAML': { readFile: (): string | undefined => '单位: [甲, 乙\n泛称: {\n\t- &a *a' },
      'returns binary junk': { readFile: (): string | undefined => '\u0000\ud800\uffff'.repeat(100) },
    };
    for (const [name, host] of Object.entries(hosts)) {
      for (const [which, text] of [
        ['named', named],
        ['unnamed', unnamed],
      ] as const) {
        for (const file of ['/virtual/子目录/通知.fj.md', 'relative/通知.fj.md', undefined]) {
          let a: Analysis;
          try {
            a = analyze(text, { ...(file ? { file } : {}), host });
          } catch (e) {
            assert.fail(`host ${name}, ${which} 单位名录, file ${file}: analyze threw ${(e as Error).stack ?? String(e)}`);
          }
          assert.deepEqual(analysisProblems(text, a), [], `host ${name}, ${which}, ${file}`);
        }
      }
    }
  });

  test('a host that throws for the named 单位名录 gives a front-matter diagnostic on that key', () => {
    const text = ['---', '标题: 表', '单位名录: 名录/单位名录.yaml', '---', '# 表', '', '1. 任务（牵头单位：营商环境建设局；完成时限：12月底前）', ''].join('\n');
    const seen: string[] = [];
    const a = analyze(text, {
      file: '/virtual/通知.fj.md',
      host: {
        readFile(p) {
          seen.push(p);
          throw new Error('EIO: 磁盘错误');
        },
      },
    });
    assert.deepEqual(seen, ['/virtual/名录/单位名录.yaml']);
    const fm = a.diagnostics.filter((d) => d.code === 'front-matter');
    assert.equal(fm.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(fm[0]?.range.start.line, lineOf(text, '单位名录:'));
    assert.match(fm[0]?.message ?? '', /名录\/单位名录\.yaml/);
    assert.match(fm[0]?.message ?? '', /EIO/);
    assert.deepEqual(analysisProblems(text, a), []);
  });
}

// ---------------------------------------------------------------------------------------
// 5. The CLI on bad files
// ---------------------------------------------------------------------------------------

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => void out.push(s), err: (s) => void err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

/**
 * No stack trace: no line of the form "    at f (file:1:2)". (A bare "at " cannot be the
 * test: "--format 只能是…" contains it.)
 */
function assertNoStack(err: string): void {
  assert.doesNotMatch(err, /^\s*at\s|\bat .*[\\/].*:\d+:\d+\)?$/m, `a stack trace on err: ${err}`);
}

/** The err lines that are not the closing summary of `check`. */
function errorLines(err: string): string[] {
  return err.split('\n').filter((l) => l !== '' && !l.startsWith('共检查'));
}

function registerCliTests(): void {
  const GOOD = '# 表\n\n1. 任务（牵头单位：营商环境建设局；完成时限：12月底前）\n';

  test('CLI: bad files and arguments give exit 2 and one plain line', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-robustness-'));
    t.after(() => {
      try {
        fs.chmodSync(path.join(dir, 'ro'), 0o755);
      } catch {
        // not created
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const p = (...parts: string[]): string => path.join(dir, ...parts);
    const binary = Buffer.alloc(4096);
    let seed = 42;
    for (let i = 0; i < binary.length; i++) binary[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    binary[100] = 0;
    fs.writeFileSync(p('binary.fj.md'), binary);
    fs.writeFileSync(p('latin.fj.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x80, 0x0a]));
    fs.writeFileSync(p('good.fj.md'), GOOD);
    fs.mkdirSync(p('empty-folder'));
    fs.writeFileSync(p('empty-folder', 'readme.md'), '# 不是 .fj.md\n');

    await t.test('a binary file', async () => {
      for (const args of [['check', p('binary.fj.md')], ['export', p('binary.fj.md'), '--to', 'json']]) {
        const r = await cli(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(errorLines(r.err).length, 1, `one line on err: ${r.err}`);
        assertNoStack(r.err);
        assert.ok(r.err.includes(p('binary.fj.md')), r.err);
      }
      // export prints nothing else at all.
      const r = await cli(['export', p('binary.fj.md'), '--to', 'json']);
      assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
      assert.equal(r.out, '');
    });

    await t.test('invalid UTF-8', async () => {
      for (const args of [['check', p('latin.fj.md')], ['export', p('latin.fj.md'), '--to', 'json']]) {
        const r = await cli(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.err, /UTF-8/);
        assert.equal(errorLines(r.err).length, 1, r.err);
        assertNoStack(r.err);
      }
    });

    await t.test('a missing file', async () => {
      for (const args of [['check', p('missing.fj.md')], ['export', p('missing.fj.md'), '--to', 'json']]) {
        const r = await cli(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.ok(r.err.includes(p('missing.fj.md')), r.err);
        assert.equal(errorLines(r.err).length, 1, r.err);
        assertNoStack(r.err);
      }
      // A missing file among good ones still fails the run.
      const r = await cli(['check', p('good.fj.md'), p('missing.fj.md')]);
      assert.equal(r.code, 2);
    });

    await t.test('a folder with no .fj.md', async () => {
      const r = await cli(['check', p('empty-folder')]);
      assert.equal(r.code, 2);
      assert.ok(r.err.includes(p('empty-folder')), r.err);
      assertNoStack(r.err);
    });

    await t.test('export -o onto the source itself leaves it unchanged', async () => {
      const before = fs.readFileSync(p('good.fj.md'));
      fs.symlinkSync(p('good.fj.md'), p('link.json'));
      for (const target of [p('good.fj.md'), `${dir}/./empty-folder/../good.fj.md`, p('link.json')]) {
        const r = await cli(['export', p('good.fj.md'), '--to', 'json', '-o', target]);
        assert.equal(r.code, 2, `-o ${target}: ${r.err}`);
        assertNoStack(r.err);
        assert.deepEqual(fs.readFileSync(p('good.fj.md')), before, `-o ${target} changed the source`);
      }
      assert.equal(fs.readlinkSync(p('link.json')), p('good.fj.md'));
    });

    await t.test('export -o into a read-only folder', async (tt) => {
      fs.mkdirSync(p('ro'));
      fs.chmodSync(p('ro'), 0o555);
      const target = p('ro', 'out.json');
      const r = await cli(['export', p('good.fj.md'), '--to', 'json', '-o', target]);
      if (r.code === 0 && process.getuid?.() === 0) {
        // root writes through 0o555: the failure cannot be provoked this way here.
        tt.skip('running as root, which ignores the folder’s permissions: the write succeeded');
        return;
      }
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.includes(target), `the message names the file: ${r.err}`);
      assertNoStack(r.err);
      assert.deepEqual(fs.readdirSync(p('ro')), [], 'no temporary file is left behind');
    });

    await t.test('export -o into a folder that does not exist (fails as root too)', async () => {
      const target = p('no-such-folder', 'out.json');
      const r = await cli(['export', p('good.fj.md'), '--to', 'json', '-o', target]);
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.includes(target), r.err);
      assertNoStack(r.err);
      const r2 = await cli(['export', p('good.fj.md'), '--to', 'json', '-o', p('empty-folder')]);
      assert.equal(r2.code, 2, `-o onto a folder: ${r2.err}`);
      assert.ok(fs.statSync(p('empty-folder')).isDirectory());
    });

    await t.test('unknown options', async () => {
      for (const args of [
        ['check', '--bogus', p('good.fj.md')],
        ['export', p('good.fj.md'), '--to', 'json', '--bogus'],
        ['check', '-z', p('good.fj.md')],
        ['check', '--format', 'xml', p('good.fj.md')],
        ['export', p('good.fj.md'), '--to', 'pdf'],
        ['frobnicate'],
      ]) {
        const r = await cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
        assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
        assertNoStack(r.err);
      }
      // The good file itself is fine: exit 0, so the 2s above come from the options.
      assert.equal((await cli(['check', p('good.fj.md')])).code, 0);
    });
  });
}

// ---------------------------------------------------------------------------------------

if (process.env[CHILD_ENV]) {
  childMain();
} else {
  registerPropertyTests();
  registerPathologicalTests();
  registerDirectoryTests();
  registerHostTests();
  registerCliTests();
}
