import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { type DocumentView, type Table, type UnitSection, type UnitTask } from '../server/src/engine/index.ts';
import { toXlsx } from '../server/src/engine/export/xlsx.ts';
import { ROOT, viewOf, exampleView } from './helpers.ts';

/*
 * The Excel export, read back as a user's spreadsheet program would: with exceljs, and with
 * openpyxl (Debian's python3-openpyxl, through test/xlsx_read.py), a reader nobody here wrote.
 * Every expectation is derived from the table model (engine/table.ts), not from the exporter.
 */

const PYTHON = '/usr/bin/python3';
const READER = path.join(ROOT, 'test', 'xlsx_read.py');

const example = exampleView;

const fromText = (text: string) => viewOf(text);

/**
 * Two category levels; a shallow task (under 二、乙类 only, so it spans the 二级类别 column);
 * 落实举措 of two paragraphs; a task text that looks like a formula and holds characters XML
 * forbids; a task without its required 牵头单位 and 完成时限.
 */
const SYNTHETIC = [
  '# 测试表：甲/乙',
  '## 一、甲类',
  '### （一）甲一',
  '1. 任务一\n   第一段举措。\n\n   第二段举措。\n   - 牵头单位：市财政局\n   - 完成时限：12月底前',
  '2. =SUM(1,2)\u0001与\uFFFF之后\n   - 牵头单位：市教育局\n   - 完成时限：6月底前',
  '## 二、乙类',
  '- 任务三\n  - 责任单位：市教育局',
  '',
].join('\n\n');

const NOTICE = [
  '---',
  '标题: 关于印发某某的通知',
  '成文日期: 2020-09-30',
  '---',
  '现将要点印发给你们。',
  '',
  '# 附件1：任务分解表',
  '',
  '1. 任务一（牵头单位：市财政局；责任单位：市教育局；完成时限：12月底前）',
  '',
  '# 附件2：另一表',
  '',
  '1. 任务二（牵头单位：市教育局；完成时限：6月底前）',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// What a sheet should hold, from the model

/** Column letter of a 1-based column number. */
function letter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** What XML (hence a spreadsheet) can hold of a text. */
const stored = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');

interface ExpectedSheet {
  /** Every cell holding a value, by coordinate. */
  values: Record<string, string | number>;
  /** Merged ranges, sorted. */
  merges: string[];
  /** Each position a merge covers (not its top-left), with the merge's top-left coordinate. */
  covered: Record<string, string>;
}

/** A grid of cells starting in rows, as placed from sheet row `first`; cells whose value is a number get one. */
function place(e: ExpectedSheet, rows: { column: number; text: string; rowspan: number; colspan: number; number?: boolean }[][], first: number): void {
  rows.forEach((row, r) => {
    for (const c of row) {
      const tl = `${letter(c.column + 1)}${first + r}`;
      const text = stored(c.text);
      if (text !== '') e.values[tl] = c.number ? Number(text) : text;
      if (c.rowspan === 1 && c.colspan === 1) continue;
      e.merges.push(`${tl}:${letter(c.column + c.colspan)}${first + r + c.rowspan - 1}`);
      for (let i = 0; i < c.rowspan; i++) for (let j = 0; j < c.colspan; j++) {
        if (i || j) e.covered[`${letter(c.column + j + 1)}${first + r + i}`] = tl;
      }
    }
  });
}

function expectTable(t: Table): ExpectedSheet {
  const e: ExpectedSheet = { values: {}, merges: [], covered: {} };
  const n = t.columns.length;
  place(e, [[{ column: 0, text: t.title, rowspan: 1, colspan: n }], t.columns.map((c, i) => ({ column: i, text: c.label, rowspan: 1, colspan: 1 }))], 1);
  place(e, t.rows.map((row) => row.cells.map((c) => ({ ...c, number: t.columns[c.column]?.key === 'number' }))), 3);
  e.merges.sort();
  return e;
}

function expectUnit(u: UnitSection, withTable: boolean): ExpectedSheet {
  const labels = ['序号', ...(withTable ? ['所在表'] : []), '重点任务', '牵头单位', '责任单位', '完成时限'];
  const n = labels.length;
  const across = (text: string) => [{ column: 0, text, rowspan: 1, colspan: n }];
  const task = (t: UnitTask) =>
    [String(t.number), ...(withTable ? [t.table] : []), t.task, t.lead, t.responsible, t.deadline].map((text, i) => ({ column: i, text, rowspan: 1, colspan: 1, number: i === 0 }));
  const block = (heading: string, tasks: UnitTask[]) => [across(heading), ...(tasks.length ? tasks.map(task) : [across('无')])];
  const e: ExpectedSheet = { values: {}, merges: [], covered: {} };
  place(e, [across(`${u.name}（牵头 ${u.leads.length} 项，参与 ${u.joins.length} 项）`), labels.map((text, i) => ({ column: i, text, rowspan: 1, colspan: 1 }))], 1);
  place(e, [...block('牵头的任务', u.leads), ...block('参与的任务', u.joins)], 3);
  e.merges.sort();
  return e;
}

// ---------------------------------------------------------------------------------------------
// Reading back

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return wb;
}

/** A sheet as exceljs reads it: values, merges, and which positions are covered by a merge. */
function actual(ws: ExcelJS.Worksheet): ExpectedSheet {
  const e: ExpectedSheet = { values: {}, merges: [...ws.model.merges].sort(), covered: {} };
  ws.eachRow({ includeEmpty: true }, (row) =>
    row.eachCell({ includeEmpty: true }, (cell) => {
      if (cell.type === ExcelJS.ValueType.Merge) e.covered[cell.address] = cell.master.address;
      else if (cell.value !== null && cell.value !== undefined) e.values[cell.address] = cell.value as string | number;
    }),
  );
  return e;
}

/** A row's values from column A on (empty cells as undefined). */
function rowValues(ws: ExcelJS.Worksheet, r: number): ExcelJS.CellValue[] {
  return Array.from(ws.getRow(r).values as ExcelJS.CellValue[]).slice(1);
}

/** Every cell from row 2 to the last, in every column: thin on all four sides. */
function assertBorders(ws: ExcelJS.Worksheet, columns: number, lastRow: number): void {
  for (let r = 2; r <= lastRow; r++) for (let c = 1; c <= columns; c++) {
    const b = ws.getCell(r, c).border;
    assert.deepEqual([b?.top?.style, b?.left?.style, b?.bottom?.style, b?.right?.style], ['thin', 'thin', 'thin', 'thin'], `borders of ${letter(c)}${r}`);
  }
}

function assertPrintSetup(ws: ExcelJS.Worksheet): void {
  const p = ws.pageSetup;
  assert.deepEqual(
    [p.orientation, p.paperSize, p.fitToPage, p.fitToWidth, p.fitToHeight, p.printTitlesRow, p.horizontalCentered],
    ['landscape', 9, true, 1, 0, '1:2', true],
    `print setup of ${ws.name}`,
  );
  const view = ws.views[0] as { state?: string; ySplit?: number } | undefined;
  assert.deepEqual([view?.state, view?.ySplit], ['frozen', 2], `frozen below the header in ${ws.name}`);
}

interface PySheet {
  name: string;
  cells: Record<string, string | number>;
  types: Record<string, string>;
  merged: string[];
  orientation: string;
  paperSize: number | null;
  fitToWidth: number | null;
  fitToHeight: number | null;
  fitToPage: boolean;
  printTitleRows: string | null;
  horizontalCentered: boolean;
  freezePanes: string | null;
  fills: Record<string, string>;
  comments: Record<string, string>;
  mergedBorders: Record<string, { left: string | null; right: string | null; top: string | null; bottom: string | null } | null>;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fenjie-xlsx-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The workbook as openpyxl reads it (test/xlsx_read.py under Debian's /usr/bin/python3). */
function openpyxl(bytes: Uint8Array, name: string): { zipDates: string[]; sheets: PySheet[] } {
  const file = path.join(tmp, `${name}.xlsx`);
  fs.writeFileSync(file, bytes);
  const r = spawnSync(PYTHON, [READER, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status === 3 || /No module named .?openpyxl/.test(r.stderr ?? '')) {
    assert.fail(`${PYTHON} cannot import openpyxl: install Debian's package python3-openpyxl (apt-get install python3-openpyxl). ${r.error?.message ?? r.stderr}`);
  }
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { zipDates: string[]; sheets: PySheet[] };
}

/** openpyxl sees the same values and merges, and the file gives every cell of a body merge its borders. */
function assertPySheet(py: PySheet | undefined, name: string, e: ExpectedSheet): void {
  assert.ok(py, `openpyxl finds sheet ${name}`);
  assert.equal(py.name, name);
  assert.deepEqual(py.cells, e.values, `values of ${name} (openpyxl)`);
  assert.deepEqual(py.merged, e.merges, `merged ranges of ${name} (openpyxl)`);
  for (const [coord, b] of Object.entries(py.mergedBorders)) {
    if (/^[A-Z]+1$/.test(coord)) continue; // the title row has no borders
    assert.deepEqual(b, { left: 'thin', right: 'thin', top: 'thin', bottom: 'thin' }, `borders of merged cell ${coord} in ${name} (openpyxl)`);
  }
  assert.deepEqual(
    [py.orientation, py.paperSize, py.fitToPage, py.fitToWidth, py.fitToHeight, py.printTitleRows, py.horizontalCentered, py.freezePanes],
    ['landscape', 9, true, 1, 0, '$1:$2', true, 'A3'],
    `print setup of ${name} (openpyxl)`,
  );
}

// ---------------------------------------------------------------------------------------------
// One sheet per table

const CASES = [
  { name: 'changchun-2020/通知.fj.md', sheets: ['附件'], get: () => example('changchun-2020/通知.fj.md') },
  { name: 'changji-2020/工作要点.fj.md (two category levels)', sheets: ['附件'], get: () => example('changji-2020/工作要点.fj.md') },
  { name: 'the synthetic document', sheets: ['测试表：甲／乙'], get: () => fromText(SYNTHETIC) },
];

for (const c of CASES) {
  test(`${c.name}: exceljs reads back each table's values, merges, borders and print setup`, async () => {
    const { view } = c.get();
    const wb = await load(await toXlsx(view));
    assert.deepEqual(wb.worksheets.map((ws) => ws.name), c.sheets);
    view.tables.forEach((t, i) => {
      const ws = wb.worksheets[i] as ExcelJS.Worksheet;
      const e = expectTable(t);
      const got = actual(ws);
      assert.deepEqual(got.values, e.values, 'values: merged positions hold nothing, the top-left cell holds the text');
      assert.deepEqual(got.merges, e.merges, 'the merged ranges are the table’s rowspans and colspans');
      assert.deepEqual(got.covered, e.covered, 'each merged position belongs to its top-left cell');
      assertBorders(ws, t.columns.length, t.rows.length + 2);
      assertPrintSetup(ws);
    });
  });

  test(`${c.name}: openpyxl reads back the same values, merges, merged cells' borders and print setup`, async () => {
    const { view } = c.get();
    const py = openpyxl(await toXlsx(view), 'table');
    assert.deepEqual(py.sheets.map((s) => s.name), c.sheets);
    view.tables.forEach((t, i) => assertPySheet(py.sheets[i], c.sheets[i] as string, expectTable(t)));
  });
}

test('the real tables have merges to check: categories down in changchun, both levels in changji', async () => {
  const cc = (await load(await toXlsx(example('changchun-2020/通知.fj.md').view))).worksheets[0] as ExcelJS.Worksheet;
  assert.deepEqual([...cc.model.merges].sort(), ['A1:G1', 'B12:B14', 'B15:B18', 'B19:B22', 'B3:B5', 'B6:B8', 'B9:B11']);
  const cj = (await load(await toXlsx(example('changji-2020/工作要点.fj.md').view))).worksheets[0] as ExcelJS.Worksheet;
  assert.ok(cj.model.merges.includes('B3:B8'), '一、… merged over its six tasks');
  assert.ok(cj.model.merges.includes('C3:C4'), '（一）… merged over its two tasks');
  assert.equal(cj.getCell('B3').value, '一、认真贯彻落实党的十九届四中全会精神，加强用权公开');
});

test('synthetic: shallow task across, missing cells empty and marked, paragraphs as line breaks, a formula-like text stays text, forbidden characters gone', async () => {
  const bytes = await toXlsx(fromText(SYNTHETIC).view);
  const ws = (await load(bytes)).worksheets[0] as ExcelJS.Worksheet;
  // Columns: 序号 一级类别 二级类别 重点任务 落实举措 牵头单位 责任单位 完成时限; tasks on rows 3–5.
  assert.deepEqual(rowValues(ws, 2), ['序号', '一级类别', '二级类别', '重点任务', '落实举措', '牵头单位', '责任单位', '完成时限']);
  assert.ok(ws.model.merges.includes('C5:D5'), 'the shallow task 任务三 spans 二级类别 and 重点任务');
  assert.equal(ws.getCell('C5').value, '任务三');
  assert.equal(ws.getCell('E3').value, '第一段举措。\n第二段举措。');
  assert.equal(ws.getCell('E3').alignment?.wrapText, true);

  const formula = ws.getCell('D4');
  assert.equal(formula.value, '=SUM(1,2)与之后');
  assert.equal(formula.type, ExcelJS.ValueType.String);
  assert.equal(formula.formula, undefined);

  for (const [addr, label] of [['F5', '牵头单位'], ['H5', '完成时限']] as const) {
    const cell = ws.getCell(addr);
    assert.equal(cell.value, null, `${addr} is empty`);
    assert.equal((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, 'FFFFC7CE', `${addr} is filled light red`);
    assert.equal(cell.note, `缺少必填项“${label}”`);
  }
  assert.equal((ws.getCell('G3').fill as ExcelJS.FillPattern | undefined)?.pattern ?? 'none', 'none', 'an empty field that is not required is not marked');

  const py = openpyxl(bytes, 'synthetic').sheets[0] as PySheet;
  assert.equal(py.cells['D4'], '=SUM(1,2)与之后');
  assert.equal(py.types['D4'], 's', 'openpyxl sees a string, not a formula');
  assert.equal(py.cells['E3'], '第一段举措。\n第二段举措。');
  assert.deepEqual(py.fills, { F5: 'FFFFC7CE', H5: 'FFFFC7CE' });
  assert.deepEqual(py.comments, { F5: '缺少必填项“牵头单位”', H5: '缺少必填项“完成时限”' });
});

test('styling: fonts, header fill, alignment, column widths, row heights', async () => {
  const ws = (await load(await toXlsx(example('changchun-2020/通知.fj.md').view))).worksheets[0] as ExcelJS.Worksheet;
  const title = ws.getCell('A1');
  assert.deepEqual([title.font?.name, title.font?.size, title.font?.bold, title.alignment?.horizontal], ['黑体', 16, true, 'center']);
  const head = ws.getCell('C2');
  assert.deepEqual([head.font?.bold, head.alignment?.horizontal, (head.fill as ExcelJS.FillPattern).fgColor?.argb], [true, 'center', 'FFD9D9D9']);
  const body = ws.getCell('D3');
  assert.deepEqual([body.font?.name, body.font?.size, body.font?.charset, body.alignment?.vertical, body.alignment?.wrapText], ['仿宋', 12, 134, 'middle', true]);
  assert.equal(ws.getCell('A3').alignment?.horizontal, 'center', '序号 centred');
  assert.equal(ws.getCell('A3').value, 1, '序号 is a number');
  // 序号 类别 重点任务 落实举措 牵头单位 责任单位 完成时限
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((i) => ws.getColumn(i).width), [6, 14, 28, 48, 18, 18, 12]);
  for (let r = 3; r <= 22; r++) assert.ok((ws.getRow(r).height ?? 0) >= 20, `row ${r} has a height`);
  assert.ok((ws.getRow(4).height ?? 0) > 150, 'a row with a long 落实举措 is tall enough for its lines');
  assert.equal(ws.headerFooter.oddFooter, '&C第 &P 页，共 &N 页');
});

// ---------------------------------------------------------------------------------------------
// One sheet per unit

test('byUnit: one sheet per unit with its heading, 牵头的任务 and 参与的任务 (无 when empty), no 所在表 for one table', async () => {
  const { view, units } = example('changchun-2020/通知.fj.md');
  const bytes = await toXlsx(view, { byUnit: units });
  const wb = await load(bytes);
  assert.deepEqual(wb.worksheets.map((ws) => ws.name), units.map((u) => u.name));
  const py = openpyxl(bytes, 'units');
  units.forEach((u, i) => {
    const ws = wb.worksheets[i] as ExcelJS.Worksheet;
    const e = expectUnit(u, false);
    const got = actual(ws);
    assert.deepEqual(got.values, e.values, `values of ${u.name}`);
    assert.deepEqual(got.merges, e.merges, `merges of ${u.name}`);
    assert.deepEqual(got.covered, e.covered);
    assertBorders(ws, 5, ws.rowCount);
    assertPrintSetup(ws);
    assertPySheet(py.sheets[i], u.name, e);
  });
  const all = wb.getWorksheet('各单位') as ExcelJS.Worksheet;
  assert.equal(all.getCell('A1').value, '各单位（牵头 0 项，参与 17 项）');
  assert.deepEqual([all.getCell('A3').value, all.getCell('A4').value, all.getCell('A5').value], ['牵头的任务', '无', '参与的任务']);
});

test('byUnit with several tables: a 所在表 column', async () => {
  const { view, units } = fromText(NOTICE);
  assert.equal(view.tables.length, 2);
  const wb = await load(await toXlsx(view, { byUnit: units }));
  assert.deepEqual(wb.worksheets.map((ws) => ws.name), ['市财政局', '市教育局']);
  units.forEach((u, i) => assert.deepEqual(actual(wb.worksheets[i] as ExcelJS.Worksheet).values, expectUnit(u, true).values));
  const edu = wb.getWorksheet('市教育局') as ExcelJS.Worksheet;
  assert.deepEqual(rowValues(edu, 2), ['序号', '所在表', '重点任务', '牵头单位', '责任单位', '完成时限']);
  assert.deepEqual(rowValues(edu, 4), [1, '附件2', '任务二', '市教育局', undefined, '6月底前']);
});

test('sheet names are valid for Excel: at most 31 characters, no : \\ / ? * [ ], not empty, unique', async () => {
  const unit = (name: string): UnitSection => ({ name, leads: [], joins: [] });
  const long = '某某市某某区人民政府办公室政务公开与政府信息公开工作领导小组办公室';
  const names = [long, long, '甲/乙:丙?[丁]*戊\\', 'History', 'ABC', 'abc', '', "O'Neil"];
  const view: DocumentView = { notice: {}, body: [], tables: [] };
  const wb = await load(await toXlsx(view, { byUnit: names.map(unit) }));
  const got = wb.worksheets.map((ws) => ws.name);
  assert.deepEqual(got, [long.slice(0, 31), `${long.slice(0, 28)}（2）`, '甲／乙：丙？【丁】＊戊＼', 'History（2）', 'ABC', 'abc（2）', '单位7', 'O’Neil']);
  for (const n of got) {
    assert.ok(n.length >= 1 && n.length <= 31, n);
    assert.doesNotMatch(n, /[:\\/?*[\]]/);
  }
  assert.equal(new Set(got.map((n) => n.toLowerCase())).size, got.length);

  const table = (title: string, label?: string): Table => ({ ...(label ? { label } : {}), title, columns: [{ key: 'number', label: '序号' }], rows: [] });
  const tables = await load(await toXlsx({ notice: {}, body: [], tables: [table('表', '附件1'), table('表/一'), table('表/一'), table(' ')] }));
  assert.deepEqual(tables.worksheets.map((ws) => ws.name), ['附件1', '表／一', '表／一（2）', '表4']);
});

test('an escaped-looking _xHHHH_ in a text reads back as written', async () => {
  const u: UnitSection = { name: '单位', leads: [{ number: 1, table: '表', categories: [], task: '编号_x0041_与_x00e9_', lead: '单位', responsible: '', deadline: '', start: 0, line: 1 }], joins: [] };
  const bytes = await toXlsx({ notice: {}, body: [], tables: [] }, { byUnit: [u] });
  assert.equal((await load(bytes)).worksheets[0]?.getCell('B4').value, '编号_x0041_与_x00e9_');
  assert.equal(openpyxl(bytes, 'escape').sheets[0]?.cells['B4'], '编号_x0041_与_x00e9_');
});

test('an empty document still gives a workbook Excel can open: one sheet that says 无', async () => {
  const wb = await load(await toXlsx({ notice: {}, body: [], tables: [] }));
  assert.deepEqual(wb.worksheets.map((ws) => [ws.name, ws.getCell('A3').value]), [['任务分解表', '无']]);
});

// ---------------------------------------------------------------------------------------------
// Reproducible

test('reproducible: the same document gives the same bytes, dated by its 成文日期 (else 2000-01-01)', async () => {
  const { view } = example('changchun-2020/通知.fj.md');
  const a = await toXlsx(view);
  const b = await toXlsx(view);
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), 'two exports are byte for byte the same');
  const wb = await load(a);
  assert.equal(wb.creator, 'fenjie');
  assert.equal(wb.created.toISOString(), '2020-09-30T00:00:00.000Z');
  assert.equal(wb.modified.toISOString(), '2020-09-30T00:00:00.000Z');
  assert.deepEqual(openpyxl(a, 'dated').zipDates, ['2020-09-30 00:00:00'], 'zip entries carry the document date, not the time of export');

  const undated = await toXlsx(fromText(SYNTHETIC).view);
  assert.equal((await load(undated)).created.toISOString(), '2000-01-01T00:00:00.000Z');
  assert.deepEqual(openpyxl(undated, 'undated').zipDates, ['2000-01-01 00:00:00']);
});
