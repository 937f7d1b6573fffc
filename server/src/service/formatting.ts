import type { TextEdit } from 'vscode-languageserver-types';
import { analyze, applyChecked, checkModel, DIAGNOSTIC_CODES, FIELD_LABEL, FIELD_ORDER, LineIndex, walkTree, type Analysis, type DiagnosticCode } from '../engine/index.ts';
import type { DocumentModel, FieldOccurrence } from '../engine/model.ts';
import type { ServiceDocument } from './types.ts';

/*
 * Formatting a 任务分解表: field names spelled canonically, full-width punctuation, and each
 * task's field lines in the order of the official table. Every change is one of these, so a
 * formatted document has the same characters as before up to punctuation and field names.
 */

/** A replacement of text[start, end) by text, in offsets of one version of the document. */
interface Span {
  start: number;
  end: number;
  text: string;
}

/** Later rounds only need the half-width finding; the other rules would be wasted work. */
const HALFWIDTH_ONLY = Object.fromEntries(DIAGNOSTIC_CODES.filter((c) => c !== 'halfwidth-punctuation').map((c) => [c, 'off'])) as Partial<Record<DiagnosticCode, 'off'>>;

/**
 * Fixing punctuation can make new fields appear (a half-width `(牵头:X)` becomes the inline
 * form), which have aliases of their own to rename; each round re-reads the result. Every
 * round removes half-width marks or aliases, or sorts a block, so a few rounds reach the
 * fixed point; the cap is only a guard.
 */
const MAX_ROUNDS = 8;

/** Indentation, block quote marks and a list marker before a field name. */
const FIELD_PREFIX = /^[ \t\u3000>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?$/;

/** The edits that format a whole document: minimal, per line, never overlapping. */
export function formatDocument(doc: ServiceDocument): TextEdit[] {
  const original = doc.text;
  let text = original;
  let analysis = doc.analysis.model.text === original ? doc.analysis : reanalyze(original);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let spans = punctuationAndNames(analysis);
    // Reordering moves whole lines; it runs on a text whose lines are already final, so
    // that its spans and the small ones never meet.
    if (!spans.length) spans = fieldOrder(analysis.model);
    if (!spans.length) break;
    // Each round's result is parsed and compared (engine/fix.ts): a change that would make
    // other tasks of the document (or change a task's fields) is left out.
    const done = applyChecked(analysis.model, spans.map((sp) => [{ start: sp.start, end: sp.end, newText: sp.text }]), { newFields: true });
    if (!done.kept.length || done.text === text) break;
    text = done.text;
    analysis = done.model ? checkModel(done.model, { severity: HALFWIDTH_ONLY }) : reanalyze(text);
  }
  return lineEdits(original, text);
}

function reanalyze(text: string): Analysis {
  return analyze(text, { severity: HALFWIDTH_ONLY });
}


function allFields(model: DocumentModel): FieldOccurrence[] {
  return model.breakdowns.flatMap((bd) => bd.tasks.flatMap((t) => t.fields));
}

/** The half-width findings' own fixes, canonical field names, and `：` after a field name. */
function punctuationAndNames(analysis: Analysis): Span[] {
  const { model } = analysis;
  const text = model.text;
  const byStart = new Map<number, Span>();
  for (const d of analysis.diagnostics) {
    if (d.code !== 'halfwidth-punctuation') continue;
    for (const e of d.fixes?.[0]?.edits ?? []) {
      const start = model.lines.offset(e.range.start);
      byStart.set(start, { start, end: model.lines.offset(e.range.end), text: e.newText });
    }
  }
  for (const f of allFields(model)) {
    // A field name may be set in bold (`**牵头**：`).
    const nameAt = f.start + (text.startsWith('**', f.start) || text.startsWith('__', f.start) ? 2 : 0);
    if (text.slice(nameAt, nameAt + f.name.length) !== f.name) continue;
    const canonical = FIELD_LABEL[f.key];
    if (f.name !== canonical) byStart.set(nameAt, { start: nameAt, end: nameAt + f.name.length, text: canonical });
    let colon = nameAt + f.name.length;
    if (text.startsWith('**', colon) || text.startsWith('__', colon)) colon += 2;
    while (colon < f.valueStart && /[ \t\u3000]/.test(text[colon] as string)) colon++;
    if (text[colon] === ':') byStart.set(colon, { start: colon, end: colon + 1, text: '：' });
  }
  return [...byStart.values()];
}

/** Code blocks and raw HTML: formatting leaves them exactly as written. */
function verbatimSpans(model: DocumentModel): [number, number][] {
  const out: [number, number][] = [];
  walkTree(model.root, model.bases, model.shift, (node, start, end) => {
    if (node.type !== 'code' && node.type !== 'html') return true;
    out.push([start, end]);
    return false;
  });
  return out;
}

/** A field's lines: what stays in place (the prefix) and what moves (the body, to its last line's end). */
interface Unit {
  key: FieldOccurrence['key'];
  form: FieldOccurrence['form'];
  lineStart: number;
  start: number;
  end: number;
  prefix: string;
}

/**
 * Sorts each run of a task's field lines (or field list items) into the order 牵头单位,
 * 责任单位, 配合单位, 完成时限, 备注. Each line keeps its place, indentation and list
 * marker; the fields move between them. A run is fields of one form on successive lines
 * with at most blank lines between them (field items also at one indentation).
 */
function fieldOrder(model: DocumentModel): Span[] {
  const text = model.text;
  const lines = model.lines;
  const verbatim = verbatimSpans(model);
  const out: Span[] = [];
  for (const bd of model.breakdowns) {
    for (const task of bd.tasks) {
      const units: Unit[] = [];
      for (const f of [...task.fields].sort((a, b) => a.start - b.start)) {
        if (f.form === 'inline') continue;
        const line = lines.position(f.start).line;
        const lineStart = lines.starts[line] as number;
        const prefix = text.slice(lineStart, f.start);
        units.push({ key: f.key, form: f.form, lineStart, start: f.start, end: lines.lineEnd(lines.position(f.end).line), prefix });
      }
      let run: Unit[] = [];
      const flush = (): void => {
        const span = sortRun(text, run, verbatim);
        if (span) out.push(span);
        run = [];
      };
      for (const u of units) {
        const prev = run[run.length - 1];
        // Field items nested in the task and those at the margin under it are two blocks.
        const joins =
          prev && prev.form === u.form && (u.form === 'line' || u.prefix.length === prev.prefix.length) && u.lineStart > prev.end && !/\S/.test(text.slice(prev.end, u.lineStart));
        if (!joins) flush();
        if (FIELD_PREFIX.test(u.prefix)) run.push(u);
        else flush();
      }
      flush();
    }
  }
  return out;
}

function sortRun(text: string, run: Unit[], verbatim: [number, number][]): Span | undefined {
  if (run.length < 2) return undefined;
  const rank = (u: Unit): number => FIELD_ORDER.indexOf(u.key);
  const sorted = [...run].sort((a, b) => rank(a) - rank(b));
  if (sorted.every((u, i) => u === run[i])) return undefined;
  const bodies = sorted.map((u) => text.slice(u.start, u.end));
  // A field that wraps onto more lines carries their indentation with it; that is only
  // right where the prefix it lands after is as wide as its own.
  if (bodies.some((b) => /[\r\n]/.test(b)) && run.some((u) => u.prefix.length !== (run[0] as Unit).prefix.length)) return undefined;
  const first = run[0] as Unit;
  const last = run[run.length - 1] as Unit;
  if (verbatim.some(([s, e]) => s < last.end && e > first.start)) return undefined;
  let out = '';
  run.forEach((u, i) => {
    out += bodies[i] as string;
    const next = run[i + 1];
    if (next) out += text.slice(u.end, next.start);
  });
  return { start: first.start, end: last.end, text: out };
}

/** Whether a UTF-16 unit is the second half of a surrogate pair, which an edit must not split off. */
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The edits from `a` to `b`: per changed line, only the part that changed. */
function lineEdits(a: string, b: string): TextEdit[] {
  if (a === b) return [];
  const la = new LineIndex(a);
  const lb = new LineIndex(b);
  let sameBreaks = la.lineCount === lb.lineCount;
  for (let i = 0; sameBreaks && i < la.lineCount - 1; i++) {
    sameBreaks = a.slice(la.lineEnd(i), la.starts[i + 1]) === b.slice(lb.lineEnd(i), lb.starts[i + 1]);
  }
  if (!sameBreaks) {
    // Not expected (formatting moves and replaces text within lines), but still correct.
    const e = trimmedEdit(a, b);
    return [{ range: la.range(e.start, e.endA), newText: e.text }];
  }
  const edits: TextEdit[] = [];
  for (let i = 0; i < la.lineCount; i++) {
    const ta = la.lineText(i);
    const tb = lb.lineText(i);
    if (ta === tb) continue;
    const e = trimmedEdit(ta, tb);
    edits.push({ range: { start: { line: i, character: e.start }, end: { line: i, character: e.endA } }, newText: e.text });
  }
  return edits;
}

/** The differing middle of two strings, not splitting a surrogate pair. */
function trimmedEdit(a: string, b: string): { start: number; endA: number; text: string } {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  if (p > 0 && (isLow(a.charCodeAt(p)) || isLow(b.charCodeAt(p)))) p--;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && isLow(a.charCodeAt(a.length - s))) s--;
  return { start: p, endA: a.length - s, text: b.slice(p, b.length - s) };
}
