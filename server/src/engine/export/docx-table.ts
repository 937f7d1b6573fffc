import { cleanText } from './xmltext.ts';
/*
 * Tables as WordprocessingML text, for the Word export (docx.ts).
 *
 * The `docx` package builds a table as an object per cell, paragraph and run, and spends
 * seconds serializing the tables of a 2,000-task document; a table's XML is regular enough to be
 * written directly. docx.ts decides what the table holds and how it looks; this module only
 * writes it, with the properties docx would write for the same table, each element's children
 * in the order the OOXML schema (ECMA-376 Part 1, wml.xsd) gives them, as Word refuses or
 * "repairs" a file whose elements are out of order:
 *
 *   tblPr:      tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize,
 *               tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
 *   tblBorders: top, left (start), bottom, right (end), insideH, insideV
 *   tblCellMar: top, left (start), bottom, right (end)
 *   trPr:       cnfStyle, divId, gridBefore, gridAfter, wBefore, wAfter, cantSplit, trHeight,
 *               tblHeader, tblCellSpacing, jc, hidden
 *   tcPr:       cnfStyle, tcW, gridSpan, hMerge, vMerge, tcBorders, shd, noWrap, tcMar,
 *               textDirection, tcFitText, vAlign, hideMark
 *   pPr:        pStyle, keepNext, keepLines, pageBreakBefore, …, spacing, ind, …, jc, …
 *   rPr:        rStyle, rFonts, b, bCs, i, …, color, …, sz, szCs, …
 *
 * Lengths are twips; font sizes half-points; border sizes eighths of a point.
 */

const ESCAPE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const SPECIAL = /[&<>"]/;
const SPECIALS = /[&<>"]/g;

/** Text escaped for XML character data and for double-quoted attribute values. */
export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPE[c] as string) : text;
}

/** w:jc values the tables use: `both` is justified. */
export type Alignment = 'left' | 'center' | 'both';

/** How a cell's text is set: one face in every rFonts slot (hint eastAsia), a size, bold, a color. */
export interface TextStyle {
  face: string;
  /** In half-points, as w:sz has it. */
  halfPoints: number;
  bold?: boolean;
  /** RRGGBB. */
  color?: string;
}

export interface XmlCell {
  /** The first grid column the cell covers, from 0. */
  column: number;
  colspan?: number;
  rowspan?: number;
  /** Its paragraphs, separated by '\n'; cleaned here of what XML forbids. An empty text is one empty paragraph. */
  text: string;
  align: Alignment;
  style: TextStyle;
}

export interface XmlRow {
  /** The table's header row, repeated at the top of every page. */
  header?: boolean;
  /** The cells starting in this row, by column; positions a cell from above covers are left out. */
  cells: XmlCell[];
}

export interface TableSpec {
  /** Grid column widths; the table is as wide as they add up to. */
  widths: number[];
  rows: XmlRow[];
  /** Exact line height of the cells' paragraphs. */
  line: number;
  /** Cell margins. */
  margins: { top: number; bottom: number; left: number; right: number };
  /** A single line on every side of every cell. */
  border: { size: number; color: string };
}

/** w:rFonts … w:szCs: the same for most runs of a table, so made once per style. */
function runPropertiesOf(s: TextStyle): string {
  const face = escapeXml(s.face);
  return (
    '<w:rPr>' +
    `<w:rFonts w:ascii="${face}" w:hAnsi="${face}" w:eastAsia="${face}" w:cs="${face}" w:hint="eastAsia"/>` +
    (s.bold ? '<w:b/><w:bCs/>' : '') +
    (s.color ? `<w:color w:val="${escapeXml(s.color)}"/>` : '') +
    `<w:sz w:val="${s.halfPoints}"/><w:szCs w:val="${s.halfPoints}"/>` +
    '</w:rPr>'
  );
}

/**
 * A table: w:tblPr (width, borders, fixed layout, cell margins), w:tblGrid, then the rows, every
 * one kept whole on its page (cantSplit), the header rows marked to repeat (tblHeader). Cells are
 * centred vertically; a cell spanning rows is written as docx writes it, vMerge="restart" on the
 * cell and a vMerge continuation of the same span and width in each row below that it covers,
 * holding one empty paragraph aligned as the merged cell's last.
 */
export function tableXml(spec: TableSpec): string {
  const { widths, line, margins, border } = spec;
  const total = widths.reduce((a, b) => a + b, 0);
  const side = (name: string): string => `<w:${name} w:val="single" w:sz="${border.size}" w:color="${escapeXml(border.color)}"/>`;
  let out =
    '<w:tbl><w:tblPr>' +
    `<w:tblW w:w="${total}" w:type="dxa"/>` +
    `<w:tblBorders>${side('top')}${side('left')}${side('bottom')}${side('right')}${side('insideH')}${side('insideV')}</w:tblBorders>` +
    '<w:tblLayout w:type="fixed"/>' +
    '<w:tblCellMar>' +
    `<w:top w:w="${margins.top}" w:type="dxa"/><w:left w:w="${margins.left}" w:type="dxa"/>` +
    `<w:bottom w:w="${margins.bottom}" w:type="dxa"/><w:right w:w="${margins.right}" w:type="dxa"/>` +
    '</w:tblCellMar>' +
    '</w:tblPr><w:tblGrid>';
  for (const w of widths) out += `<w:gridCol w:w="${w}"/>`;
  out += '</w:tblGrid>';

  const paragraphStart: Record<Alignment, string> = {
    left: `<w:p><w:pPr><w:spacing w:line="${line}" w:lineRule="exact"/><w:jc w:val="left"/></w:pPr>`,
    center: `<w:p><w:pPr><w:spacing w:line="${line}" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>`,
    both: `<w:p><w:pPr><w:spacing w:line="${line}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>`,
  };
  const runProperties = new Map<TextStyle, string>();
  // w:tcPr's start, by first column and span: its width, the span.
  const cellStarts = new Map<number, string>();
  const cellStart = (column: number, span: number): string => {
    const key = column * 1024 + span;
    let s = cellStarts.get(key);
    if (s === undefined) {
      let width = 0;
      for (let i = column; i < column + span && i < widths.length; i++) width += widths[i] as number;
      s = `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}`;
      cellStarts.set(key, s);
    }
    return s;
  };

  /** Cells from rows above reaching into the next row: first column, span, rows still to cover, alignment. */
  let reaching: { column: number; span: number; left: number; align: Alignment }[] = [];
  for (const row of spec.rows) {
    out += row.header ? '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' : '<w:tr><w:trPr><w:cantSplit/></w:trPr>';
    const continued = reaching;
    reaching = [];
    const cells: (XmlCell | (typeof continued)[number])[] = continued.length === 0 ? row.cells : [...row.cells, ...continued].sort((a, b) => a.column - b.column);
    for (const c of cells) {
      if (!('text' in c)) {
        // A position covered by a cell above: a vMerge continuation.
        out += `${cellStart(c.column, c.span)}<w:vMerge/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:jc w:val="${c.align}"/></w:pPr></w:p></w:tc>`;
        if (c.left > 1) reaching.push({ ...c, left: c.left - 1 });
        continue;
      }
      const span = Math.max(c.colspan ?? 1, 1);
      const rows = Math.max(c.rowspan ?? 1, 1);
      out += cellStart(c.column, span);
      if (rows > 1) {
        out += '<w:vMerge w:val="restart"/>';
        reaching.push({ column: c.column, span, left: rows - 1, align: c.align });
      }
      out += '<w:vAlign w:val="center"/></w:tcPr>';
      let rPr = runProperties.get(c.style);
      if (rPr === undefined) runProperties.set(c.style, (rPr = runPropertiesOf(c.style)));
      const start = paragraphStart[c.align];
      for (const text of cleanText(c.text).split('\n')) {
        out += text ? `${start}<w:r>${rPr}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>` : `${start}</w:p>`;
      }
      out += '</w:tc>';
    }
    out += '</w:tr>';
  }
  return out + '</w:tbl>';
}
