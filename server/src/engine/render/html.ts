import { createHash } from 'node:crypto';
import { hasNotice, unitColumns, unitHeading, unitParts, type UnitColumn, type BodyBlock, type Cell, type Column, type DocumentView, type NoticeParts, type Table, type UnitSection, type UnitTask } from '../table.ts';
import { EXPORT_CSS, PREVIEW_CSS } from './styles.ts';

/*
 * The one HTML renderer: the VS Code preview and the HTML export draw the same markup from a
 * DocumentView (table.ts). Every piece of document content goes through escapeHtml and lands
 * in text only; the only attributes are fixed class names, rowspan/colspan and data-line
 * numbers. The export is a self-contained file: one inline <style> allowed by its hash in the
 * CSP, no scripts, nothing fetched.
 */

export interface RenderOptions {
  /** Draw the 按单位 view (one section per unit: what it leads, what it joins, with counts) instead of the tables. */
  byUnit?: UnitSection[];
}

/** Where the markup goes: the preview's rows carry `data-line` for the client's click and scroll. */
interface Target {
  lines: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: & < > " ' escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Escaped text with its line breaks (落实举措 are joined by '\n') drawn as <br>. */
function multiline(text: string): string {
  return text.split(/\r\n|\r|\n/).map(escapeHtml).join('<br>');
}

/** A numeric attribute, written only when it is a whole number (and, for spans, above 1). */
function spanAttr(name: 'rowspan' | 'colspan', n: number): string {
  return Number.isInteger(n) && n > 1 ? ` ${name}="${n}"` : '';
}

/** `data-line` (0-based editor line) for the preview; nothing in the export. */
function lineAttr(line: number, target: Target): string {
  return target.lines && Number.isInteger(line) && line >= 1 ? ` data-line="${line - 1}"` : '';
}

// ---- the notice ----

const BODY_TAG: Record<BodyBlock['kind'], string> = { h1: 'h2', h2: 'h3', h3: 'h4', p: 'p' };

function renderBodyBlock(block: BodyBlock): string {
  const tag = BODY_TAG[block.kind];
  return `<${tag} class="b-${block.kind}">${multiline(block.text)}</${tag}>`;
}

/** 署名 and 成文日期, right-aligned, the signature centred over the date (GB/T 9704 §7.3.5). */
function renderClosing(notice: NoticeParts): string {
  // Without 署名, the 发文机关 signs.
  const signature = notice.signature ?? notice.issuer;
  const parts: string[] = [];
  if (signature) parts.push(`<p class="doc-signature">${escapeHtml(signature)}</p>`);
  if (notice.date) parts.push(`<p class="doc-date">${escapeHtml(notice.date)}</p>`);
  if (parts.length === 0) return '';
  return `<div class="doc-closing"><div class="doc-closing-inner">${parts.join('')}</div></div>`;
}

function renderNotice(view: DocumentView): string {
  const { notice } = view;
  const out: string[] = ['<section class="notice">'];
  if (notice.number) out.push(`<p class="doc-number">${escapeHtml(notice.number)}</p>`);
  if (notice.title) out.push(`<h1 class="doc-title">${multiline(notice.title)}</h1>`);
  if (notice.to) out.push(`<p class="doc-to">${escapeHtml(notice.to)}：</p>`);
  for (const block of view.body) out.push(renderBodyBlock(block));
  out.push(renderClosing(notice));
  if (notice.note) out.push(`<p class="doc-note">${escapeHtml(notice.note)}</p>`);
  out.push('</section>');
  return out.join('\n');
}

// ---- tables ----

/** A table's columns: a <col> each (class by column kind, for widths) and the header row. */
function renderHead(columns: { key: string; label: string }[]): string {
  const cols = columns.map((c) => `<col class="c-${c.key}">`).join('');
  const ths = columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join('');
  return `<colgroup>${cols}</colgroup>\n<thead><tr>${ths}</tr></thead>`;
}

/** Columns whose cells are centred: short values. */
const CENTRED = new Set<string>(['number', 'deadline']);

function renderCell(cell: Cell, columns: Column[]): string {
  const classes: string[] = [];
  if (CENTRED.has(columns[cell.column]?.key ?? '') && cell.colspan === 1) classes.push('center');
  if (cell.missing) classes.push('missing');
  const cls = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
  const mark = cell.missing ? '<span class="missing-mark">待填</span>' : '';
  return `<td${cls}${spanAttr('rowspan', cell.rowspan)}${spanAttr('colspan', cell.colspan)}>${multiline(cell.text)}${mark}</td>`;
}

function renderEmptyBody(columns: number, text: string): string {
  return `<tbody><tr class="empty"><td${spanAttr('colspan', columns)}>${escapeHtml(text)}</td></tr></tbody>`;
}

function renderTable(table: Table, target: Target): string {
  const out: string[] = ['<section class="attachment">'];
  if (table.label) out.push(`<p class="att-label">${escapeHtml(table.label)}</p>`);
  out.push(`<h2 class="att-title">${multiline(table.title)}</h2>`);
  out.push('<table class="tasks">', renderHead(table.columns));
  if (table.rows.length === 0) {
    out.push(renderEmptyBody(table.columns.length, '（暂无任务）'));
  } else {
    out.push('<tbody>');
    for (const row of table.rows) {
      const cells = row.cells.map((c) => renderCell(c, table.columns)).join('');
      out.push(`<tr${lineAttr(row.line, target)}>${cells}</tr>`);
    }
    out.push('</tbody>');
  }
  out.push('</table>', '</section>');
  return out.join('\n');
}

// ---- the 按单位 view ----

function renderUnitTasks(heading: string, tasks: UnitTask[], columns: UnitColumn[], target: Target): string {
  const out: string[] = [`<h3 class="unit-part">${escapeHtml(heading)}</h3>`];
  if (tasks.length === 0) {
    out.push('<p class="none">无</p>');
    return out.join('\n');
  }
  out.push('<table class="tasks">', renderHead(columns), '<tbody>');
  for (const t of tasks) {
    const cells = columns.map((c) => `<td${CENTRED.has(c.key) ? ' class="center"' : ''}>${multiline(c.value(t))}</td>`).join('');
    out.push(`<tr${lineAttr(t.line, target)}>${cells}</tr>`);
  }
  out.push('</tbody>', '</table>');
  return out.join('\n');
}

function renderUnit(unit: UnitSection, columns: UnitColumn[], target: Target): string {
  return [
    '<section class="unit">',
    `<h2 class="unit-name">${escapeHtml(unitHeading(unit))}</h2>`,
    ...unitParts(unit).map(([heading, tasks]) => renderUnitTasks(heading, tasks, columns, target)),
    '</section>',
  ].join('\n');
}

// ---- the whole ----

/** The document's markup: a single `.fenjie` element holding the notice, then the tables or the units. */
function renderContent(view: DocumentView, options: RenderOptions, target: Target): string {
  const out: string[] = ['<div class="fenjie">'];
  if (hasNotice(view)) out.push(renderNotice(view));
  if (options.byUnit) {
    const columns = unitColumns(options.byUnit);
    for (const unit of options.byUnit) out.push(renderUnit(unit, columns, target));
    if (options.byUnit.length === 0) out.push('<p class="empty">文档中没有列出任何单位。</p>');
  } else {
    for (const table of view.tables) out.push(renderTable(table, target));
    if (view.tables.length === 0 && !hasNotice(view)) out.push('<p class="empty">文档中还没有任务。</p>');
  }
  out.push('</div>');
  return out.join('\n');
}

/** The title of the exported page: the notice's title, else the first table's. */
function documentTitle(view: DocumentView, options: RenderOptions): string {
  const title = view.notice.title ?? view.tables[0]?.title ?? '任务分解表';
  return options.byUnit ? `${title}（按单位）` : title;
}

/** The CSP source for an inline <style> whose text is exactly `css`. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** One self-contained printable HTML file (no network access at all, no scripts). */
export function renderHtmlDocument(view: DocumentView, options: RenderOptions = {}): string {
  const csp = `default-src 'none'; style-src ${styleHash(EXPORT_CSS)}`;
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeHtml(documentTitle(view, options).replace(/\s+/g, ' '))}</title>`,
    `<style>${EXPORT_CSS}</style>`,
    '</head>',
    '<body>',
    renderContent(view, options, { lines: false }),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The preview's content: body markup and CSS; the VS Code webview wraps them in its own page with its own CSP and nonce. */
export function renderPreview(view: DocumentView, options: RenderOptions = {}): { html: string; css: string } {
  return { html: renderContent(view, options, { lines: true }), css: PREVIEW_CSS };
}
