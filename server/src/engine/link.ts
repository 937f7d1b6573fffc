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
    for (const task of bd.tasks) linkTask(model.text, task, directory, year);
  }
}

function linkTask(text: string, task: Task, directory: Directory | undefined, year: number | undefined): void {
  task.lead = [];
  task.responsible = [];
  task.cooperating = [];
  delete task.deadline;
  delete task.note;
  for (const f of task.fields) {
    switch (f.key) {
      case 'lead':
      case 'responsible':
      case 'cooperating':
        for (const tok of unitsOf(text, f.valueStart, trimmed(text, f.valueStart, f.valueEnd).end, directory)) {
          const role = f.key === 'responsible' && tok.leads ? 'lead' : f.key;
          const ref = makeRef(tok.name, tok.start, tok.end, role, f, directory);
          ref.leadInResponsible = f.key === 'responsible' && tok.leads;
          task[role].push(ref);
        }
        break;
      case 'deadline':
        // The first 完成时限 counts; a second one is reported by the rules (duplicate-field).
        if (!task.deadline) {
          const { start, end } = trimmed(text, f.valueStart, f.valueEnd);
          if (start === end) break;
          const value = text.slice(start, end);
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
  while (start < end && /[\s\u3000]/.test(text[start] as string)) start++;
  while (end > start && /[\s\u3000。．；;，,]/.test(text[end - 1] as string)) end--;
  return { start, end };
}

function makeRef(name: string, start: number, end: number, role: UnitRef['role'], field: FieldOccurrence, directory: Directory | undefined): UnitRef {
  const hit = directory?.lookup(name);
  const collective = hit?.kind === 'collective' || isCollectiveByForm(name);
  return {
    name,
    start,
    end,
    role,
    leadInResponsible: false,
    field,
    collective,
    canonical: directory ? directory.canonical(name) : name,
    ...(hit ? { known: hit.kind } : collective ? { known: 'collective' as const } : {}),
  };
}

/*
 * Documents repeat their unit lists and deadlines, and the editor links a document again on
 * every edit: results are kept per value text (unit tokens relative to the value's start),
 * for the directory they were made with.
 */
interface Memo {
  units: Map<string, UnitToken[]>;
  deadlines: Map<string, ParsedDeadline | null>;
}

const memos = new WeakMap<Directory, Memo>();
const noDirectory: Memo = { units: new Map(), deadlines: new Map() };
let memo: Memo = noDirectory;

function memoFor(directory: Directory | undefined): Memo {
  if (!directory) return noDirectory;
  let m = memos.get(directory);
  if (!m) memos.set(directory, (m = { units: new Map(), deadlines: new Map() }));
  return m;
}

function unitsOf(text: string, start: number, end: number, directory: Directory | undefined): UnitToken[] {
  const value = text.slice(start, end);
  let rel = memo.units.get(value);
  if (!rel) {
    if (memo.units.size > 20_000) memo.units.clear();
    rel = splitUnits(value, 0, value.length, directory);
    memo.units.set(detach(value), rel.map((t) => ({ ...t, name: detach(t.name), qualifier: detach(t.qualifier) })));
  }
  return rel.map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
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
