import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { FIELD_LABEL, FIELD_NAMES, FIELD_ORDER, META_KEYS, cnDate, parseDeadline, walkTree, type FieldKey } from '../engine/index.ts';
import type { DocumentModel, Task, UnitRef } from '../engine/model.ts';
import type { Analysis } from '../engine/analyze.ts';
import { CLOSE, matchFieldHead, nextSeparator, OPEN } from '../engine/fields.ts';
import { effectiveYear } from '../engine/frontmatter.ts';
import { isCollectiveByForm } from '../engine/units.ts';
import { taskAt } from './locate.ts';
import { pinyinKeys } from './pinyin.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

type UnitRole = 'lead' | 'responsible' | 'cooperating';

/** What the text before the cursor asks for; offsets are into the document. */
type Context =
  | { kind: 'units'; role: UnitRole; start: number; listed: Set<string>; fieldsToo?: Set<FieldKey> }
  | { kind: 'deadline'; start: number }
  | { kind: 'fields'; start: number; present: Set<FieldKey> }
  | { kind: 'meta'; start: number; present: Set<string> };

/** Unit completion follows these, as the server's trigger characters do. */
const UNIT_SEPARATORS = '、，,；;';
const INLINE_SEPARATORS = '，；,;';

/** Indentation, block quote marks and a list marker: what precedes a field name on its line. */
const LINE_PREFIX = /^[ \t\u3000>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?/;
/** A line that so far holds only indentation, perhaps a bullet, and a partial word. */
const LINE_START = /^[ \t\u3000]*(?:[-*+][ \t]+)?([A-Za-z]{0,12}|[\u4e00-\u9fff]{0,5})$/;

const ALL_FIELD_NAMES = FIELD_ORDER.flatMap((k) => FIELD_NAMES[k]);

/**
 * Completion in a 任务分解表: unit names after a unit field, deadline phrases after
 * 完成时限, field names at the start of a line inside a task, and front-matter keys.
 */
export function provideCompletion(ws: ServiceWorkspace, doc: ServiceDocument, position: Position): CompletionList {
  const model = doc.analysis.model;
  const offset = model.lines.offset(position);
  const ctx = contextAt(model, offset, position.line);
  if (!ctx) return { isIncomplete: false, items: [] };
  const range = model.lines.range(ctx.start, offset);
  const pinyin = ws.settings.pinyin;
  let items: CompletionItem[];
  switch (ctx.kind) {
    case 'units':
      items = unitItems(ws, doc, ctx, offset, range, pinyin);
      if (ctx.fieldsToo) items.push(...fieldItems(model, ctx.fieldsToo, range, pinyin, items.length));
      break;
    case 'deadline':
      items = deadlineItems(model, range, pinyin);
      break;
    case 'fields':
      items = fieldItems(model, ctx.present, range, pinyin, 0);
      break;
    case 'meta':
      items = metaItems(ctx.present, range, pinyin);
      break;
  }
  return { isIncomplete: false, items };
}

function contextAt(model: DocumentModel, offset: number, line: number): Context | undefined {
  const text = model.text;
  const lineStart = model.lines.starts[line] ?? text.length;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, model.lines.lineEnd(line));

  const meta = metaContext(model, line, lineStart, before, after);
  if (meta !== undefined) return meta ?? undefined;
  if (inCode(model, offset)) return undefined;
  const inline = inlineContext(model, offset, lineStart, before);
  if (inline !== undefined) return inline ?? undefined;
  const field = fieldLineContext(lineStart, before);
  if (field !== undefined) return field ?? undefined;
  return lineStartContext(model, offset, line, lineStart, before, after);
}

/** The front matter's key completion; null inside the front matter elsewhere (nothing to offer), undefined outside it. */
function metaContext(model: DocumentModel, line: number, lineStart: number, before: string, after: string): Context | null | undefined {
  const text = model.text;
  const fm = model.frontMatter;
  let from: number;
  let to: number;
  if (fm) {
    if (lineStart < fm.contentStart || lineStart >= fm.contentEnd) return undefined;
    from = fm.contentStart;
    to = fm.contentEnd;
  } else {
    // While the front matter is being written its closing `---` is often not there yet, and
    // the parser then sees no front matter at all.
    const open = /^\uFEFF?---[ \t]*(?:\r\n|\r|\n)/.exec(text);
    if (!open || line === 0) return undefined;
    for (let l = 1; l < line; l++) if (!/^(?:[^\s:#][^:]*:(?:[ \t].*)?|[ \t#].*|)$/.test(model.lines.lineText(l))) return undefined;
    from = open[0].length;
    to = model.lines.lineEnd(line);
  }
  // A key starts at the margin; indented lines continue a value (`必填:` list items).
  const m = /^[^\s:：#]{0,12}$/.exec(before);
  if (!m || /\S/.test(after)) return null;
  const present = new Set<string>();
  for (const l of text.slice(from, to).split(/\r\n|\r|\n/)) {
    const key = metaKey(l);
    const spec = key ? META_KEYS.find((s) => s.zh === key || s.key === key) : undefined;
    if (spec) present.add(spec.key);
  }
  return { kind: 'meta', start: lineStart, present };
}

/**
 * The key a front-matter line names (`年度: 2020` → 年度): its text up to the first `:`,
 * without the spaces before it; undefined when the line does not start a key. Read by hand:
 * the regular expression `/^([^\s:#][^:]*?)[ \t]*:/` tried the spaces after every character
 * of a long line without a `:` (an 80,000-character line took seconds).
 */
function metaKey(line: string): string | undefined {
  if (line === '' || /^[\s:#]/.test(line)) return undefined;
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  let end = colon;
  while (end > 1 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return line.slice(0, end);
}

/** The spans of code blocks and raw HTML, where nothing is a field. */
function inCode(model: DocumentModel, offset: number): boolean {
  let inside = false;
  walkTree(model.root, model.bases, model.shift, (node, start, end) => {
    if (inside || offset < start || offset > end) return false;
    if (node.type === 'code' || node.type === 'html') {
      inside = offset > start;
      return false;
    }
    return true;
  });
  return inside;
}

/** Start of the name being typed: after the last unit separator outside brackets; undefined inside an open bracket. */
function partialStart(s: string, from: number, separators: string): number | undefined {
  let depth = 0;
  let start = from;
  for (let i = from; i < s.length; i++) {
    const ch = s[i] as string;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && separators.includes(ch)) start = i + 1;
  }
  if (depth > 0) return undefined;
  while (start < s.length && /[\s\u3000]/.test(s[start] as string)) start++;
  return start;
}

/** Names already given in the value before the one being typed. */
function listedNames(value: string): Set<string> {
  const out = new Set<string>();
  let at = 0;
  while (at < value.length) {
    const sep = nextSeparator(value, at, value.length, UNIT_SEPARATORS);
    const name = value.slice(at, sep).trim();
    if (name && sep < value.length) out.add(name);
    at = sep + 1;
  }
  return out;
}

function valueContext(key: FieldKey, lineStart: number, before: string, valueFrom: number, separators: string): Context | null {
  if (key === 'deadline') {
    let start = valueFrom;
    while (start < before.length && /[\s\u3000]/.test(before[start] as string)) start++;
    return { kind: 'deadline', start: lineStart + start };
  }
  if (key === 'note') return null;
  const start = partialStart(before, valueFrom, separators);
  if (start === undefined) return null;
  return { kind: 'units', role: key, start: lineStart + start, listed: listedNames(before.slice(valueFrom, start)) };
}

/**
 * Inside the inline form `（牵头单位：…，责任单位：…` before its `）` is typed. Null when the
 * cursor is in such a parenthesis but there is nothing to offer; undefined when it is not.
 */
function inlineContext(model: DocumentModel, offset: number, lineStart: number, before: string): Context | null | undefined {
  const open: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const ch = before[i] as string;
    if (OPEN.includes(ch)) open.push(i);
    else if (CLOSE.includes(ch)) open.pop();
  }
  const k = open.findIndex((i) => before[i] === '（' && matchFieldHead(before.slice(i + 1).trimStart()) !== undefined);
  if (k < 0) return undefined;
  // Another bracket still open after the field parenthesis: the cursor is in an annotation (各镇（街道、…).
  if (k < open.length - 1) return null;
  const paren = open[k] as number;
  const present = new Set<FieldKey>();
  let key: FieldKey | undefined;
  let at = paren + 1;
  let valueFrom = at;
  let partFrom = at;
  for (;;) {
    while (at < before.length && /[\s\u3000]/.test(before[at] as string)) at++;
    const sep = nextSeparator(before, at, before.length, INLINE_SEPARATORS);
    const head = matchFieldHead(before.slice(at, sep));
    partFrom = at;
    if (head) {
      key = head.key;
      present.add(key);
      valueFrom = at + head.valueStart;
    } else {
      valueFrom = at;
    }
    if (sep >= before.length) break;
    at = sep + 1;
  }
  if (!key) return null;
  const task = taskAt(model, offset);
  for (const f of task?.fields ?? []) present.add(f.key);
  const typedHead = valueFrom > partFrom;
  if (typedHead) return valueContext(key, lineStart, before, valueFrom, UNIT_SEPARATORS);
  // A part without a field name continues the previous field (units are also separated
  // by `，`), or it is where the next field name is about to be typed.
  const start = partialStart(before, partFrom, UNIT_SEPARATORS) ?? partFrom;
  if (key === 'lead' || key === 'responsible' || key === 'cooperating') {
    return { kind: 'units', role: key, start: lineStart + start, listed: listedNames(before.slice(partFrom, start)), fieldsToo: present };
  }
  return { kind: 'fields', start: lineStart + partFrom, present };
}

/** After `牵头单位：` and its aliases on a field line (or a field list item). */
function fieldLineContext(lineStart: number, before: string): Context | null | undefined {
  const prefix = (LINE_PREFIX.exec(before) as RegExpExecArray)[0].length;
  const head = matchFieldHead(before.slice(prefix));
  if (!head) return undefined;
  return valueContext(head.key, lineStart, before, prefix + head.valueStart, UNIT_SEPARATORS);
}

/** At the start of a line that belongs to a task: the field names it lacks. */
function lineStartContext(model: DocumentModel, offset: number, line: number, lineStart: number, before: string, after: string): Context | undefined {
  const m = LINE_START.exec(before);
  if (!m || /\S/.test(after)) return undefined;
  const partial = m[1] as string;
  if (/^[\u4e00-\u9fff]/.test(partial) && !ALL_FIELD_NAMES.some((n) => n.startsWith(partial))) return undefined;
  const task = taskOfLine(model, line, lineStart, before);
  if (!task) return undefined;
  const present = new Set(task.fields.map((f) => f.key));
  return { kind: 'fields', start: offset - partial.length, present };
}

/**
 * The task a new line would belong to: inside its item, or right after it (a line at the
 * margin directly under the task continues its paragraph; an indented line or a bullet
 * after blank lines is still its content or a field list item).
 */
function taskOfLine(model: DocumentModel, line: number, lineStart: number, before: string): Task | undefined {
  const inside = taskAt(model, lineStart);
  if (inside && model.lines.position(inside.start).line !== line) return inside;
  // A bullet just typed at the margin is, for now, a task of its own; once it holds a
  // field it belongs to the task above, which is the one to complete for.
  let last: Task | undefined;
  for (const bd of model.breakdowns) for (const t of bd.tasks) if (t.end < lineStart && (!last || t.start > last.start)) last = t;
  if (!last) return undefined;
  const gap = model.text.slice(last.end, lineStart);
  if (/\S/.test(gap)) return undefined;
  const breaks = gap.match(/\r\n|\r|\n/g)?.length ?? 0;
  const indented = /^[ \t\u3000]|^[-*+]/.test(before);
  return indented || breaks <= 1 ? last : undefined;
}

function filterText(names: string[], pinyin: boolean): string {
  const parts = [...names];
  if (pinyin) for (const n of names) parts.push(...pinyinKeys(n));
  return parts.join(' ');
}

function sortText(i: number): string {
  return String(i).padStart(5, '0');
}

/** Other documents as the workspace has them, this one as the editor has it now. */
function* workspaceDocuments(ws: ServiceWorkspace, doc: ServiceDocument): Generator<ServiceDocument> {
  let seen = false;
  for (const d of ws.documents()) {
    if (d.uri === doc.uri) {
      seen = true;
      yield doc;
    } else yield d;
  }
  if (!seen) yield doc;
}

/** How often each unit (by its full name) is named in a document, in order of first use; made once per analysis. */
const usage = new WeakMap<Analysis, Map<string, { count: number; collective: boolean }>>();

function usageOf(a: Analysis): Map<string, { count: number; collective: boolean }> {
  let m = usage.get(a);
  if (m) return m;
  m = new Map();
  for (const bd of a.model.breakdowns) {
    for (const t of bd.tasks) {
      for (const u of refsOf(t)) {
        const use = m.get(u.canonical);
        if (use) {
          use.count++;
          use.collective ||= u.collective;
        } else m.set(u.canonical, { count: 1, collective: u.collective });
      }
    }
  }
  usage.set(a, m);
  return m;
}

function* refsOf(t: Task | undefined): Generator<UnitRef> {
  if (!t) return;
  yield* t.lead;
  yield* t.responsible;
  yield* t.cooperating;
}

interface UnitCandidate {
  name: string;
  aliases: string[];
  detail: string;
  collective: boolean;
  /** Order in the 单位名录; Infinity for names only seen in documents. */
  rank: number;
  count: number;
}

function unitItems(ws: ServiceWorkspace, doc: ServiceDocument, ctx: Extract<Context, { kind: 'units' }>, offset: number, range: Range, pinyin: boolean): CompletionItem[] {
  const dir = doc.analysis.directory;
  const byName = new Map<string, UnitCandidate>();
  let rank = 0;
  for (const u of dir?.units ?? []) {
    byName.set(u.name, { name: u.name, aliases: u.aliases, detail: u.aliases.length ? `简称：${u.aliases.join('、')}` : '单位名录', collective: false, rank: rank++, count: 0 });
  }
  for (const c of dir?.collectives ?? []) {
    if (!byName.has(c.name)) byName.set(c.name, { name: c.name, aliases: [], detail: '泛称', collective: true, rank: rank++, count: 0 });
  }
  // The name being typed is in the analysis too; it is not a name in use.
  const typing = [...refsOf(taskAt(doc.analysis.model, offset))].filter((u) => u.start <= offset && offset <= u.end);
  for (const d of workspaceDocuments(ws, doc)) {
    for (const [canonical, use] of usageOf(d.analysis)) {
      let count = use.count;
      if (d === doc) count -= typing.filter((u) => u.canonical === canonical).length;
      if (count <= 0) continue;
      const name = dir ? dir.canonical(canonical) : canonical;
      let cand = byName.get(name);
      if (!cand) {
        // With a 单位名录, a name it lacks is likely a slip; offering it would spread it.
        if (dir && !use.collective) continue;
        const collective = use.collective || isCollectiveByForm(name);
        cand = { name, aliases: [], detail: collective ? '泛称' : '', collective, rank: Infinity, count: 0 };
        byName.set(name, cand);
      }
      cand.count += count;
    }
  }
  const lead = ctx.role === 'lead';
  const candidates = [...byName.values()].filter((c) => !ctx.listed.has(c.name) && !c.aliases.some((a) => ctx.listed.has(a)));
  // Array.prototype.sort is stable: names seen only in documents keep their first-seen order.
  candidates.sort((a, b) => (lead ? Number(a.collective) - Number(b.collective) : 0) || b.count - a.count || (a.rank === b.rank ? 0 : a.rank < b.rank ? -1 : 1));
  return candidates.map((c, i) => {
    const used = c.count ? `已用 ${c.count} 次` : '';
    const detail = c.collective && lead ? '泛称（不能作牵头单位）' : c.detail || used;
    const item: CompletionItem = {
      label: c.name,
      kind: c.collective ? CompletionItemKind.Constant : CompletionItemKind.Value,
      detail,
      sortText: sortText(i),
      filterText: filterText([c.name, ...c.aliases], pinyin),
      textEdit: { range, newText: c.name },
    };
    if (used && detail !== used) item.labelDetails = { description: used };
    return item;
  });
}

function deadlineItems(model: DocumentModel, range: Range, pinyin: boolean): CompletionItem[] {
  const year = effectiveYear(model.meta);
  const issued = model.meta.date;
  const quarters = ['第一季度末', '第二季度末', '第三季度末', '第四季度末'];
  const months = Array.from({ length: 11 }, (_, i) => `${i + 1}月底前`);
  const phrases = ['年底前', '12月底前', ...quarters, '上半年', '下半年', ...months, '每月', '每季度', '每季度末', '每半年', '每年', '每月底前', '长期坚持', '长期常态化', '持续推进', '常态化'];
  const current: CompletionItem[] = [];
  const past: CompletionItem[] = [];
  for (const phrase of phrases) {
    const parsed = parseDeadline(phrase, year);
    if (!parsed) continue;
    let detail: string;
    let isPast = false;
    if (parsed.kind === 'periodic') detail = '周期性';
    else if (parsed.kind === 'ongoing') detail = '长期';
    else if (parsed.end) {
      isPast = issued !== undefined && parsed.end < issued;
      detail = cnDate(parsed.end) + (isPast ? '（早于成文日期）' : '');
    } else detail = `${parsed.describe}（未写年度，算不出年份）`;
    const item: CompletionItem = {
      label: phrase,
      kind: parsed.kind === 'date' ? CompletionItemKind.Value : CompletionItemKind.Constant,
      detail,
      filterText: filterText([phrase], pinyin),
      textEdit: { range, newText: phrase },
    };
    (isPast ? past : current).push(item);
  }
  return [...current, ...past].map((item, i) => ({ ...item, sortText: sortText(i) }));
}

const FIELD_HINT: Record<FieldKey, string> = {
  lead: '具体牵头的单位，不能是泛称',
  responsible: '负责落实的单位，可以是泛称',
  cooperating: '配合落实的单位',
  deadline: '如 12月底前、第三季度末、长期坚持',
  note: '其他说明',
};

function fieldItems(model: DocumentModel, present: Set<FieldKey>, range: Range, pinyin: boolean, first: number): CompletionItem[] {
  const required = model.meta.required;
  return FIELD_ORDER.filter((k) => !present.has(k)).map((key, i) => {
    const label = FIELD_LABEL[key];
    const aliases = FIELD_NAMES[key].filter((n) => n !== label);
    const item: CompletionItem = {
      label,
      kind: CompletionItemKind.Field,
      detail: required.includes(key) ? '必填字段' : '字段',
      documentation: { kind: MarkupKind.Markdown, value: `${label}：${FIELD_HINT[key]}。${aliases.length ? `\n\n也可写作：${aliases.join('、')}` : ''}` },
      sortText: sortText(first + i),
      filterText: filterText([label, ...aliases], pinyin),
      textEdit: { range, newText: `${label}：` },
    };
    // Units and deadlines are offered next; inserting text does not fire trigger characters.
    if (key !== 'note') item.command = { title: '补全', command: 'editor.action.triggerSuggest' };
    return item;
  });
}

function metaItems(present: Set<string>, range: Range, pinyin: boolean): CompletionItem[] {
  return META_KEYS.filter((s) => !present.has(s.key)).map((s, i) => ({
    label: s.zh,
    kind: CompletionItemKind.Property,
    detail: `英文别名：${s.key}`,
    documentation: { kind: MarkupKind.Markdown, value: `值的写法：${s.expect}` },
    sortText: sortText(i),
    filterText: filterText([s.zh, s.key], pinyin),
    textEdit: { range, newText: `${s.zh}: ` },
  }));
}
