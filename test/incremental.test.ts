import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { buildModel, checkModel, PieceCache, type Analysis } from '../server/src/engine/index.ts';
import { memoryHost } from './helpers.ts';
import { groupPieces, splitPieces, textChange } from '../server/src/engine/segment.ts';
import { LineIndex } from '../server/src/engine/text.ts';

/*
 * The editor keeps one PieceCache per open document: an edit re-reads only what it touched
 * and moves the rest. Whatever the edits, the model and the findings must be those of the
 * text read afresh.
 */

const DIRECTORY = ['单位:', '  - 名称: 市财政局', '    简称: [财政局]', '  - 名称: 市教育局', '泛称: [各区县政府]', ''].join('\n');
const host = memoryHost({ '/w/单位名录.yaml': DIRECTORY });

/** What a user sees of a checked document: every task with its offsets, links and findings. */
function seen(a: Analysis): unknown {
  const ref = (r: Analysis['model']['breakdowns'][number]['tasks'][number]['lead'][number]) => [r.name, r.start, r.end, r.role, r.known, r.canonical, r.leadInResponsible, r.field.start];
  return {
    breakdowns: a.model.breakdowns.map((b) => ({
      title: b.title,
      categories: b.allCategories.map((c) => [c.title, c.start, c.end]),
      tasks: b.tasks.map((t) => ({
        number: t.number,
        listNumber: t.listNumber,
        text: [t.text, t.textStart, t.textEnd, t.start, t.end],
        measures: t.measures,
        fields: t.fields.map((f) => [f.key, f.name, f.form, f.start, f.end, f.valueStart, f.valueEnd, f.value]),
        parens: t.inlineParens,
        categories: t.categories.map((c) => c.title),
        lead: t.lead.map(ref),
        responsible: t.responsible.map(ref),
        cooperating: t.cooperating.map(ref),
        deadline: t.deadline && [t.deadline.text, t.deadline.start, t.deadline.end, t.deadline.parsed?.end, t.deadline.parsed?.describe, t.deadline.field.start],
        note: t.note,
        indent: t.contentIndent,
      })),
      lists: b.orderedLists.map((l) => [l.start, l.tasks.map((t) => t.start)]),
    })),
    diagnostics: a.diagnostics.map((d) => [d.code, d.severity, d.range, d.message, d.fixes]),
  };
}

const LINE = fc.constantFrom(
  '',
  '',
  '## 一、类别',
  '### （一）子类',
  '1. 任务一。',
  '2. 任务二。（牵头单位：财政局；完成时限：12月底前）',
  '3. 任务三',
  '- 任务四',
  '   - 牵头单位：市财政局',
  '   - 责任单位：市教育局、各区县政府',
  '   - 完成时限：2020年6月底前',
  '   - 备注：持续推进',
  '   举措文字',
  '- 牵头单位：市教育局',
  '- 完成时限：9月底前',
  '   牵头单位：未知局',
  '段落文字',
  '> 引用',
);

const documents = fc.array(LINE, { maxLength: 30 }).map((lines) => '---\n年度: 2020\n成文日期: 2020-03-01\n---\n# 表\n' + lines.join('\n') + '\n');
const edit = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('', '改', '\n', '\n\n', '- ', '1. ', '## 二、', '   - 牵头单位：市财政局\n', '- 完成时限：12月底前\n', '、市教育局', '2021'));

test('edit after edit, the model and findings kept up by the cache are those of the text read afresh', () => {
  fc.assert(
    fc.property(documents, fc.array(edit, { minLength: 1, maxLength: 10 }), (text, edits) => {
      const cache = new PieceCache();
      const options = { file: '/w/表.fj.md', host };
      checkModel(buildModel(text, cache), options);
      for (const [at, removed, insert] of edits) {
        const pos = at % (text.length + 1);
        text = text.slice(0, pos) + insert + text.slice(Math.min(text.length, pos + removed));
        assert.deepEqual(seen(checkModel(buildModel(text, cache), options)), seen(checkModel(buildModel(text), options)));
      }
    }),
    { seed: 17, numRuns: 1500 },
  );
});

test('a long document: an edit near the start moves every later task, whose links stay right', () => {
  const tasks = Array.from({ length: 300 }, (_, i) => `${i + 1}. 任务${i + 1}\n   - 牵头单位：市财政局\n   - 完成时限：12月底前\n`).join('');
  let text = '# 表\n\n## 一、类别\n\n' + tasks;
  const cache = new PieceCache();
  const options = { file: '/w/表.fj.md', host };
  checkModel(buildModel(text, cache), options);
  text = text.replace('1. 任务1', '1. 任务一加长了');
  const kept = checkModel(buildModel(text, cache), options);
  const fresh = checkModel(buildModel(text), options);
  assert.deepEqual(seen(kept), seen(fresh));
  const last = kept.model.breakdowns[0]?.tasks.at(-1);
  assert.equal(text.slice(last?.lead[0]?.start, last?.lead[0]?.end), '市财政局');
  assert.equal(text.slice(last?.deadline?.start, last?.deadline?.end), '12月底前');
});

/** Checks `before`, then `after` with the same cache, against `after` read afresh. */
function sameAsFresh(before: string, after: string, afterHost = host): Analysis {
  const cache = new PieceCache();
  checkModel(buildModel(before, cache), { file: '/w/表.fj.md', host });
  const kept = checkModel(buildModel(after, cache), { file: '/w/表.fj.md', host: afterHost });
  assert.deepEqual(seen(kept), seen(checkModel(buildModel(after), { file: '/w/表.fj.md', host: afterHost })));
  return kept;
}

test('a field item at the margin that stops being one leaves the task above it as written', () => {
  // The task must be kept from the cache, so the field item must be parsed apart from it:
  // in a group of its own (groups end where a line's hash says so; see groupPieces).
  const variants = Array.from({ length: 40 }, (_, i) => `# 表\n\n1. 任务一\n   - 完成时限：12月底前\n\n- 牵头单位：市教育局${' '.repeat(i)}\n`);
  const apart = (t: string, start: string) => groupPieces(t, splitPieces(t)).some((g) => t.startsWith(start, g.start));
  const marks = [...'改甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'];
  const pairs = variants.flatMap((t) => marks.map((m) => [t, m] as const));
  const [before, mark] = pairs.find(([t, m]) => apart(t, '- 牵头') && apart(t.replace('- 牵头', `- ${m}牵头`), `- ${m}牵头`)) ?? [];
  assert.ok(before && mark, 'no variant puts the field item in a group of its own');
  assert.equal(sameAsFresh(before, before).model.breakdowns[0]?.tasks[0]?.lead[0]?.name, '市教育局');
  const kept = sameAsFresh(before, before.replace('- 牵头', `- ${mark}牵头`));
  assert.deepEqual(kept.model.breakdowns[0]?.tasks[0]?.lead, []);
});

test('a new 年度 or a changed 单位名录 links the kept tasks again', () => {
  const doc = (year: number) => `---\n年度: ${year}\n---\n# 表\n\n1. 任务一\n   - 牵头单位：财政局\n   - 完成时限：12月底前\n`;
  const kept = sameAsFresh(doc(2020), doc(2021));
  assert.equal(kept.model.breakdowns[0]?.tasks[0]?.deadline?.parsed?.end, '2021-12-31');
  const renamed = memoryHost({ '/w/单位名录.yaml': DIRECTORY.replace('简称: [财政局]', '简称: [财政]') });
  const relinked = sameAsFresh(doc(2020), doc(2020), renamed);
  assert.equal(relinked.model.breakdowns[0]?.tasks[0]?.lead[0]?.known, undefined);
  assert.ok(relinked.diagnostics.some((d) => d.code === 'unknown-unit'));
});

test('the line index of an edited text, kept from the last version, is the index read afresh', () => {
  const piece = fc.constantFrom('a', '甲', '𠮷', '\n', '\r', '\r\n', '\n\n', ' ');
  const text = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), text), { minLength: 1, maxLength: 6 }), (t, edits) => {
      let lines = new LineIndex(t);
      for (const [at, removed, insert] of edits) {
        const pos = at % (t.length + 1);
        const next = t.slice(0, pos) + insert + t.slice(Math.min(t.length, pos + removed));
        const { p, q } = textChange(t, next);
        lines = LineIndex.edited(lines, next, p, q);
        assert.deepEqual(lines.starts, new LineIndex(next).starts);
        t = next;
      }
    }),
    { seed: 19, numRuns: 5000 },
  );
});

test('nesting too deep is found where an edit puts it, and stays found after other edits', () => {
  const deep = '> '.repeat(40) + '深\n';
  const cache = new PieceCache();
  let text = '# 表\n\n1. 任务一\n   - 牵头单位：市财政局\n';
  buildModel(text, cache);
  text = text.replace('1. 任务一\n', `1. 任务一\n${deep}`);
  assert.equal(buildModel(text, cache).parseFailure, 'nesting');
  text = text.replace('# 表', '# 新表');
  assert.equal(buildModel(text, cache).parseFailure, 'nesting');
  text = text.replace(deep, '');
  assert.equal(buildModel(text, cache).parseFailure, undefined);
  assert.equal(buildModel(text, cache).breakdowns[0]?.tasks.length, 1);
});

test('an edited document keeps no earlier version of its text alive', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const { generateDocument } = await import('./bench/generate.ts');
  let text = generateDocument(300);
  const cache = new PieceCache();
  const options = { file: '/w/表.fj.md', host };
  checkModel(buildModel(text, cache), options);
  const taskLines = text.split('\n').flatMap((l, i) => (/^\d+\. /.test(l) ? [i] : []));
  const edit = (k: number): void => {
    const lines = text.split('\n');
    lines[taskLines[(k * 37) % taskLines.length] as number] += '改';
    text = lines.join('\n');
    checkModel(buildModel(text, cache), options);
  };
  for (let k = 0; k < 20; k++) edit(k);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let k = 20; k < 220; k++) edit(k);
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1048576;
  // Each version of this text is about 0.2 MB; keeping even a tenth of 200 versions shows.
  assert.ok(grown < 3, `the live heap grew by ${grown.toFixed(1)} MB over 200 edits`);
});
