import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import {
  CodeActionKind,
  CreateFile,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import {
  applySpans,
  buildModel,
  checkEdits,
  composeRounds,
  DIAGNOSTIC_CODES,
  DIRECTORY_FILE,
  FIELD_LABEL,
  FIELD_ORDER,
  fixAll,
  fixIntent,
  fixSpans,
  LineIndex,
  linkModel,
  loadDirectory,
  PieceCache,
  runRules,
  type Analysis,
  type Diagnostic,
  type DiagnosticCode,
  type DocumentModel,
  type Fix,
  type Task,
} from '../engine/index.ts';
import type { FieldOccurrence } from '../engine/model.ts';
import { ADD_TO_DIRECTORY_COMMAND, type AddToDirectoryArgs } from '../protocol.ts';
import type { DiagnosticData } from './diagnostics.ts';
import { hitAt, taskAt, trimEnd } from './locate.ts';
import { yamlScalar } from './navigation.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

/*
 * Code actions: the engine's fixes as quick fixes, adding a unit to the 单位名录, rewriting a
 * task between the inline and the field-line form, and document-wide renumbering and fix-all.
 *
 * 重新编号 is a refactor.rewrite, not a source.fixAll sub-kind: with "source.fixAll" on save,
 * VS Code runs every action of that kind it is given, and the numbering edits would then be
 * applied a second time on top of 修正所有可自动修正的问题, which already holds them.
 */

export const RENUMBER_KIND = CodeActionKind.RefactorRewrite;
export const FIX_ALL_KIND = CodeActionKind.SourceFixAll;

export interface CodeActionContextLike {
  diagnostics: LspDiagnostic[];
  only?: string[];
}

/** A replacement between two offsets of a text. */
interface Span {
  start: number;
  end: number;
  newText: string;
}

const eolOf = (text: string): string => (/\r\n/.test(text) ? '\r\n' : /\r/.test(text) ? '\r' : '\n');

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0x3000;
}

function isBlankLine(s: string): boolean {
  return /^[ \t\u3000]*$/.test(s);
}

function toEdits(lines: LineIndex, spans: Span[]): TextEdit[] {
  return spans.map((s) => ({ range: lines.range(s.start, s.end), newText: s.newText }));
}

/** Sorts spans, and joins an insertion into the replacement that ends where it is (so none touch). */
function normalize(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start === s.end && last.end === s.start) last.newText += s.newText;
    else out.push({ ...s });
  }
  return out;
}

/** Whether `kind` is one of the kinds asked for (a kind asks for its sub-kinds too). */
function wanted(kind: string, only: string[] | undefined): boolean {
  return !only?.length || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function provideCodeActions(ws: ServiceWorkspace, doc: ServiceDocument, range: Range, context: CodeActionContextLike): CodeAction[] {
  const only = context.only;
  const out: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, only)) out.push(...quickFixes(ws, doc, context.diagnostics));
  const model = doc.analysis.model;
  const offset = model.lines.offset(range.start);
  // Without a 单位名录 no name is reported unknown; this starts one from the name under the cursor.
  if (wanted(CodeActionKind.Refactor, only) && !doc.analysis.directory && mayAddToDirectory(ws, doc)) {
    const hit = hitAt(doc, range.start);
    if (hit?.kind === 'unit' && !hit.unit.collective) {
      const title = `新建单位名录（${directoryLabel(doc)}）并加入“${hit.unit.name}”`;
      out.push(addToDirectoryAction(doc, hit.unit.name, [], CodeActionKind.Refactor, title));
    }
  }
  if (wanted(CodeActionKind.RefactorRewrite, only)) {
    const task = taskAt(model, offset);
    if (task) {
      const rewrite = toFieldLines(doc, task) ?? toInline(doc, task);
      if (rewrite) out.push(rewrite);
    }
  }
  if (wanted(RENUMBER_KIND, only)) {
    const edits = fixAllEdits(doc, (d) => (d.code === 'numbering' ? d.fixes?.[0] : undefined));
    if (edits.length) out.push({ title: '重新编号', kind: RENUMBER_KIND, edit: { changes: { [doc.uri]: edits } } });
  }
  if (wanted(FIX_ALL_KIND, only)) {
    const edits = fixAllEdits(doc, (d) => d.fixes?.find((f) => f.preferred));
    if (edits.length) out.push({ title: '修正所有可自动修正的问题', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: edits } } });
  }
  return out;
}

/** The document checked again as the server checks it: the same 单位名录. */
function reanalyzer(doc: ServiceDocument): (text: string, parsed?: DocumentModel) => Analysis {
  const dir = doc.analysis.directory;
  return (text, parsed) => {
    const model = parsed ?? buildModel(text);
    linkModel(model, dir);
    return { model, diagnostics: runRules(model, dir, undefined), ...(dir ? { directory: dir } : {}) };
  };
}

/**
 * 修正所有 and 重新编号: the engine's fixAll, as `fenjie check --fix` runs it (each round of
 * fixes checked by parsing its result, until nothing is left to fix), its rounds' edits
 * composed into edits of the document as it is.
 */
function fixAllEdits(doc: ServiceDocument, pick: (d: Diagnostic) => Fix | undefined): TextEdit[] {
  const lines = doc.analysis.model.lines;
  const result = fixAll(doc.text, reanalyzer(doc), { pick, analysis: doc.analysis });
  if (result.text === doc.text) return [];
  return toEdits(lines, composeRounds(doc.text, result.rounds));
}

function quickFixes(ws: ServiceWorkspace, doc: ServiceDocument, diagnostics: LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== 'fenjie') continue;
    for (const fix of fixesOf(doc, d)) {
      // The engine's numbering fix moves an item's lines itself when its number gets wider;
      // a fix whose result would hold other tasks than the document (fix.ts) is not offered.
      if (!fixKeepsTasks(doc, d, fix)) continue;
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], ...(fix.preferred ? { isPreferred: true } : {}), edit: { changes: { [doc.uri]: fix.edits } } });
    }
    if (d.code === 'unknown-unit' && mayAddToDirectory(ws, doc)) {
      const facts = (d.data as DiagnosticData | undefined)?.facts;
      const model = doc.analysis.model;
      const name = typeof facts?.['name'] === 'string' ? facts['name'] : model.text.slice(model.lines.offset(d.range.start), model.lines.offset(d.range.end));
      if (name) out.push(addToDirectoryAction(doc, name, [d], CodeActionKind.QuickFix, addToDirectoryTitle(doc, name)));
    }
  }
  return out;
}

/**
 * Parses of fixed versions, one cache per document (a few documents at most): a fix changes
 * a few characters, so checking it parses only the pieces it touches.
 */
const checkCaches = new Map<string, PieceCache>();

function checkCache(uri: string): PieceCache {
  let c = checkCaches.get(uri);
  if (c) checkCaches.delete(uri);
  else c = new PieceCache();
  checkCaches.set(uri, c);
  if (checkCaches.size > 4) checkCaches.delete(checkCaches.keys().next().value as string);
  return c;
}

/** Whether a quick fix keeps the document's tasks (engine/fix.ts); one that would not is not offered. */
function fixKeepsTasks(doc: ServiceDocument, d: LspDiagnostic, fix: Fix): boolean {
  const model = doc.analysis.model;
  if (model.text !== doc.text || !Array.isArray(fix.edits)) return false;
  const code = (typeof d.code === 'string' && (DIAGNOSTIC_CODES as readonly string[]).includes(d.code) ? d.code : 'document') as DiagnosticCode;
  return checkEdits(model, fixSpans(model.lines, fix), fixIntent(code), checkCache(doc.uri)).ok;
}

/** The engine's fixes carried on the diagnostic; else those of the same finding in the document. */
function fixesOf(doc: ServiceDocument, d: LspDiagnostic): Fix[] {
  const carried = (d.data as DiagnosticData | undefined)?.fixes;
  if (Array.isArray(carried)) return carried;
  const same = (a: Range, b: Range): boolean =>
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
  return doc.analysis.diagnostics.find((e) => e.code === d.code && same(e.range, d.range))?.fixes ?? [];
}

function addToDirectoryAction(doc: ServiceDocument, name: string, diagnostics: LspDiagnostic[], kind: string, title: string): CodeAction {
  const args: AddToDirectoryArgs = { uri: doc.uri, name };
  return { title, kind, ...(diagnostics.length ? { diagnostics } : {}), command: { title, command: ADD_TO_DIRECTORY_COMMAND, arguments: [args] } };
}

/** Field values compared without white space and closing punctuation. */
function norm(v: string): string {
  return v.replace(/[\s\u3000]+/g, '').replace(/[。．.；;，,]+$/, '');
}

/** What a rewrite must keep: the task's text, measures and fields (by field, in order within each). */
function taskKey(t: Task): string {
  const fields = [...t.fields].sort((a, b) => FIELD_ORDER.indexOf(a.key) - FIELD_ORDER.indexOf(b.key)).map((f) => `${f.key}=${norm(f.value)}`);
  return JSON.stringify([norm(t.text), norm(t.measures.join('')), fields]);
}

/**
 * Checks a rewrite of a task by parsing the task's lines alone, before and after: the engine
 * decides what the result means, so an action is offered only when it means the same.
 */
function rewriteKeepsTask(doc: ServiceDocument, task: Task, spans: Span[]): boolean {
  const lines = doc.analysis.model.lines;
  const text = doc.text;
  const from = lines.starts[lines.position(task.start).line] as number;
  let to = lines.lineEnd(lines.position(trimEnd(text, task.start, task.end)).line);
  for (const s of spans) to = Math.max(to, s.end);
  if (spans.some((s) => s.start < from)) return false;
  const before = buildModel(text.slice(from, to)).breakdowns.flatMap((b) => b.tasks);
  const after = buildModel(applySpans(text.slice(from, to), spans.map((sp) => ({ ...sp, start: sp.start - from, end: sp.end - from })))).breakdowns.flatMap((b) => b.tasks);
  return before.length === 1 && after.length === 1 && taskKey(before[0] as Task) === taskKey(after[0] as Task) && taskKey(before[0] as Task) === taskKey(task);
}

function byFieldOrder(fields: FieldOccurrence[]): FieldOccurrence[] {
  return [...fields].sort((a, b) => FIELD_ORDER.indexOf(a.key) - FIELD_ORDER.indexOf(b.key));
}

/** 改为字段行: the inline `（牵头单位：…；…）` becomes field items under the task. */
function toFieldLines(doc: ServiceDocument, task: Task): CodeAction | undefined {
  const inline = task.fields.filter((f) => f.form === 'inline');
  if (!inline.length || !task.text) return undefined;
  const text = doc.text;
  const lines = doc.analysis.model.lines;
  const eol = eolOf(text);
  const spans: Span[] = [];
  for (const p of task.inlineParens) {
    const line = lines.position(p.start).line;
    const lineStart = lines.starts[line] as number;
    const lineEnd = lines.lineEnd(line);
    let start = p.start;
    while (start > lineStart && isSpace(text.charCodeAt(start - 1))) start--;
    let end = p.end;
    // `任务。（牵头单位：X）。`: the full stop after the parenthesis would follow the one before it.
    if (text[end] === '。' && /[。！？；]$/.test(text.slice(lineStart, start))) end++;
    if (isBlankLine(text.slice(lineStart, start)) && isBlankLine(text.slice(end, lineEnd)) && line > 0) {
      // A line that held only the parenthesis goes, with the line break before it.
      start = lines.lineEnd(line - 1);
      end = lineEnd;
    }
    spans.push({ start, end, newText: '' });
  }
  const items = byFieldOrder(inline)
    .map((f) => `${eol}${task.contentIndent}- ${FIELD_LABEL[f.key]}：${text.slice(f.valueStart, f.valueEnd).trim()}`)
    .join('');
  const at = lines.lineEnd(lines.position(trimEnd(text, task.start, task.end)).line);
  spans.push({ start: at, end: at, newText: items });
  const edits = normalize(spans);
  if (!rewriteKeepsTask(doc, task, edits)) return undefined;
  return { title: '改为字段行', kind: CodeActionKind.RefactorRewrite, edit: { changes: { [doc.uri]: toEdits(lines, edits) } } };
}

/** 改为行内写法: field lines and items become `（牵头单位：…；…）` at the end of the task's first line. */
function toInline(doc: ServiceDocument, task: Task): CodeAction | undefined {
  const fields = task.fields;
  if (!fields.length || !task.text || fields.some((f) => f.form === 'inline')) return undefined;
  const text = doc.text;
  const lines = doc.analysis.model.lines;
  const firstLine = lines.position(task.start).line;
  const lastLine = lines.position(trimEnd(text, task.start, task.end)).line;
  const fieldLines = new Set<number>();
  for (const f of fields) {
    const line = lines.position(f.start).line;
    // Only a field that is a line of its own, its value on that line, fits inside the parenthesis.
    if (line === firstLine || lines.position(f.valueEnd).line !== line) return undefined;
    const lineStart = lines.starts[line] as number;
    if (!/^[ \t\u3000]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?$/.test(text.slice(lineStart, f.start))) return undefined;
    if (!isBlankLine(text.slice(f.end, lines.lineEnd(line)))) return undefined;
    fieldLines.add(line);
  }
  const sorted = [...fieldLines].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const l of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === l - 1) last[1] = l;
    else runs.push([l, l]);
  }
  const spans: Span[] = [];
  for (const [a, b] of runs) {
    let from = a;
    // A blank line that set the field lines apart is not left doubled, or trailing the item.
    const after = lines.lineText(b + 1);
    if (from - 1 > firstLine && isBlankLine(lines.lineText(from - 1)) && (b >= lastLine || isBlankLine(after))) from--;
    const next = lines.starts[b + 1];
    // The last line of the text has no line break of its own: take the one before it.
    spans.push(next === undefined ? { start: lines.lineEnd(from - 1), end: text.length, newText: '' } : { start: lines.starts[from] as number, end: next, newText: '' });
  }
  const clean = (f: FieldOccurrence): string => text.slice(f.valueStart, f.valueEnd).trim().replace(/[。．；;，,]+$/, '');
  const inline = `（${byFieldOrder(fields)
    .map((f) => `${FIELD_LABEL[f.key]}：${clean(f)}`)
    .join('；')}）`;
  spans.push({ start: task.textEnd, end: task.textEnd, newText: inline });
  const edits = normalize(spans);
  if (!rewriteKeepsTask(doc, task, edits)) return undefined;
  return { title: '改为行内写法', kind: CodeActionKind.RefactorRewrite, edit: { changes: { [doc.uri]: toEdits(lines, edits) } } };
}

/** Where a document's 单位名录 is, or would be created: the one in use, the one its front matter names, or one beside it. */
export function directoryPathOf(doc: ServiceDocument): string {
  const inUse = doc.analysis.directory?.path;
  if (inUse) return inUse;
  const named = doc.analysis.model.meta.units;
  const dir = path.dirname(doc.path);
  return named ? path.resolve(dir, named) : path.join(dir, DIRECTORY_FILE);
}

/** The document's 单位名录 as its title names it: the path from the document's folder. */
function directoryLabel(doc: ServiceDocument): string {
  return path.relative(path.dirname(path.resolve(doc.path)), directoryPathOf(doc)) || DIRECTORY_FILE;
}

/** The title of the action that adds `name` to the document's 单位名录, naming the file it edits. */
export function addToDirectoryTitle(doc: ServiceDocument, name: string): string {
  return `将“${name.trim()}”加入单位名录（${directoryLabel(doc)}）`;
}

/** Whether the document's 单位名录 may be created or changed (not outside the workspace in Restricted Mode). */
export function mayAddToDirectory(ws: ServiceWorkspace, doc: ServiceDocument): boolean {
  return ws.mayWrite?.(directoryPathOf(doc), doc.path) ?? true;
}

/**
 * What the add-to-directory command applies: `name` as the last item of the 单位名录's
 * `单位:` (or `units:`) list, in the list's own style; a new `单位名录.yaml` beside the
 * document when there is none (CreateFile, then the text, in `documentChanges`). Null when
 * the directory already lists the name. Throws, with a message for the user, when the
 * directory is not written so that a name can be added to it.
 */
export function addToDirectoryEdit(ws: ServiceWorkspace, doc: ServiceDocument, name: string): WorkspaceEdit | null {
  const unit = name.trim();
  if (!unit || /[\r\n]/.test(unit)) return null;
  const file = directoryPathOf(doc);
  const uri = ws.uriOf(file);
  const text = ws.readText(file) ?? (doc.analysis.directory?.path === file ? doc.analysis.directory.text : undefined);
  if (text === undefined) {
    const eol = eolOf(doc.text);
    const start = { line: 0, character: 0 };
    return {
      documentChanges: [
        CreateFile.create(uri),
        TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [{ range: { start, end: start }, newText: `单位:${eol}  - ${yamlScalar(unit)}${eol}` }]),
      ],
    };
  }
  if (loadDirectory(file, text).lookup(unit)) return null;
  const spans = unitInsertion(text, unit);
  if (!spans) throw new Error(`单位名录“${path.basename(file)}”的写法有误，无法自动加入“${unit}”。请先修正单位名录中的错误，或手工加入。`);
  return { changes: { [uri]: toEdits(new LineIndex(text), spans) } };
}

/** The edits that add `name` to the units list of a 单位名录 text; undefined when its shape does not allow it. */
function unitInsertion(text: string, name: string): Span[] | undefined {
  const eol = eolOf(text);
  // As the engine reads it: a lone \r becomes \n, so offsets stay the same.
  const doc = parseDocument(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text, { logLevel: 'silent' });
  const contents = doc.contents as Node | null;
  const lines = new LineIndex(text);
  const indentOfSeq = (seq: Node): string => {
    const at = seq.range?.[0] ?? 0;
    return text.slice(lines.starts[lines.position(at).line] as number, at);
  };
  const empty = contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''));
  if (!empty && (!isMap(contents) || contents.flow)) return undefined;
  const pairs = empty ? [] : ((contents as unknown as { items: Pair<Node | null, Node | null>[] }).items ?? []);
  const keyOf = (p: Pair<Node | null, Node | null>): string => (isScalar(p.key) ? String(p.key.value) : '');
  // A new list takes the indentation of the 泛称 list when there is one.
  const sibling = pairs.map((p) => p.value).find((v): v is Node => isSeq(v) && !v.flow);
  const indent = sibling ? indentOfSeq(sibling) : '  ';
  const pair = pairs.find((p) => keyOf(p) === '单位' || keyOf(p) === 'units');
  if (!pair) {
    const end = text.length;
    const lead = end > 0 && !/[\r\n]$/.test(text) ? eol : '';
    return [{ start: end, end, newText: `${lead}单位:${eol}${indent}- ${yamlScalar(name)}${eol}` }];
  }
  const value = pair.value;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyEnd = pair.key?.range?.[1] ?? 0;
    const at = lines.lineEnd(lines.position(keyEnd).line);
    const spans: Span[] = [];
    // `单位: ~` or `单位: null`: the explicit empty value goes.
    const r = value?.range;
    if (r && r[1] > r[0] && r[1] <= at) spans.push({ start: r[0], end: r[1], newText: '' });
    spans.push({ start: at, end: at, newText: `${eol}${indent}- ${yamlScalar(name)}` });
    return normalize(spans);
  }
  if (!isSeq(value) || !value.range) return undefined;
  if (value.flow) {
    const close = text.lastIndexOf(']', value.range[1]);
    if (close < value.range[0]) return undefined;
    const scalar = yamlScalar(name, true);
    return [{ start: close, end: close, newText: value.items.length ? `, ${scalar}` : scalar }];
  }
  const items = value.items as Node[];
  const last = items[items.length - 1];
  const first = items[0];
  const dash = value.range[0];
  // The space after `-` as the first item has it.
  const gap = first?.range ? text.slice(dash + 1, first.range[0]).replace(/[\r\n].*$/s, '') || ' ' : ' ';
  const lastEnd = trimEnd(text, dash, last?.range?.[1] ?? dash);
  const at = lines.lineEnd(lines.position(lastEnd).line);
  return [{ start: at, end: at, newText: `${eol}${indentOfSeq(value)}-${gap}${yamlScalar(name)}` }];
}
