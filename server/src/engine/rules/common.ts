/** Helpers several rules share: walking the tasks, where a task's finding points, quoting. */
import type { Breakdown, DocumentModel, Task } from '../model.ts';

export const quote = (s: string): string => `“${s}”`;

export function eachTask(model: DocumentModel, fn: (task: Task, bd: Breakdown) => void): void {
  for (const bd of model.breakdowns) for (const t of bd.tasks) fn(t, bd);
}

/** Where a finding about a whole task points: its first line. */
export function taskSpan(t: Task): { start: number; end: number } {
  return t.textEnd > t.textStart ? { start: t.textStart, end: t.textEnd } : { start: t.start, end: Math.max(t.textEnd, t.start + 1) };
}

export function clip(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}……` : s;
}
