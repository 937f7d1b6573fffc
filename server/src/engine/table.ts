import type { RootContent } from 'mdast';
import type { Breakdown, Category, DocumentModel, Task } from './model.ts';
import { readLabel } from './model.ts';
import { FIELD_LABEL } from './fields.ts';
import { walkTree } from './segment.ts';
import { cnDate } from './deadline.ts';
import type { FieldKey } from './types.ts';

/*
 * The official table (spec §8) and the notice around it, as plain data: the one thing the
 * preview, and the HTML, Word and Excel exports draw. Nothing here knows how it is drawn.
 */

export type ColumnKey = 'number' | 'category' | 'task' | 'measures' | 'lead' | 'responsible' | 'cooperating' | 'deadline' | 'note';

export interface Column {
  key: ColumnKey;
  /** The header text: 序号, 一级类别, 重点任务, 牵头单位, … */
  label: string;
  /** For category columns: 0 for the shallowest level present. */
  level?: number;
}

export interface Cell {
  /** Index of the column the cell starts in. */
  column: number;
  /** Plain text; paragraphs (落实举措) separated by '\n'. */
  text: string;
  rowspan: number;
  colspan: number;
  /** A required field the task lacks: drawn as a marked empty cell. */
  missing?: boolean;
}

export interface Row {
  /** 序号, 1..N through the table. */
  number: number;
  /** Offsets of the task in the document, and its first line (1-based): where a click leads. */
  start: number;
  end: number;
  line: number;
  /** Only the cells that start in this row; positions covered by a merge from above or the left hold none. */
  cells: Cell[];
}

export interface Table {
  /** 附件1, when the breakdown is a notice's attachment. */
  label?: string;
  title: string;
  columns: Column[];
  rows: Row[];
}

/** A block of the notice's body, classed by its number label as the official styles do. */
export interface BodyBlock {
  /** h1: 一、 (黑体); h2: （一） (楷体); h3: 1. or （1）; p: any other paragraph. */
  kind: 'h1' | 'h2' | 'h3' | 'p';
  text: string;
  start: number;
  line: number;
}

/** The notice's parts (spec §1), as written; 成文日期 as `2020年9月30日`. */
export interface NoticeParts {
  issuer?: string;
  number?: string;
  title?: string;
  to?: string;
  date?: string;
  signature?: string;
  note?: string;
}

export interface DocumentView {
  notice: NoticeParts;
  /** The body (正文) of a notice; empty for a document that is only a breakdown. */
  body: BodyBlock[];
  tables: Table[];
}

const LEVEL_NAMES = ['一', '二', '三', '四', '五'];

/** Heading levels that hold categories in this breakdown, shallowest first. */
export function categoryLevels(bd: Breakdown): number[] {
  return [...new Set(bd.allCategories.map((c) => c.level))].sort((a, b) => a - b);
}

/**
 * The table's columns (spec §8): 序号, one column per category level present, 重点任务, then
 * each field column that some task fills, and every required field's column (so that what
 * is missing shows).
 */
export function columnsOf(bd: Breakdown, required: readonly FieldKey[] = []): Column[] {
  const levels = categoryLevels(bd);
  const cols: Column[] = [{ key: 'number', label: '序号' }];
  levels.forEach((_, i) => cols.push({ key: 'category', label: levels.length === 1 ? '类别' : `${LEVEL_NAMES[i] ?? i + 1}级类别`, level: i }));
  cols.push({ key: 'task', label: '重点任务' });
  const any = (f: (t: Task) => boolean): boolean => bd.tasks.some(f);
  const need = (k: FieldKey): boolean => required.includes(k);
  if (any((t) => t.measures.length > 0)) cols.push({ key: 'measures', label: '落实举措' });
  if (need('lead') || any((t) => t.lead.length > 0)) cols.push({ key: 'lead', label: FIELD_LABEL.lead });
  if (need('responsible') || any((t) => t.responsible.length > 0)) cols.push({ key: 'responsible', label: FIELD_LABEL.responsible });
  if (need('cooperating') || any((t) => t.cooperating.length > 0)) cols.push({ key: 'cooperating', label: FIELD_LABEL.cooperating });
  if (need('deadline') || any((t) => t.deadline !== undefined)) cols.push({ key: 'deadline', label: FIELD_LABEL.deadline });
  if (need('note') || any((t) => !!t.note)) cols.push({ key: 'note', label: FIELD_LABEL.note });
  return cols;
}

/** What a task puts in a field column, and whether a required value is missing there. */
function fieldCell(t: Task, key: Exclude<ColumnKey, 'number' | 'category' | 'task'>, required: readonly FieldKey[]): { text: string; missing: boolean } {
  let text: string;
  switch (key) {
    case 'measures':
      text = t.measures.join('\n');
      break;
    case 'lead':
    case 'responsible':
    case 'cooperating':
      text = t[key].map((u) => u.name).join('、');
      break;
    case 'deadline':
      text = t.deadline?.text ?? '';
      break;
    case 'note':
      text = t.note ?? '';
      break;
  }
  // A unit named `X牵头` inside 责任单位 is a lead: 责任单位 is not missing then.
  const filled = text !== '' || (key === 'responsible' && t.lead.some((u) => u.leadInResponsible));
  return { text, missing: !filled && key !== 'measures' && required.includes(key) };
}

/** One breakdown as its table: category cells merged down, shallow tasks merged across. */
export function tableOf(model: DocumentModel, bd: Breakdown): Table {
  const required = model.meta.required;
  const columns = columnsOf(bd, required);
  const levels = categoryLevels(bd);
  const firstCategory = 1;
  const taskColumn = firstCategory + levels.length;
  const rows: Row[] = bd.tasks.map((t) => ({ number: t.number, start: t.start, end: t.end, line: model.lines.position(t.start).line + 1, cells: [] }));
  // Each task's category in each level column (undefined: none at that level).
  const at = bd.tasks.map((t) => levels.map((lv) => t.categories.find((c) => c.level === lv)));
  // Columns right of a task's deepest category are empty: its 重点任务 cell spans them.
  const deepest = at.map((cats) => {
    let d = -1;
    cats.forEach((c, i) => c && (d = i));
    return d;
  });
  bd.tasks.forEach((t, r) => {
    const row = rows[r] as Row;
    row.cells.push({ column: 0, text: String(t.number), rowspan: 1, colspan: 1 });
    const cats = at[r] as (Category | undefined)[];
    const last = deepest[r] as number;
    for (let i = 0; i <= last; i++) {
      const c = cats[i];
      const prev = r > 0 ? (at[r - 1] as (Category | undefined)[])[i] : undefined;
      // Merged into the cell above when the row above has the same category here (and reaches this column).
      if (c && prev === c && (deepest[r - 1] as number) >= i) continue;
      let span = 1;
      while (r + span < bd.tasks.length && c && (at[r + span] as (Category | undefined)[])[i] === c && (deepest[r + span] as number) >= i) span++;
      row.cells.push({ column: firstCategory + i, text: c?.title ?? '', rowspan: c ? span : 1, colspan: 1 });
    }
    const from = firstCategory + last + 1;
    row.cells.push({ column: from, text: t.text, rowspan: 1, colspan: taskColumn - from + 1 });
    columns.forEach((col, i) => {
      if (i <= taskColumn) return;
      const { text, missing } = fieldCell(t, col.key as Exclude<ColumnKey, 'number' | 'category' | 'task'>, required);
      row.cells.push({ column: i, text, rowspan: 1, colspan: 1, ...(missing ? { missing } : {}) });
    });
  });
  return { ...(bd.label ? { label: bd.label } : {}), title: bd.title, columns, rows };
}

/** Plain text of a block's inline content. */
function plainText(node: RootContent): string {
  let out = '';
  const visit = (n: { type: string; value?: unknown; children?: unknown[] }): void => {
    // Inline HTML is shown as the text it is (escaped by whoever draws it), never dropped.
    if (n.type === 'text' || n.type === 'inlineCode' || n.type === 'html') out += String(n.value ?? '');
    else if (n.type === 'break') out += '\n';
    for (const c of n.children ?? []) visit(c as { type: string });
  };
  visit(node as { type: string });
  return out;
}

/** The body's blocks: headings and paragraphs, list items as paragraphs, in order. */
function bodyBlocks(model: DocumentModel): BodyBlock[] {
  const out: BodyBlock[] = [];
  if (!model.body) return out;
  const { start: from, end: to } = model.body;
  walkTree(model.root, model.bases, model.shift, (node, start, end) => {
    if (end <= from || start >= to) return false;
    if (node.type === 'heading' || node.type === 'paragraph' || node.type === 'code' || node.type === 'html' || node.type === 'table') {
      const text = node.type === 'code' || node.type === 'html' ? String((node as { value?: unknown }).value ?? '') : plainText(node as RootContent).replace(/[ \t]*\n[ \t]*/g, node.type === 'table' ? ' ' : '');
      if (text.trim() === '') return false;
      const label = readLabel(text, 0);
      const kind: BodyBlock['kind'] = label?.style === 'cn-dun' ? 'h1' : label?.style === 'cn-paren' ? 'h2' : label && node.type === 'heading' ? 'h3' : 'p';
      out.push({ kind, text: text.trim(), start, line: model.lines.position(start).line + 1 });
      return false;
    }
    return true;
  });
  return out;
}

/**
 * Whether the document has a notice to draw above its tables: a body or any notice part. A
 * title alone that only repeats the first table's is a breakdown's, not a notice's.
 */
export function hasNotice(view: DocumentView): boolean {
  const n = view.notice;
  if (view.body.length > 0 || n.issuer || n.number || n.to || n.date || n.signature || n.note) return true;
  return !!n.title && n.title !== view.tables[0]?.title;
}

/** The whole document as it is drawn: the notice's parts and body, then each breakdown's table. */
export function documentView(model: DocumentModel): DocumentView {
  const m = model.meta;
  const body = bodyBlocks(model);
  const notice: NoticeParts = {};
  if (m.issuer) notice.issuer = m.issuer;
  if (m.number) notice.number = m.number;
  if (m.to) notice.to = m.to;
  if (m.signature) notice.signature = m.signature;
  if (m.note) notice.note = m.note;
  if (m.date) notice.date = cnDate(m.date);
  // Without 标题 in the front matter, a notice's first level-1 heading is its title.
  let title = m.title;
  if (!title && model.isNotice && body[0]) {
    const first = body[0];
    const node = model.root.children.find((n) => n.type === 'heading' && n.depth === 1);
    if (node && plainText(node).trim() === first.text) {
      title = first.text;
      body.shift();
    }
  }
  if (title) notice.title = title;
  return { notice, body, tables: model.breakdowns.filter((bd) => bd.tasks.length > 0 || model.isNotice).map((bd) => tableOf(model, bd)) };
}

/** A task as a unit's section lists it. */
export interface UnitTask {
  number: number;
  /** 附件1 or the table's title, for documents with several tables. */
  table: string;
  categories: string[];
  task: string;
  lead: string;
  responsible: string;
  deadline: string;
  start: number;
  line: number;
}

export interface UnitSection {
  /** The unit's full name (an alias counts for the unit it names). */
  name: string;
  /** Tasks it leads (牵头), and tasks it joins (责任 or 配合) without leading. */
  leads: UnitTask[];
  joins: UnitTask[];
}

/**
 * The 按单位 view: for each unit named in the document, the tasks it leads and those it
 * joins, units in order of first appearance.
 */
export function unitSections(model: DocumentModel): UnitSection[] {
  const byName = new Map<string, UnitSection>();
  const section = (name: string): UnitSection => {
    let s = byName.get(name);
    if (!s) byName.set(name, (s = { name, leads: [], joins: [] }));
    return s;
  };
  for (const bd of model.breakdowns) {
    for (const t of bd.tasks) {
      const item: UnitTask = {
        number: t.number,
        table: bd.label ?? bd.title,
        categories: t.categories.map((c) => c.title),
        task: t.text,
        lead: t.lead.map((u) => u.name).join('、'),
        responsible: t.responsible.map((u) => u.name).join('、'),
        deadline: t.deadline?.text ?? '',
        start: t.start,
        line: model.lines.position(t.start).line + 1,
      };
      const leads = new Set(t.lead.map((u) => u.canonical));
      for (const name of leads) section(name).leads.push(item);
      const joins = new Set([...t.responsible, ...t.cooperating].map((u) => u.canonical).filter((n) => !leads.has(n)));
      for (const name of joins) section(name).joins.push(item);
    }
  }
  return [...byName.values()];
}

/** A column of a unit's task tables (按单位), the same in HTML, Word and Excel. */
export interface UnitColumn {
  key: 'number' | 'table' | 'task' | 'lead' | 'responsible' | 'deadline';
  label: string;
  value: (t: UnitTask) => string;
}

/**
 * The columns of the 按单位 tables: 序号 (the task's number in its own table), 所在表 when the
 * units' tasks come from more than one table, 重点任务, 牵头单位, 责任单位, 完成时限.
 */
export function unitColumns(units: UnitSection[]): UnitColumn[] {
  const tables = new Set(units.flatMap((u) => [...u.leads, ...u.joins].map((t) => t.table)));
  return [
    { key: 'number', label: '序号', value: (t) => String(t.number) },
    ...(tables.size > 1 ? [{ key: 'table' as const, label: '所在表', value: (t: UnitTask) => t.table }] : []),
    { key: 'task', label: '重点任务', value: (t) => t.task },
    { key: 'lead', label: '牵头单位', value: (t) => t.lead },
    { key: 'responsible', label: '责任单位', value: (t) => t.responsible },
    { key: 'deadline', label: '完成时限', value: (t) => t.deadline },
  ];
}

/** A unit's heading: `市财政局（牵头 3 项，参与 5 项）`. */
export function unitHeading(u: UnitSection): string {
  return `${u.name}（牵头 ${u.leads.length} 项，参与 ${u.joins.length} 项）`;
}

/** The two parts of a unit's section, in order; an empty one shows 无. */
export function unitParts(u: UnitSection): Array<[heading: string, tasks: UnitTask[]]> {
  return [
    ['牵头的任务', u.leads],
    ['参与的任务', u.joins],
  ];
}
