import { DocumentSymbol, FoldingRange, SymbolKind, type Range } from 'vscode-languageserver-types';
import type { Breakdown, Category, DocumentModel, Task } from '../engine/index.ts';
import type { ServiceDocument } from './types.ts';
import { trimEnd } from './locate.ts';

/*
 * The outline (breakdown → categories → tasks) and folding ranges of a document. A symbol's
 * range is the whole extent of what it names, without the blank lines that follow it, so
 * that the outline follows the cursor to the right task and nests as the document does.
 */

const TASK_TEXT_MAX = 40;

/** Clips to `max` characters, counting a surrogate pair (𠮷, emoji) as one and never splitting it. */
function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max).join('')}……` : s;
}

function breakdownName(bd: Breakdown): string {
  if (bd.label) return bd.title ? `${bd.label}：${bd.title}` : bd.label;
  return bd.title || '任务分解表';
}

/** Where each category's section ends: before the next heading of the same or a higher level. */
function categoryExtents(model: DocumentModel, bd: Breakdown): Map<Category, number> {
  const out = new Map<Category, number>();
  const all = bd.allCategories;
  all.forEach((c, i) => {
    let end = bd.end;
    for (let k = i + 1; k < all.length; k++) {
      const next = all[k] as Category;
      if (next.level <= c.level) {
        end = next.start;
        break;
      }
    }
    out.set(c, trimEnd(model.text, c.start, end));
  });
  return out;
}

/** The offsets of the level-1 heading that titles a breakdown without a 附件 heading. */
function titleHeading(model: DocumentModel, bd: Breakdown): { start: number; end: number } | undefined {
  if (bd.heading) return bd.heading;
  for (const n of model.root.children) {
    if (n.type !== 'heading' || n.depth !== 1) continue;
    const start = (n.position?.start.offset ?? 0) + (model.bases.get(n) ?? 0) + model.shift;
    const end = (n.position?.end.offset ?? 0) + (model.bases.get(n) ?? 0) + model.shift;
    if (start >= bd.start && end <= bd.end) return { start, end };
  }
  return undefined;
}

/** A heading's text, without its `#` marks and closing sequence (a Setext heading: its first line). */
function headingTextRange(model: DocumentModel, start: number, end: number): Range {
  end = Math.min(end, model.lines.lineEnd(model.lines.position(start).line));
  const line = model.text.slice(start, end);
  const open = /^[ \t]{0,3}#{1,6}[ \t]*/.exec(line)?.[0].length ?? 0;
  const close = closingSequence(line, open);
  const textEnd = close === undefined ? end : start + close;
  return textEnd > start + open ? model.lines.range(start + open, textEnd) : model.lines.range(start, end);
}

/**
 * Where an ATX heading's closing sequence (spaces, `#`s, spaces) or its trailing spaces
 * begin in `line`, not before `from`; undefined when there are none. Read back from the
 * end, once: as a regular expression searched from every space (`/[ \t]+#+[ \t]*$|[ \t]+$/`)
 * a heading with 80,000 spaces inside took seconds.
 */
function closingSequence(line: string, from: number): number | undefined {
  const space = (i: number): boolean => line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9;
  let i = line.length;
  while (i > from && space(i - 1)) i--;
  const trailing = i;
  while (i > from && line.charCodeAt(i - 1) === 35) i--;
  if (i < trailing && i > from && space(i - 1)) {
    // `# 标题 ##`: the spaces before the `#`s start the closing sequence.
    while (i > from && space(i - 1)) i--;
    return i;
  }
  return trailing < line.length ? trailing : undefined;
}

function taskSymbol(model: DocumentModel, task: Task): DocumentSymbol {
  const end = trimEnd(model.text, task.start, task.end);
  const range = model.lines.range(task.start, end);
  const firstLine = model.lines.position(task.start).line;
  const selection = task.textEnd > task.textStart ? model.lines.range(task.textStart, task.textEnd) : model.lines.range(task.start, Math.min(end, model.lines.lineEnd(firstLine)));
  const name = `${task.number}. ${task.text ? clip(task.text, TASK_TEXT_MAX) : '（未写任务）'}`;
  const leads = task.lead.map((u) => u.name).join('、');
  return DocumentSymbol.create(name, leads || undefined, SymbolKind.Event, range, selection, []);
}

/** Breakdowns (Module) → categories (Namespace, nested by level) → tasks (Event); a notice's body first. */
export function provideDocumentSymbols(doc: ServiceDocument): DocumentSymbol[] {
  const model = doc.analysis.model;
  const lines = model.lines;
  const out: DocumentSymbol[] = [];
  if (model.body) {
    const end = trimEnd(model.text, model.body.start, model.body.end);
    const first = lines.position(model.body.start).line;
    const range = lines.range(model.body.start, end);
    out.push(DocumentSymbol.create('正文', undefined, SymbolKind.String, range, lines.range(model.body.start, Math.min(end, lines.lineEnd(first))), []));
  }
  for (const bd of model.breakdowns) {
    if (!bd.tasks.length && !bd.allCategories.length && !bd.title && !bd.label) continue;
    const extents = categoryExtents(model, bd);
    const start = bd.heading?.start ?? bd.start;
    const end = trimEnd(model.text, start, bd.end);
    const heading = titleHeading(model, bd);
    const firstLine = lines.position(start).line;
    const selection = heading ? headingTextRange(model, heading.start, heading.end) : lines.range(start, Math.min(end, lines.lineEnd(firstLine)));
    const top = DocumentSymbol.create(breakdownName(bd), undefined, SymbolKind.Module, lines.range(start, end), selection, []);
    // Children in document order: a category's own tasks may come before or after its subcategories.
    const kids = new Map<Category | undefined, { at: number; symbol: DocumentSymbol }[]>();
    const push = (parent: Category | undefined, at: number, symbol: DocumentSymbol): void => {
      let list = kids.get(parent);
      if (!list) kids.set(parent, (list = []));
      list.push({ at, symbol });
    };
    const symbols = new Map<Category, DocumentSymbol>();
    for (const c of bd.allCategories) {
      const range = lines.range(c.start, extents.get(c) ?? c.end);
      const selection = c.textEnd > c.textStart ? lines.range(c.textStart, c.textEnd) : headingTextRange(model, c.start, c.end);
      const s = DocumentSymbol.create(c.title || '（无标题）', undefined, SymbolKind.Namespace, range, selection, []);
      symbols.set(c, s);
      push(c.parent, c.start, s);
    }
    for (const t of bd.tasks) push(t.categories[t.categories.length - 1], t.start, taskSymbol(model, t));
    for (const [parent, list] of kids) {
      list.sort((a, b) => a.at - b.at);
      const into = parent ? symbols.get(parent) : top;
      if (into) into.children = list.map((k) => k.symbol);
    }
    out.push(top);
  }
  return out;
}

/**
 * Folding: the front matter, each breakdown, each category and each heading of a notice's
 * body (to the last non-blank line before the next heading of the same or a higher level,
 * as VS Code folds Markdown), and each task that spans more than one line.
 */
export function provideFoldingRanges(doc: ServiceDocument): FoldingRange[] {
  const model = doc.analysis.model;
  const lines = model.lines;
  const byStart = new Map<number, FoldingRange>();
  const fold = (start: number, end: number): void => {
    const startLine = lines.position(start).line;
    const endLine = lines.position(trimEnd(model.text, start, end)).line;
    if (endLine <= startLine) return;
    // One range per start line (a client keeps one anyway): the widest.
    const prev = byStart.get(startLine);
    if (!prev || prev.endLine < endLine) byStart.set(startLine, FoldingRange.create(startLine, endLine));
  };
  if (model.frontMatter) fold(model.frontMatter.start, model.frontMatter.end);
  if (model.body) {
    const headings = model.root.children
      .filter((n) => n.type === 'heading')
      .map((n) => ({ depth: n.type === 'heading' ? n.depth : 0, start: (n.position?.start.offset ?? 0) + (model.bases.get(n) ?? 0) + model.shift }))
      .filter((h) => h.start >= (model.body?.start ?? 0) && h.start < (model.body?.end ?? 0));
    headings.forEach((h, i) => {
      const next = headings.slice(i + 1).find((k) => k.depth <= h.depth);
      fold(h.start, next ? next.start : (model.body?.end ?? h.start));
    });
  }
  for (const bd of model.breakdowns) {
    if (!bd.tasks.length && !bd.allCategories.length && !bd.title && !bd.label) continue;
    // A breakdown without a title heading has no line of its own to fold from.
    const heading = titleHeading(model, bd);
    if (heading) fold(heading.start, bd.end);
    for (const [c, end] of categoryExtents(model, bd)) fold(c.start, end);
    for (const t of bd.tasks) fold(t.start, t.end);
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
