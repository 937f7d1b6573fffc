import ExcelJS from 'exceljs';
import type { Alignment, Borders, Fill, Font, PageSetup, Style, Workbook, Worksheet } from 'exceljs';
import { unitColumns, unitHeading, unitParts, type Column, type DocumentView, type Table, type UnitColumn, type UnitSection, type UnitTask } from '../table.ts';
import { cleanText } from './xmltext.ts';

/*
 * The Excel export: the official table (engine/table.ts) as an .xlsx workbook, one sheet per
 * table, or one sheet per unit (按单位). It draws the same merges as the preview, formatted for
 * printing on A4 landscape. Bytes in, bytes out: it reads and writes no file.
 */

export interface XlsxOptions {
  /** One sheet per unit (what it leads, what it joins) instead of one sheet per table. */
  byUnit?: UnitSection[];
}

/** How a column's text is laid out. */
type Kind = 'number' | 'category' | 'text' | 'long' | 'unit' | 'deadline' | 'note' | 'table' | 'none' | 'section';

interface SheetColumn {
  label: string;
  /** Excel's width, in characters of the default font's digit. */
  width: number;
}

interface SheetCell {
  /** Index of the first column the cell covers. */
  column: number;
  text: string;
  rowspan: number;
  colspan: number;
  kind: Kind;
  /** The label of the required column this cell lacks a value for. */
  missing?: string;
}

/** A worksheet to draw: title row, header row, then the body's rows (only cells that start in a row). */
interface SheetSpec {
  name: string;
  title: string;
  columns: SheetColumn[];
  rows: SheetCell[][];
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Characters XML 1.0 cannot hold (an .xlsx is XML: Excel refuses the file, "found unreadable
 * content"): C0 controls other than tab, line feed and carriage return, U+FFFE, U+FFFF and lone
 * surrogates. U+007F is allowed by XML but exceljs drops it when writing; it goes here too, so
 * that what we write is what is read back.
 */

/**
 * A cell's string. Besides cleanText: Excel reads `_xHHHH_` in a string as an escaped character
 * (`_x000D_` is a carriage return), so a literal one has its underscore escaped as `_x005F_`.
 */
function cellText(text: string): string {
  return cleanText(text).replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}

const SHEET_NAME_SUBSTITUTES: Record<string, string> = {
  ':': '：',
  '\\': '＼',
  '/': '／',
  '?': '？',
  '*': '＊',
  '[': '【',
  ']': '】',
  // Allowed by Excel inside a name, but exceljs writes the print titles' defined name as
  // 'name'!$1:$2 without doubling a quote in the name, which breaks the workbook.
  "'": '’',
};

/** The longest prefix of `text`, whole code points only, of at most `max` UTF-16 units. */
function clip(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * A valid, unique worksheet name from `raw`: Excel forbids : \ / ? * [ ], more than 31
 * characters, an empty name and a name another sheet has (compared case-insensitively); it
 * reserves "History". Forbidden characters become their full-width forms; a repeated name gets
 * （2）, （3）…, shortened to fit.
 */
function sheetName(raw: string, taken: Set<string>, fallback: string): string {
  let base = cleanText(raw)
    .replace(/[:\\/?*[\]']/g, (ch) => SHEET_NAME_SUBSTITUTES[ch] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (base === '') base = fallback;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `（${n}）`;
    const name = clip(base, 31 - suffix.length).trimEnd() + suffix;
    const key = name.toLowerCase();
    if (name !== '' && key !== 'history' && !taken.has(key)) {
      taken.add(key);
      return name;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Styles

const BODY_SIZE = 12;
const HEADER_SIZE = 12;
const TITLE_SIZE = 16;

// charset 134 is GB2312: Excel then picks the Chinese face, as it does for fonts it writes itself.
const BODY_FONT: Partial<Font> = { name: '仿宋', family: 3, charset: 134, size: BODY_SIZE };
const BOLD_BODY_FONT: Partial<Font> = { ...BODY_FONT, bold: true };
const HEADER_FONT: Partial<Font> = { name: '黑体', family: 3, charset: 134, size: HEADER_SIZE, bold: true };
const TITLE_FONT: Partial<Font> = { name: '黑体', family: 3, charset: 134, size: TITLE_SIZE, bold: true };

const THIN = { style: 'thin', color: { argb: 'FF000000' } } as const;
const BORDERS: Partial<Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const solid = (argb: string): Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb }, bgColor: { argb } });
const HEADER_FILL = solid('FFD9D9D9');
const SECTION_FILL = solid('FFF2F2F2');
/** Excel's own "Bad" fill: a required field without a value, as the preview marks it. */
const MISSING_FILL = solid('FFFFC7CE');

/** Short values are centred; running text is left-aligned. Everything is vertically centred. */
function alignmentOf(kind: Kind): Partial<Alignment> {
  const left = kind === 'text' || kind === 'long' || kind === 'note' || kind === 'section';
  return { horizontal: left ? 'left' : 'center', vertical: 'middle', wrapText: true };
}

/** A fresh style object per cell: exceljs shares a merge master's style object with the merged cells. */
function bodyStyle(cell: SheetCell | undefined): Partial<Style> {
  const kind = cell?.kind ?? 'text';
  const style: Partial<Style> = {
    font: { ...(kind === 'section' ? BOLD_BODY_FONT : BODY_FONT) },
    alignment: alignmentOf(kind),
    border: { ...BORDERS },
  };
  if (kind === 'section') style.fill = { ...SECTION_FILL };
  // A required field the task lacks: left empty (there is nothing to write) but filled light
  // red, so that whoever prints or passes on the table sees the gap instead of overlooking a
  // blank; a note on the cell says which field is missing.
  if (cell?.missing) style.fill = { ...MISSING_FILL };
  return style;
}

// ---------------------------------------------------------------------------------------------
// Row heights
//
// Excel does not size a row to a merged cell's text, and the file carries no heights of its own
// unless we write them; so we estimate each row's height from its text and column widths.

/** Width of text in Excel's width units (the default font's digit: 7 px), at `size` points. */
function textUnits(text: string, size: number): number {
  const px = (size * 96) / 72;
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const wide = cp >= 0x1100 && !(cp >= 0xff61 && cp <= 0xffdc);
    units += (wide ? px : px / 2) / 7;
  }
  return units;
}

function lineCount(text: string, width: number, size: number): number {
  // A little under the column's width: Excel keeps a margin each side, and breaks at whole characters.
  const room = Math.max(1, width - 1.2);
  return text.split('\n').reduce((n, p) => n + Math.max(1, Math.ceil((textUnits(p, size) * 1.04) / room)), 0);
}

const lineHeight = (size: number): number => size * 1.35;
const MAX_ROW_HEIGHT = 409; // Excel's limit, in points

function heightFor(text: string, width: number, size: number): number {
  return lineCount(text, width, size) * lineHeight(size) + 8;
}

/** A row's height in points, in quarter points (as Excel stores them), at most Excel's limit. */
function setHeight(ws: Worksheet, row: number, points: number): void {
  ws.getRow(row).height = Math.min(MAX_ROW_HEIGHT, Math.round(points * 4) / 4);
}

// ---------------------------------------------------------------------------------------------
// Page setup

function pageSetup(): Partial<PageSetup> {
  return {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages tall as it takes
    horizontalCentered: true,
    // Inches: 2 cm top and bottom, 1.5 cm left and right, header and footer 0.8 cm from the edge.
    margins: { top: 0.79, bottom: 0.79, left: 0.59, right: 0.59, header: 0.31, footer: 0.31 },
    printTitlesRow: '1:2',
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing a sheet

function writeSheet(wb: Workbook, spec: SheetSpec): Worksheet {
  const n = spec.columns.length;
  const ws = wb.addWorksheet(spec.name, {
    pageSetup: pageSetup(),
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
  });
  spec.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  const totalWidth = spec.columns.reduce((s, c) => s + c.width, 0);

  // Row 1: the title, across the table.
  if (n > 1) ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = cellText(spec.title);
  title.style = { font: { ...TITLE_FONT }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  setHeight(ws, 1, heightFor(spec.title, totalWidth, TITLE_SIZE) + 8);

  // Row 2: the column labels.
  let headerHeight = 0;
  spec.columns.forEach((c, i) => {
    const cell = ws.getCell(2, i + 1);
    cell.value = cellText(c.label);
    cell.style = { font: { ...HEADER_FONT }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true }, border: { ...BORDERS }, fill: { ...HEADER_FILL } };
    headerHeight = Math.max(headerHeight, heightFor(c.label, c.width, HEADER_SIZE));
  });
  setHeight(ws, 2, headerHeight);

  // The body: which cell covers each position, the merges, then every position's style
  // (borders on every cell of a merge: Excel draws a merge's edges from the cells along them).
  const FIRST = 3;
  const grid: (SheetCell | undefined)[][] = spec.rows.map(() => Array<SheetCell | undefined>(n).fill(undefined));
  spec.rows.forEach((row, r) => {
    for (const c of row) {
      for (let i = 0; i < c.rowspan; i++) for (let j = 0; j < c.colspan; j++) {
        const line = grid[r + i];
        if (line && c.column + j < n) line[c.column + j] = c;
      }
      if (c.rowspan > 1 || c.colspan > 1) ws.mergeCells(FIRST + r, c.column + 1, FIRST + r + c.rowspan - 1, c.column + c.colspan);
    }
  });
  grid.forEach((line, r) => line.forEach((c, j) => (ws.getCell(FIRST + r, j + 1).style = bodyStyle(c))));

  const heights = spec.rows.map(() => lineHeight(BODY_SIZE) + 8);
  const width = (c: SheetCell): number => spec.columns.slice(c.column, c.column + c.colspan).reduce((s, col) => s + col.width, 0);
  spec.rows.forEach((row, r) => {
    for (const c of row) {
      const cell = ws.getCell(FIRST + r, c.column + 1);
      const text = cellText(c.text);
      // 序号 as a number (Excel flags digits stored as text); everything else as a string,
      // which exceljs writes as a string, never as a formula, whatever it begins with.
      if (c.kind === 'number' && /^\d{1,9}$/.test(text)) cell.value = Number(text);
      else if (text !== '') cell.value = text;
      if (c.missing) cell.note = `缺少必填项“${c.missing}”`;
      if (c.rowspan === 1) heights[r] = Math.max(heights[r] as number, heightFor(c.text, width(c), BODY_SIZE));
    }
  });
  // A cell over several rows: the rows share out what it needs beyond what they already have.
  spec.rows.forEach((row, r) => {
    for (const c of row.filter((x) => x.rowspan > 1)) {
      const need = heightFor(c.text, width(c), BODY_SIZE);
      const span = heights.slice(r, r + c.rowspan);
      const have = span.reduce((s, h) => s + h, 0);
      if (need > have) for (let i = 0; i < span.length; i++) heights[r + i] = (heights[r + i] as number) + (need - have) / span.length;
    }
  });
  heights.forEach((h, r) => setHeight(ws, FIRST + r, h));
  return ws;
}

// ---------------------------------------------------------------------------------------------
// What the sheets hold

function kindOf(col: Column | undefined): Kind {
  switch (col?.key) {
    case 'number':
      return 'number';
    case 'category':
      return 'category';
    case 'task':
      return 'text';
    case 'measures':
      return 'long';
    case 'lead':
    case 'responsible':
    case 'cooperating':
      return 'unit';
    case 'deadline':
      return 'deadline';
    default:
      return 'note';
  }
}

function widthOf(col: Column, columns: readonly Column[]): number {
  switch (col.key) {
    case 'number':
      return 6;
    case 'category':
      return col.level === 0 ? 14 : 16;
    case 'task':
      // Without 落实举措 the task's text is the long one.
      return columns.some((c) => c.key === 'measures') ? 28 : 48;
    case 'measures':
      return 48;
    case 'lead':
    case 'responsible':
    case 'cooperating':
      return 18;
    case 'deadline':
      return 12;
    case 'note':
      return 14;
  }
}

function tableSheet(t: Table, taken: Set<string>, index: number): SheetSpec {
  return {
    name: sheetName(t.label ?? t.title, taken, `表${index + 1}`),
    title: t.title,
    columns: t.columns.map((c) => ({ label: c.label, width: widthOf(c, t.columns) })),
    rows: t.rows.map((row) =>
      row.cells.map((c) => ({
        column: c.column,
        text: c.text,
        rowspan: c.rowspan,
        colspan: c.colspan,
        // A shallow task's cell starts in a category column and reaches 重点任务: laid out as what it holds.
        kind: kindOf(t.columns[c.column + c.colspan - 1]),
        ...(c.missing ? { missing: t.columns[c.column]?.label ?? '' } : {}),
      })),
    ),
  };
}

/** Excel's width (characters) and cell kind for each 按单位 column (table.ts unitColumns). */
const UNIT_COLUMN_LOOK: Record<UnitColumn['key'], { width: number; kind: Kind }> = {
  number: { width: 6, kind: 'number' },
  table: { width: 12, kind: 'table' },
  task: { width: 48, kind: 'text' },
  lead: { width: 18, kind: 'unit' },
  responsible: { width: 18, kind: 'unit' },
  deadline: { width: 12, kind: 'deadline' },
};

function unitSheet(u: UnitSection, unitCols: UnitColumn[], taken: Set<string>, index: number): SheetSpec {
  const columns = unitCols.map((c) => ({ label: c.label, value: c.value, ...UNIT_COLUMN_LOOK[c.key] }));
  const across = (text: string, kind: Kind): SheetCell[] => [{ column: 0, text, rowspan: 1, colspan: columns.length, kind }];
  const block = (heading: string, tasks: UnitTask[]): SheetCell[][] => [
    across(heading, 'section'),
    ...(tasks.length === 0 ? [across('无', 'none')] : tasks.map((t) => columns.map((c, i) => ({ column: i, text: c.value(t), rowspan: 1, colspan: 1, kind: c.kind })))),
  ];
  return {
    name: sheetName(u.name, taken, `单位${index + 1}`),
    title: unitHeading(u),
    columns: columns.map(({ label, width }) => ({ label, width })),
    rows: unitParts(u).flatMap(([heading, tasks]) => block(heading, tasks)),
  };
}

// ---------------------------------------------------------------------------------------------
// Reproducible output

/** Used for the workbook's dates when the notice has no 成文日期. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));

/** The notice's 成文日期 (`2020年9月30日`) as a date at 00:00 UTC, else FIXED_DATE. */
function documentDate(view: DocumentView): Date {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(view.notice.date ?? '');
  if (!m) return FIXED_DATE;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1980 && y <= 2107 && date.getUTCMonth() === mo - 1 ? date : FIXED_DATE;
}

/**
 * JSZip (inside exceljs) stamps every zip entry with the time of writing, so two exports of the
 * same document would differ. This sets each entry's DOS date and time, in the local headers and
 * in the central directory, to `date` (its UTC fields): the same document gives the same bytes.
 */
function stampZip(bytes: Uint8Array, date: Date): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  // End of central directory: signature, then the entry count at +10 and the directory's offset at +16.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let k = 0; k < count && p + 46 <= bytes.length && view.getUint32(p, true) === 0x02014b50; k++) {
    view.setUint16(p + 12, dosTime, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50) {
      view.setUint16(local + 10, dosTime, true);
      view.setUint16(local + 12, dosDate, true);
    }
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
}

// ---------------------------------------------------------------------------------------------

/** The document as an .xlsx workbook: one sheet per table, or per unit with `byUnit`. */
export async function toXlsx(view: DocumentView, options: XlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const date = documentDate(view);
  wb.creator = 'fenjie';
  wb.lastModifiedBy = 'fenjie';
  wb.created = date;
  wb.modified = date;
  wb.title = cleanText(view.notice.title ?? view.tables[0]?.title ?? '');

  const taken = new Set<string>();
  const unitCols = options.byUnit ? unitColumns(options.byUnit) : [];
  const specs = options.byUnit
    ? options.byUnit.map((u, i) => unitSheet(u, unitCols, taken, i))
    : view.tables.map((t, i) => tableSheet(t, taken, i));
  // Excel opens no workbook without a sheet: an empty document gets one that says so.
  if (specs.length === 0) {
    const name = options.byUnit ? '按单位' : '任务分解表';
    specs.push({
      name: sheetName(name, taken, name),
      title: view.notice.title ?? name,
      columns: [{ label: options.byUnit ? '单位' : '重点任务', width: 48 }],
      rows: [[{ column: 0, text: '无', rowspan: 1, colspan: 1, kind: 'none' }]],
    });
  }
  for (const spec of specs) writeSheet(wb, spec);

  const buffer = await wb.xlsx.writeBuffer();
  // exceljs gives a Node Buffer: copied into a plain Uint8Array of its own.
  const bytes = new Uint8Array(buffer);
  stampZip(bytes, date);
  return bytes;
}
