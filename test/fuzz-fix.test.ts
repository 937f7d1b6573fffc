/**
 * No automatic edit loses a task: `fenjie check --fix` (the engine's fixAll), 修正所有 and
 * 重新编号 (code actions), each quick fix, and formatting, over generated breakdowns that mix
 * categories, ordered and bullet lists with wrong numbers, paragraphs right above items,
 * half-width punctuation, inline fields and field lines, duplicate fields and front matter.
 * For each document: no exception; the same tasks (count, and each task's text apart from
 * the punctuation a fix turns full-width); every character outside the edits kept (each
 * edit replaces part of a line, or inserts a blank line); and fixing again changes nothing.
 * Run: node --import tsx --test test/fuzz-fix.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { analyze, applyEdits, buildModel, checkModel, fixAll, LineIndex, type Analysis, type DocumentModel, type EditSpan, type EngineHost, type Task } from '../server/src/engine/index.ts';
import { FIX_ALL_KIND, RENUMBER_KIND, provideCodeActions } from '../server/src/service/codeActions.ts';
import { formatDocument } from '../server/src/service/formatting.ts';
import { toLspDiagnostic } from '../server/src/service/diagnostics.ts';
import type { ServiceDocument } from '../server/src/service/types.ts';
import { memoryWorkspace } from './service-helpers.ts';

const SEED = 20_261_203;
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const DIRECTORY = '单位:\n  - 财政局\n  - 应急局\n  - 营商环境建设局\n';

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

const han = fc.constantFrom('加强权力配置信息公开', '推进基层政务公开', '做好政策解读', '任务', '中文,中文', '信息(公开)', '甲:乙;丙', '优化营商环境', '𠮷野家');
const sentence = fc.array(han, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
const unit = fc.constantFrom('财政局', '应急局', '营商环境建设局', '财政厅', '各单位', '有关部门');
const units = fc.array(unit, { minLength: 1, maxLength: 3 }).chain((us) => fc.constantFrom('、', ',', '，').map((sep) => us.join(sep)));
const deadline = fc.constantFrom('12月底前', '12月低前', '2020年底', '年底前', '长期坚持', '第三季度', '2019年1月1日前', '每月');
const fieldName = fc.constantFrom('牵头单位', '牵头', '责任单位', '配合单位', '完成时限', '时限', '备注');
const colon = fc.constantFrom('：', '：', ':');
const field = fc
  .tuple(fieldName, colon, units, deadline)
  .map(([n, c, u, d]) => `${n}${c}${n.includes('时限') ? d : n === '备注' ? '无' : u}`);
const inline = fc
  .tuple(fc.constantFrom('（', '('), fc.array(field, { minLength: 1, maxLength: 3 }), fc.constantFrom('；', ';', '，'), fc.constantFrom('）', ')', '）。'))
  .map(([o, fs, sep, c]) => `${o}${fs.join(sep)}${c}`);
const itemLines = fc.array(
  fc.oneof(
    field.map((f) => `- ${f}`),
    field,
    sentence,
    fc.constantFrom('完成时限：12月底前', '完成时限：年底前'),
  ),
  { maxLength: 3 },
);
/** A list item: its marker (the number may be wrong), text, and further lines. */
const item = fc
  .tuple(fc.constantFrom('1. ', '2. ', '3. ', '4. ', '7. ', '9. ', '10. ', '1) ', '- ', '* '), sentence, fc.option(inline, { freq: 2 }), itemLines, fc.constantFrom(false, false, true))
  .map(([m, t, inl, more, margin]) => {
    // Further lines nested in the item, or at the margin (a lazy line, a field item under it).
    const pad = margin ? '' : ' '.repeat(m.length);
    return [`${m}${t}${inl ?? ''}`, ...more.map((l) => pad + l)].join('\n');
  });
const paragraph = fc.oneof(sentence.map((s) => `${s}：`), sentence, fc.constantFrom('以下任务由财政局统筹：', '> 引用的一段话', '---', '```\n1. 代码\n```'));
const label = fc.constantFrom('一、', '二、', '三、', '五、', '（一）', '（三）', '1.', '');
const heading = fc.tuple(fc.constantFrom('##', '##', '###'), label, sentence).map(([h, l, t]) => `${h} ${l}${t}`);
/** What separates two blocks: nothing (the next line follows), or a blank line. */
const gap = fc.constantFrom('\n', '\n\n', '\n\n');
const block = fc.oneof({ weight: 6, arbitrary: item }, { weight: 2, arbitrary: paragraph }, { weight: 1, arbitrary: heading });
const frontMatter = fc
  .tuple(fc.constantFrom('年份: 2020', '年度: 2020', '成文日期: 2020-03-01'), fc.constantFrom('', '必填: [牵头单位, 完成时限, 责任单位]', '单位名录: 单位名录.yaml'))
  .map(([a, b]) => `---\n${a}${b ? `\n${b}` : ''}\n---\n\n`);

const documentArb = fc
  .record({
    fm: fc.option(frontMatter, { freq: 3 }),
    title: fc.constantFrom('# 任务分解表\n\n', ''),
    blocks: fc.array(fc.tuple(block, gap), { minLength: 1, maxLength: 12 }),
    crlf: fc.constantFrom(false, false, false, true),
  })
  .map(({ fm, title, blocks, crlf }) => {
    const text = (fm ?? '') + title + blocks.map(([b, g]) => b + g).join('');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

// ---------------------------------------------------------------------------------------
// What must hold
// ---------------------------------------------------------------------------------------

const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '(': '（', ')': '）' };

/**
 * A task as the user knows it in the table: its text, up to a field parenthesis (which a fix
 * may turn from half-width into the inline form), its punctuation as a fix leaves it.
 */
function identity(t: Task): string {
  const s = t.text.replace(/[,;:()]/g, (c) => FULL[c] as string).replace(/[\s\u3000]+/g, '');
  const paren = s.indexOf('（');
  return paren < 0 ? s : s.slice(0, paren);
}

function tasks(m: DocumentModel): string[][] {
  return m.breakdowns.map((b) => b.tasks.map(identity));
}

const fieldKeys = (m: DocumentModel): string[][] => m.breakdowns.flatMap((b) => b.tasks.map((t) => t.fields.map((f) => f.key).sort()));

function sameTasks(before: DocumentModel, after: DocumentModel, what: string): void {
  assert.deepEqual(tasks(after), tasks(before), `${what}: the tasks changed`);
  // A fix may make fields of a half-width parenthesis; it never takes one away, except a
  // unit (the value changes, not the field).
  const was = fieldKeys(before);
  fieldKeys(after).forEach((keys, i) => {
    for (const k of was[i] as string[]) assert.ok(keys.includes(k), `${what}: task ${i + 1} lost its ${k} field`);
  });
}

/** Every character outside the spans is kept; a span replaces part of one line, and may put a blank line after it. */
function keepsContent(before: string, after: string, spans: EditSpan[], what: string): void {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  let rebuilt = '';
  let at = 0;
  for (const s of sorted) {
    assert.ok(s.start >= at, `${what}: edits overlap`);
    const removed = before.slice(s.start, s.end);
    assert.ok(!/[\r\n]/.test(removed), `${what}: an edit removes a line break (${JSON.stringify(removed)})`);
    // Line breaks only at the end (a blank line put in, maybe after a change at the line's end).
    assert.ok(/^[^\r\n]*(?:\r\n|\r|\n)*$/.test(s.newText), `${what}: an edit inserts lines (${JSON.stringify(s.newText)})`);
    rebuilt += before.slice(at, s.start) + s.newText;
    at = s.end;
  }
  rebuilt += before.slice(at);
  assert.equal(rebuilt, after, `${what}: the text is not the edits' result`);
}

function spansOf(text: string, edits: TextEdit[]): EditSpan[] {
  const lines = new LineIndex(text);
  return edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }));
}

function workspace(text: string, withDirectory: boolean): { ws: ReturnType<typeof memoryWorkspace>; doc: ServiceDocument } {
  const files: Record<string, string> = { '/w/doc.fj.md': text };
  if (withDirectory) files['/w/单位名录.yaml'] = DIRECTORY;
  const ws = memoryWorkspace(files);
  return { ws, doc: ws.get(ws.uriOf('/w/doc.fj.md')) as ServiceDocument };
}

const TITLES: Record<string, string> = { [FIX_ALL_KIND]: '修正所有可自动修正的问题', [RENUMBER_KIND]: '重新编号' };

function action(actions: CodeAction[], kind: string): CodeAction | undefined {
  return actions.find((a) => a.kind === kind && a.title === TITLES[kind]);
}

interface Tally {
  docs: number;
  tasks: number;
  applied: number;
  refused: number;
  quickFixes: number;
  renumberWithBlank: number;
}

function checkDocument(text: string, withDirectory: boolean, tally: Tally): void {
  const host: EngineHost = { readFile: (p) => (withDirectory && p === '/w/单位名录.yaml' ? DIRECTORY : undefined), isBoundary: (d) => d === '/w' };
  const reanalyze = (t: string, model?: DocumentModel): Analysis => (model ? checkModel(model, { file: '/w/doc.fj.md', host }) : analyze(t, { file: '/w/doc.fj.md', host }));
  const parse = (t: string): DocumentModel => buildModel(t);
  const original = reanalyze(text);
  tally.docs++;
  tally.tasks += original.model.breakdowns.reduce((n, b) => n + b.tasks.length, 0);

  // fenjie check --fix
  const fixed = fixAll(text, reanalyze);
  tally.applied += fixed.applied.length;
  tally.refused += fixed.refused.length;
  tally.renumberWithBlank += fixed.applied.filter((c) => c.after.includes('空行')).length;
  sameTasks(original.model, fixed.analysis.model, 'check --fix');
  let t = text;
  for (const round of fixed.rounds) {
    const after = spansApply(t, round);
    keepsContent(t, after, round, 'check --fix');
    t = after;
  }
  assert.equal(t, fixed.text, 'check --fix: rounds do not give its text');
  const again = fixAll(fixed.text, reanalyze, { analysis: fixed.analysis });
  assert.equal(again.text, fixed.text, `check --fix is not idempotent: ${JSON.stringify(again.applied)}`);

  // 修正所有 and 重新编号 in the editor
  const { ws, doc } = workspace(text, withDirectory);
  const start = { line: 0, character: 0 };
  for (const kind of [FIX_ALL_KIND, RENUMBER_KIND]) {
    const a = action(provideCodeActions(ws, doc, { start, end: start }, { diagnostics: [], only: [kind] }), kind);
    if (!a) continue;
    const edits = a.edit?.changes?.[doc.uri] ?? [];
    const after = applyEdits(text, edits);
    keepsContent(text, after, spansOf(text, edits), kind);
    if (kind === RENUMBER_KIND) sameTasks(original.model, parse(after), kind);
    if (kind === FIX_ALL_KIND) {
      assert.equal(after, fixed.text, '修正所有 and check --fix disagree');
      const next = workspace(after, withDirectory);
      const more = action(provideCodeActions(next.ws, next.doc, { start, end: start }, { diagnostics: [], only: [kind] }), kind);
      assert.equal(more, undefined, '修正所有 is not idempotent');
    }
  }

  // Quick fixes offered on their own: every numbering fix, and a few others (each costs parses).
  let others = 0;
  for (const d of doc.analysis.diagnostics) {
    if (!d.fixes?.length) continue;
    if (d.code !== 'numbering' && others++ >= 1) continue;
    const lsp = toLspDiagnostic(d, doc.uri, ws.uriOf);
    for (const a of provideCodeActions(ws, doc, d.range, { diagnostics: [lsp], only: ['quickfix'] })) {
      const edits = a.edit?.changes?.[doc.uri];
      if (!edits) continue;
      tally.quickFixes++;
      const after = applyEdits(text, edits);
      keepsContent(text, after, spansOf(text, edits), `quick fix ${a.title}`);
      sameTasks(original.model, parse(after), `quick fix ${a.title}`);
    }
  }

  // Formatting
  const formatEdits = formatDocument(doc);
  const formatted = applyEdits(text, formatEdits);
  keepsContent(text, formatted, spansOf(text, formatEdits), 'formatting');
  const f2 = workspace(formatted, withDirectory);
  sameTasks(original.model, f2.doc.analysis.model, 'formatting');
  assert.deepEqual(formatDocument(f2.doc), [], 'formatting is not idempotent');
}

function spansApply(text: string, spans: EditSpan[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

test(`fixes keep every task and every character outside their edits, and are idempotent (${RUNS} documents, seed ${SEED})`, () => {
  const tally: Tally = { docs: 0, tasks: 0, applied: 0, refused: 0, quickFixes: 0, renumberWithBlank: 0 };
  fc.assert(
    fc.property(documentArb, fc.boolean(), (text, withDirectory) => {
      checkDocument(text, withDirectory, tally);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
  // The generator reaches what matters: fixes are made, and items right under a paragraph renumbered.
  assert.ok(tally.applied > RUNS, `only ${tally.applied} fixes applied`);
  assert.ok(tally.renumberWithBlank > 20, `only ${tally.renumberWithBlank} items renumbered under a paragraph`);
  assert.ok(tally.quickFixes > RUNS / 2, `only ${tally.quickFixes} quick fixes tried`);
  console.log(JSON.stringify(tally));
});
