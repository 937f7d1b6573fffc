import * as path from 'node:path';
import { isCollection, isMap, isScalar, parseDocument, visit, type Node, type Pair, type Scalar } from 'yaml';
import { Location, type Position, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { LineIndex, loadDirectory, type Directory, type DirectoryHit, type DirectoryUnit, type UnitRef } from '../engine/index.ts';
import { nextSeparator } from '../engine/fields.ts';
import { splitUnits } from '../engine/units.ts';
import { directoryUnitAt, hitAt } from './locate.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

/*
 * Go to definition, find references and rename for unit names, from a document or from the
 * 单位名录 file itself.
 *
 * Which documents a unit's references and renames reach: those that use the same 单位名录
 * (documents without one form a scope of their own). Two folders with two directories may
 * both list "营商环境建设局", but a rename edits one directory, so it must not touch the
 * documents checked against the other.
 *
 * Renames answer with `WorkspaceEdit.changes` keyed by uri, not with versioned
 * `documentChanges`: the 单位名录 file has no version known to the service, requests are
 * answered in order after the edits that precede them, and every client supports `changes`.
 */

/** A file the cursor may be in that is not a checked document: the 单位名录. */
export interface SourceFile {
  uri: string;
  path: string;
  text: string;
}

/**
 * Where a navigation request comes from: a checked document (itself, or as `document` beside
 * its uri, path and text), or the 单位名录 file (uri, path and text only).
 */
export type NavigationTarget = ServiceDocument | (SourceFile & { document?: ServiceDocument | undefined });

function documentOf(t: NavigationTarget): ServiceDocument | undefined {
  return 'analysis' in t ? t : t.document;
}

/** A unit name under the cursor, and what the 单位名录 says of it. */
interface Subject {
  /** The name as written at the cursor. */
  name: string;
  /** Where it is written, in the file the cursor is in (for a directory entry: the YAML scalar, quotes included). */
  range: Range;
  /** Its full name (an alias's unit's name), as tasks' UnitRef.canonical has it. */
  canonical: string;
  /** The directory in use, as its file now reads. */
  directory?: Directory;
  /** Its entry in the directory; absent for a name the directory does not list. */
  hit?: DirectoryHit;
}

const LIST_SEPARATORS = '、，,；;';

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** The directory a document was checked against, re-read when its file has changed since. */
function currentDirectory(ws: ServiceWorkspace, doc: ServiceDocument): Directory | undefined {
  const d = doc.analysis.directory;
  if (!d) return undefined;
  const text = ws.readText(d.path);
  return text !== undefined && text !== d.text ? loadDirectory(d.path, text) : d;
}

function subjectAt(ws: ServiceWorkspace, target: NavigationTarget, position: Position): Subject | undefined {
  const doc = documentOf(target);
  if (doc) {
    const hit = hitAt(doc, position);
    if (hit?.kind !== 'unit') return undefined;
    const unit = hit.unit;
    const directory = currentDirectory(ws, doc);
    const entry = directory?.lookup(unit.name);
    return {
      name: unit.name,
      range: doc.analysis.model.lines.range(unit.start, unit.end),
      canonical: directory ? directory.canonical(unit.name) : unit.name,
      ...(directory ? { directory } : {}),
      ...(entry ? { hit: entry } : {}),
    };
  }
  const directory = loadDirectory(target.path, target.text);
  const lines = new LineIndex(target.text);
  const at = directoryUnitAt(directory, position);
  if (at) {
    const hit: DirectoryHit = at.name === at.unit.name ? { kind: 'unit', unit: at.unit } : { kind: 'alias', unit: at.unit, alias: at.name };
    return { name: at.name, range: lines.range(at.start, at.end), canonical: at.unit.name, directory, hit };
  }
  const offset = lines.offset(position);
  const collective = directory.collectives.find((c) => offset >= c.start && offset <= c.end);
  if (!collective) return undefined;
  return { name: collective.name, range: lines.range(collective.start, collective.end), canonical: collective.name, directory, hit: { kind: 'collective', collective } };
}

/** The documents a subject's references and renames reach (see the note at the top). */
function documentsInScope(ws: ServiceWorkspace, target: NavigationTarget, subject: Subject): ServiceDocument[] {
  const all = [...ws.documents()];
  // An untitled document is not among the workspace's documents, but its own mentions count.
  const doc = documentOf(target);
  if (doc && !all.some((d) => d.uri === doc.uri)) all.push(doc);
  const scope = subject.directory?.path;
  return all.filter((d) => {
    const p = d.analysis.directory?.path;
    return scope === undefined ? p === undefined : p !== undefined && samePath(p, scope);
  });
}

/** Every unit mention of a document, in document order. */
function* unitsOf(doc: ServiceDocument): Generator<UnitRef> {
  for (const bd of doc.analysis.model.breakdowns) {
    for (const task of bd.tasks) yield* [...task.lead, ...task.responsible, ...task.cooperating].sort((a, b) => a.start - b.start);
  }
}

/** The entry's name in the directory file: the full name for a unit or an alias, the 泛称 itself. */
function declaration(ws: ServiceWorkspace, directory: Directory, hit: DirectoryHit): Location {
  const lines = new LineIndex(directory.text);
  const span = hit.kind === 'collective' ? hit.collective : hit.unit;
  return Location.create(ws.uriOf(directory.path), lines.range(span.start, span.end));
}

/**
 * On a unit in a document: where the 单位名录 lists it (an alias leads to its unit's entry).
 * On the front matter's `单位名录` line: the directory file. Nothing for names it does not list.
 */
export function provideDefinition(ws: ServiceWorkspace, doc: ServiceDocument, position: Position): Location[] {
  const model = doc.analysis.model;
  const directory = currentDirectory(ws, doc);
  const key = model.metaKeyRanges['units'];
  if (directory && key && model.lines.position(key[0]).line === position.line) {
    const start = { line: 0, character: 0 };
    return [Location.create(ws.uriOf(directory.path), { start, end: start })];
  }
  const subject = subjectAt(ws, doc, position);
  if (!subject?.hit || !subject.directory) return [];
  return [declaration(ws, subject.directory, subject.hit)];
}

/**
 * Every mention of the unit under the cursor (full name and aliases alike) in the documents
 * that use the same 单位名录, and with `includeDeclaration` its entry there. The cursor may be
 * in a document or on a name or alias in the 单位名录 file (pass that file as a SourceFile).
 */
export function provideReferences(ws: ServiceWorkspace, target: NavigationTarget, position: Position, includeDeclaration: boolean): Location[] {
  const subject = subjectAt(ws, target, position);
  if (!subject) return [];
  const out: Location[] = [];
  if (includeDeclaration && subject.directory && subject.hit) out.push(declaration(ws, subject.directory, subject.hit));
  for (const doc of documentsInScope(ws, target, subject)) {
    for (const u of unitsOf(doc)) if (u.canonical === subject.canonical) out.push(Location.create(doc.uri, doc.analysis.model.lines.range(u.start, u.end)));
  }
  return out;
}

/** The name under the cursor that a rename would change, or null where there is none. */
export function prepareRename(ws: ServiceWorkspace, target: NavigationTarget, position: Position): { range: Range; placeholder: string } | null {
  const subject = subjectAt(ws, target, position);
  return subject ? { range: subject.range, placeholder: subject.name } : null;
}

/**
 * Renames the unit name (or alias, or 泛称) under the cursor: every mention written with
 * exactly that name in the documents of the same 单位名录, and its entry there. Mentions
 * written with another of the unit's names stay as they are. Throws, with a message for the
 * user, when the new name cannot be used.
 */
export function provideRename(ws: ServiceWorkspace, target: NavigationTarget, position: Position, newName: string): WorkspaceEdit | null {
  const subject = subjectAt(ws, target, position);
  if (!subject) return null;
  const name = checkNewName(newName, subject);
  const changes: Record<string, TextEdit[]> = {};
  if (name === subject.name) return { changes };
  const add = (uri: string, edit: TextEdit): void => {
    (changes[uri] ??= []).push(edit);
  };
  for (const doc of documentsInScope(ws, target, subject)) {
    const lines = doc.analysis.model.lines;
    for (const u of unitsOf(doc)) if (u.name === subject.name) add(doc.uri, { range: lines.range(u.start, u.end), newText: name });
  }
  if (subject.directory && subject.hit) {
    const edit = entryEdit(subject.directory, subject.hit, name);
    if (edit) add(documentOf(target) ? ws.uriOf(subject.directory.path) : target.uri, edit);
  }
  return { changes };
}

/** The new name, trimmed; throws a message for the user when it cannot be used. */
function checkNewName(raw: string, subject: Subject): string {
  const name = raw.trim();
  if (!name) throw new Error('新名称不能为空。');
  if (/[\r\n]/.test(name)) throw new Error('新名称不能分行书写。');
  // A separator inside brackets does not split a list (各镇（街道、开发区） is one name).
  const sep = nextSeparator(name, 0, name.length, LIST_SEPARATORS);
  if (sep < name.length) {
    const ch = name[sep] as string;
    throw new Error(`新名称“${name}”中有分隔符“${ch}”，在单位列表中会被拆成几个名称。请去掉“${ch}”（写在括号内的可以保留）。`);
  }
  if (name === subject.name) return name;
  const existing = subject.directory?.lookup(name);
  if (existing) {
    const what = existing.kind === 'alias' ? `（“${existing.unit.name}”的简称）` : existing.kind === 'collective' ? '（泛称）' : '';
    throw new Error(`单位名录中已有“${name}”${what}，不能重名。请换一个名称。`);
  }
  // A name the directory does not list is split and trimmed as written (`X牵头`, `X等`).
  if (!subject.hit) {
    const tokens = splitUnits(name, 0, name.length);
    const only = tokens[0];
    if (tokens.length !== 1 || !only || only.name !== name) {
      const read = tokens.map((t) => `“${t.name}”`).join('、') || '空';
      throw new Error(`新名称“${name}”在单位列表中会被读作${read}。请换一个名称，或先把它加入单位名录。`);
    }
  }
  return name;
}

/** The edit of the directory entry: the YAML scalar of the name, alias or 泛称. */
function entryEdit(directory: Directory, hit: DirectoryHit, name: string): TextEdit | undefined {
  const text = directory.text;
  const start = hit.kind === 'unit' ? hit.unit.start : hit.kind === 'collective' ? hit.collective.start : aliasStart(text, hit.unit, hit.alias);
  if (start === undefined) return undefined;
  const scalar = scalarAt(text, start);
  if (!scalar) return undefined;
  const lines = new LineIndex(text);
  return { range: lines.range(start, scalar.end), newText: yamlScalar(name, scalar.flow, scalar.quote) };
}

/** The YAML reader knows \n and \r\n; a lone \r becomes \n, same length, as the engine reads it. */
function parseYaml(text: string): ReturnType<typeof parseDocument> {
  return parseDocument(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text, { strict: false, logLevel: 'silent' });
}

interface ScalarInfo {
  end: number;
  /** Inside `[…]` or `{…}`, where `,` `[` `]` `{` `}` end a plain scalar. */
  flow: boolean;
  quote?: '"' | "'";
}

/** The scalar that starts at `start` in a YAML text. */
function scalarAt(text: string, start: number): ScalarInfo | undefined {
  let found: ScalarInfo | undefined;
  visit(parseYaml(text), {
    Scalar(_key, node, ancestors) {
      if (node.range?.[0] !== start) return undefined;
      const flow = ancestors.some((a) => isCollection(a) && !!a.flow);
      const quote = node.type === 'QUOTE_SINGLE' ? "'" : node.type === 'PLAIN' ? undefined : '"';
      found = { end: node.range[1], flow, ...(quote ? { quote } : {}) };
      return visit.BREAK;
    },
  });
  return found;
}

/** Offset of an alias's scalar under its unit's `简称` (the directory keeps only the unit's offsets). */
function aliasStart(text: string, unit: DirectoryUnit, alias: string): number | undefined {
  let found: number | undefined;
  visit(parseYaml(text), {
    Map(_key, node) {
      const pairs = node.items as Pair<Node | null, Node | null>[];
      const keyOf = (p: Pair<Node | null, Node | null>): unknown => (isScalar(p.key) ? p.key.value : undefined);
      const named = pairs.find((p) => ['名称', 'name'].includes(String(keyOf(p))));
      if (!named || named.value?.range?.[0] !== unit.start) return undefined;
      const aliases = pairs.find((p) => ['简称', 'aliases'].includes(String(keyOf(p))))?.value;
      const candidates: Node[] = isScalar(aliases) ? [aliases] : aliases && isCollection(aliases) && !isMap(aliases) ? (aliases.items as Node[]) : [];
      const hit = candidates.find((c) => isScalar(c) && String((c as Scalar).value).trim() === alias);
      found = hit?.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * A name as a YAML scalar: plain when it reads back as the same text, else double-quoted (a
 * JSON string is valid YAML). `quote` keeps the quoting style of the scalar it replaces.
 */
export function yamlScalar(name: string, flow = false, quote?: '"' | "'"): string {
  if (quote === "'") return `'${name.replace(/'/g, "''")}'`;
  if (quote === '"' || !readsBackPlain(name, flow)) return JSON.stringify(name);
  return name;
}

function readsBackPlain(name: string, flow: boolean): boolean {
  if (name !== name.trim()) return false;
  try {
    const doc = parseDocument(flow ? `[${name}]` : `- ${name}`, { logLevel: 'silent' });
    if (doc.errors.length) return false;
    const value: unknown = doc.toJS();
    return Array.isArray(value) && value.length === 1 && value[0] === name;
  } catch {
    return false;
  }
}
