import type { DocumentModel } from './model.ts';
import { columnsOf } from './table.ts';
import { FIELD_LABEL } from './fields.ts';
import type { Meta } from './frontmatter.ts';

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
      columns: columnsOf(bd, model.meta.required).map((c) => c.label),
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
