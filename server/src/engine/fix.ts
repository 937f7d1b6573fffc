import type { Analysis } from './analyze.ts';
import { codeInfo } from './rules/index.ts';
import { buildModel, type Breakdown, type DocumentModel, type Task } from './model.ts';
import type { PieceCache } from './segment.ts';
import { applySpans, LineIndex } from './text.ts';
import type { Diagnostic, DiagnosticCode, Fix } from './types.ts';

/*
 * Every automatic edit (a quick fix, 修正所有, `fenjie check --fix`, formatting) is checked
 * by parsing its result: the document must hold the same tasks, each with the same text and
 * fields apart from what the edit itself replaced. An edit that would change the structure
 * (a task turned into paragraph text, a field line falling out of its task) is refused.
 */

/** A replacement of text[start, end) by newText, in offsets of one version of a text. */
export interface EditSpan {
  start: number;
  end: number;
  newText: string;
}

/** What an edit may change beyond the characters it replaces. */
export interface EditIntent {
  /**
   * Full-width punctuation may turn a half-width `(牵头单位:X)` into the inline form: the
   * task's text may then lose that parenthesis and the task gain its fields.
   */
  newFields?: boolean;
}

export type EditCheck = { ok: true; text: string; model: DocumentModel } | { ok: false; reason: string };

/** The intent of an engine fix, by the code of its finding. */
export function fixIntent(code: DiagnosticCode): EditIntent {
  return codeInfo(code)?.fixMakesFields ? { newFields: true } : {};
}

/** A fix's edits as offsets of the text whose lines are `lines`. */
export function fixSpans(lines: LineIndex, fix: Fix): EditSpan[] {
  return fix.edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }));
}

function sorted(spans: EditSpan[]): EditSpan[] {
  return [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Whether two spans overlap, or insert at the same place (then their order is not known). */
function meet(a: EditSpan, b: EditSpan): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && (a.start === a.end) === (b.start === b.end));
}

/** Spans that do not meet, sorted: whether a new one meets any is found by bisection. */
class TakenSpans {
  private readonly list: EditSpan[] = [];

  /** Index of the first span that starts at or after `at`. */
  private from(at: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.list[mid] as EditSpan).start < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  meets(s: EditSpan): boolean {
    const i = this.from(s.start);
    // Only the span before (it may reach over s.start) and those starting inside s can meet it.
    const prev = this.list[i - 1];
    if (prev && meet(prev, s)) return true;
    for (let k = i; k < this.list.length && (this.list[k] as EditSpan).start <= s.end; k++) if (meet(this.list[k] as EditSpan, s)) return true;
    return false;
  }

  add(s: EditSpan): void {
    this.list.splice(this.from(s.start), 0, s);
  }
}

/**
 * text[a, b) as it reads after the edits, when every edit either lies inside it or outside it.
 * An insertion at a or b is taken as outside. Undefined when an edit crosses a or b.
 */
function sliceAfter(text: string, spans: EditSpan[], a: number, b: number): string | undefined {
  const inside: EditSpan[] = [];
  for (const s of spans) {
    const insertion = s.start === s.end;
    if (insertion ? s.start <= a || s.start >= b : s.end <= a || s.start >= b) continue;
    if (s.start < a || s.end > b) return undefined;
    inside.push({ start: s.start - a, end: s.end - a, newText: s.newText });
  }
  return applySpans(text.slice(a, b), inside);
}

/** Whether some edit covers all of text[a, b) and more (a block moved as a whole). */
function covered(spans: EditSpan[], a: number, b: number): boolean {
  return spans.some((s) => s.start <= a && s.end >= b && s.end - s.start > b - a);
}

const fold = (s: string): string => s.replace(/[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000]*/g, '').trim();

/** Each task's fields as `key=value`, sorted (formatting may reorder them). */
function fieldsAfter(text: string, spans: EditSpan[], t: Task): string[] | undefined {
  const out: string[] = [];
  for (const f of t.fields) {
    const value = covered(spans, f.valueStart, f.valueEnd) ? text.slice(f.valueStart, f.valueEnd) : sliceAfter(text, spans, f.valueStart, f.valueEnd);
    if (value === undefined) return undefined;
    out.push(`${f.key}=${fold(value)}`);
  }
  return out.sort();
}

function fieldsOf(t: Task): string[] {
  return t.fields.map((f) => `${f.key}=${f.value}`).sort();
}

function isSubset(small: string[], big: string[]): boolean {
  const counts = new Map<string, number>();
  for (const s of big) counts.set(s, (counts.get(s) ?? 0) + 1);
  for (const s of small) {
    const n = counts.get(s) ?? 0;
    if (!n) return false;
    counts.set(s, n - 1);
  }
  return true;
}

const clipped = (s: string): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 20 ? `${one.slice(0, 20)}……` : one;
};

/** Why the new version of a breakdown does not hold the same tasks; undefined when it does. */
function compareBreakdown(text: string, next: string, spans: EditSpan[], a: Breakdown, b: Breakdown, intent: EditIntent, lines: LineIndex): string | undefined {
  if (a.tasks.length !== b.tasks.length) return `任务将从 ${a.tasks.length} 项变为 ${b.tasks.length} 项`;
  if (a.allCategories.length !== b.allCategories.length) return `分类标题将从 ${a.allCategories.length} 个变为 ${b.allCategories.length} 个`;
  if (a.blocks.length !== b.blocks.length) return '任务之外的段落将有变化';
  for (let i = 0; i < a.tasks.length; i++) {
    const o = a.tasks[i] as Task;
    const n = b.tasks[i] as Task;
    const where = `第 ${lines.position(o.start).line + 1} 行的任务“${clipped(o.text)}”`;
    const whole = sliceAfter(text, spans, o.start, o.end);
    if (whole === undefined || whole !== next.slice(n.start, n.end)) return `${where}的范围将有变化`;
    if (!!o.listNumber !== !!n.listNumber || o.categories.length !== n.categories.length) return `${where}将不再是原来的列表项`;
    const fields = fieldsAfter(text, spans, o);
    const now = fieldsOf(n);
    if (!fields) return `${where}的字段将有变化`;
    const sameFields = intent.newFields ? isSubset(fields, now) : fields.length === now.length && fields.every((f, k) => f === now[k]);
    if (!sameFields) return `${where}的字段将有变化`;
    const title = sliceAfter(text, spans, o.textStart, o.textEnd);
    const newTitle = next.slice(n.textStart, n.textEnd);
    if (title === undefined || (intent.newFields ? !title.startsWith(newTitle) : title !== newTitle)) return `${where}的内容将有变化`;
  }
  return undefined;
}

/**
 * Applies `spans` to the model's text and parses the result: ok when the document holds the
 * same breakdowns, categories and tasks, each task the same text and fields apart from what
 * the spans replace inside it. Spans that overlap are refused (one would be lost).
 * With `cache` (kept for one document, apart from the one its editor's model uses), only
 * the pieces the spans touch are parsed again; the model it gives is then valid only
 * until the next parse with that cache.
 */
export function checkEdits(before: DocumentModel, spans: EditSpan[], intent: EditIntent = {}, cache?: PieceCache): EditCheck {
  const all = sorted(spans);
  for (let i = 1; i < all.length; i++) if (meet(all[i - 1] as EditSpan, all[i] as EditSpan)) return { ok: false, reason: '几处修改互相重叠' };
  const text = before.text;
  const next = applySpans(text, all);
  if (next === text) return { ok: true, text, model: before };
  const model = buildModel(next, cache);
  if (!!model.parseFailure !== !!before.parseFailure) return { ok: false, reason: '修改后文档结构将无法解析' };
  if (model.isNotice !== before.isNotice || !!model.frontMatter !== !!before.frontMatter) return { ok: false, reason: '文档结构将有变化' };
  if (model.breakdowns.length !== before.breakdowns.length) return { ok: false, reason: `分解表将从 ${before.breakdowns.length} 张变为 ${model.breakdowns.length} 张` };
  for (let i = 0; i < model.breakdowns.length; i++) {
    const why = compareBreakdown(text, next, all, before.breakdowns[i] as Breakdown, model.breakdowns[i] as Breakdown, intent, before.lines);
    if (why) return { ok: false, reason: why };
  }
  return { ok: true, text: next, model };
}

/** One change made (or refused) by fixAll. */
export interface FixChange {
  code: DiagnosticCode;
  /** The fix's title, as the editor shows it. */
  title: string;
  /** 1-based line of the change: in the fixed text for an applied change, in the text as read for a refused one. */
  line: number;
  /** The changed part of that line before and after (a window around the change). */
  before: string;
  after: string;
}

export interface RefusedFix extends FixChange {
  /** Why it was not applied, in Chinese. */
  reason: string;
}

export interface FixAllResult {
  /** The text with every applied fix. */
  text: string;
  /** The analysis of that text. */
  analysis: Analysis;
  applied: FixChange[];
  refused: RefusedFix[];
  /** The spans applied in each round, each round in offsets of the text before it. */
  rounds: EditSpan[][];
}

export interface FixAllOptions {
  /** The fix to make for a finding; default: its preferred fix. */
  pick?: (d: Diagnostic) => Fix | undefined;
  /** The analysis of `text`, when already made. */
  analysis?: Analysis;
  /** Rounds of fixing before giving up on reaching a text with nothing left to fix (default 10). */
  maxRounds?: number;
}

interface Candidate {
  code: DiagnosticCode;
  fix: Fix;
  spans: EditSpan[];
}

const keyOf = (code: DiagnosticCode, fix: Fix, spans: EditSpan[]): string => `${code}\0${fix.title}\0${JSON.stringify(spans)}`;

const preferred = (d: Diagnostic): Fix | undefined => d.fixes?.find((f) => f.preferred);

function unionIntent(cs: Candidate[]): EditIntent {
  return cs.some((c) => fixIntent(c.code).newFields) ? { newFields: true } : {};
}

/** Offsets of `text` moved by spans applied to it (an offset inside a replacement goes to its end). */
function mapOffset(o: number, spans: EditSpan[]): number {
  let d = 0;
  for (const s of spans) {
    if (s.start > o || (s.start === o && s.end > o)) break;
    if (s.end <= o) d += s.newText.length - (s.end - s.start);
    else return s.start + d + s.newText.length;
  }
  return o + d;
}

/** The line of a change before and after, clipped to a window around it. */
function describe(text: string, lines: LineIndex, c: Candidate): { line: number; at: number; before: string; after: string } {
  const all = sorted(c.spans);
  const isBreak = (s: EditSpan): boolean => s.start === s.end && /^(?:\r\n|\r|\n)+$/.test(s.newText);
  // A blank line put in before an item is told as such, after the item's own change.
  const first = all.find((s) => !isBreak(s)) ?? (all[0] as EditSpan);
  const line = lines.position(first.start).line;
  const lineStart = lines.starts[line] as number;
  const lineEnd = lines.lineEnd(line);
  const own = c.spans.filter((s) => s.start >= lineStart && s.end <= lineEnd);
  const from = Math.max(lineStart, first.start - 12);
  const lastEnd = Math.max(...own.map((s) => s.end), first.end);
  const to = Math.min(lineEnd, lastEnd + 12);
  const before = text.slice(from, to);
  const after = applySpans(before, own.map((s) => ({ start: s.start - from, end: s.end - from, newText: s.newText })));
  const cut = (s: string, head: boolean, tail: boolean): string => `${head ? '…' : ''}${s}${tail ? '…' : ''}`;
  const head = from > lineStart;
  const tail = to < lineEnd;
  const blank = all.some(isBreak) && !own.some(isBreak);
  return { line, at: first.start, before: cut(before, head, tail), after: cut(after, head, tail) + (blank ? '（并在上面加一个空行）' : '') };
}

/**
 * Makes every fix chosen by `pick` (default: each finding's preferred fix) that keeps the
 * document's tasks, round after round until nothing is left to fix: `fenjie check --fix`,
 * 修正所有 and 重新编号 all run this. `reanalyze` checks a text as the caller does (with the
 * same 单位名录 and settings), given the model of that text already parsed (checkModel
 * takes it). Fixes that would change the structure are left out and listed.
 */
export function fixAll(text: string, reanalyze: (text: string, model?: DocumentModel) => Analysis, options: FixAllOptions = {}): FixAllResult {
  const pick = options.pick ?? preferred;
  const maxRounds = options.maxRounds ?? 10;
  let analysis = options.analysis ?? reanalyze(text);
  const applied: { change: Omit<FixChange, 'line'>; at: number }[] = [];
  const refused: RefusedFix[] = [];
  const refusedKeys = new Set<string>();
  const rounds: EditSpan[][] = [];
  for (let round = 0; round < maxRounds; round++) {
    const model = analysis.model;
    const lines = model.lines;
    // One fix per finding; one that meets a fix already taken waits for the next round.
    const candidates: Candidate[] = [];
    const taken = new TakenSpans();
    for (const d of analysis.diagnostics) {
      const fix = pick(d);
      if (!fix || !fix.edits.length) continue;
      const spans = fixSpans(lines, fix);
      if (refusedKeys.has(keyOf(d.code, fix, spans))) continue;
      if (spans.some((s) => taken.meets(s))) continue;
      const inner = sorted(spans);
      if (inner.some((s, k) => k > 0 && meet(inner[k - 1] as EditSpan, s))) continue;
      for (const s of spans) taken.add(s);
      candidates.push({ code: d.code, fix, spans });
    }
    if (!candidates.length) break;
    let chosen = candidates;
    let result = checkEdits(model, candidates.flatMap((c) => c.spans), unionIntent(candidates));
    if (!result.ok) {
      // Some fix changes the structure: each is tried alone, and those that keep it go together.
      chosen = [];
      for (const c of candidates) {
        const alone = checkEdits(model, c.spans, fixIntent(c.code));
        if (alone.ok) chosen.push(c);
        else {
          refusedKeys.add(keyOf(c.code, c.fix, c.spans));
          const where = describe(text, lines, c);
          const change = { code: c.code, title: c.fix.title, line: where.line + 1, before: where.before, after: where.after, reason: alone.reason };
          if (!refused.some((r) => r.code === change.code && r.title === change.title && r.before === change.before && r.after === change.after)) refused.push(change);
        }
      }
      if (!chosen.length) break;
      result = checkEdits(model, chosen.flatMap((c) => c.spans), unionIntent(chosen));
      if (!result.ok) {
        // Safe alone but not together: one at a time, the rest in the next rounds.
        chosen = [chosen[0] as Candidate];
        result = checkEdits(model, chosen[0]!.spans, fixIntent(chosen[0]!.code));
        if (!result.ok) break;
      }
    }
    const spans = sorted(chosen.flatMap((c) => c.spans));
    if (result.text === text) break;
    for (const a of applied) a.at = mapOffset(a.at, spans);
    for (const c of chosen) {
      const where = describe(text, lines, c);
      applied.push({ change: { code: c.code, title: c.fix.title, before: where.before, after: where.after }, at: mapOffset(where.at, spans) });
    }
    rounds.push(spans);
    text = result.text;
    analysis = reanalyze(text, result.model);
  }
  const finalLines = analysis.model.lines;
  return {
    text,
    analysis,
    applied: applied.map((a) => ({ ...a.change, line: finalLines.position(a.at).line + 1 })).sort((x, y) => x.line - y.line),
    refused,
    rounds,
  };
}

export interface CheckedApply {
  /** The text with the kept groups applied (the model's text when none is). */
  text: string;
  /** Its model, when parsed on the way. */
  model?: DocumentModel;
  /** Indexes of the groups applied. */
  kept: number[];
  /** The others, with why each was left out. */
  refused: { index: number; reason: string }[];
}

/**
 * Applies the groups of edits (each group one change, all in offsets of the model's text)
 * that keep the document's tasks: all together when that is safe; else each group is tried
 * alone, and those safe alone go together (or only the first of them, if together they are not).
 */
export function applyChecked(before: DocumentModel, groups: EditSpan[][], intent: EditIntent = {}): CheckedApply {
  const all = checkEdits(before, groups.flat(), intent);
  if (all.ok) return { text: all.text, model: all.model, kept: groups.map((_, i) => i), refused: [] };
  const kept: number[] = [];
  const refused: { index: number; reason: string }[] = [];
  groups.forEach((g, i) => {
    const alone = checkEdits(before, g, intent);
    if (alone.ok) kept.push(i);
    else refused.push({ index: i, reason: alone.reason });
  });
  const together = checkEdits(before, kept.flatMap((i) => groups[i] as EditSpan[]), intent);
  if (together.ok) return { text: together.text, model: together.model, kept, refused };
  const [first, ...rest] = kept;
  if (first === undefined) return { text: before.text, kept: [], refused };
  for (const i of rest) refused.push({ index: i, reason: '与其他修改一起会改变文档结构' });
  return { text: applySpans(before.text, groups[first] as EditSpan[]), kept: [first], refused };
}

/** A stretch of a text made by edits: kept from the original (a..b), or new text. */
type Piece = { a: number; b: number } | { text: string };

const pieceLength = (p: Piece): number => ('text' in p ? p.text.length : p.b - p.a);

/**
 * The edits of several rounds (each in offsets of the text the rounds before it made) as
 * one set of edits of the original text, as small as the rounds' own: an editor applies
 * them at once, and every character no round touched stays where it was.
 */
export function composeRounds(original: string, rounds: EditSpan[][]): EditSpan[] {
  let pieces: Piece[] = [{ a: 0, b: original.length }];
  for (const round of rounds) {
    const out: Piece[] = [];
    let i = 0;
    let off = 0;
    let pos = 0;
    // Moves `n` characters of the current text on, copying them when `copy`.
    const advance = (n: number, copy: boolean): void => {
      while (n > 0 && i < pieces.length) {
        const p = pieces[i] as Piece;
        const take = Math.min(n, pieceLength(p) - off);
        if (copy) out.push('text' in p ? { text: p.text.slice(off, off + take) } : { a: p.a + off, b: p.a + off + take });
        off += take;
        n -= take;
        pos += take;
        if (off === pieceLength(p)) {
          i++;
          off = 0;
        }
      }
    };
    for (const s of sorted(round)) {
      advance(s.start - pos, true);
      advance(s.end - s.start, false);
      if (s.newText) out.push({ text: s.newText });
    }
    advance(Infinity, true);
    pieces = out;
  }
  const edits: EditSpan[] = [];
  let at = 0;
  let pending = '';
  const flush = (to: number): void => {
    if ((to !== at || pending) && original.slice(at, to) !== pending) edits.push({ start: at, end: to, newText: pending });
    pending = '';
  };
  for (const p of pieces) {
    if ('text' in p) pending += p.text;
    else if (p.a === p.b) continue;
    else {
      flush(p.a);
      at = p.b;
    }
  }
  flush(original.length);
  return edits;
}
