import { randomBytes } from 'node:crypto';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  FileChild,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  TextRun,
  type IBorderOptions,
  type IParagraphOptions,
  type ISectionOptions,
} from 'docx';
import { strFromU8, strToU8, unzipSync, Zip, type ZipInputFile } from 'fflate';
import { crc32, deflateRawSync } from 'node:zlib';
import { hasNotice, unitColumns, unitHeading, unitParts, type UnitColumn, type BodyBlock, type Column, type DocumentView, type Table, type UnitSection, type UnitTask } from '../table.ts';
import { tableXml, type Alignment, type TextStyle, type XmlCell, type XmlRow } from './docx-table.ts';
import { cleanText } from './xmltext.ts';

/*
 * The Word export: the notice and its attachments laid out as GB/T 9704-2012 《党政机关公文格式》
 * asks, built with the `docx` package. Pure: view in, bytes out; it reads and writes no file.
 *
 * The tables are the exception: docx takes seconds to write a 2,000-task table cell object by cell
 * object, so they are written as XML by docx-table.ts, held in the document by placeholder
 * paragraphs while docx packs it, and spliced into word/document.xml afterwards (`TableSlots`).
 *
 * Lengths in WordprocessingML are twips (1/20 pt, 1/1440 inch) unless said otherwise; font
 * sizes in `docx` are half-points.
 */

export interface DocxOptions {
  /** One section per unit (what it leads, what it joins) instead of the tables. */
  byUnit?: UnitSection[];
}

// ── Measures ────────────────────────────────────────────────────────────────────────────────

const twips = (mm: number): number => Math.round((mm * 1440) / 25.4);
/** docx's `size` is in half-points. */
const half = (pt: number): number => pt * 2;

/** A4: 210 x 297 mm = 11906 x 16838 twips. Sections are always given it portrait; a landscape section says so and docx swaps it. */
const A4 = { width: twips(210), height: twips(297) };

/** GB/T 9704 §5.2.1: 天头 37 mm, 订口 28 mm, the text block (版心) 156 x 225 mm, which leaves 26 mm right and 35 mm bottom. */
const PORTRAIT_MARGIN = { top: twips(37), right: twips(26), bottom: twips(35), left: twips(28) };
/** 11906 − 1587 − 1474 = 8845 twips ≈ 156 mm. */
const PORTRAIT_TEXT_WIDTH = A4.width - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right;
/** 16838 − 2098 − 1984 = 12756 twips ≈ 225 mm. */
const PORTRAIT_TEXT_HEIGHT = A4.height - PORTRAIT_MARGIN.top - PORTRAIT_MARGIN.bottom;

/**
 * The attachments' landscape pages keep the same 225 x 156 mm text block, turned a quarter with
 * the table's head toward the binding edge (as §8 公文中的表格 has it on odd pages): top 28 mm,
 * bottom 26 mm, left 35 mm, right 37 mm, so the table is 225 mm wide.
 *
 * §8 also puts a landscape page's number at the table's left (where the portrait pages have
 * theirs once the sheet is turned); that needs a rotated text box, so here the landscape pages
 * number at their own foot, in the same “— N —” style and odd/even sides.
 */
const LANDSCAPE_MARGIN = { top: twips(28), right: twips(37), bottom: twips(26), left: twips(35) };
/** 16838 − 1984 − 2098 = 12756 twips ≈ 225 mm. */
const LANDSCAPE_TEXT_WIDTH = A4.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;

/** 3号 = 16 pt: the body text. */
const BODY_PT = 16;
/** 2号 = 22 pt: 标题. */
const TITLE_PT = 22;
/** 4号 = 14 pt: page numbers. */
const PAGE_NUMBER_PT = 14;
/**
 * Table cells: 小四 = 12 pt, the usual size of such attachments' tables (GB/T 9704 leaves it
 * free; 3号 would make a row of a long 落实举措 longer than a page).
 */
const CELL_PT = 12;
/** Exact line height of table text: 16 pt for 12 pt text (4/3, as 28.95 pt is to 3号 in the body). */
const CELL_LINE = 320;

/**
 * §5.2.3: 22 lines of 28 characters of 3号 text in the 156 x 225 mm block.
 *
 * Line pitch: 12756 twips / 22 lines = 579.8, rounded down so that 22 whole lines fit: 579 twips
 * = 28.95 pt (225 mm / 22 = 28.99 pt exactly). Word calls it the grid's "linePitch"; the body's
 * paragraphs also get an exact line spacing of the same 579 twips (`lineRule: exact`).
 */
const LINE_PITCH = Math.floor(PORTRAIT_TEXT_HEIGHT / 22);
/**
 * Character pitch: 8845 twips / 28 = 315.9 twips = 15.795 pt. `charSpace` is how much wider than
 * the Normal style's 16 pt each character is, in 1/4096 pt: (15.795 − 16) × 4096 = −841.1,
 * rounded down so that 28 characters fit: −842.
 */
const CHAR_PITCH = PORTRAIT_TEXT_WIDTH / 28;
const CHAR_SPACE = Math.floor((CHAR_PITCH / 20 - BODY_PT) * 4096);
/** One character of indent, in twips: the grid's pitch (≈ 316). */
const CHAR = Math.round(CHAR_PITCH);

/** Exact line spacing on the grid. */
const ON_GRID = { line: LINE_PITCH, lineRule: LineRuleType.EXACT } as const;
/** Half a line, in whole twips (spacing before and after must be integers). */
const HALF_LINE = Math.round(LINE_PITCH / 2);

/**
 * §7.5: page numbers 7 mm below the text block. The footer line is 14 pt high (exact), and
 * Word's footer distance is from the paper's edge to the footer's bottom:
 * portrait 35 − 7 mm = 28 mm, less 14 pt → 1307 twips; landscape 26 − 7 mm = 19 mm → 797 twips.
 */
const FOOTER_LINE = half(PAGE_NUMBER_PT) * 10; // 14 pt = 280 twips
const PORTRAIT_FOOTER = twips(35 - 7) - FOOTER_LINE;
const LANDSCAPE_FOOTER = twips(26 - 7) - FOOTER_LINE;

// ── Fonts ───────────────────────────────────────────────────────────────────────────────────

const FANGSONG = '仿宋_GB2312';
const HEITI = '黑体';
const KAITI = '楷体_GB2312';
const XIAOBIAOSONG = '方正小标宋简体';
const SONG = '宋体';

/**
 * Every slot names the same face, so that Word shows the Chinese font for Chinese text and for
 * the digits and Latin letters among it (公文 sets its figures in the text's face too); the hint
 * makes Word treat ambiguous characters such as “” and … as East Asian (full width).
 */
const fontOf = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: 'eastAsia' });

// ── Text ────────────────────────────────────────────────────────────────────────────────────

/** Width in characters: full-width counts 1, ASCII half. */
function widthOf(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) as number) < 0x80 ? 0.5 : 1;
  return w;
}

interface RunStyle {
  face: string;
  pt: number;
  bold?: boolean;
  color?: string;
}

function run(text: string, s: RunStyle): TextRun {
  return new TextRun({
    text: cleanText(text),
    font: fontOf(s.face),
    size: half(s.pt),
    ...(s.bold ? { bold: true, boldComplexScript: true } : {}),
    ...(s.color ? { color: s.color } : {}),
  });
}

/** One paragraph of notice text on the grid. */
function line(children: TextRun[], options: Omit<IParagraphOptions, 'children'> = {}): Paragraph {
  return new Paragraph({ spacing: ON_GRID, ...options, children });
}

/** An empty line of the grid: GB/T 9704's 空一行. */
const blank = (keepNext = false): Paragraph => line([], keepNext ? { keepNext } : {});

const firstLineIndent = { firstLine: 2 * CHAR, firstLineChars: 200 };

// ── The notice (portrait) ───────────────────────────────────────────────────────────────────

/** A heading's face covers its label and first sentence; what follows it is 仿宋 body text. */
function headingRuns(text: string, face: string, bold: boolean): TextRun[] {
  const stop = text.indexOf('。');
  const head = stop >= 0 && stop < text.length - 1 ? text.slice(0, stop + 1) : text;
  const rest = text.slice(head.length);
  const runs = [run(head, { face, pt: BODY_PT, bold })];
  if (rest) runs.push(run(rest, { face: FANGSONG, pt: BODY_PT }));
  return runs;
}

const BLOCK_FACE: Record<BodyBlock['kind'], { face: string; bold: boolean }> = {
  h1: { face: HEITI, bold: false },
  h2: { face: KAITI, bold: false },
  h3: { face: FANGSONG, bold: true },
  p: { face: FANGSONG, bold: false },
};

/** The body's paragraphs; `keepLast`: the last one is kept on the page of what follows. */
function bodyParagraphs(body: BodyBlock[], keepLast: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  let attachmentNote = false;
  body.forEach((b, i) => {
    // §7.3.4: 附件说明 sits one empty line below the body.
    if (!attachmentNote && b.kind === 'p' && /^附件\s*\d*\s*[：:]/.test(b.text)) {
      attachmentNote = true;
      if (i > 0) out.push(blank());
    }
    const { face, bold } = BLOCK_FACE[b.kind];
    const lines = cleanText(b.text)
      .split('\n')
      .filter((text) => text.trim() !== '');
    lines.forEach((text, j) => {
      const children = b.kind === 'p' ? [run(text, { face, pt: BODY_PT })] : headingRuns(text, face, bold);
      const keepNext = keepLast && i === body.length - 1 && j === lines.length - 1;
      out.push(line(children, { alignment: AlignmentType.JUSTIFIED, indent: firstLineIndent, ...(keepNext ? { keepNext } : {}) }));
    });
  });
  return out;
}

/**
 * The notice page by page as GB/T 9704 lays it out:
 * - 发文机关标志 (issuer), when given: red 小标宋, centred, its top 35 mm below the text block's
 *   (§7.2.4), as large as fits one line between 22 and 36 pt;
 * - 发文字号 two lines below it, centred, 3号仿宋, with the red separator line 4 mm under it
 *   (§7.2.5, §7.2.7); without an issuer, 发文字号 centred one line above the title, no red line;
 * - 标题 two lines below the red line, 2号小标宋, centred (§7.3.1);
 * - 主送机关 one line below the title, flush left, ending with "：" (§7.3.2);
 * - the body, 3号仿宋, first lines indented 2 characters; 一、 headings 黑体, （一） 楷体, 1.
 *   仿宋 bold (§7.3.3);
 * - 署名 and 成文日期 (§7.3.5.1, a sealed document): two empty lines below the body leave room for
 *   the seal; 成文日期 right-aligned 4 characters from the margin; 署名 on the line above,
 *   centred on the date, or, when it is too long to be centred on it, flush right;
 * - 附注 on the next line, indented 2 characters (§7.3.6).
 */
function noticeParagraphs(view: DocumentView): Paragraph[] {
  const n = view.notice;
  const out: Paragraph[] = [];
  const plain = (text: string): TextRun => run(text, { face: FANGSONG, pt: BODY_PT });
  if (n.issuer) {
    const issuer = cleanText(n.issuer);
    const fit = Math.floor(((PORTRAIT_TEXT_WIDTH / 20 / Math.max(widthOf(issuer), 1)) * 2)) / 2;
    const pt = Math.min(36, Math.max(TITLE_PT, fit));
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: twips(35) },
        children: [run(issuer, { face: XIAOBIAOSONG, pt, color: 'FF0000' })],
      }),
    );
    out.push(blank(), blank());
  }
  if (n.number) {
    const redLine: IBorderOptions = { style: BorderStyle.SINGLE, size: 12, color: 'FF0000', space: 11 };
    out.push(line([plain(n.number)], { alignment: AlignmentType.CENTER, ...(n.issuer ? { border: { bottom: redLine } } : {}) }));
    out.push(blank());
    if (n.issuer) out.push(blank());
  } else if (n.issuer) {
    const redLine: IBorderOptions = { style: BorderStyle.SINGLE, size: 12, color: 'FF0000', space: 1 };
    out.push(new Paragraph({ spacing: { line: 240, lineRule: LineRuleType.EXACT }, border: { bottom: redLine }, children: [] }));
    out.push(blank(), blank());
  }
  if (n.title) {
    for (const text of cleanText(n.title).split('\n')) out.push(line([run(text, { face: XIAOBIAOSONG, pt: TITLE_PT })], { alignment: AlignmentType.CENTER }));
    out.push(blank());
  }
  if (n.to) {
    const to = cleanText(n.to).replace(/[：:]\s*$/, '');
    out.push(line([plain(`${to}：`)], { alignment: AlignmentType.JUSTIFIED }));
  }
  // The body's last line, the room for the seal, 署名 and 成文日期 are kept on one page: a page
  // with a signature and no text above it is what §7.3.5 has the writer avoid.
  const signed = !!(n.signature || n.date);
  out.push(...bodyParagraphs(view.body, signed));
  if (signed) {
    out.push(blank(true), blank(true));
    const date = n.date ? cleanText(n.date) : '';
    if (n.signature) {
      const signature = cleanText(n.signature);
      const right = date ? Math.max(0, 4 + (widthOf(date) - widthOf(signature)) / 2) : 4;
      out.push(line([plain(signature)], { alignment: AlignmentType.RIGHT, indent: { right: Math.round(right * CHAR) }, keepNext: !!date }));
    }
    if (date) out.push(line([plain(date)], { alignment: AlignmentType.RIGHT, indent: { right: 4 * CHAR } }));
  }
  if (n.note) {
    if (!n.signature && !n.date) out.push(blank());
    out.push(line([plain(n.note)], { alignment: AlignmentType.LEFT, indent: { left: 2 * CHAR } }));
  }
  return out;
}

// ── Tables (landscape) ──────────────────────────────────────────────────────────────────────

/** Single ½ pt black lines on every side of every cell (w:sz is in eighths of a point). */
const THIN = { size: 4, color: '000000' };
/** Cell margins: 2 pt above and below, 1.5 mm at the sides. */
const CELL_MARGINS = { top: 40, bottom: 40, left: 85, right: 85 };

type Kind = Column['key'] | 'table';

/**
 * Column widths (mm, before fitting): 序号 narrow (13 mm holds 序号 at 12 pt with the cells'
 * margins), categories 28 mm, units 30 mm, 完成时限 24 mm (five characters: 12月底前 on one line),
 * 备注 and 所在表 28 mm. 重点任务 and 落实举措 share what is left of the 225 mm, each in
 * proportion to its average text length, and at least 30 mm.
 */
const FIXED_MM: Partial<Record<Kind, number>> = { number: 13, category: 28, lead: 30, responsible: 30, cooperating: 30, deadline: 24, note: 28, table: 28 };
const WIDE_MIN_MM = 30;

function columnWidths(kinds: Kind[], texts: string[][], total: number): number[] {
  const mm = (t: number): number => (t * 25.4) / 1440;
  const totalMm = mm(total);
  const widths: number[] = kinds.map((k) => FIXED_MM[k] ?? 0);
  const wide = kinds.map((k, i) => (FIXED_MM[k] === undefined ? i : -1)).filter((i) => i >= 0);
  const fixed = widths.reduce((a, b) => a + b, 0);
  if (wide.length > 0) {
    const weights = wide.map((i) => {
      const column = texts.map((row) => row[i] ?? '');
      const mean = column.length ? column.reduce((a, t) => a + widthOf(t), 0) / column.length : 1;
      return Math.max(mean, 1);
    });
    const sum = weights.reduce((a, b) => a + b, 0);
    let left = Math.max(totalMm - fixed, wide.length * WIDE_MIN_MM);
    // Give each column its minimum first, then share the rest by weight.
    left -= wide.length * WIDE_MIN_MM;
    wide.forEach((i, j) => (widths[i] = WIDE_MIN_MM + (left * (weights[j] as number)) / sum));
  }
  // Fit the whole to the text width (scaling down when the fixed columns alone overflow it).
  const sumMm = widths.reduce((a, b) => a + b, 0);
  const out = widths.map((w) => Math.floor((w / sumMm) * total));
  out[out.length - 1] = (out[out.length - 1] as number) + total - out.reduce((a, b) => a + b, 0);
  return out;
}

/**
 * Centred: the short columns and the categories (headings merged down); 落实举措 is justified as
 * body text is; 重点任务 and 备注 start at the left (justified, a narrow column's few characters a
 * line would be spread apart).
 */
const CENTRED: ReadonlySet<Kind> = new Set<Kind>(['number', 'category', 'lead', 'responsible', 'cooperating', 'deadline', 'table']);
const JUSTIFIED: ReadonlySet<Kind> = new Set<Kind>(['measures']);
const alignmentOf = (kind: Kind): Alignment => (CENTRED.has(kind) ? 'center' : JUSTIFIED.has(kind) ? 'both' : 'left');

/** The header row in 黑体, the cells in 仿宋, all 12 pt; one object each, as docx-table.ts writes a style's properties once. */
const HEADER_STYLE: TextStyle = { face: HEITI, halfPoints: half(CELL_PT) };
const CELL_STYLE: TextStyle = { face: FANGSONG, halfPoints: half(CELL_PT) };
const MISSING_STYLE: TextStyle = { face: FANGSONG, halfPoints: half(CELL_PT), color: 'FF0000' };

interface CellSpec {
  column: number;
  text: string;
  rowspan?: number;
  colspan?: number;
  missing?: boolean;
}

/**
 * A missing required field (a 牵头单位 nobody named, say) is an empty cell holding a visible red
 * mark “（待填）”, so that whoever prints the table sees what is still to fill in.
 */
const MISSING_MARK = '（待填）';

function cellOf(spec: CellSpec, kind: Kind): XmlCell {
  const place = { column: spec.column, rowspan: spec.rowspan ?? 1, colspan: spec.colspan ?? 1 };
  return spec.missing ? { ...place, text: MISSING_MARK, align: 'center', style: MISSING_STYLE } : { ...place, text: spec.text, align: alignmentOf(kind), style: CELL_STYLE };
}

/**
 * The tables of one export. Each is written as XML at once (docx-table.ts), and docx is given a
 * placeholder paragraph in its place: a paragraph of docx's own, which holds nothing but a marker
 * unique to this export and to the table. It is not a docx `Paragraph`, so docx treats it as it
 * treats a table: a section ending with one gets an empty paragraph of its own to carry the
 * section's properties. Once docx has packed the document, `splice` puts each table where its
 * placeholder is.
 */
class TableSlots {
  /** Random per export, so that no text of the document can be taken for a marker. */
  private readonly prefix = `fenjie-table-${randomBytes(12).toString('hex')}-`;
  private readonly tables: string[] = [];

  /** A table's marker; it ends with a character no index has, so that table 1's is no part of table 10's. */
  private marker(i: number): string {
    return `${this.prefix}${i}.`;
  }

  /** Holds the table's XML, and gives the placeholder to put in the document where it goes. */
  add(xml: string): FileChild {
    const marker = this.marker(this.tables.length);
    this.tables.push(xml);
    return new TablePlaceholder(marker);
  }

  get size(): number {
    return this.tables.length;
  }

  /** word/document.xml with each placeholder paragraph, <w:p> to </w:p>, replaced by its table. */
  splice(xml: string): string {
    const places = this.tables.map((table, i) => {
      const marker = this.marker(i);
      const at = xml.indexOf(marker);
      if (at < 0 || xml.indexOf(marker, at + 1) >= 0) throw new Error(`Word export: table ${i + 1}'s placeholder is ${at < 0 ? 'missing from' : 'more than once in'} word/document.xml`);
      let start = xml.lastIndexOf('<w:p', at);
      while (start >= 0 && !/[\s>]/.test(xml.charAt(start + 4))) start = xml.lastIndexOf('<w:p', start - 1);
      const close = xml.indexOf('</w:p>', at);
      if (start < 0 || close < 0 || xml.lastIndexOf('</w:p>', at) > start) throw new Error(`Word export: table ${i + 1}'s placeholder is not in a paragraph of its own`);
      return { start, end: close + '</w:p>'.length, table };
    });
    places.sort((a, b) => a.start - b.start);
    let out = '';
    let from = 0;
    for (const p of places) {
      if (p.start < from) throw new Error('Word export: table placeholders overlap');
      out += xml.slice(from, p.start) + p.table;
      from = p.end;
    }
    return out + xml.slice(from);
  }
}

/** `<w:p><w:r><w:t xml:space="preserve">marker</w:t></w:r></w:p>` */
class TablePlaceholder extends FileChild {
  constructor(marker: string) {
    super('w:p');
    this.root.push(new TextRun(marker));
  }
}

/**
 * A table across the text width: a header row repeated on every page (the first row only is
 * marked), every row kept whole on its page, single lines on every side of every cell.
 */
function gridTable(slots: TableSlots, labels: string[], kinds: Kind[], rows: CellSpec[][], total: number): FileChild {
  const texts = rows.map((cells) => {
    const row: string[] = [];
    for (const c of cells) row[c.column] = c.text;
    return row;
  });
  const widths = columnWidths(kinds, texts, total);
  const header: XmlRow = { header: true, cells: labels.map((text, column): XmlCell => ({ column, text, align: 'center', style: HEADER_STYLE })) };
  // A cell is set as the last column it covers: a shallow task spanning the empty category columns is a 重点任务.
  const kindOf = (c: CellSpec): Kind => kinds[c.column + (c.colspan ?? 1) - 1] ?? 'task';
  const body = rows.map((cells): XmlRow => ({ cells: cells.map((c) => cellOf(c, kindOf(c))) }));
  return slots.add(tableXml({ widths, rows: [header, ...body], line: CELL_LINE, margins: CELL_MARGINS, border: THIN }));
}

/** GB/T 9704 on 附件: 附件N flush left in 3号黑体 on the first line, the title centred in 2号小标宋 on the third. */
function attachmentHead(label: string | undefined, title: string): Paragraph[] {
  const out: Paragraph[] = [];
  if (label) out.push(line([run(label, { face: HEITI, pt: BODY_PT })], { alignment: AlignmentType.LEFT }), blank());
  for (const text of cleanText(title).split('\n')) {
    out.push(line([run(text, { face: XIAOBIAOSONG, pt: TITLE_PT })], { alignment: AlignmentType.CENTER, spacing: { ...ON_GRID, after: HALF_LINE } }));
  }
  return out;
}

function attachmentChildren(slots: TableSlots, t: Table): FileChild[] {
  const kinds = t.columns.map((c) => c.key);
  const rows = t.rows.map((r) => r.cells.map((c): CellSpec => c));
  return [...attachmentHead(t.label, t.title), gridTable(slots, t.columns.map((c) => c.label), kinds, rows, LANDSCAPE_TEXT_WIDTH)];
}

/** 按单位: the unit's name and counts in 黑体, then what it leads and what it joins. */
function unitChildren(slots: TableSlots, u: UnitSection, columns: UnitColumn[]): FileChild[] {
  const labels = columns.map((c) => c.label);
  const kinds: Kind[] = columns.map((c) => c.key);
  const rowsOf = (tasks: UnitTask[]): CellSpec[][] => tasks.map((t) => columns.map((c, column) => ({ column, text: c.value(t) })));
  const out: FileChild[] = [line([run(unitHeading(u), { face: HEITI, pt: BODY_PT })], { alignment: AlignmentType.CENTER })];
  for (const [heading, tasks] of unitParts(u)) {
    out.push(line([run(heading, { face: KAITI, pt: BODY_PT })], { alignment: AlignmentType.LEFT, spacing: { ...ON_GRID, before: HALF_LINE } }));
    if (tasks.length === 0) out.push(line([run('无', { face: FANGSONG, pt: BODY_PT })], { indent: firstLineIndent }));
    else out.push(gridTable(slots, labels, kinds, rowsOf(tasks), LANDSCAPE_TEXT_WIDTH));
  }
  return out;
}

// ── Page numbers and sections ───────────────────────────────────────────────────────────────

/**
 * §7.5: “— 1 —” in 4号 半角宋体, odd pages at the right one character in, even pages at the left
 * one character in (the even footer shows only with `evenAndOddHeaderAndFooters`).
 */
function pageNumberFooter(even: boolean): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: even ? AlignmentType.LEFT : AlignmentType.RIGHT,
        indent: even ? { left: FOOTER_LINE } : { right: FOOTER_LINE },
        spacing: { line: FOOTER_LINE, lineRule: LineRuleType.EXACT },
        children: [new TextRun({ font: fontOf(SONG), size: half(PAGE_NUMBER_PT), children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

function footers(): ISectionOptions['footers'] {
  return { default: pageNumberFooter(false), even: pageNumberFooter(true) };
}

function portraitSection(children: Paragraph[]): ISectionOptions {
  return {
    properties: {
      page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: { ...PORTRAIT_MARGIN, header: twips(15), footer: PORTRAIT_FOOTER } },
      // The 22 x 28 grid of §5.2.3.
      grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE_PITCH, charSpace: CHAR_SPACE },
    },
    footers: footers(),
    children,
  };
}

/**
 * A landscape section: given A4's portrait size with LANDSCAPE, which docx writes as
 * w:w=16838 w:h=11906 w:orient="landscape". No character grid here: the table's 12 pt text
 * would be spread to the 16 pt grid's pitch.
 */
function landscapeSection(children: FileChild[]): ISectionOptions {
  return {
    properties: {
      type: SectionType.NEXT_PAGE,
      page: { size: { ...A4, orientation: PageOrientation.LANDSCAPE }, margin: { ...LANDSCAPE_MARGIN, header: twips(10), footer: LANDSCAPE_FOOTER } },
    },
    footers: footers(),
    children,
  };
}

/**
 * The document as a .docx: the notice on portrait A4 pages (left out when the document is only a
 * breakdown), then each table, or with `byUnit` each unit's tasks, in a landscape section of its
 * own starting on a new page. Page numbers run on through all of it.
 */
export async function toDocx(view: DocumentView, options: DocxOptions = {}): Promise<Uint8Array> {
  const slots = new TableSlots();
  const sections: ISectionOptions[] = [];
  if (hasNotice(view)) sections.push(portraitSection(noticeParagraphs(view)));
  if (options.byUnit) {
    const columns = unitColumns(options.byUnit);
    for (const u of options.byUnit) sections.push(landscapeSection(unitChildren(slots, u, columns)));
  } else {
    for (const t of view.tables) sections.push(landscapeSection(attachmentChildren(slots, t)));
  }
  if (sections.length === 0) sections.push(portraitSection([blank()]));
  const title = view.notice.title ?? view.tables[0]?.title;
  const doc = new Document({
    creator: 'fenjie',
    ...(title ? { title: cleanText(title) } : {}),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: fontOf(FANGSONG), size: half(BODY_PT), language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
        },
      },
      // The Normal style says its size too: the grid's charSpace is counted from the Normal
      // font's size (LibreOffice reads it from this style only, and takes 12 pt without it).
      paragraphStyles: [{ id: 'Normal', name: 'Normal', quickFormat: true, run: { font: fontOf(FANGSONG), size: half(BODY_PT) } }],
    },
    sections,
  });
  return withTables(await Packer.pack(doc, 'uint8array'), slots);
}

const CONTENT_TYPES = '[Content_Types].xml';
const DOCUMENT = 'word/document.xml';

/**
 * The package docx packed, its tables spliced into word/document.xml; every other part as docx
 * wrote it, in docx's order, but for [Content_Types].xml, put first as Word puts it (and as tools
 * that tell a .docx by its first entry look for it).
 */
function withTables(packed: Uint8Array, slots: TableSlots): Uint8Array {
  const parts = unzipSync(packed);
  const document = parts[DOCUMENT];
  const types = parts[CONTENT_TYPES];
  if (!document || !types) throw new Error(`Word export: docx wrote no ${document ? CONTENT_TYPES : DOCUMENT}`);
  const entries: Array<[string, Uint8Array]> = [[CONTENT_TYPES, types]];
  for (const [name, data] of Object.entries(parts)) {
    if (name === CONTENT_TYPES) continue;
    entries.push([name, name === DOCUMENT && slots.size > 0 ? strToU8(slots.splice(strFromU8(data))) : data]);
  }
  return zipDeflated(entries);
}

/**
 * A zip of the entries, each deflated by node's zlib (several times faster than a deflate in
 * JavaScript, on a document.xml of several MB) and laid out by fflate's Zip.
 */
function zipDeflated(entries: Array<[string, Uint8Array]>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else chunks.push(chunk);
  });
  for (const [filename, data] of entries) {
    const file: ZipInputFile = { filename, size: data.length, crc: crc32(data), compression: 8 };
    zip.add(file);
    file.ondata?.(null, deflateRawSync(data, { level: 6 }), true);
  }
  zip.end();
  if (failure) throw failure;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
