import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, documentView, type DocumentView, type Table, type UnitSection } from '../server/src/engine/index.ts';
import { toDocx } from '../server/src/engine/export/docx.ts';
import { strFromU8, unzipSync } from 'fflate';
import { ROOT, hostWithin, SAMPLE_NOTICE, viewOf, exampleView } from './helpers.ts';

/*
 * The Word export, read back by readers nobody here wrote: Debian's python3-docx (through
 * test/docx_read.py) for what the file says, LibreOffice and poppler for how it prints.
 *
 * Set FENJIE_DOCX_KEEP to a folder to keep the example's .docx there (changchun.docx) and its
 * pages as PNG images (docx-pages/), to look at.
 */

const PYTHON = '/usr/bin/python3';
const READER = path.join(ROOT, 'test', 'docx_read.py');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-docx-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

// ── Tools ───────────────────────────────────────────────────────────────────────────────────

function run(command: string, args: string[], timeout = 60_000): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/** Fails, naming the Debian package to install, when a reader is not there. */
function requireTool(command: string, args: string[], debianPackage: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) {
    assert.fail(`${command} ${args.join(' ')} failed (${r.error?.message ?? r.stderr.trim()}): install the Debian package ${debianPackage} (apt-get install ${debianPackage})`);
  }
}

const requirePythonDocx = (): void => requireTool(PYTHON, ['-c', 'import docx'], 'python3-docx');
const requireLibreOffice = (): void => requireTool('soffice', ['--version'], 'libreoffice-writer');
const requirePoppler = (): void => {
  requireTool('pdfinfo', ['-v'], 'poppler-utils');
  requireTool('pdftoppm', ['-v'], 'poppler-utils');
  requireTool('pdftotext', ['-v'], 'poppler-utils');
};

// ── What docx_read.py prints ────────────────────────────────────────────────────────────────

interface Run {
  text: string;
  fonts: { ascii?: string; eastAsia?: string; hAnsi?: string; cs?: string; hint?: string };
  size: number | null;
  bold: boolean;
  color: string | null;
}
interface Para {
  text: string;
  alignment: string | null;
  indent: Record<string, string> | null;
  spacing: Record<string, string> | null;
  runs: Run[];
  section: number;
  table?: true;
}
interface Footer {
  linked: boolean;
  paragraphs: Para[];
}
interface Section {
  orientation: 'portrait' | 'landscape';
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  footerDistance: number;
  startType: string;
  grid: Record<string, string> | null;
  footer: Footer;
  evenFooter: Footer;
}
interface Tc {
  gridSpan: number;
  vMerge: 'restart' | 'continue' | null;
  text: string;
  runs: Omit<Run, 'text'>[];
  alignment: (string | null)[];
}
interface ReadTable {
  rows: number;
  columns: number;
  gridCols: number[];
  grid: string[][];
  tr: { tblHeader: boolean; cantSplit: boolean; tcs: Tc[] }[];
}
interface ReadDocx {
  forbidden: Record<string, number>;
  evenAndOddHeaders: boolean;
  sections: Section[];
  paragraphs: Para[];
  tables: ReadTable[];
}

async function write(name: string, view: DocumentView, byUnit?: UnitSection[]): Promise<string> {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, await toDocx(view, byUnit ? { byUnit } : {}));
  return file;
}

function read(file: string): ReadDocx {
  requirePythonDocx();
  return JSON.parse(run(PYTHON, [READER, file])) as ReadDocx;
}

// ── Expectations from the model ─────────────────────────────────────────────────────────────

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MISSING = '（待填）';
const cellText = (c: { text: string; missing?: boolean }): string => (c.missing ? MISSING : c.text.replace(FORBIDDEN, ''));

/**
 * The table as python-docx's grid gives it: the header row, then each position holding the text
 * of the cell covering it. python-docx repeats a cell across its gridSpan, and gives a
 * vMerge="continue" position the cell above it, so merged positions repeat the merged text.
 */
function expectedGrid(t: Table): string[][] {
  const out: string[][] = t.rows.map(() => Array<string>(t.columns.length).fill('∅'));
  t.rows.forEach((row, r) => {
    for (const c of row.cells) for (let i = 0; i < c.rowspan; i++) for (let j = 0; j < c.colspan; j++) (out[r + i] as string[])[c.column + j] = cellText(c);
  });
  return [t.columns.map((c) => c.label), ...out];
}

/**
 * The w:tc elements each row must hold: a cell starting there (gridSpan its colspan, vMerge
 * "restart" when it spans rows), or where a cell from above reaches down, an empty vMerge
 * "continue" cell of the same width.
 */
function expectedTcs(t: Table): { gridSpan: number; vMerge: string | null; text: string }[][] {
  return t.rows.map((row, r) => {
    const tcs: { gridSpan: number; vMerge: string | null; text: string }[] = [];
    for (let col = 0; col < t.columns.length; ) {
      const here = row.cells.find((c) => c.column === col);
      if (here) {
        tcs.push({ gridSpan: here.colspan, vMerge: here.rowspan > 1 ? 'restart' : null, text: cellText(here) });
        col += here.colspan;
        continue;
      }
      const above = t.rows.slice(0, r).flatMap((x, i) => x.cells.filter((c) => c.column === col && i + c.rowspan > r));
      assert.equal(above.length, 1, `row ${r + 1}, column ${col + 1}: no cell covers it`);
      tcs.push({ gridSpan: (above[0] as { colspan: number }).colspan, vMerge: 'continue', text: '' });
      col += (above[0] as { colspan: number }).colspan;
    }
    return tcs;
  });
}

const near = (actual: number, expected: number, what: string, within = 0.5): void =>
  assert.ok(Math.abs(actual - expected) <= within, `${what}: ${actual} mm, expected ${expected} ± ${within} mm`);
const twipsOf = (mm: number): number => (mm * 1440) / 25.4;

function assertTableReadsBack(read: ReadTable, t: Table): void {
  assert.deepEqual(read.grid, expectedGrid(t), 'cell texts by (row, column)');
  assert.deepEqual(
    read.tr.slice(1).map((tr) => tr.tcs.map(({ gridSpan, vMerge, text }) => ({ gridSpan, vMerge, text }))),
    expectedTcs(t),
    'merge structure: gridSpan and vMerge of each w:tc',
  );
  assert.deepEqual(
    read.tr.map((tr) => tr.tblHeader),
    read.tr.map((_, i) => i === 0),
    'the header row, and only it, repeats on every page',
  );
  assert.ok(read.tr.every((tr) => tr.cantSplit), 'every row is kept whole on a page');
  for (const [r, tr] of read.tr.entries()) {
    for (const tc of tr.tcs) {
      for (const run of tc.runs) {
        const face = r === 0 ? '黑体' : '仿宋_GB2312';
        assert.deepEqual([run.fonts.ascii, run.fonts.eastAsia, run.fonts.hAnsi, run.fonts.cs], [face, face, face, face], `fonts of "${tc.text}"`);
        assert.equal(run.size, 12, `size of "${tc.text}"`);
      }
      if (tc.text === MISSING) assert.deepEqual(tc.runs.map((x) => x.color), ['FF0000'], 'a missing field is marked in red');
    }
  }
}

function assertPortraitA4(s: Section): void {
  assert.equal(s.orientation, 'portrait');
  near(s.width, 210, 'page width');
  near(s.height, 297, 'page height');
  near(s.top, 37, 'top margin');
  near(s.bottom, 35, 'bottom margin');
  near(s.left, 28, 'left margin');
  near(s.right, 26, 'right margin');
}

function assertLandscapeA4(s: Section): void {
  assert.equal(s.orientation, 'landscape');
  near(s.width, 297, 'landscape page width');
  near(s.height, 210, 'landscape page height');
  assert.ok(s.width > s.height, 'wider than high');
  assert.match(s.startType, /NEW_PAGE/);
  near(s.width - s.left - s.right, 225, 'landscape text width');
}

/** “— 1 —” in 4号宋体: odd pages at the right one character in, even pages at the left. */
function assertPageNumbers(s: Section): void {
  for (const [footer, alignment, side] of [
    [s.footer, 'right', 'right'],
    [s.evenFooter, 'left', 'left'],
  ] as const) {
    assert.equal(footer.linked, false);
    const p = footer.paragraphs[0] as Para;
    assert.equal(p.text, '— {PAGE} —');
    assert.equal(p.alignment, alignment);
    assert.equal(p.indent?.[side], '280', `one character (14 pt) in from the ${side}`);
    for (const run of p.runs) {
      assert.deepEqual([run.fonts.ascii, run.fonts.eastAsia, run.fonts.hAnsi], ['宋体', '宋体', '宋体']);
      assert.equal(run.size, 14);
    }
  }
}

const faces = (p: Para): string[] => [...new Set((p.runs ?? []).flatMap((r) => [r.fonts.ascii, r.fonts.eastAsia, r.fonts.hAnsi, r.fonts.cs].map(String)))];

// ── Documents ───────────────────────────────────────────────────────────────────────────────

const EXAMPLE = path.join(ROOT, 'examples', 'changchun-2020', '通知.fj.md');

const example = () => exampleView(path.relative(path.join(ROOT, 'examples'), EXAMPLE));


/** Two category levels, a shallow task, a missing 牵头单位, two 落实举措 and characters XML forbids. */
const SYNTHETIC = [
  '# 附件1：测试任务分解表',
  '## 一、甲类',
  '### （一）甲一',
  '1. 任务一\u0001含\u000B控制字符\uFFFF和\uD800代理项。\n\n   第一条举措。\n\n   第二条举措\u001F。\n\n   - 牵头单位：市财政局\n   - 完成时限：12月底前',
  '2. 任务二\n   - 牵头单位：市教育局\n   - 完成时限：12月底前',
  '### （二）甲二',
  '3. 任务三\n   - 责任单位：各区县政府\n   - 完成时限：6月底前',
  '## 二、乙类',
  '4. 任务四\n   - 牵头单位：市财政局\n   - 完成时限：长期坚持',
  '',
].join('\n\n');

const synthetic = (text = SYNTHETIC) => viewOf(text);

// ── python-docx ─────────────────────────────────────────────────────────────────────────────

test('the example notice reads back in python-docx: a portrait A4 notice on the 22 x 28 grid, the attachment landscape, every cell as in the table', async () => {
  const { view } = example();
  const d = read(await write('changchun.docx', view));
  assert.deepEqual(d.forbidden, {});
  assert.equal(d.evenAndOddHeaders, true, 'different odd and even footers');

  // Sections: the notice, then the one attachment.
  assert.deepEqual(d.sections.map((s) => s.orientation), ['portrait', 'landscape']);
  const [notice, attachment] = d.sections as [Section, Section];
  assertPortraitA4(notice);
  assertLandscapeA4(attachment);
  d.sections.forEach(assertPageNumbers);

  // 22 lines of 28 characters of 16 pt text in the 156 x 225 mm block.
  assert.equal(notice.grid?.type, 'linesAndChars');
  const linePitch = Number(notice.grid?.linePitch);
  const charPitch = 16 + Number(notice.grid?.charSpace) / 4096;
  assert.equal(Math.floor(twipsOf(notice.height - notice.top - notice.bottom) / linePitch), 22, 'lines per page');
  assert.equal(Math.floor(twipsOf(notice.width - notice.left - notice.right) / 20 / charPitch), 28, 'characters per line');

  // The notice's parts, in order, in their places and faces.
  const inNotice = d.paragraphs.filter((p) => p.section === 0 && !p.table && p.text !== '');
  const n = view.notice;
  const at = (text: string): Para => {
    const p = inNotice.find((x) => x.text === text);
    assert.ok(p, `a paragraph "${text}"`);
    return p;
  };
  assert.deepEqual(
    inNotice.slice(0, 4).map((p) => p.text),
    [n.issuer, n.number, n.title, `${n.to}：`],
  );
  assert.deepEqual([at(n.issuer as string).alignment, faces(at(n.issuer as string)), at(n.issuer as string).runs[0]?.color], ['center', ['方正小标宋简体'], 'FF0000']);
  assert.deepEqual([at(n.number as string).alignment, faces(at(n.number as string)), at(n.number as string).runs[0]?.size], ['center', ['仿宋_GB2312'], 16]);
  const title = at(n.title as string);
  assert.deepEqual([title.alignment, faces(title), title.runs[0]?.size], ['center', ['方正小标宋简体'], 22]);
  const to = at(`${n.to}：`);
  assert.deepEqual([to.indent, faces(to)], [null, ['仿宋_GB2312']]);
  for (const b of view.body) {
    const p = at(b.text);
    assert.equal(p.indent?.firstLineChars, '200', `first line of "${b.text.slice(0, 10)}" indented 2 characters`);
    assert.deepEqual(p.spacing, { line: String(linePitch), lineRule: 'exact' }, 'on the grid');
    assert.equal(p.runs[0]?.size, 16);
    assert.deepEqual(faces(p), [b.kind === 'h1' ? '黑体' : '仿宋_GB2312'], `face of "${b.text.slice(0, 10)}"`);
  }
  const signature = at(n.signature as string);
  const date = at(n.date as string);
  const note = at(n.note as string);
  assert.equal(inNotice.indexOf(date), inNotice.indexOf(signature) + 1, '成文日期 under 署名');
  assert.equal(inNotice.indexOf(note), inNotice.indexOf(date) + 1, '附注 under 成文日期');
  assert.deepEqual([signature.alignment, date.alignment], ['right', 'right']);
  const char = twipsOf(156) / 28;
  assert.ok(Math.abs(Number(date.indent?.right) - 4 * char) < 2, `成文日期 4 characters from the right: ${date.indent?.right}`);
  assert.ok(Math.abs(Number(note.indent?.left) - 2 * char) < 2, `附注 indented 2 characters: ${note.indent?.left}`);
  // Every run of the notice names its face in every slot.
  for (const p of inNotice) for (const r of p.runs) assert.ok(r.fonts.ascii && r.fonts.eastAsia && r.fonts.hAnsi && r.fonts.cs, `fonts of "${r.text}"`);

  // The attachment: 附件 at the top left in 黑体, the title centred in 小标宋, the table.
  const inAttachment = d.paragraphs.filter((p) => p.section === 1);
  const table = view.tables[0] as Table;
  const label = inAttachment[0] as Para;
  assert.deepEqual([label.text, label.alignment, faces(label), label.runs[0]?.size], [table.label, 'left', ['黑体'], 16]);
  const heading = inAttachment.find((p) => p.text === table.title) as Para;
  assert.deepEqual([heading.alignment, faces(heading), heading.runs[0]?.size], ['center', ['方正小标宋简体'], 22]);
  assert.ok(inAttachment.some((p) => p.table));

  assert.equal(d.tables.length, 1);
  const t = d.tables[0] as ReadTable;
  assert.equal(t.columns, table.columns.length);
  assertTableReadsBack(t, table);
  // Full text width; 序号 narrow, 落实举措 the widest.
  assert.ok(Math.abs(t.gridCols.reduce((a, b) => a + b, 0) - twipsOf(225)) < 2, `columns add up to 225 mm: ${t.gridCols}`);
  const width = (label: string): number => t.gridCols[table.columns.findIndex((c) => c.label === label)] as number;
  assert.equal(Math.min(...t.gridCols), width('序号'));
  assert.equal(Math.max(...t.gridCols), width('落实举措'));
  // The first task's category is merged down over the tasks of that category.
  assert.deepEqual(t.tr[1]?.tcs[1]?.vMerge, 'restart');
});

test('every example reads back: each table cell by cell, in a landscape section after its portrait notice', async () => {
  const dir = path.join(ROOT, 'examples');
  const files = fs.readdirSync(dir).flatMap((d) => (fs.statSync(path.join(dir, d)).isDirectory() ? fs.readdirSync(path.join(dir, d)).filter((f) => f.endsWith('.fj.md')).map((f) => path.join(dir, d, f)) : []));
  assert.ok(files.length >= 3, `examples: ${files.join(', ')}`);
  for (const file of files) {
    const a = analyze(fs.readFileSync(file, 'utf8'), { file, host: hostWithin(dir) });
    const view = documentView(a.model);
    const d = read(await write(`${path.basename(path.dirname(file))}.docx`, view));
    assert.deepEqual(d.sections.map((s) => s.orientation), ['portrait', ...view.tables.map(() => 'landscape')], file);
    assert.equal(d.tables.length, view.tables.length);
    view.tables.forEach((t, i) => assertTableReadsBack(d.tables[i] as ReadTable, t));
  }
});

test('a notice without 发文机关: 发文字号 over the title, headings in their faces, 署名 centred on the date, a landscape section per attachment', async () => {
  // With a level-3 heading and the 附件 line of the body as well; task 一 without 责任单位.
  const text = SAMPLE_NOTICE.replace('# 附件1：', '### 1. 细化分工\n\n附件：1. 任务分解表\n\n# 附件1：').replace('责任单位：各区县政府；', '');
  const { view } = synthetic(text);
  const d = read(await write('notice.docx', view));
  assert.deepEqual(d.sections.map((s) => s.orientation), ['portrait', 'landscape', 'landscape']);
  assertPortraitA4(d.sections[0] as Section);
  d.sections.forEach(assertPageNumbers);
  const inNotice = d.paragraphs.filter((p) => p.section === 0);
  const texts = inNotice.map((p) => p.text);
  // No 版头 without an issuer: 发文字号, an empty line, the title, an empty line, 主送机关.
  assert.deepEqual(texts.slice(0, 5), ['某政办发〔2020〕1号', '', '关于印发某某的通知', '', '各单位：']);
  const runsOf = (start: string): [string, string | undefined, boolean][] =>
    (inNotice.find((p) => p.text.startsWith(start)) as Para).runs.map((r) => [r.text, r.fonts.eastAsia, r.bold]);
  assert.deepEqual(runsOf('一、'), [['一、提高认识', '黑体', false]]);
  assert.deepEqual(runsOf('（一）'), [
    ['（一）加强领导。', '楷体_GB2312', false],
    ['要求如下。', '仿宋_GB2312', false],
  ]);
  assert.deepEqual(runsOf('1. '), [['1. 细化分工', '仿宋_GB2312', true]]);
  assert.equal(texts[texts.indexOf('附件：1. 任务分解表') - 1], '', '附件说明 one empty line below the body');
  // 署名 centred on 成文日期 (in characters: ASCII digits are half a character wide).
  const signature = inNotice.find((p) => p.text === '某某办公室') as Para;
  const date = inNotice.find((p) => p.text === '2020年9月30日') as Para;
  const char = twipsOf(156) / 28;
  const centre = (p: Para, width: number): number => Number(p.indent?.right) / char + width / 2;
  assert.ok(Math.abs(centre(signature, 5) - centre(date, 6.5)) < 0.05, `centres ${centre(signature, 5)} and ${centre(date, 6.5)} characters from the right`);
  assert.deepEqual(
    d.paragraphs.filter((p) => p.section > 0 && !p.table).map((p) => [p.section, p.text]).filter(([, t]) => t),
    [
      [1, '附件1'],
      [1, '任务分解表'],
      [2, '附件2'],
      [2, '另一表'],
    ],
  );
  assert.deepEqual(d.tables.map((t) => t.grid[1]), [
    ['1', '任务一', '市财政局', '12月底前'],
    ['1', '任务二', '市教育局', '6月底前'],
  ]);
});

test('a bare breakdown: no notice pages; merged categories, a shallow task, a missing field, paragraphs and forbidden characters read back', async () => {
  const { view } = synthetic();
  const d = read(await write('synthetic.docx', view));
  assert.deepEqual(d.forbidden, {}, 'no character XML forbids in any part');
  assert.equal(d.sections.length, 1, 'only the table: no portrait notice section');
  assertLandscapeA4(d.sections[0] as Section);
  assertPageNumbers(d.sections[0] as Section);
  assert.equal(d.evenAndOddHeaders, true);
  assert.deepEqual(
    d.paragraphs.filter((p) => !p.table && p.text).map((p) => p.text),
    ['附件1', '测试任务分解表'],
  );

  const t = d.tables[0] as ReadTable;
  // What a reader sees: merged positions repeat the merged cell's text.
  assert.deepEqual(t.grid, [
    ['序号', '一级类别', '二级类别', '重点任务', '落实举措', '牵头单位', '责任单位', '完成时限'],
    ['1', '一、甲类', '（一）甲一', '任务一含控制字符和代理项。', '第一条举措。\n第二条举措。', '市财政局', '', '12月底前'],
    ['2', '一、甲类', '（一）甲一', '任务二', '', '市教育局', '', '12月底前'],
    ['3', '一、甲类', '（二）甲二', '任务三', '', MISSING, '各区县政府', '6月底前'],
    ['4', '二、乙类', '任务四', '任务四', '', '市财政局', '', '长期坚持'],
  ]);
  // How the merges are written: 一、甲类 restarts in row 1 and continues in rows 2 and 3;
  // （一）甲一 restarts in row 1 and continues in row 2; 任务四 spans the 二级类别 column.
  const merges = t.tr.slice(1).map((tr) => tr.tcs.map((tc) => `${tc.vMerge ?? '-'}/${tc.gridSpan}`));
  assert.deepEqual(merges, [
    ['-/1', 'restart/1', 'restart/1', '-/1', '-/1', '-/1', '-/1', '-/1'],
    ['-/1', 'continue/1', 'continue/1', '-/1', '-/1', '-/1', '-/1', '-/1'],
    ['-/1', 'continue/1', '-/1', '-/1', '-/1', '-/1', '-/1', '-/1'],
    ['-/1', '-/1', '-/2', '-/1', '-/1', '-/1', '-/1'],
  ]);
  // The two 落实举措 are two paragraphs of the cell.
  assert.equal(t.tr[1]?.tcs[4]?.alignment.length, 2);
  // Short columns and categories centred, 重点任务 (the shallow one too) at the left, 落实举措 justified.
  assert.deepEqual(t.tr[4]?.tcs.map((tc) => tc.alignment[0]), ['center', 'center', 'left', 'both', 'center', 'center', 'center']);
  assertTableReadsBack(t, view.tables[0] as Table);
});

test('by unit: one landscape section per unit, its name and counts, the tasks it leads and those it joins', async () => {
  const { view, units } = synthetic();
  const d = read(await write('units.docx', view, units));
  assert.deepEqual(d.forbidden, {});
  assert.equal(d.sections.length, units.length);
  d.sections.forEach(assertLandscapeA4);
  d.sections.forEach(assertPageNumbers);
  const headings = d.paragraphs.filter((p) => faces(p).includes('黑体') && p.text.includes('（牵头'));
  assert.deepEqual(
    headings.map((p) => [p.section, p.text]),
    units.map((u, i) => [i, `${u.name}（牵头 ${u.leads.length} 项，参与 ${u.joins.length} 项）`]),
  );
  // A table for each non-empty list, 无 for an empty one.
  assert.equal(d.tables.length, units.reduce((n, u) => n + (u.leads.length ? 1 : 0) + (u.joins.length ? 1 : 0), 0));
  assert.equal(d.paragraphs.filter((p) => p.text === '无').length, units.reduce((n, u) => n + (u.leads.length ? 0 : 1) + (u.joins.length ? 0 : 1), 0));
  let k = 0;
  for (const u of units) {
    for (const tasks of [u.leads, u.joins]) {
      if (tasks.length === 0) continue;
      const t = d.tables[k++] as ReadTable;
      assert.deepEqual(t.grid, [
        ['序号', '重点任务', '牵头单位', '责任单位', '完成时限'],
        ...tasks.map((x) => [String(x.number), x.task.replace(FORBIDDEN, ''), x.lead, x.responsible, x.deadline]),
      ]);
      assert.deepEqual(t.tr.map((tr) => tr.tblHeader), t.tr.map((_, i) => i === 0));
    }
  }
  // 所在表 shows when the tasks come from more than one table.
  const two = synthetic('# 附件1：甲表\n\n1. 任务一（牵头单位：市财政局；完成时限：12月底前）\n\n# 附件2：乙表\n\n1. 任务二（牵头单位：市财政局；完成时限：6月底前）\n');
  const d2 = read(await write('units2.docx', two.view, two.units));
  assert.deepEqual(d2.tables[0]?.grid, [
    ['序号', '所在表', '重点任务', '牵头单位', '责任单位', '完成时限'],
    ['1', '附件1', '任务一', '市财政局', '', '12月底前'],
    ['1', '附件2', '任务二', '市财政局', '', '6月底前'],
  ]);
});

// ── The XML as written ──────────────────────────────────────────────────────────────────────

/**
 * The order the OOXML schema (ECMA-376 Part 1, wml.xsd) gives the children of the elements the
 * tables are made of: Word refuses, or "repairs", a document whose elements are out of order,
 * where python-docx and LibreOffice read it all the same. A child not listed fails too.
 */
const SCHEMA_ORDER: Record<string, string[]> = {
  tbl: ['tblPr', 'tblGrid', 'tr'],
  tblPr: ['tblStyle', 'tblpPr', 'tblOverlap', 'bidiVisual', 'tblStyleRowBandSize', 'tblStyleColBandSize', 'tblW', 'jc', 'tblCellSpacing', 'tblInd', 'tblBorders', 'shd', 'tblLayout', 'tblCellMar', 'tblLook', 'tblCaption', 'tblDescription', 'tblPrChange'],
  tblBorders: ['top', 'left', 'start', 'bottom', 'right', 'end', 'insideH', 'insideV'],
  tblCellMar: ['top', 'left', 'start', 'bottom', 'right', 'end'],
  tr: ['tblPrEx', 'trPr', 'tc'],
  trPr: ['cnfStyle', 'divId', 'gridBefore', 'gridAfter', 'wBefore', 'wAfter', 'cantSplit', 'trHeight', 'tblHeader', 'tblCellSpacing', 'jc', 'hidden', 'ins', 'del', 'trPrChange'],
  tc: ['tcPr', 'p'],
  tcPr: ['cnfStyle', 'tcW', 'gridSpan', 'hMerge', 'vMerge', 'tcBorders', 'shd', 'noWrap', 'tcMar', 'textDirection', 'tcFitText', 'vAlign', 'hideMark', 'headers', 'cellIns', 'cellDel', 'cellMerge', 'tcPrChange'],
  pPr: [
    'pStyle', 'keepNext', 'keepLines', 'pageBreakBefore', 'framePr', 'widowControl', 'numPr', 'suppressLineNumbers', 'pBdr', 'shd', 'tabs', 'suppressAutoHyphens',
    'kinsoku', 'wordWrap', 'overflowPunct', 'topLinePunct', 'autoSpaceDE', 'autoSpaceDN', 'bidi', 'adjustRightInd', 'snapToGrid', 'spacing', 'ind', 'contextualSpacing',
    'mirrorIndents', 'suppressOverlap', 'jc', 'textDirection', 'textAlignment', 'textboxTightWrap', 'outlineLvl', 'divId', 'cnfStyle', 'rPr', 'sectPr', 'pPrChange',
  ],
  rPr: [
    'rStyle', 'rFonts', 'b', 'bCs', 'i', 'iCs', 'caps', 'smallCaps', 'strike', 'dstrike', 'outline', 'shadow', 'emboss', 'imprint', 'noProof', 'snapToGrid', 'vanish',
    'webHidden', 'color', 'spacing', 'w', 'kern', 'position', 'sz', 'szCs', 'highlight', 'u', 'effect', 'bdr', 'shd', 'fitText', 'vertAlign', 'rtl', 'cs', 'em', 'lang',
    'eastAsianLayout', 'specVanish', 'oMath', 'rPrChange',
  ],
};

/**
 * Parses an XML text with Python's expat (xml.etree) and prints, as JSON, each element of
 * `order` whose children are out of that order or not in it, and the number of elements checked.
 * A text that is not well-formed XML makes it exit non-zero.
 */
const ORDER_CHECK = `
import json, sys
import xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
order = json.loads(sys.argv[1])
root = ET.parse(sys.stdin.buffer).getroot()
faults, checked = [], {}
for el in root.iter():
    if not el.tag.startswith(W) or el.tag[len(W):] not in order:
        continue
    name = el.tag[len(W):]
    checked[name] = checked.get(name, 0) + 1
    ranks = order[name]
    kids = [k.tag[len(W):] if k.tag.startswith(W) else k.tag for k in el]
    last = -1
    for k in kids:
        rank = ranks.index(k) if k in ranks else None
        if rank is None or rank < last:
            faults.append({"element": name, "children": kids, "fault": k})
            break
        last = rank
print(json.dumps({"faults": faults[:10], "count": len(faults), "checked": checked}))
`;

interface OrderReport {
  faults: { element: string; children: string[]; fault: string }[];
  count: number;
  checked: Record<string, number>;
}

function checkOrder(xml: string): OrderReport {
  const r = spawnSync(PYTHON, ['-c', ORDER_CHECK, JSON.stringify(SCHEMA_ORDER)], { input: xml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `word/document.xml is not well-formed XML:\n${r.stderr}`);
  return JSON.parse(r.stdout) as OrderReport;
}

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

test('word/document.xml is well-formed, its tables spliced in, and the elements of its tables are in the order the schema gives them', async () => {
  // The check itself: it finds two children swapped, and a document that is not XML.
  const swapped = checkOrder(`<w:document ${W_NS}><w:tc><w:tcPr><w:vAlign w:val="center"/><w:tcW w:w="1" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:document>`);
  assert.deepEqual(swapped.faults, [{ element: 'tcPr', children: ['vAlign', 'tcW'], fault: 'tcW' }]);
  assert.throws(() => checkOrder(`<w:document ${W_NS}><w:p></w:document>`), /not well-formed/);

  const { view, units } = synthetic();
  const documents: [string, Uint8Array][] = [
    ['the example', await toDocx(example().view)],
    ['a bare breakdown', await toDocx(view)],
    ['by unit', await toDocx(view, { byUnit: units })],
  ];
  for (const [what, bytes] of documents) {
    const parts = unzipSync(bytes);
    const names = Object.keys(parts);
    assert.equal(names[0], '[Content_Types].xml', `${what}: [Content_Types].xml first in the package`);
    for (const part of ['word/document.xml', 'word/styles.xml', 'word/settings.xml', 'word/_rels/document.xml.rels', '_rels/.rels']) assert.ok(names.includes(part), `${what}: ${part}`);
    const xml = strFromU8(parts['word/document.xml'] as Uint8Array);
    assert.ok(!xml.includes('fenjie-table-'), `${what}: no table placeholder left`);
    const report = checkOrder(xml);
    assert.deepEqual(report.faults, [], `${what}: elements out of schema order (${report.count} in all)`);
    for (const name of ['tbl', 'tblPr', 'tblBorders', 'tblCellMar', 'tr', 'trPr', 'tc', 'tcPr', 'pPr', 'rPr']) assert.ok((report.checked[name] ?? 0) > 0, `${what}: some ${name} checked`);
  }
});

// ── LibreOffice ─────────────────────────────────────────────────────────────────────────────

test('LibreOffice prints the example: portrait A4 notice pages, then landscape table pages with the header row and a page number on each', { timeout: 240_000 }, async () => {
  requireLibreOffice();
  requirePoppler();
  const dir = fs.mkdtempSync(path.join(TMP, 'lo-'));
  const file = await write('changchun-print.docx', example().view);
  // A profile of its own, so that runs side by side don't share one.
  run('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], 180_000);
  const pdf = path.join(dir, 'changchun-print.pdf');
  assert.ok(fs.existsSync(pdf), 'LibreOffice wrote the PDF');

  const pages = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [pdf]))?.[1]);
  assert.ok(pages > 1, `pages: ${pages}`);
  const sizes = [...run('pdfinfo', ['-f', '1', '-l', String(pages), pdf]).matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Math.round(Number(m[2])), Math.round(Number(m[3]))]);
  assert.equal(sizes.length, pages);
  const portrait = sizes.filter(([w, h]) => w === 595 && h === 842).length;
  assert.ok(portrait >= 1, 'the notice is on portrait A4 pages');
  assert.ok(portrait < pages, 'the table is on pages of its own');
  assert.deepEqual(
    sizes,
    sizes.map((_, i) => (i < portrait ? [595, 842] : [842, 595])),
    `the notice's pages are portrait A4 (595 x 842 pt) and all after them landscape (842 x 595 pt): ${JSON.stringify(sizes)}`,
  );

  for (let page = 1; page <= pages; page++) {
    const text = run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-']);
    assert.match(text, new RegExp(`—\\s*${page}\\s*—`), `page ${page} shows its number as — ${page} —`);
    if (page > portrait) assert.match(text, /序号[\s\S]*重点任务[\s\S]*完成时限/, `page ${page} repeats the header row`);
  }
  const first = run('pdftotext', ['-f', '1', '-l', String(pages), pdf, '-']).replace(/\s+/g, '');
  assert.ok(first.includes('政务公开'), 'the Chinese text is there');
  assert.ok(first.includes(MISSING), 'the missing fields are marked');

  const images = path.join(dir, 'pages');
  fs.mkdirSync(images);
  run('pdftoppm', ['-png', '-r', '50', pdf, path.join(images, 'page')]);
  assert.equal(fs.readdirSync(images).filter((f) => f.endsWith('.png')).length, pages);

  const keep = process.env.FENJIE_DOCX_KEEP;
  if (keep) {
    fs.copyFileSync(file, path.join(keep, 'changchun.docx'));
    fs.rmSync(path.join(keep, 'docx-pages'), { recursive: true, force: true });
    fs.cpSync(images, path.join(keep, 'docx-pages'), { recursive: true });
  }
});
