import type { Breakdown, DocumentModel, Task } from './model.ts';
import { FIELD_LABEL } from './fields.ts';
import type { Meta } from './frontmatter.ts';

const LEVEL_NAMES = ['一', '二', '三', '四', '五'];

/**
 * The table's columns (spec §8): 序号, one column per category level present, 重点任务,
 * then each field column that some task fills.
 */
export function columnsOf(bd: Breakdown): string[] {
  const levels = categoryLevels(bd);
  const cols = ['序号'];
  if (levels.length === 1) cols.push('类别');
  else levels.forEach((_, i) => cols.push(`${LEVEL_NAMES[i] ?? i + 1}级类别`));
  cols.push('重点任务');
  const any = (f: (t: Task) => boolean): boolean => bd.tasks.some(f);
  if (any((t) => t.measures.length > 0)) cols.push('落实举措');
  if (any((t) => t.lead.length > 0)) cols.push(FIELD_LABEL.lead);
  if (any((t) => t.responsible.length > 0)) cols.push(FIELD_LABEL.responsible);
  if (any((t) => t.cooperating.length > 0)) cols.push(FIELD_LABEL.cooperating);
  if (any((t) => t.deadline !== undefined)) cols.push(FIELD_LABEL.deadline);
  if (any((t) => !!t.note)) cols.push(FIELD_LABEL.note);
  return cols;
}

/** Heading levels that hold categories in this breakdown, shallowest first. */
export function categoryLevels(bd: Breakdown): number[] {
  return [...new Set(bd.allCategories.map((c) => c.level))].sort((a, b) => a - b);
}

export interface JsonTask {
  number: number;
  path: string[];
  task: string;
  measures: string;
  lead: string[];
  responsible: string[];
  cooperating: string[];
  deadline: { text: string; end: string | null; kind: 'date' | 'periodic' | 'ongoing' | null } | null;
  note: string | null;
  line: number;
}

export interface JsonDocument {
  meta: Record<string, unknown>;
  breakdowns: { title: string; label: string | null; columns: string[]; tasks: JsonTask[] }[];
}

function metaJson(meta: Meta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['issuer', 'number', 'title', 'to', 'date', 'signature', 'note', 'year', 'units'] as const) {
    if (meta[key] !== undefined) out[key] = meta[key];
  }
  out['required'] = meta.required.map((k) => FIELD_LABEL[k]);
  return out;
}

/** The model as plain data: what `fenjie export --to json` prints (docs/cli.md). */
export function toJson(model: DocumentModel): JsonDocument {
  return {
    meta: metaJson(model.meta),
    breakdowns: model.breakdowns.map((bd) => ({
      title: bd.title,
      label: bd.label ?? null,
      columns: columnsOf(bd),
      tasks: bd.tasks.map((t) => ({
        number: t.number,
        path: t.categories.map((c) => c.title),
        task: t.text,
        measures: t.measures.join('\n'),
        lead: t.lead.map((u) => u.name),
        responsible: t.responsible.map((u) => u.name),
        cooperating: t.cooperating.map((u) => u.name),
        deadline: t.deadline
          ? { text: t.deadline.text, end: t.deadline.parsed?.end ?? null, kind: t.deadline.parsed?.kind ?? null }
          : null,
        note: t.note ?? null,
        line: model.lines.position(t.start).line + 1,
      })),
    })),
  };
}
