import type { Directory } from './directory.ts';
import type { DocumentModel, FieldOccurrence, Task, UnitRef } from './model.ts';
import { splitUnits, isCollectiveByForm, type UnitToken } from './units.ts';
import { parseDeadline, type ParsedDeadline } from './deadline.ts';
import { effectiveYear } from './frontmatter.ts';
import { detach } from './text.ts';

/**
 * Gives each task its units and deadline: splits the unit fields (directory names first),
 * resolves aliases and collective names, and resolves the deadline with the document's year.
 * Runs again, cheaply, whenever the directory changes; the parse is not repeated.
 */
export function linkModel(model: DocumentModel, directory: Directory | undefined): void {
  const year = effectiveYear(model.meta);
  memo = memoFor(directory);
  for (const bd of model.breakdowns) {
    for (const task of bd.tasks) {
      // A task the editor's last model held, linked with this directory and year, is as it was.
      const was = linked.get(task);
      if (was && was.memo === memo && was.year === year) continue;
      linkTask(model.text, task, directory, year);
      linked.set(task, { memo, year });
    }
  }
}

/** What each task was linked with (see linkModel). */
const linked = new WeakMap<Task, { memo: Memo; year: number | undefined }>();

/** The task's fields changed: link it again. */
export function forgetLink(task: Task): void {
  linked.delete(task);
}

function linkTask(text: string, task: Task, directory: Directory | undefined, year: number | undefined): void {
  task.lead = [];
  task.responsible = [];
  task.cooperating = [];
  // Set to undefined rather than deleted: deleting a property slows every later access to the object.
  task.deadline = undefined;
  task.note = undefined;
  for (const f of task.fields) {
    switch (f.key) {
      case 'lead':
      case 'responsible':
      case 'cooperating':
      {
        const at = f.valueStart;
        for (const tok of unitsOf(text, at, trimmed(text, at, f.valueEnd).end, directory)) {
          const leadInResponsible = f.key === 'responsible' && tok.leads;
          const role = leadInResponsible ? 'lead' : f.key;
          task[role].push(makeRef(tok.name, tok.start + at, tok.end + at, role, leadInResponsible, f, directory));
        }
        break;
      }
      case 'deadline':
        // The first 完成时限 counts; a second one is reported by the rules (duplicate-field).
        if (!task.deadline) {
          const { start, end } = trimmed(text, f.valueStart, f.valueEnd);
          if (start === end) break;
          // Its own copy: the task may outlive this version of the text (see model.ts).
          const value = detach(text.slice(start, end));
          const parsed = deadlineOf(value, year);
          task.deadline = { text: value, start, end, field: f, ...(parsed ? { parsed } : {}) };
        }
        break;
      case 'note':
        task.note = task.note ? `${task.note}；${f.value}` : f.value;
        break;
    }
  }
}

/** A value without surrounding space and without the sentence's closing punctuation (`12月底前。`). */
function trimmed(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && (isSpace(text.charCodeAt(end - 1)) || CLOSING.includes(text.charCodeAt(end - 1)))) end--;
  return { start, end };
}

/** 。．；;，, */
const CLOSING = [0x3002, 0xff0e, 0xff1b, 0x3b, 0xff0c, 0x2c];

/** What `\s` matches, the ideographic space included. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

function makeRef(name: string, start: number, end: number, role: UnitRef['role'], leadInResponsible: boolean, field: FieldOccurrence, directory: Directory | undefined): UnitRef {
  let about = memo.names.get(name);
  if (!about) {
    const hit = directory?.lookup(name);
    const collective = hit?.kind === 'collective' || isCollectiveByForm(name);
    const known = hit ? hit.kind : collective ? ('collective' as const) : undefined;
    about = { collective, canonical: detach(directory ? directory.canonical(name) : name), known };
    if (memo.names.size > 20_000) memo.names.clear();
    memo.names.set(detach(name), about);
  }
  const ref: UnitRef = { name, start, end, role, leadInResponsible, field, collective: about.collective, canonical: about.canonical };
  if (about.known) ref.known = about.known;
  return ref;
}

/*
 * Documents repeat their unit lists and deadlines, and the editor links a document again on
 * every edit: results are kept per value text (unit tokens relative to the value's start),
 * for the directory they were made with.
 */
interface Memo {
  units: Map<string, UnitToken[]>;
  deadlines: Map<string, ParsedDeadline | null>;
  /** What the directory says of a unit name. */
  names: Map<string, { collective: boolean; canonical: string; known: UnitRef['known'] }>;
}

const memos = new WeakMap<Directory, Memo>();
const noDirectory: Memo = { units: new Map(), deadlines: new Map(), names: new Map() };
let memo: Memo = noDirectory;

function memoFor(directory: Directory | undefined): Memo {
  if (!directory) return noDirectory;
  let m = memos.get(directory);
  if (!m) memos.set(directory, (m = { units: new Map(), deadlines: new Map(), names: new Map() }));
  return m;
}

/** The units of a value, offsets counted from `start` (the caller adds it). */
function unitsOf(text: string, start: number, end: number, directory: Directory | undefined): UnitToken[] {
  const value = text.slice(start, end);
  let rel = memo.units.get(value);
  if (!rel) {
    if (memo.units.size > 20_000) memo.units.clear();
    rel = splitUnits(value, 0, value.length, directory).map((t) => ({ ...t, name: detach(t.name), qualifier: detach(t.qualifier) }));
    memo.units.set(detach(value), rel);
  }
  return rel;
}

function deadlineOf(value: string, year: number | undefined): ParsedDeadline | undefined {
  const key = `${year ?? ''}|${value}`;
  let parsed = memo.deadlines.get(key);
  if (parsed === undefined) {
    if (memo.deadlines.size > 20_000) memo.deadlines.clear();
    parsed = parseDeadline(value, year) ?? null;
    memo.deadlines.set(detach(key), parsed);
  }
  return parsed ?? undefined;
}
