import type { Position } from 'vscode-languageserver-types';
import type { Directory, DirectoryUnit, Task, UnitRef } from '../engine/index.ts';
import { LineIndex } from '../engine/index.ts';
import type { DocumentModel, Deadline, FieldOccurrence } from '../engine/model.ts';
import type { ServiceDocument, ServiceWorkspace } from './types.ts';

/** What is under the cursor in a document. */
export type Hit =
  | { kind: 'unit'; task: Task; unit: UnitRef }
  | { kind: 'deadline'; task: Task; deadline: Deadline }
  | { kind: 'field'; task: Task; field: FieldOccurrence }
  | { kind: 'task'; task: Task };

/** The task whose item holds `offset`, by binary search over the tasks in order. */
export function taskAt(model: DocumentModel, offset: number): Task | undefined {
  for (const bd of model.breakdowns) {
    if (offset < bd.start || offset > bd.end + 1) continue;
    const tasks = bd.tasks;
    let lo = 0;
    let hi = tasks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = tasks[mid] as Task;
      if (offset < t.start) hi = mid - 1;
      else if (offset > t.end) lo = mid + 1;
      else return t;
    }
  }
  return undefined;
}

/** The unit, deadline, field or task at a position (the end of a name counts as on it). */
export function hitAt(doc: ServiceDocument, pos: Position): Hit | undefined {
  const model = doc.analysis.model;
  const offset = model.lines.offset(pos);
  const task = taskAt(model, offset);
  if (!task) return undefined;
  for (const unit of [...task.lead, ...task.responsible, ...task.cooperating]) {
    if (offset >= unit.start && offset <= unit.end) return { kind: 'unit', task, unit };
  }
  const d = task.deadline;
  if (d && offset >= d.start && offset <= d.end) return { kind: 'deadline', task, deadline: d };
  for (const field of task.fields) if (offset >= field.start && offset <= field.end) return { kind: 'field', task, field };
  return { kind: 'task', task };
}

/** The unit of the 单位名录 at a position in that file: its name or one of its aliases. */
export function directoryUnitAt(directory: Directory, pos: Position): { unit: DirectoryUnit; name: string; start: number; end: number } | undefined {
  const lines = new LineIndex(directory.text);
  const offset = lines.offset(pos);
  for (const unit of directory.units) {
    if (offset >= unit.start && offset <= unit.end) return { unit, name: unit.name, start: unit.start, end: unit.end };
  }
  // An alias: find its text on the cursor's line.
  const line = lines.lineText(pos.line);
  for (const unit of directory.units) {
    for (const alias of unit.aliases) {
      let at = line.indexOf(alias);
      while (at >= 0) {
        if (pos.character >= at && pos.character <= at + alias.length) {
          const start = (lines.starts[pos.line] as number) + at;
          return { unit, name: alias, start, end: start + alias.length };
        }
        at = line.indexOf(alias, at + 1);
      }
    }
  }
  return undefined;
}

/** `end` moved back over trailing white space and line breaks, not before `start`: where an extent really ends. */
export function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0x3000) break;
    e--;
  }
  return e;
}

/** Every unit mention across the workspace whose full name is `canonical`. */
export function* mentionsOf(ws: ServiceWorkspace, canonical: string): Generator<{ doc: ServiceDocument; task: Task; unit: UnitRef }> {
  for (const doc of ws.documents()) {
    for (const bd of doc.analysis.model.breakdowns) {
      for (const task of bd.tasks) {
        for (const unit of [...task.lead, ...task.responsible, ...task.cooperating]) {
          if (unit.canonical === canonical) yield { doc, task, unit };
        }
      }
    }
  }
}
