import type { Heading, List, ListItem, Root, RootContent } from 'mdast';
import { parseInPieces, textChange, type PieceCache } from './segment.ts';
import { detach, LineIndex } from './text.ts';
import { matchFieldHead, matchTrailingParen, parseInlineFields } from './fields.ts';
import { readMeta, type Meta } from './frontmatter.ts';
import type { YamlProblem } from './yamlsource.ts';
import type { FieldKey } from './types.ts';
import type { ParsedDeadline } from './deadline.ts';
import { forgetLink } from './link.ts';

/*
 * The fenjie model: what a document in the dialect means (spec §1-§4), with the offsets
 * (UTF-16, into the document text) of everything a diagnostic or an edit may point at.
 */

export interface Span {
  start: number;
  end: number;
}

export interface FieldOccurrence extends Span {
  key: FieldKey;
  /** The field name as written (牵头, 牵头单位, …). */
  name: string;
  colon: string;
  /** line: a line of the item's text; item: a nested list item; inline: inside `（…）`. */
  form: 'line' | 'item' | 'inline';
  valueStart: number;
  valueEnd: number;
  /** The value as written, white space folded. */
  value: string;
}

export type NumberStyle = 'cn-dun' | 'cn-paren' | 'num-dot' | 'num-paren';

export interface NumberLabel extends Span {
  style: NumberStyle;
  value: number;
  /** Offsets of the number itself inside the label. */
  numStart: number;
  numEnd: number;
}

export interface Category extends Span {
  /** Heading level, 2 to 6. */
  level: number;
  /** The heading text as shown (label included). */
  title: string;
  label?: NumberLabel;
  parent?: Category;
  children: Category[];
  /** Offsets of the heading's text. */
  textStart: number;
  textEnd: number;
}

export interface UnitRef extends Span {
  name: string;
  role: 'lead' | 'responsible' | 'cooperating';
  /** Given as `X牵头` inside 责任单位. */
  leadInResponsible: boolean;
  field: FieldOccurrence;
  /** Resolved by the directory, or by form for collective names. */
  known?: 'unit' | 'alias' | 'collective';
  collective: boolean;
  /** Full name: the directory's name for an alias, else the name itself. */
  canonical: string;
}

export interface Deadline extends Span {
  text: string;
  parsed?: ParsedDeadline;
  field: FieldOccurrence;
}

export interface Task extends Span {
  /** 序号: 1..N through the breakdown. */
  number: number;
  /** The number of an ordered list item as written. */
  listNumber?: { value: number; start: number; end: number };
  /** 重点任务: the item's first line, without a trailing field parenthesis. */
  text: string;
  textStart: number;
  textEnd: number;
  /** 落实举措: the item's other text, a paragraph each. */
  measures: string[];
  fields: FieldOccurrence[];
  /** The `（…）` of the inline form, when used. */
  inlineParens: Span[];
  categories: Category[];
  /** Filled in when linked to a directory. */
  lead: UnitRef[];
  responsible: UnitRef[];
  cooperating: UnitRef[];
  deadline?: Deadline;
  note?: string;
  /** Indentation of the item's content, for edits that add field lines. */
  contentIndent: string;
}

export interface OrderedList {
  start: number;
  tasks: Task[];
}

export interface Breakdown extends Span {
  title: string;
  /** `附件1` of a notice's attachment heading. */
  label?: string;
  heading?: Span;
  categories: Category[];
  allCategories: Category[];
  tasks: Task[];
  orderedLists: OrderedList[];
  /** Text blocks that are neither categories nor tasks (an introduction, a closing note). */
  blocks: Array<Span & { category?: Category }>;
}

export interface FrontMatter extends Span {
  contentStart: number;
  contentEnd: number;
}

export interface DocumentModel {
  text: string;
  lines: LineIndex;
  root: Root;
  meta: Meta;
  /** Front matter problems, offsets in the document. */
  metaProblems: YamlProblem[];
  metaKeyRanges: Partial<Record<string, [number, number]>>;
  frontMatter?: FrontMatter;
  isNotice: boolean;
  /** The notice's body (正文), before the first 附件 heading. */
  body?: Span;
  bodyBlocks: Span[];
  breakdowns: Breakdown[];
  /** Headings and their labels, for the numbering rule, grouped by parent. */
  headingGroups: Category[][];
  /** Set when the Markdown could not be read at all (nesting beyond the parser's stack). */
  parseFailure?: string;
  /** Offset of the line that made parsing fail, when known. */
  parseFailureAt?: number;
  /** Offset added to every mdast offset: 1 when the text starts with a BOM. */
  shift: number;
  /** Where each piece's positions count from (segment.ts); walk the tree with walkTree. */
  bases: WeakMap<object, number>;
}

const CN_DIGITS = '零一二三四五六七八九';

/** Reads 一 .. 九十九 (enough for any heading sequence). */
export function chineseNumber(s: string): number | undefined {
  if (!/^[零一二三四五六七八九十百]+$/.test(s)) return undefined;
  if (s.includes('百')) {
    const [h, rest] = s.split('百') as [string, string];
    const hv = h === '' ? 1 : chineseNumber(h);
    const rv = rest === '' ? 0 : chineseNumber(rest.replace(/^零/, ''));
    return hv === undefined || rv === undefined ? undefined : hv * 100 + rv;
  }
  const i = s.indexOf('十');
  if (i < 0) return s.length === 1 ? CN_DIGITS.indexOf(s) : undefined;
  const tens = i === 0 ? 1 : CN_DIGITS.indexOf(s.slice(0, i));
  const ones = s.length > i + 1 ? CN_DIGITS.indexOf(s.slice(i + 1)) : 0;
  if (tens <= 0 || ones < 0 || s.length - i > 2) return undefined;
  return tens * 10 + ones;
}

export function toChineseNumber(n: number): string {
  if (n <= 0) return String(n);
  if (n < 10) return CN_DIGITS[n] as string;
  if (n < 20) return '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  const rest = n % 100;
  return CN_DIGITS[Math.floor(n / 100)] + '百' + (rest === 0 ? '' : rest < 10 ? '零' + CN_DIGITS[rest] : rest < 20 ? '一' + toChineseNumber(rest) : toChineseNumber(rest));
}

const LABELS: Array<{ style: NumberStyle; re: RegExp; cn: boolean }> = [
  { style: 'cn-dun', re: /^([零一二三四五六七八九十百]+)、/, cn: true },
  { style: 'cn-paren', re: /^[（(]([零一二三四五六七八九十百]+)[）)]/, cn: true },
  { style: 'num-dot', re: /^(\d{1,4})(?:[.．、](?!\d))/, cn: false },
  { style: 'num-paren', re: /^[（(](\d{1,4})[）)]/, cn: false },
];

/** A heading's number label (一、 （一） 1. （1）), kept as text and checked for sequence. */
export function readLabel(text: string, offset: number): NumberLabel | undefined {
  for (const l of LABELS) {
    const m = l.re.exec(text);
    if (!m) continue;
    const digits = m[1] as string;
    const value = l.cn ? chineseNumber(digits) : Number(digits);
    if (value === undefined) continue;
    const numStart = offset + m[0].indexOf(digits);
    return { style: l.style, value, start: offset, end: offset + m[0].length, numStart, numEnd: numStart + digits.length };
  }
  return undefined;
}

export function formatLabelNumber(style: NumberStyle, n: number): string {
  return style === 'cn-dun' || style === 'cn-paren' ? toChineseNumber(n) : String(n);
}

const ATTACHMENT = /^附件\s*([0-9０-９一二三四五六七八九十]*)\s*(?:[：:]\s*)?/;

/** Deeper than any real breakdown (spec: five category levels, lists a few levels deep). */
export const MAX_NESTING = 32;

/**
 * Offset of the first line whose containers (block quotes, list markers, or indentation
 * worth that many nested lists) go deeper than MAX_NESTING; -1 if none does.
 */
export function findDeepNesting(text: string): number {
  const n = text.length;
  let at = 0;
  while (at < n) {
    const lineStart = at;
    let depth = 0;
    let indent = 0;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 32) {
        indent++;
        at++;
      } else if (c === 9) {
        indent += 4;
        at++;
      } else if (c === 62) {
        depth++;
        at++;
      } else if ((c === 45 || c === 42 || c === 43) && (text.charCodeAt(at + 1) === 32 || text.charCodeAt(at + 1) === 9)) {
        depth++;
        at += 2;
      } else if (c >= 48 && c <= 57) {
        let k = at;
        while (k < n && k - at < 9 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
        const m = text.charCodeAt(k);
        if ((m === 46 || m === 41) && (text.charCodeAt(k + 1) === 32 || text.charCodeAt(k + 1) === 9)) {
          depth++;
          at = k + 2;
        } else break;
      } else break;
      if (depth > MAX_NESTING || indent > MAX_NESTING * 8) {
        // Once per line: asked again at every further character, a line of 80,000 spaces took minutes.
        if (!harmlessLine(text, lineStart)) return lineStart;
        break;
      }
    }
    while (at < n) {
      const c = text.charCodeAt(at++);
      if (c === 10) break;
      if (c === 13) {
        if (text.charCodeAt(at) === 10) at++;
        break;
      }
    }
  }
  return -1;
}

/** The same, for a text with no such line outside the lines that hold `from`..`to`. */
function deepNestingNear(text: string, from: number, to: number): number {
  let lo = from;
  while (lo > 0 && text.charCodeAt(lo - 1) !== 10 && text.charCodeAt(lo - 1) !== 13) lo--;
  let hi = to;
  while (hi < text.length && text.charCodeAt(hi) !== 10 && text.charCodeAt(hi) !== 13) hi++;
  const at = findDeepNesting(text.slice(lo, hi));
  return at < 0 ? -1 : lo + at;
}

/** A line of only white space, or a rule (`- - - -`): long prefixes there nest nothing. */
function harmlessLine(text: string, start: number): boolean {
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  const line = text.slice(start, end);
  return /^[ \t]*$/.test(line) || /^[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(line);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0x3000;
}

/** One line of a block, with its offsets in the document (indentation removed). */
interface SourceLine {
  start: number;
  end: number;
  text: string;
}

class Builder {
  readonly lines: LineIndex;
  readonly model: DocumentModel;
  private shift = 0;
  /** The base of the piece being read (see s()). */
  private base = 0;
  /** The task a mis-indented field item (`- 牵头单位：…` at the left margin) belongs to. */
  private lastTask: Task | undefined;

  constructor(
    readonly text: string,
    private readonly pieceCache?: PieceCache,
  ) {
    // An editor's next version: only the lines the edit touched are read again.
    const read = pieceCache?.read;
    const change = read && read.text !== text ? textChange(read.text, text) : undefined;
    this.lines = read && read.text === text ? read.lines : change && read ? LineIndex.edited(read.lines, text, change.p, change.q) : new LineIndex(text);
    this.shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let root: Root = { type: 'root', children: [] };
    let bases = new WeakMap<object, number>();
    let parseFailure: string | undefined;
    let failureAt: number | undefined;
    const deep = read && read.text === text ? read.deep : change && read && read.deep < 0 ? deepNestingNear(text, change.p, text.length - change.q) : findDeepNesting(text);
    if (pieceCache) pieceCache.read = { text, lines: this.lines, deep };
    try {
      // The parser slows down sharply with nesting depth (seconds for a few hundred levels),
      // so a document nested beyond any real breakdown is not handed to it at all.
      if (deep >= 0) {
        parseFailure = 'nesting';
        failureAt = deep;
      } else ({ root, bases } = parseInPieces(this.shift ? text.slice(1) : text, pieceCache));
    } catch (e) {
      // The parser recurses per nesting level; thousands of nested containers exhaust the
      // stack. The document is then read as having no structure, and a diagnostic says why.
      root = { type: 'root', children: [] };
      parseFailure = e instanceof RangeError ? 'nesting' : 'parser';
    }
    this.model = {
      text,
      lines: this.lines,
      root,
      meta: { required: ['lead', 'deadline'] },
      metaProblems: [],
      metaKeyRanges: {},
      isNotice: false,
      bodyBlocks: [],
      breakdowns: [],
      headingGroups: [],
      shift: this.shift,
      bases,
      ...(parseFailure ? { parseFailure } : {}),
      ...(failureAt !== undefined ? { parseFailureAt: failureAt } : {}),
    };
  }

  /**
   * Offsets of a node. Pieces keep their own positions (see segment.ts): a top-level node
   * or a joined list's item sets the base its descendants count from, and the builder
   * always meets such a node before what it holds.
   */
  private s(node: { position?: { start: { offset?: number } } }): number {
    const b = this.model.bases.get(node);
    if (b !== undefined) this.base = b;
    return (node.position?.start.offset ?? 0) + this.base + this.shift;
  }

  private e(node: { position?: { end: { offset?: number } } }): number {
    const b = this.model.bases.get(node);
    if (b !== undefined) this.base = b;
    return (node.position?.end.offset ?? 0) + this.base + this.shift;
  }

  build(): DocumentModel {
    const children = this.model.root.children;
    let i = 0;
    const first = children[0];
    if (first && first.type === 'yaml') {
      this.readFrontMatter(this.s(first), this.e(first));
      i = 1;
    }
    const isAttachment = (n: RootContent): boolean => n.type === 'heading' && n.depth === 1 && ATTACHMENT.test(this.headingText(n).text);
    const firstAttachment = children.findIndex((n, k) => k >= i && isAttachment(n));
    this.model.isNotice = firstAttachment >= 0;
    if (firstAttachment >= 0) {
      if (firstAttachment > i) {
        const from = children[i] as RootContent;
        const to = children[firstAttachment - 1] as RootContent;
        this.model.body = { start: this.s(from), end: this.e(to) };
        for (let k = i; k < firstAttachment; k++) {
          const n = children[k] as RootContent;
          this.model.bodyBlocks.push({ start: this.s(n), end: this.e(n) });
        }
      }
      let k = firstAttachment;
      while (k < children.length) {
        let next = k + 1;
        while (next < children.length && !isAttachment(children[next] as RootContent)) next++;
        this.readBreakdown(children.slice(k, next), true);
        k = next;
      }
    } else {
      this.readBreakdown(children.slice(i), false);
    }
    return this.model;
  }

  private readFrontMatter(start: number, end: number): void {
    const firstLine = this.lines.position(start).line;
    const next = this.lines.starts[firstLine + 1];
    const contentStart = next === undefined || next > end ? end : next;
    // The closing fence is the node's last line.
    let contentEnd = end;
    const lastLine = this.lines.position(end).line;
    const lastStart = this.lines.starts[lastLine] as number;
    if (lastStart > contentStart) contentEnd = lastStart;
    else contentEnd = contentStart;
    this.model.frontMatter = { start, end, contentStart, contentEnd };
    const { meta, problems, keyRanges } = readMeta(this.text.slice(contentStart, contentEnd));
    this.model.meta = meta;
    this.model.metaProblems = problems.map((p) => ({ ...p, start: p.start + contentStart, end: p.end + contentStart }));
    for (const [k, r] of Object.entries(keyRanges)) if (r) this.model.metaKeyRanges[k] = [r[0] + contentStart, r[1] + contentStart];
  }

  headingText(h: Heading): { text: string; start: number; end: number } {
    this.s(h); // its children count from its base
    if (h.children.length === 0) {
      const at = this.e(h);
      return { text: '', start: at, end: at };
    }
    const start = this.s(h.children[0] as RootContent);
    const end = this.e(h.children[h.children.length - 1] as RootContent);
    return { text: this.text.slice(start, end), start, end };
  }

  private readBreakdown(nodes: RootContent[], notice: boolean): void {
    if (nodes.length === 0) {
      if (!notice) this.model.breakdowns.push(emptyBreakdown(0, this.text.length));
      return;
    }
    const bd = emptyBreakdown(this.s(nodes[0] as RootContent), this.e(nodes[nodes.length - 1] as RootContent));
    this.lastTask = undefined;
    let k = 0;
    const head = nodes[0] as RootContent;
    if (notice && head.type === 'heading') {
      const h = this.headingText(head);
      const m = ATTACHMENT.exec(h.text) as RegExpExecArray;
      bd.label = h.text.slice(0, m[0].length).replace(/[\s：:]+$/, '');
      bd.title = h.text.slice(m[0].length).trim();
      bd.heading = { start: this.s(head), end: this.e(head) };
      k = 1;
      // `# 附件1` followed by `# 标题`: the second heading is the title.
      const next = nodes[1];
      if (!bd.title && next && next.type === 'heading' && next.depth === 1) {
        bd.title = this.headingText(next).text.trim();
        k = 2;
      }
    } else if (!notice) {
      const h1 = nodes.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
      if (h1) bd.title = this.headingText(h1).text.trim();
    }
    const stack: Category[] = [];
    const topGroup: Category[] = [];
    this.model.headingGroups.push(topGroup);
    const groups = new Map<Category, Category[]>();
    for (; k < nodes.length; k++) {
      const n = nodes[k] as RootContent;
      if (n.type === 'heading') this.lastTask = undefined;
      if (n.type === 'heading' && n.depth >= 2) {
        while (stack.length && (stack[stack.length - 1] as Category).level >= n.depth) stack.pop();
        const parent = stack[stack.length - 1];
        const h = this.headingText(n);
        const cat: Category = {
          level: n.depth,
          title: h.text.trim(),
          start: this.s(n),
          end: this.e(n),
          textStart: h.start,
          textEnd: h.end,
          children: [],
          ...(parent ? { parent } : {}),
        };
        const label = readLabel(h.text, h.start);
        if (label) cat.label = label;
        if (parent) {
          parent.children.push(cat);
          let g = groups.get(parent);
          if (!g) {
            groups.set(parent, (g = []));
            this.model.headingGroups.push(g);
          }
          g.push(cat);
        } else {
          bd.categories.push(cat);
          topGroup.push(cat);
        }
        bd.allCategories.push(cat);
        stack.push(cat);
      } else if (n.type === 'list') {
        this.readList(n, bd, [...stack]);
      } else if (n.type !== 'heading' || n.depth !== 1 || notice) {
        const cat = stack[stack.length - 1];
        bd.blocks.push({ start: this.s(n), end: this.e(n), ...(cat ? { category: cat } : {}) });
      }
    }
    bd.tasks.forEach((t, idx) => (t.number = idx + 1));
    this.model.breakdowns.push(bd);
  }

  private readList(list: List, bd: Breakdown, categories: Category[]): void {
    const ordered: OrderedList | undefined = list.ordered ? { start: list.start ?? 1, tasks: [] } : undefined;
    this.s(list);
    const cache = this.pieceCache?.tasks;
    for (const item of list.children) {
      const at = this.s(item);
      // An item of a piece parsed before keeps the task read from it then, moved by what the
      // edit added or removed before it: an edit costs the tasks it touched, not all of them.
      let cached = cache?.get(item);
      if (cached && cached.ordered !== !!list.ordered) cached = undefined;
      if (this.lastTask) {
        let fields: FieldOccurrence[] | undefined;
        if (cached) {
          // Kept relative to the item's start.
          if (cached.fieldItem === undefined) cached.fieldItem = this.fieldItem(item)?.map((f) => ownFieldStrings(shiftField(f, -at))) ?? null;
          fields = cached.fieldItem?.map((f) => shiftField(f, at));
        } else fields = this.fieldItem(item);
        if (fields) {
          // A field line at the left margin under a task: the task's field, as its writer meant.
          this.lastTask.fields.push(...fields);
          this.lastTask.end = Math.max(this.lastTask.end, this.e(item));
          forgetLink(this.lastTask);
          continue;
        }
      }
      let task: Task;
      if (cached) {
        task = cached.task;
        if (at !== cached.at) {
          moveTask(task, at - cached.at);
          cached.at = at;
        }
        if (task.fields.length !== cached.ownFields || task.end !== at + cached.ownEnd) {
          // It took in the field items that followed it last time: back to its own.
          task.fields.length = cached.ownFields;
          task.end = at + cached.ownEnd;
          forgetLink(task);
        }
        task.categories = categories;
        task.number = 0;
      } else {
        task = this.readTask(item, categories, !!list.ordered);
        if (cache) {
          ownStrings(task);
          cache.set(item, { at, ordered: !!list.ordered, task, ownFields: task.fields.length, ownEnd: task.end - at });
        }
      }
      this.lastTask = task;
      bd.tasks.push(task);
      ordered?.tasks.push(task);
    }
    if (ordered) bd.orderedLists.push(ordered);
  }

  /** The lines of a block, without the indentation of their container. */
  private blockLines(start: number, end: number): SourceLine[] {
    const out: SourceLine[] = [];
    let lineStart = start;
    const text = this.text;
    while (lineStart <= end) {
      let lineEnd = lineStart;
      while (lineEnd < end) {
        const c = text.charCodeAt(lineEnd);
        if (c === 10 || c === 13) break;
        lineEnd++;
      }
      let a = lineStart;
      while (a < lineEnd && isSpace(text.charCodeAt(a))) a++;
      let b = lineEnd;
      while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
      // A trailing backslash is a hard line break, not text.
      if (b > a && text.charCodeAt(b - 1) === 92) b--;
      out.push({ start: a, end: b, text: text.slice(a, b) });
      if (lineEnd >= end) break;
      lineStart = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
    }
    return out;
  }

  /**
   * The fields of a list item that is only field lines: written at the left margin under a
   * task (the indentation forgotten), they are that task's fields. Undefined for any other item.
   */
  private fieldItem(item: ListItem): FieldOccurrence[] | undefined {
    const first = item.children[0];
    // Only a plain item of field lines: anything nested under it would be lost.
    if (!first || first.type !== 'paragraph' || item.children.length > 1) return undefined;
    const lines = this.blockLines(this.s(first), this.e(first));
    if (!lines.every((l) => !l.text || matchFieldHead(l.text))) return undefined;
    const fields: FieldOccurrence[] = [];
    for (const line of lines) {
      const head = line.text ? matchFieldHead(line.text) : undefined;
      if (head) fields.push(this.fieldFromLine(line, head, 'item', line.end));
    }
    return fields;
  }

  private readTask(item: ListItem, categories: Category[], ordered: boolean): Task {
    const start = this.s(item);
    const end = this.e(item);
    const task: Task = {
      number: 0,
      text: '',
      textStart: start,
      textEnd: start,
      measures: [],
      fields: [],
      inlineParens: [],
      categories,
      start,
      end,
      lead: [],
      responsible: [],
      cooperating: [],
      contentIndent: '',
    };
    if (ordered) {
      const m = /^\d{1,9}/.exec(this.text.slice(start, start + 10));
      if (m) task.listNumber = { value: Number(m[0]), start, end: start + m[0].length };
    }
    const firstChild = item.children[0];
    if (firstChild) {
      const col = this.lines.position(this.s(firstChild)).character;
      task.contentIndent = ' '.repeat(Math.min(col, 12));
    } else {
      const m = /^(\d{1,9}[.)]|[-*+])[ \t]*/.exec(this.text.slice(start, start + 12));
      task.textStart = task.textEnd = start + (m ? m[0].length : 0);
    }
    let measure: string[] = [];
    const flush = (): void => {
      if (measure.length) task.measures.push(measure.join(''));
      measure = [];
    };
    let first = true;
    for (const child of item.children) {
      if (child.type === 'paragraph' || (first && child.type !== 'list')) {
        const lines = this.blockLines(this.s(child), this.e(child));
        for (const line of lines) {
          if (first) {
            first = false;
            this.readTaskLine(task, line);
            continue;
          }
          const head = matchFieldHead(line.text);
          if (head) {
            flush();
            task.fields.push(this.fieldFromLine(line, head, 'line', line.end));
          } else if (line.text) {
            measure.push(this.stripInlineFields(task, line));
          }
        }
        flush();
      } else if (child.type === 'list') {
        for (const sub of child.children) {
          const lines = this.blockLines(this.s(sub), this.e(sub));
          const firstLine = lines[0];
          if (!firstLine) continue;
          const marker = /^(?:[-*+]|\d{1,9}[.)])[ \t]*/.exec(firstLine.text);
          const body: SourceLine = marker
            ? { start: firstLine.start + marker[0].length, end: firstLine.end, text: firstLine.text.slice(marker[0].length) }
            : firstLine;
          const head = matchFieldHead(body.text);
          if (head) {
            flush();
            // A field item's value may wrap onto the item's further lines.
            const last = lines[lines.length - 1] as SourceLine;
            task.fields.push(this.fieldFromLine(body, head, 'item', last.end));
          } else {
            const keep = child.ordered ? firstLine.text : body.text;
            task.measures.push([keep, ...lines.slice(1).map((l) => l.text)].join(''));
          }
        }
      } else {
        const lines = this.blockLines(this.s(child), this.e(child));
        task.measures.push(lines.map((l) => l.text).join('\n'));
      }
    }
    return task;
  }

  private readTaskLine(task: Task, line: SourceLine): void {
    const stripped = this.stripInlineFields(task, line);
    task.text = stripped;
    task.textStart = line.start;
    task.textEnd = line.start + stripped.length;
  }

  /** Takes a trailing `（牵头单位：…）` off a line into the task's fields; returns the rest. */
  private stripInlineFields(task: Task, line: SourceLine): string {
    let endAt = line.end;
    // A closing full stop after the parenthesis (`…（牵头单位：X）。`) is allowed.
    if (this.text[endAt - 1] === '。' && this.text[endAt - 2] === '）') endAt--;
    const open = matchTrailingParen(this.text, line.start, endAt);
    if (open < line.start) return line.text;
    const fields = parseInlineFields(this.text, open, endAt - 1);
    if (!fields) return line.text;
    for (const f of fields) {
      task.fields.push({
        key: f.key,
        name: f.name,
        colon: f.colon,
        form: 'inline',
        start: f.nameStart,
        end: f.valueEnd,
        valueStart: f.valueStart,
        valueEnd: f.valueEnd,
        value: fold(this.text.slice(f.valueStart, f.valueEnd)),
      });
    }
    task.inlineParens.push({ start: open, end: endAt });
    return this.text.slice(line.start, open).trimEnd();
  }

  private fieldFromLine(line: SourceLine, head: NonNullable<ReturnType<typeof matchFieldHead>>, form: 'line' | 'item', valueEnd: number): FieldOccurrence {
    const valueStart = line.start + head.valueStart;
    return {
      key: head.key,
      name: head.name,
      colon: head.colon,
      form,
      start: line.start,
      end: valueEnd,
      valueStart,
      valueEnd,
      value: fold(this.text.slice(valueStart, valueEnd)),
    };
  }
}

/** A field read before, moved by `d`. */
function shiftField(f: FieldOccurrence, d: number): FieldOccurrence {
  return { ...f, start: f.start + d, end: f.end + d, valueStart: f.valueStart + d, valueEnd: f.valueEnd + d };
}

/**
 * A task kept across versions holds copies of its strings: a slice of the text would keep
 * that whole version of the document alive for as long as the task lives.
 */
function ownStrings(t: Task): void {
  t.text = detach(t.text);
  t.measures = t.measures.map(detach);
  for (const f of t.fields) ownFieldStrings(f);
}

function ownFieldStrings(f: FieldOccurrence): FieldOccurrence {
  f.name = detach(f.name);
  f.colon = detach(f.colon);
  f.value = detach(f.value);
  return f;
}

/** Moves a task read before, and what linking found in it, by `d`. */
function moveTask(t: Task, d: number): void {
  t.start += d;
  t.end += d;
  t.textStart += d;
  t.textEnd += d;
  if (t.listNumber) {
    t.listNumber.start += d;
    t.listNumber.end += d;
  }
  for (const f of t.fields) {
    f.start += d;
    f.end += d;
    f.valueStart += d;
    f.valueEnd += d;
  }
  for (const p of t.inlineParens) {
    p.start += d;
    p.end += d;
  }
  for (const refs of [t.lead, t.responsible, t.cooperating]) {
    for (const r of refs) {
      r.start += d;
      r.end += d;
    }
  }
  if (t.deadline) {
    t.deadline.start += d;
    t.deadline.end += d;
  }
}

/** Joins wrapped lines: Chinese text has no spaces between words, so a line break is dropped. */
function fold(s: string): string {
  return s.replace(/[ \t\u3000]*\r?\n[ \t\u3000]*/g, '').trim();
}

function emptyBreakdown(start: number, end: number): Breakdown {
  return { title: '', start, end, categories: [], allCategories: [], tasks: [], orderedLists: [], blocks: [] };
}

/**
 * Parses a document into the fenjie model (no directory needed). An editor passes the same
 * `pieceCache` for every version of a document, so that only the pieces an edit changed
 * are parsed again.
 */
export function buildModel(text: string, pieceCache?: PieceCache): DocumentModel {
  return new Builder(text, pieceCache).build();
}
